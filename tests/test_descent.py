"""The hand-written parser (`descent`) against the reference, Lark's parser
plus `Lowerer`: for any text, either descent declines and Lark finds syntax
errors, or both give the same AST (spans included) and the same S007s."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
from adflow.compiler.front import ast, descent, parser
from adflow.compiler.front.dsl import parse_file
from adflow.compiler.front.lower import Lowerer
from adflow.compiler.front.source import Source
from conftest import ROOT, SAMPLES
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark
from lark import Lark

Result = tuple[ast.File, list[object]] | None


def by_descent(source: Source) -> Result:
    lowerer = Lowerer(source)
    try:
        return descent.parse(source, lowerer), list(lowerer.diagnostics)
    except descent.Declined:
        return None


def by_lark(source: Source) -> Result:
    result = parser.parse(source)
    if result.tree is None or result.diagnostics:
        return None
    lowerer = Lowerer(source)
    return lowerer.file(result.tree), list(lowerer.diagnostics)


def assert_same(text: str) -> None:
    source = Source("t.adflow", text)
    assert by_descent(source) == by_lark(source), text


FILES = sorted([*SAMPLES.rglob("*.adflow"), *(ROOT / "tests" / "fixtures").rglob("*.adflow")])


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(ROOT)) for p in FILES])
def test_descent_reads_every_sample_and_fixture_like_lark(path: Path) -> None:
    assert_same(path.read_text(encoding="utf-8"))


def test_descent_reads_the_valid_files_itself() -> None:
    """Not a silent fallback: every file Lark reads, descent reads too."""
    for path in FILES:
        source = Source(str(path), path.read_text(encoding="utf-8"))
        assert (by_descent(source) is None) == (by_lark(source) is None), path


@pytest.mark.parametrize("text", [
    "",
    "\n\n# only a comment",
    "api v25.0\naccount act_1 # trailing comment\npage p 1",
    'campaign c { objective X }\nad a {}\ncreative k {\n}',
    'campaign c {\n  name"glued"x[1,2]-3 1abc\n  "head" => "x" -> y\n}',
    'campaign c {\n  a [\n  1,\n  2,\n  ] {\n    b -> "s"\n  }\n}',
    'campaign c {\n  raw x {\n  "a": [1,\n  # comment\n  2],\n  "b": {"c": null}\n\n  }\n'
    '  raw y true\n  raw z "s\\u00e9"\n}',
    'campaign c {\n  raw raw [ ]\n  raw\n}',  # the second raw has no name: an error
    'campaign on {\n  in on\n}\nlead_form f on on {\n}\nadset s in "1" {\n}',
    "api v25.0x\n",
    "api v25\n",
    'campaign c {\n  name "a\\qb"\n}',  # S007, and the AST
    'campaign c {\n  x v1.5\n}',
    'campaign c {\n  [1]\n}',
    'campaign c {\n  a [1,,2]\n}',
    'campaign c {\n  raw x {"a": 1,}\n}',
    'campaign c {\n  raw x\n  {"a": 1}\n}',
    'campaign c {\n  raw x 5 {\n  }\n}',
    "campaign c {\n  a ->\n}",
    "campaign c {\n  a b\n}}",
    "account act_1\r\npage p 1\n",
    "campaign c {\n\ta\f-> b\n}\n",
    'campaign c {\n  é\n}',
])
def test_descent_agrees_on_tricky_texts(text: str) -> None:
    assert_same(text)


def _grammar() -> Lark:
    text = resources.files("adflow.grammar").joinpath("adflow.lark").read_text()
    return Lark(text, parser="lalr", lexer="contextual")


# Terminals glued to each other on purpose (`page"x"`, `1abc`): the two
# parsers must split them the same way.
_WORDS = ["a", "raw", "on", "in", "true", "null", "campaign", "page", "v25", "x_1", "api"]
_PROGRAMS = from_lark(_grammar(), explicit={
    **{t.name: st.sampled_from([t.pattern.value, f" {t.pattern.value} "])
       for t in _grammar().terminals
       if t.pattern.type == "str" and t.pattern.value.isidentifier()},
    "NAME": st.sampled_from(_WORDS).flatmap(lambda w: st.sampled_from([w, f" {w} "])),
    "STRING": st.sampled_from(['"x"', '"a\\"b"', '"\\u00e9"', '"\\q"', '""', '"{[#]}"']),
    "NUMBER": st.sampled_from(["0", "12", "-3", "1.5", "2e3"]),
    "VERSION": st.sampled_from(["v25.0", " v25.0 "]),
    "_NL": st.sampled_from(["\n", " # c\n", "\n\n  ", "\n\t"]),
})


@given(_PROGRAMS)
def test_descent_agrees_on_generated_programs(program: str) -> None:
    assert_same(program)


JSON = st.recursive(st.none() | st.booleans() | st.integers(-99, 99) | st.text(max_size=4),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=4), inner, max_size=3), max_leaves=6)


@given(JSON, st.sampled_from([None, 0, 2]), st.booleans())
def test_descent_agrees_on_raw_json_over_lines(value: object, indent: int | None,
                                               comment: bool) -> None:
    text = json.dumps(value, indent=indent)
    if comment:
        text = text.replace("\n", " # note\n", 1)
    assert_same(f"campaign c {{\n  raw x {text}\n  name \"n\"\n}}\n")


@given(st.sampled_from(FILES), st.data())
def test_descent_agrees_on_edited_samples(path: Path, data: st.DataObject) -> None:
    text = path.read_text(encoding="utf-8")
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(text)))
        piece = data.draw(st.sampled_from(['"', "{", "}", "[", "]", ",", "->", "=>", "\n", "#",
                                           " ", "x", "1", "-", ".", "\\", "raw ", "é", ""]))
        cut = data.draw(st.integers(0, 3))
        text = text[:at] + piece + text[at + cut:]
    assert_same(text)


def test_parse_file_takes_the_fast_path_and_falls_back_for_errors() -> None:
    good = (SAMPLES / "seed_lead_form.adflow").read_text(encoding="utf-8")
    tree, diagnostics = parse_file(Source("s.adflow", good))
    assert tree is not None and not diagnostics
    assert (tree, diagnostics) == by_lark(Source("s.adflow", good))
    broken = Source("s.adflow", good.replace("{", "{{", 1))
    tree, diagnostics = parse_file(broken)
    assert tree is None and diagnostics == list(parser.parse(broken).diagnostics)
    assert diagnostics and {d.code for d in diagnostics} == {"S001"}


def test_a_clean_file_is_checked_without_importing_lark(tmp_path: Path) -> None:
    """Lark is for the files with syntax errors: a one-file check of a clean
    file starts without it."""
    (tmp_path / "f.adflow").write_text((SAMPLES / "seed_lead_form.adflow").read_text())
    (tmp_path / "bad.adflow").write_text("campaign {\n")

    def imported(name: str) -> set[str]:
        run = subprocess.run([sys.executable, "-X", "importtime", "-m", "adflow.compiler.cli.main",
                              "check", "--no-cache", name], cwd=tmp_path, capture_output=True,
                             text=True, timeout=60)
        assert run.returncode in (0, 1), run.stderr
        return {line.split("|")[-1].strip() for line in run.stderr.splitlines()
                if line.startswith("import time:")}

    clean = imported("f.adflow")
    assert "adflow.compiler.front.descent" in clean and "lark" not in clean
    assert "lark" in imported("bad.adflow")


def test_a_value_decoding_raises_on_leaves_syntax_errors_to_lark() -> None:
    """Lark reports syntax errors before anything is decoded; descent decodes
    as it reads. Whatever a value's decoding does, a syntax error later in
    the file is still what is reported."""
    source = Source("t", 'campaign c {\n  raw x 007\n}\ncampaign {\n')
    tree, diagnostics = parse_file(source)
    assert tree is None and diagnostics == list(parser.parse(source).diagnostics)
    assert {(d.code, d.span.line) for d in diagnostics} == {("S001", 4)}
