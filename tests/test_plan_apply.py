"""Change management end to end (issue 13): real bash + curl + jq bundles
against `adflow sandbox`, with `adflow plan` reading the state they write."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from adflow.compiler.tools.changes import digest
from conftest import ADFLOW, ROOT
from test_curl_bundle import TOKEN, run_bundle
from test_sandbox import Sandbox

V1 = Path("tests/changes/v1.adflow")
V2 = Path("tests/changes/v2.adflow")


def adflow(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ADFLOW, *args], capture_output=True, text=True, timeout=60,
                          check=False, cwd=ROOT, env={**os.environ, **env})


def bundle_of(source: Path, folder: Path) -> Path:
    bundle = folder / (source.stem + ".sh")
    done = adflow("compile", str(source), "--emit", "curl", "-o", str(bundle))
    assert done.returncode == 0, done.stderr
    return bundle


def plan_json(source: Path, state: Path, *options: str, **env: str) -> dict[str, Any]:
    done = adflow("plan", str(source), "--state", str(state), "--format", "json", *options, **env)
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def done_lines(state: Path) -> list[dict[str, Any]]:
    """The state's lines that record an id (the bundle also writes markers)."""
    return [line for line in map(json.loads, state.read_text().splitlines()) if "id" in line]


def actions(plan: dict[str, Any]) -> dict[str, tuple[str, list[str]]]:
    return {c["key"]: (c["action"], c["fields"]) for c in plan["changes"]}


def test_create_plan_apply_and_plan_again(tmp_path: Path) -> None:
    v1, v2 = bundle_of(V1, tmp_path), bundle_of(V2, tmp_path)
    state = tmp_path / "live.state"
    env = {"ADFLOW_STATE": str(state)}
    with Sandbox(tmp_path) as sandbox:
        created = run_bundle(v1, sandbox.url, **env)
        assert created.returncode == 0, created.stderr
        ids = {e["key"]: e["id"] for e in done_lines(state)}
        before = len(sandbox.entries())

        planned = plan_json(V2, state)
        assert actions(planned) == {
            "campaign.chat": ("none", []),
            "adset.chat_us": ("update", ["daily_budget"]),
            "creative.text_image": ("replace", ["object_story_spec"]),
            "ad.text_image_ad": ("update", ["creative"]),
        }
        assert planned["summary"] == {"create": 0, "update": 2, "replace": 1, "none": 1,
                                      "orphan": 0, "pending": 0}
        text = adflow("plan", str(V2), "--state", str(state)).stdout
        dry = run_bundle(v2, sandbox.url, "--dry-run", **env)
        assert dry.returncode == 0, dry.stderr
        assert dry.stdout.startswith(text)  # the bundle's plan is adflow's plan
        assert len(sandbox.entries()) == before  # a dry run sends nothing

        applied = run_bundle(v2, sandbox.url, **env)
        assert applied.returncode == 0, applied.stderr
        sent = sandbox.entries()[before:]
        again = plan_json(V2, state)
        rerun = run_bundle(v2, sandbox.url, **env)
        assert rerun.returncode == 0, rerun.stderr
        assert len(sandbox.entries()) == before + len(sent)  # nothing left to send

    new_creative = sent[1]["response"]["id"]
    assert [(e["path"], e["body"], e["status"]) for e in sent] == [
        (f"/v25.0/{ids['adset.chat_us']}", {"daily_budget": 4000}, 200),
        ("/v25.0/act_1234567890/adcreatives", sent[1]["body"], 200),
        (f"/v25.0/{ids['ad.text_image_ad']}", {"creative": {"creative_id": new_creative}}, 200),
    ]
    assert (sent[1]["body"]["object_story_spec"]["link_data"]["page_welcome_message"]
            == "Hi {{user_first_name}}! Want a plumber today?")
    assert "updated" in applied.stdout and f"replaced {ids['creative.text_image']} with " \
        f"{new_creative}" in applied.stdout
    assert {c["action"] for c in again["changes"]} == {"none"}
    assert "unchanged" in rerun.stdout
    # The state: every done line's digest is the body's, the replace says what it replaced.
    lines = done_lines(state)
    assert all(line["digest"] == digest(line["fields"]) for line in lines)
    assert lines[5]["key"] == "creative.text_image" and lines[5]["replaces"] == ids[
        "creative.text_image"] and lines[5]["id"] == new_creative
    assert lines[4]["fields"]["daily_budget"] == 4000 and lines[4]["id"] == ids["adset.chat_us"]


def test_drift_shows_with_refresh_and_orphans_in_both_plans(tmp_path: Path) -> None:
    v1 = bundle_of(V1, tmp_path)
    state = tmp_path / "live.state"
    env = {"ADFLOW_STATE": str(state)}
    with Sandbox(tmp_path) as sandbox:
        assert run_bundle(v1, sandbox.url, **env).returncode == 0
        adset = next(e["id"] for e in done_lines(state) if e["key"] == "adset.chat_us")
        # Changed behind adflow's back, as someone in Ads Manager would.
        status, _ = sandbox.call("POST", f"/v25.0/{adset}", b'{"name": "Chat US (edited)"}',
                                 {"Content-Type": "application/json",
                                  "Authorization": "OAuth x"})
        assert status == 200
        offline = plan_json(V1, state)
        live = plan_json(V1, state, "--refresh", META_ACCESS_TOKEN=TOKEN,
                         GRAPH_API_URL=sandbox.url)
        text = adflow("plan", str(V1), "--state", str(state), "--refresh",
                      META_ACCESS_TOKEN=TOKEN, GRAPH_API_URL=sandbox.url).stdout
        # Put the name back: the update the plan announced.
        assert run_bundle(v1, sandbox.url, **env).returncode == 0
        with state.open("a") as f:
            f.write('{"key": "ad.retired", "id": "120000000000000099", "fields": {}}\n')
        orphaned = adflow("plan", str(V1), "--state", str(state)).stdout
        dry = run_bundle(v1, sandbox.url, "--dry-run", **env)
    assert {c["action"] for c in offline["changes"]} == {"none"}
    assert actions(live)["adset.chat_us"] == ("update", ["name"])
    assert '~ adset.chat_us: name "Chat US (edited)" -> "Chat US" (changed outside adflow)' in text
    assert orphaned.splitlines() == [
        "? ad.retired: id 120000000000000099 is in the state but not in the file: left alone",
        "Plan: 0 to create, 0 to update, 0 to replace, 4 unchanged, 1 orphaned."]
    assert dry.stdout == orphaned  # the same plan, and nothing to send


def test_a_blamed_error_is_printed_at_the_fields_line(tmp_path: Path) -> None:
    v1 = bundle_of(V1, tmp_path)
    countries = next(n for n, line in enumerate((ROOT / V1).read_text().splitlines(), 1)
                     if "countries" in line)
    with Sandbox(tmp_path, "--fail", "2:100/1487079:targeting.geo_locations") as sandbox:
        done = run_bundle(v1, sandbox.url, ADFLOW_STATE=str(tmp_path / "state"))
    assert done.returncode == 1
    assert (f"{V1}:{countries}:15: Graph API error 100/1487079: Invalid parameter "
            "(targeting.geo_locations is not valid)") in done.stderr.splitlines()


def test_a_refused_update_is_blamed_on_its_line(tmp_path: Path) -> None:
    """A creative renamed behind the state's back (here: in the state) is an
    update of `name`; Meta's refusal of it is printed at the name's line."""
    v1 = bundle_of(V1, tmp_path)
    state = tmp_path / "state"
    with Sandbox(tmp_path, "--fail", "6:100/1815573:name") as sandbox:
        assert run_bundle(v1, sandbox.url, ADFLOW_STATE=str(state)).returncode == 0
        creative = done_lines(state)[2]
        creative["fields"]["name"] = "old name"
        state.write_text(state.read_text() + json.dumps(creative) + "\n")
        renamed = run_bundle(v1, sandbox.url, ADFLOW_STATE=str(state))  # request 5
        state.write_text(state.read_text() + json.dumps(creative) + "\n")
        refused = run_bundle(v1, sandbox.url, ADFLOW_STATE=str(state))  # request 6
        entries = sandbox.entries()
    assert renamed.returncode == 0, renamed.stderr
    assert [(e["path"], e["body"]) for e in entries[4:]] == [
        (f"/v25.0/{creative['id']}", {"name": "CTM image, text welcome"})] * 2
    assert refused.returncode == 1
    name = next(n for n, line in enumerate((ROOT / V1).read_text().splitlines(), 1)
                if line == '  name "CTM image, text welcome"')
    assert (f"{V1}:{name}:8: Graph API error 100/1815573: Invalid parameter (name: the "
            "parameter is not supported: Meta does not let this field be edited (create a new "
            "object instead))") in refused.stderr.splitlines()


def test_the_bundle_and_adflow_plan_agree_on_every_kind_of_change(tmp_path: Path) -> None:
    """A dry run only reads the state, so no server is needed: a state edited
    in every way adflow plan knows, and the two text forms must be equal."""
    from test_plan import document, state_after_creating

    sample = ROOT / "samples" / "ctm_welcome_messages.adflow"
    state_text, ids = state_after_creating(document(sample))
    lines = [json.loads(x) for x in state_text.splitlines()]
    by_key = {line["key"]: line for line in lines}
    by_key["campaign.chat"]["fields"]["objective"] = "OUTCOME_LEADS"  # replace, cascading
    by_key["creative.text_video"]["fields"]["name"] = "Wide \u00e9t\u00e9 \x1b[31m\u202e"
    story = by_key["creative.ice_breakers"]["fields"]["object_story_spec"]["link_data"]
    welcome = json.loads(story["page_welcome_message"])
    welcome["text_format"]["message"]["ice_breakers"][1]["response"] = "A menu? " + "x" * 80
    story["page_welcome_message"] = json.dumps(welcome)  # other spacing: same meaning
    by_key["ad.call_prompt_ad"]["fields"]["tracking_specs"] = [{"action.type": ["x"]}]
    del by_key["ad.quick_replies_ad"]["fields"]["status"]
    lines = [line for line in lines if line["key"] != "creative.partner_flow"]  # create
    lines.append({"key": "ad.retired", "id": "99", "fields": {"name": "gone"}})
    lines.append({"key": "ad.text_image_ad", "activated": True})
    lines.append({"key": "creative.call_prompt", "pending": True})  # outcome unknown
    by_key["creative.text_image"]["path"] = "act_5/adcreatives"  # another account: replace
    state = tmp_path / "edited.state"
    state.write_text("".join(json.dumps(line) + "\n" for line in lines))

    bundle = bundle_of(Path("samples/ctm_welcome_messages.adflow"), tmp_path)
    dry = run_bundle(bundle, "http://127.0.0.1:9", "--dry-run", ADFLOW_STATE=str(state))
    text = adflow("plan", "samples/ctm_welcome_messages.adflow", "--state", str(state))
    assert dry.returncode == 0 and text.returncode == 0, dry.stderr + text.stderr
    plan_lines = text.stdout.splitlines()
    assert dry.stdout.splitlines()[:len(plan_lines)] == plan_lines
    assert plan_lines[-1] == ("Plan: 1 to create, 1 to update, 10 to replace, 1 unchanged, "
                              "1 orphaned, 1 pending.")
    assert "! creative.call_prompt: pending: sent by an earlier run that got no answer, it may " \
        "exist at Meta; look it up, then run the bundle with --assume-created " \
        "creative.call_prompt=ID (it exists) or --retry-unknown (it does not)" in plan_lines
    assert "-/+ creative.text_image: parent act_5 -> act_1234567890 (an object cannot move: " \
        "replace)" in plan_lines
    assert "# creative.call_prompt: pending, outcome unknown: a run stops here (exit 3)" \
        in dry.stdout.splitlines()
    # The objective cannot change: the campaign, its ad set and their ads are replaced.
    assert plan_lines[0] == ('-/+ campaign.chat: objective "OUTCOME_LEADS" -> '
                             '"OUTCOME_ENGAGEMENT" (cannot be edited: replace)')
    assert "-/+ ad.call_prompt_ad: tracking_specs [{\"action.type\":[\"x\"]}] -> (unset) " \
        "(cannot be removed: replace)" in plan_lines
    # Control characters stay escaped, bidi controls become "?".
    assert '~ creative.text_video: name "Wide \u00e9t\u00e9 \\u001b[31m?" -> ' \
        '"CTM video, text welcome"' in plan_lines
    # Inside the welcome message's JSON text: the one answer that changed, cut
    # at 60 characters; the text's other spacing is no change.
    story = [line for line in plan_lines if line.startswith("-/+ creative.ice_breakers")]
    assert story == ["-/+ creative.ice_breakers: object_story_spec.link_data.page_welcome_message."
                     'text_format.message.ice_breakers.1.response "A menu? ' + "x" * 48 + '... -> '
                     '"Here is what we offer: repairs, installs, inspections." '
                     "(cannot be edited: replace)"]


def test_activate_keeps_updated_ads_and_activates_replaced_ones(tmp_path: Path) -> None:
    v1, v2 = bundle_of(V1, tmp_path), bundle_of(V2, tmp_path)
    # Another page: the ad set's promoted page and the creative's story cannot
    # be edited, so both are replaced, and the ad with them (adset_id).
    moved = tmp_path / "v3.adflow"
    moved.write_text((ROOT / V2).read_text().replace("page acme 111222333444",
                                                     "page acme 111222333555"))
    v3 = bundle_of(moved, tmp_path)
    state = tmp_path / "live.state"
    env = {"ADFLOW_STATE": str(state)}
    with Sandbox(tmp_path) as sandbox:
        for bundle in (v1, v2, v3):
            done = run_bundle(bundle, sandbox.url, "--activate", **env)
            assert done.returncode == 0, done.stderr
        entries = sandbox.entries()
    ads = [e["response"]["id"] for e in entries if e["path"].endswith("/ads")]
    activations = [e["path"] for e in entries if e["body"] == {"status": "ACTIVE"}]
    assert len(ads) == 2  # v2 updated the ad, v3 replaced it
    assert activations == [f"/v25.0/{ads[0]}", f"/v25.0/{ads[1]}"]
    assert "replaced" in done.stdout and {c["action"] for c in plan_json(
        moved, state)["changes"]} == {"none"}


def test_another_account_and_page_are_created_there(tmp_path: Path) -> None:
    """The parent is part of an object's identity: after the account (and the
    page) change, everything in them is created in the new place."""
    v1 = bundle_of(V1, tmp_path)
    moved = tmp_path / "moved.adflow"
    moved.write_text((ROOT / V1).read_text().replace("account act_1234567890",
                                                     "account act_999"))
    v1_moved = bundle_of(moved, tmp_path)
    state = tmp_path / "live.state"
    env = {"ADFLOW_STATE": str(state)}
    with Sandbox(tmp_path) as sandbox:
        assert run_bundle(v1, sandbox.url, **env).returncode == 0
        planned = plan_json(moved, state)
        text = adflow("plan", str(moved), "--state", str(state))
        done = run_bundle(v1_moved, sandbox.url, **env)
        entries = sandbox.entries()
    assert {c["action"] for c in planned["changes"]} == {"replace"}
    assert planned["changes"][0]["moved_from"] == "act_1234567890/campaigns"
    assert text.stdout.splitlines()[0] == ("-/+ campaign.chat: parent act_1234567890 -> act_999 "
                                           "(an object cannot move: replace)")
    assert done.returncode == 0, done.stderr
    created = [e["path"] for e in entries if e["method"] == "POST" and e["path"].count("/") == 3]
    assert created[4:] == ["/v25.0/act_999/campaigns", "/v25.0/act_999/adsets",
                           "/v25.0/act_999/adcreatives", "/v25.0/act_999/ads"]
    assert {c["action"] for c in plan_json(moved, state)["changes"]} == {"none"}
    assert done.stdout.splitlines()[-1] == "done: 4 request(s) sent"
