"""The language server's check after an edit: only what the edit touched is
parsed, lowered and judged again; everything else is the previous check's.

It stands in for `pipeline.check_source` (`check_file(..., checker=...)`)
and gives exactly the findings that one would: where it cannot be sure
(a syntax error, input past a limit, a JSON file) it asks `check_source`.

The file is read in *pieces*: from a line that starts with a declaration's
keyword up to the next such line. Three results are kept from one check to
the next, each with what it depends on:

- a piece's declarations are parsed again only when its text changed; a
  piece that moved (lines added or removed above it) has its spans moved;
- an *object* (the request one declaration stands for) is lowered again when
  its piece changed, or when a name it refers to now means something else
  (another kind, id or place), or the ad account changed: each object
  records the names it looked up while it was lowered;
- the rules' findings are kept per *group*, the objects linked by references
  (an ad, its ad set and campaign, its creative and lead form): a group is
  judged again when one of its objects was lowered again. Rules that look
  across groups (`WHOLE_FILE`) judge the whole model every time.

What is kept from a piece that moved is moved with it (`Moves`): a finding
that points into a piece that changed is found again instead.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..bodies.model import Document, Request
from ..bodies.resolve import Resolver
from ..findings.diagnostics import Diagnostic, Edit, Fix, Note, Severity
from ..front import ast, descent
from ..front.dsl import _gc_paused
from ..front.limits import HARD_MAX_DEPTH, Limits
from ..front.lower import Lowerer
from ..front.source import Source, Span
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
from ..records import fields, record, replace
from ..rules import CHECKS
from ..rules.base import Rule
from ..rules.security import TEXT_RULES

if TYPE_CHECKING:
    from ..front.source import StrPath

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

_ALL_NAMES = "\0all"  # an unknown name was looked up: the suggestion reads every name
ObjectKey = tuple[str, int]  # the text of its piece, its place in it


@record(frozen=True)
class Chunk:
    """One piece's declarations and what its parse reported."""

    line: int  # where the piece starts
    decls: tuple[ast.Decl, ...]
    diagnostics: tuple[Diagnostic, ...]
    # Of a piece that moved, each object's block where it was parsed and how
    # far it moved: moved only when the object is lowered again.
    blocks: tuple[tuple[ast.Block, int] | None, ...] = ()


@record(frozen=True)
class Lowered:
    """One object lowered, with what it read: each name's meaning as seen.
    `origin` is the request it was first lowered as: the same but for
    where it is, for as long as the object is only moved."""

    line: int  # where its piece started
    request: Request | None
    origin: Request | None
    diagnostics: tuple[Diagnostic, ...]
    reads: tuple[tuple[str, object], ...]
    account: str | None
    needs: tuple[str, ...]  # the request's references (`Request.needs`), found once


class Moves:
    """Where the pieces of the last check are now: spans in the pieces that
    are still there (the same text) moved by as many lines as their piece."""

    def __init__(self, before: list[tuple[int, str]], now: list[tuple[int, str]]) -> None:
        old = Counter(text for _, text in before)
        new = Counter(text for _, text in now)
        at = {text: line for line, text in now if old[text] == 1 and new[text] == 1}
        # (first line, last line, its end at column 1 allowed, lines moved)
        self.pieces = [(line, line + text.count("\n"), text.endswith("\n"), at[text] - line)
                       for line, text in before if text in at]
        self.starts = [p[0] for p in self.pieces]
        self.still = all(p[3] == 0 for p in self.pieces)

    def span(self, span: Span) -> Span | None:
        """Where `span` is now; None if its piece changed."""
        i = bisect_right(self.starts, span.line) - 1
        if i < 0:
            return None
        first, last, ends_open, by = self.pieces[i]
        if span.end_line > last or (span.end_line == last and ends_open
                                    and span.end_column > 1):
            return None
        return span if by == 0 else _move(span, by)

    def diagnostics(self, found: Iterable[Diagnostic]) -> list[Diagnostic] | None:
        """All of them where they are now; None if one points into a piece that changed."""
        return _moved_diagnostics(found, self.span)

    def meaning(self, seen: object) -> object:
        """A name's meaning as seen then, its place moved."""
        if isinstance(seen, tuple) and len(seen) == 3 and isinstance(seen[2], Span):
            return (seen[0], seen[1], self.span(seen[2]))
        return seen


class _Resolver(Resolver):
    """The resolver, answering objects from the previous check where what
    they read is unchanged."""

    def __init__(self, file: ast.File, path: str, keys: dict[int, tuple[ObjectKey, int]],
                 before: dict[ObjectKey, Lowered], moves: Moves,
                 blocks: dict[int, tuple[ast.Block, int]]) -> None:
        super().__init__(file, path)
        self.keys = keys
        self.blocks = blocks
        self.before = before
        self.moves = moves
        self.now: dict[ObjectKey, Lowered] = {}
        self.of_request: dict[int, Lowered] = {}  # every request's, by id
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

    def kept(self, key: ObjectKey, line: int) -> Lowered | None:
        """The object as the last check lowered it, moved to `line`, if
        nothing it read changed."""
        kept = self.before.get(key)
        if kept is None or key in self.now or kept.account != self.account or any(
                self.moves.meaning(seen) != self.meaning(name) for name, seen in kept.reads):
            return None
        if kept.line == line and self.moves.still:
            return kept
        diagnostics = self.moves.diagnostics(kept.diagnostics)
        if diagnostics is None:
            return None
        request = kept.request
        if request is not None and kept.line != line:
            request = _moved(request, line - kept.line)
        reads = tuple((name, self.meaning(name)) for name, _ in kept.reads)
        return Lowered(line, request, kept.origin, tuple(diagnostics), reads, kept.account,
                       kept.needs)

    def object(self, decl: ast.ObjectDecl) -> Request | None:
        key, line = self.keys[id(decl)]
        kept = self.kept(key, line)
        if kept is not None:
            for name, seen in kept.reads:
                if seen is not None and name != _ALL_NAMES:
                    self.names[name].used = True
            self.diagnostics.extend(kept.diagnostics)
            self.now[key] = kept
            if kept.request is not None:
                self.of_request[id(kept.request)] = kept
            return kept.request
        self.fresh += 1
        self.reads = {}
        mark = len(self.diagnostics)
        unmoved = self.blocks.get(id(decl))
        if unmoved is not None:
            block, by = unmoved
            decl = replace(decl, block=_moved_node(block, by))
        request = super().object(decl)
        lowered = Lowered(line, request, request, tuple(self.diagnostics[mark:]),
                          tuple(self.reads.items()), self.account,
                          tuple(request.needs) if request is not None else ())
        self.now.setdefault(key, lowered)  # a piece written twice: the first is kept
        if request is not None:
            self.of_request[id(request)] = lowered
        return request


def _moved_diagnostics(found: Iterable[Diagnostic],
                       where: Callable[[Span], Span | None]) -> list[Diagnostic] | None:
    """The findings with each span (and their notes' and edits') put `where`
    it is now; None if one of them is nowhere."""
    out = []
    for d in found:
        span = where(d.span)
        notes = []
        for note in d.notes:
            at = where(note.span) if note.span is not None else None
            if note.span is not None and at is None:
                return None
            notes.append(note if at is note.span else Note(note.message, at))
        fix = d.fix
        if fix is not None:
            edits = []
            for edit in fix.edits:
                at = where(edit.span)
                if at is None:
                    return None
                edits.append(edit if at is edit.span else Edit(at, edit.content))
            if edits != list(fix.edits):
                fix = Fix(fix.message, tuple(edits), fix.applicability)
        if span is None:
            return None
        if span is d.span and fix is d.fix and notes == list(d.notes):
            out.append(d)  # where it was
        else:
            out.append(Diagnostic(d.code, d.severity, d.message, span, d.help, tuple(notes),
                                  d.name, fix))
    return out


def _moved_findings(findings: dict[str, list[Diagnostic]],
                    moves: Moves) -> dict[str, list[Diagnostic]] | None:
    """Each rule's findings where they are now; None if one points into a piece that changed."""
    out = {}
    for code, found in findings.items():
        moved = moves.diagnostics(found)
        if moved is None:
            return None
        out[code] = moved
    return out


def _move(span: Span, by: int) -> Span:
    return Span(span.file, span.line + by, span.column, span.end_line + by, span.end_column)


def _moved(request: Request, by: int) -> Request:
    """The request with its spans `by` lines further; its decoded body kept."""
    moved = replace(request, span=_move(request.span, by),
                    spans={ptr: _move(s, by) for ptr, s in request.spans.items()})
    if "normalised" in request.__dict__:
        moved.__dict__["normalised"] = request.__dict__["normalised"]
    return moved


Group = tuple[tuple[Request, ...], object, dict[str, list[Diagnostic]]]


def _reaches_past_its_piece(decl: object) -> bool:
    """A market makes every object again and a used file brings objects of
    its own: a file with either is checked whole."""
    return isinstance(decl, ast.UseDecl) or getattr(decl, "kind", "") == "market"


class Rechecker:
    """One open document's previous check, to check its next text against."""

    def __init__(self) -> None:
        self.setting: tuple[Limits, str | None] | None = None
        self.forget()

    def forget(self) -> None:
        self.pieces: list[tuple[int, str]] = []
        self.chunks: dict[str, Chunk] = {}
        self.objects: dict[ObjectKey, Lowered] = {}
        # By the requests' origins: the origins and each rule's findings on them.
        self.groups: dict[tuple[int, ...], Group] = {}
        self.schemas: dict[int, tuple[Request, list[Diagnostic]]] = {}
        # What the last check did again, for tests and the curious.
        self.stats: dict[str, int] = {}

    def check_source(self, source: Source, limits: Limits,
                     api_version: str | None = None, base: StrPath | None = None) -> FileResult:
        """What `pipeline.check_source` gives for this source."""
        if self.setting != (limits, api_version):  # another configuration: start afresh
            self.forget()
            self.setting = (limits, api_version)
        result = None
        if not is_json(source.path) and len(source.text) <= limits.max_bytes:
            with _gc_paused():  # many small objects made, few freed: see front.dsl
                result = self._check(source, limits, api_version)
        if result is None:
            self.stats = {"whole": 1}
            return check_source(source, limits, api_version, base=base)
        return result

    # -- the stages --------------------------------------------------------------------------

    def _pieces(self, text: str) -> list[tuple[int, str]]:
        starts = [0, *(m.end() for m in _DECL_START.finditer(text)), len(text)]
        pieces = []
        line = 1
        for start, end in zip(starts, starts[1:], strict=False):
            piece = text[start:end]
            pieces.append((line, piece))
            line += piece.count("\n")
        return pieces

    def _parse(self, path: str, pieces: list[tuple[int, str]],
               limits: Limits) -> list[Chunk] | None:
        chunks: list[Chunk] = []
        now: dict[str, Chunk] = {}
        fresh = 0
        for line, piece in pieces:
            # Kept as parsed, moved where it is now each time.
            chunk = self.chunks.get(piece) if piece not in now else None
            if chunk is None:
                fresh += 1
                chunk = _parse_chunk(path, line, piece, limits)
            if chunk is None:
                # The pieces wait for the fix: those before this one as they
                # are now, the others as they were (within a bound).
                kept = {**self.chunks, **now}
                self.chunks = kept if len(kept) <= 2 * len(pieces) else now
                return None
            now.setdefault(piece, chunk)
            chunks.append(chunk if chunk.line == line else _moved_chunk(chunk, line))
        self.chunks = now
        self.stats["parsed"] = fresh
        return chunks

    def _check(self, source: Source, limits: Limits,
               api_version: str | None) -> FileResult | None:
        self.stats = {}
        pieces = self._pieces(source.text)
        chunks = self._parse(source.path, pieces, limits)
        if chunks is None or any(_reaches_past_its_piece(decl)
                                 for chunk in chunks for decl in chunk.decls):
            return None
        moves = Moves(self.pieces, pieces)
        diagnostics = [d for chunk in chunks for d in chunk.diagnostics]
        keys = {id(decl): ((piece, i), line) for (line, piece), chunk in zip(pieces, chunks,
                                                                           strict=True)
                for i, decl in enumerate(chunk.decls)}
        blocks = {id(decl): block for chunk in chunks
                  for decl, block in zip(chunk.decls, chunk.blocks, strict=False) if block}
        resolver = _Resolver(ast.File(tuple(d for c in chunks for d in c.decls), source.whole),
                             source.path, keys, self.objects, moves, blocks)
        document = resolver.resolve()
        diagnostics += resolver.diagnostics
        if api_version and document.api_span is None:
            document = replace(document, api_version=api_version)
        document = replace(document, source=source)
        if too_many(document, limits):
            return None
        self.pieces = pieces
        self.objects = resolver.now
        self.stats["lowered"] = resolver.fresh
        held = _unread_objects(document, diagnostics)
        lowered = resolver.of_request
        found = self._judge(document, limits, lowered, moves)
        for rule in CHECKS:
            diagnostics.extend(d for d in found[rule.code] if d.span not in held)
        diagnostics.extend(self._schema_findings(document, diagnostics, lowered, moves))
        diagnostics.sort(key=Diagnostic.sort_key)
        return FileResult(source.path, source, document, _dedupe(diagnostics, source))

    def _judge(self, document: Document, limits: Limits, lowered: dict[int, Lowered],
               moves: Moves) -> dict[str, list[Diagnostic]]:
        """Each rule's findings, in the order of `CHECKS`: whole-file rules on
        the model, the others per group, from the last check where the
        group's objects are the same but for where they are."""
        found: dict[str, list[Diagnostic]] = {rule.code: [] for rule in CHECKS}
        context = (document.api_version, document.api_span is None)
        now: dict[tuple[int, ...], Group] = {}
        judged = 0
        for group in groups(document.requests, lambda r: lowered[id(r)].needs):
            origins = tuple(lowered[id(r)].origin or r for r in group)
            key = tuple(id(r) for r in origins)
            kept = self.groups.get(key)
            findings = None
            if kept is not None and kept[1] == context and all(
                    a is b for a, b in zip(kept[0], origins, strict=True)):
                findings = _moved_findings(kept[2], moves)
            if findings is None:
                judged += 1
                part = replace(document, requests=group)
                findings = {rule.code: list(rule.run(part, limits))
                            for rule in CHECKS if rule.code not in WHOLE_FILE}
            now[key] = (origins, context, findings)
            for code, more in findings.items():
                found[code].extend(more)
        self.groups = now
        self.stats["judged"] = judged
        for rule in _whole_file_rules():
            found[rule.code] = list(rule.run(document, limits))
        return found

    def _schema_findings(self, document: Document, found: list[Diagnostic],
                         lowered: dict[int, Lowered], moves: Moves) -> list[Diagnostic]:
        """`pipeline._schema_findings`, each request's answer kept while it
        is the same but for where it is."""
        from ..facts.endpoints import schema_diagnostics

        errors = [d.span for d in found if d.severity is Severity.ERROR]
        out = []
        now = {}
        for request in document.requests:
            origin = lowered[id(request)].origin or request
            kept = self.schemas.get(id(origin))
            answer = moves.diagnostics(kept[1]) if kept is not None and kept[0] is origin \
                else None
            if answer is None:
                answer = schema_diagnostics(request, document.source, alone=False)
            now[id(origin)] = (origin, answer)
            if not any(_inside(span, request.span) for span in errors):
                out.extend(answer)
        self.schemas = now
        return out


def _whole_file_rules() -> Iterable[Rule]:
    return (rule for rule in CHECKS if rule.code in WHOLE_FILE)


@record(frozen=True)
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
    return Chunk(line, tree.decls, tuple(lowerer.diagnostics))


def _moved_chunk(chunk: Chunk, line: int) -> Chunk:
    """A piece's declarations, parsed at another line, moved to `line`; the
    blocks of objects only when they are read (`Chunk.blocks`)."""
    by = line - chunk.line
    moved = _moved_diagnostics(chunk.diagnostics, lambda span: _move(span, by)) or []
    decls: list[ast.Decl] = []
    for decl in chunk.decls:
        if isinstance(decl, ast.ObjectDecl):
            decls.append(ast.ObjectDecl(decl.kind, _moved_node(decl.name, by),
                                        _moved_node(decl.parent, by), decl.block,
                                        _move(decl.span, by)))
        else:
            decls.append(_moved_node(decl, by))
    blocks = tuple((d.block, by) if isinstance(d, ast.ObjectDecl) else None for d in decls)
    return Chunk(line, tuple(decls), tuple(moved), blocks)


def _moved_node(node: Any, by: int) -> Any:
    """An AST node (or a tuple of them) with every span `by` lines further."""
    if isinstance(node, Span):
        return _move(node, by)
    if isinstance(node, tuple):
        return tuple(_moved_node(item, by) for item in node)
    names = _FIELDS.get(type(node))
    if names is None:
        return node  # a value: text, a number, a decoded JSON value
    return type(node)(*(_moved_node(getattr(node, name), by) for name in names))


_FIELDS: dict[type, tuple[str, ...]] = {
    cls: tuple(f.name for f in fields(cls))
    for cls in (ast.Ident, ast.Str, ast.Num, ast.ListValue, ast.Arrow, ast.Pair, ast.Member,
                ast.JsonValue, ast.Raw, ast.Block, ast.ApiDecl, ast.AccountDecl, ast.PageDecl,
                ast.ObjectDecl)}


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
