"""The grammar, error recovery, strings and the layering of modules."""

from __future__ import annotations

import ast as pyast
from pathlib import Path

import pytest
from adflow.compiler.front import ast
from adflow.compiler.front.dsl import parse_file
from adflow.compiler.front.parser import build_parser, parse
from adflow.compiler.front.source import Source

ROOT = Path(__file__).resolve().parent.parent


def s001(text: str) -> list[tuple[int, int, str]]:
    result = parse(Source("t.adflow", text))
    assert all(d.code == "S001" for d in result.diagnostics)
    return [(d.span.line, d.span.column, d.message) for d in result.diagnostics]


def test_keyword_glued_to_a_name_is_a_name() -> None:
    [(line, column, message)] = s001("campaignSpring x {\n}\n")
    assert (line, column) == (1, 1)
    assert "'campaignSpring'" in message and "'campaign'" in message
    tree, diags = parse_file(Source("t", "account act_1\ncampaign campaignSpring {\n  page x\n}\n"))
    assert not diags and tree is not None
    decl = tree.decls[1]
    assert isinstance(decl, ast.ObjectDecl) and decl.name.text == "campaignSpring"
    member = decl.block.members[0]
    assert isinstance(member, ast.Member) and member.head == ast.Ident("page", member.head.span)


def test_expected_tokens_are_named() -> None:
    [(_, _, message)] = s001("api 25\n")
    assert message == "unexpected '25': expected an API version like v25.0"


@pytest.mark.parametrize("n", [1, 2, 3, 5])
def test_n_broken_statements_give_n_errors(n: int) -> None:
    good = "  objective OUTCOME_LEADS\n"
    broken = ["  objective = X\n", "  countries [US\n", '  name "open\n',
              "  status [PAUSED,, ACTIVE]\n", "  a -> \n"]
    body = "".join(good + broken[i % len(broken)] for i in range(n)) + good
    errors = s001("account act_1\ncampaign c {\n" + body + "}\n")
    assert len(errors) == n, errors


def test_unclosed_block_at_end_of_file_is_one_error_at_its_brace() -> None:
    [(line, column, message)] = s001("campaign c {\n  objective X\n")
    assert (line, column) == (1, 12) and "unclosed `{`" in message


def test_string_escapes_and_unicode() -> None:
    text = ('account act_1\ncampaign c {\n'
            '  name "a\\"b\\\\c\\nd\\te\\u00e9\\ud83d\\ude00 ✓ عربى"\n}\n')
    tree, diags = parse_file(Source("t", text))
    assert not diags and tree is not None
    member = tree.decls[1].block.members[0]  # type: ignore[union-attr]
    assert member.args[0].value == 'a"b\\c\nd\teé😀 ✓ عربى'  # type: ignore[union-attr]


@pytest.mark.parametrize("escape", ["\\q", "\\ud83d", "\\ude00"])
def test_bad_escapes_are_s007(escape: str) -> None:
    text = f'account act_1\ncampaign c {{\n  name "x{escape}y"\n}}\n'
    _, diags = parse_file(Source("t", text))
    assert [(d.code, d.span.line, d.span.column) for d in diags] == [("S007", 3, 10)]


def test_raw_json_may_span_lines() -> None:
    text = ('account act_1\ncampaign c {\n'
            '  raw x {\n    "a": [1,\n      2],\n    "b": null\n  }\n}\n')
    tree, diags = parse_file(Source("t", text))
    assert not diags and tree is not None
    raw = tree.decls[1].block.members[0]  # type: ignore[union-attr]
    assert isinstance(raw, ast.Raw) and raw.value.value == {"a": [1, 2], "b": None}


def test_cached_parser_matches_the_grammar() -> None:
    """The parser loaded from the user cache parses like a fresh build."""
    text = (ROOT / "samples" / "seed_lead_form.adflow").read_text()
    cached = parse(Source("s", text)).tree
    fresh = build_parser().parse(text)
    assert cached == fresh


def test_only_parse_and_lower_modules_import_lark() -> None:
    allowed = {"parser.py", "lower.py", "jsonsrc.py"}
    for path in (ROOT / "compiler").rglob("*.py"):
        tree = pyast.parse(path.read_text())
        for node in pyast.walk(tree):
            names = []
            if isinstance(node, pyast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, pyast.ImportFrom):
                names = [node.module or ""]
            if any(n == "lark" or n.startswith("lark.") for n in names):
                assert path.name in allowed, f"{path} imports lark"
    for path in (ROOT / "emitters").rglob("*.py"):
        assert "import lark" not in path.read_text() and "from lark" not in path.read_text()
