"""The pipeline for one file, the one every command and test goes through:
read the bytes once, answer from the result cache when they are unchanged,
parse (DSL or JSON), resolve, run every rule and the request schemas (S008),
then apply inline suppressions and the configuration.

`check_file` is the whole pipeline; `check_source` is its middle (text to raw
findings and the model), for text that never was a file (the formatter's
meaning check, the sandbox, tests). A file is compilable exactly when
`check_file` reports nothing that fails it: `compile` asks the same function.

Only the cache-hit path runs without the parser, the rules and the schemas,
so they are imported where they are needed.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from .findings.diagnostics import Diagnostic, Severity
from .front.limits import DEFAULT_LIMITS, HARD_MAX_DEPTH, Limits
from .front.source import InputError, Source, Span, decode, read_bytes
from .records import field, record, replace

TYPE_CHECKING = False  # typing is for mypy alone: importing it costs a quick check 4 ms
if TYPE_CHECKING:
    from .bodies.model import Document
    from .front import ast
    from .front.source import StrPath
    from .project.config import Config


__all__ = ["FileResult", "Limits", "check_file", "check_source", "input_problem", "unreadable"]


@record
class FileResult:
    """What the pipeline says of one file: its findings, and the source and
    model they were found in (None where the file never got that far)."""

    path: str
    source: Source | None
    document: Document | None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(d.severity.value == "error" for d in self.diagnostics)


def check_file(path: StrPath, config: Config | None = None, *, data: bytes | None = None,
               display: str | None = None, cache_dir: StrPath | None = None,
               limits: Limits | None = None,
               checker: Callable[..., FileResult] | None = None,
               ) -> FileResult:
    """One file through the whole pipeline.

    `config` defaults to the one found for `path` (adflow.toml or
    pyproject.toml above it); `data` stands for the file's bytes when they
    come from elsewhere (stdin, an editor's buffer); `display` is the name
    findings are reported under; with `cache_dir`, unchanged bytes are
    answered from the cache, without the model (`document` is None then);
    `limits` replaces the ones the configuration sets; `checker` stands in
    for `check_source` (the language server's, which re-checks what changed).
    OSError (missing, unreadable) and ConfigError are left to the caller.
    """
    name = display if display is not None else os.fspath(path)
    if config is None:
        from .project.config import Finder

        config = Finder().for_file(path)
    limits = limits or limits_for(config)
    if data is None:
        try:
            data = read_bytes(path, limits.max_bytes, name)
        except InputError as exc:
            return FileResult(name, None, None, config.apply(unreadable(name, exc).diagnostics,
                                                             name))
    cache = key = None
    if cache_dir is not None:
        from .project.cache import ResultCache

        cache = ResultCache(cache_dir, repr(config))
        # The key and the check read the same bytes: a file saved meanwhile
        # cannot store its new findings under the old content's key.
        key = cache.key(name, data)
        cached = cache.get(key)
        if cached is not None:  # no parser, no rules: just the answer
            return FileResult(name, _source_for_report(name, data), None, cached)
    try:
        source = decode(name, data, limits.max_bytes)
    except InputError as exc:
        result = unreadable(name, exc)
    else:
        base = os.path.dirname(os.fspath(path)) or "."
        result = (checker or check_source)(source, limits, config.api_version, base=base)
        if not is_json(name):
            from .findings import suppress

            result.diagnostics = suppress.apply(source, result.diagnostics)
    result.diagnostics = config.apply(result.diagnostics, name)
    # A file read with others (a catalogue) is answered afresh: the cache keys on its bytes alone.
    if cache is not None and key is not None and not (result.document and result.document.includes):
        cache.put(key, result.diagnostics)
    return result


def limits_for(config: Config) -> Limits:
    """The limits a configuration sets (today F019's question limit)."""
    if config.max_questions:
        return Limits(max_questions=config.max_questions)
    return Limits()


def fails(result: FileResult, config: Config) -> bool:
    """The verdict: whether the findings fail the run under `fail_on`."""
    return any(config.fails(d.severity) for d in result.diagnostics)


def _source_for_report(name: str, data: bytes) -> Source | None:
    """The text, for the source lines under cached diagnostics."""
    try:
        return decode(name, data, max_bytes=len(data))
    except InputError:
        return None


def too_deep(source: Source, limit: int) -> Diagnostic | None:
    """Brackets nested past the limit, found by a flat scan (no recursion)."""
    from .front.lexer import brackets
    from .rules.syntax import S004

    depth = 0
    for c, at in brackets(source.text):
        if c in "[{":
            depth += 1
            if depth > limit:
                return S004.diag(source.span(at, at + 1),
                                 f"nesting is deeper than the limit of {limit}")
        elif c in "]}":
            depth = max(0, depth - 1)  # unmatched closers must not buy depth for later openers
    return None


def too_many(document: Document, limits: Limits) -> list[Diagnostic]:
    """Objects per file and steps per lead form over the limits, reported at
    the first object (or step) past the limit."""
    from .rules.syntax import S004

    found = []
    if len(document.requests) > limits.max_objects:
        extra = document.requests[limits.max_objects]
        found.append(S004.diag(extra.span, f"the file has {len(document.requests):,} objects, "
                                           f"over the limit of {limits.max_objects:,}"))
    for request in document.of_kind("lead_form"):
        steps = request.view.get("step_list")  # also when sent as JSON text
        if isinstance(steps, list) and len(steps) > limits.max_steps:
            found.append(S004.diag(request.span_at(f"/step_list/{limits.max_steps}"),
                                   f"lead form '{request.name}' has {len(steps):,} steps, "
                                   f"over the limit of {limits.max_steps:,}"))
    return found


def too_many_declared(file: ast.File, limits: Limits) -> Diagnostic | None:
    """Objects over the limit in a parsed .adflow file, counted before the
    resolver builds a body for each, and reported where `too_many` would
    report them: the requests are the first declaration of each name, in
    the order of ENDPOINTS, then as written."""
    from .bodies.model import ENDPOINTS
    from .front import ast
    from .rules.syntax import S004

    named: set[str] = set()
    objects = []
    for decl in file.decls:
        if isinstance(decl, (ast.ApiDecl, ast.AccountDecl, ast.UseDecl)) \
                or decl.name.text in named:
            continue
        named.add(decl.name.text)
        if isinstance(decl, ast.ObjectDecl) and decl.kind in ENDPOINTS:  # not a market
            objects.append(decl)
    if len(objects) <= limits.max_objects:
        return None
    order = {kind: i for i, kind in enumerate(ENDPOINTS)}
    objects.sort(key=lambda decl: order[decl.kind])
    return S004.diag(objects[limits.max_objects].span, f"the file has {len(objects):,} "
                     f"objects, over the limit of {limits.max_objects:,}")


def is_json(path: str) -> bool:
    return path.lower().endswith(".json")


def input_problem(source: Source, limits: Limits = DEFAULT_LIMITS) -> Diagnostic | None:
    """Text too large, or nested too deep, to be read safely (S004): anything
    that parses or walks the input asks this first."""
    from .rules.syntax import S004

    # Text handed in directly rather than read(): characters stand in for bytes.
    if len(source.text) > limits.max_bytes:
        return S004.diag(source.span(0, 0), f"input is {len(source.text):,} characters, "
                                             f"over the limit of {limits.max_bytes:,}")
    return too_deep(source, min(limits.max_depth, HARD_MAX_DEPTH))


def unreadable(name: str, exc: InputError) -> FileResult:
    """The result for a file that is not text adflow can read (S003, S004)."""
    from .rules import BY_CODE

    return FileResult(name, None, None, [BY_CODE[exc.code].diag(exc.span, exc.message)])


def check_source(source: Source, limits: Limits = DEFAULT_LIMITS,
                 api_version: str | None = None, base: StrPath | None = None) -> FileResult:
    """`api_version` is the configured default, used when the file names none;
    `base` the folder the files it names are read from (default: its path's)."""
    from .bodies.model import Document
    from .facts.versions import DEFAULT_API_VERSION
    from .rules import CHECKS
    from .rules.security import TEXT_RULES

    problem = input_problem(source, limits)
    if problem is not None:
        return FileResult(source.path, source, None, [problem])
    if is_json(source.path):
        from .front.jsonsrc import document_from_json

        document, diagnostics = document_from_json(source)
    else:
        from .bodies.resolve import resolve
        from .front.dsl import parse_file

        tree, diagnostics = parse_file(source)
        document = None
        over_limit = None if tree is None else too_many_declared(tree, limits)
        if over_limit is not None:  # refused before a body is built
            diagnostics.append(over_limit)
        elif tree is not None:
            document, more = resolve(tree, source.path, base)
            diagnostics += more
    anchors = dict(document.uses) if document is not None else {}
    if document is not None and api_version and document.api_span is None:
        document = replace(document, api_version=api_version)
    if document is not None:
        document = replace(document, source=source)
        over = too_many(document, limits)
        if over:  # the rules would take long on such input: report the limit alone
            diagnostics += over
            document = None
    if document is not None:
        def checked(document: Document, front: list[Diagnostic]) -> list[Diagnostic]:
            held = _unread_objects(document, front)
            found = [d for rule in CHECKS for d in rule.run(document, limits) if d.span not in held]
            return found + _schema_findings(document, front + found)

        if document.markets:  # each market's objects on their own, findings merged
            from .bodies.markets import per_market

            diagnostics += per_market(document, diagnostics, checked)
        else:
            diagnostics += checked(document, diagnostics)
    else:
        # Rules about the text need no model: a file that did not parse gets them too.
        text_only = Document(source.path, api_version or DEFAULT_API_VERSION, (), source=source)
        for rule in TEXT_RULES:
            diagnostics.extend(rule.run(text_only))
    if anchors:  # findings in used files, at the `use` lines that brought them in
        from .bodies.uses import anchored

        diagnostics = anchored(diagnostics, anchors)
    diagnostics.sort(key=Diagnostic.sort_key)
    return FileResult(source.path, source, document, _dedupe(diagnostics, source))


def _unread_objects(document: Document, front: list[Diagnostic]) -> set[Span]:
    """The anchors (names) of objects with a member the reader could not
    place: a rule's finding there says what the object lacks, and the member
    the reader refused may be just that (`image "x"` for C010's missing
    image), so it waits until the member reads."""
    errors = [d.span for d in front if d.severity is Severity.ERROR]
    return {request.span_at("") for request in document.requests
            if any(_inside(span, request.span) and span != request.span_at("")
                   for span in errors)}


def _schema_findings(document: Document, found: list[Diagnostic]) -> list[Diagnostic]:
    """S008 for bodies that break their endpoint's schema, for the requests
    no rule reported an error in: a rule names the cause in clearer words,
    and the schema's findings follow once it is fixed."""
    from .facts.endpoints import schema_diagnostics

    errors = [d.span for d in found if d.severity is Severity.ERROR]
    out = []
    for request in document.requests:
        if not any(_inside(span, request.span) for span in errors):
            out.extend(schema_diagnostics(request, document.source,
                                          alone=document.from_json and len(document.requests) == 1))
    return out


def _inside(span: Span, outer: Span) -> bool:
    return ((outer.line, outer.column) <= (span.line, span.column)
            and (span.end_line, span.end_column) <= (outer.end_line, outer.end_column))


def _dedupe(diagnostics: list[Diagnostic], source: Source) -> list[Diagnostic]:
    """One finding per cause: the same finding once, and in JSON, of the
    findings about one written value (a string, a number; not an object or
    a list, where unrelated findings meet) only the gravest: an error that
    `instagram_actor_id` is dead says all a warning that it is unknown would.
    (In the DSL a block's name stands for the whole block: findings about
    the block meet there, so all are kept.)"""
    gravest: dict[Span, int] = {}
    for d in diagnostics:
        if is_json(source.path) and _one_value(d.span, source):
            gravest[d.span] = max(gravest.get(d.span, 0), d.severity.rank)
    seen = set()
    out = []
    for d in diagnostics:
        key = (d.code, d.span, d.message)
        if key not in seen and d.severity.rank >= gravest.get(d.span, 0):
            seen.add(key)
            out.append(d)
    return out


def _one_value(span: Span, source: Source) -> bool:
    if span.line != span.end_line or span.end_column <= span.column:
        return False
    first = source.line_text(span.line)[span.column - 1:span.column]
    return first not in ("{", "[", "")
