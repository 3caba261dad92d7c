"""The sandbox's --record never holds a token, in whatever shape a client
writes it: parsed bodies are redacted by field, text that does not parse is
redacted conservatively (a name written with escapes, a value on the next
line, a trailing comma), and a token known from the request is blanked in
any encoding (JSON escapes, %-encoding) wherever else it shows up."""

from __future__ import annotations

import io
import json
import urllib.parse
from collections.abc import Callable

import pytest
from adflow.compiler.tools.sandbox import GraphSandbox
from hypothesis import given
from hypothesis import strategies as st

CAMPAIGN = {"name": "Spring", "objective": "OUTCOME_ENGAGEMENT",
            "special_ad_categories": ["NONE"], "is_adset_budget_sharing_enabled": False,
            "status": "PAUSED"}
JSON = {"Content-Type": "application/json"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
# Field names as clients spell them: escaped in JSON, %-encoded in forms.
JSON_NAMES = ["access_token", "access\\u005ftoken", "\\u0061ccess_token",
              "ACCESS_TOKEN", "access\\u005Ftoken"]
FORM_NAMES = ["access_token", "access%5Ftoken", "access%5ftoken", "%61ccess_token"]

Request = tuple[str, str, dict[str, str], bytes]


def escaped(text: str) -> str:
    """Every character as a JSON \\u escape (surrogate pairs past the BMP)."""
    units = text.encode("utf-16-be")
    return "".join(f"\\u{units[i]:02x}{units[i + 1]:02x}" for i in range(0, len(units), 2))


def shapes(token: str) -> dict[str, Callable[[str], Request]]:
    """Ways to send the token, each given a field name spelling."""
    quoted = urllib.parse.quote(token, safe="")
    as_json = json.dumps(token, ensure_ascii=False)
    single_quoted = token.replace("\\", "\\\\").replace("'", "\\'")
    fields = ",\n".join(f'    "{k}": {json.dumps(v)}' for k, v in CAMPAIGN.items())
    return {
        "json": lambda name: ("POST", "/v25.0/act_1/campaigns", JSON,
                              f'{{"{name}": {as_json}, "name": "x"}}'.encode()),
        "json pretty, trailing comma": lambda name: (
            "POST", "/v25.0/act_1/campaigns", JSON,
            f'{{\n{fields},\n    "{name}": {as_json},\n}}\n'.encode()),
        "json value on the next line": lambda name: (
            "POST", "/v25.0/act_1/campaigns", JSON,
            f'{{\n  "{name}"  :\n\n      {as_json}\n  "name": "x"\n}}'.encode()),
        "json value escaped": lambda name: (
            "POST", "/v25.0/act_1/campaigns", JSON,
            f'{{"{name}": "{escaped(token)}", "name": "x",}}'.encode()),
        "json single quotes": lambda name: (
            "POST", "/v25.0/act_1/campaigns", JSON,
            f"{{'{name}': '{single_quoted}', 'name': 'x'}}".encode()),
    } | {
        "form": lambda name: ("POST", "/v25.0/act_1/campaigns", FORM,
                              f"name=x&{name}={quoted}".encode()),
        "form that is not one": lambda name: ("POST", "/v25.0/act_1/campaigns", FORM,
                                              f"name=x&&{name}={quoted}&&".encode()),
        "query": lambda name: ("GET", f"/v25.0/1?fields=id&{name}={quoted}", {}, b""),
        "query and a body that is not JSON": lambda name: (
            "POST", f"/v25.0/act_1/campaigns?{name}={quoted}", JSON, b'{"name": "x",}'),
        "batch item body": lambda name: ("POST", "/v25.0/", FORM, urllib.parse.urlencode({
            "batch": json.dumps([{"method": "POST", "relative_url": "act_1/campaigns",
                                  "body": f"name=x&{name}={quoted}"}])}).encode()),
        "batch item url": lambda name: ("POST", "/", FORM, urllib.parse.urlencode({
            "batch": json.dumps([{"method": "GET",
                                  "relative_url": f"v25.0/1?{name}={quoted}"}])}).encode()),
    }


def recorded(request: Request, headers: dict[str, str] | None = None) -> str:
    record = io.StringIO()
    method, target, extra, raw = request
    GraphSandbox(record=record).answer(method, target, {**extra, **(headers or {})}, raw)
    return record.getvalue()


def assert_no_token(record: str, token: str) -> None:
    assert record, "nothing was recorded"
    for shape in {token, json.dumps(token)[1:-1], json.dumps(token, ensure_ascii=False)[1:-1],
                  urllib.parse.quote(token, safe=""), urllib.parse.quote_plus(token),
                  escaped(token)}:
        assert shape not in record, shape


SHAPES = sorted(shapes("x"))
# Meta's tokens are letters and digits (app tokens add "|"); anything a
# client might put in one is tried, since a record must never show it.
TOKENS = st.text(st.characters(blacklist_categories=("Cs",)), min_size=6, max_size=40
                 ).map(lambda tail: "EAA" + tail)
HEADER_TOKENS = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=6,
                        max_size=40).map(lambda tail: "EAA" + tail)


def names_for(shape: str) -> list[str]:
    return JSON_NAMES if shape.startswith("json") else FORM_NAMES


@pytest.mark.parametrize(("shape", "name"), [(shape, name) for shape in SHAPES
                                             for name in names_for(shape)])
def test_a_known_shape_never_reaches_the_record(shape: str, name: str) -> None:
    token = "EAAsecretTOKEN0123456789"
    record = recorded(shapes(token)[shape](name))
    assert_no_token(record, token)
    assert "<redacted>" in record


@given(token=TOKENS, shape=st.sampled_from(SHAPES), data=st.data())
def test_no_record_holds_a_token_in_any_shape(token: str, shape: str, data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(names_for(shape)))
    assert_no_token(recorded(shapes(token)[shape](name)), token)


@given(token=HEADER_TOKENS, scheme=st.sampled_from(["Bearer", "OAuth", "bearer"]),
       shape=st.sampled_from(SHAPES))
def test_a_token_from_the_header_is_blanked_wherever_it_is_repeated(
        token: str, scheme: str, shape: str) -> None:
    # The header's token, also written (in its own encoding) in the body or URL.
    request = shapes(token)[shape]("access_token")
    assert_no_token(recorded(request, {"Authorization": f"{scheme} {token}"}), token)
