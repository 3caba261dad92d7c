"""Parsing adflow source with Lark (LALR, contextual lexer) and recovering.

This module and `lower` are the only ones that import lark. The parser is
built once from the grammar and saved into the user's cache directory (never
into the installed package); later runs load it instead of analysing the
grammar again. A file with errors is parsed again in a recovering loop that
skips the broken statement and goes on, so each mistake gets one diagnostic.
"""

from __future__ import annotations

import gc
import hashlib
import io
import itertools
import os
import sys
from collections.abc import Iterator
from importlib import resources
from typing import Any

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken
from lark.lexer import PatternStr

from .. import __version__
from ..findings.diagnostics import Diagnostic, Edit, Fix
from ..findings.suggest import rename, suggest
from ..project.files import write_atomic
from ..records import record, replace
from ..rules.syntax import S001
from .lexer import Token as Lexeme
from .lexer import tokens
from .source import Source, Span

MAX_SYNTAX_ERRORS = 50


class _RawJsonNewlines:
    """Drops line breaks inside the JSON value of a `raw` member, so an object
    or array there may span lines while everything else stays line-based."""

    # NAME is lexed in every state so a keyword glued to a name
    # (`campaignSpring`) stays one name instead of keyword + name.
    always_accept = ("_NL", "NAME")

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        in_raw = False
        depth = 0
        for token in stream:
            kind = token.type
            if kind == "RAW":
                in_raw, depth = True, 0
            elif in_raw:
                if kind in ("LBRACE", "LSQB"):
                    depth += 1
                elif kind in ("RBRACE", "RSQB"):
                    depth -= 1
                    if depth <= 0:
                        in_raw = False
                elif kind == "_NL":
                    if depth > 0:
                        continue
                    in_raw = False
            yield token


def _grammar_text() -> str:
    return resources.files("adflow.grammar").joinpath("adflow.lark").read_text("utf-8")


def _options() -> dict[str, Any]:
    return {
        "parser": "lalr",
        "lexer": "contextual",
        "propagate_positions": True,
        "maybe_placeholders": True,
        "postlex": _RawJsonNewlines(),
    }


def _cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "adflow")


def _cache_file(grammar: str) -> str:
    import lark

    digest = hashlib.sha256(
        f"{grammar}\0{__version__}\0{lark.__version__}\0{sys.version_info[:2]}".encode()
    ).hexdigest()[:20]
    return os.path.join(_cache_dir(), f"parser-{digest}.pickle")


def build_parser() -> Lark:
    """The parser built from the grammar, without any cache."""
    return Lark(_grammar_text(), start="start", **_options())


_PARSER: Lark | None = None


def get_parser() -> Lark:
    global _PARSER
    if _PARSER is not None:
        return _PARSER
    grammar = _grammar_text()
    path = _cache_file(grammar)
    parser: Lark | None = None
    try:
        with open(path, "rb") as f:
            parser = Lark.load(f)  # the post-lexer is pickled with it
    except Exception:  # missing, stale or half-written cache: rebuild it
        parser = None
    if parser is None:
        parser = build_parser()
        _save_atomically(parser, path)
    _PARSER = parser
    return parser


def _save_atomically(parser: Lark, path: str) -> None:
    # Parallel pre-commit processes may race here: write aside, then rename.
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        buffer = io.BytesIO()
        parser.save(buffer)
        write_atomic(path, buffer.getvalue(), durable=False)  # a lost cache is rebuilt
    except OSError:
        pass  # a read-only home only costs speed


@record(frozen=True)
class ParseResult:
    tree: Tree[Token] | None
    diagnostics: tuple[Diagnostic, ...]
    # Set when the only errors were blocks left open: the tree is then whole,
    # parsed from this text (the source with the missing `}` put in), and the
    # file can still be checked.
    closed: Source | None = None


def parse(source: Source) -> ParseResult:
    parser = get_parser()
    # The parse allocates many small objects and frees none: pausing the
    # cyclic garbage collector meanwhile is 1.5-2x faster on big files.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return ParseResult(parser.parse(source.text), ())
    except UnexpectedInput:
        pass
    finally:
        if gc_was_enabled:
            gc.enable()
    return _parse_recovering(parser, source)


def _describe_expected(parser: Lark, names: set[str]) -> str:
    by_name = {t.name: t for t in parser.terminals}
    friendly = {
        "NAME": "a name", "STRING": "a string", "NUMBER": "a number",
        "VERSION": "an API version like v25.0", "_NL": "a line break",
        "$END": "the end of the file",
    }
    words = set()
    for name in names:
        if name in friendly:
            words.add(friendly[name])
        elif name in by_name and isinstance(by_name[name].pattern, PatternStr):
            words.add(f"'{by_name[name].pattern.value}'")
        else:
            words.add(name.lower())
    ordered = sorted(words, key=lambda w: (not w.startswith("'"), w))
    if len(ordered) == 1:
        return ordered[0]
    return ", ".join(ordered[:-1]) + " or " + ordered[-1]


def _describe_token(token: Token) -> str:
    if token.type == "$END":
        return "end of file"
    if token.type == "_NL":
        return "line break" if "#" not in token else "comment"
    text = str(token)
    return f"'{text[:30]}'" + ("..." if len(text) > 30 else "")


def _statement_end(text: str, start: int, error_at: int) -> int:
    """Where the broken statement that began at `start` ends: the first line
    break after `error_at` outside braces, or before a `}` that closes the
    enclosing block. Braces in strings and comments do not count. Square
    brackets are ignored: an unclosed `[` is a common slip and must not
    swallow the rest of the file."""
    depth = 0
    for token in tokens(text, start):
        kind = token.kind
        if kind == "{":
            depth += 1
        elif kind == "}":
            depth -= 1
            if depth < 0 and token.start >= error_at:
                return token.start
        elif kind == "BREAK" and depth <= 0 and token.start >= error_at:
            return token.start
    return len(text)


def _skip_blank(text: str, pos: int) -> int:
    """Past line breaks, spaces and comments: the checkpoint parser stands
    just after a line break and expects the next statement, not another."""
    return next((t.start for t in tokens(text, pos) if t.kind not in ("BREAK", "COMMENT")),
                len(text))


# The line that starts an object (`campaign spring {`) is where a block left
# open before it is taken to end.
_OBJECT_KINDS = ("lead_form", "campaign", "adset", "creative", "ad", "market")


def _starts_object(text: str, line: list[Lexeme]) -> bool:
    """Whether a line's tokens start an object: a kind, a name, and a `{`
    with no brace between. No member of a block starts like that."""
    if len(line) < 3 or line[0].kind != "NAME" or line[1].kind not in ("NAME", "VERSION"):
        return False
    if text[line[0].start:line[0].end] not in _OBJECT_KINDS:
        return False
    return next((t.kind == "{" for t in line[2:] if t.kind in ("{", "}")), False)


def _unclosed_blocks(text: str) -> list[tuple[int, int]]:
    """Blocks left open: (offset of the `{`, where its `}` is missing), the
    latter being the end of the last code before the next object starts, or
    before the end of the file. Braces in strings and comments do not count."""
    found: list[tuple[int, int]] = []
    stack: list[int] = []
    last_code = 0  # just past the last token that is not a comment
    lines: list[list[Lexeme]] = [[]]  # the tokens of each line, comments left out
    for token in tokens(text):
        if token.kind == "BREAK":
            lines.append([])
        elif token.kind != "COMMENT":
            lines[-1].append(token)
    for number, line in enumerate(lines):
        if number and stack and _starts_object(text, line):
            found.extend((start, last_code) for start in reversed(stack))
            stack.clear()
        for token in line:
            if token.kind == "{":
                stack.append(token.start)
            elif token.kind == "}" and stack:
                stack.pop()
            last_code = token.end
    found.extend((start, last_code) for start in reversed(stack))
    return found


def _parse_recovering(parser: Lark, source: Source) -> ParseResult:
    """Blocks left open are reported at their `{` (as rustc reports an
    unclosed delimiter) and closed where the next object starts; the text so
    closed is then parsed statement by statement. A `}` is inserted at the
    end of a line, so lines and columns after it do not move."""
    original = source
    unclosed = _unclosed_blocks(source.text)
    diagnostics = [_unclosed_diagnostic(source, start, end) for start, end in unclosed]
    if unclosed:
        text = source.text
        for _, end in sorted(unclosed, key=lambda pair: pair[1], reverse=True):
            text = text[:end] + "}" + text[end:]
        source = Source(source.path, text)
    result = _parse_statements(parser, source)
    closed = source if unclosed and result.tree is not None and not result.diagnostics else None
    found = result.diagnostics
    if unclosed:  # a span that runs to a line's end must not take in the `}` added there
        found = tuple(_within(d, original) for d in found)
    return ParseResult(result.tree, tuple(diagnostics) + found, closed)


def _within(diagnostic: Diagnostic, source: Source) -> Diagnostic:
    """`diagnostic`, found in a copy of `source` with `}` added at line ends,
    with its span and fix ending where the original lines end."""
    fix = diagnostic.fix
    if fix is not None:
        fix = replace(fix, edits=tuple(replace(e, span=source.clip(e.span))
                                                   for e in fix.edits))
    return replace(diagnostic, span=source.clip(diagnostic.span), fix=fix)


def _unclosed_diagnostic(source: Source, start: int, end: int) -> Diagnostic:
    line = source.position(start)[0]
    opener = source.line_text(line)
    indent = opener[: len(opener) - len(opener.lstrip())]
    line_end = source.text.find("\n", end)
    where = source.span(*(2 * [len(source.text) if line_end == -1 else line_end]))  # past a comment
    return S001.diag(source.span(start, start + 1), "unclosed `{`: the block is never closed",
                     help=f"add `}}` after line {source.position(end)[0]}",
                     fix=Fix("close the block", (Edit(where, f"\n{indent}}}"),), "unsafe"))


def _parse_statements(parser: Lark, source: Source) -> ParseResult:
    text = source.text
    diagnostics: list[Diagnostic] = []
    ip: Any = parser.parse_interactive(text)  # lark's interactive API is untyped
    checkpoint = ip.copy()
    checkpoint_pos = 0
    while True:
        square = 0  # line breaks inside a list are not statement boundaries
        after_break = False
        try:
            # iter_parse yields each token before feeding it: the state in
            # which the token after a line break arrives is a statement start.
            for token in ip.iter_parse():
                if after_break:
                    checkpoint = ip.copy()
                    checkpoint_pos = token.start_pos or 0
                if token.type == "LSQB":
                    square += 1
                elif token.type == "RSQB":
                    square -= 1
                after_break = token.type == "_NL" and square == 0
            return ParseResult(ip.feed_eof(), tuple(diagnostics))
        except UnexpectedInput as exc:
            diagnostics.append(_syntax_diagnostic(parser, source, exc))
            if isinstance(exc, UnexpectedToken) and exc.token.type == "$END":
                break
            if len(diagnostics) >= MAX_SYNTAX_ERRORS:
                break
            error_at = _error_offset(exc)
            resume = _statement_end(text, checkpoint_pos, error_at)
            if resume <= error_at and resume < len(text) and text[resume] != "}":
                resume = error_at + 1
            if resume <= checkpoint_pos:
                resume = error_at + 1
            resume = _skip_blank(text, resume)
            ip = checkpoint.copy()
            _move_lexer(ip, text, checkpoint_pos, resume)
            if resume >= len(text):
                try:
                    return ParseResult(ip.feed_eof(), tuple(diagnostics))
                except UnexpectedInput as exc2:
                    diagnostics.append(_syntax_diagnostic(parser, source, exc2))
                    break
    return ParseResult(None, tuple(diagnostics))


def _error_offset(exc: UnexpectedInput) -> int:
    if isinstance(exc, UnexpectedToken):
        return exc.token.start_pos or 0
    return exc.pos_in_stream or 0


def _move_lexer(ip: object, text: str, start: int, to: int) -> None:
    state = ip.lexer_thread.state  # type: ignore[attr-defined]
    counter = state.line_ctr
    # The checkpoint's counter stands at `start`; feed the skipped text so
    # Lark's own line and column stay right.
    counter.char_pos = start
    counter.line = text.count("\n", 0, start) + 1
    counter.line_start_pos = text.rfind("\n", 0, start) + 1
    counter.column = start - counter.line_start_pos + 1
    counter.feed(text[start:to])
    state.last_token = None


def _syntax_diagnostic(parser: Lark, source: Source, exc: UnexpectedInput) -> Diagnostic:
    if isinstance(exc, UnexpectedToken):
        token = exc.token
        start = token.start_pos if token.type != "$END" else len(source.text)
        end = token.end_pos if token.type != "$END" else len(source.text)
        if token.type == "_NL":  # point at the line's end, not the next line
            end = start + 1
        # The contextual lexer reports what its state could lex (NAME and line
        # breaks always); ask the parser what it would really accept.
        state = getattr(exc, "state", None)
        if state is not None and hasattr(state, "position"):
            table = state.parse_conf.parse_table.states[state.position]
            expected = {t for t in table if t.isupper() or t == "$END"}
        else:
            expected = set(exc.accepts or exc.expected)
        message = (f"unexpected {_describe_token(token)}: expected "
                   f"{_describe_expected(parser, set(expected))}")
        span = source.span(start or 0, end or 0)
        if token.type == "NAME":
            keywords = _keywords(parser, expected)
            found = suggest(str(token), keywords)
            if found is not None:
                return S001.diag(span, message.replace("unexpected", "unknown keyword", 1),
                                 help=found.help,
                                 fix=rename(span, str(token), found.name, safe=found.certain)
                                 if found.clear else None)
        if token.type == "_NL" and "RSQB" in expected:
            opening = _open_bracket(source.text, start or 0)
            if opening is not None:
                close = len(source.text[:start].rstrip(" \t\f"))  # before a comment
                return S001.diag(source.span(opening, opening + 1),
                                 "unclosed `[`: a list ends on the line it starts, "
                                 "or wraps after a comma",
                                 help="add `]` at the end of the list",
                                 fix=Fix("close the list", (Edit(source.span(close, close), "]"),)))
        if str(token) == ":" and _name_before(source.text, start or 0) is not None:
            return _colon(source, start or 0, span, message)
        return S001.diag(span, message)
    assert isinstance(exc, UnexpectedCharacters)
    pos = exc.pos_in_stream or 0
    char = source.text[pos] if pos < len(source.text) else ""
    if char == '"':
        # The string left open (lexer's OPEN_STRING) ends with its line.
        line_end = next(tokens(source.text, pos)).end
        # Unsafe: the string may have been meant to end before an arrow.
        return S001.diag(source.span(pos, line_end),
                         "unterminated string: a string must end on the line it starts",
                         help='close it with " (write \\n for a line break inside the text)',
                         fix=Fix('close the string at the end of the line',
                                 (Edit(source.span(line_end, line_end), '"'),), "unsafe"))
    if char == "/" and source.text.startswith("//", pos):
        span = source.span(pos, pos + 2)
        return S001.diag(span, "unexpected '//': comments start with `#`",
                         help="write # before a comment", fix=rename(span, "//", "#"))
    if char == "=" and _after_field(source.text, pos):
        end = pos + 1 + (source.text[pos + 1:pos + 2] == " ")
        line = source.line_text(source.position(pos)[0])
        column = source.position(pos)[1] - 1
        meant = (line[:column] + line[column + end - pos:]).strip()
        return S001.diag(source.span(pos, pos + 1), "unexpected '=': fields take no `=`",
                         help=f"write `{meant}`",
                         fix=Fix("remove '='", (Edit(source.span(pos, end), ""),)))
    allowed = set(exc.allowed or ())
    message = f"unexpected character {char!r}"
    if allowed:
        message += f": expected {_describe_expected(parser, allowed)}"
    return S001.diag(source.span(pos, pos + 1), message)


# How each top-level statement is written, for `adset: mx` at the top level.
_STATEMENTS = {"api": "api vNN.N", "account": "account act_ID", "page": "page NAME ID",
               "instagram": "instagram NAME ID", "campaign": "campaign NAME { ... }",
               "adset": "adset NAME in CAMPAIGN { ... }", "creative": "creative NAME { ... }",
               "ad": "ad NAME { ... }", "lead_form": "lead_form NAME on PAGE { ... }",
               "use": 'use "FILE.adflow"', "market": "market KEY { ... }"}


def _colon(source: Source, pos: int, span: Span, message: str) -> Diagnostic:
    """`name: value`, as in YAML: inside a block a field takes no colon; at
    the top level, say how the statement is written."""
    head = _name_before(source.text, pos) or ""
    if _depth(source.text, pos) == 0:
        form = _STATEMENTS.get(head)
        return S001.diag(span, message, help=f"write `{form}`" if form else
                         "the top level holds api, account, page, instagram, use, "
                         "markets and objects: "
                         + ", ".join(f"`{f}`" for f in _STATEMENTS.values()))
    rest_end = next((t.start for t in tokens(source.text, pos + 1)
                     if t.kind in ("BREAK", "COMMENT", "}")), len(source.text))
    rest = source.text[pos + 1:rest_end].strip()
    glued = source.text[pos + 1:pos + 2] not in (" ", "\t")
    return S001.diag(span, "unexpected ':': fields take no `:`",
                     help=f"write `{head} {rest}`",
                     fix=Fix("remove ':'", (Edit(span, " " if glued else ""),)))


def _depth(text: str, pos: int) -> int:
    """How many blocks are open at `pos` (braces outside strings and comments)."""
    depth = 0
    for token in tokens(text):
        if token.start >= pos:
            break
        depth += (token.kind == "{") - (token.kind == "}")
    return max(depth, 0)


def _keywords(parser: Lark, expected: set[str]) -> list[str]:
    """The keywords among the terminals the parser would accept."""
    by_name = {t.name: t for t in parser.terminals}
    return [by_name[n].pattern.value for n in expected
            if n in by_name and isinstance(by_name[n].pattern, PatternStr)
            and by_name[n].pattern.value.isidentifier()]


def _line_before(text: str, pos: int) -> list[Lexeme]:
    """The tokens of the line that holds `pos`, up to `pos`."""
    return list(itertools.takewhile(lambda t: t.start < pos,
                                    tokens(text, text.rfind("\n", 0, pos) + 1)))


def _name_before(text: str, pos: int) -> str | None:
    """The name just before `pos` on its line, if that is what stands there."""
    before = _line_before(text, pos)
    last = before[-1] if before else None
    return text[last.start:last.end] if last is not None and last.kind == "NAME" else None


def _after_field(text: str, pos: int) -> bool:
    """Whether only a name stands before `pos` on its line (`name = ...`)."""
    return [t.kind for t in _line_before(text, pos)] == ["NAME"]


def _open_bracket(text: str, pos: int) -> int | None:
    """The offset of a `[` left open on the line that ends at `pos`."""
    opened: list[int] = []
    for token in _line_before(text, pos):
        if token.kind == "[":
            opened.append(token.start)
        elif token.kind == "]" and opened:
            opened.pop()
    return opened[-1] if opened else None
