"""One lexer for every reader of the language (`compiler/front/lexer.py`): its
patterns are the grammar's terminals, it never raises, and the readers
(Lark, descent, fmt, suppressions, the editor's scanner, the nesting check,
the recovery scanners) see the same tokens in any text, line endings,
strings left open, escapes and comments full of quotes and brackets
included."""

from __future__ import annotations

import re
from importlib import resources
from itertools import takewhile

from adflow.compiler.editor import fmt
from adflow.compiler.editor import symbols as editor
from adflow.compiler.findings import suppress
from adflow.compiler.front import lexer, parser
from adflow.compiler.front.lower import Lowerer
from adflow.compiler.front.source import Source
from adflow.compiler.pipeline import too_deep
from hypothesis import example, given
from hypothesis import strategies as st
from lark import Lark
from lark.exceptions import UnexpectedCharacters

PIECES = ['"', "\\", "\r", "\n", "\r\n", "#", "{", "}", "[", "]", ",", ":", "->", "=>", "-",
          ".", "=", "/", " ", "\t", "\f", "a", "x_1", "raw", "v25.0", "1", "-2.5e3", "e", "é",
          '"x"', '"a\\"b"', '"{[#]}"', '"\\u00e9"', '"\\q"', "# a \"[{ ->", "# adflow: ignore",
          "\u00a0", "\\u"]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
LINE = st.lists(st.sampled_from([p for p in PIECES if "\n" not in p]), max_size=20).map("".join)
PUNCTUATION = set(lexer.OPERATORS)


def lexed(text: str) -> list[lexer.Token]:
    return list(lexer.tokens(text))


def test_the_patterns_are_the_grammars_terminals() -> None:
    grammar = resources.files("adflow.grammar").joinpath("adflow.lark").read_text("utf-8")
    for name in ("NAME", "NUMBER", "STRING", "VERSION", "COMMENT", "LINE_BREAK", "SPACE"):
        assert re.search(rf"^{name}(\.\d+)?: /{re.escape(getattr(lexer, name))}/$", grammar,
                         re.MULTILINE), name
    # The grammar's punctuation is the lexer's.
    built = parser.build_parser()
    quoted = {t.pattern.value for t in built.terminals if t.pattern.type == "str"}
    assert {q for q in quoted if not q.isidentifier()} == PUNCTUATION


@given(TEXTS)
@example("\r")
@example('"open \\\n}')
@example('a "x\r" # "}\r\n]')
def test_tokens_cover_every_text_and_never_raise(text: str) -> None:
    pos = 0
    for token in lexed(text):
        assert re.fullmatch(f"(?:{lexer.SPACE})?", text[pos:token.start]), (text, token)
        assert token.end > token.start
        pos = token.end
    assert re.fullmatch(f"(?:{lexer.SPACE})?", text[pos:])


@given(TEXTS)
@example("a # x\n  \n# y\r\n\tb")
def test_the_parsers_tokens_merge_breaks_and_comments(text: str) -> None:
    """descent's tokens are the lexer's, with each run of line breaks and
    comments (and the spaces after a break) one NL, as the grammar's `_NL`."""
    descent = lexer.parser_tokens(text)
    assert descent[-1][0] == "EOF"
    ours = lexed(text)
    assert [(k, start, start + len(v)) for k, v, _, _, start in descent[:-1] if k != "NL"] == [
        tuple(t) for t in ours if t.kind not in ("BREAK", "COMMENT")]
    runs = [(start, start + len(v)) for k, v, _, _, start in descent if k == "NL"]
    nl = re.compile(rf"(?:{lexer.LINE_BREAK}(?:{lexer.SPACE})?|{lexer.COMMENT})+")
    assert all(nl.fullmatch(text, start, end) for start, end in runs)
    assert all(any(s <= t.start and t.end <= e for s, e in runs)
               for t in ours if t.kind in ("BREAK", "COMMENT"))
    source = Source("t", text)
    for kind, _, line, column, start in descent:
        assert source.position(start) == (line, column), kind


def lark_tokens(text: str) -> tuple[list[tuple[str, int, int]], int | None]:
    """Lark's own lexer on `text`: its tokens, kinds as the lexer names them,
    and where it stopped on a character no terminal takes (None: the end)."""
    out: list[tuple[str, int, int]] = []
    try:
        for token in _LARK.lex(text):
            kind = token.type
            if kind == "_NL":
                kind = "NL"
            elif kind not in ("STRING", "NUMBER", "VERSION", "NAME"):
                kind = str(token) if str(token) in PUNCTUATION else "NAME"  # keywords
            out.append((kind, token.start_pos or 0, token.end_pos or 0))
    except UnexpectedCharacters as exc:
        return out, exc.pos_in_stream
    return out, None


_LARK = Lark(parser._grammar_text(), parser="lalr", lexer="basic")


@given(TEXTS)
@example("a\rb")
@example("a\r\nb")
@example('x "a\\\r\n"')
def test_lark_lexes_every_text_as_the_lexer(text: str) -> None:
    """With no state to choose keywords by, Lark's lexer splits the text into
    the same tokens, and stops exactly where the lexer finds a string left
    open or a character no token takes."""
    found, stopped = lark_tokens(text)
    ours = [(t[0], t[4], t[4] + len(t[1])) for t in lexer.parser_tokens(text)[:-1]]
    assert ours[:len(found)] == found, text
    if stopped is None:
        assert len(ours) == len(found)
    else:
        assert ours[len(found)][0] in ("OPEN_STRING", "BAD") and ours[len(found)][1] == stopped


@given(TEXTS)
def test_brackets_are_the_bracket_tokens(text: str) -> None:
    assert list(lexer.brackets(text)) == [(t.kind, t.start) for t in lexed(text)
                                          if t.kind in ("[", "]", "{", "}")]


@given(TEXTS)
def test_fmt_sees_the_tokens_and_comments_of_each_line(text: str) -> None:
    """The code before a line's first comment, and the comment to the line's
    end (never a word of the file dropped)."""
    lines: list[list[lexer.Token]] = [[]]
    ends = []
    for token in lexed(text):
        if token.kind == "BREAK":
            lines.append([])
            ends.append(token.start)
        else:
            lines[-1].append(token)
    ends.append(len(text))
    for line, toks, end in zip(fmt._lines(text), lines, ends, strict=True):
        code = list(takewhile(lambda t: t.kind != "COMMENT", toks))
        comment = (text[toks[len(code)].start:end].rstrip(),) if len(code) < len(toks) else ()
        if line is None:
            assert not toks
        else:
            assert line.tokens == [text[t.start:t.end] for t in code]
            assert (() if line.comment is None else (line.comment,)) == comment


@given(LINE)
def test_the_editor_scans_a_line_into_the_lexers_tokens(line: str) -> None:
    scanned = editor.tokens(line, 1)
    assert [(t.text, t.column) for t in scanned] == [
        (line[t.start:t.end], t.start + 1) for t in lexed(line) if t.kind != "COMMENT"]


@given(TEXTS)
@example('"# adflow: ignore"\n# adflow: ignore\n')
def test_suppressions_are_read_from_the_lexers_comments(text: str) -> None:
    comments = {(t.start, t.end) for t in lexed(text) if t.kind == "COMMENT"}
    for s in suppress.find(Source("t.adflow", text)):
        assert (s.start, s.end) in comments


@given(TEXTS, st.integers(0, 3))
def test_the_nesting_check_and_recovery_count_the_lexers_brackets(text: str, limit: int) -> None:
    depth, deepest_at = 0, None
    for kind, at in ((t.kind, t.start) for t in lexed(text)):
        if kind in "[{":
            depth += 1
            if depth > limit and deepest_at is None:
                deepest_at = at
        elif kind in "]}":
            depth = max(0, depth - 1)
    found = too_deep(Source("t", text), limit)
    source = Source("t", text)
    assert (found.span if found else None) == (
        source.span(deepest_at, deepest_at + 1) if deepest_at is not None else None)
    for pos in range(0, len(text) + 1, 3):
        braces = [t.kind for t in takewhile(lambda t, p=pos: t.start < p, lexed(text))]
        assert parser._depth(text, pos) == max(0, braces.count("{") - braces.count("}"))


@given(st.lists(st.sampled_from(["a", "\\n", '\\"', "\\\\", "\\u00e9", "\\ud83d\\ude00",
                                 "\\ud800", "\\q", "é", "\\/"]), max_size=8).map("".join))
def test_both_parsers_and_the_editor_decode_strings_alike(body: str) -> None:
    """One decoder: Lark's lowering, descent and the editor's hover give a
    string the same value."""
    text = f'campaign c {{\n  name "{body}"\n}}\n'
    source = Source("t", text)
    start = text.index('"')
    end = text.index('"\n') + 1
    value, problems = lexer.string_value(text, start, end)
    lowerer = Lowerer(source)
    assert lowerer.string(start, end) == value
    assert [d.span for d in lowerer.diagnostics] == [source.span(p.start, p.end)
                                                      for p in problems]
    assert editor._unquote(text[start:end]) == value
    assert editor._unquote(text[start:end - 1]) == value  # left open: the same characters
