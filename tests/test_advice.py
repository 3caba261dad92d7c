"""Help in the input's own language: the advice a rule gives is written in
JSON for a JSON payload and in the DSL for an .adflow file (rules.base.advice)."""

from __future__ import annotations

from adflow.compiler.model import Document
from adflow.compiler.rules.base import advice


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
