"""`adflow compile --emit curl`: real bash, curl and jq against `adflow sandbox`.

`run_bundle` and `expected_bodies` are shared with test_curl_hostile.py.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest
from adflow.compiler.facts import facts
from adflow.emitters.curl import code_ranges
from conftest import ADFLOW, SAMPLES
from test_sandbox import Sandbox

TOKEN = "EAAtesttoken0123456789SECRET"
SAMPLE_FILES = sorted(SAMPLES.glob("*.adflow"))
RUN_TIMEOUT = 120


def compile_bundle(source: Path, folder: Path) -> tuple[Path, dict[str, Any]]:
    bundle = folder / (source.stem + ".sh")
    done = subprocess.run([ADFLOW, "compile", str(source), "--emit", "curl", "-o", str(bundle)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    plan = subprocess.run([ADFLOW, "compile", str(source), "--emit", "json"],
                          capture_output=True, text=True, timeout=60, check=True)
    return bundle, json.loads(plan.stdout)


def run_bundle(bundle: Path, url: str, *options: str, path: str | None = None,
               token: str | None = TOKEN, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {"PATH": path or os.environ["PATH"], "GRAPH_API_URL": url,
                   "ADFLOW_RETRY_BASE_MS": "5", "ADFLOW_TIMEOUT": "20", **env}
    if token is not None:
        environment["META_ACCESS_TOKEN"] = token
    return subprocess.run(["bash", str(bundle), *options], env=environment, capture_output=True,
                          text=True, timeout=RUN_TIMEOUT, start_new_session=True,
                          check=False)


class JsonText:
    """Stands for a `$json` marker: equal to any JSON text that decodes to the value."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and json.loads(other) == self.value

    def __repr__(self) -> str:
        return f"JsonText({self.value!r})"


def resolved(value: Any, ids: dict[str, str]) -> Any:
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


@pytest.mark.parametrize("source", SAMPLE_FILES, ids=lambda p: p.stem)
def test_every_sample_bundle_runs_against_the_sandbox(source: Path, tmp_path: Path) -> None:
    bundle, plan = compile_bundle(source, tmp_path)
    (tmp_path / "again").mkdir()
    again, _ = compile_bundle(source, tmp_path / "again")
    assert bundle.read_bytes() == again.read_bytes()  # deterministic
    lint = subprocess.run(["shellcheck", "-S", "warning", str(bundle)], capture_output=True,
                          text=True, timeout=60, check=False)
    assert lint.returncode == 0, lint.stdout
    with Sandbox(tmp_path) as sandbox:
        done = run_bundle(bundle, sandbox.url)
        entries = sandbox.entries()
    assert done.returncode == 0, done.stderr
    assert_plan_sent_once(plan, entries)
    progress = done.stdout.splitlines()
    for request in plan["requests"]:
        line = f"{request['key']} (line {request['source']['line']}): created "
        assert any(line in p for p in progress), line
    state = [{k: v for k, v in json.loads(x).items() if k not in ("digest", "fields", "path")}
             for x in Path(f"{bundle}.state").read_text().splitlines()]
    # Each create: a pending line before it is sent, then its id (with the
    # digest and fields change management reads, tests/test_plan_apply.py).
    assert state == [line for request, entry in zip(plan["requests"], creates(entries), strict=True)
                     for line in ({"key": request["key"], "pending": True},
                                  {"key": request["key"], "id": entry["response"]["id"]})]


@pytest.fixture
def seed_bundle(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    return compile_bundle(SAMPLES / "seed_lead_form.adflow", tmp_path)


def _curl_wrapper(folder: Path, kill_at: int | None = None) -> str:
    """A `curl` first on PATH that logs its argv, then runs the real one. With
    kill_at, its kill_at-th call in a run kills the whole bundle instead."""
    real = shutil.which("curl")
    assert real
    wrapper = folder / "bin" / "curl"
    wrapper.parent.mkdir(exist_ok=True)
    kill = ""
    if kill_at is not None:
        kill = (f'n=$(wc -l < "{folder}/calls"); '
                f'if [ "$n" -ge {kill_at} ]; then : > "{folder}/calls"; kill -KILL 0; fi\n')
    wrapper.write_text(
        "#!/bin/bash\n"
        f'printf "%s\\n" "$*" >> "{folder}/argv.log"\n'
        f'echo call >> "{folder}/calls"\n'
        + kill +
        f'exec {real} "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    return f"{wrapper.parent}:{os.environ['PATH']}"


def test_token_never_leaks(seed_bundle: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    bundle, plan = seed_bundle
    path = _curl_wrapper(tmp_path)
    with Sandbox(tmp_path) as sandbox:
        done = run_bundle(bundle, sandbox.url, "--activate", path=path)
        entries = sandbox.entries()
    assert done.returncode == 0, done.stderr
    argv_log = (tmp_path / "argv.log").read_text()
    assert len(argv_log.splitlines()) == len(plan["requests"]) + 1  # + the activation
    for place in (argv_log, done.stdout, done.stderr, bundle.read_text(),
                  Path(f"{bundle}.state").read_text(), sandbox.record.read_text()):
        assert TOKEN not in place
    assert all("Authorization" not in e["headers"] for e in entries)


def test_activate_sets_the_ads_active(seed_bundle: tuple[Path, dict[str, Any]],
                                      tmp_path: Path) -> None:
    bundle, _ = seed_bundle
    with Sandbox(tmp_path) as sandbox:
        done = run_bundle(bundle, sandbox.url, "--activate")
        again = run_bundle(bundle, sandbox.url, "--activate")
        entries = sandbox.entries()
    assert done.returncode == 0 and again.returncode == 0, done.stderr + again.stderr
    ad_id = next(e["response"]["id"] for e in entries if e["path"].endswith("/ads"))
    activations = [e for e in entries if e["path"] == f"/v25.0/{ad_id}"]
    assert len(activations) == 1 and activations[0]["body"] == {"status": "ACTIVE"}
    assert all(e["body"]["status"] == "PAUSED" for e in creates(entries)
               if e["path"].rsplit("/", 1)[1] in ("campaigns", "adsets", "ads"))


def test_missing_token_stops_before_sending(seed_bundle: tuple[Path, dict[str, Any]],
                                            tmp_path: Path) -> None:
    bundle, _ = seed_bundle
    with Sandbox(tmp_path) as sandbox:
        done = run_bundle(bundle, sandbox.url, token=None)
        bad = run_bundle(bundle, sandbox.url, token='abc" \n--output /tmp/x')
        entries = sandbox.entries()
    assert done.returncode == 2 and "META_ACCESS_TOKEN is not set" in done.stderr
    assert bad.returncode == 2 and "META_ACCESS_TOKEN" in bad.stderr
    assert entries == []


def test_dry_run_sends_nothing(seed_bundle: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    bundle, plan = seed_bundle
    with Sandbox(tmp_path) as sandbox:
        done = run_bundle(bundle, sandbox.url, "--dry-run")
        entries = sandbox.entries()
    assert done.returncode == 0, done.stderr
    assert entries == [] and TOKEN not in done.stdout + done.stderr
    assert done.stdout.count("Authorization: OAuth <redacted>") == len(plan["requests"])
    assert '"(new id of campaign.quote_leads)"' in done.stdout  # not created yet
    assert done.stdout.startswith("+ lead_form.quote: create\n")  # the plan comes first
    assert not Path(f"{bundle}.state").exists()


def test_validate_only_asks_meta_to_validate(seed_bundle: tuple[Path, dict[str, Any]],
                                             tmp_path: Path) -> None:
    bundle, _ = seed_bundle
    with Sandbox(tmp_path) as sandbox:
        done = run_bundle(bundle, sandbox.url, "--validate-only")
        entries = sandbox.entries()
    assert done.returncode == 0, done.stderr
    assert entries and all(e["body"]["execution_options"] == ["validate_only"] for e in entries)
    assert all(e["response"] == {"success": True} for e in entries)
    assert "valid" in done.stdout and not Path(f"{bundle}.state").exists()


def test_killed_after_each_request_never_sends_twice(
        seed_bundle: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    bundle, plan = seed_bundle
    path = _curl_wrapper(tmp_path, kill_at=2)  # the 2nd curl of a run kills the bundle
    results = []
    with Sandbox(tmp_path) as sandbox:
        options: list[str] = []
        for _ in range(len(plan["requests"]) + 2):
            done = run_bundle(bundle, sandbox.url, *options, path=path)
            results.append(done.returncode)
            if done.returncode == 0:
                break
            # Killed with a create marked pending (the wrapper kills before curl
            # runs): a plain re-run stops; the record shows it never arrived, so
            # resuming with --retry-unknown is what the user would do.
            before = len(sandbox.entries())
            stopped = run_bundle(bundle, sandbox.url, path=path)
            assert stopped.returncode == 3 and "--retry-unknown" in stopped.stderr
            assert len(sandbox.entries()) == before
            options = ["--retry-unknown"]
        entries = sandbox.entries()
    assert results[-1] == 0 and results.count(-9) == len(plan["requests"]) - 1, results
    assert_plan_sent_once(plan, entries)
    assert len(entries) == len(plan["requests"])


# An HTTP 500 (code 2) may follow a create that was carried out: never
# retried (test_bundle_faults.py).
@pytest.mark.parametrize("code", ["17", "613", "80004"])
def test_transient_errors_are_retried(code: str, seed_bundle: tuple[Path, dict[str, Any]],
                                      tmp_path: Path) -> None:
    bundle, plan = seed_bundle
    with Sandbox(tmp_path, "--fail", f"2:{code}") as sandbox:
        done = run_bundle(bundle, sandbox.url)
        entries = sandbox.entries()
    assert done.returncode == 0, done.stderr
    assert "retrying campaign.quote_leads" in done.stderr
    assert len(entries) == len(plan["requests"]) + 1
    assert_plan_sent_once(plan, entries)


def test_invalid_parameter_stops_with_the_message_and_line(
        seed_bundle: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    bundle, plan = seed_bundle
    with Sandbox(tmp_path, "--fail", "2:100") as sandbox:
        done = run_bundle(bundle, sandbox.url)
        entries = sandbox.entries()
    assert done.returncode == 1
    campaign = plan["requests"][1]
    where = f"{campaign['key']} ({campaign['source']['file']}:{campaign['source']['line']})"
    assert f"Meta refused {where}" in done.stderr
    assert "code 100" in done.stderr and "Invalid parameter" in done.stderr
    assert "fbtrace_id: sandbox000002" in done.stderr
    assert len(entries) == 2  # not retried


def test_dropped_create_stops_without_resending(seed_bundle: tuple[Path, dict[str, Any]],
                                                tmp_path: Path) -> None:
    bundle, plan = seed_bundle
    with Sandbox(tmp_path, "--fail", "3:drop") as sandbox:
        done = run_bundle(bundle, sandbox.url)
        entries = sandbox.entries()
    assert done.returncode == 3, done.stderr
    assert "no answer for adset.quote_us" in done.stderr and "may or may not" in done.stderr
    assert len(entries) == 3 and entries[2]["status"] is None
    state = [json.loads(x) for x in Path(f"{bundle}.state").read_text().splitlines()]
    assert [s["key"] for s in state if "id" in s] == [r["key"] for r in plan["requests"][:2]]
    assert state[-1] == {"key": "adset.quote_us", "pending": True}


def test_a_live_lock_stops_a_second_run(seed_bundle: tuple[Path, dict[str, Any]],
                                        tmp_path: Path) -> None:
    bundle, _ = seed_bundle
    with open(f"{bundle}.state.lock", "a") as lock, Sandbox(tmp_path) as sandbox:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # what a running bundle holds
        done = run_bundle(bundle, sandbox.url)
        entries = sandbox.entries()
    assert done.returncode == 2 and "another run" in done.stderr and entries == []


def test_missing_jq_is_reported(seed_bundle: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    bundle, _ = seed_bundle
    only = tmp_path / "only"
    only.mkdir()
    for tool in ("bash", "curl", "mktemp", "rm"):
        found = shutil.which(tool)
        assert found
        (only / tool).symlink_to(found)
    done = run_bundle(bundle, "http://127.0.0.1:9", path=str(only))
    assert done.returncode == 2 and "jq is needed" in done.stderr


def test_retry_codes_come_from_the_facts_table(seed_bundle: tuple[Path, dict[str, Any]]) -> None:
    bundle, _ = seed_bundle
    text = bundle.read_text()
    assert f"readonly RETRY_CODES='{code_ranges(facts.RETRYABLE_CODES)}'\n" in text
    assert f"readonly NEVER_RETRY_CODES='{code_ranges(facts.NEVER_RETRY_CODES)}'\n" in text
    assert f"readonly UNSURE_CODES='{code_ranges(facts.OUTCOME_UNKNOWN_CODES)}'\n" in text
    assert json.loads(code_ranges(frozenset({1, 2, 4, 80000, 80001}))) == [[1, 2], [4, 4],
                                                                            [80000, 80001]]
    # Every code the bundle retries is named with its source and Meta's message.
    assert set(facts.GRAPH_ERRORS) >= facts.RETRYABLE_CODES
    assert all(e.message and e.source for e in facts.GRAPH_ERRORS.values())
