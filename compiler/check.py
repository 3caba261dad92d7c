"""The pipeline for one file: read, parse (DSL or JSON), resolve, run rules."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic, FileResult
from .facts import DEFAULT_API_VERSION
from .model import Document
from .rules import CHECKS
from .rules.hygiene import RULES as TEXT_RULES
from .rules.paths import DEFAULT_MAX_QUESTIONS
from .rules.syntax import S004
from .source import DEFAULT_MAX_BYTES, InputError, Source, read

DEFAULT_MAX_DEPTH = 64
# A configured depth is capped here: parse trees and bodies are walked
# recursively, and past about 400 levels Python's recursion limit is hit.
HARD_MAX_DEPTH = 256
# Far above any real form or account file, low enough that rules stay quick.
DEFAULT_MAX_STEPS = 200  # per lead form
DEFAULT_MAX_OBJECTS = 2_000  # requests per file
_NESTING = re.compile(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*|[\[\]{}]')


@dataclass(frozen=True)
class Limits:
    max_bytes: int = DEFAULT_MAX_BYTES
    max_depth: int = DEFAULT_MAX_DEPTH
    max_steps: int = DEFAULT_MAX_STEPS
    max_objects: int = DEFAULT_MAX_OBJECTS
    max_questions: int = DEFAULT_MAX_QUESTIONS  # F019: questions on one path


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
            depth = max(0, depth - 1)  # unmatched closers must not buy depth for later openers
    return None


def too_many(document: Document, limits: Limits) -> list[Diagnostic]:
    """Objects per file and steps per lead form over the limits, reported at
    the first object (or step) past the limit."""
    found = []
    if len(document.requests) > limits.max_objects:
        extra = document.requests[limits.max_objects]
        found.append(S004.diag(extra.span, f"the file has {len(document.requests):,} objects, "
                                           f"over the limit of {limits.max_objects:,}"))
    for request in document.of_kind("lead_form"):
        steps = request.body.get("step_list")
        if isinstance(steps, list) and len(steps) > limits.max_steps:
            found.append(S004.diag(request.span_at(f"/step_list/{limits.max_steps}"),
                                   f"lead form '{request.name}' has {len(steps):,} steps, "
                                   f"over the limit of {limits.max_steps:,}"))
    return found


def is_json(path: str) -> bool:
    return path.lower().endswith(".json")


def input_problem(source: Source, limits: Limits = Limits()) -> Diagnostic | None:
    """Text too large, or nested too deep, to be read safely (S004): anything
    that parses or walks the input asks this first."""
    # Text handed in directly rather than read(): characters stand in for bytes.
    if len(source.text) > limits.max_bytes:
        return S004.diag(source.span(0, 0), f"input is {len(source.text):,} characters, "
                                             f"over the limit of {limits.max_bytes:,}")
    return too_deep(source, min(limits.max_depth, HARD_MAX_DEPTH))


def unreadable(name: str, exc: InputError) -> FileResult:
    """The result for a file that is not text adflow can read (S003, S004)."""
    from .rules import BY_CODE

    return FileResult(name, None, None, [BY_CODE[exc.code].diag(exc.span, exc.message)])


def check_source(source: Source, limits: Limits = Limits(),
                 api_version: str | None = None) -> FileResult:
    """`api_version` is the configured default, used when the file names none."""
    problem = input_problem(source, limits)
    if problem is not None:
        return FileResult(source.path, source, None, [problem])
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
    if document is not None and api_version and document.api_span is None:
        document = dataclasses.replace(document, api_version=api_version)
    if document is not None:
        document = dataclasses.replace(document, source=source)
        over = too_many(document, limits)
        if over:  # the rules would take long on such input: report the limit alone
            diagnostics += over
            document = None
    if document is not None:
        for rule in CHECKS:
            diagnostics.extend(rule.run(document, limits))
    else:
        # Rules about the text need no model: a file that did not parse gets them too.
        text_only = Document(source.path, api_version or DEFAULT_API_VERSION, (), source=source)
        for rule in TEXT_RULES:
            diagnostics.extend(rule.run(text_only))
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


def check_path(path: Path, display: str | None = None, limits: Limits = Limits(),
               api_version: str | None = None) -> FileResult:
    """Check one file; OSError (missing, unreadable) is left to the caller."""
    name = display if display is not None else str(path)
    try:
        source = read(path, name, limits.max_bytes)
    except InputError as exc:
        return unreadable(name, exc)
    return check_source(source, limits, api_version)
