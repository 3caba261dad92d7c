"""The hand-written JSON reader against Lark with grammar/json.lark, the
reader it replaced: the same values, spans, strings and findings on every
JSON file of the repository and on generated texts, valid and broken."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from adflow.compiler.front import jsonsrc
from adflow.compiler.front.jsonread import BadCharacter, BadToken, JsonReader
from adflow.compiler.front.source import Source, decode, pointer
from adflow.compiler.rules.syntax import S002
from hypothesis import given
from hypothesis import strategies as st
from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(p for folder in ("tests", "samples") for p in (ROOT / folder).rglob("*.json"))
LARK = Lark((ROOT / "grammar" / "json.lark").read_text(encoding="utf-8"), parser="lalr",
            lexer="contextual", propagate_positions=True, maybe_placeholders=True)


class LarkWalker(jsonsrc._Walker):
    """The reader as it was: Lark's tree walked into values and spans."""

    def read(self) -> Any:
        try:
            tree = LARK.parse(self.text)
        except UnexpectedInput as exc:  # where, parse_json reads from the new reader
            raise BadCharacter(0) from exc
        return self.walk(tree, "")

    def walk(self, node: Any, ptr: str) -> Any:
        if isinstance(node, Token):
            start, end = node.start_pos or 0, node.end_pos or 0
            self.spans[ptr] = self.span(start, end)
            value = self.scalar_value(node.type.lower(), start, end)
            if isinstance(value, str):
                self.strings[ptr] = (start, end, value)
            return value
        assert isinstance(node, Tree)
        self.spans[ptr] = self.span(node.meta.start_pos, node.meta.end_pos)
        if node.data in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[str(node.data)]
        if node.data == "array":
            return [self.walk(child, f"{ptr}/{i}")
                    for i, child in enumerate(c for c in node.children if c is not None)]
        out: dict[str, Any] = {}
        for pair in node.children:
            if pair is None:
                continue
            key_tok, value = pair.children
            key = self.scalar_value("string", key_tok.start_pos, key_tok.end_pos)
            out[key] = self.walk(value, ptr + pointer(key))
        return out


def lark_error(source: Source, exc: UnexpectedInput) -> Any:
    """The S002 Lark's error gave (the old `_json_error`)."""
    if isinstance(exc, UnexpectedToken):
        if exc.token.type == "$END":
            at = len(source.text)
            return S002.diag(source.span(at, at), "invalid JSON: the document ends too early")
        hint = ("JSON allows no trailing comma before a closing bracket"
                if exc.token.type in ("RBRACE", "RSQB") else None)
        return S002.diag(source.span(exc.token.start_pos or 0, exc.token.end_pos or 0),
                         f"invalid JSON: unexpected {str(exc.token)[:30]!r}", help=hint)
    assert isinstance(exc, UnexpectedCharacters)
    pos = exc.pos_in_stream or 0
    char = source.text[pos:pos + 1]
    hint = {"'": "JSON strings use double quotes",
            '"': "a string holds a raw line break or control character, or an unknown "
                 "escape"}.get(char)
    return S002.diag(source.span(pos, pos + 1), f"invalid JSON: unexpected character {char!r}",
                     help=hint)


def both(text: str) -> tuple[Any, Any]:
    """What Lark and the new reader make of `text`: the value, spans,
    strings and findings, or the S002 finding."""
    source = Source("t.json", text)
    old = LarkWalker(source)
    try:
        before: Any = (old.walk(LARK.parse(text), ""), old.spans, old.strings, old.diagnostics)
    except UnexpectedInput as exc:
        before = lark_error(source, exc)
    new = jsonsrc._Walker(source)
    try:
        after: Any = (new.read(), new.spans, new.strings, new.diagnostics)
    except (BadToken, BadCharacter) as exc:
        after = jsonsrc._json_error(source, exc)
    return before, after


def same(text: str) -> None:
    before, after = both(text)
    # repr also tells 1 from 1.0 and True from 1, and the order of the spans
    assert repr(after) == repr(before)
    if isinstance(before, tuple):
        assert list(after[1]) == list(before[1])


def test_every_json_file_of_the_repository_reads_alike() -> None:
    assert len(FILES) > 100
    for path in FILES:
        same(decode(str(path), path.read_bytes()).text)


@pytest.mark.parametrize("text", [
    "", "  ", "{", "}", "[", "[1,]", '{"a":1,}', '{"a" 1}', '{"a":}', "[1 2]", "01", "1.",
    "-", "1e", "1e+", "-0.5E-3", "tru", "truex", "nul", "{} x", "{} {}", "{'a': 1}",
    '"a\nb"', '"\\x"', '"\\u12"', '"\\ud800"', '{"\\udc00": "\\ud83d\\ude00"}', "[1e999]",
    '{"a": 1, "a": {"b": 2}}', '{"a": {"b": 2}, "a": 1}', "\ufeff{}", "{\x0c}", "[\t\r\n]",
    '{"targeting": "{\\"geo_locations\\": {\\"countries\\": [\\"US\\"]}}"}',
    '"' + "x" * 50 + "'", "[" * 5 + "]" * 4, '{"a":[{"b":null},true,false,-1]}',
])
def test_edges_read_alike(text: str) -> None:
    same(text)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10**20, 10**20)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner,
                                                                 max_size=4),
    max_leaves=12)
NOISE = st.sampled_from(list('{}[],:"\'\\ -.e0 1tfnx\n\t\x01\u00e9') + ["true", "null", "//"])


@given(JSON, st.booleans(), st.booleans())
def test_valid_json_reads_alike(value: Any, indent: bool, ascii_only: bool) -> None:
    text = json.dumps(value, indent=2 if indent else None, ensure_ascii=ascii_only)
    same(text)
    assert JsonReader(text).read() == json.loads(text)


@given(JSON, st.data())
def test_broken_json_reads_alike(value: Any, data: st.DataObject) -> None:
    """Valid text with a character or a token put in, taken out or changed,
    or cut short: both readers fail at the same place with the same words."""
    text = json.dumps(value)
    at = data.draw(st.integers(0, len(text)))
    edit = data.draw(st.sampled_from(["insert", "delete", "replace", "cut"]))
    if edit == "cut":
        text = text[:at]
    elif edit == "delete":
        text = text[:at] + text[at + 1:]
    else:
        noise = data.draw(NOISE)
        text = text[:at] + noise + text[at + (edit == "replace"):]
    same(text)


def parse_alike(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole of `parse_json` (JSON text inside strings included) with
    each reader: the same value, source map and findings."""
    source = Source("t.json", text)
    with monkeypatch.context() as patched:
        patched.setattr(jsonsrc, "_Walker", LarkWalker)
        before = jsonsrc.parse_json(source)
    after = jsonsrc.parse_json(source)
    assert repr(after) == repr(before)
    if isinstance(before, tuple) and isinstance(after, tuple):
        assert list(after[1]) == list(before[1])


def test_every_json_file_parses_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    for path in FILES:
        parse_alike(decode(str(path), path.read_bytes()).text, monkeypatch)


@given(JSON, st.sampled_from(["targeting", "page_welcome_message", "name"]))
def test_json_text_inside_a_string_parses_alike(value: Any, key: str) -> None:
    """A parameter Meta takes as JSON text gets spans inside the string,
    read by the same reader and mapped back into the file."""
    text = json.dumps({key: json.dumps(value), "other": [json.dumps(value)[:-1]]}, indent=1)
    with pytest.MonkeyPatch.context() as monkeypatch:
        parse_alike(text, monkeypatch)


def test_a_plan_from_a_url_with_a_query_is_the_same_every_run() -> None:
    """The source map of parameters read from a URL's query lists them in
    the order written, not in a set's order, which changes with the hash seed."""
    import os
    import subprocess
    import sys

    path = ROOT / "tests" / "corpus" / "f_request_explorer_campaign_query_params.json"
    plans = {subprocess.run([sys.executable, "-m", "adflow.compiler.cli.main", "compile",
                             str(path)], capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout
             for seed in range(4)}
    assert len(plans) == 1
