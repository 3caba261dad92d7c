"""`adflow preview`: one self-contained HTML page showing what a person sees.

Per creative, a phone-width column: the ad as it shows in the feed, then the
Messenger chat it opens (the welcome message in each of its shapes). Per lead
form, the conversation as chat bubbles next to its flow drawn as inline SVG
(emitters/svgflow.py). Findings sit next to what they concern.

The page never reaches the network (inline CSS and SVG, no scripts, no remote
images or fonts: the ad's own URLs appear as text only), every user string
goes through jinja2's autoescape, and the output depends only on the input
(document order, no dates), so the same file gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import jinja2
from adflow.compiler import __version__
from adflow.compiler.bodies.model import Document, Request
from adflow.compiler.bodies.queries import campaign_of, get, media
from adflow.compiler.bodies.wire import loads_embedded
from adflow.compiler.findings.diagnostics import Diagnostic, Severity
from adflow.compiler.findings.report import plural
from adflow.compiler.tools.flowgraph import FlowGraph, FlowStep, flow_graph, whatsapp_turn

from .graph import findings_by_step
from .svgflow import SvgFlow, layout, num
from .templating import load_template

TEMPLATE = "preview.html.j2"

CTA_LABELS = {
    "MESSAGE_PAGE": "Send message", "INSTAGRAM_MESSAGE": "Send message",
    "WHATSAPP_MESSAGE": "Send WhatsApp message", "LEARN_MORE": "Learn more",
    "SHOP_NOW": "Shop now", "SIGN_UP": "Sign up", "CONTACT_US": "Contact us",
    "APPLY_NOW": "Apply now", "GET_QUOTE": "Get quote", "BOOK_TRAVEL": "Book now",
}
DESTINATIONS = {"MESSENGER": "Messenger", "INSTAGRAM_DIRECT": "Instagram Direct",
                "WHATSAPP": "WhatsApp"}
# Symbols every system font has (colour emoji need a font headless machines lack).
PREFILL_HINTS = {"EMAIL": "✉ email", "PHONE": "☎ phone", "CITY": "⌂ city"}
KIND_NAMES = {"lead_form": "lead form", "campaign": "campaign", "adset": "ad set",
              "creative": "creative", "ad": "ad"}


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    message: str
    line: int
    help: str
    place: str


@dataclass(frozen=True)
class Bit:
    """One thing in a chat: a bubble, chips, a card. `kind` picks the markup."""

    kind: str  # text, chips, breakers, call, subscribe, form, partner, note, none, unknown
    text: str = ""
    items: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    title: str = ""
    subtitle: str = ""
    button: str = ""
    anchor: str = ""  # an id in this page


@dataclass(frozen=True)
class AdCopy:
    format: str  # image, video, photo, text, post, igpost, none
    media: str  # what the media box says (hash, id, file name)
    message: str
    headline: str
    description: str
    domain: str
    link: str
    cta: str
    destination: str


@dataclass
class CreativeView:
    number: int
    name: str
    title: str  # the creative's own name field, else its DSL name
    page: str
    instagram: str
    ad: AdCopy
    welcome: list[Bit]
    products: list[str]
    used_by: list[str]
    findings: list[Finding]


@dataclass(frozen=True)
class Chip:
    text: str
    target: str  # "" when the answer leads nowhere
    bad: bool = False
    anchor: str = ""


@dataclass
class StepView:
    index: int
    anchor: str
    name: str
    type: str
    message: str
    tags: list[str]
    chips: list[Chip]  # quick replies, each with where it leads
    hint: str  # what the person's side offers: a prefill or typing
    next: list[Chip]  # plain arrows (not quick replies)
    findings: list[Finding]


@dataclass
class FormView:
    number: int
    anchor: str
    name: str
    template_name: str
    page: str
    privacy_url: str
    reminder: str
    steps: list[StepView]
    flow: SvgFlow
    findings: list[Finding]
    opened_by: list[tuple[str, str]]  # (creative name, anchor)
    stats: str


@dataclass
class Page:
    file: str
    api_version: str
    version: str
    counts: dict[str, int]
    objects: str
    creatives: list[CreativeView] = field(default_factory=list)
    forms: list[FormView] = field(default_factory=list)
    others: list[Finding] = field(default_factory=list)


# -- reading bodies ----------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A body value as display text: strings as written, numbers as digits."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return ""


def _finding(d: Diagnostic) -> Finding:
    return Finding(d.code, d.severity.value, d.message, d.span.line, d.help or "", d.name or "")


def _about(place: str, diagnostics: Iterable[Diagnostic]) -> list[Finding]:
    return [_finding(d) for d in diagnostics if d.concerns(place)]


def _media(creative: Request) -> tuple[str, dict[str, Any]]:
    """Which media the story has (link_data, video_data ...) and its contents."""
    found = media(creative)
    return (found[0].rsplit("/", 1)[-1], found[1]) if found else ("", {})


def _ref_name(document: Document, value: Any) -> str:
    """The name a `$ref` points at, or the literal id."""
    target = document.resolve(value)
    return target.name if target is not None else _text(value)


def _decoded(value: Any) -> Any:
    """page_welcome_message as data: the `$json` marker, JSON text, or text."""
    if isinstance(value, dict) and set(value) == {"$json"}:
        return value["$json"]
    if isinstance(value, str) and value.lstrip()[:1] in ("{", "["):
        try:
            return loads_embedded(value)
        except ValueError:  # text that happens to start with a brace
            return value
    return value


def _quick_replies(message: Any) -> Bit | None:
    replies = get(message, "quick_replies")
    titles = tuple(_text(get(r, "title")) or _text(get(r, "content_type"))
                   for r in replies) if isinstance(replies, list) else ()
    return Bit("chips", items=titles) if titles else None


def _send_api_message(message: Any) -> list[Bit]:
    """A Send API message: its text, a template attachment, quick replies."""
    bits: list[Bit] = []
    if _text(get(message, "text")):
        bits.append(Bit("text", _text(get(message, "text"))))
    attachment = get(message, "attachment")
    if isinstance(attachment, dict):
        element = get(attachment, "payload", "elements", 0)
        buttons = get(element, "buttons")
        bits.append(Bit(
            "subscribe", text=_text(get(element, "image_url")),
            title=_text(get(element, "title")), subtitle=_text(get(element, "subtitle")),
            button=" · ".join(_text(get(b, "title")) for b in buttons)
            if isinstance(buttons, list) else ""))
    chips = _quick_replies(message)
    if chips is not None:
        bits.append(chips)
    return bits


def welcome_bits(value: Any, document: Document, form_anchors: dict[str, str]) -> list[Bit]:
    """The chat a welcome message starts, in any shape Meta's Click-to-Messenger guide shows."""
    data = _decoded(value)
    if data is None:
        return []
    if isinstance(data, str):
        return [Bit("text", data)]
    if isinstance(data, dict):
        if "ctm_lead_gen_template_id" in data:
            name = _ref_name(document, data["ctm_lead_gen_template_id"])
            return [Bit("form", name, anchor=form_anchors.get(name, ""))]
        for fmt in ("text_format", "image_format"):
            message = get(data, fmt, "message")
            if isinstance(message, dict):
                bits = _send_api_message(message)
                breakers = get(message, "ice_breakers")
                if isinstance(breakers, list) and breakers:
                    bits.insert(1 if bits and bits[0].kind == "text" else 0, Bit(
                        "breakers", pairs=tuple((_text(get(b, "title")),
                                                 _text(get(b, "response"))) for b in breakers)))
                prompt = _text(get(message, "call_prompt_data", "call_prompt_message"))
                if prompt or data.get("landing_screen_type") == "call_prompt":
                    bits.append(Bit("call", prompt))
                whatsapp = whatsapp_turn(data)  # the prefilled message, a flow's button
                if whatsapp is not None:
                    bits += [Bit("note", note[:1].upper() + note[1:]) for note in whatsapp[1].notes
                             if not (prompt and prompt in note)]
                return bits
        if "message" in data:
            return _send_api_message(data["message"])
    if isinstance(data, list):
        bits = []
        for item in data:
            if isinstance(item, dict) and ("text_format" in item or "message" in item):
                bits += welcome_bits({"$json": item}, document, form_anchors)
            else:
                bits.append(Bit("unknown", json.dumps(item, ensure_ascii=False, sort_keys=True)))
        return bits
    return [Bit("unknown", json.dumps(data, ensure_ascii=False, sort_keys=True))]


def _domain(link: str) -> str:
    try:
        host = urlsplit(link).hostname or ""
    except ValueError:
        host = ""
    return host.removeprefix("www.").upper()


def ad_copy(creative: Request) -> AdCopy:
    body = creative.view
    key, data = _media(creative)
    cta = data.get("call_to_action", body.get("call_to_action"))
    cta_type = _text(get(cta, "type"))
    link = _text(data.get("link")) or _text(get(cta, "value", "link"))
    if key == "link_data":
        fmt = "image"
        media = _text(data.get("image_hash")) or _text(data.get("picture")).rsplit("/", 1)[-1]
    elif key == "video_data":
        fmt, media = "video", _text(data.get("video_id"))
    elif key:
        fmt, media = key.removesuffix("_data"), ""
    elif "source_instagram_media_id" in body:
        fmt, media = "igpost", _text(body["source_instagram_media_id"])
    elif "object_story_id" in body:
        fmt, media = "post", _text(body["object_story_id"])
    else:
        fmt, media = "none", ""
    return AdCopy(
        format=fmt, media=media,
        message=_text(data.get("message")) or _text(data.get("caption")),
        headline=_text(data.get("name")) or _text(data.get("title")),
        description=_text(data.get("description")) or _text(data.get("link_description")),
        domain=_domain(link), link=link,
        cta=CTA_LABELS.get(cta_type, cta_type.replace("_", " ").capitalize()),
        destination=DESTINATIONS.get(_text(get(cta, "value", "app_destination")), ""))


def _products(body: dict[str, Any]) -> list[str]:
    out: list[str] = []
    features = get(body, "degrees_of_freedom_spec", "creative_features_spec")
    if get(features, "product_extensions", "enroll_status") == "OPT_IN":
        out.append("product extensions on")
    product_set = _text(get(body, "creative_sourcing_spec", "associated_product_set_id"))
    if product_set:
        out.append(f"product set {product_set}")
    items = body.get("product_data", get(body, "object_story_spec", "product_data"))
    if isinstance(items, list) and items:
        out.append("products " + ", ".join(_text(get(p, "product_id")) for p in items))
    if get(features, "multi_photo_to_video", "enroll_status") == "OPT_IN":
        out.append("multi-photo to video")
    if get(features, "standard_enhancements", "enroll_status") == "OPT_IN":
        out.append("standard enhancements (deprecated)")
    return out


def _used_by(document: Document, creative: Request) -> list[str]:
    out = []
    for ad in document.of_kind("ad"):
        if document.resolve(get(ad.view, "creative", "creative_id")) is not creative:
            continue
        adset = document.resolve(ad.view.get("adset_id"))
        campaign = campaign_of(document, adset) if adset else None
        text = f"ad {ad.name}"
        if adset is not None:
            text += f" · ad set {adset.name}"
            goal = _text(adset.view.get("optimization_goal"))
            text += f" ({goal})" if goal else ""
        if campaign is not None:
            objective = _text(campaign.view.get("objective"))
            text += f" · campaign {campaign.name}" + (f" ({objective})" if objective else "")
        out.append(text)
    return out


def creative_view(document: Document, creative: Request, number: int,
                  diagnostics: Sequence[Diagnostic], form_anchors: dict[str, str]) -> CreativeView:
    body = creative.view
    _, data = _media(creative)
    welcome = welcome_bits(data.get("page_welcome_message"), document, form_anchors)
    flow = _text(get(body, "asset_feed_spec", "additional_data",
                      "partner_app_welcome_message_flow_id"))
    if flow:
        welcome.append(Bit("partner", flow))
    if not welcome:
        welcome.append(Bit("none"))
    page = _text(get(body, "object_story_spec", "page_id")) or _text(body.get("object_id"))
    if not page and "object_story_id" in body:
        page = _text(body["object_story_id"]).split("_", 1)[0]
    instagram = (_text(get(body, "object_story_spec", "instagram_user_id"))
                 or _text(body.get("instagram_user_id")))
    return CreativeView(number, creative.name, _text(body.get("name")) or creative.name, page,
                        instagram, ad_copy(creative), welcome, _products(body),
                        _used_by(document, creative),
                        _about(creative.place(), diagnostics))


# -- lead forms ---------------------------------------------------------------------------------


def _step_title(graph: FlowGraph, index: int | None, target_id: str) -> str:
    return graph.steps[index].name if index is not None else f"? {target_id}"


def step_view(graph: FlowGraph, step: FlowStep, anchor: str,
              found: list[Diagnostic]) -> StepView:
    def chip(text: str, edge_index: int | None) -> Chip:
        if edge_index is None:
            return Chip(text, "")
        edge = graph.edges[edge_index]
        target = _step_title(graph, edge.target, edge.target_id)
        return Chip(text, ("↩ " if edge.backward else "") + target, not edge.walkable,
                    f"{anchor.rsplit('-', 1)[0]}-{edge.target}" if edge.target is not None else "")

    out = [k for k, e in enumerate(graph.edges) if e.source == step.index]
    chips: list[Chip] = []
    arrows: list[Chip] = []
    if step.reply_type == "QUICK_REPLIES" and step.answers:
        seen: dict[str, int] = {}
        for answer in step.answers:
            # The n-th "Yes" takes the n-th edge that carries a "Yes".
            takers = [k for k in out if answer in graph.edges[k].answers]
            n = seen.get(answer, 0)
            seen[answer] = n + 1
            chips.append(chip(answer, takers[min(n, len(takers) - 1)] if takers else None))
        arrows = [chip("", k) for k in out if not graph.edges[k].answers]
        if not out:  # answers that lead nowhere at all
            chips = [Chip(c.text, "nowhere", True) for c in chips]
    else:
        arrows = [chip("", k) for k in out]
    tags = [step.type.lower()]
    if step.is_question:
        tags.append("optional" if step.allow_to_skip else "required")
    if step.validate:
        tags.append("validated")
    hint = ""
    if step.reply_type == "PREFILL":
        kind = step.prefill_type or "?"
        hint = PREFILL_HINTS.get(kind, f"✎ {kind.lower()}")
    elif step.is_question and not chips:
        hint = "✎ typed answer"
    return StepView(step.index, anchor, step.name, step.type, step.message, tags, chips, hint,
                    arrows, [_finding(d) for d in found])


def form_view(document: Document, form: Request, number: int,
              diagnostics: Sequence[Diagnostic], creatives: list[CreativeView]) -> FormView:
    graph = flow_graph(form)
    per_step, whole = findings_by_step(graph, diagnostics)
    anchor = f"form-{number}"
    steps = [step_view(graph, s, f"{anchor}-step-{s.index}", per_step.get(s.index, []))
             for s in graph.steps]
    questions = sum(s.is_question for s in graph.steps)
    ends = sum(s.is_terminal for s in graph.steps)
    stats = (f"{plural(len(graph.steps), 'step')} · {plural(questions, 'question')} · "
             f"{plural(ends, 'ending')}")
    opened_by = [(c.name, f"creative-{c.number}") for c in creatives
                 if any(b.kind == "form" and b.text == form.name for b in c.welcome)]
    return FormView(number, anchor, form.name, _text(form.view.get("template_name")),
                    form.path.split("/")[0], _text(form.view.get("privacy_url")), graph.reminder,
                    steps, layout(graph, list(diagnostics)), [_finding(d) for d in whole],
                    opened_by, stats)


# -- the page -----------------------------------------------------------------------------------


def build_page(document: Document, diagnostics: Sequence[Diagnostic],
               forms: Sequence[Request] | None = None) -> Page:
    """Everything the template shows; only the given forms (and the creatives
    that open them) if any are given."""
    chosen = list(document.of_kind("lead_form")) if forms is None else list(forms)
    anchors = {f.name: f"form-{k}" for k, f in enumerate(chosen)}
    counts = {s.value: sum(d.severity is s for d in diagnostics) for s in Severity}
    kinds: dict[str, int] = {}
    for request in document.requests:
        kinds[request.kind] = kinds.get(request.kind, 0) + 1
    objects = ", ".join(plural(n, KIND_NAMES.get(k, k)) for k, n in kinds.items())
    page = Page(document.path, document.api_version, __version__, counts, objects or "no objects")
    for request in document.of_kind("creative"):
        view = creative_view(document, request, len(page.creatives), diagnostics, anchors)
        if forms is None or any(b.kind == "form" and b.text in anchors for b in view.welcome):
            page.creatives.append(view)
    page.forms = [form_view(document, f, k, diagnostics, page.creatives)
                  for k, f in enumerate(chosen)]
    shown = {f"creative:{c.name}" for c in page.creatives} | {
        f"lead_form:{f.name}" for f in page.forms}
    # Findings about campaigns, ad sets, ads or the file; with --form, only those.
    page.others = [_finding(d) for d in diagnostics
                   if (d.name or "").split("/")[0] not in shown and (
                       forms is None or not (d.name or "").startswith(("creative:", "lead_form:")))]
    return page


@cache
def _template() -> jinja2.Template:
    # autoescape on: every string a marketer wrote is text, never markup.
    return load_template(TEMPLATE, autoescape=True, filters={"num": num})


def render_preview(document: Document, diagnostics: Sequence[Diagnostic],
                   forms: Sequence[Request] | None = None) -> str:
    return _template().render(page=build_page(document, diagnostics, forms))
