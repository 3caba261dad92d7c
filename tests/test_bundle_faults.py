"""The curl bundle under faults: what the network, the disk and signals can do
to a run must leave nothing created twice and the state readable. Real bash,
curl, jq and flock against `adflow sandbox`; `FaultProxy` stands between them
and damages an answer after the sandbox carried the request out (or, for
throttling, instead of it)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from adflow.compiler.tools import changes
from conftest import (
    HOLD_TIMEOUT,
    SAMPLES,
    TOKEN,
    FaultProxy,
    Sandbox,
    compile_bundle,
    created_at,
    finish,
    racing_path,
    run_bundle,
    start_bundle,
    whole_state,
)

pytestmark = pytest.mark.tools


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The seed's bundle, compiled once for the module (the runs are what is tested)."""
    return compile_bundle(SAMPLES / "seed_lead_form.adflow", tmp_path_factory.mktemp("seed"))


@pytest.fixture
def seed_bundle(compiled: tuple[Path, dict[str, Any]],
                tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    bundle = tmp_path / compiled[0].name
    bundle.write_bytes(compiled[0].read_bytes())
    return bundle, compiled[1]


@pytest.fixture(scope="module")
def full_disk(compiled: tuple[Path, dict[str, Any]],
              tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str]:
    return full_disk_blocks(compiled[0], tmp_path_factory.mktemp("probe"))




def ulimited(bundle: Path, blocks: int) -> list[str]:
    """The bundle run under a file-size limit of `blocks` KiB: a full disk."""
    return ["bash", "-c", 'ulimit -f "$1" && exec bash "$2"', "-", str(blocks), str(bundle)]


def full_disk_blocks(bundle: Path, folder: Path) -> tuple[int, str]:
    """A file-size limit (KiB) that cuts a done line of the state, and that
    line's key: a create whose id must not be lost. Over 1 KiB, so that the
    bodies the bundle writes to its temporary folder still fit."""
    with Sandbox(folder) as sandbox:
        done = run_bundle(bundle, sandbox.url, ADFLOW_STATE=str(folder / "state"))
    assert done.returncode == 0, done.stderr
    start = 0
    for line in (folder / "state").read_bytes().split(b"\n"):
        end = start + len(line)
        entry = json.loads(line) if line else {}
        blocks = end // 1024
        if "id" in entry and blocks >= 2 and start < blocks * 1024 < end:
            return blocks, str(entry["key"])
        start = end + 1
    raise AssertionError("no done line crosses a KiB boundary")


# -- the fault matrix -----------------------------------------------------------------------------

FAULTS = {  # name: (how, documented exit status of the first run)
    "reset after send": ("proxy:2:reset", 3),
    "cut answer": ("proxy:2:cut", 3),
    "slow answer": ("proxy:2:slow", 3),
    "throttling with usage headers": ("proxy:2:throttle", 0),
    "500 mid-run": ("proxy:3:500", 3),
    "answer with a comment after it": ("proxy:2:comment", 0),
    "full disk": ("disk", 2),
    "SIGINT": ("signal:INT", 3),
    "SIGTERM": ("signal:TERM", 143),
    "SIGHUP": ("signal:HUP", 129),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_fault_matrix_creates_nothing_twice_and_keeps_the_state_readable(
        fault: str, seed_bundle: tuple[Path, dict[str, Any]], tmp_path: Path,
        request: pytest.FixtureRequest) -> None:
    bundle, plan = seed_bundle
    how, expected = FAULTS[fault]
    state = Path(f"{bundle}.state")
    blocks = request.getfixturevalue("full_disk")[0] if how == "disk" else 0
    kind, _, detail = how.partition(":")
    faults = {int(detail.split(":")[0]): detail.split(":")[1]} if kind == "proxy" else {}
    if kind == "signal":
        faults = {2: "hold"}
    with Sandbox(tmp_path) as sandbox, FaultProxy(sandbox.url, faults) as proxy:
        environment = {"ADFLOW_TIMEOUT": "1"} if "slow" in how else {}
        if kind == "disk":
            first = subprocess.run(ulimited(bundle, blocks), capture_output=True, text=True,
                                   timeout=60, check=False, env={
                                       "PATH": os.environ["PATH"], "GRAPH_API_URL": proxy.url,
                                       "META_ACCESS_TOKEN": TOKEN, "ADFLOW_RETRY_BASE_MS": "5"})
            code, err = first.returncode, first.stderr
        elif kind == "signal":
            run = start_bundle(bundle, proxy.url)
            assert proxy.held.wait(HOLD_TIMEOUT), finish(run)
            sig = getattr(signal, f"SIG{detail}")
            if detail in ("INT", "HUP"):  # from the terminal: to the whole group
                os.killpg(run.pid, sig)
            else:
                os.kill(run.pid, sig)
            time.sleep(0.2)
            proxy.release()
            code, _, err = finish(run)
        else:
            done = run_bundle(bundle, proxy.url, **environment)
            code, err = done.returncode, done.stderr
        assert code == expected, err
        assert TOKEN not in err
        # What a user does next: run again; after exit 3 look the create up at
        # "Meta" (the sandbox's record) and say what became of it.
        for _ in range(4):
            records = whole_state(state)
            if code == 0:
                break
            found = created_at(plan, sandbox.entries())
            options: list[str] = []
            if code == 3:
                pending = [k for k, r in records.items() if r.pending]
                assert len(pending) == 1, records
                if found.get(pending[0]):
                    options = ["--assume-created", f"{pending[0]}={found[pending[0]][-1]}"]
                else:
                    options = ["--retry-unknown"]
            again = run_bundle(bundle, sandbox.url, *options)
            code, err = again.returncode, again.stderr
        assert code == 0, err
        found = created_at(plan, sandbox.entries())
    assert {key: len(ids) for key, ids in found.items()} == {
        r["key"]: 1 for r in plan["requests"]}, found
    records = whole_state(state)
    assert {k: r.id for k, r in records.items()} == {k: v[0] for k, v in found.items()}


# -- a full disk: a state line is whole or absent -------------------------------------------------

def test_a_full_disk_never_tears_a_state_line_and_prints_the_id(
        seed_bundle: tuple[Path, dict[str, Any]], full_disk: tuple[int, str],
        tmp_path: Path) -> None:
    bundle, plan = seed_bundle
    blocks, key = full_disk
    state = Path(f"{bundle}.state")
    with Sandbox(tmp_path) as sandbox:
        first = subprocess.run(ulimited(bundle, blocks), capture_output=True, text=True,
                               timeout=60, check=False, env={
                                   "PATH": os.environ["PATH"], "GRAPH_API_URL": sandbox.url,
                                   "META_ACCESS_TOKEN": TOKEN})
        cut_id = created_at(plan, sandbox.entries())[key][0]
        assert first.returncode == 2, first.stderr
        assert f"was created as {cut_id}" in first.stderr
        assert f"--assume-created {key}={cut_id}" in first.stderr
        # The cut done line was taken back: the pending marker is the last line.
        assert state.read_text().endswith(f'{{"key":"{key}","pending":true}}\n')
        whole_state(state)
        stopped = run_bundle(bundle, sandbox.url)
        assert stopped.returncode == 3 and f"--assume-created {key}=ID" in stopped.stderr
        resumed = run_bundle(bundle, sandbox.url, "--assume-created", f"{key}={cut_id}")
        found = created_at(plan, sandbox.entries())
    assert resumed.returncode == 0, resumed.stderr
    assert {k: len(v) for k, v in found.items()} == {r["key"]: 1 for r in plan["requests"]}
    whole_state(state)


CUT = '{"key":"campaign.quote_leads","id":"1200000'


@pytest.mark.parametrize("text, line", [
    ('{"key":"lead_form.quote","pending":true}\n' + CUT, 2),  # cut at the end
    # a line written after the cut one glued onto it: its marker is unreadable
    (CUT + '{"key":"adset.quote_us","pending":true}\n', 1),
    ('{"key":"lead_form.quote","pending":true}\nnot json\n', 2),
])
def test_a_damaged_state_is_an_error_with_its_line_number(
        text: str, line: int, seed_bundle: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    bundle, _ = seed_bundle
    state = Path(f"{bundle}.state")
    state.write_text(text)
    with Sandbox(tmp_path) as sandbox:
        done = run_bundle(bundle, sandbox.url)
        dry = run_bundle(bundle, sandbox.url, "--dry-run")
        entries = sandbox.entries()
    assert entries == []
    for result in (done, dry):
        assert result.returncode == 2, result.stderr
        assert f"{state}:{line}:" in result.stderr and "damaged" in result.stderr
    assert state.read_text() == text  # nothing glued onto it


def test_an_assumed_create_never_glues_onto_a_cut_line(
        seed_bundle: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    bundle, _ = seed_bundle
    state = Path(f"{bundle}.state")
    state.write_text('{"key":"lead_form.quote","pending":true}\n{"key":"lead_form.quote","i')
    done = run_bundle(bundle, "http://127.0.0.1:9", "--assume-created", "lead_form.quote=42")
    assert done.returncode == 2 and "damaged" in done.stderr
    assert state.read_text().endswith('"i')


# -- answers after a create -----------------------------------------------------------------------

@pytest.mark.parametrize("fault", ["comment", "twice"])
def test_a_2xx_with_bytes_after_its_json_is_judged_by_the_first_value(
        fault: str, seed_bundle: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    bundle, plan = seed_bundle
    with Sandbox(tmp_path) as sandbox, FaultProxy(sandbox.url, {2: fault}) as proxy:
        done = run_bundle(bundle, proxy.url)
        found = created_at(plan, sandbox.entries())
    assert done.returncode == 0, done.stderr
    assert {k: len(v) for k, v in found.items()} == {r["key"]: 1 for r in plan["requests"]}
    assert changes.read_state(Path(f"{bundle}.state").read_text())[
        "campaign.quote_leads"].id == found["campaign.quote_leads"][0]


@pytest.mark.parametrize("fault", ["garbage", "500"])
def test_an_unreadable_2xx_or_a_code_2_after_a_create_is_an_unknown_outcome(
        fault: str, seed_bundle: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    bundle, plan = seed_bundle
    with Sandbox(tmp_path) as sandbox, FaultProxy(sandbox.url, {2: fault}) as proxy:
        done = run_bundle(bundle, proxy.url)
        again = run_bundle(bundle, proxy.url)
        found = created_at(plan, sandbox.entries())
    assert done.returncode == 3, done.stderr
    assert "Meta refused" not in done.stderr and "--assume-created" in done.stderr
    assert again.returncode == 3
    assert found == {"lead_form.quote": found["lead_form.quote"],
                     "campaign.quote_leads": found["campaign.quote_leads"]}
    assert all(len(ids) == 1 for ids in found.values())
    records = changes.read_state(Path(f"{bundle}.state").read_text())
    assert records["campaign.quote_leads"].pending


def test_code_2_to_an_update_is_still_retried(seed_bundle: tuple[Path, dict[str, Any]],
                                              tmp_path: Path) -> None:
    bundle, _ = seed_bundle
    with Sandbox(tmp_path) as sandbox:
        assert run_bundle(bundle, sandbox.url).returncode == 0
        changed = tmp_path / "changed.adflow"
        changed.write_text((SAMPLES / "seed_lead_form.adflow").read_text().replace(
            "daily_budget 2000", "daily_budget 2500"))
        (tmp_path / "v2").mkdir()
        bundle2, _ = compile_bundle(changed, tmp_path / "v2")
        with FaultProxy(sandbox.url, {1: "500"}) as proxy:
            done = run_bundle(bundle2, proxy.url, ADFLOW_STATE=f"{bundle}.state")
    assert done.returncode == 0, done.stderr
    assert "retrying adset.quote_us" in done.stderr and "updated" in done.stdout


# -- one lock per real state file ----------------------------------------------------------------

def test_two_checkouts_sharing_one_state_through_links_take_one_lock(
        seed_bundle: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    bundle, plan = seed_bundle
    shared = tmp_path / "shared.state"
    shared.write_text("")
    links = []
    for n in range(2):
        (tmp_path / f"checkout{n}").mkdir()
        link = tmp_path / f"checkout{n}" / "create.sh.state"
        link.symlink_to(shared)
        links.append(link)
    path = racing_path(tmp_path, 2)
    with Sandbox(tmp_path) as sandbox:
        runs = [start_bundle(bundle, sandbox.url, PATH=path, ADFLOW_STATE=str(link), LAG="0")
                for link in links]
        results = [finish(run) for run in runs]
        found = created_at(plan, sandbox.entries())
    assert sorted(code for code, _, _ in results) == [0, 2], results
    assert any("another run" in err for _, _, err in results)
    assert {k: len(v) for k, v in found.items()} == {r["key"]: 1 for r in plan["requests"]}
    assert Path(f"{shared}.lock").exists()


# -- SIGHUP and SIGQUIT are SIGTERM ---------------------------------------------------------------

@pytest.mark.parametrize("name, status", [("SIGHUP", 129), ("SIGQUIT", 131)])
def test_sighup_and_sigquit_while_a_create_is_in_flight_record_its_id(
        name: str, status: int, seed_bundle: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    bundle, plan = seed_bundle
    with Sandbox(tmp_path) as sandbox, FaultProxy(sandbox.url, {2: "hold"}) as proxy:
        run = start_bundle(bundle, proxy.url)
        assert proxy.held.wait(HOLD_TIMEOUT), finish(run)
        if name == "SIGHUP":  # the terminal or SSH session closes: its whole group gets it
            os.killpg(run.pid, signal.SIGHUP)
        else:
            os.kill(run.pid, getattr(signal, name))
        time.sleep(0.2)
        proxy.release()
        code, _, err = finish(run)
        campaign_id = created_at(plan, sandbox.entries())["campaign.quote_leads"][0]
        assert code == status, err
        assert changes.read_state(Path(f"{bundle}.state").read_text())[
            "campaign.quote_leads"].id == campaign_id
        again = run_bundle(bundle, sandbox.url)
        found = created_at(plan, sandbox.entries())
    assert again.returncode == 0, again.stderr
    assert {k: len(v) for k, v in found.items()} == {r["key"]: 1 for r in plan["requests"]}


# -- suggested commands are shell-quoted ---------------------------------------------------------

def test_the_resume_hint_is_shell_quoted(compiled: tuple[Path, dict[str, Any]],
                                         tmp_path: Path) -> None:
    folder = tmp_path / "it's here"
    folder.mkdir()
    bundle = folder / "seed_lead_form.sh"
    bundle.write_bytes(compiled[0].read_bytes())
    Path(f"{bundle}.state").write_text('{"key":"lead_form.quote","pending":true}\n')
    done = run_bundle(bundle, "http://127.0.0.1:9")
    assert done.returncode == 3, done.stderr
    hint = next(line for line in done.stderr.splitlines() if "if it exists" in line)
    command = hint.split("go on with: ", 1)[1]
    assert command == (f"bash '{tmp_path}/it'\\''s here/seed_lead_form.sh' "
                       "--assume-created lead_form.quote=ID")


# -- what the summary says was sent ---------------------------------------------------------------

def test_done_counts_the_requests_really_sent(seed_bundle: tuple[Path, dict[str, Any]],
                                              tmp_path: Path) -> None:
    bundle, plan = seed_bundle
    with Sandbox(tmp_path) as sandbox:
        first = run_bundle(bundle, sandbox.url)
        again = run_bundle(bundle, sandbox.url)
    assert first.returncode == 0 and again.returncode == 0, first.stderr + again.stderr
    assert first.stdout.splitlines()[-1] == f"done: {len(plan['requests'])} request(s) sent"
    assert again.stdout.splitlines()[-1] == "done: 0 request(s) sent"

