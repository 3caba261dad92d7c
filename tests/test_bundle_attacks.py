"""The curl bundle and `adflow plan` against a scripted Graph API and hand-made
state files: answers no real integration should send but a proxy or a bug can,
and states a person edited. Nothing may be created twice, no request may go
anywhere but the plan's path, and the bundle and `adflow plan` must read one
state alike."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from conftest import ADFLOW, SAMPLES, Loopback, compile_bundle, run_bundle

SAMPLE = SAMPLES / "click_to_subscribe.adflow"
FIRST_KEY = "campaign.subscribe"


class ScriptedGraph:
    """A loopback server answering request N with `answers[N]` (the last one
    again after the list ends): (status, headers, JSON body, or bytes as they
    are). Keeps what came."""

    def __init__(self, answers: list[tuple[int, dict[str, str], Any]]) -> None:
        self.answers = answers
        self.requests: list[tuple[str, str]] = []  # (method, path)
        graph = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                graph.requests.append((self.command, self.path))
                status, headers, body = graph.answers[min(len(graph.requests),
                                                          len(graph.answers)) - 1]
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = Loopback(Handler)
        self.url = self._server.url

    def close(self) -> None:
        self._server.close()


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    return compile_bundle(SAMPLE, tmp_path)[0]


def scripted(answers: list[tuple[int, dict[str, str], Any]]) -> Iterator[ScriptedGraph]:
    graph = ScriptedGraph(answers)
    try:
        yield graph
    finally:
        graph.close()


def created(number: int) -> tuple[int, dict[str, str], Any]:
    return 200, {}, {"id": str(9000 + number)}


# -- answers ---------------------------------------------------------------------------------------

@pytest.mark.tools
def test_an_answer_with_an_id_beside_a_retry_error_is_never_sent_again(bundle: Path) -> None:
    # Code 4 alone says "not carried out, retry"; an id beside it says it was.
    both = (200, {}, {"id": "111", "error": {"code": 4, "message": "Application request limit"}})
    for graph in scripted([both, *(created(n) for n in range(1, 6))]):
        done = run_bundle(bundle, graph.url)
        assert len(graph.requests) == 1, (graph.requests, done.stderr)
    assert done.returncode == 3, done.stderr
    assert "--assume-created campaign.subscribe=ID" in done.stderr


@pytest.mark.tools
def test_an_absurd_wait_asked_by_meta_stops_the_run_instead_of_hanging(bundle: Path) -> None:
    usage = json.dumps({"1": [{"type": "ads_management", "call_count": 100,
                               "estimated_time_to_regain_access": 10**15}]})
    throttled = (400, {"X-Business-Use-Case-Usage": usage},
                 {"error": {"code": 80004, "message": "There have been too many calls",
                            "error_subcode": 2446079}})
    for graph in scripted([throttled, created(1)]):
        done = run_bundle(bundle, graph.url)
        assert len(graph.requests) == 1, done.stderr
    assert done.returncode == 1, done.stderr
    assert "asks to wait" in done.stderr
    assert "retrying" not in done.stderr
    # Nothing was created: the pending marker is settled, a re-run sends it again.
    lines = [json.loads(line) for line in Path(f"{bundle}.state").read_text().splitlines()]
    assert lines == [{"key": FIRST_KEY, "pending": True}, {"key": FIRST_KEY, "pending": False}]


# -- the state and its lock are regular files, or the run stops at once ----------------------------

def run_briefly(bundle: Path, *options: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The bundle against a closed port, stopped after 20 s (a hang fails the test)."""
    environment = {"PATH": os.environ["PATH"], "GRAPH_API_URL": "http://127.0.0.1:9",
                   "META_ACCESS_TOKEN": "EAAtoken", "ADFLOW_MAX_ATTEMPTS": "1", **env}
    return subprocess.run(["bash", str(bundle), *options], env=environment, capture_output=True,
                          text=True, timeout=20, check=False, start_new_session=True)


@pytest.mark.tools
@pytest.mark.parametrize("options", [(), ("--dry-run",)])
def test_a_state_that_is_a_fifo_stops_the_run_instead_of_hanging(
        bundle: Path, tmp_path: Path, options: tuple[str, ...]) -> None:
    fifo = tmp_path / "state.fifo"
    os.mkfifo(fifo)
    done = run_briefly(bundle, *options, ADFLOW_STATE=str(fifo))
    assert done.returncode == 2, done.stderr
    assert "not a regular file" in done.stderr


@pytest.mark.tools
def test_a_lock_that_is_a_fifo_stops_the_run_instead_of_hanging(bundle: Path) -> None:
    os.mkfifo(f"{bundle}.state.lock")
    done = run_briefly(bundle)
    assert done.returncode == 2, done.stderr
    assert "not a regular file" in done.stderr


@pytest.mark.parametrize("state", ["fifo", "/dev/zero"])
def test_plan_refuses_a_state_that_is_not_a_regular_file(state: str, tmp_path: Path) -> None:
    if state == "fifo":
        state = str(tmp_path / "state.fifo")
        os.mkfifo(state)
    done = subprocess.run([ADFLOW, "plan", str(SAMPLE), "--state", state], capture_output=True,
                          text=True, timeout=20, check=False)
    assert done.returncode == 2, done.stderr
    assert "not a regular file" in done.stderr and "Traceback" not in done.stderr


# -- a state edited by hand reads alike in the bundle and in adflow plan ---------------------------

DONE = '{"key":"campaign.subscribe","id":%s,"path":"act_1234567890/campaigns"}'


@pytest.mark.tools
@pytest.mark.parametrize("text", [
    DONE % '"\\u00b2\\u00b3"' + "\n",  # superscript digits: str.isdigit() says yes
    DONE % '"\\u0661\\u0662\\u0663"' + "\n",  # Arabic-Indic digits
    DONE % '"123\\n"' + "\n",  # jq's `$` matches before a final line break
    DONE % '"\\n123"' + "\n",
    "\ufeff" + DONE % '"123"' + "\n",  # a byte order mark, as some editors save
    DONE % '"123"' + "\r\n",  # Windows line ends
    DONE[:-1] % '"123"' + ',"x":"\\ud800"}\n',  # a lone surrogate: not text
    DONE[:-1] % '"123"' + ',"x":NaN}\n',
    DONE % '"123"' + "\n" + DONE % '"00456"' + "\n",
    DONE[:-1] % '"123"' + ',"x":' + "[" * 100_000 + "]" * 100_000 + "}\n",  # nested too deep
    # jq 1.6's parser takes 256 levels, an object counting two: 2 + 254 arrays is the most.
    DONE[:-1] % '"123"' + ',"x":' + "[" * 254 + "]" * 254 + "}\n",
    DONE[:-1] % '"123"' + ',"x":' + "[" * 255 + "]" * 255 + "}\n",
    DONE[:-1] % '"123"' + ',"x":' + '{"y":' * 127 + "1" + "}" * 127 + "}\n",
    DONE[:-1] % '"123"' + ',"x":' + '{"y":' * 128 + "1" + "}" * 128 + "}\n",
], ids=lambda text: repr(text[:90]))
def test_plan_and_the_bundle_read_a_hand_edited_state_alike(bundle: Path, tmp_path: Path,
                                                             text: str) -> None:
    state = tmp_path / "edited.state"
    state.write_bytes(text.encode("utf-8", "surrogatepass"))
    planned = subprocess.run([ADFLOW, "plan", str(SAMPLE), "--state", str(state)],
                             capture_output=True, text=True, timeout=60, check=False)
    dry = run_briefly(bundle, "--dry-run", ADFLOW_STATE=str(state))
    assert (planned.returncode, dry.returncode) in ((0, 0), (2, 2)), (planned, dry)
    if planned.returncode == 0:
        assert dry.stdout.startswith(planned.stdout), (planned.stdout, dry.stdout)
    else:
        assert "edited.state:1: damaged" in planned.stderr and "edited.state:1:" in dry.stderr


# -- settings and curl failures before anything is sent --------------------------------------------

@pytest.mark.tools
@pytest.mark.parametrize(("setting", "value"), [
    ("ADFLOW_TIMEOUT", "99999999999999999999"),  # curl refused it: "may exist", pending
    ("ADFLOW_TIMEOUT", "0"),  # curl's "no limit": a run that can hang
    ("ADFLOW_RETRY_BASE_MS", "99999999999999999999"),  # wraps around in bash
    ("ADFLOW_MAX_ATTEMPTS", "99999999999999999999"),
    ("ADFLOW_MAX_ATTEMPTS", "0"),  # no attempt at all, yet one was made
    ("ADFLOW_MAX_ATTEMPTS", "08"),  # "value too great for base" at the first retry
])
def test_a_setting_out_of_range_is_a_set_up_error_before_anything_is_sent(
        bundle: Path, setting: str, value: str) -> None:
    for graph in scripted([created(n) for n in range(1, 6)]):
        done = run_bundle(bundle, graph.url, **{setting: value})
        assert graph.requests == [], done.stderr
    assert done.returncode == 2, done.stderr
    assert setting in done.stderr
    assert not Path(f"{bundle}.state").exists() or not Path(f"{bundle}.state").read_text()


@pytest.mark.tools
def test_curl_refusing_to_start_is_not_an_unknown_outcome(bundle: Path, tmp_path: Path) -> None:
    # curl's exit 2 (failed to start) and 3 (URL malformed) come before any byte
    # is sent: nothing can exist at Meta, so no "may exist" and no pending left.
    tools = tmp_path / "bin"
    tools.mkdir()
    fake = tools / "curl"
    fake.write_text("#!/bin/sh\necho 'curl: (2) Failed initialization' >&2\nexit 2\n")
    fake.chmod(0o755)
    done = run_bundle(bundle, "http://127.0.0.1:9", path=f"{tools}:{os.environ['PATH']}",
                      ADFLOW_MAX_ATTEMPTS="2")
    assert done.returncode == 2, done.stderr
    assert "may or may not exist" not in done.stderr
    lines = [json.loads(line) for line in Path(f"{bundle}.state").read_text().splitlines()]
    assert lines[-1] == {"key": FIRST_KEY, "pending": False}


# -- adflow plan --refresh reads what GRAPH_API_URL answers ---------------------------------------

@pytest.mark.parametrize("answer", [
    b"[" * 100_000 + b"]" * 100_000,  # nested past Python's recursion limit
    b'{"name": "' + b"x" * (20 * 1024 * 1024) + b'"}',  # larger than any object Meta sends
    b'{"error": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
], ids=["deep", "huge", "deep-error"])
def test_refresh_refuses_an_answer_it_cannot_read_without_a_traceback(
        tmp_path: Path, answer: bytes) -> None:
    state = tmp_path / "bundle.state"
    state.write_text('{"key":"campaign.subscribe","id":"12","path":"act_1234567890/campaigns",'
                     '"fields":{"name":"subscribe"}}\n')
    status = 400 if b"error" in answer else 200
    for graph in scripted([(status, {}, answer)]):
        done = subprocess.run([ADFLOW, "plan", str(SAMPLE), "--state", str(state), "--refresh"],
                              capture_output=True, text=True, timeout=60, check=False,
                              env={**os.environ, "META_ACCESS_TOKEN": "EAAtoken",
                                   "GRAPH_API_URL": graph.url})
    assert done.returncode == 2, done.stderr
    assert "--refresh: cannot read campaign.subscribe (id 12)" in done.stderr
    assert "internal error" not in done.stderr and "EAAtoken" not in done.stderr
