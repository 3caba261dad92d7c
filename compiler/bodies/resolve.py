"""From the AST to the model: names become `$ref` markers or ids, fields
become Graph API body keys, and every written value keeps its span.

What a member means lives in `fields` (one table per object kind), how it is
read in `handlers`. Values are carried
over as written (an unknown enum stays in the body) so that the rules, which
also run on JSON payloads, are the one place that judges them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from ..facts.versions import DEFAULT_API_VERSION
from ..findings.diagnostics import Diagnostic, Note
from ..findings.suggest import rename, suggest
from ..front import ast
from ..front.source import Span
from ..records import field, record
from ..rules.refs import R001, R002, R003, R004, R005, R006
from ..rules.syntax import S006, S007
from .fields import IDENTIFIER, STATUS, TABLES, WRITTEN_AS
from .handlers import BUILDERS, build_lead_form
from .markets import EXPANDED, Market, for_market, merge, read_markets, texts, translate
from .model import ENDPOINTS, Document, Request
from .readers import Body
from .uses import read_uses

TYPE_CHECKING = False  # typing is for mypy alone: importing it costs a quick check 4 ms
if TYPE_CHECKING:
    from typing import Any

    from ..front.source import StrPath


@record
class Binding:
    kind: str  # "page", "instagram" or an object kind
    name: ast.Ident
    decl: ast.Decl
    id: str | None = None  # for pages and Instagram accounts
    used: bool = False
    foreign: bool = False  # defined in a used file (`uses`)


@record
class Resolver:
    file: ast.File
    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    names: dict[str, Binding] = field(default_factory=dict)
    account: str | None = None
    api_version: str = DEFAULT_API_VERSION
    api_span: Span | None = None
    market_decls: list[ast.ObjectDecl] = field(default_factory=list)
    includes: list[str] = field(default_factory=list)
    base: str | None = None  # the folder other files are named from (default: the path's)
    market: Market | None = None  # the market objects are being made for
    # Findings while making objects per market, by market (merged at the end),
    # and the texts people read as written, once each, where written.
    tagged: list[tuple[str | None, Diagnostic]] = field(default_factory=list)
    written: dict[tuple[str, Span], None] = field(default_factory=dict)

    # -- reporting helpers ---------------------------------------------------
    def error(self, rule: Any, span: Span, message: str, **kw: Any) -> None:
        self.diagnostics.append(rule.diag(span, message, **kw))

    def unknown(self, where: str, word: ast.Ident | ast.Str, known: Iterable[str],
                written: Iterable[str] = ()) -> str | None:
        """Report an unknown field (S006). Returns the name it clearly
        misspells, so the caller can read the member as that one and not
        report what only follows from the typo; not a name `written` in the
        block already (that would be set twice)."""
        text = word.text if isinstance(word, ast.Ident) else word.value
        names = sorted(set(known))
        instead = WRITTEN_AS.get(text)
        if instead is not None and instead.split()[0] in names and isinstance(word, ast.Ident):
            # A Graph API name the language spells otherwise: the fix writes
            # the member so that its value fits (`image url "..."`).
            self.error(S006, word.span, f"unknown field '{text}' in {where}",
                       help=f'the language writes it `{instead} "..."`',
                       fix=rename(word.span, text, instead, safe=False))
            return None
        found = suggest(text, names)
        meant = found.name if found and found.clear and isinstance(word, ast.Ident) else None
        if meant in set(written):
            meant = None
        self.error(S006, word.span, f"unknown field '{text}' in {where}",
                   help=(found.help if found else
                         f"known here: {', '.join(names)}; "
                         "`raw NAME <json>` passes any other Graph API field"),
                   fix=rename(word.span, text, meant, safe=found is not None and found.certain)
                   if meant else None)
        return meant

    # -- declarations ------------------------------------------------------
    def collect(self, used: list[ast.Decl]) -> None:
        """This file's declarations, then the definitions of the files it
        uses (`used`): a name defined in both is an error in this one."""
        for decl in self.file.decls:
            if isinstance(decl, ast.ApiDecl):
                if self.api_span is not None:
                    self.error(R006, decl.span, "the API version is set twice",
                               notes=[Note("first set here", self.api_span)])
                    continue
                self.api_version, self.api_span = decl.version, decl.span
            elif isinstance(decl, ast.AccountDecl):
                if self.account is not None:
                    self.error(R006, decl.span, "the ad account is set twice")
                    continue
                self.account = self.account_id(decl.ref)
            elif isinstance(decl, ast.ObjectDecl) and decl.kind == "market":
                self.market_decls.append(decl)  # markets have their own names
            elif isinstance(decl, ast.PageDecl | ast.ObjectDecl):  # uses were read before
                self.bind(decl)
        for decl in used:
            if isinstance(decl, ast.PageDecl | ast.ObjectDecl):
                self.bind(decl, foreign=True)

    def bind(self, decl: ast.PageDecl | ast.ObjectDecl, foreign: bool = False) -> None:
        binding = Binding(decl.kind, decl.name, decl, foreign=foreign)
        if isinstance(decl, ast.PageDecl):
            binding.id = self.literal_id(decl.ref)
        previous = self.names.get(decl.name.text)
        if previous is None:
            self.names[decl.name.text] = binding
            return
        # Reported in this file where it can be: a used file's name is taken here.
        again, first = (previous, binding) if foreign and not previous.foreign else (
            binding, previous)
        self.error(R002, again.name.span,
                   f"'{decl.name.text}' is already defined as a {first.kind}",
                   notes=[Note("first defined here", first.name.span)])

    def account_id(self, ref: ast.Ref) -> str:
        text = ref.text if isinstance(ref, ast.Num) else (
            ref.text if isinstance(ref, ast.Ident) else ref.value)
        digits = text.removeprefix("act_")
        if not digits.isdigit():
            self.error(S007, ref.span, f"'{text}' is not an ad account id",
                       help="write it as act_<digits>, e.g. account act_1234567890")
            return "act_0"
        return "act_" + digits

    def literal_id(self, ref: ast.Ref) -> str:
        if isinstance(ref, ast.Num):
            text = ref.text
        elif isinstance(ref, ast.Str):
            text = ref.value
        else:
            text = ref.text
        if not text.isdigit():
            self.error(S007, ref.span, f"'{text}' is not a numeric id",
                       help='ids are digit strings, e.g. 111222333444 or "111222333444"')
        return text

    def ref(self, ref: ast.Ref, kinds: tuple[str, ...]) -> Any:
        """A reference to one of `kinds`: a `$ref` marker, an existing id, or
        None after a diagnostic."""
        if not isinstance(ref, ast.Ident):
            return self.literal_id(ref)
        binding = self.names.get(ref.text)
        wanted = " or ".join(kinds)
        if binding is None:
            # Unsafe: the author may rather have meant to define the name.
            found = suggest(ref.text, [n for n, b in self.names.items() if b.kind in kinds])
            self.error(R001, ref.span, f"'{ref.text}' is not defined: expected a {wanted}",
                       help=found.help if found else None,
                       fix=rename(ref.span, ref.text, found.name, safe=False)
                       if found and found.clear else None)
            return None
        binding.used = True
        if binding.kind not in kinds:
            self.error(R004, ref.span, f"'{ref.text}' is a {binding.kind}, not a {wanted}",
                       notes=[Note(f"'{ref.text}' is defined here", binding.name.span)])
            return None
        if binding.id is not None:
            return binding.id
        if self.market is not None and binding.kind in EXPANDED:
            return {"$ref": f"{binding.kind}.{ref.text}[{self.market.key}]"}
        return {"$ref": f"{binding.kind}.{ref.text}"}

    # -- the whole file ----------------------------------------------------------
    def resolve(self) -> Document:
        base = self.base if self.base is not None else os.path.dirname(self.path) or "."
        used = read_uses(self, self.file, self.path, base)
        self.collect(used.decls)
        markets = read_markets(self, self.market_decls, base)
        built: dict[str, list[Request]] = {kind: [] for kind in ENDPOINTS}
        made: set[str] = set()
        # This file's objects, then those of used files it refers to (and they to others).
        todo = [d for d in self.file.decls if isinstance(d, ast.ObjectDecl)]
        while todo:
            for decl in todo:
                if decl.kind != "market" and self.names.get(decl.name.text, None) and \
                        self.names[decl.name.text].decl is decl:
                    made.add(decl.name.text)
                    built[decl.kind] += self.made(decl, markets)
            todo = [b.decl for name, b in self.names.items() if b.foreign and b.used
                    and isinstance(b.decl, ast.ObjectDecl) and name not in made]
        if self.tagged:
            expanded = [b.decl.span for b in self.names.values() if b.kind in EXPANDED]
            self.diagnostics += merge(self.tagged, [m.key for m in markets], expanded)
        for name, binding in self.names.items():
            # Objects are requests and worth creating alone (a lead form made
            # ahead of its ads); a page or Instagram name is only a binding.
            if not binding.used and binding.kind in ("page", "instagram") and not binding.foreign:
                self.error(R003, binding.name.span,
                           f"{binding.kind} '{name}' is defined but never used")
        requests = tuple(r for kind in ENDPOINTS for r in built[kind])
        return Document(self.path, self.api_version, requests, self.api_span,
                        markets=tuple(m.key for m in markets), texts=tuple(self.written),
                        includes=tuple(self.includes), uses=tuple(used.anchors.items()))

    def made(self, decl: ast.ObjectDecl, markets: list[Market]) -> list[Request]:
        """The requests of one object: once, or once per market."""
        if not (markets and decl.kind in EXPANDED):
            request = self.object(decl)
            return [] if request is None else [request]
        out = []
        for market in markets:
            before, self.market = len(self.diagnostics), market
            request = self.object(for_market(decl, market))
            if request is not None:
                self.written.update(((text, request.spans[ptr]), None)
                                    for ptr, text in texts(request))
                translate(self, request, market)
                out.append(request)
            self.tagged += [(market.key, d) for d in self.diagnostics[before:]]
            del self.diagnostics[before:]
        self.market = None
        return out

    def object(self, decl: ast.ObjectDecl) -> Request | None:
        body = Body()
        labels: dict[str, str] = {}
        parent_path = "?"
        if decl.kind == "lead_form":
            page = self.ref(decl.parent, ("page",)) if decl.parent else None
            parent_path = page if isinstance(page, str) else "0"
            labels = build_lead_form(self, decl, body)
        else:
            if self.account is None:
                self.error(R005, decl.name.span,
                           f"{decl.kind} '{decl.name.text}' needs an ad account",
                           help="add a line `account act_<id>` at the top of the file")
            parent_path = self.account or "act_0"
            BUILDERS[decl.kind](self, decl, body)
        rows = TABLES[decl.kind]
        name = rows.get("name")
        if name is not None and name.default is IDENTIFIER and name.path not in body.data:
            body.set(name.keys, decl.name.text, decl.name.span)
        market = self.market.key if self.market is not None else None
        named = "template_name" if decl.kind == "lead_form" else "name"
        if market is not None and isinstance(body.data.get(named), str):
            body.data[named] += f"_{market}"  # the name, suffixed by the market's key
        suffix = f"[{market}]" if market is not None else ""
        if rows.get(STATUS.head) is STATUS and STATUS.path not in body.data:
            body.data[STATUS.path] = STATUS.default
        body.spans[""] = decl.name.span  # findings about the whole object point at its name
        return Request(
            key=f"{decl.kind}.{decl.name.text}{suffix}", kind=decl.kind,
            name=decl.name.text + suffix, path=f"{parent_path}/{ENDPOINTS[decl.kind]}",
            body=body.data, span=decl.span, spans=body.spans, labels=labels, market=market,
        )

    # -- reading members ---------------------------------------------------------
    def once(self, seen: dict[str, Span], head: ast.Ident | ast.Str, where: str) -> bool:
        key = head.text if isinstance(head, ast.Ident) else head.value
        if key in seen:
            self.error(R006, head.span, f"'{key}' is set twice in {where}",
                       notes=[Note("first set here", seen[key])])
            return False
        seen[key] = head.span
        return True


def resolve(file: ast.File, path: str, base: StrPath | None = None
            ) -> tuple[Document, list[Diagnostic]]:
    """`base`: the folder the files it names (catalogues) are read from,
    when `path` is only the name it is reported under."""
    resolver = Resolver(file, path, base=None if base is None else os.fspath(base))
    document = resolver.resolve()
    return document, resolver.diagnostics
