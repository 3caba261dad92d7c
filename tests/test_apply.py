"""`adflow apply` against `adflow sandbox`: Python carries out adflow plan's
decisions over the bundle's state file, with no bash, jq, curl or flock on
PATH (only the virtual environment's bin folder)."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from adflow.compiler.apply import runner as apply
from adflow.compiler.apply import saved as savedplan
from adflow.compiler.tools import changes
from conftest import (
    ADFLOW,
    BUNDLE_TIMEOUT,
    BUSY,
    HOLD_TIMEOUT,
    PINNED_DAY,
    ROOT,
    SAMPLES,
    TOKEN,
    FaultProxy,
    Sandbox,
    compile_bundle,
    created_at,
    run_bundle,
    whole_state,
)
from conftest import creates as create_requests

SEED = SAMPLES / "seed_lead_form.adflow"
V1 = ROOT / "tests/changes/v1.adflow"
V2 = ROOT / "tests/changes/v2.adflow"
VENV_BIN = str(Path(sys.executable).parent)


def alone(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The recorded requests, each item of a Graph batch as if sent alone
    (its path, its form body read, its answer; None when it had none)."""
    out = []
    for entry in entries:
        items = entry["body"].get("batch") if entry["path"].strip("/").count("/") == 0 else None
        if not isinstance(items, list):
            out.append(entry)
            continue
        answers = entry["response"] if isinstance(entry["response"], list) else []
        for number, item in enumerate(items):
            answer = answers[number] if number < len(answers) else None
            out.append({"method": item["method"], "path": "/" + item["relative_url"],
                        "body": {k: v[-1] for k, v in parse_qs(item["body"]).items()},
                        "batched": True,
                        "response": json.loads(answer["body"]) if answer else None})
    return out


def creates(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Recorded requests to a create edge, batched or not."""
    return create_requests(alone(entries))


def adflow_apply(*args: str, url: str, token: str | None = TOKEN,
                 **env: str) -> subprocess.CompletedProcess[str]:
    """adflow apply with PATH holding only the virtual environment's bin."""
    environment = {"PATH": VENV_BIN, "GRAPH_API_URL": url, "ADFLOW_RETRY_BASE_MS": "5",
                   "ADFLOW_TIMEOUT": "20", "SOURCE_DATE_EPOCH": PINNED_DAY, **env}
    if token is not None:
        environment["META_ACCESS_TOKEN"] = token
    return subprocess.run([ADFLOW, "apply", *args], env=environment, capture_output=True,
                          text=True, timeout=BUNDLE_TIMEOUT, check=False, cwd=ROOT)


def plan_of(source: Path, state: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ADFLOW, "plan", str(source), "--state", str(state), *options],
                          capture_output=True, text=True, timeout=60, check=False, cwd=ROOT,
                          env={**os.environ, "PATH": VENV_BIN})


def edited(tmp_path: Path, source: Path, old: str, new: str) -> Path:
    text = source.read_text()
    assert old in text
    changed = tmp_path / f"{source.stem}.edited.adflow"
    changed.write_text(text.replace(old, new))
    return changed


def creates_of(entries: list[dict[str, Any]]) -> list[str]:
    return [e["path"] for e in creates(entries) if "id" in (e["response"] or {})]


@pytest.mark.tools
def test_the_tools_the_bundle_needs_are_not_on_the_path_apply_runs_with() -> None:
    for tool in ("bash", "sh", "jq", "curl", "flock"):
        assert shutil.which(tool, path=VENV_BIN) is None, tool


@pytest.mark.slow
@pytest.mark.tools
def test_with_only_python_on_the_path_apply_creates_edits_and_plans_empty(
        tmp_path: Path) -> None:
    # A virtual environment of its own whose bin holds python alone (its
    # packages are the suite's, through a link).
    venv = Path(VENV_BIN).parent
    only = tmp_path / "bin"
    only.mkdir()
    (only / "python").symlink_to(sys.executable)
    (tmp_path / "pyvenv.cfg").write_text((venv / "pyvenv.cfg").read_text())
    (tmp_path / "lib").symlink_to(venv / "lib")
    assert [p.name for p in only.iterdir()] == ["python"]
    for tool in ("bash", "sh", "jq", "curl", "flock", "sha256sum"):
        assert shutil.which(tool, path=str(only)) is None, tool
    state = tmp_path / "live.state"

    def run(source: Path, *more: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(only / "python"), "-m", "adflow.compiler", *more, str(source), "--state",
             str(state)], capture_output=True, text=True, timeout=BUNDLE_TIMEOUT, check=False,
            cwd=ROOT, env={"PATH": str(only), "GRAPH_API_URL": sandbox.url,
                           "META_ACCESS_TOKEN": TOKEN, "SOURCE_DATE_EPOCH": PINNED_DAY})

    with Sandbox(tmp_path) as sandbox:
        first = run(V1, "apply", "--yes")
        second = run(V2, "apply", "--yes")
        after = run(V2, "plan")
    assert first.returncode == 0 and "4 created" in first.stdout, first.stderr
    assert second.returncode == 0 and "2 updated, 1 replaced" in second.stdout, second.stderr
    assert after.stdout.endswith("0 to create, 0 to update, 0 to replace, 4 unchanged, "
                                 "0 orphaned.\n"), after.stdout


@pytest.mark.slow
def test_apply_creates_then_updates_and_replaces_and_a_second_plan_is_empty(
        tmp_path: Path) -> None:
    state = tmp_path / "live.state"
    with Sandbox(tmp_path) as sandbox:
        first = adflow_apply(str(V1), "--state", str(state), "--yes", url=sandbox.url)
        assert first.returncode == 0, first.stderr
        assert "Apply complete: 4 created, 0 updated, 0 replaced, 0 unchanged" in first.stdout
        assert plan_of(V1, state).stdout.endswith(
            "Plan: 0 to create, 0 to update, 0 to replace, 4 unchanged, 0 orphaned.\n")
        second = adflow_apply(str(V2), "--state", str(state), "--yes", url=sandbox.url)
        assert second.returncode == 0, second.stderr
        assert "0 created, 2 updated, 1 replaced, 1 unchanged" in second.stdout
        again = plan_of(V2, state)
        entries = sandbox.entries()
    assert again.stdout.endswith(
        "Plan: 0 to create, 0 to update, 0 to replace, 4 unchanged, 0 orphaned.\n"), again.stdout
    assert len(creates_of(entries)) == 5  # four, then the replaced creative
    for result in (first, second):
        assert TOKEN not in result.stdout + result.stderr
    assert TOKEN not in state.read_text()


@pytest.mark.slow
@pytest.mark.tools
@pytest.mark.parametrize("batched", [False, True])
def test_apply_writes_the_same_state_as_the_bundle(batched: bool, tmp_path: Path) -> None:
    bundle, _ = compile_bundle(SEED, tmp_path)
    with Sandbox(tmp_path) as sandbox:
        assert run_bundle(bundle, sandbox.url).returncode == 0
    (tmp_path / "apply").mkdir()
    with Sandbox(tmp_path / "apply") as sandbox:
        done = adflow_apply(str(SEED), "--state", str(tmp_path / "apply.state"), "--yes",
                            *([] if batched else ["--no-batch"]), url=sandbox.url)
        entries = sandbox.entries()
    assert done.returncode == 0, done.stderr
    made, expected = (tmp_path / "apply.state").read_text(), Path(f"{bundle}.state").read_text()
    assert len(entries) == (1 if batched else 5)
    if not batched:
        assert made == expected
    else:  # each marked pending before the batch, then each line as if sent alone
        lines = made.splitlines()
        assert lines[:5] == [line for line in expected.splitlines() if '"pending"' in line]
        assert lines[5:] == [line for line in expected.splitlines() if '"pending"' not in line]


@pytest.mark.slow
@pytest.mark.tools
def test_a_bundle_state_is_carried_on_by_apply_and_the_reverse(tmp_path: Path) -> None:
    (tmp_path / "v1").mkdir()
    (tmp_path / "v2").mkdir()
    v1, _ = compile_bundle(V1, tmp_path / "v1")
    v2, _ = compile_bundle(V2, tmp_path / "v2")
    state = tmp_path / "shared.state"
    with Sandbox(tmp_path) as sandbox:
        assert run_bundle(v1, sandbox.url, ADFLOW_STATE=str(state)).returncode == 0
        done = adflow_apply(str(V2), "--state", str(state), "--yes", url=sandbox.url)
        assert done.returncode == 0, done.stderr
        assert "2 updated, 1 replaced, 1 unchanged" in done.stdout
        after = run_bundle(v2, sandbox.url, ADFLOW_STATE=str(state))
    assert after.returncode == 0, after.stderr
    assert after.stdout.endswith("done: 0 request(s) sent\n")


@pytest.mark.slow
def test_without_a_terminal_apply_needs_yes_and_sends_nothing(tmp_path: Path) -> None:
    state = tmp_path / "live.state"
    with Sandbox(tmp_path) as sandbox:
        done = adflow_apply(str(SEED), "--state", str(state), url=sandbox.url)
        entries = sandbox.entries()
    assert done.returncode == 2 and "--yes" in done.stderr
    assert "+ campaign.quote_leads: create" in done.stdout  # the plan is shown first
    assert entries == [] and state.read_text() == ""


@pytest.mark.slow
@pytest.mark.parametrize("answer, status", [("no", 1), ("yes", 0)])
def test_on_a_terminal_apply_shows_the_plan_and_asks(answer: str, status: int,
                                                     tmp_path: Path) -> None:
    state = tmp_path / "live.state"
    with Sandbox(tmp_path) as sandbox:
        leader, follower = pty.openpty()
        run = subprocess.Popen([ADFLOW, "apply", str(SEED), "--state", str(state)],
                               stdin=follower, stdout=follower, stderr=subprocess.PIPE,
                               env={"PATH": VENV_BIN, "GRAPH_API_URL": sandbox.url,
                                    "META_ACCESS_TOKEN": TOKEN, "TERM": "dumb"}, cwd=ROOT)
        os.close(follower)
        shown = b""
        while b"Only 'yes' goes on" not in shown:
            shown += os.read(leader, 4096)
        os.write(leader, answer.encode() + b"\n")
        assert run.wait(BUNDLE_TIMEOUT) == status
        os.close(leader)
        entries = sandbox.entries()
    assert b"Plan: 5 to create" in shown
    assert len(creates_of(entries)) == (5 if answer == "yes" else 0)


@pytest.mark.slow
def test_dry_run_needs_no_token_and_sends_nothing(tmp_path: Path) -> None:
    with Sandbox(tmp_path) as sandbox:
        done = adflow_apply(str(SEED), "--state", str(tmp_path / "s"), "--dry-run",
                            url=sandbox.url, token=None)
        entries = sandbox.entries()
    assert done.returncode == 0, done.stderr
    assert entries == [] and not (tmp_path / "s").exists()
    assert "Authorization: OAuth <redacted>" in done.stdout
    assert f"POST {sandbox.url}/v25.0/act_1234567890/campaigns" in done.stdout
    assert '"adset_id":"(new id of adset.quote_us)"' in done.stdout


@pytest.mark.slow
def test_a_missing_or_odd_token_stops_before_sending(tmp_path: Path) -> None:
    for token, says in ((None, "META_ACCESS_TOKEN is not set"),
                        ("a b", "characters no access token has")):
        done = adflow_apply(str(SEED), "--state", str(tmp_path / "s"), "--yes",
                            url="http://127.0.0.1:9", token=token)
        assert done.returncode == 2 and says in done.stderr


@pytest.mark.slow
def test_validate_only_writes_no_state_and_asks_meta_to_validate(tmp_path: Path) -> None:
    state = tmp_path / "live.state"
    with Sandbox(tmp_path) as sandbox:
        done = adflow_apply(str(SEED), "--state", str(state), "--validate-only",
                            url=sandbox.url)
        entries = sandbox.entries()
    assert done.returncode == 0, done.stderr
    assert "lead_form.quote (line 7): valid" in done.stdout
    assert "not validated, it needs ids" in done.stdout
    assert not state.exists()
    assert all(e["body"].get("execution_options") == ["validate_only"] for e in entries)


@pytest.mark.slow
def test_activate_sets_the_ads_active_once(tmp_path: Path) -> None:
    state = tmp_path / "live.state"
    with Sandbox(tmp_path) as sandbox:
        done = adflow_apply(str(SEED), "--state", str(state), "--yes", "--activate",
                            url=sandbox.url)
        again = adflow_apply(str(SEED), "--state", str(state), "--yes", "--activate",
                             url=sandbox.url)
        entries = sandbox.entries()
    assert done.returncode == 0 and again.returncode == 0, done.stderr + again.stderr
    assert "ad.quote_ad: ACTIVE" in done.stdout and "ACTIVE" not in again.stdout
    assert [e["body"] for e in entries if e["body"].get("status") == "ACTIVE"] == [
        {"status": "ACTIVE"}]
    assert changes.read_state(state.read_text())["ad.quote_ad"].activated


@pytest.mark.slow
def test_a_refused_create_is_blamed_on_its_line_and_settled(tmp_path: Path) -> None:
    state = tmp_path / "live.state"
    with Sandbox(tmp_path, "--fail", "3:100/1487079:targeting.geo_locations") as sandbox:
        done = adflow_apply(str(SEED), "--state", str(state), "--yes", "--no-batch",
                            url=sandbox.url)
    assert done.returncode == 1, done.stderr
    assert "Meta refused adset.quote_us" in done.stderr
    line = next(n for n, text in enumerate(SEED.read_text().splitlines(), 1)
                if "countries" in text)
    assert f"seed_lead_form.adflow:{line}:" in done.stderr
    records = changes.read_state(state.read_text())
    assert not records["adset.quote_us"].pending and records["adset.quote_us"].id is None


@pytest.mark.slow
@pytest.mark.parametrize("code", ["500", "2", "17"])
def test_transient_answers_are_retried_and_an_unknown_create_stops(code: str,
                                                                   tmp_path: Path) -> None:
    state = tmp_path / "live.state"
    with Sandbox(tmp_path, "--fail", f"2:{code}") as sandbox:
        done = adflow_apply(str(SEED), "--state", str(state), "--yes", "--no-batch",
                            url=sandbox.url)
        entries = sandbox.entries()
    if code == "17":  # a rate limit proves nothing was made: retried
        assert done.returncode == 0, done.stderr
        assert "throttled by Meta (code 17)" in done.stderr
        assert len(creates_of(entries)) == 5
    else:  # code 2 (alone, or with HTTP 500) may come after the create was carried out
        assert done.returncode == 3, done.stderr
        assert "--assume-created campaign.quote_leads=ID" in done.stderr
        assert changes.read_state(state.read_text())["campaign.quote_leads"].pending


@pytest.mark.slow
def test_a_dropped_create_stops_until_told_then_goes_on(tmp_path: Path) -> None:
    state = tmp_path / "live.state"
    with Sandbox(tmp_path, "--fail", "2:drop") as sandbox:
        first = adflow_apply(str(SEED), "--state", str(state), "--yes", "--no-batch",
                             url=sandbox.url)
        assert first.returncode == 3, first.stderr
        assert "it is recorded as pending" in first.stderr
        stopped = adflow_apply(str(SEED), "--state", str(state), "--yes", url=sandbox.url)
        assert stopped.returncode == 3 and "was sent by an earlier run" in stopped.stderr
        made = [e["response"]["id"] for e in creates(sandbox.entries())
                if "id" in (e["response"] or {})]
        resumed = adflow_apply(str(SEED), "--state", str(state), "--yes",
                               "--assume-created", f"campaign.quote_leads={made[1]}",
                               url=sandbox.url)
        entries = sandbox.entries()
    assert resumed.returncode == 0, resumed.stderr
    assert len(creates_of(entries)) == 5  # nothing created twice
    assert changes.read_state(state.read_text())["campaign.quote_leads"].id == made[1]
    assert plan_of(SEED, state).stdout.endswith("5 unchanged, 0 orphaned.\n")


@pytest.mark.slow
def test_retry_unknown_sends_a_pending_create_again(tmp_path: Path) -> None:
    state = tmp_path / "live.state"
    state.write_text('{"key":"lead_form.quote","pending":true}\n')
    with Sandbox(tmp_path) as sandbox:
        stopped = adflow_apply(str(SEED), "--state", str(state), "--yes", url=sandbox.url)
        done = adflow_apply(str(SEED), "--state", str(state), "--yes", "--retry-unknown",
                            url=sandbox.url)
        entries = sandbox.entries()
    assert stopped.returncode == 3 and done.returncode == 0, done.stderr
    assert len(creates_of(entries)) == 5


@pytest.mark.slow
def test_a_held_lock_stops_a_second_run(tmp_path: Path) -> None:
    state = tmp_path / "live.state"
    state.write_text("")
    # flock(1), as the bundle takes it, on the real file's lock.
    with open(f"{state}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = adflow_apply(str(SEED), "--state", str(state), "--yes", url="http://127.0.0.1:9")
    assert done.returncode == 2 and "another run is using" in done.stderr


@pytest.mark.slow
def test_a_damaged_state_stops_with_its_line(tmp_path: Path) -> None:
    state = tmp_path / "live.state"
    state.write_text('{"key":"lead_form.quote","pending":true}\nnot json\n')
    done = adflow_apply(str(SEED), "--state", str(state), "--yes", url="http://127.0.0.1:9")
    assert done.returncode == 2 and f"{state}:2: damaged" in done.stderr


# -- saved plans ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_saved_plan_is_carried_out_exactly_and_refused_once_the_state_changed(
        tmp_path: Path) -> None:
    state = tmp_path / "live.state"
    saved = tmp_path / "changes.json"
    with Sandbox(tmp_path) as sandbox:
        assert adflow_apply(str(V1), "--state", str(state), "--yes",
                            url=sandbox.url).returncode == 0
        assert plan_of(V2, state, "-o", str(saved)).returncode == 0
        data = json.loads(saved.read_text())
        assert data["state"]["digest"] == savedplan.state_digest(state.read_bytes())
        done = adflow_apply("--plan", str(saved), "--yes", url=sandbox.url)
        assert done.returncode == 0, done.stderr
        assert "2 updated, 1 replaced, 1 unchanged" in done.stdout
        assert plan_of(V2, state).stdout.endswith("4 unchanged, 0 orphaned.\n")
        # Another plan applied since: the first one no longer fits the state.
        v3 = edited(tmp_path, V2, "daily_budget 4000", "daily_budget 4500")
        stale_plan = tmp_path / "stale.json"
        assert plan_of(v3, state, "-o", str(stale_plan)).returncode == 0
        assert adflow_apply(str(V2), "--state", str(state), "--yes", "--activate",
                            url=sandbox.url).returncode == 0
        before = len(sandbox.entries())
        stale = adflow_apply("--plan", str(stale_plan), "--yes", url=sandbox.url)
        assert len(sandbox.entries()) == before
    assert stale.returncode == 2
    assert "the saved plan is stale: run adflow plan again" in stale.stderr


@pytest.mark.slow
def test_a_saved_plan_goes_on_after_an_unknown_outcome(tmp_path: Path) -> None:
    state = tmp_path / "live.state"
    saved = tmp_path / "changes.json"
    assert plan_of(SEED, state, "-o", str(saved)).returncode == 0
    with Sandbox(tmp_path, "--fail", "3:drop") as sandbox:
        first = adflow_apply("--plan", str(saved), "--yes", "--no-batch", url=sandbox.url)
        assert first.returncode == 3, first.stderr
        assert f"adflow apply --plan {saved} --yes --no-batch --retry-unknown" in first.stderr
        made = creates_of(sandbox.entries())
        ids = [e["response"]["id"] for e in creates(sandbox.entries())
               if "id" in (e["response"] or {})]
        resumed = adflow_apply("--plan", str(saved), "--yes", "--assume-created",
                               f"adset.quote_us={ids[2]}", url=sandbox.url)
        entries = sandbox.entries()
    assert len(made) == 3 and resumed.returncode == 0, resumed.stderr
    assert len(creates_of(entries)) == 5
    assert plan_of(SEED, state).stdout.endswith("5 unchanged, 0 orphaned.\n")


@pytest.mark.slow
def test_plan_writes_json_for_an_output_named_json_and_text_otherwise(tmp_path: Path) -> None:
    state = tmp_path / "none.state"
    assert plan_of(SEED, state, "-o", str(tmp_path / "p.json")).returncode == 0
    assert json.loads((tmp_path / "p.json").read_text())["requests"][0]["key"] == (
        "lead_form.quote")
    assert plan_of(SEED, state, "-o", str(tmp_path / "p.txt")).returncode == 0
    assert (tmp_path / "p.txt").read_text().startswith("+ lead_form.quote: create\n")


@pytest.mark.slow
def test_apply_refuses_a_file_that_is_not_a_saved_plan(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    subprocess.run([ADFLOW, "compile", str(SEED), "-o", str(plan)], check=True, cwd=ROOT)
    done = adflow_apply("--plan", str(plan), "--yes", url="http://127.0.0.1:9")
    assert done.returncode == 2 and "not a saved plan" in done.stderr


# -- Meta's answers, judged by code ---------------------------------------------------------------


def _reply(status: int | None, answer: Any, headers: dict[str, str] | None = None,
           sent: bool = True) -> apply.Reply:
    return apply.Reply(status, answer, headers or {}, sent=sent)


def _error(code: int, **more: Any) -> dict[str, Any]:
    return {"error": {"message": "whatever the text says", "code": code, **more}}


@pytest.mark.parametrize("reply, expected", [
    (_reply(200, {"id": "1"}), "ok"),
    (_reply(200, None), "unknown"),  # a 2xx that is not JSON
    (_reply(502, None), "unknown"),
    (_reply(None, None, sent=True), "unknown"),  # sent, no answer
    (_reply(None, None, sent=False), "retry"),  # never reached Meta
    (_reply(400, _error(100)), "fail"),
    (_reply(400, _error(100, error_subcode=1487742)), "retry"),  # throttling subcode
    (_reply(400, _error(80004, error_subcode=2446079)), "retry"),
    (_reply(400, _error(613)), "retry"),
    (_reply(500, _error(2, is_transient=True)), "unsure"),
    (_reply(500, _error(1)), "unsure"),
    (_reply(400, {**_error(100), "id": "5"}), "unsure"),  # an id beside an error
    (_reply(400, _error(190, is_transient=True)), "fail"),  # never-retry wins
    (_reply(400, _error(9999, is_transient=True)), "retry"),
])
def test_answers_are_judged_by_code_never_by_text(reply: apply.Reply, expected: str) -> None:
    assert apply.verdict(reply) == expected


def test_usage_headers_are_read_for_the_highest_share_and_the_wait() -> None:
    usage = apply.usage_of({
        "x-app-usage": '{"call_count": 12, "total_cputime": 40, "total_time": 3}',
        "X-Ad-Account-Usage": '{"acc_id_util_pct": 91.5, "reset_time_duration": 120}',
        "X-Business-Use-Case-Usage": json.dumps({"123": [{
            "type": "ads_management", "call_count": 80, "total_cputime": 10, "total_time": 9,
            "estimated_time_to_regain_access": 3}]}),
    })
    assert usage.percent == 91.5 and "acc_id_util_pct" in usage.what
    assert usage.regain_seconds == 180
    at_limit = apply.usage_of({"X-Ad-Account-Usage":
                               '{"acc_id_util_pct": 100, "reset_time_duration": 240}'})
    assert at_limit.regain_seconds == 240
    assert apply.usage_of({"X-App-Usage": "not json"}) == apply.Usage()
    assert apply.slowdown_seconds(apply.Usage(50), 1000) == 0
    assert apply.slowdown_seconds(apply.Usage(100), 1000) == 10


class _Script:
    """A stand-in for the HTTP client: answers in turn, recording what was sent."""

    def __init__(self, *replies: apply.Reply) -> None:
        self.replies = list(replies)
        self.sent: list[tuple[str, str, str]] = []

    def __call__(self, method: str, url: str, body: str,
                 content_type: str = apply.JSON) -> apply.Reply:
        self.sent.append((method, url, body))
        return self.replies.pop(0)


class _Clock:
    """A clock for Run: sleeping moves it on at once (no test really waits)."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def _seed_run(tmp_path: Path, client: _Script | None, url: str = "http://graph.test",
              steps: int = 1) -> tuple[apply.Run, list[tuple[float, str]]]:
    from adflow.compiler.pipeline import check_file
    from adflow.compiler.project.config import Config
    from adflow.emitters.requests import plan_request

    document = check_file(SEED, Config()).document
    assert document is not None
    planned = apply.steps_of([plan_request(r) for r in document.requests],
                             changes.plan_changes(document, {}))
    state = apply.StateFile(str(tmp_path / "state"))
    settings = apply.Settings(url, TOKEN, retry_base_ms=1000, max_attempts=4)
    out = apply.Output(open(os.devnull, "w"), sys.stderr)  # noqa: SIM115
    run = apply.Run(planned[:steps], "v25.0", state, settings, apply.Options(), out, client)
    clock = _Clock()
    run.clock, run.sleep = clock, clock.sleep
    waits: list[tuple[float, str]] = []
    pause = run.pause

    def recorded(seconds: float, why: str) -> None:
        waits.append((seconds, why))
        before = clock.now
        pause(seconds, why)
        assert clock.now - before >= seconds  # waited all of it, on the test's clock

    run.pause = recorded  # type: ignore[method-assign]
    return run, waits


def test_throttling_waits_what_meta_asks_and_says_so(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    usage = json.dumps({"9": [{"type": "ads_management", "call_count": 100,
                               "estimated_time_to_regain_access": 2}]})
    client = _Script(_reply(400, _error(80004, error_subcode=2446079),
                            {"X-Business-Use-Case-Usage": usage}),
                     _reply(200, {"id": "42"}, {"X-App-Usage": '{"call_count": 95}'}))
    run, waits = _seed_run(tmp_path, client)
    run.run({})
    assert len(client.sent) == 2
    assert waits[0][0] == 120 and "throttled by Meta (code 80004/2446079)" in waits[0][1]
    assert "estimated_time_to_regain_access" in waits[0][1]
    assert "slowing down" in waits[1][1] and "95%" in waits[1][1]
    assert "throttled by Meta (code 80004/2446079): waiting 2 min" in capsys.readouterr().err


def test_a_wait_longer_than_a_day_stops_the_run(tmp_path: Path) -> None:
    usage = json.dumps({"9": [{"estimated_time_to_regain_access": 1441}]})
    run, waits = _seed_run(tmp_path, _Script(_reply(400, _error(4),
                                                    {"X-Business-Use-Case-Usage": usage})))
    with pytest.raises(apply.Stop) as stopped:
        run.run({})
    assert stopped.value.status == 1 and waits == []
    assert changes.read_state((tmp_path / "state").read_text())["lead_form.quote"].id is None


def test_a_state_line_cut_by_a_full_disk_is_taken_back(tmp_path: Path) -> None:
    import resource

    state = apply.StateFile(str(tmp_path / "state"))
    assert state.append('{"key":"a","pending":true}') is None
    size = (tmp_path / "state").stat().st_size
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    import signal

    old = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size + 10, hard))
    try:
        fault = state.append('{"key":"a","id":"1234567890","fields":{"long":"enough"}}')
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, old)
    assert fault is not None
    assert (tmp_path / "state").read_text() == '{"key":"a","pending":true}\n'


# -- faults: both runtimes ------------------------------------------------------------------------

# name: (the proxy's faults, the signal sent while request 2 is held, the first
# run's exit status for the bundle, for apply). On a terminal's Ctrl-C the
# bundle's curl dies with it (the create's outcome is unknown: 3); apply waits
# for the answer in flight and records it, as the bundle does for SIGTERM.
FAULTS: dict[str, tuple[dict[int, str], str, int, int]] = {
    "reset after send": ({2: "reset"}, "", 3, 3),
    "cut answer": ({2: "cut"}, "", 3, 3),
    "slow answer": ({2: "slow"}, "", 3, 3),
    "throttling with usage headers": ({2: "throttle", 3: "throttle"}, "", 0, 0),
    "500 mid-run": ({3: "500"}, "", 3, 3),
    "SIGINT": ({2: "hold"}, "INT", 3, 130),
    "SIGTERM": ({2: "hold"}, "TERM", 143, 143),
}


def start_runtime(runtime: str, bundle: Path, url: str, state: Path,
                  *options: str) -> subprocess.Popen[str]:
    """The bundle (bash, curl, jq, flock) or adflow apply (nothing but Python
    on PATH), in a session of its own, as a terminal would start it."""
    environment = {"GRAPH_API_URL": url, "ADFLOW_RETRY_BASE_MS": "5", "ADFLOW_TIMEOUT": "1",
                   "META_ACCESS_TOKEN": TOKEN, "ADFLOW_STATE": str(state),
                   "SOURCE_DATE_EPOCH": PINNED_DAY}
    if runtime == "bundle":
        command = ["bash", str(bundle), *options]
        environment["PATH"] = os.environ["PATH"]
    else:
        command = [ADFLOW, "apply", str(SEED), "--state", str(state), "--yes", "--no-batch",
                   *options]
        environment["PATH"] = VENV_BIN
    return subprocess.Popen(command, env=environment, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True, cwd=ROOT)


def finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    try:
        _, err = process.communicate(timeout=BUNDLE_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        _, err = process.communicate()
    return process.returncode, err


def faulted_run(runtime: str, fault: str, folder: Path) -> tuple[int, str, bytes]:
    """One runtime through `fault`, then what a person does next (run again;
    after exit 3 look the create up at "Meta", the sandbox's record, and say
    what became of it) until it is done. Returns the first exit status and
    its stderr, and the state at the end; checks on the way that nothing was
    created twice and the state stayed readable."""
    faults, sent, _, _ = FAULTS[fault]
    folder.mkdir()
    bundle, plan = compile_bundle(SEED, folder)
    state = folder / "state"
    with Sandbox(folder) as sandbox, FaultProxy(sandbox.url, faults) as proxy:
        run = start_runtime(runtime, bundle, proxy.url, state)
        if sent:
            assert proxy.held.wait(HOLD_TIMEOUT), finish(run)
            sig = getattr(signal, f"SIG{sent}")
            if sent == "INT":  # Ctrl-C on a terminal: to the whole group
                os.killpg(run.pid, sig)
            else:
                os.kill(run.pid, sig)
            time.sleep(0.2)
            proxy.release()
        first, first_err = finish(run)
        code, err = first, first_err
        assert TOKEN not in err
        for _ in range(4):
            records = whole_state(state)
            if code == 0:
                break
            options: list[str] = []
            if code == 3:
                pending = [k for k, r in records.items() if r.pending]
                assert len(pending) == 1, records
                found = created_at(plan, alone(sandbox.entries())).get(pending[0])
                options = (["--assume-created", f"{pending[0]}={found[-1]}"] if found
                           else ["--retry-unknown"])
            code, err = finish(start_runtime(runtime, bundle, sandbox.url, state, *options))
            assert TOKEN not in err
        assert code == 0, err
        found = created_at(plan, alone(sandbox.entries()))
    assert {key: len(ids) for key, ids in found.items()} == {
        r["key"]: 1 for r in plan["requests"]}, found
    assert {k: r.id for k, r in whole_state(state).items()} == {
        k: v[0] for k, v in found.items()}
    assert TOKEN not in state.read_text()
    return first, first_err, state.read_bytes()


@pytest.mark.slow
@pytest.mark.parametrize("fault", list(FAULTS))
def test_under_each_fault_both_runtimes_create_nothing_twice_and_end_the_same_way(
        fault: str, tmp_path: Path) -> None:
    _, _, bundle_status, apply_status = FAULTS[fault]
    bundle_first, bundle_err, bundle_state = faulted_run("bundle", fault, tmp_path / "bundle")
    apply_first, apply_err, apply_state = faulted_run("apply", fault, tmp_path / "apply")
    assert bundle_first == bundle_status, bundle_err
    assert apply_first == apply_status, apply_err
    # The same requests answered the same way: the same state, byte for byte.
    assert bundle_state == apply_state or fault == "SIGINT"
    ids = [{k: r.id for k, r in changes.read_state(s.decode()).items()}
           for s in (bundle_state, apply_state)]
    assert ids[0] == ids[1]


@pytest.mark.slow
def test_a_signal_during_an_update_stops_with_its_status_and_a_rerun_sends_it_again(
        tmp_path: Path) -> None:
    state = tmp_path / "state"
    with Sandbox(tmp_path) as sandbox:
        assert adflow_apply(str(V1), "--state", str(state), "--yes",
                            url=sandbox.url).returncode == 0
        before = state.read_bytes()
        with FaultProxy(sandbox.url, {1: "hold"}) as proxy:
            run = subprocess.Popen(
                [ADFLOW, "apply", str(V2), "--state", str(state), "--yes", "--no-batch"],
                text=True,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
                env={"PATH": VENV_BIN, "GRAPH_API_URL": proxy.url, "META_ACCESS_TOKEN": TOKEN,
                     "SOURCE_DATE_EPOCH": PINNED_DAY})
            assert proxy.held.wait(HOLD_TIMEOUT), finish(run)
            run.send_signal(signal.SIGTERM)
            status, err = finish(run)
        assert status == 143, err
        assert "pending" not in err  # an update is never pending: it repeats safely
        assert state.read_bytes() == before
        again = adflow_apply(str(V2), "--state", str(state), "--yes", url=sandbox.url)
    assert again.returncode == 0, again.stderr
    assert "2 updated, 1 replaced, 1 unchanged" in again.stdout


@pytest.mark.slow
def test_through_a_throttling_proxy_apply_waits_what_the_headers_ask_then_slows_down(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    usage = json.dumps({"7": [{"type": "ads_management", "call_count": 100,
                               "estimated_time_to_regain_access": 3}]})
    with Sandbox(tmp_path) as sandbox, FaultProxy(sandbox.url, {1: "throttle", 2: "busy"},
                                                  usage) as proxy:
        run, waits = _seed_run(tmp_path, None, proxy.url)
        tally = run.run({})
        run.close()
        made = created_at({"api_version": "v25.0", "requests": [
            {"key": "lead_form.quote", "path": run.steps[0].path}]}, alone(sandbox.entries()))
    assert proxy.count == 2 and len(made["lead_form.quote"]) == 1
    assert [s for s, _ in waits][0] == 180  # 3 minutes, as Meta asked
    assert "throttled by Meta (code 80004/2446079): waiting 3 min" in waits[0][1]
    assert "Meta reports 90% of a limit used (X-Ad-Account-Usage acc_id_util_pct)" in (
        waits[1][1])
    assert tally.created == [("lead_form.quote", made["lead_form.quote"][0])]
    err = capsys.readouterr().err
    assert "waiting 3 min, as estimated_time_to_regain_access asks" in err


# -- Graph batches --------------------------------------------------------------------------------


def _items(*answers: tuple[int, Any]) -> apply.Reply:
    """A batch's answer: one {code, body} per item."""
    return _reply(200, [{"code": code, "headers": [], "body": json.dumps(body)}
                        for code, body in answers])


def _batch_of(sent: tuple[str, str, str]) -> list[dict[str, Any]]:
    batch: list[dict[str, Any]] = json.loads(parse_qs(sent[2])["batch"][0])
    return batch


UNRESOLVED = _error(100)  # what Meta answers an item whose {result=...} has no value


def test_one_batch_carries_the_plan_with_references_and_records_each_as_if_alone(
        tmp_path: Path) -> None:
    client = _Script(_items((200, {"id": "1"}), (200, {"id": "2"}), (200, {"id": "3"}),
                            (200, {"id": "4"}), (200, {"id": "5"})))
    run, _ = _seed_run(tmp_path, client, steps=5)
    tally = run.run({})
    assert len(client.sent) == 1 and client.sent[0][1] == "http://graph.test/v25.0/"
    items = _batch_of(client.sent[0])
    assert [i["name"] for i in items] == ["s0", "s1", "s2", "s3", "s4"]
    assert all(i["omit_response_on_success"] is False for i in items)
    assert "campaign_id={result=s1:$.id}" in items[2]["body"]  # the adset needs the campaign
    assert [k for k, _ in tally.created] == [s.key for s in run.steps]
    lines = [json.loads(line) for line in (tmp_path / "state").read_text().splitlines()]
    assert [line.get("pending") for line in lines[:5]] == [True] * 5
    done = lines[5:]
    assert [line["id"] for line in done] == ["1", "2", "3", "4", "5"]
    assert done[2]["fields"]["campaign_id"] == "2"  # as the adset would have been sent alone


def test_a_batch_near_a_limit_slows_the_run_down(tmp_path: Path) -> None:
    answer = _items((200, {"id": "1"}), (200, {"id": "2"}))
    answer.headers.update({"X-Ad-Account-Usage": BUSY})
    run, waits = _seed_run(tmp_path, _Script(answer), steps=2)
    run.run({})
    assert len(waits) == 1 and "90% of a limit used" in waits[0][1]


def test_a_batch_item_throttled_is_sent_again_alone_with_what_needed_it(tmp_path: Path) -> None:
    throttle = _error(17)
    client = _Script(_items((200, {"id": "1"}), (400, throttle), (400, UNRESOLVED),
                            (200, {"id": "4"}), (400, UNRESOLVED)),
                     _reply(200, {"id": "2"}), _reply(200, {"id": "3"}),
                     _reply(200, {"id": "5"}))
    run, _ = _seed_run(tmp_path, client, steps=5)
    run.run({})
    assert [url.rsplit("/", 1)[1] for _, url, _ in client.sent[1:]] == [
        "campaigns", "adsets", "ads"]
    records = changes.read_state((tmp_path / "state").read_text())
    assert {k: (r.id, r.pending) for k, r in records.items()} == {
        "lead_form.quote": ("1", False), "campaign.quote_leads": ("2", False),
        "adset.quote_us": ("3", False), "creative.quote_image": ("4", False),
        "ad.quote_ad": ("5", False)}


def test_a_batch_item_with_an_unknown_outcome_stays_pending_and_stops(tmp_path: Path) -> None:
    client = _Script(_items((200, {"id": "1"}), (500, _error(2, is_transient=True)),
                            (400, UNRESOLVED), (200, {"id": "4"}), (400, UNRESOLVED)))
    run, _ = _seed_run(tmp_path, client, steps=5)
    with pytest.raises(apply.Stop) as stopped:
        run.run({})
    assert stopped.value.status == 3 and len(client.sent) == 1
    assert "--assume-created campaign.quote_leads=ID" in str(stopped.value)
    records = changes.read_state((tmp_path / "state").read_text())
    assert [k for k, r in records.items() if r.pending] == ["campaign.quote_leads"]
    assert records["creative.quote_image"].id == "4" and records["adset.quote_us"].id is None


def test_a_batch_item_refused_is_blamed_and_the_rest_recorded(tmp_path: Path) -> None:
    client = _Script(_items((200, {"id": "1"}), (400, _error(100, error_user_msg="no")),
                            (400, UNRESOLVED), (200, {"id": "4"}), (400, UNRESOLVED)))
    run, _ = _seed_run(tmp_path, client, steps=5)
    with pytest.raises(apply.Stop) as stopped:
        run.run({})
    assert stopped.value.status == 1 and "Meta refused campaign.quote_leads" in str(
        stopped.value)
    records = changes.read_state((tmp_path / "state").read_text())
    assert not any(r.pending for r in records.values())
    assert {k: r.id for k, r in records.items() if r.id} == {
        "lead_form.quote": "1", "creative.quote_image": "4"}


def test_a_batch_holds_one_ad_set_per_campaign_and_no_reference_text(tmp_path: Path) -> None:
    run, _ = _seed_run(tmp_path, None, steps=5)
    campaign, adset = run.steps[1], run.steps[2]
    todo = [("", campaign), ("", adset)]
    second = apply.Step("adset.other", "create", None, (), adset.path,
                        {**adset.body, "name": "other"}, adset.source)
    assert not run.fits(todo, second)  # Meta's rule for ad sets of one campaign
    assert run.fits(todo[:1], second)
    tricky = apply.Step("campaign.b", "create", None, (), campaign.path,
                        {**campaign.body, "name": "{result=s0:$.id}"}, campaign.source)
    assert not run.fits([], tricky)  # Meta would replace the user's text
    assert not run.fits([("", run.steps[0])] * 50, run.steps[1])


BATCH_FAULTS = {  # the proxy's fault for the batch: the first run's exit status
    "reset": 3, "cut": 3, "slow": 3, "500": 3, "throttle": 0, "hold": 130}


@pytest.mark.slow
@pytest.mark.parametrize("fault", list(BATCH_FAULTS))
def test_a_faulted_batch_creates_nothing_twice(fault: str, tmp_path: Path) -> None:
    bundle, plan = compile_bundle(SEED, tmp_path)
    state = tmp_path / "state"
    with Sandbox(tmp_path) as sandbox, FaultProxy(sandbox.url, {1: fault}) as proxy:
        run = subprocess.Popen(
            [ADFLOW, "apply", str(SEED), "--state", str(state), "--yes"], text=True,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, start_new_session=True,
            env={"PATH": VENV_BIN, "GRAPH_API_URL": proxy.url, "META_ACCESS_TOKEN": TOKEN,
                 "ADFLOW_TIMEOUT": "1", "ADFLOW_RETRY_BASE_MS": "5",
                 "SOURCE_DATE_EPOCH": PINNED_DAY})
        if fault == "hold":  # Ctrl-C while the batch is in flight
            assert proxy.held.wait(HOLD_TIMEOUT), finish(run)
            os.killpg(run.pid, signal.SIGINT)
            time.sleep(0.2)
            proxy.release()
        status, err = finish(run)
        assert status == BATCH_FAULTS[fault], err
        records = whole_state(state)
        pending = [k for k, r in records.items() if r.pending]
        assert (status == 3) == bool(pending), records
        found = created_at(plan, alone(sandbox.entries()))
        options = [f"--assume-created={k}={found[k][0]}" for k in pending if k in found]
        if any(k not in found for k in pending):
            options.append("--retry-unknown")
        again = adflow_apply(str(SEED), "--state", str(state), "--yes", *options,
                             url=sandbox.url)
        assert again.returncode == 0, again.stderr
        found = created_at(plan, alone(sandbox.entries()))
    assert {k: len(v) for k, v in found.items()} == {r["key"]: 1 for r in plan["requests"]}
    assert {k: r.id for k, r in whole_state(state).items()} == {
        k: v[0] for k, v in found.items()}


# -- a saved plan's bundle ------------------------------------------------------------------------


def saved_bundle(plan: Path, folder: Path) -> Path:
    bundle = folder / "saved.sh"
    done = subprocess.run([ADFLOW, "compile", "--emit", "curl", "--plan", str(plan), "-o",
                           str(bundle)], capture_output=True, text=True, timeout=60,
                          check=False, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return bundle


@pytest.mark.slow
@pytest.mark.tools
@pytest.mark.parametrize("runtime", ["bundle", "apply"])
def test_a_saved_plan_is_carried_out_the_same_by_both_runtimes_and_refused_once_stale(
        runtime: str, tmp_path: Path) -> None:
    results = {}
    for name in ("bundle", "apply"):
        folder = tmp_path / name
        folder.mkdir()
        state = folder / "state"
        with Sandbox(folder) as sandbox:
            assert adflow_apply(str(V1), "--state", str(state), "--yes", "--no-batch",
                                url=sandbox.url).returncode == 0
            assert plan_of(V2, state, "-o", str(folder / "changes.json")).returncode == 0
            if name == "bundle":
                done = run_bundle(saved_bundle(folder / "changes.json", folder), sandbox.url,
                                  ADFLOW_STATE=str(state))
            else:
                done = adflow_apply("--plan", str(folder / "changes.json"), "--yes",
                                    "--no-batch", url=sandbox.url)
            assert done.returncode == 0, done.stderr
            # The tag differs with the state's path the plan names; nothing else may.
            tag = savedplan.tag_of(json.loads((folder / "changes.json").read_text()))
            results[name] = (state.read_bytes().replace(tag.encode(), b"TAG"),
                             len(sandbox.entries()))
            assert results[name][0].count(b'"plan":"TAG"}') == 4  # 2 updates, a replace
    assert results["bundle"] == results["apply"]
    assert plan_of(V2, tmp_path / runtime / "state").stdout.endswith("4 unchanged, 0 orphaned.\n")
    # Another run since the plan was saved: both refuse it, sending nothing.
    folder = tmp_path / runtime
    state = folder / "state"
    (folder / "later").mkdir()
    with Sandbox(folder / "later") as sandbox:
        before = state.read_bytes()
        with state.open("a") as f:
            f.write('{"key":"ad.text_image_ad","activated":true}\n')
        if runtime == "bundle":
            stale = run_bundle(saved_bundle(folder / "changes.json", folder), sandbox.url,
                               ADFLOW_STATE=str(state))
            dry = run_bundle(saved_bundle(folder / "changes.json", folder), sandbox.url,
                             "--dry-run", ADFLOW_STATE=str(state))
        else:
            stale = adflow_apply("--plan", str(folder / "changes.json"), "--yes",
                                 url=sandbox.url)
            dry = adflow_apply("--plan", str(folder / "changes.json"), "--dry-run",
                               url=sandbox.url)
        assert sandbox.entries() == []
    for result in (stale, dry):
        assert result.returncode == 2, result.stderr
        assert "the saved plan is stale: run adflow plan again" in result.stderr
    assert state.read_bytes().startswith(before)


@pytest.mark.slow
@pytest.mark.tools
def test_a_saved_plans_bundle_does_what_was_decided_not_what_it_would_decide(
        tmp_path: Path) -> None:
    state = tmp_path / "state"
    saved = tmp_path / "changes.json"
    with Sandbox(tmp_path) as sandbox:
        assert adflow_apply(str(V1), "--state", str(state), "--yes",
                            url=sandbox.url).returncode == 0
        assert plan_of(V2, state, "-o", str(saved)).returncode == 0
        data = json.loads(saved.read_text())
        updated = [c["key"] for c in data["changes"] if c["action"] == "update"]
        assert updated
        for change in data["changes"]:  # decided otherwise (by a person, say): left alone
            if change["key"] == updated[0]:
                change.update(action="none", fields=[])
        saved.write_text(json.dumps(data))
        before = len(sandbox.entries())
        done = run_bundle(saved_bundle(saved, tmp_path), sandbox.url, ADFLOW_STATE=str(state))
        sent = sandbox.entries()[before:]
    assert done.returncode == 0, done.stderr
    assert f"{updated[0]} (line" in done.stdout and "unchanged" in done.stdout
    assert len(sent) == 2  # the other update and the replace, not the one decided away


@pytest.mark.slow
@pytest.mark.tools
def test_a_saved_plans_bundle_goes_on_after_an_unknown_outcome_and_apply_finishes_it(
        tmp_path: Path) -> None:
    state = tmp_path / "state"
    saved = tmp_path / "changes.json"
    assert plan_of(SEED, state, "-o", str(saved)).returncode == 0
    bundle = saved_bundle(saved, tmp_path)
    with Sandbox(tmp_path, "--fail", "2:drop") as sandbox:
        first = run_bundle(bundle, sandbox.url, ADFLOW_STATE=str(state))
        assert first.returncode == 3, first.stderr
        made = created_at({"api_version": "v25.0", "requests": [
            {"key": "campaign.quote_leads", "path": "act_1234567890/campaigns"}]},
            alone(sandbox.entries()))["campaign.quote_leads"]
        resumed = run_bundle(bundle, sandbox.url, "--assume-created",
                             f"campaign.quote_leads={made[0]}", ADFLOW_STATE=str(state))
        assert resumed.returncode == 0, resumed.stderr
        finished = adflow_apply("--plan", str(saved), "--yes", url=sandbox.url)
        entries = sandbox.entries()
    assert finished.returncode == 0, finished.stderr
    assert "0 created" in finished.stdout and "5 request" not in finished.stdout
    assert len(creates_of(entries)) == 5
    assert plan_of(SEED, state).stdout.endswith("5 unchanged, 0 orphaned.\n")


# -- progress: live on a terminal, plain lines in a log -------------------------------------------


@pytest.mark.slow
def test_on_a_terminal_a_live_line_shows_the_request_in_flight(tmp_path: Path) -> None:
    state = tmp_path / "state"
    with Sandbox(tmp_path) as sandbox, FaultProxy(sandbox.url, {1: "hold"}) as proxy:
        leader, follower = pty.openpty()
        run = subprocess.Popen(
            [ADFLOW, "apply", str(SEED), "--state", str(state), "--yes", "--no-batch"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=follower, cwd=ROOT, text=True,
            env={"PATH": VENV_BIN, "GRAPH_API_URL": proxy.url, "META_ACCESS_TOKEN": TOKEN,
                 "TERM": "xterm", "SOURCE_DATE_EPOCH": PINNED_DAY})
        os.close(follower)
        shown = b""
        while b"sending (attempt 1)" not in shown:
            ready, _, _ = select.select([leader], [], [], HOLD_TIMEOUT)
            assert ready, shown
            shown += os.read(leader, 4096)
        proxy.release()
        assert run.wait(BUNDLE_TIMEOUT) == 0
        out = run.stdout.read() if run.stdout else ""
        os.close(leader)
    assert b"\r\x1b[K[1/5] lead_form.quote (line 7): sending (attempt 1)" in shown
    assert "Apply complete: 5 created" in out and "\x1b" not in out


@pytest.mark.slow
def test_in_a_log_apply_writes_plain_lines_only(tmp_path: Path) -> None:
    with Sandbox(tmp_path) as sandbox:
        done = adflow_apply(str(SEED), "--state", str(tmp_path / "state"), "--yes",
                            url=sandbox.url, TERM="xterm")
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout + done.stderr and "\r" not in done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[-6:] == ["Apply complete: 5 created, 0 updated, 0 replaced, 0 unchanged; "
                          "5 request(s) sent.",
                          *[f"  created   {key} {120000000000000001 + n}" for n, key in
                            enumerate(["lead_form.quote", "campaign.quote_leads",
                                       "adset.quote_us", "creative.quote_image",
                                       "ad.quote_ad"])]]


@pytest.mark.slow
@pytest.mark.tools
def test_compile_takes_a_saved_plan_only_for_a_bundle_and_only_a_saved_plan(
        tmp_path: Path) -> None:
    saved = tmp_path / "changes.json"
    assert plan_of(SEED, tmp_path / "state", "-o", str(saved)).returncode == 0
    plain = tmp_path / "plan.json"
    subprocess.run([ADFLOW, "compile", str(SEED), "-o", str(plain)], check=True, cwd=ROOT)
    for args, says in ((["--emit", "json", "--plan", str(saved)], "--plan goes with --emit curl"),
                       ([str(SEED), "--emit", "curl", "--plan", str(saved)], "and no FILE"),
                       (["--emit", "curl", "--plan", str(plain)], "not a saved plan"),
                       (["--emit", "curl"], "name the file to compile")):
        done = subprocess.run([ADFLOW, "compile", *args], capture_output=True, text=True,
                              timeout=60, check=False, cwd=ROOT)
        assert done.returncode == 2 and says in done.stderr, (args, done.stderr)
        assert "Traceback" not in done.stderr
