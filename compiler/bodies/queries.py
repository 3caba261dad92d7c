"""Reading ad objects out of a Document: how requests relate (an ad joins
an ad set and a creative; an ad set belongs to a campaign), shared by the A,
C and D rules so each rule states only what it checks."""

from __future__ import annotations

import json
from collections.abc import Iterator

from ..facts.creatives import STORY_MEDIA_KEYS
from ..front.source import pointer
from .model import Document, Request

TYPE_CHECKING = False  # typing is for mypy alone: importing it costs a quick check 4 ms
if TYPE_CHECKING:
    from typing import Any


def enum(value: Any) -> Any:
    """A body value read as an enum: strings (and None) stay; anything else
    (a list where a name belongs) becomes its JSON text, so membership tests
    never fail on unhashable values and messages show what was written."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def get(body: Any, *path: str | int) -> Any:
    for part in path:
        if isinstance(body, dict) and isinstance(part, str):
            body = body.get(part)
        elif isinstance(body, list) and isinstance(part, int) and 0 <= part < len(body):
            body = body[part]
        else:
            return None
    return body


def campaign_of(document: Document, adset: Request) -> Request | None:
    return document.resolve(adset.view.get("campaign_id"))


def adsets_of(document: Document, campaign: Request) -> list[Request]:
    # Grouped once per document: a scan per campaign made big files quadratic.
    by_campaign = document.derived.get("adsets_of")
    if by_campaign is None:
        by_campaign = document.derived["adsets_of"] = {}
        for adset in document.of_kind("adset"):
            by_campaign.setdefault(id(campaign_of(document, adset)), []).append(adset)
    return list(by_campaign.get(id(campaign), ()))


def pairs(document: Document) -> Iterator[tuple[Request, Request, Request]]:
    """(ad, ad set, creative) for every ad whose both ends are in the file."""
    found = document.derived.get("pairs")
    if found is None:
        found = document.derived["pairs"] = []
        for ad in document.of_kind("ad"):
            adset = document.resolve(ad.view.get("adset_id"))
            creative = document.resolve(get(ad.view, "creative", "creative_id"))
            if adset is not None and creative is not None:
                found.append((ad, adset, creative))
    return iter(found)


def media(creative: Request) -> tuple[str, dict[str, Any]] | None:
    """The pointer and contents of object_story_spec's media (link_data ...)."""
    story = creative.view.get("object_story_spec")
    if isinstance(story, dict):
        for key in STORY_MEDIA_KEYS:
            if isinstance(story.get(key), dict):
                return pointer("object_story_spec", key), story[key]
    return None


def call_to_action(creative: Request) -> tuple[str, Any] | None:
    found = media(creative)
    if found is not None and "call_to_action" in found[1]:
        return found[0] + "/call_to_action", found[1]["call_to_action"]
    if "call_to_action" in creative.view:
        return "/call_to_action", creative.view["call_to_action"]
    return None


def welcome(creative: Request) -> tuple[str, Any] | None:
    """page_welcome_message: a plain string, or the decoded JSON under `$json`."""
    found = media(creative)
    if found is None or "page_welcome_message" not in found[1]:
        return None
    value = found[1]["page_welcome_message"]
    ptr = found[0] + "/page_welcome_message"
    if isinstance(value, dict) and set(value) == {"$json"}:
        return ptr + "/$json", value["$json"]
    return ptr, value


def lead_form_id(creative: Request) -> Any:
    found = welcome(creative)
    return get(found[1], "ctm_lead_gen_template_id") if found else None


def strings(value: Any, ptr: str = "") -> Iterator[tuple[str, str]]:
    """Every string in a body, with its pointer (inside `$json` too)."""
    found: list[tuple[str, str]] = []
    _collect_strings(value, ptr, found)
    return iter(found)


def _collect_strings(value: Any, ptr: str, found: list[tuple[str, str]]) -> None:
    # Into one list: nested generators passed each string up through every level.
    if isinstance(value, str):
        found.append((ptr, value))
    elif isinstance(value, dict):
        for key, item in value.items():
            _collect_strings(item, ptr + pointer(key), found)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _collect_strings(item, f"{ptr}/{index}", found)
