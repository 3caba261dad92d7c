"""Plans (`adflow compile --emit json`): golden per sample, the contract's
shape, determinism, and the seed's corrected bodies."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from adflow.compiler.bodies.model import iter_refs
from adflow.compiler.pipeline import check_file
from adflow.emitters.requests import build_plan, render_plan
from conftest import GOLDEN, ROOT, SAMPLES, check_golden

TOP = sorted(SAMPLES.glob("*.adflow"))


def plan_of(path: Path) -> dict[str, Any]:
    result = check_file(path, display=str(path.relative_to(ROOT)))
    assert result.errors == 0 and result.document is not None
    return build_plan(result.document)


@pytest.mark.parametrize("path", TOP, ids=lambda p: p.name)
def test_plan_matches_golden(path: Path, update_golden: bool) -> None:
    result = check_file(path, display=str(path.relative_to(ROOT)))
    assert result.document is not None
    check_golden(GOLDEN / "plans" / f"{path.stem}.plan.json", render_plan(result.document),
                 update_golden)


def _walk(value: Any) -> Any:
    if isinstance(value, dict):
        for item in value.values():
            yield from _walk(item)
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


@pytest.mark.parametrize("path", TOP, ids=lambda p: p.name)
def test_plan_contract(path: Path) -> None:
    plan = plan_of(path)
    assert plan["format"] == "adflow.plan/1" and plan["api_version"] == "v25.0"
    keys = [r["key"] for r in plan["requests"]]
    assert len(keys) == len(set(keys))
    seen: set[str] = set()
    for request in plan["requests"]:
        assert request["method"] == "POST"
        assert not request["path"].startswith("/") and not request["path"].startswith("v")
        assert set(request["source"]) == {"file", "line", "column"}
        # dependency order: every $ref names an earlier request
        refs = list(iter_refs(request["body"]))
        assert set(refs) <= seen and request["needs"] == list(dict.fromkeys(refs))
        seen.add(request["key"])
        assert "access_token" not in json.dumps(request["body"])
        for node in _walk(request["body"]):
            for key in ("campaign_id", "adset_id", "page_id", "creative_id", "video_id",
                        "instagram_user_id", "pixel_id", "object_id"):
                if key in node:
                    value = node[key]
                    assert (isinstance(value, str) and value.isdigit()) or set(value) == {"$ref"}
            for key in ("daily_budget", "lifetime_budget", "bid_amount"):
                if key in node:
                    assert type(node[key]) is int


def test_compiling_twice_gives_the_same_bytes() -> None:
    for path in TOP:
        first = render_plan(check_file(path).document)  # type: ignore[arg-type]
        assert first == render_plan(check_file(path).document)  # type: ignore[arg-type]


def test_seed_lead_form_body_equals_the_corrected_seed() -> None:
    """the Click-to-Messenger guide's example, made valid JSON, ids as strings."""
    plan = plan_of(SAMPLES / "seed_lead_form.adflow")
    form = plan["requests"][0]
    assert form["key"] == "lead_form.quote" and form["path"] == "111222333444/messenger_lead_forms"
    expected = json.loads((SAMPLES / "payloads" / "seed_lead_form.json").read_text())
    for step in expected["step_list"]:
        ids = step.get("next_step_ids")
        if ids is not None:
            step["next_step_ids"] = [str(i) for i in (ids if isinstance(ids, list) else [ids])]
    expected["step_list"][0]["message"] = "Hi {{user_first_name}}! Let's get you a quote."
    assert form["body"] == expected


def test_ad_and_creative_bodies_follow_the_seed() -> None:
    plan = {r["key"]: r for r in plan_of(SAMPLES / "seed_lead_form.adflow")["requests"]}
    assert plan["ad.quote_ad"]["body"] == {
        "adset_id": {"$ref": "adset.quote_us"},
        "creative": {"creative_id": {"$ref": "creative.quote_image"}},
        "name": "quote_ad", "status": "PAUSED"}
    link = plan["creative.quote_image"]["body"]["object_story_spec"]["link_data"]
    assert link["call_to_action"] == {"type": "MESSAGE_PAGE",
                                      "value": {"app_destination": "MESSENGER"}}
    assert link["page_welcome_message"] == {
        "$json": {"ctm_lead_gen_template_id": {"$ref": "lead_form.quote"}}}
    adset = plan["adset.quote_us"]["body"]
    assert adset["billing_event"] == "IMPRESSIONS" and adset["status"] == "PAUSED"
    assert adset["targeting"] == {"geo_locations": {"countries": ["US", "CA"]},
                                  "device_platforms": ["mobile", "desktop"],
                                  "publisher_platforms": ["messenger"]}
