"""Help in the input's own language: the advice a rule gives is written in
JSON for a JSON payload and in the DSL for an .adflow file (rules.base.advice)."""

from __future__ import annotations

import json
from pathlib import Path

from adflow.compiler.model import Document
from adflow.compiler.pipeline import check_file
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
