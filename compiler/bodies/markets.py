"""Markets: one spec, made once per market.

`market mx { countries [MX] locale es_MX translations "es.po" daily_budget 4000 }`
declares a market. When a file declares any, every ad set, creative, ad and
lead form is made once per market (the campaign once): the key names the
market (`adset.quote[mx]`), so adding a market creates its objects alone and
the order markets are written in changes nothing (they go by key). What else
the block says goes to the ad set: `countries` into its targeting, any other
member in place of the ad set's own.

Texts people read (a lead form's messages and answers, a creative's texts
and welcome message) come from the market's translations: `"text" =>
"translation"` lines in its block, and a gettext catalogue (`translations
"file.po"`, read with Babel: https://babel.pocoo.org/en/latest/messages.html)
by the text as written (msgid). A market with neither sends the texts as
written; one with either needs every text (R007 at the text, naming the market).

A finding on an expanded object is about the line written once: `merge`
reports it there once, naming the markets it holds for.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator

from ..findings.diagnostics import Diagnostic, Note
from ..front import ast
from ..front.source import Span
from ..project.paths import path_name
from ..records import field, record, replace
from ..rules.refs import R002, R007, R008
from ..rules.syntax import S007
from .readers import names_a_file

TYPE_CHECKING = False  # typing is for mypy alone: importing it costs a quick check 4 ms
if TYPE_CHECKING:
    from typing import Any

    from .model import Document, Request
    from .readers import Resolving

# The kinds made once per market; a campaign is made once.
EXPANDED = ("lead_form", "adset", "creative", "ad")

# Where the texts people read are, by kind: JSON pointers into the body
# (patterns compiled on first use, by re's cache: most files have no market).
_TEXTS = {
    "lead_form": r"/(reminder_text|stop_question_message|step_list/\d+/(message|answers/\d+))",
    "creative": (r"/object_story_spec/(link|video)_data/(message|name|title|description"
                 r"|link_description|page_welcome_message"
                 r"|page_welcome_message/.*/(text|title|subtitle|response"
                 r"|call_prompt_message|content|call_to_action))"),
}


@record
class Market:
    key: str
    decl: ast.ObjectDecl
    locale: str | None = None
    countries: ast.Member | None = None
    # Members the ad sets take in place of their own, by head.
    overrides: dict[str, ast.Member | ast.Raw] = field(default_factory=dict)
    # Text as written -> translation; `translating`: the market gave any.
    texts: dict[str, str] = field(default_factory=dict)
    translating: bool = False


def _head(member: ast.Member | ast.Raw) -> str:
    if isinstance(member, ast.Raw):
        return f"raw {member.name.text}"
    return member.head.text if isinstance(member.head, ast.Ident) else member.head.value


def read_markets(r: Resolving, decls: Iterable[ast.ObjectDecl], base: str) -> list[Market]:
    """The markets the file declares, by key; `base`: the folder catalogues
    are named from."""
    markets: dict[str, Market] = {}
    read: dict[str, dict[str, str]] = {}  # markets of one language share a catalogue
    for decl in decls:
        key = decl.name.text
        if key in markets:
            r.error(R002, decl.name.span, f"market '{key}' is declared twice",
                    notes=[Note("first declared here", markets[key].decl.name.span)])
            continue
        markets[key] = _read_market(r, decl, base, read)
    return [markets[key] for key in sorted(markets)]


def _read_market(r: Resolving, decl: ast.ObjectDecl, base: str,
                 read: dict[str, dict[str, str]]) -> Market:
    market = Market(decl.name.text, decl)
    seen: dict[str, Span] = {}
    for member in decl.block.members:
        head = _head(member)
        if isinstance(member, ast.Member) and isinstance(member.head, ast.Str):
            _inline_translation(r, market, member)
            continue
        if isinstance(member, ast.Member) and not r.once(seen, member.head,
                                                          f"market '{market.key}'"):
            continue
        args = member.args if isinstance(member, ast.Member) else ()
        if head == "locale":
            market.locale = _locale(r, args, member.span)
        elif head == "translations":
            if len(args) == 1 and isinstance(args[0], ast.Str):
                market.translating = True
                market.texts = {**read_catalogue(r, args[0], base, read), **market.texts}
            else:
                r.error(S007, member.span, "`translations` takes one file name",
                        help='write `translations "es.po"` (a gettext catalogue)')
        elif head == "countries":
            assert isinstance(member, ast.Member)
            market.countries = member
        else:
            market.overrides[head] = member
    return market


def _inline_translation(r: Resolving, market: Market, member: ast.Member) -> None:
    assert isinstance(member.head, ast.Str)
    if (len(member.args) == 1 and isinstance(member.args[0], ast.Pair)
            and isinstance(member.args[0].value, ast.Str) and member.block is None):
        market.translating = True
        market.texts[member.head.value] = member.args[0].value.value
    else:
        r.error(S007, member.span, "a translation is written `\"text\" => \"translation\"`")


def _locale(r: Resolving, args: tuple[ast.Arg, ...], span: Span) -> str | None:
    value = args[0] if len(args) == 1 else None
    text = value.text if isinstance(value, ast.Ident) else (
        value.value if isinstance(value, ast.Str) else None)
    if text is not None:
        from babel import Locale, UnknownLocaleError

        try:
            Locale.parse(text)
            return text
        except (UnknownLocaleError, ValueError):
            pass
    r.error(S007, span, f"'{text}' is not a locale" if text else "`locale` takes one locale",
            help="write a language and a country, e.g. `locale es_MX` or `locale pt_BR`")
    return None


def read_catalogue(r: Resolving, name: ast.Str, base: str,
                   read: dict[str, dict[str, str]]) -> dict[str, str]:
    """The translated texts of a gettext catalogue (fuzzy and empty ones
    are not translations, as gettext itself reads them); `read`: those read
    already."""
    from babel.messages.pofile import PoFileError, read_po

    if not names_a_file(r, name, "the catalogue"):
        return {}
    path = path_name(os.path.join(base, name.value))
    if path in read:
        return read[path]
    r.includes.append(str(path))
    try:
        with open(path, "rb") as f:
            catalogue = read_po(f, abort_invalid=True)
    except OSError as exc:
        r.error(R008, name.span, f"cannot read the catalogue '{name.value}': "
                                 f"{exc.strerror or exc}")
        return {}
    except (PoFileError, ValueError, UnicodeDecodeError) as exc:
        r.error(R008, name.span, f"'{name.value}' is not a gettext catalogue: {exc}")
        return {}
    read[path] = {m.id: m.string for m in catalogue
                  if isinstance(m.id, str) and m.id and isinstance(m.string, str) and m.string
                  and not m.fuzzy}
    return read[path]


# -- expanding -------------------------------------------------------------------------------

def for_market(decl: ast.ObjectDecl, market: Market) -> ast.ObjectDecl:
    """An ad set with the market's members in place of its own."""
    if decl.kind != "adset" or not (market.overrides or market.countries):
        return decl
    members: list[ast.Member | ast.Raw] = []
    placed: set[str] = set()
    for member in decl.block.members:
        head = _head(member)
        if head in market.overrides:
            members.append(market.overrides[head])
            placed.add(head)
        elif (head == "targeting" and market.countries is not None
              and isinstance(member, ast.Member) and member.block is not None):
            inner = [m for m in member.block.members if _head(m) != "countries"]
            block = replace(member.block, members=(*inner, market.countries))
            members.append(replace(member, block=block))
            placed.add("countries")
        else:
            members.append(member)
    members += [m for head, m in market.overrides.items() if head not in placed]
    if market.countries is not None and "countries" not in placed:
        where = market.countries.span
        members.append(ast.Member(ast.Ident("targeting", where), (),
                                  ast.Block((market.countries,), where), where))
    return replace(decl, block=replace(decl.block,
                                                               members=tuple(members)))


def texts(request: Request) -> Iterator[tuple[str, str]]:
    """(pointer, text) of the texts people read in a request's body, as written."""
    pattern = _TEXTS.get(request.kind)
    if pattern is None:
        return
    for ptr, value in _leaves(request.body, ""):
        if isinstance(value, str) and ptr in request.spans and re.fullmatch(pattern, ptr):
            yield ptr, value


def _leaves(value: Any, ptr: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, f"{ptr}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, f"{ptr}/{index}")
    else:
        yield ptr, value


def translate(r: Resolving, request: Request, market: Market) -> None:
    """The market's translations into the body (in place); a text without
    one is R007 at the text."""
    if not market.translating:
        return
    for ptr, text in list(texts(request)):
        translated = market.texts.get(text)
        if translated is None:
            r.error(R007, request.spans[ptr],
                    f"no translation of {_quote(text)}",
                    help=f'add `"{_escape(text)}" => "..."` to the market, '
                         "or its msgstr to the market's catalogue")
            continue
        _set(request.body, ptr, translated)


def _set(body: Any, ptr: str, value: str) -> None:
    *parents, last = ptr.split("/")[1:]
    node = body
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


def _quote(text: str) -> str:
    short = text if len(text) <= 40 else text[:37] + "..."
    return f'"{_escape(short)}"'


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


# -- findings ------------------------------------------------------------------------------

Tagged = tuple[str | None, Diagnostic]


def merge(found: Iterable[Tagged], markets: list[str], templates: list[Span]) -> list[Diagnostic]:
    """Findings of the markets' objects (tagged with the market they were
    found in) as findings of the lines written once: one per code, place and
    message (the object's name without its market), naming the markets it
    holds for, unless it is outside every object made per market and holds
    for all of them."""
    groups: dict[tuple[str, Span, str], tuple[Diagnostic, list[str]]] = {}
    plain: list[Diagnostic] = []
    for market, d in found:
        if market is None:
            plain.append(d)
            continue
        message = d.message.replace(f"[{market}]", "")
        key = (d.code, d.span, message)
        if key in groups:
            groups[key][1].append(market)
        else:
            place = d.name.replace(f"[{market}]", "") if d.name else d.name
            groups[key] = (replace(d, message=message, name=place), [market])
    everywhere = sorted(markets)
    for d, holds in groups.values():
        names = sorted(set(holds))
        if names != everywhere or any(_inside(d.span, t) for t in templates):
            label = "market" if len(names) == 1 else "markets"
            d = replace(d, message=f"{d.message} (in {label} {', '.join(names)})")
        plain.append(d)
    return plain


def _inside(span: Span, outer: Span) -> bool:
    return (span.file == outer.file
            and (outer.line, outer.column) <= (span.line, span.column)
            and (span.end_line, span.end_column) <= (outer.end_line, outer.end_column))


def per_market(document: Document, front: list[Diagnostic],
               check: Callable[[Document, list[Diagnostic]], list[Diagnostic]]
               ) -> list[Diagnostic]:
    """`check` (the rules) once per market, on the objects made once and the
    market's own, so no finding mixes markets; merged as `merge` does."""
    found: list[Tagged] = []
    for market in document.markets:
        own = tuple(r for r in document.requests if r.market in (None, market))
        found += [(market, d) for d in check(replace(document, requests=own), front)]
    templates = [r.span for r in document.requests if r.market is not None]
    return merge(found, list(document.markets), templates)


def of_market(document: Document, key: str) -> Document:
    """The objects made once and those of market `key`; LookupError naming
    the markets there are for any other key."""
    if key not in document.markets:
        known = ", ".join(document.markets) or "none"
        raise LookupError(f"no market '{key}' in {document.path} (markets: {known})")
    return replace(document, requests=tuple(
        r for r in document.requests if r.market in (None, key)))


# -- the catalogue template ----------------------------------------------------------------

def source_texts(document: Document) -> list[tuple[str, Span]]:
    """Every text people read, as written, with where it is written: what a
    translator translates. (In a file with markets, the resolver kept them
    before translating.)"""
    if document.markets:
        return list(document.texts)
    seen: dict[tuple[str, Span], None] = {}
    for request in document.requests:
        seen.update(((text, request.spans[ptr]), None) for ptr, text in texts(request))
    return list(seen)


def catalogue_template(document: Document, day: str) -> str:
    """The gettext catalogue template (.pot) of the document's texts, one
    entry per text with every line it is written on (in a used file too);
    `day` (YYYY-MM-DD) dates it, so a run repeats."""
    import io
    from datetime import UTC, datetime

    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    created = datetime.fromisoformat(day).replace(tzinfo=UTC)
    catalogue = Catalog(project="adflow", version=None, creation_date=created,
                        revision_date=created, fuzzy=False)
    for text, span in source_texts(document):
        catalogue.add(text, locations=[(span.file, span.line)])
    out = io.BytesIO()
    write_po(out, catalogue, width=100, sort_by_file=True, omit_header=False)
    return out.getvalue().decode("utf-8")
