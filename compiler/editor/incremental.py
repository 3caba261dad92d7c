"""The language server's check after an edit: only what the edit touched is
parsed, lowered and judged again; everything else is the previous check's.

It stands in for `pipeline.check_source` (`check_file(..., checker=...)`)
and gives exactly the findings that one would: where it cannot be sure
(a syntax error, input past a limit, a JSON file) it asks `check_source`.

Three results are kept from one check to the next, each with what it depends on:

- a *declaration* (from a line that starts with a declaration's keyword up
  to the next such line) is parsed again only when its text or its first
  line changed: its AST, spans included, depends on nothing else;
- an *object* (the request one declaration stands for) is lowered again when
  its declaration was, or when a name it refers to now means something else
  (another kind, id or place), or the ad account changed: each object
  records the names it looked up while it was lowered;
- the rules' findings are kept per *group*, the objects linked by references
  (an ad, its ad set and campaign, its creative and lead form): a group is
  judged again when one of its objects was lowered again. Rules that look
  across groups (`WHOLE_FILE`) judge the whole model every time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..bodies.model import Document, Request
from ..bodies.resolve import Resolver
from ..findings.diagnostics import Diagnostic, Severity
from ..front import ast, descent
from ..front.limits import HARD_MAX_DEPTH, Limits
from ..front.lower import Lowerer
from ..front.source import Source
from ..pipeline import (
    FileResult,
    _dedupe,
    _inside,
    _unread_objects,
    check_source,
    is_json,
    too_deep,
    too_many,
)
from ..rules import CHECKS
from ..rules.base import Rule
from ..rules.security import TEXT_RULES

# A declaration starts at the start of a line with its keyword. A line inside
# a block that happens to start so leaves the block before it unclosed: that
# piece does not parse alone, and the whole file is checked instead.
# (Searched as a line break before the keyword: the line break is found fast.)
_DECL_START = re.compile(
    r"\n(?=(?:api|account|page|instagram|lead_form|campaign|adset|creative|ad)\b)")

# Rules whose findings about one object depend on objects it is not linked
# to by references (D001: the file's first lead form; D004: the API version
# line; C014: whether the file has any creative), and the rules that read the
# text rather than the model: run on the whole model after every edit.
# tests/test_lsp_incremental.py finds any other.
WHOLE_FILE = frozenset({"C014", "D001", "D004", *(rule.code for rule in TEXT_RULES)})

ChunkKey = tuple[int, str]  # (first line, text)
ObjectKey = tuple[int, str, int]  # the declaration's chunk, its place in it
_ALL_NAMES = "\0all"  # an unknown name was looked up: the suggestion reads every name


@dataclass(frozen=True)
class Chunk:
    """One piece's declarations and what its parse reported."""

    decls: tuple[ast.Decl, ...]
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class Lowered:
    """One object lowered, with what it read: each name's meaning as seen."""

    request: Request | None
    diagnostics: tuple[Diagnostic, ...]
    reads: tuple[tuple[str, object], ...]
    account: str | None
    needs: tuple[str, ...]  # the request's references (`Request.needs`), found once


class _Resolver(Resolver):
    """The resolver, answering objects from the previous check where what
    they read is unchanged."""

    def __init__(self, file: ast.File, path: str, keys: dict[int, ObjectKey],
                 before: dict[ObjectKey, Lowered]) -> None:
        super().__init__(file, path)
        self.keys = keys
        self.before = before
        self.now: dict[ObjectKey, Lowered] = {}
        self.reads: dict[str, object] = {}
        self.fresh = 0  # objects lowered again

    def meaning(self, name: str) -> object:
        if name == _ALL_NAMES:
            return tuple((n, b.kind) for n, b in self.names.items())
        binding = self.names.get(name)
        return None if binding is None else (binding.kind, binding.id, binding.name.span)

    def ref(self, ref: ast.Ref, kinds: tuple[str, ...]) -> Any:
        if isinstance(ref, ast.Ident):
            self.reads[ref.text] = self.meaning(ref.text)
            if ref.text not in self.names:
                self.reads[_ALL_NAMES] = self.meaning(_ALL_NAMES)
        return super().ref(ref, kinds)

    def object(self, decl: ast.ObjectDecl) -> Request | None:
        key = self.keys[id(decl)]
        kept = self.before.get(key)
        if kept is not None and kept.account == self.account and all(
                self.meaning(name) == seen for name, seen in kept.reads):
            for name, seen in kept.reads:
                if seen is not None and name != _ALL_NAMES:
                    self.names[name].used = True
            self.diagnostics.extend(kept.diagnostics)
            self.now[key] = kept
            return kept.request
        self.fresh += 1
        self.reads = {}
        mark = len(self.diagnostics)
        request = super().object(decl)
        self.now[key] = Lowered(request, tuple(self.diagnostics[mark:]),
                                tuple(self.reads.items()), self.account,
                                tuple(request.needs) if request is not None else ())
        return request


class Rechecker:
    """One open document's previous check, to check its next text against."""

    def __init__(self) -> None:
        self.setting: tuple[Limits, str | None] | None = None
        self.forget()

    def forget(self) -> None:
        self.chunks: dict[ChunkKey, Chunk] = {}
        self.objects: dict[ObjectKey, Lowered] = {}
        # A group's requests (the very objects) and each rule's findings on it.
        self.groups: dict[tuple[int, ...], tuple[tuple[Request, ...], object,
                                                 dict[str, list[Diagnostic]]]] = {}
        self.schemas: dict[int, tuple[Request, list[Diagnostic]]] = {}
        # What the last check did again, for tests and the curious.
        self.stats: dict[str, int] = {}

    def check_source(self, source: Source, limits: Limits,
                     api_version: str | None = None) -> FileResult:
        """What `pipeline.check_source` gives for this source."""
        if self.setting != (limits, api_version):  # another configuration: start afresh
            self.forget()
            self.setting = (limits, api_version)
        result = None
        if not is_json(source.path) and len(source.text) <= limits.max_bytes:
            result = self._check(source, limits, api_version)
        if result is None:
            self.stats = {"whole": 1}
            return check_source(source, limits, api_version)
        return result

    # -- the stages --------------------------------------------------------------------------

    def _parse(self, source: Source, limits: Limits) -> list[tuple[ChunkKey, Chunk]] | None:
        text = source.text
        starts = [0, *(m.end() for m in _DECL_START.finditer(text)), len(text)]
        line = 1
        chunks: list[tuple[ChunkKey, Chunk]] = []
        now: dict[ChunkKey, Chunk] = {}
        fresh = 0
        for start, end in zip(starts, starts[1:], strict=False):
            piece = text[start:end]
            key = (line, piece)
            chunk = self.chunks.get(key) or now.get(key)
            if chunk is None:
                fresh += 1
                chunk = _parse_chunk(source.path, line, piece, limits)
            if chunk is None:
                # The pieces wait for the fix: those before this one as they
                # are now, the others as they were (within a bound).
                kept = {**self.chunks, **now}
                self.chunks = kept if len(kept) <= 2 * len(starts) else now
                return None
            now[key] = chunk
            chunks.append((key, chunk))
            line += piece.count("\n")
        self.chunks = now
        self.stats["parsed"] = fresh
        return chunks

    def _check(self, source: Source, limits: Limits,
               api_version: str | None) -> FileResult | None:
        self.stats = {}
        chunks = self._parse(source, limits)
        if chunks is None:
            return None
        diagnostics = [d for _, chunk in chunks for d in chunk.diagnostics]
        keys = {id(decl): (*key, i) for key, chunk in chunks
                for i, decl in enumerate(chunk.decls)}
        resolver = _Resolver(ast.File(tuple(d for _, c in chunks for d in c.decls), source.whole),
                             source.path, keys, self.objects)
        document = resolver.resolve()
        diagnostics += resolver.diagnostics
        if api_version and document.api_span is None:
            document = replace(document, api_version=api_version)
        document = replace(document, source=source)
        if too_many(document, limits):
            return None
        self.objects = resolver.now
        self.stats["lowered"] = resolver.fresh
        held = _unread_objects(document, diagnostics)
        needs = {id(o.request): o.needs for o in resolver.now.values()}
        found = self._judge(document, limits, needs)
        for rule in CHECKS:
            diagnostics.extend(d for d in found[rule.code] if d.span not in held)
        diagnostics.extend(self._schema_findings(document, diagnostics))
        diagnostics.sort(key=Diagnostic.sort_key)
        return FileResult(source.path, source, document, _dedupe(diagnostics, source))

    def _judge(self, document: Document, limits: Limits,
               needs: dict[int, tuple[str, ...]]) -> dict[str, list[Diagnostic]]:
        """Each rule's findings, in the order of `CHECKS`: whole-file rules on
        the model, the others per group, from the last check where the
        group's objects are the very same."""
        found: dict[str, list[Diagnostic]] = {rule.code: [] for rule in CHECKS}
        context = (document.api_version, document.api_span)
        now = {}
        judged = 0
        for group in groups(document.requests, lambda r: needs[id(r)]):
            key = tuple(id(r) for r in group)
            kept = self.groups.get(key)
            if kept is None or kept[1] != context or \
                    any(a is not b for a, b in zip(kept[0], group, strict=True)):
                judged += 1
                part = replace(document, requests=group)
                kept = (group, context, {rule.code: list(rule.run(part, limits))
                                         for rule in CHECKS if rule.code not in WHOLE_FILE})
            now[key] = kept
            for code, more in kept[2].items():
                found[code].extend(more)
        self.groups = now
        self.stats["judged"] = judged
        for rule in _whole_file_rules():
            found[rule.code] = list(rule.run(document, limits))
        return found

    def _schema_findings(self, document: Document,
                         found: list[Diagnostic]) -> list[Diagnostic]:
        """`pipeline._schema_findings`, each request's answer kept while it
        is the very same request."""
        from ..facts.endpoints import schema_diagnostics

        errors = [d.span for d in found if d.severity is Severity.ERROR]
        out = []
        now = {}
        for request in document.requests:
            kept = self.schemas.get(id(request))
            if kept is None or kept[0] is not request:
                kept = (request, schema_diagnostics(request, document.source, alone=False))
            now[id(request)] = kept
            if not any(_inside(span, request.span) for span in errors):
                out.extend(kept[1])
        self.schemas = now
        return out


def _whole_file_rules() -> Iterable[Rule]:
    return (rule for rule in CHECKS if rule.code in WHOLE_FILE)


@dataclass(frozen=True)
class _Piece(Source):
    """A piece of a file that starts at `first_line`: positions in it are
    the file's."""

    first_line: int = 1

    def position(self, offset: int) -> tuple[int, int]:
        line, column = super().position(offset)
        return line + self.first_line - 1, column


class _PieceParser(descent.Parser):
    def __init__(self, source: _Piece, lowerer: Lowerer) -> None:
        super().__init__(source, lowerer)
        shift = source.first_line - 1
        if shift:
            self.tokens = [(kind, text, line + shift, column, offset)
                           for kind, text, line, column, offset in self.tokens]


def _parse_chunk(path: str, line: int, piece: str, limits: Limits) -> Chunk | None:
    """A piece of the file that starts at `line`, parsed alone: None when it
    is nested too deep or is not whole declarations without syntax errors."""
    source = _Piece(path, piece, line)
    if too_deep(source, min(limits.max_depth, HARD_MAX_DEPTH)) is not None:
        return None
    lowerer = Lowerer(source)
    try:
        tree = _PieceParser(source, lowerer).file()
    except Exception:  # noqa: BLE001 (declined: the whole check explains it)
        return None
    return Chunk(tree.decls, tuple(lowerer.diagnostics))


def groups(requests: Sequence[Request],
           needs: Callable[[Request], Iterable[str]] = lambda r: r.needs,
           ) -> list[tuple[Request, ...]]:
    """The requests linked by references (`needs`), each group in the
    requests' order, the groups in the order of their first request."""
    parent: dict[str, str] = {r.key: r.key for r in requests}

    def top(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for request in requests:
        for needed in needs(request):
            if needed in parent:
                parent[top(needed)] = top(request.key)
    by_top: dict[str, list[Request]] = {}
    for request in requests:
        by_top.setdefault(top(request.key), []).append(request)
    return [tuple(group) for group in by_top.values()]
