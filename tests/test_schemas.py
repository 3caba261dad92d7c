"""The package's JSON Schemas (compiler/facts/endpoints/): valid draft 2020-12, in
step with compiler/facts/, accepting the seed's examples as corrected by
Meta's guides (with `$ref` / `$json` markers) and every sample's bodies,
and rejecting each of the seed's mistakes for the expected reason."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import jsonschema
import pytest
from adflow.compiler.facts import write_schemas
from adflow.compiler.facts.adsets import (
    COUNTRY_CODES,
)
from adflow.compiler.facts.campaigns import (
    EXECUTION_OPTIONS,
)
from adflow.compiler.facts.lead_forms import (
    LEAD_FORM_REQUIRED,
    LEAD_FORM_STEP_FIELDS,
    LEAD_FORM_STEP_REQUIRED,
)
from adflow.compiler.facts.limits import (
    GENERIC_TEMPLATE_BUTTONS,
    GENERIC_TEMPLATE_ELEMENTS,
    GENERIC_TEMPLATE_TEXT,
    ICE_BREAKER_RESPONSE,
    ICE_BREAKER_TITLE,
    ICE_BREAKERS_MAX,
    QUICK_REPLIES_MAX,
    QUICK_REPLY_PAYLOAD,
    TEMPLATES_MAX,
    WELCOME_TEXT,
)
from adflow.compiler.facts.parameters import DOCUMENTED_EXTRA_PARAMETERS, POST_PARAMETERS
from conftest import ROOT, SAMPLES
from schema_examples import AD, BAD, CALIBRATED, CAMPAIGN, GOOD, LEAD_FORM, Body, Problem, edit

SCHEMAS = ROOT / "compiler" / "facts" / "endpoints"
ENDPOINTS = ("campaigns", "adsets", "adcreatives", "ads", "messenger_lead_forms")


@cache
def schema(endpoint: str) -> Any:
    return json.loads((SCHEMAS / f"{endpoint}.schema.json").read_text(encoding="utf-8"))


def problems(endpoint: str, body: Body) -> set[tuple[str, str]]:
    """(JSON pointer, failing keyword) for every error."""
    validator = jsonschema.Draft202012Validator(schema(endpoint))
    return {("/" + "/".join(str(p) for p in e.absolute_path), str(e.validator))
            for e in validator.iter_errors(body)}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_schema_is_valid_2020_12(endpoint: str) -> None:
    assert schema(endpoint)["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema(endpoint))


def test_schemas_ship_as_package_data() -> None:
    assert (SCHEMAS / "__init__.py").exists()
    assert sorted(p.name for p in SCHEMAS.glob("*.schema.json")) == sorted(
        f"{e}.schema.json" for e in ENDPOINTS)


# -- in step with the facts -------------------------------------------------------------------


def at(endpoint: str, *path: str) -> Any:
    node = schema(endpoint)
    for part in path:
        node = node[part]
    return node


def enum_at(endpoint: str, *path: str) -> set[Any]:
    return set(at(endpoint, *path)["enum"])


def test_schema_files_are_written_from_the_facts() -> None:
    """`make schemas` (write_schemas) fills every `x-facts` keyword from the
    facts: a schema file that differs from what it writes is stale."""
    stale = [path.name for path in write_schemas.schema_files()
             if path.read_text(encoding="utf-8") != write_schemas.written(path)]
    assert stale == [], "run `make schemas`"


def _enums(node: Any, path: str = "") -> list[tuple[str, Any]]:
    """(path, the object) for every object in a schema that has an enum."""
    if isinstance(node, list):
        return [found for i, item in enumerate(node) for found in _enums(item, f"{path}/{i}")]
    if not isinstance(node, dict):
        return []
    here = [(path, node)] if "enum" in node else []
    return here + [found for key, value in node.items() if key != write_schemas.MARK
                   for found in _enums(value, f"{path}/{key}")]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_schema_enum_comes_from_the_facts(endpoint: str) -> None:
    """No enum is kept by hand in JSON: each names the fact it is written from."""
    unmarked = [path for path, node in _enums(schema(endpoint))
                if "enum" not in node.get(write_schemas.MARK, {})]
    assert unmarked == []


def test_a_schema_enum_is_the_fact_it_names() -> None:
    assert write_schemas.fact("adsets.COUNTRY_CODES") == sorted(COUNTRY_CODES)
    assert write_schemas.fact("campaigns.EXECUTION_OPTIONS[ads]") == sorted(
        EXECUTION_OPTIONS["ads"])
    assert write_schemas.fact("limits.WELCOME_TEXT") == WELCOME_TEXT.value
    assert write_schemas.fact("creatives.LANDING_SCREEN_TYPES") == [
        "welcome_message", "ctwa_flows", "ctwa_call_prompt"]  # a tuple keeps its order
    with pytest.raises(ValueError, match="not a fact's name"):
        write_schemas.fact("COUNTRY_CODES")
    with pytest.raises(AttributeError):
        write_schemas.fact("adsets.NO_SUCH_FACT")


def test_a_changed_fact_makes_its_schema_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    from adflow.compiler.facts import adsets

    monkeypatch.setattr(adsets, "DEVICE_PLATFORMS", frozenset({"mobile"}))
    path = write_schemas.ENDPOINTS_DIR / "adsets.schema.json"
    assert path.read_text(encoding="utf-8") != write_schemas.written(path)
    assert write_schemas.main(["--check"]) == 1


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_schema_fields_are_post_parameters(endpoint: str) -> None:
    known = (POST_PARAMETERS[endpoint]
             | DOCUMENTED_EXTRA_PARAMETERS.get(endpoint, frozenset())
             | {"execution_options"})
    properties = set(at(endpoint, "properties"))
    forbidden = {k for k, v in at(endpoint, "properties").items() if v.get("not") == {}}
    assert properties - forbidden <= known
    assert enum_at(endpoint, "properties", "execution_options", "else", "items") == set(
        EXECUTION_OPTIONS[endpoint])
    if endpoint == "messenger_lead_forms":  # the one closed schema
        assert properties == known and at(endpoint, "additionalProperties") is False
        assert set(at(endpoint, "required")) == LEAD_FORM_REQUIRED
        step = at(endpoint, "$defs", "step")
        assert set(step["properties"]) == set(LEAD_FORM_STEP_FIELDS)
        assert set(step["required"]) == LEAD_FORM_STEP_REQUIRED


def test_schema_limits_are_the_facts() -> None:
    d = at("adcreatives", "$defs")
    message = d["ice_breakers"]["properties"]["text_format"]["properties"]["message"]
    assert message["properties"]["ice_breakers"]["maxItems"] == ICE_BREAKERS_MAX.value
    assert message["properties"]["text"]["maxLength"] == WELCOME_TEXT.value
    assert d["welcome_field"]["then"]["else"]["maxLength"] == WELCOME_TEXT.value
    assert d["ice_breaker"]["properties"]["title"]["maxLength"] == ICE_BREAKER_TITLE.value
    assert d["ice_breaker"]["properties"]["response"]["maxLength"] == \
        ICE_BREAKER_RESPONSE.value
    assert d["welcome_list"]["else"]["maxItems"] == TEMPLATES_MAX.value
    assert d["send_message"]["properties"]["quick_replies"]["maxItems"] == \
        QUICK_REPLIES_MAX.value
    assert d["quick_reply"]["properties"]["payload"]["maxLength"] == \
        QUICK_REPLY_PAYLOAD.value
    assert d["generic_template"]["properties"]["elements"]["maxItems"] == \
        GENERIC_TEMPLATE_ELEMENTS.value
    assert d["generic_element"]["properties"]["title"]["maxLength"] == \
        GENERIC_TEMPLATE_TEXT.value
    assert d["generic_element"]["properties"]["buttons"]["maxItems"] == \
        GENERIC_TEMPLATE_BUTTONS.value
    # Warning-only limits (cut titles, long call prompts) are the rules' business.
    assert "maxLength" not in d["quick_reply"]["properties"]["title"]
    assert "maxLength" not in d["button"]["properties"]["title"]


# -- the seed's examples, corrected (Meta's Click-to-Messenger guide) -----------------------


@pytest.mark.parametrize("name, endpoint, body", GOOD + [
    # Meta's own lead-form example (the Messenger lead ads page) writes next
    # steps as a lone id string and as a list of integers: Meta accepts both.
    ("next_step_ids as numbers", "messenger_lead_forms",
     edit(LEAD_FORM, "step_list/1/next_step_ids", [2, 6, 2])),
    ("next_step_ids as a string", "messenger_lead_forms",
     edit(LEAD_FORM, "step_list/0/next_step_ids", "1")),
], ids=lambda v: v if isinstance(v, str) else None)
def test_corrected_seed_examples_validate(name: str, endpoint: str, body: Body) -> None:
    assert problems(endpoint, body) == set()


# -- what Meta accepts that a stricter reading would refuse (real payloads) ---------


@pytest.mark.parametrize("name, endpoint, body", CALIBRATED, ids=[c[0] for c in CALIBRATED])
def test_what_meta_accepts_validates(name: str, endpoint: str, body: Body) -> None:
    assert problems(endpoint, body) == set()


# -- bad bodies, each failing for its reason ------------------------------------------------------


@pytest.mark.parametrize("name, endpoint, body, expected", BAD, ids=[b[0] for b in BAD])
def test_seed_mistakes_are_rejected_for_their_reason(
        name: str, endpoint: str, body: Body, expected: Problem | set[Problem]) -> None:
    assert problems(endpoint, body) == (expected if isinstance(expected, set) else {expected})


@pytest.mark.parametrize("endpoint, body", [
    ("campaigns", CAMPAIGN), ("ads", AD), ("messenger_lead_forms", LEAD_FORM)])
def test_errors_never_echo_a_token(endpoint: str, body: Body) -> None:
    validator = jsonschema.Draft202012Validator(schema(endpoint))
    errors = list(validator.iter_errors({**body, "access_token": "EAAB-secret"}))
    assert any("'access_token'" in e.message for e in errors)
    assert all("EAAB-secret" not in e.message for e in errors)


# -- what adflow emits ----------------------------------------------------------------------------


def sample_bodies() -> list[tuple[str, str, Body]]:
    from adflow.compiler.bodies.model import ENDPOINTS as EDGE_OF_KIND
    from adflow.compiler.pipeline import check_file

    out = []
    for path in sorted(SAMPLES.glob("*.adflow")):
        document = check_file(path).document
        assert document is not None, path
        out += [(f"{path.stem}:{r.key}", EDGE_OF_KIND[r.kind], r.body) for r in document.requests]
    return out


@pytest.mark.parametrize("name, endpoint, body", sample_bodies(),
                         ids=lambda v: v if isinstance(v, str) else "")
def test_sample_bodies_validate(name: str, endpoint: str, body: Body) -> None:
    assert problems(endpoint, body) == set()
