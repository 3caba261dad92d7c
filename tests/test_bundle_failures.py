"""The curl bundle's failure paths: nothing is created
twice, nothing is lost, the token never shows. Real bash, curl and jq against
`adflow sandbox`; `GraphProxy` stands between them where an answer must be
held back or replaced after the sandbox carried the request out."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    HOLD_TIMEOUT,
    SAMPLES,
    TOKEN,
    FaultProxy,
    Sandbox,
    assert_plan_sent_once,
    compile_bundle,
    creates,
    finish,
    racing_path,
    run_bundle,
    start_bundle,
)

pytestmark = pytest.mark.tools

def state_of(bundle: Path) -> list[dict[str, Any]]:
    """The state's lines without what change management adds to done lines."""
    lines = [json.loads(line) for line in Path(f"{bundle}.state").read_text().splitlines()]
    return [{k: v for k, v in line.items() if k not in ("digest", "fields", "path")}
            for line in lines]


def created_keys(plan: dict[str, Any], entries: list[dict[str, Any]]) -> Counter[str]:
    """How often each edge of the plan was created at the sandbox."""
    edges = {f"/{plan['api_version']}/{r['path']}": r["key"] for r in plan["requests"]}
    return Counter(edges[e["path"]] for e in creates(entries) if e["path"] in edges
                   and (e["status"] is None or "id" in e["response"]))


# -- item 3: one run at a time, whatever lock a crash left ----------------------------------------

def test_two_reruns_over_a_stale_lock_create_everything_once(
        seed_bundle: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    bundle, plan = seed_bundle
    for trial, lag in enumerate(["0", "0.02", "0.05", "0.1", "0.2"]):
        folder = tmp_path / f"trial{trial}"
        folder.mkdir()
        state = folder / "state"
        # What a crashed run of an older bundle left: a lock naming a gone pid.
        Path(f"{state}.lock").write_text("999999\n")
        path = racing_path(folder, 2)
        with Sandbox(folder) as sandbox:
            runs = [start_bundle(bundle, sandbox.url, PATH=path, ADFLOW_STATE=str(state),
                                 LAG=lag if run else "0") for run in range(2)]
            results = [finish(run) for run in runs]
            entries = sandbox.entries()
        codes = sorted(code for code, _, _ in results)
        assert codes in ([0, 0], [0, 2]), results
        for code, _, err in results:
            assert code == 0 or "another run" in err
        assert set(created_keys(plan, entries).values()) == {1}, (trial, results)
        assert_plan_sent_once(plan, entries)


def test_missing_flock_is_a_clear_set_up_error(seed_bundle: tuple[Path, dict[str, Any]],
                                               tmp_path: Path) -> None:
    bundle, _ = seed_bundle
    only = tmp_path / "only"
    only.mkdir()
    for tool in ("bash", "curl", "jq", "mktemp", "rm", "readlink", "wc", "tail", "dd"):
        found = shutil.which(tool)
        assert found
        (only / tool).symlink_to(found)
    with Sandbox(tmp_path) as sandbox:
        done = run_bundle(bundle, sandbox.url, path=str(only))
        entries = sandbox.entries()
    assert done.returncode == 2 and "flock is needed" in done.stderr and entries == []


# -- item 4: a signal while a create is in flight -------------------------------------------------

def test_sigterm_while_a_create_is_in_flight_records_its_id(
        seed_bundle: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    bundle, plan = seed_bundle
    with Sandbox(tmp_path) as sandbox, FaultProxy(sandbox.url, {2: "hold"}) as proxy:
        run = start_bundle(bundle, proxy.url)
        assert proxy.held.wait(HOLD_TIMEOUT), finish(run)
        os.kill(run.pid, signal.SIGTERM)  # bash only: curl still gets its answer
        proxy.release()
        code, _, err = finish(run)
        campaign_id = next(e["response"]["id"] for e in creates(sandbox.entries())
                           if e["path"].endswith("/campaigns"))
        assert code == 143, err
        assert state_of(bundle)[-1] == {"key": "campaign.quote_leads", "id": campaign_id}
        again = run_bundle(bundle, sandbox.url)
        entries = sandbox.entries()
    assert again.returncode == 0, again.stderr
    assert_plan_sent_once(plan, entries)


def test_ctrl_c_while_a_create_is_in_flight_leaves_it_pending(
        seed_bundle: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    bundle, plan = seed_bundle
    with Sandbox(tmp_path) as sandbox, FaultProxy(sandbox.url, {2: "hold"}) as proxy:
        run = start_bundle(bundle, proxy.url)
        assert proxy.held.wait(HOLD_TIMEOUT), finish(run)
        os.killpg(run.pid, signal.SIGINT)  # the terminal's Ctrl-C: curl dies unanswered
        code, _, err = finish(run)
        proxy.release()
        assert code == 3, err
        assert state_of(bundle)[-1] == {"key": "campaign.quote_leads", "pending": True}
        before = len(sandbox.entries())
        stopped = run_bundle(bundle, sandbox.url)
        assert stopped.returncode == 3 and len(sandbox.entries()) == before
        assert "campaign.quote_leads" in stopped.stderr and "--assume-created" in stopped.stderr
        # The user finds it at Meta (here: in the sandbox's record) and says so.
        campaign_id = next(e["response"]["id"] for e in creates(sandbox.entries())
                           if e["path"].endswith("/campaigns"))
        resumed = run_bundle(bundle, sandbox.url, "--assume-created",
                             f"campaign.quote_leads={campaign_id}")
        entries = sandbox.entries()
    assert resumed.returncode == 0, resumed.stderr
    assert_plan_sent_once(plan, entries)
    assert {"key": "campaign.quote_leads", "id": campaign_id, "assumed": True} in state_of(bundle)


def test_sigterm_during_a_retry_wait_stops_at_once_and_settles(
        seed_bundle: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    bundle, plan = seed_bundle
    with Sandbox(tmp_path, "--fail", "2:613") as sandbox:
        run = start_bundle(bundle, sandbox.url, ADFLOW_RETRY_BASE_MS="60000")
        deadline = time.monotonic() + HOLD_TIMEOUT
        while len(sandbox.entries()) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)  # now in the 30-60 s wait before the retry
        os.kill(run.pid, signal.SIGTERM)
        stopped_at = time.monotonic()
        code, _, err = finish(run)
        waited = time.monotonic() - stopped_at
        # The 613 proved the campaign was not created: it is not left pending.
        assert state_of(bundle)[-1] == {"key": "campaign.quote_leads", "pending": False}
        again = run_bundle(bundle, sandbox.url)
        entries = sandbox.entries()
    assert code == 143 and waited < 5, (code, waited, err)
    assert again.returncode == 0, again.stderr
    assert_plan_sent_once(plan, entries)


# -- item 5: an answer that is not Graph's ---------------------------------------------------------

def test_html_504_after_a_create_stops_without_retrying(
        seed_bundle: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    bundle, plan = seed_bundle
    with Sandbox(tmp_path) as sandbox, FaultProxy(sandbox.url, {2: "html504"}) as proxy:
        done = run_bundle(bundle, proxy.url)
        again = run_bundle(bundle, proxy.url)
        entries = sandbox.entries()
    assert done.returncode == 3, done.stderr
    assert "HTTP 504 without a Graph API answer" in done.stderr
    assert again.returncode == 3 and "--retry-unknown" in again.stderr
    assert created_keys(plan, entries) == {"lead_form.quote": 1, "campaign.quote_leads": 1}


# -- item 6: a lost answer is pending until the user says what became of it -----------------------

def test_after_a_dropped_create_a_rerun_stops_until_told(
        seed_bundle: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    bundle, plan = seed_bundle
    with Sandbox(tmp_path, "--fail", "3:drop") as sandbox:
        first = run_bundle(bundle, sandbox.url)
        plain = run_bundle(bundle, sandbox.url)
        dropped = sandbox.entries()[2]
        assert dropped["status"] is None
        resumed = run_bundle(bundle, sandbox.url, "--assume-created",
                             f"adset.quote_us={dropped['response']['id']}")
        entries = sandbox.entries()
    assert first.returncode == 3 and plain.returncode == 3, plain.stderr
    assert "adset.quote_us" in plain.stderr and "--assume-created adset.quote_us=ID" in plain.stderr
    assert "--retry-unknown" in plain.stderr
    assert resumed.returncode == 0, resumed.stderr
    assert len(entries) == len(plan["requests"])  # the plain re-run sent nothing
    assert set(created_keys(plan, entries).values()) == {1}


def test_retry_unknown_sends_a_pending_create_again(seed_bundle: tuple[Path, dict[str, Any]],
                                                    tmp_path: Path) -> None:
    bundle, plan = seed_bundle
    with Sandbox(tmp_path) as sandbox:
        # Stand-in for a create that never reached Meta: pending, and no trace of it.
        state = Path(f"{bundle}.state")
        state.write_text('{"key":"adset.quote_us","pending":true}\n')
        stopped = run_bundle(bundle, sandbox.url)
        assert stopped.returncode == 3 and sandbox.entries() == []
        done = run_bundle(bundle, sandbox.url, "--retry-unknown")
        entries = sandbox.entries()
    assert done.returncode == 0, done.stderr
    assert_plan_sent_once(plan, entries)


@pytest.mark.parametrize("option", ["--assume-created=nope.key=1",
                                    "--assume-created=adset.quote_us=x", "--assume-created"])
def test_bad_assume_created_is_a_usage_error(option: str, seed_bundle: tuple[Path, dict[str, Any]],
                                             tmp_path: Path) -> None:
    bundle, _ = seed_bundle
    with Sandbox(tmp_path) as sandbox:
        done = run_bundle(bundle, sandbox.url, option)
        entries = sandbox.entries()
    assert done.returncode == 2 and "--assume-created" in done.stderr and entries == []


# -- item 7: the state file is checked before the first request ------------------------------------

@pytest.mark.parametrize("where", ["folder", "missing/state"])
def test_unwritable_state_stops_before_any_request(where: str, seed_bundle: tuple[Path, Any],
                                                   tmp_path: Path) -> None:
    bundle, _ = seed_bundle
    state = tmp_path / where
    if where == "folder":
        state.mkdir()
    with Sandbox(tmp_path) as sandbox:
        done = run_bundle(bundle, sandbox.url, ADFLOW_STATE=str(state))
        entries = sandbox.entries()
    assert done.returncode == 2 and f"cannot write the state file {state}" in done.stderr
    assert ("is a folder" if where == "folder" else "does not exist") in done.stderr
    assert entries == []


# -- item 8: the token under `bash -x`, and the URL taken whole -----------------------------------

def test_bash_xtrace_never_prints_the_token(seed_bundle: tuple[Path, dict[str, Any]],
                                            tmp_path: Path) -> None:
    bundle, plan = seed_bundle
    with Sandbox(tmp_path) as sandbox:
        environment = {"PATH": os.environ["PATH"], "GRAPH_API_URL": sandbox.url,
                       "META_ACCESS_TOKEN": TOKEN}
        done = subprocess.run(["bash", "-x", str(bundle), "--activate"], env=environment,
                              capture_output=True, text=True, timeout=120, check=False)
        entries = sandbox.entries()
    assert done.returncode == 0, done.stderr[-2000:]
    # Traced throughout: after the token check (restored) and around curl.
    assert "\n+ plan=" in done.stderr and "\n+ exec curl " in done.stderr
    assert TOKEN not in done.stderr + done.stdout
    assert_plan_sent_once(plan, entries)


@pytest.mark.parametrize("url", ["http://127.0.0.1:80@example.com",
                                 "https://user:pw@graph.facebook.com",
                                 "http://localhost\\@example.com", "https://graph.facebook.com?x=1",
                                 "ftp://127.0.0.1", "http://127.0.0.1 -x", ""])
def test_graph_api_url_is_parsed_whole(url: str, seed_bundle: tuple[Path, dict[str, Any]],
                                       tmp_path: Path) -> None:
    bundle, _ = seed_bundle
    calls = tmp_path / "calls"
    fake = tmp_path / "bin" / "curl"  # any curl call at all is a failure here
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/bash\necho "$*" >> "{calls}"\nexit 7\n')
    fake.chmod(0o755)
    done = run_bundle(bundle, url or "x", path=f"{fake.parent}:{os.environ['PATH']}")
    assert done.returncode == 2 and "GRAPH_API_URL" in done.stderr, done.stderr
    assert not calls.exists()


# -- item 9: bodies arrive exactly as the plan says ------------------------------------------------

def test_integers_past_2_53_arrive_exactly(tmp_path: Path) -> None:
    source = tmp_path / "big.adflow"
    source.write_text((SAMPLES / "seed_lead_form.adflow").read_text().replace(
        "  adset_budget_sharing false\n",
        "  adset_budget_sharing false\n  raw spend_cap 120000000000000001\n"
        '  raw adlabels [{"name": "x", "id": 9007199254740993}]\n'))
    bundle, plan = compile_bundle(source, tmp_path)
    with Sandbox(tmp_path) as sandbox:
        done = run_bundle(bundle, sandbox.url)
        record = sandbox.record.read_text("utf-8")
        entries = sandbox.entries()
    assert done.returncode == 0, done.stderr
    campaign = next(e for e in entries if e["path"].endswith("/campaigns"))
    assert campaign["body"]["spend_cap"] == 120000000000000001
    assert campaign["body"]["adlabels"] == [{"name": "x", "id": 9007199254740993}]
    assert "120000000000000001" in record and "9007199254740993" in record
    assert_plan_sent_once(plan, entries)


def test_dry_run_shows_the_exact_body(tmp_path: Path) -> None:
    source = tmp_path / "big.adflow"
    source.write_text((SAMPLES / "seed_lead_form.adflow").read_text().replace(
        "  adset_budget_sharing false\n",
        "  adset_budget_sharing false\n  raw spend_cap 120000000000000001\n"))
    bundle, _ = compile_bundle(source, tmp_path)
    done = run_bundle(bundle, "https://graph.facebook.com", "--dry-run", token=None)
    assert done.returncode == 0, done.stderr
    assert '"spend_cap":120000000000000001' in done.stdout
