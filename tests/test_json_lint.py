"""Linting Graph API JSON: bare bodies of every kind, requests, lists of
requests and plans, with positions into the JSON."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from adflow.compiler.front.source import Source
from adflow.compiler.pipeline import check_file, check_source
from conftest import ADFLOW, SAMPLES

PAYLOADS = SAMPLES / "payloads"
# Each sample payload and the kinds of request adflow reads from it.
EXPECTED_KINDS = {
    "campaign_body.json": ["campaign"],
    "adset_body.json": ["adset"],
    "creative_body.json": ["creative"],
    "ad_body.json": ["ad"],
    "seed_lead_form.json": ["lead_form"],
    "campaign_request.json": ["campaign"],
    "requests.json": ["adset", "creative", "ad"],
    "lead_ad_plan.json": ["lead_form", "campaign", "adset", "creative", "ad"],
}


def test_every_payload_sample_is_listed_here_and_in_the_samples_readme() -> None:
    names = sorted(p.name for p in PAYLOADS.glob("*.json"))
    assert names == sorted(EXPECTED_KINDS)
    readme = (SAMPLES / "README.md").read_text()
    for name in names:
        assert f"payloads/{name}" in readme


@pytest.mark.parametrize("name", sorted(EXPECTED_KINDS))
def test_payload_samples_read_as_their_kinds_without_errors(name: str) -> None:
    result = check_file(PAYLOADS / name)
    assert result.document is not None
    assert [r.kind for r in result.document.requests] == EXPECTED_KINDS[name]
    assert not result.errors, [str(d) for d in result.diagnostics]


@pytest.mark.parametrize("keys, kind", [
    ({"step_list": []}, "lead_form"),
    ({"object_story_spec": {}}, "creative"),
    ({"object_story_id": "1_2"}, "creative"),
    ({"source_instagram_media_id": "1"}, "creative"),
    ({"optimization_goal": "CONVERSATIONS"}, "adset"),
    ({"billing_event": "IMPRESSIONS"}, "adset"),
    ({"objective": "OUTCOME_LEADS"}, "campaign"),
    ({"adset_id": "1", "creative": {"creative_id": "2"}}, "ad"),
])
def test_the_kind_of_a_bare_body_follows_from_its_keys(keys: dict[str, Any], kind: str) -> None:
    result = check_source(Source("body.json", json.dumps({"name": "x", **keys})))
    assert result.document is not None
    assert [r.kind for r in result.document.requests] == [kind]


def test_json_that_is_no_body_is_a_diagnostic_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text('{"hello": "world"}\n')
    done = subprocess.run([ADFLOW, "check", str(path)], capture_output=True, text=True)
    assert done.returncode == 1
    assert "S005" in done.stdout
    assert "Traceback" not in done.stderr


def _codes(path: Path) -> list[tuple[str, str]]:
    result = check_file(path)
    return sorted((d.code, d.message) for d in result.diagnostics)


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("*.adflow")), ids=lambda p: p.stem)
def test_a_compiled_plan_gets_the_same_findings_as_its_source(sample: Path, tmp_path: Path) -> None:
    """Every check that applies runs on the plan: `$ref` markers resolve to
    the plan's other requests, so cross-object rules fire there too."""
    plan = tmp_path / f"{sample.stem}.json"
    done = subprocess.run([ADFLOW, "compile", str(sample), "--emit", "json", "-o", str(plan)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    # Messages name steps by their DSL names in the source and by ids in JSON.
    source_codes = sorted(code for code, _ in _codes(sample))
    plan_codes = sorted(code for code, _ in _codes(plan))
    assert plan_codes == source_codes


def _plan_with_mismatched_pages() -> dict[str, Any]:
    plan = json.loads((PAYLOADS / "lead_ad_plan.json").read_text())
    plan["requests"][2]["body"]["promoted_object"]["page_id"] = "999888777666"
    return plan


def test_cross_object_rules_follow_refs_in_a_plan(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    text = json.dumps(_plan_with_mismatched_pages(), indent=2)
    path.write_text(text)
    result = check_file(path)
    [c009] = [d for d in result.diagnostics if d.code == "C009"]
    # positioned inside the JSON, at one of the two page ids
    line = text.splitlines()[c009.span.line - 1]
    assert '"page_id"' in line


def test_findings_inside_json_in_a_string_point_inside_the_string(tmp_path: Path) -> None:
    """The embedded text's line and column are mapped back: the finding is
    at the value inside the string, not the whole string."""
    body = json.loads((PAYLOADS / "creative_body.json").read_text())
    data = body["object_story_spec"]["link_data"]
    welcome = json.loads(data["page_welcome_message"])
    welcome["text_format"]["message"]["text"] = "Hi {{first_name}}!"  # an unknown token
    data["page_welcome_message"] = json.dumps(welcome)
    text = json.dumps(body, indent=2)
    path = tmp_path / "creative.json"
    path.write_text(text)
    result = check_file(path)
    [c005] = [d for d in result.diagnostics if d.code == "C005"]
    line = text.splitlines()[c005.span.line - 1]
    assert line.lstrip().startswith('"page_welcome_message"')
    assert line[c005.span.column - 1:c005.span.end_column - 1] == '\\"Hi {{first_name}}!\\"'


def test_a_request_and_a_list_of_requests_keep_their_paths() -> None:
    result = check_file(PAYLOADS / "requests.json")
    assert result.document is not None
    assert [r.path for r in result.document.requests] == [
        "act_1234567890/adsets", "act_1234567890/adcreatives", "act_1234567890/ads"]
