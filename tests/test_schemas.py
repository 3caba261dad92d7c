"""The package's JSON Schemas: valid schemas, accepting every sample's
bodies and rejecting the seed's known mistakes."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest

from adflow.compiler.check import check_path
from adflow.compiler.model import ENDPOINTS
from adflow.compiler.schemas import schema_errors
from conftest import ROOT, SAMPLES

SCHEMAS = ROOT / "emitters" / "schemas"


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS.values()))
def test_schema_is_valid_2020_12(endpoint: str) -> None:
    schema = json.loads((SCHEMAS / f"{endpoint}.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)


def sample_bodies() -> list[tuple[str, str, dict]]:
    out = []
    for path in sorted(SAMPLES.glob("*.adflow")):
        document = check_path(path).document
        assert document is not None
        out += [(f"{path.stem}:{r.key}", ENDPOINTS[r.kind], r.body) for r in document.requests]
    return out


@pytest.mark.parametrize("name, endpoint, body", sample_bodies(), ids=lambda v: v if isinstance(v, str) else "")
def test_sample_bodies_validate(name: str, endpoint: str, body: dict) -> None:
    assert schema_errors(endpoint, body) == []


def _seed_form() -> dict:
    document = check_path(SAMPLES / "seed_lead_form.adflow").document
    assert document is not None
    return copy.deepcopy(document.requests[0].body)


@pytest.mark.parametrize("mutate, where", [
    (lambda b: b.__setitem__("access_token", "EAAB..."), "(body)"),
    (lambda b: b["step_list"][1].__setitem__("next_step_ids", [2, 6, 2]), "step_list/1/next_step_ids/0"),
    (lambda b: b["step_list"][0].__setitem__("step_type", "WELCOME"), "step_list/0/step_type"),
    (lambda b: b.__setitem__("privacy_url", "http://x.example"), "privacy_url"),
    (lambda b: b["step_list"][2].__setitem__("prefill_type", "TOWN"), "step_list/2/prefill_type"),
])
def test_seed_mistakes_are_rejected(mutate, where: str) -> None:  # type: ignore[no-untyped-def]
    body = _seed_form()
    mutate(body)
    errors = schema_errors("messenger_lead_forms", body)
    assert errors and any(ptr.lstrip("/").startswith(where.replace("(body)", ""))
                          for ptr, _ in errors), errors


def test_ids_are_strings_and_money_integers() -> None:
    adset = {"name": "x", "campaign_id": 120330000000, "status": "PAUSED",
             "optimization_goal": "CONVERSATIONS", "billing_event": "IMPRESSIONS",
             "targeting": {}, "daily_budget": "2000"}
    errors = schema_errors("adsets", adset)
    assert {"/campaign_id", "/daily_budget"} <= {ptr for ptr, _ in errors}
    adset.update(campaign_id={"$ref": "campaign.spring"}, daily_budget=2000)
    assert schema_errors("adsets", adset) == []
