"""Inline suppressions in .adflow files.

    question city "City?" -> x   # adflow: ignore[F004]     (this line)
    # adflow: ignore[F010]                                   (the next statement,
    question phone ... {                                      with its whole block)
    # adflow: ignore-file[R003]                              (the whole file)

Codes may be prefixes (`F`), comma-separated; without brackets every code is
meant. A suppression that hides nothing is reported as N001, so stale ones
do not pile up.
"""

from __future__ import annotations

import re

from ..front.lexer import tokens
from ..front.source import Source
from ..records import record
from ..rules.suppressions import N001
from .diagnostics import Diagnostic

_DIRECTIVE = re.compile(r"#\s*adflow:\s*(ignore-file|ignore)\b(?:\[([^\]]*)\])?")


@record
class Suppression:
    codes: tuple[str, ...]  # empty: every code
    first_line: int
    last_line: int
    start: int  # offset of the comment, for N001
    end: int
    used: bool = False

    def covers(self, d: Diagnostic) -> bool:
        if not self.first_line <= d.span.line <= self.last_line:
            return False
        return not self.codes or any(d.code.startswith(c) for c in self.codes)


def find(source: Source) -> list[Suppression]:
    text = source.text
    found: list[Suppression] = []
    if "adflow:" not in text:  # no directive: spare the scan
        return found
    for token in tokens(text):
        if token.kind != "COMMENT":
            continue
        directive = _DIRECTIVE.match(text, token.start, token.end)
        if directive is None:
            continue
        codes = tuple(c.strip().upper() for c in (directive.group(2) or "").split(",") if c.strip())
        line, _ = source.position(token.start)
        line_start = text.rfind("\n", 0, token.start) + 1
        if directive.group(1) == "ignore-file":
            first, last = 1, len(text.splitlines()) + 1
        elif text[line_start:token.start].strip():
            first = last = line  # after code on the same line
        else:
            first, last = _next_statement(source, token.end)
        found.append(Suppression(codes, first, last, token.start, token.end))
    return found


def _next_statement(source: Source, comment_end: int) -> tuple[int, int]:
    """The lines of the statement after a comment line, through its block:
    from its first token to the line break outside brackets that ends it."""
    start = None
    depth = 0
    for token in tokens(source.text, comment_end):
        kind = token.kind
        if kind == "BREAK":
            if start is not None and depth <= 0:
                return source.position(start)[0], source.position(token.start)[0]
            continue
        if kind == "COMMENT":
            continue
        if start is None:
            start = token.start
        if kind in ("[", "{"):
            depth += 1
        elif kind in ("]", "}"):
            depth -= 1
    if start is None:
        return 0, -1
    return source.position(start)[0], source.position(len(source.text))[0]


def apply(source: Source, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Drop suppressed diagnostics; add N001 for suppressions that hid nothing."""
    suppressions = find(source)
    if not suppressions:
        return diagnostics
    kept = []
    for d in diagnostics:
        hit = [s for s in suppressions if s.covers(d)]
        for s in hit:
            s.used = True
        if not hit:
            kept.append(d)
    for s in suppressions:
        if not s.used:
            what = ", ".join(s.codes) if s.codes else "any code"
            kept.append(N001.diag(source.span(s.start, s.end),
                                  f"this suppression of {what} matches no diagnostic",
                                  help="remove it, or fix the code it names"))
    kept.sort(key=Diagnostic.sort_key)
    return kept
