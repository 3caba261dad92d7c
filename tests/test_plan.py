"""Change management (issue 13): `adflow plan`, the state it reads, drift,
the sandbox's updates and blamed errors, and `adflow explain ERROR --plan`.

The end-to-end tests with real bash + curl + jq are in test_plan_apply.py.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from adflow.compiler.bodies.model import Document
from adflow.compiler.pipeline import check_file
from adflow.compiler.tools import changes
from conftest import ADFLOW, ROOT
from test_sandbox import Sandbox

CHANGES = ROOT / "tests" / "changes"
V1, V2 = CHANGES / "v1.adflow", CHANGES / "v2.adflow"


def document(path: Path) -> Document:
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


def test_state_reader_keeps_the_last_done_line_and_skips_what_it_does_not_know() -> None:
    text = "\n".join([
        '{"key": "a", "id": "1", "fields": {"name": "x"}, "digest": "d1"}',
        '{"key": "a", "future": "marker"}',
        '{"key": "a", "activated": true}',
        '{"key": "b", "id": "2"}',
        '{"key": "b", "id": "3", "fields": {"name": "y"}, "path": "act_1/campaigns"}',
        "",
        '{"key": "c", "pending": true}',
        '{"key": "d", "id": "not a number"}',
        '{"key": "f", "id": "8", "path": "act_1/ads"}',
        '{"key": "f", "pending": true}',  # a replace in flight
        '{"key": "g", "pending": true}',
        '{"key": "g", "pending": false}',  # refused: nothing was created
    ])
    state = changes.read_state(text + "\n" + "\n".join([
        '{"key": "b", "activated": true}',
        '{"key": "b", "id": "3", "fields": {"name": "y"}}',  # updated: still active
        '{"key": "e", "id": "4"}', '{"key": "e", "activated": true}',
        '{"key": "e", "id": "5"}',  # replaced: the new one is paused
    ]) + "\n")
    assert list(state) == ["a", "b", "c", "d", "f", "g", "e"]
    assert state["b"].activated and not state["e"].activated
    assert state["a"] == changes.Record("a", "1", "d1", {"name": "x"}, activated=True)
    assert state["b"] == changes.Record("b", "3", None, {"name": "y"}, activated=True)
    assert state["c"].id is None and state["c"].pending and state["d"].id is None
    assert state["f"] == changes.Record("f", "8", path="act_1/ads", pending=True)
    assert not state["g"].pending and state["g"].id is None


@pytest.mark.parametrize("text, line, says", [
    ('{"key": "a", "pending": true}\n{"key": "a", "id": "12', 2, "cut off"),
    ('{"key": "a", "id": "1{"key": "b", "pending": true}\n', 1, "not a state line"),
    ('{"key": "a", "id": "1"}\nnot json\n{"key": "b", "id": "2"}\n', 2, "not a state line"),
    ('["a list"]\n', 1, "not a state line"),
    ('{"key": 7, "id": "9"}\n', 1, "not a state line"),
    ("#!/usr/bin/env bash\necho hi\n", 0, "a shell script"),
    ('{\n  "format": "adflow.plan/1",\n  "requests": []\n}\n', 0, "adflow.plan/1 file"),
])
def test_a_damaged_state_is_an_error_naming_its_line(text: str, line: int, says: str) -> None:
    with pytest.raises(changes.StateError) as caught:
        changes.read_state(text)
    assert caught.value.line == line and says in str(caught.value)


def test_v2_against_the_state_of_v1() -> None:
    state_text, ids = state_after_creating(document(V1))
    found = changes.plan_changes(document(V2), changes.read_state(state_text))
    assert [(c.key, c.action, c.fields) for c in found] == [
        ("campaign.chat", "none", ()),
        ("adset.chat_us", "update", ("daily_budget",)),
        ("creative.text_image", "replace", ("object_story_spec",)),
        ("ad.text_image_ad", "update", ("creative",)),
    ]
    assert [c.id for c in found] == [ids[c.key] for c in found]
    text = changes.render_text(found)
    assert text.splitlines() == [
        "~ adset.chat_us: daily_budget 2500 -> 4000",
        "-/+ creative.text_image: object_story_spec.link_data.page_welcome_message "
        '"Hi {{user_first_name}}! How can we help?" -> '
        '"Hi {{user_first_name}}! Want a plumber today?" (cannot be edited: replace)',
        f'~ ad.text_image_ad: creative.creative_id "{ids["creative.text_image"]}" -> '
        '"(new id of creative.text_image)"',
        "Plan: 0 to create, 2 to update, 1 to replace, 1 unchanged, 0 orphaned.",
    ]


def test_the_json_form_is_the_contract() -> None:
    state_text, ids = state_after_creating(document(V1))
    doc = document(V2)
    plan = json.loads(changes.render_json(doc, changes.plan_changes(
        doc, changes.read_state(state_text + '{"key": "ad.old", "id": "77"}\n'))))
    assert plan["format"] == "adflow.changes/1" and plan["api_version"] == "v25.0"
    assert plan["summary"] == {"create": 0, "update": 2, "replace": 1, "none": 1, "orphan": 1,
                               "pending": 0}
    adset = plan["changes"][1]
    assert adset == {"key": "adset.chat_us", "action": "update", "id": ids["adset.chat_us"],
                     "fields": ["daily_budget"], "moved_from": None,
                     "source": {"file": "tests/changes/v2.adflow", "line": 13, "column": 1}}
    assert plan["changes"][-1] == {"key": "ad.old", "action": "orphan", "id": "77",
                                   "fields": [], "moved_from": None, "source": None}


def test_a_file_against_its_own_state_plans_nothing_and_a_new_state_creates_all() -> None:
    doc = document(V1)
    state_text, _ = state_after_creating(doc)
    assert {c.action for c in changes.plan_changes(doc, changes.read_state(state_text))} == {
        "none"}
    assert {c.action for c in changes.plan_changes(doc, {})} == {"create"}
    # A line from a bundle that recorded no fields cannot be compared: left alone.
    old = changes.read_state('{"key": "campaign.chat", "id": "5"}\n')
    assert changes.plan_changes(doc, old)[0].action == "none"


def test_a_field_that_cannot_be_edited_replaces_and_its_referrers_follow() -> None:
    doc = document(V1)
    state_text, _ = state_after_creating(doc)
    state = changes.read_state(state_text.replace('"OUTCOME_ENGAGEMENT"', '"OUTCOME_LEADS"'))
    found = {c.key: (c.action, c.fields) for c in changes.plan_changes(doc, state)}
    # The campaign's objective cannot change: a new campaign, so a new ad set
    # (campaign_id cannot be edited), so a new ad (nor adset_id).
    assert found == {"campaign.chat": ("replace", ("objective",)),
                     "adset.chat_us": ("replace", ("campaign_id",)),
                     "creative.text_image": ("none", ()),
                     "ad.text_image_ad": ("replace", ("adset_id",))}


def test_drift_tolerates_metas_read_back_shapes_and_finds_real_changes() -> None:
    doc = document(V1)
    state_text, ids = state_after_creating(doc)
    state = changes.read_state(state_text)
    adset = state["adset.chat_us"].fields
    assert adset is not None
    # As Meta reads them back: budget as text, arrays reordered, keys added.
    live_adset = {**adset, "daily_budget": "2500", "targeting": {
        **adset["targeting"], "device_platforms": ["desktop", "mobile"],
        "age_min": 18, "targeting_automation": {"advantage_audience": 0}}}
    ad = state["ad.text_image_ad"].fields
    assert ad is not None
    live_ad = {**ad, "creative": {"id": ids["creative.text_image"]}}
    live = {"adset.chat_us": live_adset, "ad.text_image_ad": live_ad}
    assert {c.action for c in changes.plan_changes(doc, state, live)} == {"none"}
    live["adset.chat_us"] = {**live_adset, "daily_budget": "9900"}
    live["ad.text_image_ad"] = {**live_ad, "status": "ACTIVE", "name": "renamed in Ads Manager"}
    found = {c.key: c for c in changes.plan_changes(doc, state, live)}
    assert (found["adset.chat_us"].action, found["adset.chat_us"].fields) == (
        "update", ("daily_budget",))
    assert found["ad.text_image_ad"].fields == ("name", "status")
    assert "~ adset.chat_us: daily_budget \"9900\" -> 2500 (changed outside adflow)" in (
        changes.render_text(list(found.values())))
    # An ad set on by --activate is not drift.
    activated = changes.read_state(state_text + '{"key": "ad.text_image_ad", "activated": true}\n')
    live["ad.text_image_ad"] = {**live_ad, "status": "ACTIVE"}
    assert changes.plan_changes(doc, activated, live)[3].action == "none"


def test_markdown_is_a_summary_line_and_a_table() -> None:
    state_text, _ = state_after_creating(document(V1))
    doc = document(V2)
    text = changes.render_markdown(doc, changes.plan_changes(doc, changes.read_state(state_text)))
    lines = text.splitlines()
    assert lines[0] == ("**adflow plan** for `tests/changes/v2.adflow` (API v25.0): 0 to create, "
                        "2 to update, 1 to replace, 1 unchanged, 0 orphaned.")
    assert lines[2:4] == ["| action | object | id | fields | line |", "|---|---|---|---|---|"]
    assert lines[4].startswith("| update | `adset.chat_us` | 12") and lines[4].endswith(
        "| `daily_budget` | 13 |")
    assert len(lines) == 7  # the unchanged campaign is only counted


def _adflow(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "META_ACCESS_TOKEN"}
    return subprocess.run([ADFLOW, *args], capture_output=True, text=True, timeout=60,
                          check=False, env={**environment, **env})


def test_plan_command_formats_output_file_and_exit_codes(tmp_path: Path) -> None:
    state_text, _ = state_after_creating(document(V1))
    state = tmp_path / "v1.state"
    state.write_text(state_text)
    done = _adflow("plan", str(V2), "--state", str(state))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("~ adset.chat_us: daily_budget 2500 -> 4000\n")
    out = tmp_path / "plan.json"
    done = _adflow("plan", str(V2), "--state", str(state), "--format", "json", "-o", str(out))
    assert done.returncode == 0 and done.stdout == ""
    assert json.loads(out.read_text())["summary"]["replace"] == 1
    missing = _adflow("plan", str(V2), "--state", str(tmp_path / "none.state"))
    assert missing.returncode == 0 and "does not exist yet" in missing.stderr
    assert missing.stdout.endswith("Plan: 4 to create, 0 to update, 0 to replace, "
                                   "0 unchanged, 0 orphaned.\n")
    broken = tmp_path / "broken.adflow"
    broken.write_text(V2.read_text().replace("objective OUTCOME_ENGAGEMENT", "objective NOPE"))
    bad = _adflow("plan", str(broken), "--state", str(state))
    assert bad.returncode == 1 and "objective" in bad.stderr and bad.stdout == ""
    kept = state.read_text()
    over = _adflow("plan", str(V2), "--state", str(state), "-o", str(state))
    assert over.returncode == 2 and state.read_text() == kept  # -o never names an input
    no_token = _adflow("plan", str(V2), "--state", str(state), "--refresh")
    assert no_token.returncode == 2 and "META_ACCESS_TOKEN" in no_token.stderr


def test_refresh_reads_the_sandbox_with_the_token_in_a_header_only(tmp_path: Path) -> None:
    token = "EAAplanRefreshSECRET42"
    with Sandbox(tmp_path) as sandbox:
        ids: dict[str, str] = {}
        lines = []
        for request in document(V1).requests:
            body = sent(request.body, ids)
            status, answer = sandbox.call("POST", f"/v25.0/{request.path}",
                                          json.dumps(body).encode(),
                                          {"Content-Type": "application/json",
                                           "Authorization": f"OAuth {token}"})
            assert status == 200, answer
            ids[request.key] = answer["id"]
            lines.append(json.dumps({"key": request.key, "id": answer["id"], "fields": body}))
        state = tmp_path / "state"
        state.write_text("\n".join(lines) + "\n")
        # Someone raises the budget in Ads Manager.
        status, _ = sandbox.call("POST", f"/v25.0/{ids['adset.chat_us']}",
                                 b'{"daily_budget": 9000}',
                                 {"Content-Type": "application/json",
                                  "Authorization": f"OAuth {token}"})
        assert status == 200
        plain = _adflow("plan", str(V1), "--state", str(state))
        fresh = _adflow("plan", str(V1), "--state", str(state), "--refresh",
                        META_ACCESS_TOKEN=token, GRAPH_API_URL=sandbox.url)
        gone = _adflow("plan", str(V1), "--state", str(state).replace("state", "nostate"),
                       "--refresh", META_ACCESS_TOKEN=token, GRAPH_API_URL=sandbox.url)
        entries = sandbox.entries()
    assert plain.returncode == 0 and plain.stdout.startswith("Plan: 0 to create, 0 to update")
    assert fresh.returncode == 0, fresh.stderr
    assert fresh.stdout.splitlines() == [
        "~ adset.chat_us: daily_budget 9000 -> 2500 (changed outside adflow)",
        "Plan: 0 to create, 1 to update, 0 to replace, 3 unchanged, 0 orphaned."]
    assert gone.returncode == 0
    reads = [e for e in entries if e["method"] == "GET"]
    assert len(reads) == 4 and reads[1]["path"] == f"/v25.0/{ids['adset.chat_us']}"
    assert reads[1]["query"]["fields"].split(",")[:2] == ["campaign_id", "name"]
    for place in (fresh.stdout, fresh.stderr, sandbox.record.read_text()):
        assert token not in place


def test_refresh_reports_metas_error_without_the_token(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.write_text('{"key": "campaign.chat", "id": "123", "fields": {"name": "x"}}\n')
    with Sandbox(tmp_path) as sandbox:
        done = _adflow("plan", str(V1), "--state", str(state), "--refresh",
                       META_ACCESS_TOKEN="EAAsecret", GRAPH_API_URL=sandbox.url)
    assert done.returncode == 2
    assert "cannot read campaign.chat (id 123): Graph API error 100/33" in done.stderr
    assert "EAAsecret" not in done.stderr + done.stdout


def _create(sandbox: Sandbox, path: str, body: dict[str, Any]) -> str:
    status, answer = sandbox.call("POST", path, json.dumps(body).encode(),
                                  {"Content-Type": "application/json",
                                   "Authorization": "OAuth x"})
    assert status == 200, answer
    return str(answer["id"])


def test_sandbox_updates_what_meta_lets_you_edit_and_refuses_the_rest(tmp_path: Path) -> None:
    doc = document(V1)
    headers = {"Content-Type": "application/json", "Authorization": "OAuth x"}
    with Sandbox(tmp_path) as sandbox:
        ids: dict[str, str] = {}
        for request in doc.requests:
            ids[request.key] = _create(sandbox, f"/v25.0/{request.path}",
                                       sent(request.body, ids))
        adset, creative = ids["adset.chat_us"], ids["creative.text_image"]
        ok = sandbox.call("POST", f"/v25.0/{adset}", b'{"daily_budget": 4000}', headers)
        read = sandbox.call("GET", f"/v25.0/{adset}?fields=daily_budget,name", None, headers)
        renamed = sandbox.call("POST", f"/v25.0/{creative}", b'{"name": "new name"}', headers)
        story = sandbox.call("POST", f"/v25.0/{creative}",
                             b'{"object_story_spec": {"page_id": "1"}}', headers)
        moved = sandbox.call("POST", f"/v25.0/{ids['ad.text_image_ad']}",
                             b'{"adset_id": "5"}', headers)
    assert ok == (200, {"success": True})
    assert read == (200, {"id": adset, "daily_budget": 4000, "name": "Chat US"})
    assert renamed[0] == 200
    assert story[0] == 400
    error = story[1]["error"]
    assert (error["code"], error["error_subcode"]) == (100, 1815573)
    assert error["error_data"] == {"blame_field_specs": [["object_story_spec"]]}
    assert moved[0] == 400 and moved[1]["error"]["error_data"]["blame_field_specs"] == [
        ["adset_id"]]


def test_sandbox_fail_with_subcode_and_blamed_field(tmp_path: Path) -> None:
    with Sandbox(tmp_path, "--fail", "1:100/1487079:targeting.geo_locations",
                 "--fail", "2:100/2490408", "--fail", "3:17") as sandbox:
        answers = [sandbox.call("GET", "/v25.0/1", None, {"Authorization": "OAuth x"})
                   for _ in range(3)]
    first, second, third = (a[1]["error"] for a in answers)
    assert (first["code"], first["error_subcode"]) == (100, 1487079)
    assert first["error_data"] == {"blame_field_specs": [["targeting", "geo_locations"]]}
    assert first["error_user_msg"].startswith("targeting.geo_locations")
    assert second["error_subcode"] == 2490408 and "error_data" not in second
    assert "optimization goal" in second["error_user_msg"]
    assert third["code"] == 17 and "error_subcode" not in third


@pytest.mark.parametrize("option", ["1:100/:x", "1:100/5:", "1:100:a..b", "1:100/x"])
def test_sandbox_rejects_malformed_blamed_failures(option: str) -> None:
    done = _adflow("sandbox", "--port", "0", "--fail", option)
    assert done.returncode == 2 and "CODE[/SUBCODE][:FIELD.PATH]" in done.stderr


def test_explain_puts_a_saved_error_on_the_blamed_line(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    done = _adflow("compile", str(V1.relative_to(ROOT)), "-o", str(plan))
    assert done.returncode == 0, done.stderr
    error = tmp_path / "error.json"
    # The envelope as Meta sends it, error_data as JSON text (Meta's error-handling page).
    error.write_text(json.dumps({"error": {
        "message": "Invalid parameter", "type": "OAuthException", "code": 100,
        "error_subcode": 1487079, "error_user_title": "Invalid location",
        "error_user_msg": "Choose a location to target.", "is_transient": False,
        "error_data": json.dumps({"blame_field_specs": [["targeting", "geo_locations"]]}),
        "fbtrace_id": "AbCdEf"}}))
    countries = next(n for n, line in enumerate(V1.read_text().splitlines(), 1)
                     if "countries" in line)
    found = subprocess.run([ADFLOW, "explain", str(error), "--plan", str(plan)],
                           capture_output=True, text=True, timeout=60, check=False, cwd=ROOT)
    assert found.returncode == 0, found.stderr
    assert found.stdout == (f"tests/changes/v1.adflow:{countries}:15: Graph API error "
                            "100/1487079: Invalid parameter (Choose a location to target.)\n")
    # No blamed field: the request named with --key, at the object's line.
    error.write_text(json.dumps({"error": {"message": "Invalid parameter", "code": 100,
                                           "error_subcode": 1885154}}))
    keyed = _adflow("explain", str(error), "--plan", str(plan), "--key", "adset.chat_us")
    assert keyed.returncode == 0
    assert keyed.stdout.splitlines() == [
        "tests/changes/v1.adflow:13:1: Graph API error 100/1885154: Invalid parameter",
        "  note: the ad set needs a promoted object (promoted_object.page_id)"]
    unplaced = _adflow("explain", str(error), "--plan", str(plan))
    assert unplaced.returncode == 2 and "--key" in unplaced.stderr
    not_plan = _adflow("explain", str(error), "--plan", str(error))
    assert not_plan.returncode == 2 and "not an adflow plan" in not_plan.stderr


def test_values_compare_as_the_bundles_jq_compares_them() -> None:
    """jq holds numbers as doubles, and the bundle decides with jq: adflow
    plan must decide the same, or a plan would not be what an apply does."""
    assert changes.same(120_000_000_000_000_001, 120_000_000_000_000_000, {})
    assert changes.same(2500, 2500.0, {}) and not changes.same(2500, "2500", {})
    assert not changes.same(False, 0, {}) and not changes.same(None, False, {})
    assert changes.same({"$json": {"a": [1, "x"]}}, '{ "a" : [1, "x"] }', {})
    assert not changes.same({"$ref": "campaign.chat"}, "1", {})  # an id not known yet
    assert changes.same({"$ref": "campaign.chat"}, "1", {"campaign.chat": "1"})


# -- the parent is part of an object's identity ----------------------------------------------------

def test_another_account_replaces_everything_in_it(tmp_path: Path) -> None:
    state_text, ids = state_after_creating(document(V1))
    moved = tmp_path / "moved.adflow"
    moved.write_text(V1.read_text().replace("account act_1234567890", "account act_999"))
    found = changes.plan_changes(document_at(moved), changes.read_state(state_text))
    assert [(c.key, c.action, c.moved_from) for c in found] == [
        ("campaign.chat", "replace", "act_1234567890/campaigns"),
        ("adset.chat_us", "replace", "act_1234567890/adsets"),
        ("creative.text_image", "replace", "act_1234567890/adcreatives"),
        ("ad.text_image_ad", "replace", "act_1234567890/ads"),
    ]
    text = changes.render_text(found).splitlines()
    assert text[0] == "-/+ campaign.chat: parent act_1234567890 -> act_999 (an object cannot " \
        "move: replace)"
    assert text[-1] == "Plan: 0 to create, 0 to update, 4 to replace, 0 unchanged, 0 orphaned."
    plan = json.loads(changes.render_json(document_at(moved), found))
    assert plan["changes"][0]["moved_from"] == "act_1234567890/campaigns"
    # A line written before paths were recorded cannot say where it lives: compared as before.
    old = changes.read_state(state_text.replace('"path": "act_1234567890/campaigns", ', ""))
    assert changes.plan_changes(document_at(moved), old)[0].action == "none"


def test_another_page_replaces_the_lead_form() -> None:
    sample = ROOT / "samples" / "seed_lead_form.adflow"
    state_text, _ = state_after_creating(document(sample))
    doc = document(sample)
    form = doc.requests[0]
    assert form.key == "lead_form.quote"
    state = changes.read_state(state_text.replace(f'"path": "{form.path}"',
                                                  '"path": "555/messenger_lead_forms"'))
    found = changes.plan_changes(doc, state)
    assert (found[0].action, found[0].moved_from) == ("replace", "555/messenger_lead_forms")
    assert changes.render_text(found).splitlines()[0] == (
        "-/+ lead_form.quote: parent 555 -> 111222333444 (an object cannot move: replace)")
    # The creative that holds the form's id follows it.
    assert {c.key: c.action for c in found}["creative.quote_image"] == "replace"


def document_at(path: Path) -> Document:
    result = check_file(path, display=path.name)
    assert result.errors == 0 and result.document is not None
    return result.document


# -- a create whose outcome is unknown is shown as pending ----------------------------------------

def test_a_pending_create_is_shown_with_what_to_do(tmp_path: Path) -> None:
    state_text, ids = state_after_creating(document(V1))
    lines = state_text.splitlines()
    state = tmp_path / "state"
    state.write_text("\n".join(lines[:2]) + '\n{"key": "creative.text_image", "pending": true}\n')
    text = _adflow("plan", str(V1), "--state", str(state))
    as_json = _adflow("plan", str(V1), "--state", str(state), "--format", "json")
    markdown = _adflow("plan", str(V1), "--state", str(state), "--format", "markdown")
    assert text.returncode == 0, text.stderr
    assert text.stdout.splitlines() == [
        "! creative.text_image: pending: sent by an earlier run that got no answer, it may "
        "exist at Meta; look it up, then run the bundle with --assume-created "
        "creative.text_image=ID (it exists) or --retry-unknown (it does not)",
        "+ ad.text_image_ad: create",
        "Plan: 1 to create, 0 to update, 0 to replace, 2 unchanged, 0 orphaned, 1 pending."]
    plan = json.loads(as_json.stdout)
    assert plan["changes"][2]["action"] == "pending" and plan["summary"]["pending"] == 1
    assert "| pending | `creative.text_image` |" in markdown.stdout
    assert "--assume-created creative.text_image=ID" in markdown.stdout


# -- --refresh never follows a redirect ------------------------------------------------------------

def test_refresh_never_sends_the_token_through_a_redirect(tmp_path: Path) -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    seen: list[str] = []

    class Elsewhere(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.headers.get("Authorization") or "")
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    elsewhere = ThreadingHTTPServer(("127.0.0.1", 0), Elsewhere)
    target = f"http://127.0.0.1:{elsewhere.server_address[1]}"

    class Redirect(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(302)
            self.send_header("Location", target + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    redirect = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    servers = [elsewhere, redirect]
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in servers]
    for thread in threads:
        thread.start()
    try:
        state_text, _ = state_after_creating(document(V1))
        state = tmp_path / "state"
        state.write_text(state_text)
        done = _adflow("plan", str(V1), "--state", str(state), "--refresh",
                       META_ACCESS_TOKEN="EAAredirectSECRET",
                       GRAPH_API_URL=f"http://127.0.0.1:{redirect.server_address[1]}")
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
    assert seen == []
    assert done.returncode == 2 and "redirect" in done.stderr and "not followed" in done.stderr
    assert "EAAredirectSECRET" not in done.stderr


# -- a file that is not a state ------------------------------------------------------------------

def test_plan_refuses_a_file_that_is_not_a_state(tmp_path: Path) -> None:
    bundle = tmp_path / "create.sh"
    plan = tmp_path / "plan.json"
    assert _adflow("compile", str(V1), "--emit", "curl", "-o", str(bundle)).returncode == 0
    assert _adflow("compile", str(V1), "--emit", "json", "-o", str(plan)).returncode == 0
    damaged = tmp_path / "damaged.state"
    damaged.write_text('{"key": "campaign.chat", "pending": true}\n{"key": "campaign.chat", "id')
    for state, says in [(bundle, "a shell script"), (plan, "adflow.plan/1 file"),
                        (damaged, f"{damaged}:2: damaged")]:
        done = _adflow("plan", str(V1), "--state", str(state))
        assert done.returncode == 2 and says in done.stderr, done.stderr
        assert done.stdout == ""
    # --state is required: its help names no default (the options after it may)
    helped = _adflow("plan", "--help").stdout
    state_help = helped[helped.index("  --state"):helped.index("  --refresh")]
    assert "STATE" in state_help and "default" not in state_help, state_help
