"""The fast validator (jsonschema-rs) decides validity and jsonschema explains:
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
from test_schemas import BAD, GOOD

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
