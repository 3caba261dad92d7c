"""What an editor asks about an .adflow file: the names it defines and uses,
what may be written at a place, what a word means, how to rename a step.

Pure functions of the text (and, for hover, the checked model); the language
server (`lsp`) turns them into LSP messages. The text is scanned line by
line rather than parsed: while a person types, the file is mostly not valid,
and completion must still know where the cursor is. The vocabulary comes
from the field tables (`fields`) and the facts (`facts`).

Positions are adflow's: 1-based lines and 1-based columns in code points.
`utf16_column` / `column_of_utf16` convert to and from LSP characters.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..bodies.fields import (
    AD,
    ADSET,
    BLOCKS,
    CAMPAIGN,
    CREATIVE,
    LEAD_FORM,
    PRODUCT_EXTENSIONS,
    STEP_MODIFIERS,
    STEP_TYPES,
    TABLES,
    TARGETING,
    WELCOME_FORMS,
)
from ..bodies.model import ENDPOINTS, Document
from ..facts.adsets import MESSAGING_DESTINATIONS
from ..facts.campaigns import NEW_CAMPAIGN_OBJECTIVES, SUPERSEDED_CATEGORIES
from ..facts.creatives import APP_DESTINATIONS, USUAL_CTA_FOR
from ..facts.goals import GOAL_TABLE, goals_for
from ..facts.lead_forms import LEAD_FORM_PREFILL_TYPES
from ..facts.versions import DEFAULT_API_VERSION, VERSIONS, VersionInfo, version_info
from ..front import lexer
from ..front.source import Span

NAME = re.compile(rf"{lexer.NAME}\Z")
# The lexer's kinds as the scanner names them; comments are left out.
_KINDS = {"STRING": "str", "OPEN_STRING": "str", "->": "op", "=>": "op", "NAME": "word",
          "VERSION": "word", "NUMBER": "num", "BAD": "other",
          **{p: "punct" for p in lexer.OPERATORS if p not in ("->", "=>")}}

OBJECT_KINDS = tuple(ENDPOINTS)  # lead_form, campaign, adset, creative, ad
# Blocks at the top: the objects, and markets (what ad sets, creatives ... are made per).
DECL_KINDS = (*OBJECT_KINDS, "market")
TOP_KEYWORDS = ("api", "account", "page", "instagram", "use", *DECL_KINDS)
# The members each block takes, by the word that opened the block.
FIELDS: dict[str, tuple[str, ...]] = {
    "lead_form": (*LEAD_FORM, *STEP_TYPES, "raw"),
    "campaign": (*CAMPAIGN, "raw"),
    "adset": (*ADSET, "raw"),
    "creative": (*CREATIVE, "raw"),
    "ad": (*AD, "raw"),
    "market": ("locale", "countries", "translations", *ADSET, "raw"),
    "targeting": tuple(TARGETING),
    "product_extensions": tuple(PRODUCT_EXTENSIONS),
}
# Members whose value names another declaration: (block, field) -> kinds.
REFERENCE_FIELDS: dict[tuple[str, str], tuple[str, ...]] = {
    (block, head): row.refs for block, rows in BLOCKS.items() for head, row in rows.items()
    if row.refs}
# What follows `lead_form NAME on` and `adset NAME in`.
PARENT_KINDS = {"lead_form": ("on", ("page",)), "adset": ("in", ("campaign",))}

# (block, field) -> the values the field takes, from the facts table.
VALUES: dict[tuple[str, str], frozenset[str]] = {
    **{(block, head): row.values for block, rows in BLOCKS.items() for head, row in rows.items()
       if row.values},
    ("lead_form", "prefill"): LEAD_FORM_PREFILL_TYPES,
}

# What each member means, for hover. The Graph API field it becomes is read
# from the checked model's source map, so it is never restated here.
FIELD_HELP: dict[tuple[str, str], str] = {
    **{(block, head): row.help for block, rows in BLOCKS.items() for head, row in rows.items()},
    ("lead_form", "intro"): "The first message of the form: `intro \"text\" -> first_step`.",
    ("lead_form", "question"): "A question: `question NAME \"text\" [required|optional] "
                               "[validate] [prefill CITY|EMAIL|PHONE] -> next`, or one "
                               "`\"answer\" -> step` per quick reply in a block.",
    ("lead_form", "confirmation"): "An end of the form for a qualified lead: "
                                   "`confirmation NAME \"text\"`.",
    ("lead_form", "disqualify"): "An end of the form for someone who does not qualify: "
                                 "`disqualify NAME \"text\"`.",
    **{(kind, "raw"): "`raw NAME <json>` sends a Graph API field the language does not model."
       for kind in (*TABLES, "market")},
    # A market's block: its own words, then any ad set field, which its ad sets take instead.
    ("market", "locale"): "The market's locale, e.g. `locale es_MX`.",
    ("market", "countries"): "The countries its ad sets target: `countries [MX]`.",
    ("market", "translations"): "A gettext catalogue of its texts: `translations \"es.po\"`.",
    **{("market", head): f"For this market's ad sets: {row.help}" for head, row in ADSET.items()},
}
KEYWORD_HELP = {
    "api": "`api vNN.N`: the Graph API version the requests are sent to.",
    "account": "`account act_ID`: the ad account campaigns, ad sets, creatives and ads go in.",
    "page": "`page NAME ID`: a name for an existing Facebook Page.",
    "instagram": "`instagram NAME ID`: a name for an existing Instagram account.",
    "lead_form": "`lead_form NAME on PAGE { ... }`: a Messenger lead form (POST "
                 "/PAGE/messenger_lead_forms).",
    "campaign": "`campaign NAME { ... }`: a campaign (POST /act_ID/campaigns).",
    "adset": "`adset NAME in CAMPAIGN { ... }`: an ad set (POST /act_ID/adsets).",
    "creative": "`creative NAME { ... }`: an ad creative (POST /act_ID/adcreatives).",
    "ad": "`ad NAME { ... }`: an ad (POST /act_ID/ads).",
    "market": "`market KEY { countries [..] locale ll_CC translations \"ll.po\" ... }`: the "
              "ad sets, creatives, ads and lead forms are made once per market.",
    "use": "`use \"FILE.adflow\"`: the definitions of another file.",
    "required": "The person must answer (allow_to_skip false).",
    "optional": "The person may skip the question (allow_to_skip true).",
    "validate": "Meta checks the answer's format (answer_validation_enabled).",
    "prefill": "Offer an answer from the person's profile: CITY, EMAIL or PHONE.",
}


# -- positions --------------------------------------------------------------------------

def utf16_column(line_text: str, column: int) -> int:
    """A 1-based code-point column as a 0-based UTF-16 offset (LSP's character)."""
    head = line_text[:max(0, column - 1)]
    return len(head) + sum(1 for c in head if ord(c) > 0xFFFF)


def column_of_utf16(line_text: str, character: int) -> int:
    """An LSP character (0-based UTF-16) as a 1-based code-point column."""
    units = 0
    for i, c in enumerate(line_text):
        if units >= character:
            return i + 1
        units += 2 if ord(c) > 0xFFFF else 1
    return len(line_text) + 1


# -- scanning ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # str, comment, op, punct, word, num, other
    text: str
    line: int
    column: int

    @property
    def end(self) -> int:
        return self.column + len(self.text)

    def span(self, path: str) -> Span:
        return Span(path, self.line, self.column, self.line, self.end)


def tokens(line_text: str, line: int) -> list[Token]:
    """The tokens of one line (`lexer.tokens`): a string left open is a
    "str" to the line's end."""
    return [Token(_KINDS[t.kind], line_text[t.start:t.end], line, t.start + 1)
            for t in lexer.tokens(line_text) if t.kind in _KINDS]


@dataclass
class Symbol:
    """A name the file defines: a page, an object, or a step of a lead form."""

    kind: str  # "page", "instagram", an object kind, or "step"
    name: str
    span: Span  # the name where it is defined
    extent: Span  # the whole declaration (an object through its closing brace)
    scope: str | None = None  # a step's lead form
    text: str | None = None  # a step's message
    step_kind: str | None = None  # intro, question, confirmation, disqualify


@dataclass(frozen=True)
class Reference:
    """A use of a name: `-> step`, `adset spring_us`, `on acme`."""

    name: str
    kinds: tuple[str, ...]
    span: Span
    scope: str | None = None  # the lead form, for a step


@dataclass(frozen=True)
class Frame:
    """An open block: the object kind at the top level, else the member's head."""

    kind: str
    name: str | None = None  # the object's name (top level)
    head: str | None = None  # the member that opened a nested block


@dataclass
class Outline:
    path: str
    lines: list[str]
    symbols: list[Symbol] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    frames: list[tuple[Frame, ...]] = field(default_factory=list)  # open at each line's start

    def of_kind(self, *kinds: str, scope: str | None = None) -> list[Symbol]:
        return [s for s in self.symbols if s.kind in kinds and (
            s.kind != "step" or scope is None or s.scope == scope)]

    def target(self, ref: Reference) -> Symbol | None:
        return next((s for s in self.symbols if s.name == ref.name and s.kind in ref.kinds
                     and (s.kind != "step" or s.scope == ref.scope)), None)


def outline(path: str, text: str) -> Outline:
    """The names a text defines and uses, and the blocks open at each line."""
    out = Outline(path, text.split("\n"))
    stack: list[Frame] = []
    current: Symbol | None = None  # the object whose block is open
    for number, line_text in enumerate(out.lines, start=1):
        out.frames.append(tuple(stack))
        toks = tokens(line_text, number)
        if not toks:
            continue
        _read_line(out, stack, toks)
        for tok in toks:
            if tok.kind != "punct":
                continue
            if tok.text == "{":
                if not stack and out.symbols and out.symbols[-1].span.line == number:
                    current = out.symbols[-1]
                stack.append(_frame(stack, toks))
            elif tok.text == "}" and stack:
                stack.pop()
                if not stack and current is not None:
                    current.extent = Span(path, current.extent.line, current.extent.column,
                                          tok.line, tok.end)
                    current = None
    return out


def _frame(stack: list[Frame], toks: list[Token]) -> Frame:
    head = toks[0].text if toks[0].kind in ("word", "str") else None
    if not stack and head in DECL_KINDS and len(toks) > 1 and toks[1].kind == "word":
        return Frame(head, toks[1].text)
    parent = stack[-1] if stack else Frame("")
    return Frame(parent.kind, parent.name, head)


def _read_line(out: Outline, stack: list[Frame], toks: list[Token]) -> None:
    path = out.path
    first = toks[0]
    if not stack:
        if first.kind != "word" or len(toks) < 2 or toks[1].kind != "word":
            return
        name = toks[1]
        if first.text in ("page", "instagram", *DECL_KINDS):
            out.symbols.append(Symbol(first.text, name.text, name.span(path),
                                      Span(path, first.line, first.column, first.line,
                                           toks[-1].end)))
            parent = PARENT_KINDS.get(first.text)
            if parent and len(toks) > 3 and toks[2].text == parent[0] and toks[3].kind == "word":
                out.references.append(Reference(toks[3].text, parent[1], toks[3].span(path)))
        return
    frame = stack[-1]
    if frame.kind == "lead_form":
        form = frame.name
        if len(stack) == 1 and first.kind == "word" and first.text in STEP_TYPES:
            _read_step(out, form, toks)
        for i, tok in enumerate(toks[:-1]):
            if tok.text == "->" and toks[i + 1].kind == "word":
                out.references.append(Reference(toks[i + 1].text, ("step",),
                                                toks[i + 1].span(path), form))
        return
    block = block_of(tuple(stack))
    kinds = REFERENCE_FIELDS.get((block, first.text))
    if kinds and len(toks) > 1 and toks[1].kind == "word" and first.kind == "word":
        out.references.append(Reference(toks[1].text, kinds, toks[1].span(path)))
    elif block == "creative" and len(toks) >= 3 and first.text == "welcome" and \
            toks[1].text == "lead_form" and toks[2].kind == "word":
        out.references.append(Reference(toks[2].text, ("lead_form",), toks[2].span(path)))


def _read_step(out: Outline, form: str | None, toks: list[Token]) -> None:
    """A step's name and message, taken as `bodies._read_step_args` takes them."""
    head, args = toks[0], toks[1:]
    name = message = None
    if len(args) > 1 and args[0].kind == "word" and args[1].kind == "str":
        name, message = args[0], args[1]
    elif args and args[0].kind == "str":
        message = args[0]
    elif head.text != "intro" and args and args[0].kind == "word" and args[0].text != "->":
        name = args[0]
    shown = name or (head if head.text == "intro" else None)
    if shown is None:
        return
    text = _unquote(message.text) if message is not None else None
    out.symbols.append(Symbol("step", shown.text, shown.span(out.path),
                              Span(out.path, head.line, head.column, head.line, toks[-1].end),
                              scope=form, text=text, step_kind=head.text))


def _unquote(text: str) -> str:
    """A "str" token's value; it may be a string left open."""
    closed = next(lexer.tokens(text)).kind == "STRING"
    return lexer.string_value(text, 0, len(text), closed)[0]


# -- where the cursor is ------------------------------------------------------------------

@dataclass(frozen=True)
class Place:
    """The cursor's surroundings: the open blocks, the tokens before it on
    its line, and the word or number it is in (if any)."""

    frames: tuple[Frame, ...]
    before: list[Token]
    word: Token | None
    block: str  # see block_of


def place(out: Outline, line: int, column: int) -> Place:
    frames = out.frames[line - 1] if 0 < line <= len(out.frames) else ()
    toks = tokens(out.lines[line - 1], line) if 0 < line <= len(out.lines) else []
    word = next((t for t in toks if t.column <= column <= t.end and t.kind in ("word", "num")),
                None)
    before = [t for t in toks if t.end <= column and t is not word]
    return Place(frames, before, word, block_of(frames))


def block_of(frames: tuple[Frame, ...]) -> str:
    """The name of the innermost open block, as FIELDS and VALUES know it:
    an object kind, a nested table ("targeting"), "answers" for a question's
    quick replies; any other block gets a name no table has."""
    if not frames:
        return ""
    last = frames[-1]
    if last.head is None:
        return last.kind
    if last.head in FIELDS:
        return last.head
    if last.kind == "lead_form" and last.head == "question":
        return "answers"
    return f"{last.kind}/{last.head}"


@dataclass(frozen=True)
class Completion:
    label: str
    kind: str  # keyword, field, value, step, reference
    detail: str = ""


def complete(out: Outline, line: int, column: int) -> list[Completion]:
    """What may be written at the cursor."""
    at = place(out, line, column)
    before = at.before
    if not at.frames:
        return _complete_top(out, before)
    last = before[-1] if before else None
    form = at.frames[0].name if at.frames[0].kind == "lead_form" else None
    if last is not None and last.text == "->":
        if form is not None:
            return [Completion(s.name, "step", _step_detail(s))
                    for s in _forward_steps(out, form, line)]
        if at.block == "creative" and before[0].text == "call_to_action":
            return _values(APP_DESTINATIONS, "app destination")
        return []
    if not before:
        if at.block == "answers":
            return []
        return [Completion(f, "keyword" if f in STEP_TYPES or f == "raw" else "field",
                           FIELD_HELP.get((at.block, f), ""))
                for f in FIELDS.get(at.block, ())]
    head = before[0].text
    if at.block == "lead_form" and head in STEP_TYPES:
        if last is not None and last.text == "prefill":
            return _values(LEAD_FORM_PREFILL_TYPES, "prefill type")
        if any(t.kind == "str" for t in before):
            return [Completion(m, "keyword", KEYWORD_HELP.get(m, "")) for m in STEP_MODIFIERS]
        return []
    kinds = REFERENCE_FIELDS.get((at.block, head))
    if kinds is not None and len(before) == 1:
        return [Completion(s.name, "reference", s.kind) for s in out.of_kind(*kinds)]
    if at.block == "creative" and head == "welcome":
        if len(before) == 1:
            return _values(frozenset(WELCOME_FORMS), "welcome form")
        if before[1].text == "lead_form" and len(before) == 2:
            return [Completion(s.name, "reference", "lead_form")
                    for s in out.of_kind("lead_form")]
        return []
    if at.block == "creative" and head == "call_to_action" and len(before) > 1:
        return []  # the type is given: what may follow is `-> DESTINATION`
    values = VALUES.get((at.block, head))
    if values is not None:
        return _values(values, head, _preferred(out, at, head))
    return []


def _forward_steps(out: Outline, form: str, line: int) -> list[Symbol]:
    """The steps an arrow on this line may lead to: those written after the
    step it belongs to (the one on the line, or the question whose answers
    these are), as F003 asks."""
    steps = out.of_kind("step", scope=form)
    written = [s.span.line for s in steps if s.span.line <= line]
    after = written[-1] if written else 0
    return [s for s in steps if s.span.line > after]


def _complete_top(out: Outline, before: list[Token]) -> list[Completion]:
    if not before:
        return [Completion(k, "keyword", KEYWORD_HELP[k]) for k in TOP_KEYWORDS]
    if before[0].text == "api" and len(before) == 1:
        newest_first = sorted(VERSIONS.values(), key=lambda v: v.numbers, reverse=True)
        return [Completion(v.name, "value", _version_detail(v)) for v in newest_first]
    parent = PARENT_KINDS.get(before[0].text)
    if parent is None:
        return []
    word, kinds = parent
    if len(before) == 2:
        return [Completion(word, "keyword")]
    if len(before) == 3 and before[2].text == word:
        return [Completion(s.name, "reference", s.kind) for s in out.of_kind(*kinds)]
    return []


def _values(values: Iterable[str], detail: str,
            preferred: frozenset[str] = frozenset()) -> list[Completion]:
    """Enum values, the ones that fit the rest of the file first."""
    return [Completion(v, "value", detail + (" (fits this file)" if v in preferred else ""))
            for v in sorted(values, key=lambda v: (v not in preferred, v))]


def _preferred(out: Outline, at: Place, head: str) -> frozenset[str]:
    """For a campaign's objective, the ones new campaigns take; for an ad
    set's goal, the ones the objective x destination table lists."""
    if (at.block, head) == ("campaign", "objective"):
        return NEW_CAMPAIGN_OBJECTIVES
    if (at.block, head) == ("adset", "optimization_goal"):
        objective, destination = _adset_context(out, at)
        if objective and destination:
            return goals_for(objective, destination)
    return frozenset()


def _adset_context(out: Outline, at: Place) -> tuple[str | None, str | None]:
    """The objective of the ad set's campaign and the ad set's destination,
    read from the text."""
    adset = next((s for s in out.of_kind("adset") if s.name == at.frames[0].name), None)
    if adset is None:
        return None, None
    destination = _field_value(out, adset, "destination")
    campaign = next((r for r in out.references if r.kinds == ("campaign",)
                     and r.span.line == adset.span.line), None)
    target = out.target(campaign) if campaign else None
    return (_field_value(out, target, "objective") if target else None), destination


def _field_value(out: Outline, symbol: Symbol, name: str) -> str | None:
    for n in range(symbol.extent.line, symbol.extent.end_line + 1):
        toks = tokens(out.lines[n - 1], n)
        if len(toks) > 1 and toks[0].text == name and len(out.frames[n - 1]) == 1:
            return toks[1].text
    return None


def _version_detail(info: VersionInfo) -> str:
    expires = (f"; the Marketing API stops serving it on {info.expires}"
               if info.expires else "")
    default = " (adflow's default)" if info.name == DEFAULT_API_VERSION else ""
    return f"Graph API version released {info.released}{expires}{default}"


def _step_detail(step: Symbol) -> str:
    return f"{step.step_kind} \"{step.text}\"" if step.text is not None else str(step.step_kind)


# -- what a word means ------------------------------------------------------------------------

def hover(out: Outline, line: int, column: int, document: Document | None = None) -> str | None:
    """Markdown about the word under the cursor: a keyword, a field (with the
    Graph API field it becomes), an enum value, or a name."""
    at = place(out, line, column)
    word = at.word
    if word is None:
        return None
    found = _name_at(out, line, column)
    if found is not None:
        return _describe_symbol(found)
    if not at.frames:
        if at.before == [] and word.text in KEYWORD_HELP:
            return KEYWORD_HELP[word.text]
        if [t.text for t in at.before] == ["api"]:
            info = version_info(word.text)
            return f"**{word.text}**: {_version_detail(info)}" if info else None
        return None
    if not at.before:
        meaning = FIELD_HELP.get((at.block, word.text))
        if meaning is None:
            return None
        text = f"**{word.text}** ({at.block})\n\n{meaning}"
        graph = _graph_fields(document, word)
        if graph:
            text += "\n\nGraph API: " + ", ".join(f"`{g}`" for g in graph)
        return text
    head = at.before[0].text
    if word.text in KEYWORD_HELP and at.block == "lead_form" and head in STEP_TYPES:
        return KEYWORD_HELP[word.text]
    block = at.block
    if block == "lead_form" and at.before[-1].text == "prefill":
        head = "prefill"
    if block == "creative" and head == "call_to_action" and at.before[-1].text == "->":
        return _enum_meaning("app_destination", word.text)
    if word.text in VALUES.get((block, head), ()):
        return _enum_meaning(head, word.text)
    return None


def _describe_symbol(symbol: Symbol) -> str:
    if symbol.kind == "step":
        text = f"**{symbol.name}**: {symbol.step_kind} step of lead form `{symbol.scope}`"
        if symbol.text is not None:
            text += f"\n\n> {symbol.text}"
        return text
    return f"**{symbol.name}**: {symbol.kind}"


def _graph_fields(document: Document | None, word: Token) -> list[str]:
    """The Graph API fields the member at `word` became, from the model's
    source map: the pointers written on that member's line, outermost first."""
    if document is None:
        return []
    found: list[str] = []
    for request in document.requests:
        if not (request.span.line <= word.line <= request.span.end_line):
            continue
        for ptr, span in request.spans.items():
            if span.line == word.line and ptr and "/step_list" not in ptr:
                found.append(f"{ENDPOINTS[request.kind]} {ptr[1:]}")
    found.sort(key=lambda f: (f.count("/"), f))
    return [f for f in found if not any(f != g and f.startswith(g + "/") for g in found)]


_ENUM_SOURCES = {
    "objective": "a campaign objective (SDK Campaign.Objective)",
    "status": "a status you may set (SDK *.Status)",
    "buying_type": "a buying type",
    "special_ad_categories": "a special ad category (SDK Campaign.SpecialAdCategories)",
    "special_ad_category_country": "an ISO 3166-1 alpha-2 country code",
    "countries": "an ISO 3166-1 alpha-2 country code",
    "bid_strategy": "a bid strategy (SDK Campaign/AdSet.BidStrategy)",
    "optimization_goal": "an optimization goal (SDK AdSet.OptimizationGoal)",
    "billing_event": "a billing event (SDK AdSet.BillingEvent)",
    "destination": "an ad set destination type",
    "devices": "a device platform",
    "publishers": "a publisher platform",
    "call_to_action": "a call-to-action button type",
    "standard_enhancements": "an enrollment status",
    "welcome": "a kind of welcome message",
    "prefill": "a prefill type: Messenger offers the answer from the person's profile",
    "app_destination": "where the conversation opens (call_to_action.value.app_destination)",
    "adset_budget_sharing": "a boolean",
    "block_send_api": "a boolean",
    "handover_summary": "a boolean",
}


def _enum_meaning(field_name: str, value: str) -> str:
    lines = [f"**{value}**: {_ENUM_SOURCES.get(field_name, field_name)}"]
    if field_name == "objective":
        lines.append("New campaigns take it." if value in NEW_CAMPAIGN_OBJECTIVES else
                     "A legacy objective: still in the SDK, rejected for new campaigns "
                     "(use an OUTCOME_* objective).")
    if value in SUPERSEDED_CATEGORIES and field_name == "special_ad_categories":
        lines.append(f"Superseded by {SUPERSEDED_CATEGORIES[value]}.")
    if field_name == "optimization_goal":
        rows = sorted({(r.objective, r.destination) for r in GOAL_TABLE
                       if value in r.goals and r.destination in MESSAGING_DESTINATIONS})
        if rows:
            lines.append("For messaging with: " + ", ".join(f"{o} -> {d}" for o, d in rows) + ".")
    if field_name == "destination" and value in MESSAGING_DESTINATIONS:
        lines.append("Opens a conversation: the ad set bills on IMPRESSIONS and needs a "
                     "promoted_page.")
    if field_name == "call_to_action":
        usual = sorted(d for d, ctas in USUAL_CTA_FOR.items() if value in ctas)
        if usual:
            lines.append("The usual button for " + ", ".join(usual) + ".")
    if field_name == "status" and value == "PAUSED":
        lines.append("adflow's default: nothing runs until you activate it.")
    return "\n\n".join(lines)


# -- names: definition, references, rename, outline -----------------------------------------------

def _name_at(out: Outline, line: int, column: int) -> Symbol | None:
    """The symbol whose definition or use is under the cursor."""
    for symbol in out.symbols:
        if inside(symbol.span, line, column):
            return symbol
    for ref in out.references:
        if inside(ref.span, line, column):
            return out.target(ref)
    return None


def inside(span: Span, line: int, column: int) -> bool:
    return span.line == line and span.column <= column <= span.end_column


def name_span(out: Outline, line: int, column: int) -> Span | None:
    """The defined or used name under the cursor, if it names a symbol."""
    for symbol in out.symbols:
        if inside(symbol.span, line, column):
            return symbol.span
    for ref in out.references:
        if inside(ref.span, line, column) and out.target(ref) is not None:
            return ref.span
    return None


def definition(out: Outline, line: int, column: int) -> Span | None:
    symbol = _name_at(out, line, column)
    return symbol.span if symbol is not None else None


def used_definition(out: Outline, line: int, column: int,
                    folder: Path) -> tuple[Path, Outline, Span] | None:
    """The definition, in a file this one uses (`use "FILE"`, through any
    number of files, named from `folder` and on from each), of a name under
    the cursor this file does not define: the file, its outline, the name."""
    ref = next((r for r in out.references if inside(r.span, line, column)), None)
    if ref is None or out.target(ref) is not None:
        return None
    seen: set[Path] = set()
    todo = [(folder, out)]
    while todo:
        base, current = todo.pop(0)
        for name in uses(current):
            path = (base / name).resolve()
            if path in seen:
                continue
            seen.add(path)
            try:
                other = outline(str(path), path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                continue  # check reports it (R008)
            found = other.target(ref)
            if found is not None:
                return path, other, found.span
            todo.append((path.parent, other))
    return None


def uses(out: Outline) -> list[str]:
    """The files a text uses, as written: `use "FILE"` at the top level."""
    found = []
    for number, line_text in enumerate(out.lines):
        if out.frames[number]:  # inside a block
            continue
        toks = tokens(line_text, number + 1)
        if len(toks) >= 2 and toks[0].text == "use" and toks[1].kind == "str":
            found.append(_unquote(toks[1].text))
    return found


def references(out: Outline, line: int, column: int,
               include_declaration: bool = True) -> list[Span]:
    symbol = _name_at(out, line, column)
    if symbol is None:
        return []
    uses = [r.span for r in out.references if out.target(r) is symbol]
    return ([symbol.span] if include_declaration else []) + uses


class RenameError(Exception):
    """The rename cannot be done; the message says why."""


def rename(out: Outline, line: int, column: int, new_name: str) -> list[tuple[Span, str]]:
    """Edits that rename the step or object under the cursor everywhere."""
    symbol = _name_at(out, line, column)
    if symbol is None:
        raise RenameError("no step or object name here")
    if not NAME.match(new_name) or new_name in TOP_KEYWORDS or new_name in STEP_TYPES:
        raise RenameError(f"'{new_name}' is not a name: letters, digits and _, not a keyword")
    if symbol.kind == "step" and symbol.name == "intro" and symbol.step_kind == "intro":
        raise RenameError("the intro step is named by its keyword")
    clash = [s for s in out.symbols if s.name == new_name and s is not symbol and (
        (symbol.kind == "step") == (s.kind == "step")) and (
        s.kind != "step" or s.scope == symbol.scope)]
    if clash:
        raise RenameError(f"'{new_name}' is already defined (line {clash[0].span.line})")
    return [(span, new_name) for span in references(out, line, column)]


def rename_used(out: Outline, line: int, column: int, new_name: str,
                folder: Path) -> tuple[list[tuple[Span, str]], Path, Outline,
                                       list[tuple[Span, str]]] | None:
    """Renaming a name a used file defines (`used_definition`): the edits
    here, then that file, its outline and the edits there; None when the
    name under the cursor is not one."""
    found = used_definition(out, line, column, folder)
    if found is None:
        return None
    path, other, span = found
    there = rename(other, span.line, span.column, new_name)
    name = other.lines[span.line - 1][span.column - 1:span.end_column - 1]
    if any(s.name == new_name and s.kind != "step" for s in out.symbols):
        clash = next(s for s in out.symbols if s.name == new_name and s.kind != "step")
        raise RenameError(f"'{new_name}' is already defined (line {clash.span.line})")
    here = [(r.span, new_name) for r in out.references
            if r.name == name and "step" not in r.kinds and out.target(r) is None]
    return here, path, other, there


def document_symbols(out: Outline) -> list[tuple[Symbol, list[Symbol]]]:
    """Top-level declarations, each with its steps."""
    tops = [s for s in out.symbols if s.kind != "step"]
    return [(s, [step for step in out.of_kind("step", scope=s.name)] if s.kind == "lead_form"
             else []) for s in tops]


# -- formatting and fixes as edits

def line_edits(old: str, new: str, path: str = "") -> list[tuple[Span, str]]:
    """The changed runs of lines between two texts, as replacements, so an
    editor keeps the cursor and folds where nothing changed."""
    a = old.split("\n")
    b = new.split("\n")
    edits: list[tuple[Span, str]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if i2 < len(a):  # whole lines, each with its line break
            edits.append((Span(path, i1 + 1, 1, i2 + 1, 1),
                          "".join(line + "\n" for line in b[j1:j2])))
        elif i1 == 0:  # the whole text
            edits.append((Span(path, 1, 1, len(a), len(a[-1]) + 1), "\n".join(b[j1:j2])))
        else:  # the last lines, which have no break after them: from the end of line i1
            edits.append((Span(path, i1, len(a[i1 - 1]) + 1, len(a), len(a[-1]) + 1),
                          "".join("\n" + line for line in b[j1:j2])))
    return edits


def fix_edits(fix: dict[str, Any], path: str = "") -> list[tuple[Span, str]]:
    """A diagnostic's fix (`"fix"` of `--format json`: 1-based line, column,
    end_line, end_column and content per edit) as spans and replacements."""
    return [(Span(path, e["line"], e["column"], e["end_line"], e["end_column"]), e["content"])
            for e in fix.get("edits", ())]
