"""`adflow fmt`: one canonical layout for .adflow files.

The layout: two spaces per open `{` or `[`; one space between tokens (none
inside brackets or before a comma or colon); the arrows of consecutive
quick-reply answers line up; a trailing comment keeps its column when it
fits, else sits two spaces after the code; at most one blank line, none at
the start or end of a block. Comments stay on their lines.

Formatting is safe: the result is compiled again and must give the same
model and the same diagnostics as the original, or nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..front.lexer import tokens
from ..front.source import Source
from ..pipeline import check_source

INDENT = "  "
_NO_SPACE_AFTER = {"["}
_NO_SPACE_BEFORE = {"]", ",", ":"}


class FormatError(Exception):
    """The file cannot be formatted safely; the message says why."""


@dataclass
class _Line:
    depth: int
    tokens: list[str]
    comment: str | None
    comment_column: int  # 0-based column of the comment in the original


def _layout(tokens: list[str]) -> str:
    out = ""
    for i, token in enumerate(tokens):
        if i and tokens[i - 1] not in _NO_SPACE_AFTER and token not in _NO_SPACE_BEFORE:
            out += " "
        out += token
    return out


def _lines(text: str) -> list[_Line | None]:
    """Each source line as tokens at a depth; None for a blank line."""
    # Per line: its tokens' texts, where its comment starts (the comment runs
    # to the line's end: a bare \r after it does not end it), its bounds.
    rows: list[tuple[list[str], int | None, int, int]] = []
    code: list[str] = []
    comment: int | None = None
    line_start = 0
    for token in tokens(text):
        if token.kind == "BREAK":
            rows.append((code, comment, line_start, token.start))
            code, comment, line_start = [], None, token.end
        elif token.kind == "COMMENT" and comment is None:
            comment = token.start
        elif comment is None:
            code.append(text[token.start:token.end])
    rows.append((code, comment, line_start, len(text)))
    out: list[_Line | None] = []
    depth = 0
    for line_tokens, comment, line_start, line_end in rows:
        if not line_tokens and comment is None:
            out.append(None)
            continue
        closers = 0
        for token_text in line_tokens:
            if token_text in ("}", "]"):
                closers += 1
            else:
                break
        line_depth = max(0, depth - closers)
        for token_text in line_tokens:
            if token_text in ("{", "["):
                depth += 1
            elif token_text in ("}", "]"):
                depth = max(0, depth - 1)
        out.append(_Line(line_depth, line_tokens,
                         text[comment:line_end].rstrip() if comment is not None else None,
                         comment - line_start if comment is not None else 0))
    return out


def _is_answer(line: _Line | None) -> bool:
    return (line is not None and len(line.tokens) >= 3 and line.tokens[0].startswith('"')
            and line.tokens[1] == "->")


def _drop_extra_blanks(lines: list[_Line | None]) -> list[_Line | None]:
    out: list[_Line | None] = []
    for i, line in enumerate(lines):
        if line is None:
            previous = out[-1] if out else None
            following = next((x for x in lines[i + 1:] if x is not None), None)
            if (previous is None or following is None
                    or (previous.tokens and previous.tokens[-1] in "{[")
                    or (following.tokens and following.tokens[0] in "}]")):
                continue
        out.append(line)
    return out


def format_text(text: str) -> str:
    """The canonical layout of a text (no safety check: see `format_source`)."""
    lines = _drop_extra_blanks(_lines(text))
    rendered: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line is None:
            rendered.append("")
            i += 1
            continue
        run = [line]
        if _is_answer(line):  # line up the arrows of consecutive answers
            while i + len(run) < len(lines) and _is_answer(lines[i + len(run)]) and \
                    lines[i + len(run)].depth == line.depth:  # type: ignore[union-attr]
                run.append(lines[i + len(run)])  # type: ignore[arg-type]
        width = max(len(x.tokens[0]) for x in run) if len(run) > 1 else 0
        for item in run:
            pad = INDENT * item.depth
            if width:
                code = pad + item.tokens[0].ljust(width) + " " + _layout(item.tokens[1:])
            else:
                code = pad + _layout(item.tokens)
            if item.comment is not None:
                if item.tokens:
                    column = max(item.comment_column, len(code) + 2)
                    code = code.ljust(column) + item.comment
                else:
                    code = pad + item.comment
            rendered.append(code.rstrip())
        i += len(run)
    return "\n".join(rendered).strip("\n") + "\n"


def _meaning(source: Source) -> tuple[object, ...]:
    result = check_source(source)
    document = result.document
    requests = () if document is None else tuple(
        (r.key, r.kind, r.name, r.path, r.method, repr(r.body)) for r in document.requests)
    api = None if document is None else document.api_version
    diagnostics = tuple((d.code, d.message) for d in result.diagnostics)
    return api, requests, diagnostics


def format_source(source: Source) -> str:
    """The formatted text, checked to mean exactly what the original means."""
    before = check_source(source)
    syntax = [d for d in before.diagnostics if d.code in ("S001", "S003", "S004")]
    if syntax:
        d = syntax[0]
        raise FormatError(f"{d.span}: {d.code} {d.message} (fix it before formatting)")
    formatted = format_text(source.text)
    if formatted == source.text:
        return formatted
    if _meaning(Source(source.path, formatted)) != _meaning(source):
        raise FormatError(f"{source.path}: formatting would change the meaning; left as is "
                          "(this is a bug in adflow fmt, please report it)")
    return formatted
