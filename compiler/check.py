"""The pipeline for one file: read, parse (DSL or JSON), resolve, run rules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic
from .model import Document
from .rules import CHECKS
from .rules.syntax import S004
from .source import DEFAULT_MAX_BYTES, InputError, Source, read

DEFAULT_MAX_DEPTH = 64
_NESTING = re.compile(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*|[\[\]{}]')


@dataclass(frozen=True)
class Limits:
    max_bytes: int = DEFAULT_MAX_BYTES
    max_depth: int = DEFAULT_MAX_DEPTH


@dataclass
class FileResult:
    path: str
    source: Source | None
    document: Document | None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(d.severity.value == "error" for d in self.diagnostics)


def too_deep(source: Source, limit: int) -> Diagnostic | None:
    """Brackets nested past the limit, found by a flat scan (no recursion)."""
    depth = 0
    for m in _NESTING.finditer(source.text):
        c = m.group()
        if c in "[{":
            depth += 1
            if depth > limit:
                return S004.diag(source.span(m.start(), m.end()),
                                 f"nesting is deeper than the limit of {limit}")
        elif c in "]}":
            depth -= 1
    return None


def is_json(path: str) -> bool:
    return path.lower().endswith(".json")


def check_source(source: Source, limits: Limits = Limits()) -> FileResult:
    deep = too_deep(source, limits.max_depth)
    if deep is not None:
        return FileResult(source.path, source, None, [deep])
    if is_json(source.path):
        from .jsonsrc import document_from_json

        document, diagnostics = document_from_json(source)
    else:
        from .lower import parse_file
        from .resolve import resolve

        tree, diagnostics = parse_file(source)
        document = None
        if tree is not None:
            document, more = resolve(tree, source.path)
            diagnostics += more
    if document is not None:
        for rule in CHECKS:
            diagnostics.extend(rule.run(document))
    diagnostics.sort(key=Diagnostic.sort_key)
    return FileResult(source.path, source, document, _dedupe(diagnostics))


def _dedupe(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    seen = set()
    out = []
    for d in diagnostics:
        key = (d.code, d.span, d.message)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def check_path(path: Path, display: str | None = None, limits: Limits = Limits()) -> FileResult:
    """Check one file; OSError (missing, unreadable) is left to the caller."""
    name = display if display is not None else str(path)
    try:
        source = read(path, name, limits.max_bytes)
    except InputError as exc:
        from .rules import BY_CODE

        return FileResult(name, None, None, [BY_CODE[exc.code].diag(exc.span, exc.message)])
    return check_source(source, limits)
