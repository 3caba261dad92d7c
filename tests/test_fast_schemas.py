"""The fast validator (facts/endpoints/fits.py) decides validity and jsonschema explains:
they must agree, or a bad body would pass unreported (or a good one get an
empty S008). Checked on every body the project knows (samples, golden plans,
the schema tests' good and bad bodies) and on Hypothesis-made variations."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from adflow.compiler.bodies.model import ENDPOINTS
from adflow.compiler.facts import endpoints as schemas
from adflow.compiler.pipeline import check_file
from conftest import GOLDEN, SAMPLES
from hypothesis import given
from hypothesis import strategies as st
from schema_examples import BAD, GOOD

Body = dict[str, Any]


def reference_errors(endpoint: str, body: Any) -> list[tuple[str, str]]:
    """What jsonschema alone finds."""
    errors = schemas.validator(endpoint).iter_errors(body)
    return [(schemas.pointer(*e.absolute_path), e.message)
            for e in sorted(errors, key=lambda e: list(e.absolute_path))]


def agree(endpoint: str, body: Any) -> None:
    expected = reference_errors(endpoint, body)
    assert schemas.is_valid(endpoint, body) == (not expected), (endpoint, body, expected)
    # Every error jsonschema finds is put into words: a finding per broken
    # value (or unknown member), at or under a place jsonschema names.
    found = schemas.findings(endpoint, body)
    assert bool(found) == bool(expected)
    places = {ptr for ptr, _ in expected}
    for finding in found:
        assert finding.ptr in places or finding.ptr.rsplit("/", 1)[0] in places, finding


def sample_bodies() -> list[tuple[str, str, Body]]:
    found = []
    for path in sorted(SAMPLES.rglob("*")):
        if path.suffix not in (".adflow", ".json"):
            continue
        document = check_file(path).document
        for request in document.requests if document is not None else ():
            found.append((f"{path.name}:{request.key}", ENDPOINTS[request.kind], request.body))
    for path in sorted((GOLDEN / "plans").glob("*.plan.json")):
        for request in json.loads(path.read_text(encoding="utf-8"))["requests"]:
            found.append((f"{path.name}:{request['key']}", request["path"].rsplit("/", 1)[1],
                          request["body"]))
    return found


SAMPLE_BODIES = sample_bodies()
KNOWN = ([(f"sample {n}", e, b) for n, e, b in SAMPLE_BODIES]
         + [(f"good {n}", e, b) for n, e, b in GOOD]
         + [(f"bad {n}", e, b) for n, e, b, _ in BAD])


def test_the_samples_give_bodies_of_every_endpoint() -> None:
    assert {endpoint for _, endpoint, _ in SAMPLE_BODIES} == set(ENDPOINTS.values())


@pytest.mark.parametrize("name, endpoint, body", KNOWN, ids=[k[0] for k in KNOWN])
def test_fast_and_reference_validators_agree_on_known_bodies(name: str, endpoint: str,
                                                             body: Body) -> None:
    agree(endpoint, body)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70)
    | st.floats(allow_nan=False) | st.text(max_size=12)
    | st.sampled_from(["PAUSED", "OUTCOME_LEADS", "MESSENGER", "US", "123", "campaign.x",
                       "https://example.com/a.jpg", "2027-01-31T23:59:59+0000"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=3),
    max_leaves=8)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a JSON value, the root's children first."""
    out = []
    items = (value.items() if isinstance(value, dict)
             else enumerate(value) if isinstance(value, list) else ())
    for key, child in items:
        out.append(prefix + (key,))
        out.extend(paths(child, prefix + (key,)))
    return out


def get(value: Any, where: tuple[Any, ...]) -> Any:
    for part in where:
        value = value[part]
    return value


@st.composite
def varied_bodies(draw: st.DrawFn) -> tuple[str, Any]:
    """A known good body with a few values replaced, removed or added: near
    misses exercise the schemas' conditions far more than random JSON."""
    _, endpoint, body = draw(st.sampled_from([(n, e, b) for n, e, b in KNOWN
                                              if n.startswith(("sample", "good"))]))
    body = copy.deepcopy(body)
    for _ in range(draw(st.integers(1, 3))):
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "add":
            objects = [()] + [p for p in paths(body) if isinstance(get(body, p), dict)]
            key = draw(st.sampled_from(["status", "name", "$ref", "$json", "x", "page_id"]))
            get(body, draw(st.sampled_from(objects)))[key] = draw(JSON)
            continue
        every = paths(body)
        if not every:
            continue
        *parent, last = draw(st.sampled_from(every))
        if action == "delete":
            del get(body, tuple(parent))[last]
        else:
            get(body, tuple(parent))[last] = draw(JSON)
    return endpoint, body


@given(varied_bodies())
def test_fast_and_reference_validators_agree_on_varied_bodies(case: tuple[str, Any]) -> None:
    agree(*case)


@given(st.sampled_from(sorted(ENDPOINTS.values())), JSON)
def test_fast_and_reference_validators_agree_on_any_json(endpoint: str, body: Any) -> None:
    agree(endpoint, body)


def test_a_valid_body_never_imports_jsonschema(tmp_path: Path) -> None:
    """jsonschema is imported only to explain a bad body."""
    import subprocess
    import sys

    code = ("import sys, json\n"
            "from adflow.compiler.facts import endpoints as schemas\n"
            f"body = json.loads({json.dumps(json.dumps(SAMPLE_BODIES[0][2]))})\n"
            f"assert schemas.schema_errors({SAMPLE_BODIES[0][1]!r}, body) == []\n"
            "print('jsonschema' in sys.modules)\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "False"


# Keywords and values where JSON Schema's meaning is easy to get wrong: each
# (schema, instance) pair is judged by fits exactly as by jsonschema.
EDGES = [
    ({"enum": [1, 2]}, 1.0), ({"enum": [1, 2]}, True), ({"enum": [True]}, 1),
    ({"const": False}, 0), ({"const": [1, {"a": 2}]}, [1.0, {"a": 2.0}]),
    ({"const": {"a": 1}}, {"a": 1, "b": 2}), ({"enum": [None]}, None),
    ({"type": "integer"}, 2.0), ({"type": "integer"}, 2.5), ({"type": "integer"}, True),
    ({"type": "number"}, False), ({"type": ["string", "null"]}, None),
    ({"uniqueItems": True}, [1, 1.0]), ({"uniqueItems": True}, [1, True]),
    ({"uniqueItems": True}, [{"a": [1]}, {"a": [1.0]}]), ({"uniqueItems": False}, [1, 1]),
    ({"minLength": 2}, "\U0001F600"), ({"maxLength": 1}, "\U0001F600"), ({"minLength": 3}, 7),
    ({"pattern": "b"}, "abc"), ({"pattern": "^b"}, "abc"), ({"pattern": "^[0-9]+$"}, "12\n"),
    ({"minimum": 1}, "0"), ({"minimum": 1}, 0.5), ({"maximum": 1}, True),
    ({"exclusiveMinimum": 1}, 1), ({"exclusiveMaximum": 1}, 0.99),
    ({"minItems": 1}, {}), ({"maxItems": 1}, [1, 2]), ({"contains": {"const": 2}}, [1, 2]),
    ({"contains": {"const": 2}}, []), ({"items": {"type": "string"}}, ["a", 1]),
    ({"required": ["a"]}, []), ({"required": ["a"]}, {"b": 1}), ({"minProperties": 1}, {}),
    ({"maxProperties": 1}, {"a": 1, "b": 2}),
    ({"properties": {"a": {"type": "string"}}, "additionalProperties": False}, {"a": "x", "b": 1}),
    ({"additionalProperties": {"type": "integer"}}, {"a": 1, "b": "x"}),
    ({"propertyNames": {"not": {"const": "access_token"}}}, {"access_token": "x"}),
    ({"dependentRequired": {"a": ["b"]}}, {"a": 1}),
    ({"dependentSchemas": {"a": {"required": ["b"]}}}, {"a": 1, "b": 2}),
    ({"if": {"type": "string"}, "then": {"minLength": 2}}, "x"),
    ({"if": {"type": "string"}, "else": {"type": "integer"}}, 1.5),
    ({"then": {"type": "string"}}, 1), ({"not": {}}, 1), ({"anyOf": [False, True]}, 1),
    ({"allOf": [{"type": "integer"}, {"minimum": 2}]}, 1),
    ({"$defs": {"n": {"type": "integer"}}, "$ref": "#/$defs/n", "minimum": 5}, 3),
    ({"$defs": {"t": {"type": "array", "items": {"$ref": "#/$defs/t"}}}, "$ref": "#/$defs/t"},
     [[[]], [[1]]]),
    ({"format": "email", "contentMediaType": "application/json"}, "not json, no email"),
    (True, {"any": "thing"}), (False, None),
]


@pytest.mark.parametrize("schema, instance", EDGES, ids=[repr(e) for e in EDGES])
def test_fits_judges_as_jsonschema_does(schema: Any, instance: Any) -> None:
    import jsonschema
    from adflow.compiler.facts.endpoints.fits import compile_schema

    expected = jsonschema.Draft202012Validator(schema).is_valid(instance)
    assert compile_schema(schema)(instance) is expected
    assert compile_schema(schema, lazy=False)(instance) is expected


@pytest.mark.parametrize("schema", [{"patternProperties": {"^x": {}}}, {"prefixItems": []},
                                    {"$ref": "https://example.com/other.json"},
                                    {"unevaluatedProperties": False}])
def test_fits_refuses_a_keyword_it_does_not_know(schema: Any) -> None:
    from adflow.compiler.facts.endpoints.fits import compile_schema

    with pytest.raises(ValueError, match="not supported|only #/\\$defs"):
        compile_schema({"properties": {"a": schema}}, lazy=False)


def test_every_endpoint_schema_compiles_whole() -> None:
    """Every part at once (a check compiles each part when first used)."""
    from adflow.compiler.facts.endpoints.fits import compile_schema

    for endpoint in sorted(ENDPOINTS.values()):
        assert callable(compile_schema(schemas.schema(endpoint), lazy=False))
