"""The shared test harness: Hypothesis profiles, the golden-file switch, the
markers' meaning, and what many test modules drive (the `adflow` CLI, the
local Graph API sandbox, a compiled curl bundle run against it, loopback
stand-ins for Meta). Test modules take these from here as fixtures or
imports, never from one another (tests/test_harness.py holds that).

Mark a test `tools` when it runs a program from outside Python (bash, curl,
Chromium ...: it must fail, never skip, when that is missing) and `slow`
when it takes over ~0.2 s (`pytest --durations`); `make test-fast` leaves
both out, `make test` runs everything (pyproject.toml registers them)."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

import pytest
import pytest_lsp
from hypothesis import HealthCheck, settings
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

if TYPE_CHECKING:
    from adflow.compiler.bodies.model import Document
    from adflow.compiler.findings.ruledocs import Example
    from adflow.compiler.pipeline import FileResult

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDEN = Path(__file__).resolve().parent / "golden"
ADFLOW = str(Path(sys.executable).with_name("adflow"))



@pytest.fixture(scope="session")
def bare_python(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], dict[str, str]]:
    """A command and environment that run Python with adflow laid out as a
    wheel lays it out and nothing else: no site (the editable install's
    import finder loads pathlib and contextlib at start-up, which would hide
    adflow importing them). Enough for what a check needs of the standard
    library; no third-party package can be imported."""
    folder = tmp_path_factory.mktemp("bare") / "adflow"
    folder.mkdir()
    for package in ("compiler", "grammar", "emitters"):
        (folder / package).symlink_to(ROOT / package)
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(folder.parent),
           "SOURCE_DATE_EPOCH": PINNED_DAY, "PYTHONDONTWRITEBYTECODE": "1"}
    return [sys.executable, "-S"], env


# "dev" for local runs, "ci" (fewer examples) for CI, "fuzz" for `make fuzz`.
settings.register_profile("dev", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", max_examples=40, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=10_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# D004 compares API versions' expiry with today: pin the day (for this process
# and the console scripts it starts) so results do not change with the
# calendar. 1 Mar 2026: v25.0 is out, v23.0 not yet expired.
PINNED_DAY = "1772323200"
os.environ["SOURCE_DATE_EPOCH"] = PINNED_DAY


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite golden files from the current output instead of comparing")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def check_golden(path: Path, actual: str, update: bool) -> None:
    """Compare with a golden file, or rewrite it under --update-golden."""
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"missing golden file {path}; run pytest --update-golden"
    assert actual == path.read_text(encoding="utf-8"), f"{path} differs; run pytest --update-golden"


class Loopback:
    """A threaded HTTP server on 127.0.0.1 answering with `handler`, for the
    tests' stand-ins for Meta (scripted answers, fault proxies); `close()`
    stops it. A client killed or timed out mid-answer is what those tests do,
    so such errors are not printed."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass

        self.server = Server(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(10)


class LoopbackProxy:
    """A proxy the tests put between a bundle and the sandbox: it counts the
    requests it forwards (under `lock`) and may hold an answer back (`held`
    is set then) until `release()`. Its subclass's `Handler` is served from
    `serve()`; the `with` block releases and stops it."""

    def __init__(self, upstream: str) -> None:
        from urllib.parse import urlsplit

        self.upstream = urlsplit(upstream)
        self.count = 0
        self.held = threading.Event()
        self.lock = threading.Lock()
        self._release = threading.Event()

    def serve(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self._server = Loopback(handler)
        self.url = self._server.url

    def release(self) -> None:
        self._release.set()

    def wait_for_release(self, timeout: float) -> None:
        self._release.wait(timeout)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
        self._server.close()


# Faults a proxy puts between a runtime (the bundle, adflow apply) and the sandbox.
SLOW_SECONDS = 3.0  # longer than the ADFLOW_TIMEOUT the slow cases run with
HOLD_TIMEOUT = 20.0
USAGE = json.dumps({"1": [{"type": "ads_management", "call_count": 100, "total_cputime": 0,
                           "total_time": 0, "estimated_time_to_regain_access": 0}]})
BUSY = json.dumps({"acc_id_util_pct": 90, "reset_time_duration": 30})
THROTTLED = json.dumps({"error": {
    "message": "There have been too many calls from this ad-account.",
    "type": "OAuthException", "code": 80004, "error_subcode": 2446079,
    "fbtrace_id": "proxy"}}).encode()
UNAVAILABLE = json.dumps({"error": {
    "message": "Service temporarily unavailable", "type": "OAuthException",
    "code": 2, "is_transient": True, "fbtrace_id": "proxy"}}).encode()


class FaultProxy(LoopbackProxy):
    """A loopback HTTP proxy in front of the sandbox. `faults` maps a request
    number (counting every request from 1) to what happens to it:

    - `reset`: carried out, then the connection is reset (no answer)
    - `cut`: carried out, then half the answer and the connection closes
    - `slow`: carried out, answered after SLOW_SECONDS
    - `throttle`: NOT forwarded; Meta's rate-limit answer (code 80004) with
      the usage header `usage`
    - `500`: carried out, then answered HTTP 500, code 2 (is_transient)
    - `busy`: carried out, answered with a usage header near the account's limit
    - `comment`: carried out, the answer with a proxy's comment after it
    - `twice`: carried out, the answer's JSON twice
    - `garbage`: carried out, a 200 whose body is not JSON
    - `html504`: carried out, then a load balancer's HTML 504 instead of the answer
    - `hold`: carried out, the answer held until `release()`"""

    def __init__(self, upstream: str, faults: dict[int, str], usage: str = USAGE) -> None:
        super().__init__(upstream)
        self.faults = faults
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                self._relay("GET")

            def do_POST(self) -> None:
                self._relay("POST")

            def _relay(self, method: str) -> None:
                with proxy.lock:
                    proxy.count += 1
                    fault = proxy.faults.get(proxy.count, "")
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if fault == "throttle":
                    self._answer(400, THROTTLED, {"X-Business-Use-Case-Usage": usage})
                    return
                upstream = http.client.HTTPConnection(proxy.upstream.hostname,
                                                      proxy.upstream.port, timeout=20)
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                upstream.request(method, self.path, body if method == "POST" else None, headers)
                answer = upstream.getresponse()
                status, data = answer.status, answer.read()
                upstream.close()
                if fault == "reset":
                    self.close_connection = True
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                               struct.pack("ii", 1, 0))
                    self.connection.close()
                    return
                if fault == "cut":
                    self.close_connection = True
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data[: len(data) // 2])
                    self.wfile.flush()
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                extra: dict[str, str] = {}
                if fault == "slow":
                    time.sleep(SLOW_SECONDS)
                elif fault == "hold":
                    proxy.held.set()
                    proxy.wait_for_release(HOLD_TIMEOUT)
                elif fault == "500":
                    status, data = 500, UNAVAILABLE
                elif fault == "busy":
                    extra = {"X-Ad-Account-Usage": BUSY}
                elif fault == "comment":
                    data += b"\n<!-- served by edge-cache 7 -->\n"
                elif fault == "twice":
                    data += data
                elif fault == "garbage":
                    data = b"<html><body>OK</body></html>\n"
                elif fault == "html504":
                    status, data = 504, b"<html><body><h1>504 Gateway Time-out</h1></body></html>\n"
                    self._answer(status, data, {}, "text/html")
                    return
                self._answer(status, data, extra)

            def _answer(self, status: int, data: bytes, headers: dict[str, str],
                        kind: str = "application/json; charset=UTF-8") -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                with contextlib.suppress(OSError):  # a client that timed out or was stopped
                    self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.serve(Handler)


# -- the language server --------------------------------------------------------------------------

@pytest_lsp.fixture(config=ClientServerConfig(server_command=[ADFLOW, "lsp"]))
async def client(lsp_client: LanguageClient, tmp_path: Path):  # type: ignore[no-untyped-def]
    """`adflow lsp` over stdio, initialised as VS Code initialises it."""
    await lsp_client.initialize_session(lsp.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        root_uri=tmp_path.as_uri()))
    yield
    await lsp_client.shutdown_session()


# -- the CLI ---------------------------------------------------------------------------------------

# The environment `adflow` runs in unless a test says otherwise: no colour,
# the pinned day, and nothing else from the shell that started pytest.
CLEAN_ENV = {"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "SOURCE_DATE_EPOCH": PINNED_DAY}


def run_adflow(*args: str, cwd: Path | None = None, stdin: str | None = None,
               env: Mapping[str, str] | None = CLEAN_ENV,
               timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`adflow ARGS` as a subprocess, output captured as text. `env` is its
    whole environment (None: this process's); without `stdin` it reads
    /dev/null, never the terminal."""
    return subprocess.run([ADFLOW, *args], capture_output=True, text=True, cwd=cwd,
                          input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL,
                          env=None if env is None else dict(env), timeout=timeout, check=False)


Adflow = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="session")
def adflow() -> Adflow:
    """The CLI runner: `adflow("check", path)` is `run_adflow("check", path)`."""
    return run_adflow


# -- the sandbox (a local Graph API) ---------------------------------------------------------------

SANDBOX_START_TIMEOUT = 20.0
# A token and bodies the sandbox accepts, for tests that call it directly.
AUTH = {"Authorization": "Bearer sandbox-token", "Content-Type": "application/json"}
CAMPAIGN = {"name": "Spring", "objective": "OUTCOME_ENGAGEMENT", "special_ad_categories": ["NONE"],
            "is_adset_budget_sharing_enabled": False, "status": "PAUSED"}


class Sandbox:
    """`adflow sandbox --port 0` as a subprocess, recording into `folder`;
    always stopped on exit (then `errors` holds its stderr)."""

    def __init__(self, folder: Path, *options: str) -> None:
        self.record = folder / "sandbox-record.jsonl"
        self.errors = ""
        self.process = subprocess.Popen(
            [ADFLOW, "sandbox", "--port", "0", "--record", str(self.record), *options],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            ready, _, _ = select.select([self.process.stdout], [], [], SANDBOX_START_TIMEOUT)
            assert ready, "the sandbox did not start in time"
            assert self.process.stdout is not None
            line = self.process.stdout.readline()
            assert line.startswith("listening on http://127.0.0.1:"), line
            self.url = line.split()[-1]
        except BaseException:
            self.stop()
            raise

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self.process.stderr is not None and not self.process.stderr.closed:
            self.errors = self.process.stderr.read()  # a traceback would show here
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()

    def entries(self) -> list[dict[str, Any]]:
        if not self.record.exists():
            return []
        # Split on LF only: str.splitlines() also breaks at U+2028 inside strings.
        lines = self.record.read_text("utf-8").split("\n")
        return [json.loads(line) for line in lines if line]

    def call(self, method: str, path: str, body: bytes | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
        request = urllib.request.Request(self.url + path, data=body, method=method,
                                         headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())


def post_json(sandbox: Sandbox, path: str, body: dict[str, Any],
              headers: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
    return sandbox.call("POST", path, json.dumps(body).encode(), headers or AUTH)


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    """A running sandbox recording into tmp_path, stopped after the test."""
    with Sandbox(tmp_path) as running:
        yield running


# -- curl bundles (real bash, curl and jq) ---------------------------------------------------------

TOKEN = "EAAtesttoken0123456789SECRET"
BUNDLE_TIMEOUT = 120


def compile_bundle(source: Path, folder: Path) -> tuple[Path, dict[str, Any]]:
    """`source` compiled into folder/STEM.sh, and its plan (`--emit json`)."""
    bundle = folder / (source.stem + ".sh")
    done = run_adflow("compile", str(source), "--emit", "curl", "-o", str(bundle), env=None)
    assert done.returncode == 0, done.stderr
    plan = run_adflow("compile", str(source), "--emit", "json", env=None)
    assert plan.returncode == 0, plan.stderr
    return bundle, json.loads(plan.stdout)


def run_bundle(bundle: Path, url: str, *options: str, path: str | None = None,
               token: str | None = TOKEN, **env: str) -> subprocess.CompletedProcess[str]:
    """`bash BUNDLE OPTIONS` against the Graph API at `url`, to its end."""
    environment = {"PATH": path or os.environ["PATH"], "GRAPH_API_URL": url,
                   "ADFLOW_RETRY_BASE_MS": "5", "ADFLOW_TIMEOUT": "20", **env}
    if token is not None:
        environment["META_ACCESS_TOKEN"] = token
    return subprocess.run(["bash", str(bundle), *options], env=environment, capture_output=True,
                          text=True, timeout=BUNDLE_TIMEOUT, start_new_session=True,
                          check=False)


def start_bundle(bundle: Path, url: str, *options: str, **env: str) -> subprocess.Popen[str]:
    """The bundle started in its own process group (`finish` waits for it)."""
    environment = {"PATH": os.environ["PATH"], "GRAPH_API_URL": url,
                   "ADFLOW_RETRY_BASE_MS": "5", "ADFLOW_TIMEOUT": "40",
                   "META_ACCESS_TOKEN": TOKEN, **env}
    return subprocess.Popen(["bash", str(bundle), *options], env=environment, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of a started bundle; killed after 90 s."""
    try:
        out, err = process.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
    return process.returncode, out, err


def racing_path(folder: Path, runs: int) -> str:
    """A PATH on which `runs` bundles reach their lock together: `mktemp`
    (called just before the lock is taken) waits, up to 10 s, for all of them,
    then $LAG seconds; and `rm` takes 0.3 s, as on a slow disk, which widens
    any check-then-take window a lock may have."""
    tools = folder / "bin"
    tools.mkdir()
    real_mktemp, real_rm = shutil.which("mktemp"), shutil.which("rm")
    assert real_mktemp and real_rm
    (tools / "mktemp").write_text(
        "#!/bin/bash\n"
        f'echo "$$" >> "{folder}/arrived"\n'
        "for _ in $(seq 1000); do\n"
        f'  [ "$(wc -l < "{folder}/arrived")" -ge {runs} ] && break; sleep 0.01\n'
        "done\n"
        'sleep "$LAG"\n'
        f'exec {real_mktemp} "$@"\n')
    (tools / "rm").write_text(f'#!/bin/bash\nsleep 0.3\nexec {real_rm} "$@"\n')
    for tool in tools.iterdir():
        tool.chmod(0o755)
    return f"{tools}:{os.environ['PATH']}"


class JsonText:
    """Stands for a `$json` marker: equal to any JSON text that decodes to the value."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and json.loads(other) == self.value

    def __repr__(self) -> str:
        return f"JsonText({self.value!r})"


def resolved(value: Any, ids: dict[str, str]) -> Any:
    """A plan's body as the sandbox should receive it: `$ref`s replaced by
    the ids given, `$json`s by JsonText."""
    if isinstance(value, dict):
        if set(value) == {"$ref"}:
            return ids[value["$ref"]]
        if set(value) == {"$json"}:
            return JsonText(_plain(resolved(value["$json"], ids)))
        return {k: resolved(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [resolved(v, ids) for v in value]
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, JsonText):
        return json.dumps(value.value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def creates(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Recorded requests that reached a create edge and were answered or dropped."""
    return [e for e in entries if e["method"] == "POST" and e["path"].count("/") == 3]


def created_at(plan: dict[str, Any], entries: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Each key's ids as the sandbox created them (answered or not)."""
    edges = {f"/{plan['api_version']}/{r['path']}": r["key"] for r in plan["requests"]}
    found: dict[str, list[str]] = {}
    for entry in creates(entries):
        if entry["path"] in edges and "id" in (entry["response"] or {}):
            found.setdefault(edges[entry["path"]], []).append(entry["response"]["id"])
    return found


def whole_state(state: Path) -> dict[str, Any]:
    """Every line of the state is a whole JSON object ending with a line end,
    and adflow plan's reader takes it."""
    from adflow.compiler.tools import changes

    text = state.read_text("utf-8") if state.exists() else ""
    assert text == "" or text.endswith("\n"), text[-200:]
    for number, line in enumerate(text.split("\n")[:-1], 1):
        assert isinstance(json.loads(line), dict), (number, line)
    return changes.read_state(text)


def assert_plan_sent_once(plan: dict[str, Any], entries: list[dict[str, Any]]) -> None:
    """Each request of the plan arrived exactly once, created, with its markers
    resolved from the ids the sandbox gave the earlier requests."""
    created = [e for e in creates(entries) if e["status"] == 200]
    assert len(created) == len(plan["requests"])
    ids: dict[str, str] = {}
    for request, entry in zip(plan["requests"], created, strict=True):
        assert entry["path"] == f"/{plan['api_version']}/{request['path']}"
        assert resolved(request["body"], ids) == entry["body"], request["key"]
        ids[request["key"]] = entry["response"]["id"]


@pytest.fixture
def seed_bundle(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """samples/seed_lead_form.adflow compiled into tmp_path: (bundle, plan)."""
    return compile_bundle(SAMPLES / "seed_lead_form.adflow", tmp_path)


@dataclass
class BundleRun:
    """One bundle run against a fresh sandbox: what ran, what it said, what
    the sandbox recorded (and printed on stderr, a traceback would show)."""

    bundle: Path
    plan: dict[str, Any]
    done: subprocess.CompletedProcess[str]
    entries: list[dict[str, Any]]
    sandbox_errors: str


@pytest.fixture
def bundle_run(tmp_path: Path) -> Callable[..., BundleRun]:
    """`bundle_run(source, *options, **env)`: compile `source`, run its bundle
    against a sandbox started for it (both in a folder of tmp_path), stop the
    sandbox and return the BundleRun."""
    runs = iter(range(1_000_000))

    def run(source: Path, *options: str, **env: str) -> BundleRun:
        folder = tmp_path / f"run{next(runs)}"
        folder.mkdir()
        bundle, plan = compile_bundle(source, folder)
        with Sandbox(folder) as sandbox:
            done = run_bundle(bundle, sandbox.url, *options, **env)
            entries = sandbox.entries()
        return BundleRun(bundle, plan, done, entries, sandbox.errors)

    return run


# -- change management: the state a bundle leaves ------------------------------------------------

def document(path: Path) -> Document:
    """The checked document of a clean file (its display name relative to ROOT)."""
    from adflow.compiler.pipeline import check_file

    result = check_file(path, display=str(path.relative_to(ROOT)))
    assert result.errors == 0 and result.document is not None
    return result.document


def sent(value: Any, ids: dict[str, str]) -> Any:
    """A body as the bundle sends it: ids in, `$json` as compact JSON text."""
    if isinstance(value, dict):
        if set(value) == {"$ref"}:
            return ids[value["$ref"]]
        if set(value) == {"$json"}:
            return json.dumps(sent(value["$json"], ids), separators=(",", ":"))
        return {k: sent(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [sent(v, ids) for v in value]
    return value


def state_after_creating(doc: Document) -> tuple[str, dict[str, str]]:
    """The state lines a bundle writes when it creates everything in `doc`."""
    ids: dict[str, str] = {}
    lines = []
    for n, request in enumerate(doc.requests):
        body = sent(request.body, ids)
        ids[request.key] = str(120_000_000_000_000_001 + n)
        lines.append(json.dumps({"key": request.key, "id": ids[request.key],
                                 "path": request.path, "digest": "0" * 64, "fields": body}))
    return "\n".join(lines) + "\n", ids


# -- the rules' documented examples ----------------------------------------------------------------

_ACCOUNT_LINE = "account act_1234567890\n"
_PAGE_LINE = "page acme 111222333444\n"
_STEP = re.compile(r"^\s*(?:question|confirmation|disqualify)\s+(\w+)", re.MULTILINE)


def examples(doc: str) -> dict[str, Example]:
    """'Bad' / 'Good' -> the example, as `adflow explain` and docs/rules/ show it."""
    from adflow.compiler.findings import ruledocs

    return ruledocs.examples(doc)[1]


def as_file(example: Example) -> tuple[str, str]:
    """An example as a whole file: (suffix, text), in what its header says
    it is (ruledocs.WRAPPERS)."""
    from adflow.compiler.findings import ruledocs

    snippet = example.snippet
    match example.wrapper:
        case "file":
            return ".adflow", snippet
        case "objects":
            return ".adflow", _ACCOUNT_LINE + snippet
        case "objects on acme":
            return ".adflow", _ACCOUNT_LINE + _PAGE_LINE + snippet
        case "steps":
            return ".adflow", in_a_lead_form(snippet)
        case "JSON file":
            return ".json", snippet
        case "JSON step":
            return ".json", json.dumps({"step_list": [json.loads(snippet)]})
    raise ValueError(f"an example header names no wrapper of {sorted(ruledocs.WRAPPERS)}: "
                     f"{example.wrapper!r}")


def in_a_lead_form(steps: str) -> str:
    """Steps (or settings) in a minimal valid lead form: an intro to the
    first step, and the `thanks` and `sorry` steps they go to."""
    names = _STEP.findall(steps)
    lines = [_PAGE_LINE.strip(), "lead_form quote on acme {", '  template_name "Quote"']
    if "privacy_url" not in steps:
        lines.append('  privacy_url "https://acme.example/privacy"')
    lines.append('  reminder "Still there?"')
    lines.append(f'  intro "Hi!" -> {names[0] if names else "thanks"}')
    lines.extend("  " + line for line in steps.splitlines())
    if "thanks" not in names:
        lines.append('  confirmation thanks "Thanks!"')
    if "sorry" in steps and "sorry" not in names:
        lines.append('  disqualify sorry "Sorry."')
    lines.append("}")
    return "\n".join(lines) + "\n"


# -- findings ------------------------------------------------------------------------------------

def assert_spans_inside(result: FileResult, text: str) -> None:
    """Every finding's span lies inside `text` and ends after it starts."""
    lines = text.split("\n")
    for d in result.diagnostics:
        s = d.span
        assert 1 <= s.line <= s.end_line <= len(lines)
        assert 1 <= s.column <= len(lines[s.line - 1]) + 1
        assert (s.end_line, s.end_column) >= (s.line, s.column)
        assert s.end_column <= len(lines[s.end_line - 1]) + 1


# -- Meta's Python SDK (facebook-business, a pinned test dependency) ------------------------------

def sdk_params(endpoint: str) -> dict[str, str]:
    """POST parameter name -> SDK type, from the request the SDK would build."""
    from facebook_business.adobjects.adaccount import AdAccount
    from facebook_business.adobjects.page import Page

    account = AdAccount("act_0")
    request: Any = {
        "campaigns": lambda: account.create_campaign(pending=True),
        "adsets": lambda: account.create_ad_set(pending=True),
        "adcreatives": lambda: account.create_ad_creative(pending=True),
        "ads": lambda: account.create_ad(pending=True),
        "messenger_lead_forms": lambda: Page("0").create_messenger_lead_form(pending=True),
    }[endpoint]()
    return dict(request._param_checker._type_check_info)
