"""C: ad creatives and their welcome messages (`POST /act_{id}/adcreatives`)."""

from __future__ import annotations

from collections.abc import Iterator

from ..bodies.fields import BESIDE_POST, IMAGE_OPTIONS, SUBSCRIBE_BUTTON, VIDEO_OPTIONS
from ..bodies.model import Document, Request
from ..bodies.queries import call_to_action, enum, get, lead_form_id, media, pairs, welcome
from ..facts.adsets import INSTANT_FORM_DESTINATION, LEAD_GOALS, MESSAGING_DESTINATIONS
from ..facts.creatives import (
    ALL_CALL_TO_ACTION_TYPES,
    APP_DESTINATION_FOR,
    APP_DESTINATIONS,
    APP_OF_BUTTON,
    CREATIVE_SOURCE_KEYS,
    CTA_WITHOUT_VALUE,
    GREETING_FORMATS,
    LINK_DATA_MEDIA_KEYS,
    MESSAGING_BUTTONS,
    OTHER_MEDIA_KEYS,
    PERSONALIZATION_TOKEN,
    PERSONALIZATION_TOKENS,
    POST_KEYS,
    STORY_MEDIA_KEYS,
    USUAL_CTA_FOR,
    VIDEO_THUMBNAIL_KEYS,
)
from ..facts.limits import (
    CALL_PROMPT_MESSAGE,
    ICE_BREAKER_RESPONSE,
    ICE_BREAKER_TITLE,
    ICE_BREAKERS_MAX,
    ICE_BREAKERS_PROFILE_MAX,
    QUICK_REPLIES_MAX,
    QUICK_REPLY_PAYLOAD,
    QUICK_REPLY_TITLE,
    TEMPLATES_MAX,
    WELCOME_TEXT,
)
from ..facts.sources import (
    CAMPAIGN_REFERENCE,
    CREATIVE_REFERENCE,
    CTIG_GUIDE,
    CTM_GUIDE,
    CTWA_GUIDE,
    ICE_BREAKERS_PAGE,
    LEAD_ADS_CREATE_PAGE,
    LINK_DATA_REFERENCE,
    QUICK_REPLIES_PAGE,
    STORY_SPEC_REFERENCE,
    VIDEO_DATA_REFERENCE,
    changelog,
)
from ..findings.diagnostics import Diagnostic, Note
from ..findings.suggest import rename_key, replace_inside, suggest
from .base import (
    ERROR,
    WARNING,
    added,
    advice,
    as_json,
    body_key,
    body_keys,
    body_member,
    nest,
    put,
    report,
    rule,
    set_to,
    unknown_value,
)

TYPE_CHECKING = False  # typing is for mypy alone: importing it costs a quick check 4 ms
if TYPE_CHECKING:
    from typing import Any


def _note(request: Request, ptr: str, text: str) -> Note:
    return Note(text, request.span_at(ptr))


def _button(kind: str, destination: str) -> dict[str, Any]:
    """A call to action as the body writes it (`call_to_action KIND -> DESTINATION`)."""
    return {"type": kind, "value": {"app_destination": destination}}


def _path(ptr: str) -> list[str]:
    return ptr.split("/")[1:]


def _is_messaging(document: Document, creative: Request) -> bool:
    found = call_to_action(creative)
    if found and enum(get(found[1], "type")) in MESSAGING_BUTTONS:
        return True
    if welcome(creative) is not None:
        return True
    return any(c is creative
               and enum(a.view.get("destination_type")) in MESSAGING_DESTINATIONS
               for _, a, c in pairs(document))


@rule("C001", "no-app-destination", ERROR,
      "a messaging creative's call to action has no app_destination",
      evidence=(CTM_GUIDE, CTIG_GUIDE))
def C001(document: Document) -> Iterator[Diagnostic]:
    """A click-to-message button says where the conversation opens:
    call_to_action.value.app_destination is MESSENGER or INSTAGRAM_DIRECT.
    (Creatives from an existing Instagram post use value.link, as Meta's
    Instagram guide shows; a WHATSAPP_MESSAGE button needs no value at all:
    Meta opens the WhatsApp number linked to the Page.)

    Bad (objects on acme):
        creative image {
          page acme
          image hash "abc123"
          call_to_action MESSAGE_PAGE
          welcome text "Hi!"
        }

    Good (objects on acme):
        creative image {
          page acme
          image hash "abc123"
          call_to_action MESSAGE_PAGE -> MESSENGER
          welcome text "Hi!"
        }
    """
    for creative in document.of_kind("creative"):
        if "source_instagram_media_id" in creative.view or not _is_messaging(document, creative):
            continue
        found = call_to_action(creative)
        if found is None:
            where = media(creative)
            yield report(C001, creative, where[0] if where else "",
                         f"messaging creative '{creative.name}' has no call to action",
                         help=advice(document, dsl="add call_to_action MESSAGE_PAGE -> MESSENGER",
                                     json=added(nest(_path(where[0] if where else "") + [
                                         "call_to_action"], _button("MESSAGE_PAGE", "MESSENGER")),
                                         creative.view)))
        elif not get(found[1], "value", "app_destination") and \
                enum(get(found[1], "type")) not in CTA_WITHOUT_VALUE:
            yield report(C001, creative, found[0],
                         "the call to action has no app_destination",
                         help=advice(document,
                                     dsl="write call_to_action TYPE -> MESSENGER (or "
                                         "INSTAGRAM_DIRECT)",
                                     json=put(creative.view, [*_path(found[0]), "value",
                                                              "app_destination"],
                                              "MESSENGER", "INSTAGRAM_DIRECT")))


@rule("C002", "app-destination", ERROR,
      "app_destination does not match the ad set's destination; (warning) an unusual button for it",
      evidence=(CTM_GUIDE, CTIG_GUIDE, CTWA_GUIDE, CREATIVE_REFERENCE))
def C002(document: Document) -> Iterator[Diagnostic]:
    """The button's app_destination must match the ad set's destination_type
    (Meta does not always reject a mismatch: the ad then opens the wrong
    app). A button type or app destination close to a known one is an error
    (a typo), one close to none a warning (Meta's enum may be newer than
    adflow's list); an unusual button for the destination is a warning.

    Bad (objects on acme):
        creative image {
          page acme
          image hash "abc123"
          call_to_action MESSAGE_PAGE -> INSTAGRAM_DIRECT
        }

    Good (objects on acme):
        creative image {
          page acme
          image hash "abc123"
          call_to_action MESSAGE_PAGE -> MESSENGER
        }
    """
    for creative in document.of_kind("creative"):
        found = call_to_action(creative)
        if found is None:
            continue
        ptr, cta = found
        kind = enum(get(cta, "type"))
        dest = enum(get(cta, "value", "app_destination"))
        if kind is not None and kind not in ALL_CALL_TO_ACTION_TYPES:
            yield report(C002, creative, ptr + "/type", f"unknown call-to-action type {kind!r}",
                         **unknown_value(document, creative, ptr + "/type", kind,
                                         ALL_CALL_TO_ACTION_TYPES, open_list=True))
        if dest is not None and dest not in APP_DESTINATIONS:
            hinted = unknown_value(document, creative, ptr + "/value/app_destination", dest,
                                   APP_DESTINATIONS, open_list=True)
            hinted["help"] = (hinted["help"]
                              or "one of " + ", ".join(sorted(APP_DESTINATIONS)))
            yield report(C002, creative, ptr + "/value/app_destination",
                         f"unknown app_destination {dest!r}", **hinted)
            continue
        if dest is not None and kind in ALL_CALL_TO_ACTION_TYPES and \
                kind not in USUAL_CTA_FOR.get(dest, frozenset({kind})):
            yield report(C002, creative, ptr + "/type",
                         f"{kind} is an unusual button for {dest}", severity=WARNING,
                         help="usual: " + ", ".join(sorted(USUAL_CTA_FOR[dest])))
        for _, adset, c in pairs(document):
            if c is not creative:
                continue
            expected = APP_DESTINATION_FOR.get(str(adset.view.get("destination_type")))
            if expected and dest is not None and dest != expected:
                yield report(C002, creative, ptr + "/value/app_destination",
                             f"the button opens {dest}, but ad set '{adset.name}' sends people "
                             f"to {adset.view['destination_type']}",
                             notes=[_note(adset, "/destination_type", "the ad set's destination")],
                             help=advice(document, dsl=f"-> {expected}",
                                         json=set_to("app_destination", expected)))
            opens = APP_OF_BUTTON.get(str(kind))
            if expected and dest is None and opens and opens != expected:
                # Meta's guides pair each button with its app; whether Meta
                # refuses another pairing is not documented: a warning.
                buttons = sorted(USUAL_CTA_FOR[expected] - {"LEARN_MORE"})
                usual = ", ".join(buttons)
                yield report(C002, creative, ptr + "/type",
                             f"{kind} opens {opens}, but ad set '{adset.name}' sends people to "
                             f"{adset.view['destination_type']} (Meta's guides pair it with "
                             f"{usual}; whether Meta refuses this pairing is not documented)",
                             severity=WARNING,
                             help=advice(document, dsl=f"use {usual}",
                                         json=set_to("type", *buttons)),
                             notes=[_note(adset, "/destination_type", "the ad set's destination")])


def _texts(value: Any) -> tuple[str, Any, list[tuple[int, Any]]]:
    """(the format it is written in, its message, its ice breakers) of a
    greeting: text_format, or image_format / video_format as Ads Manager
    writes them."""
    fmt = next((f for f in GREETING_FORMATS if isinstance(get(value, f), dict)),
               GREETING_FORMATS[0])
    message = get(value, fmt, "message")
    breakers = get(message, "ice_breakers")
    return fmt, message, list(enumerate(breakers)) if isinstance(breakers, list) else []


@rule("C003", "welcome-length", ERROR,
      "welcome text over 300, ice breaker title over 80 or response over 300, "
      "more than 5 ice breakers",
      evidence=(CTM_GUIDE, ICE_BREAKERS_PAGE))
def C003(document: Document) -> Iterator[Diagnostic]:
    """The greeting is at most 300 characters; an ice breaker's title 80 and
    its response 300; at most 5 ice breakers (Ads Manager), and more than 4
    is a warning (the profile API's limit).

    Bad (objects):
        page acme 111222333444
        creative image {
          page acme
          image hash "abc123"
          call_to_action MESSAGE_PAGE -> MESSENGER
          welcome ice_breakers "Hi!" {
            "This question is far too long to ever fit into the ice breaker button of Messenger" => "Yes"
          }
        }

    Good (objects):
        page acme 111222333444
        creative image {
          page acme
          image hash "abc123"
          call_to_action MESSAGE_PAGE -> MESSENGER
          welcome ice_breakers "Hi!" {
            "Can I make a purchase?" => "Sure, tell us what you need."
          }
        }
    """  # noqa: E501 (the Bad example is a title over the limit, on one line)
    for creative in document.of_kind("creative"):
        found = welcome(creative)
        if found is None:
            continue
        ptr, value = found
        limit = WELCOME_TEXT.value
        if isinstance(value, str) and len(value) > limit:
            yield report(C003, creative, ptr, f"the welcome text has {len(value)} characters; "
                         f"the limit is {limit}")
        fmt, message, breakers = _texts(value)
        text = get(message, "text")
        base = f"{ptr}/{fmt}/message"
        if isinstance(text, str) and len(text) > limit:
            yield report(C003, creative, base + "/text",
                         f"the greeting has {len(text)} characters; the limit is {limit}")
        for i, breaker in breakers:
            for key, lim in (("title", ICE_BREAKER_TITLE),
                             ("response", ICE_BREAKER_RESPONSE)):
                item = get(breaker, key)
                if isinstance(item, str) and len(item) > lim.value:
                    yield report(C003, creative, f"{base}/ice_breakers/{i}/{key}",
                                 f"ice breaker {key} has {len(item)} characters; "
                                 f"the limit is {lim.value}")
        count = len(breakers)
        if count > ICE_BREAKERS_MAX.value:
            yield report(C003, creative, base + "/ice_breakers",
                         f"{count} ice breakers; at most {ICE_BREAKERS_MAX.value}")
        elif count > ICE_BREAKERS_PROFILE_MAX:
            yield report(C003, creative, base + "/ice_breakers",
                         f"{count} ice breakers: Ads Manager allows "
                         f"{ICE_BREAKERS_MAX.value}, "
                         f"Meta's Messenger profile API only {ICE_BREAKERS_PROFILE_MAX}",
                         severity=WARNING)


@rule("C004", "template-limits", ERROR, "more than 13 quick replies, a payload over 1000, more "
      "than 5 templates; (warning) a quick-reply or button title over 20",
      evidence=(CTM_GUIDE, QUICK_REPLIES_PAGE))
def C004(document: Document) -> Iterator[Diagnostic]:
    """A template series holds at most 5 messages; a message at most 13 quick
    replies, each payload at most 1000 characters. Titles over 20
    characters are cut off in Messenger (a warning).

    Bad (objects):
        page acme 111222333444
        creative image {
          page acme
          image hash "abc123"
          call_to_action MESSAGE_PAGE -> MESSENGER
          welcome templates {
            message "Which service?" quick_replies {
              "Emergency repair tonight" => "REPAIR"
            }
          }
        }

    Good (objects):
        page acme 111222333444
        creative image {
          page acme
          image hash "abc123"
          call_to_action MESSAGE_PAGE -> MESSENGER
          welcome templates {
            message "Which service?" quick_replies {
              "Repair" => "REPAIR"
            }
          }
        }
    """
    for creative in document.of_kind("creative"):
        found = welcome(creative)
        if found is None:
            continue
        ptr, value = found
        if isinstance(value, list) and all(isinstance(v, dict) and "message" in v for v in value):
            if len(value) > TEMPLATES_MAX.value:
                yield report(C004, creative, ptr, f"{len(value)} template messages; at most "
                             f"{TEMPLATES_MAX.value}")
            for i, item in enumerate(value):
                replies = get(item, "message", "quick_replies")
                if not isinstance(replies, list):
                    continue
                base = f"{ptr}/{i}/message/quick_replies"
                if len(replies) > QUICK_REPLIES_MAX.value:
                    yield report(C004, creative, base, f"{len(replies)} quick replies; at most "
                                 f"{QUICK_REPLIES_MAX.value}")
                for j, reply in enumerate(replies):
                    yield from _title_and_payload(creative, f"{base}/{j}", reply)
        buttons = get(value, "image_format", "message", "attachment", "payload", "elements", 0,
                      "buttons")
        if isinstance(buttons, list):
            base = (ptr + "/image_format/message/attachment/payload/elements/0/buttons")
            for j, button in enumerate(buttons):
                yield from _title_and_payload(creative, f"{base}/{j}", button)


def _title_and_payload(creative: Request, ptr: str, item: Any) -> Iterator[Diagnostic]:
    title, payload = get(item, "title"), get(item, "payload")
    if isinstance(title, str) and len(title) > QUICK_REPLY_TITLE.value:
        yield report(C004, creative, ptr + "/title",
                     f"title {title!r} is cut off after {QUICK_REPLY_TITLE.value} characters",
                     severity=WARNING)
    if isinstance(payload, str) and len(payload) > QUICK_REPLY_PAYLOAD.value:
        yield report(C004, creative, ptr + "/payload",
                     f"payload has {len(payload)} characters; at most "
                     f"{QUICK_REPLY_PAYLOAD.value}")


@rule("C005", "personalization-token", ERROR, "an unknown {{token}} in welcome or response text",
      evidence=(CTM_GUIDE,))
def C005(document: Document) -> Iterator[Diagnostic]:
    """Greetings and responses may use {{user_first_name}},
    {{user_last_name}}, {{user_full_name}} and {{page_name}}; anything else in
    double braces is sent to the person literally.

    Bad (objects):
        page acme 111222333444
        creative image {
          page acme
          image hash "abc123"
          call_to_action MESSAGE_PAGE -> MESSENGER
          welcome text "Hi {{first_name}}!"
        }

    Good (objects):
        page acme 111222333444
        creative image {
          page acme
          image hash "abc123"
          call_to_action MESSAGE_PAGE -> MESSENGER
          welcome text "Hi {{user_first_name}}!"
        }
    """
    from ..bodies.queries import strings

    for creative in document.of_kind("creative"):
        found = welcome(creative)
        if found is None:
            continue
        for ptr, text in strings(found[1], found[0]):
            if ptr.endswith(("/payload", "/app_id", "/image_url", "/ctm_lead_gen_template_id")):
                continue
            for m in PERSONALIZATION_TOKEN.finditer(text):
                if m.group(1) not in PERSONALIZATION_TOKENS:
                    meant = suggest(m.group(1), PERSONALIZATION_TOKENS)
                    fix = None
                    if meant is not None and meant.clear:
                        fix = replace_inside(document.source, creative.span_at(ptr), m.group(0),
                                             "{{" + meant.name + "}}", safe=meant.certain)
                    yield report(C005, creative, ptr,
                                 f"{m.group(0)} is not a personalization token: people would "
                                 "see it as written",
                                 help=meant.help if meant else "tokens: " + ", ".join(
                                     "{{" + t + "}}" for t in sorted(PERSONALIZATION_TOKENS)),
                                 fix=fix)


@rule("C006", "click-to-subscribe", ERROR,
      "Click-to-Subscribe without marketing_messages, notification_messages or its button",
      evidence=(CTM_GUIDE,))
def C006(document: Document) -> Iterator[Diagnostic]:
    """A Click-to-Subscribe welcome has landing_screen_type
    marketing_messages, a template of type notification_messages (Meta's
    guide misspells it nofitication_messages once) and a postback button.

    Bad (objects):
        page acme 111222333444
        creative image {
          page acme
          image hash "abc123"
          call_to_action MESSAGE_PAGE -> MESSENGER
          welcome subscribe "We would love to send you offers." {
            title "Spring deals" app 123456789
          }
        }

    Good (objects):
        page acme 111222333444
        creative image {
          page acme
          image hash "abc123"
          call_to_action MESSAGE_PAGE -> MESSENGER
          welcome subscribe "We would love to send you offers." {
            title "Spring deals" app 123456789 button "Get messages" payload "SUB"
          }
        }
    """
    for creative in document.of_kind("creative"):
        found = welcome(creative)
        if found is None or not isinstance(found[1], dict):
            continue
        ptr, value = found
        payload = get(value, "image_format", "message", "attachment", "payload")
        if value.get("landing_screen_type") != "marketing_messages" and not (
                isinstance(payload, dict) and "notification" in str(payload.get("template_type"))):
            continue
        base = ptr + "/image_format/message/attachment/payload"
        if value.get("landing_screen_type") != "marketing_messages":
            yield report(C006, creative, ptr, "a subscribe template needs landing_screen_type "
                         "marketing_messages")
        if get(payload, "template_type") != "notification_messages":
            yield report(C006, creative, base + "/template_type",
                         f"template_type is {get(payload, 'template_type')!r}, not "
                         "'notification_messages'")
        if not get(payload, "elements", 0, "buttons"):
            yield report(C006, creative, base, "the subscribe card has no button",
                         help=advice(document, dsl='add: button "Get messages" payload "..."',
                                     json=added({"buttons": [{
                                         "type": "postback", SUBSCRIBE_BUTTON["button"]:
                                         "Get messages", SUBSCRIBE_BUTTON["payload"]: "..."}]})
                                     + " to the card (elements[0])"))


@rule("C007", "call-prompt", ERROR, "a call prompt without its landing screen or prompt message",
      evidence=(CTM_GUIDE,))
def C007(document: Document) -> Iterator[Diagnostic]:
    """A call prompt welcome is a list whose item has landing_screen_type
    call_prompt and text_format.message with text and
    call_prompt_data.call_prompt_message; both are required. Over 80
    characters the prompt may be cut (a warning).

    Bad (objects):
        page acme 111222333444
        creative image {
          page acme
          image hash "abc123"
          call_to_action MESSAGE_PAGE -> MESSENGER
          welcome call_prompt "Welcome!"
        }

    Good (objects):
        page acme 111222333444
        creative image {
          page acme
          image hash "abc123"
          call_to_action MESSAGE_PAGE -> MESSENGER
          welcome call_prompt "Welcome!" prompt "Call to make an appointment."
        }
    """
    for creative in document.of_kind("creative"):
        found = welcome(creative)
        if found is None or not isinstance(found[1], list):
            continue
        ptr, items = found
        for i, item in enumerate(items):
            if not isinstance(item, dict) or "message" in item:
                continue  # a template series: C004's
            message = get(item, "text_format", "message")
            if item.get("landing_screen_type") != "call_prompt":
                yield report(C007, creative, f"{ptr}/{i}", "the call prompt has no "
                             "landing_screen_type call_prompt")
            prompt = get(message, "call_prompt_data", "call_prompt_message")
            if not prompt:
                yield report(C007, creative, f"{ptr}/{i}/text_format/message",
                             "the call prompt has no call_prompt_message",
                             help=advice(document, dsl='add: prompt "Call to make an appointment."',
                                         json=added({"call_prompt_data": {
                                             "call_prompt_message": "Call to make an appointment."
                                         }}, message if isinstance(message, dict) else None)))
            elif isinstance(prompt, str) and len(prompt) > CALL_PROMPT_MESSAGE.value:
                yield report(C007, creative,
                             f"{ptr}/{i}/text_format/message/call_prompt_data/call_prompt_message",
                             f"the call prompt has {len(prompt)} characters; over "
                             f"{CALL_PROMPT_MESSAGE.value} it may be cut "
                             f"({CALL_PROMPT_MESSAGE.source})", severity=WARNING)
            if not get(message, "text"):
                yield report(C007, creative, f"{ptr}/{i}/text_format/message",
                             "the call prompt has no welcome text")


@rule("C008", "lead-ad-objective", ERROR,
      "a lead ad outside an OUTCOME_LEADS campaign with a LEAD_GENERATION or QUALITY_LEAD ad set",
      evidence=(CTM_GUIDE, CAMPAIGN_REFERENCE))
def C008(document: Document) -> Iterator[Diagnostic]:
    """A creative that welcomes people with a Messenger lead form belongs in
    an OUTCOME_LEADS campaign whose ad set optimizes for LEAD_GENERATION or
    QUALITY_LEAD and sends people to Messenger (destination_type MESSENGER,
    as Meta's guide has it): without a destination, a lead ad set is an
    Instant Form one.

    Bad (objects):
        page acme 111222333444
        lead_form quote on acme {
          template_name "Quote"
          privacy_url "https://acme.example/privacy"
          reminder "Still there?"
          intro "Hi!" -> thanks
          confirmation thanks "Thanks!"
        }
        campaign spring {
          objective OUTCOME_LEADS
          special_ad_categories [NONE]
        }
        adset us in spring {
          optimization_goal CONVERSATIONS
          destination MESSENGER
          promoted_page acme
          targeting {
            countries [US]
          }
        }
        creative image {
          page acme
          image hash "abc123"
          call_to_action MESSAGE_PAGE -> MESSENGER
          welcome lead_form quote
        }
        ad spring_ad {
          adset us
          creative image
        }

    Good (objects):
        page acme 111222333444
        lead_form quote on acme {
          template_name "Quote"
          privacy_url "https://acme.example/privacy"
          reminder "Still there?"
          intro "Hi!" -> thanks
          confirmation thanks "Thanks!"
        }
        campaign spring {
          objective OUTCOME_LEADS
          special_ad_categories [NONE]
        }
        adset us in spring {
          optimization_goal LEAD_GENERATION
          destination MESSENGER
          promoted_page acme
          targeting {
            countries [US]
          }
        }
        creative image {
          page acme
          image hash "abc123"
          call_to_action MESSAGE_PAGE -> MESSENGER
          welcome lead_form quote
        }
        ad spring_ad {
          adset us
          creative image
        }
    """
    from ..bodies.queries import campaign_of

    for ad, adset, creative in pairs(document):
        if lead_form_id(creative) is None:
            continue
        goal = enum(adset.view.get("optimization_goal"))
        campaign = campaign_of(document, adset)
        objective = enum(campaign.view.get("objective")) if campaign else None
        lead_note = _note(creative, (welcome(creative) or ("",))[0], "the lead-form welcome")
        if adset.view.get("destination_type") is None:
            yield report(C008, adset, "",
                         f"ad '{ad.name}' is a Messenger lead ad, but ad set '{adset.name}' has "
                         "no destination: without one it is an Instant Form ad set",
                         notes=[lead_note],
                         help=advice(document, dsl="destination MESSENGER",
                                     json=added(body_member("adset", "destination",
                                                            "MESSENGER"))))
        if goal not in LEAD_GOALS:
            yield report(C008, adset, "/optimization_goal",
                         f"ad '{ad.name}' is a lead ad, but ad set '{adset.name}' optimizes for "
                         f"{goal}", notes=[lead_note],
                         help=advice(document, dsl=" or ".join(sorted(LEAD_GOALS)),
                                     json=put(adset.view, body_keys("adset", "optimization_goal"),
                                              *sorted(LEAD_GOALS))))
        if campaign is not None and objective != "OUTCOME_LEADS":
            yield report(C008, campaign, "/objective",
                         f"ad '{ad.name}' is a lead ad, but campaign '{campaign.name}' has "
                         f"objective {objective}", notes=[lead_note],
                         help=advice(document, dsl="objective OUTCOME_LEADS",
                                     json=put(campaign.view, body_keys("campaign", "objective"),
                                              "OUTCOME_LEADS")))


@rule("C009", "page-mismatch", ERROR, "the creative's page differs from the ad set's promoted page",
      evidence=("Graph API error 100/1885029: the promoted page differs from the creative's "
                "page", CTM_GUIDE))
def C009(document: Document) -> Iterator[Diagnostic]:
    """The Page that runs the conversation in the creative must be the ad
    set's promoted page (Meta error 1885029).

    Bad (objects):
        page acme 111222333444
        page other 999888777666
        campaign spring {
          objective OUTCOME_ENGAGEMENT
          special_ad_categories [NONE]
        }
        adset us in spring {
          optimization_goal CONVERSATIONS
          destination MESSENGER
          promoted_page acme
          targeting {
            countries [US]
          }
        }
        creative image {
          page other
          image hash "abc123"
          call_to_action MESSAGE_PAGE -> MESSENGER
        }
        ad spring_ad {
          adset us
          creative image
        }

    Good (objects):
        page acme 111222333444
        campaign spring {
          objective OUTCOME_ENGAGEMENT
          special_ad_categories [NONE]
        }
        adset us in spring {
          optimization_goal CONVERSATIONS
          destination MESSENGER
          promoted_page acme
          targeting {
            countries [US]
          }
        }
        creative image {
          page acme
          image hash "abc123"
          call_to_action MESSAGE_PAGE -> MESSENGER
        }
        ad spring_ad {
          adset us
          creative image
        }
    """
    for _, adset, creative in pairs(document):
        promoted = get(adset.view, "promoted_object", "page_id")
        page = get(creative.view, "object_story_spec", "page_id") or creative.view.get("object_id")
        if promoted and page and promoted != page:
            where = "/object_story_spec/page_id" if get(
                creative.view, "object_story_spec", "page_id") else "/object_id"
            yield report(C009, creative, where,
                         f"the creative's page {page} is not page {promoted}, which ad set "
                         f"'{adset.name}' promotes",
                         notes=[_note(adset, "/promoted_object/page_id", "the promoted page")])


@rule("C010", "media", ERROR,
      "object_story_spec without exactly one media or page; video without video_id or "
      "thumbnail, or also in asset_feed_spec; link_data without an image",
      evidence=(STORY_SPEC_REFERENCE, CREATIVE_REFERENCE,
                "Graph API error: \"Please specify the media to run with this ad\" (link_data "
                "with no image, as public integrations quote it)", LINK_DATA_REFERENCE,
                "Graph API error 1443226: \"Please specify one of image_hash or image_url in the "
                "video_data field of object_story_spec\" " + VIDEO_DATA_REFERENCE,
                "Graph API error 1443048: \"object_story_spec ill formed\" (a video in both "
                "asset_feed_spec.videos and object_story_spec.video_data, as public integrations "
                "quote it)",
                "Graph API error: \"The link field is required\" (source_instagram_media_id "
                "written inside object_story_spec, as public integrations quote it) "
                + CTIG_GUIDE))
def C010(document: Document) -> Iterator[Diagnostic]:
    """object_story_spec has a page_id and exactly one of link_data (image),
    video_data, photo_data or text_data; video_data needs its video_id and
    a thumbnail (image_url or image_hash: Meta answers 1443226 without one),
    and link_data its image (image_hash or picture, or the cards of a
    carousel: a link alone gets "Please specify the media to run with this
    ad"). Media may also live in asset_feed_spec (placement and segment
    asset customization) or object_story_spec.template_data (dynamic product
    ads), as Meta's pages show: then no other media is needed, and a video
    in asset_feed_spec.videos must not be repeated in video_data (Meta
    answers 1443048 "object_story_spec ill formed"). A creative parameter
    written inside object_story_spec (source_instagram_media_id,
    object_story_id, object_id) leaves it without media: the finding says
    where the key belongs.

    Bad (JSON file):
        {"name": "x", "object_story_spec": {"page_id": "1", "video_data": {"title": "Hi"}}}

    Good (objects on acme):
        creative clip {
          page acme
          video 123456789 thumbnail "https://acme.example/t.jpg"
        }
    """
    for creative in document.of_kind("creative"):
        story = creative.view.get("object_story_spec")
        if not isinstance(story, dict):
            if story is None and not creative.view.keys() & set(POST_KEYS):
                yield report(C010, creative, "", f"creative '{creative.name}' has no media",
                             help=advice(document, dsl="add image ..., video ..., post "
                                                       "\"PAGE_POST\" or instagram_post",
                                         json='add "object_story_spec" with "page_id" and '
                                              '"link_data" (an image) or "video_data", or make '
                                              "it from a post: "
                                              f'{as_json(body_key("creative", "post"))} or '
                                              f'{as_json(body_key("creative", "instagram_post"))}'))
            continue
        present = [k for k in STORY_MEDIA_KEYS if k in story]
        elsewhere = [k for k in OTHER_MEDIA_KEYS if k in story or k in creative.view]
        misplaced = [k for k in CREATIVE_SOURCE_KEYS if k in story]
        if misplaced and not (present or elsewhere):
            yield report(C010, creative, "/object_story_spec/" + misplaced[0],
                         f"{misplaced[0]} is a creative parameter, not part of object_story_spec: "
                         "there the creative has no media (Meta answers \"the link field is "
                         "required\")",
                         help=f"move {misplaced[0]} out of object_story_spec, beside it "
                              "(an existing post: object_id, instagram_user_id, "
                              "source_instagram_media_id and call_to_action at the top level)")
        elif len(present) > 1 or not (present or elsewhere):
            yield report(C010, creative, "/object_story_spec",
                         "object_story_spec needs exactly one of link_data, video_data, "
                         f"photo_data, text_data; it has {len(present) or 'none'}")
        if not story.get("page_id"):
            yield report(C010, creative, "/object_story_spec", "object_story_spec has no page_id",
                         help=advice(document, dsl="add page NAME",
                                     json=added(body_member("creative", "page", "PAGE_ID"),
                                                creative.view)))
        video = story.get("video_data")
        if video is not None and not get(story, "video_data", "video_id"):
            yield report(C010, creative, "/object_story_spec/video_data",
                         "video_data has no video_id")
        # At the video's id: in a .adflow file, the `video` line.
        at_video = "/object_story_spec/video_data" + (
            "/video_id" if isinstance(video, dict) and "video_id" in video else "")
        if isinstance(video, dict) and not any(video.get(k) for k in VIDEO_THUMBNAIL_KEYS):
            yield report(C010, creative, at_video,
                         "video_data has no thumbnail: Meta answers \"Please specify one of "
                         "image_hash or image_url in the video_data field\" (error 1443226)",
                         help=advice(
                             document, dsl='add a thumbnail: video ID thumbnail "https://..." '
                                           '(video_data.image_url)',
                             json=added(nest(["object_story_spec", "video_data",
                                              VIDEO_OPTIONS["thumbnail"]], "https://..."),
                                        creative.view)))
        feed_videos = get(creative.view, "asset_feed_spec", "videos")
        if video is not None and isinstance(feed_videos, list) and feed_videos:
            yield report(C010, creative, at_video,
                         "the video is in asset_feed_spec.videos and in object_story_spec."
                         "video_data: Meta answers \"object_story_spec ill formed\" (error "
                         "1443048)",
                         help="with asset_feed_spec media, object_story_spec keeps page_id "
                              "(and instagram_user_id) only: remove video_data")
        link = story.get("link_data")
        if isinstance(link, dict) and not elsewhere and \
                not any(link.get(k) for k in LINK_DATA_MEDIA_KEYS):
            yield report(C010, creative, "/object_story_spec/link_data",
                         "link_data has no image: Meta answers \"Please specify the media to run "
                         "with this ad\"",
                         help=advice(document, dsl='add image hash "..." (or image url "...")',
                                     json=f'add {as_json(IMAGE_OPTIONS["hash"])}: "..." (or '
                                          f'{as_json(IMAGE_OPTIONS["url"])}: "https://...") to '
                                          "object_story_spec.link_data"))


@rule("C011", "instagram-account", ERROR,
      "instagram_actor_id (dead); an Instagram destination without instagram_user_id",
      evidence=("Graph API v22.0 changelog: instagram_actor_id replaced by instagram_user_id, "
                "gone from every version on 9 Sep 2025 " + changelog("v22.0"),
                CTIG_GUIDE))
def C011(document: Document) -> Iterator[Diagnostic]:
    """instagram_actor_id stopped working in every API version on
    9 Sep 2025: use instagram_user_id. Ads that open Instagram Direct need
    the Instagram account.

    Bad (objects):
        page acme 111222333444
        creative ig {
          page acme
          image url "https://acme.example/a.jpg"
          call_to_action INSTAGRAM_MESSAGE -> INSTAGRAM_DIRECT
        }

    Good (objects):
        page acme 111222333444
        instagram acme_ig 17841400000000001
        creative ig {
          page acme
          instagram acme_ig
          image url "https://acme.example/a.jpg"
          call_to_action INSTAGRAM_MESSAGE -> INSTAGRAM_DIRECT
        }
    """
    for creative in document.of_kind("creative"):
        for ptr, _ in _keys(creative.view, "instagram_actor_id"):
            yield report(C011, creative, ptr, "instagram_actor_id no longer works in any API "
                         "version (since 9 Sep 2025)",
                         help=advice(document, dsl="use instagram_user_id",
                                     json='rename "instagram_actor_id" to "instagram_user_id"'),
                         fix=rename_key(document.source, creative.span_at(ptr),
                                        "instagram_actor_id", "instagram_user_id"))
        cta = call_to_action(creative)
        opens_ig = bool(cta and get(cta[1], "value", "app_destination") == "INSTAGRAM_DIRECT")
        opens_ig = opens_ig or any(
            c is creative and a.view.get("destination_type") == "INSTAGRAM_DIRECT"
            for _, a, c in pairs(document))
        has_user = creative.view.get("instagram_user_id") or get(
            creative.view, "object_story_spec", "instagram_user_id")
        if opens_ig and not has_user:
            yield report(C011, creative, "", f"creative '{creative.name}' opens Instagram Direct "
                         "but names no Instagram account",
                         help=advice(document, dsl="add instagram NAME",
                                     json=added(_instagram_account(creative), creative.view)))


def _instagram_account(creative: Request) -> dict[str, Any]:
    """Where a creative names its Instagram account: in object_story_spec,
    or beside the post it is made from."""
    post = creative.view.keys() & set(POST_KEYS)
    if post and "object_story_spec" not in creative.view:
        return {BESIDE_POST["instagram"]: "INSTAGRAM_USER_ID"}
    return body_member("creative", "instagram", "INSTAGRAM_USER_ID")


def _keys(value: Any, wanted: str, ptr: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{ptr}/{key}"
            if key == wanted:
                yield here, item
            yield from _keys(item, wanted, here)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _keys(item, wanted, f"{ptr}/{i}")


@rule("C012", "product-extensions", ERROR,
      "product extensions missing the product set, the opt-in or product data",
      evidence=(CTM_GUIDE,))
def C012(document: Document) -> Iterator[Diagnostic]:
    """Product extensions need all three: the opt-in
    (creative_features_spec.product_extensions), the product set
    (creative_sourcing_spec.associated_product_set_id) and product_data.

    Bad (objects):
        page acme 111222333444
        creative shop {
          page acme
          image hash "abc123"
          product_extensions {
            products [111, 222]
          }
        }

    Good (objects):
        page acme 111222333444
        creative shop {
          page acme
          image hash "abc123"
          product_extensions {
            product_set 555666777
            products [111, 222]
          }
        }
    """
    for creative in document.of_kind("creative"):
        body = creative.view
        opted = get(body, "degrees_of_freedom_spec", "creative_features_spec",
                    "product_extensions", "enroll_status") == "OPT_IN"
        product_set = get(body, "creative_sourcing_spec", "associated_product_set_id")
        data = body.get("product_data") or get(body, "object_story_spec", "product_data")
        if not (opted or product_set or data):
            continue
        where = "/degrees_of_freedom_spec/creative_features_spec/product_extensions"
        for missing, present in (("the opt-in (enroll_status OPT_IN)", opted),
                                 ("the product set", product_set), ("product data", data)):
            if not present:
                yield report(C012, creative, where if opted else "",
                             f"product extensions without {missing}")


@rule("C013", "existing-post-messaging", WARNING,
      "object_story_id with a Messenger call to action (the CTM guide says unsupported)")
def C013(document: Document) -> Iterator[Diagnostic]:
    """Meta's Click-to-Messenger guide says ads built from an existing post
    (object_story_id) are not supported, though its product-extension section
    uses them: a warning.

    Bad (objects):
        creative from_post {
          post "111222333444_555"
          call_to_action MESSAGE_PAGE -> MESSENGER
        }

    Good (objects on acme):
        creative image {
          page acme
          image hash "abc123"
          call_to_action MESSAGE_PAGE -> MESSENGER
        }
    """
    for creative in document.of_kind("creative"):
        cta = call_to_action(creative)
        if "object_story_id" in creative.view and cta and (
                get(cta[1], "value", "app_destination") == "MESSENGER"
                or get(cta[1], "type") == "MESSAGE_PAGE"):
            yield report(C013, creative, "/object_story_id",
                         "Click-to-Messenger ads from an existing post are unsupported "
                         "according to Meta's guide")


@rule("C014", "unused-lead-form", WARNING,
      "a lead form no creative in the file welcomes people with")
def C014(document: Document) -> Iterator[Diagnostic]:
    """A Messenger lead form reaches people only through a creative whose
    welcome message names it (ctm_lead_gen_template_id). In a file that
    builds creatives, a lead form none of them uses is created for nothing,
    and Meta lets no one delete it: usually a creative points at the wrong
    form. (A file of lead forms alone is fine: their ids are used later.)

    Bad (objects):
        page acme 111222333444
        lead_form quote on acme {
          template_name "Quote"
          privacy_url "https://acme.example/privacy"
          reminder "Still there?"
          intro "Hi!" -> thanks
          confirmation thanks "Thanks!"
        }
        creative image {
          page acme
          image hash "abc123"
          call_to_action MESSAGE_PAGE -> MESSENGER
          welcome text "Hi {{user_first_name}}!"
        }

    Good (objects):
        page acme 111222333444
        lead_form quote on acme {
          template_name "Quote"
          privacy_url "https://acme.example/privacy"
          reminder "Still there?"
          intro "Hi!" -> thanks
          confirmation thanks "Thanks!"
        }
        creative image {
          page acme
          image hash "abc123"
          call_to_action MESSAGE_PAGE -> MESSENGER
          welcome lead_form quote
        }
    """
    creatives = list(document.of_kind("creative"))
    if not creatives:
        return
    used = {id(document.resolve(lead_form_id(c))) for c in creatives}
    for form in document.of_kind("lead_form"):
        if id(form) not in used:
            yield report(C014, form, "", f"no creative in this file uses lead form '{form.name}'",
                         help="welcome people with it in a creative (" + advice(
                             document, dsl="welcome lead_form NAME",
                             json='its id as "ctm_lead_gen_template_id" in '
                                  '"page_welcome_message"')
                         + "), or create it in a file of its own")


@rule("C015", "whatsapp-button-link", ERROR,
      "a link inside the value of a WHATSAPP_MESSAGE call to action",
      evidence=("Graph API error 105/1815630: a link in the value of a WHATSAPP_MESSAGE "
                "call to action is refused", CTWA_GUIDE))
def C015(document: Document) -> Iterator[Diagnostic]:
    """A WHATSAPP_MESSAGE button opens the WhatsApp number linked to the
    Page: it takes no link (Meta answers code 105, subcode 1815630, on video
    ads too). An image ad's own link stays in link_data.link. (A creative
    from an existing Instagram post is the exception Meta's Click-to-WhatsApp
    page shows: its top-level button carries value.link.)

    Bad (JSON file):
        {"name": "x", "object_story_spec": {"page_id": "1", "video_data": {
          "video_id": "2", "image_url": "https://acme.example/t.jpg",
          "call_to_action": {"type": "WHATSAPP_MESSAGE",
                             "value": {"link": "https://wa.me/15551234567"}}}}}

    Good (JSON file):
        {"name": "x", "object_story_spec": {"page_id": "1", "video_data": {
          "video_id": "2", "image_url": "https://acme.example/t.jpg",
          "call_to_action": {"type": "WHATSAPP_MESSAGE"}}}}
    """
    for creative in document.of_kind("creative"):
        found = call_to_action(creative)
        if "source_instagram_media_id" in creative.view:
            continue
        if found and enum(get(found[1], "type")) == "WHATSAPP_MESSAGE" and \
                get(found[1], "value", "link") is not None:
            yield report(C015, creative, found[0] + "/value/link",
                         "a WHATSAPP_MESSAGE button takes no link: Meta refuses it "
                         "(error 105/1815630)",
                         help="remove the link; the button opens the Page's WhatsApp number")


@rule("C016", "carousel-card-button", ERROR,
      "a click-to-message carousel card without its own call to action",
      evidence=(CTM_GUIDE,))
def C016(document: Document) -> Iterator[Diagnostic]:
    """In a click-to-message carousel (link_data.child_attachments), every
    card carries its own call_to_action with the app destination, as Meta's
    Click-to-Messenger guide builds them: a card without one is refused.

    Bad (JSON file):
        {"name": "x", "object_story_spec": {"page_id": "1", "link_data": {
          "link": "https://acme.example/",
          "call_to_action": {"type": "MESSAGE_PAGE", "value": {"app_destination": "MESSENGER"}},
          "child_attachments": [
            {"name": "A", "picture": "https://acme.example/a.jpg", "link": "https://acme.example/a"},
            {"name": "B", "picture": "https://acme.example/b.jpg", "link": "https://acme.example/b"}]}}}

    Good (JSON file):
        {"name": "x", "object_story_spec": {"page_id": "1", "link_data": {
          "link": "https://acme.example/",
          "call_to_action": {"type": "MESSAGE_PAGE", "value": {"app_destination": "MESSENGER"}},
          "child_attachments": [
            {"name": "A", "picture": "https://acme.example/a.jpg", "link": "https://acme.example/a",
             "call_to_action": {"type": "MESSAGE_PAGE", "value": {"app_destination": "MESSENGER"}}},
            {"name": "B", "picture": "https://acme.example/b.jpg", "link": "https://acme.example/b",
             "call_to_action": {"type": "MESSAGE_PAGE",
                                "value": {"app_destination": "MESSENGER"}}}]}}}
    """  # noqa: E501 (a card on one line)
    for creative in document.of_kind("creative"):
        found = media(creative)
        cta = call_to_action(creative)
        cards = found[1].get("child_attachments") if found else None
        if not (found and isinstance(cards, list) and cta
                and enum(get(cta[1], "type")) in MESSAGING_BUTTONS):
            continue
        for i, card in enumerate(cards):
            if isinstance(card, dict) and "call_to_action" not in card:
                yield report(C016, creative, f"{found[0]}/child_attachments/{i}",
                             f"carousel card {i + 1} has no call to action of its own",
                             help=advice(document,
                                         dsl=f"give it the carousel's button: "
                                             f"{get(cta[1], 'type')} with its app_destination",
                                         json=added({"call_to_action": cta[1]})
                                         + " (the carousel's button)"))


def _names_key(value: Any, key: str) -> bool:
    """Whether `key` is set anywhere in a body (JSON text already decoded)."""
    if isinstance(value, dict):
        return bool(value.get(key)) or any(_names_key(v, key) for v in value.values())
    if isinstance(value, list):
        return any(_names_key(v, key) for v in value)
    return False


@rule("C020", "lead-ad-form", ERROR,
      "an Instant Form lead ad (ON_AD) whose creative names no lead form",
      evidence=("Graph API error 100/3390001 (Missing Lead Form) when the ad is created, as "
                "public integrations quote it", LEAD_ADS_CREATE_PAGE))
def C020(document: Document) -> Iterator[Diagnostic]:
    """An ad in an Instant Form lead ad set (destination_type ON_AD,
    LEAD_GENERATION or QUALITY_LEAD) needs a creative that names its form:
    call_to_action.value.lead_gen_form_id, or in asset_feed_spec the
    call_to_actions objects that carry it (call_to_action_types, a list of
    types, cannot). Without one Meta refuses the ad (error 100/3390001,
    Missing Lead Form). A creative made from an existing post is not judged.

    Bad (JSON file):
        {"format": "adflow.plan/1", "api_version": "v25.0", "requests": [
          {"key": "adset.us", "method": "POST", "path": "act_1234567890/adsets",
           "body": {"name": "us", "campaign_id": "1202", "daily_budget": 4000,
                    "billing_event": "IMPRESSIONS", "optimization_goal": "LEAD_GENERATION",
                    "destination_type": "ON_AD", "promoted_object": {"page_id": "111222333444"},
                    "targeting": {"geo_locations": {"countries": ["US"]}}}},
          {"key": "creative.quote", "method": "POST", "path": "act_1234567890/adcreatives",
           "body": {"name": "quote", "object_story_spec": {"page_id": "111222333444",
                    "link_data": {"image_hash": "abc123", "link": "https://acme.example/",
                                  "call_to_action": {"type": "SIGN_UP"}}}}},
          {"key": "ad.us", "method": "POST", "path": "act_1234567890/ads",
           "body": {"name": "us", "adset_id": {"$ref": "adset.us"},
                    "creative": {"creative_id": {"$ref": "creative.quote"}}}}]}

    Good (JSON file):
        {"format": "adflow.plan/1", "api_version": "v25.0", "requests": [
          {"key": "adset.us", "method": "POST", "path": "act_1234567890/adsets",
           "body": {"name": "us", "campaign_id": "1202", "daily_budget": 4000,
                    "billing_event": "IMPRESSIONS", "optimization_goal": "LEAD_GENERATION",
                    "destination_type": "ON_AD", "promoted_object": {"page_id": "111222333444"},
                    "targeting": {"geo_locations": {"countries": ["US"]}}}},
          {"key": "creative.quote", "method": "POST", "path": "act_1234567890/adcreatives",
           "body": {"name": "quote", "object_story_spec": {"page_id": "111222333444",
                    "link_data": {"image_hash": "abc123", "link": "https://acme.example/",
                                  "call_to_action": {"type": "SIGN_UP",
                                                     "value": {"lead_gen_form_id": "556677"}}}}}},
          {"key": "ad.us", "method": "POST", "path": "act_1234567890/ads",
           "body": {"name": "us", "adset_id": {"$ref": "adset.us"},
                    "creative": {"creative_id": {"$ref": "creative.quote"}}}}]}
    """
    for ad, adset, creative in pairs(document):
        goal = enum(adset.view.get("optimization_goal"))
        destination = enum(adset.view.get("destination_type"))
        if goal not in LEAD_GOALS or destination != INSTANT_FORM_DESTINATION:
            continue
        if creative.view.keys() & set(POST_KEYS) \
                or _names_key(creative.view, "lead_gen_form_id") or lead_form_id(creative):
            continue
        found = call_to_action(creative)
        where = found[0] if found else "/asset_feed_spec/call_to_action_types" \
            if get(creative.view, "asset_feed_spec", "call_to_action_types") else ""
        yield report(C020, creative, where,
                     f"ad '{ad.name}' is an Instant Form lead ad (ad set '{adset.name}', ON_AD), "
                     f"but creative '{creative.name}' names no lead form: Meta refuses the ad "
                     "(error 100/3390001, Missing Lead Form)",
                     notes=[_note(adset, "/destination_type", "the Instant Form ad set")],
                     help="name the form: " + advice(
                         document, dsl='call_to_action.value {"lead_gen_form_id": "FORM_ID"} '
                                       "(in asset_feed_spec: call_to_actions, not "
                                       "call_to_action_types)",
                         json=(added(nest([*_path(found[0]), "value", "lead_gen_form_id"],
                                          "FORM_ID"), creative.view) if found else
                               'add "lead_gen_form_id": "FORM_ID" to the call to action\'s '
                               '"value"')
                         + ' (in "asset_feed_spec": "call_to_actions", not '
                           '"call_to_action_types")'))


RULES = [C001, C002, C003, C004, C005, C006, C007, C008, C009, C010, C011, C012, C013, C014,
         C015, C016, C020]
