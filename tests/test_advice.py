"""Help in the input's own language: the advice a rule gives is written in
JSON for a JSON payload and in the DSL for an .adflow file (rules.base.advice)."""

from __future__ import annotations

import json
from pathlib import Path

from adflow.compiler.bodies.fields import BLOCKS
from adflow.compiler.bodies.model import Document
from adflow.compiler.pipeline import check_file
from adflow.compiler.rules.base import added, advice, body_key, body_member, put, set_to


def test_dsl_input_gets_the_dsl_advice() -> None:
    document = Document("spring.adflow", "v25.0", ())
    assert advice(document, dsl="add adset_budget_sharing false",
                  json={"is_adset_budget_sharing_enabled": False}) == \
        "add adset_budget_sharing false"


def test_json_input_gets_json_members_to_add() -> None:
    document = Document("campaign.json", "v25.0", (), from_json=True)
    assert advice(document, dsl="add adset_budget_sharing false",
                  json={"is_adset_budget_sharing_enabled": False}) == \
        'add "is_adset_budget_sharing_enabled": false'
    assert advice(document, dsl="add instagram NAME",
                  json='add "instagram_user_id" to object_story_spec') == \
        'add "instagram_user_id" to object_story_spec'
    assert advice(document, dsl="add page NAME", json=None) is None


def test_d001_says_what_to_do_in_the_inputs_language(tmp_path: Path) -> None:
    """A JSON payload has no comments: D001 names the JSON field and the
    configuration, not `# adflow: ignore-file` nor the DSL's `welcome lead_form`."""
    form = {"privacy_url": "https://acme.example/privacy", "template_name": "Quote",
            "step_list": [{"step_id": "0", "step_type": "INTRO", "message": "Hi",
                           "reply_type": "NONE", "next_step_ids": ["1"]},
                          {"step_id": "1", "step_type": "CONFIRMATION", "message": "Thanks",
                           "reply_type": "NONE"}]}
    path = tmp_path / "form.json"
    path.write_text(json.dumps(form), encoding="utf-8")
    [d001] = [d for d in check_file(path).diagnostics if d.code == "D001"]
    assert d001.help is not None
    assert "ctm_lead_gen_template_id" in d001.help and "per-file-ignores" in d001.help
    assert "# adflow" not in d001.help and "welcome lead_form" not in d001.help


def test_json_words_come_from_the_field_table() -> None:
    """One place for each fact: a field's body key is its row's path."""
    assert body_key("adset", "destination") == "destination_type"
    assert body_member("campaign", "adset_budget_sharing", False) == \
        {"is_adset_budget_sharing_enabled": False}
    assert body_member("adset", "targeting.countries", ["US"]) == \
        {"targeting": {"geo_locations": {"countries": ["US"]}}}
    assert body_member("creative", "instagram", "1") == \
        {"object_story_spec": {"instagram_user_id": "1"}}
    for kind, table in BLOCKS.items():
        for head, row in table.items():
            assert body_key(kind, head) == row.path


def test_members_go_into_the_objects_the_body_already_has() -> None:
    page = body_member("adset", "promoted_page", "PAGE_ID")
    assert added(page) == 'add "promoted_object": {"page_id": "PAGE_ID"}'
    assert added(page, {"promoted_object": {"pixel_id": "1"}}) == \
        'add "page_id": "PAGE_ID" to promoted_object'
    assert added(body_member("adset", "targeting.countries", ["US"]),
                 {"targeting": {"geo_locations": {}}}) == \
        'add "countries": ["US"] to targeting.geo_locations'


def test_a_value_is_set_where_its_member_is_written_and_added_where_not() -> None:
    assert put({"destination_type": "MESSENGER"}, ["destination_type"], "WHATSAPP") == \
        'set "destination_type" to "WHATSAPP"'
    assert put({}, ["optimization_goal"], "LEAD_GENERATION", "QUALITY_LEAD") == \
        'add "optimization_goal": "LEAD_GENERATION" (or "QUALITY_LEAD")'
    assert set_to("optimization_goal", "LEAD_GENERATION", "QUALITY_LEAD") == \
        'set "optimization_goal" to "LEAD_GENERATION" or "QUALITY_LEAD"'
    assert set_to("type", "A", "B", "C") == 'set "type" to "A", "B" or "C"'
