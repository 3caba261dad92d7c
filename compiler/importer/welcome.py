"""`welcome ...` as DSL: a page_welcome_message in one of the shapes the
language writes (bodies/welcome.py builds them), or a partner-app flow."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..bodies.fields import SUBSCRIBE_BUTTON, SUBSCRIBE_ELEMENT
from .block import Block, Refs
from .text import dsl_string


def write_welcome(refs: Refs, obj: Block, media: str) -> None:
    data = obj.rest["object_story_spec"].get(media)
    if isinstance(data, dict) and "page_welcome_message" in data:
        line = welcome_line(refs, data["page_welcome_message"])
        if line is not None:
            obj.lines.append(line)
            del data["page_welcome_message"]
            return  # a creative has one welcome
    flow = obj.peek("asset_feed_spec", "additional_data", "partner_app_welcome_message_flow_id")
    if isinstance(flow, str):
        obj.lines.append(f"welcome partner_flow {dsl_string(flow)}")
        obj.drop("asset_feed_spec", "additional_data", "partner_app_welcome_message_flow_id")


def welcome_line(refs: Refs, value: Any) -> str | None:
    """The `welcome` member for a page_welcome_message, when its shape is one
    the language writes; a shape that only looks like one is caught by the
    compile-and-compare round and written raw."""
    if isinstance(value, str):
        return f"welcome text {dsl_string(value)}"
    if not (isinstance(value, dict) and set(value) == {"$json"}):
        return None
    shown = value["$json"]
    try:
        for form, writer in FORMS.items():
            body = writer(refs, shown)
            if body is not None:
                return f"welcome {form} {body}".rstrip()
    except (KeyError, TypeError, IndexError, AttributeError):
        return None
    return None


def _welcome_lead_form(refs: Refs, shown: Any) -> str | None:
    if isinstance(shown, dict) and set(shown) == {"ctm_lead_gen_template_id"}:
        return refs.ref_text(shown["ctm_lead_gen_template_id"], ("lead_form",))
    return None


def _arrow_block(pairs: list[tuple[str, str]]) -> str:
    return "{\n" + "\n".join(f"{dsl_string(a)} => {dsl_string(b)}" for a, b in pairs) + "\n}"


def _welcome_ice_breakers(refs: Refs, shown: Any) -> str | None:
    if not isinstance(shown, dict) or shown.get("text_format", {}).get(
            "customer_action_type") != "ice_breakers":
        return None
    message = shown["text_format"]["message"]
    pairs = [(b["title"], b["response"]) for b in message["ice_breakers"]]
    return dsl_string(message["text"]) + " " + _arrow_block(pairs)


def _welcome_subscribe(refs: Refs, shown: Any) -> str | None:
    if not isinstance(shown, dict) or shown.get("landing_screen_type") != "marketing_messages":
        return None
    message = shown["image_format"]["message"]
    element = message["attachment"]["payload"]["elements"][0]
    lines = [f"{word} {dsl_string(element[key])}" for word, key in SUBSCRIBE_ELEMENT.items()
             if key in element]
    for button in element.get("buttons", [])[:1]:
        lines += [f"{word} {dsl_string(button[key])}" for word, key in SUBSCRIBE_BUTTON.items()
                  if key in button]
    return dsl_string(message["text"]) + " {\n" + "\n".join(lines) + "\n}"


def _welcome_call_prompt(refs: Refs, shown: Any) -> str | None:
    if not (isinstance(shown, list) and len(shown) == 1 and isinstance(shown[0], dict)
            and shown[0].get("landing_screen_type") == "call_prompt"):
        return None
    message = shown[0]["text_format"]["message"]
    text = dsl_string(message["text"])
    if "call_prompt_data" in message:
        text += " prompt " + dsl_string(message["call_prompt_data"]["call_prompt_message"])
    return text


def _welcome_templates(refs: Refs, shown: Any) -> str | None:
    if not (isinstance(shown, list) and shown and all(
            isinstance(m, dict) and set(m) == {"message"} for m in shown)):
        return None
    lines = []
    for item in shown:
        message = item["message"]
        line = "message " + dsl_string(message["text"])
        if "quick_replies" in message:
            line += " quick_replies " + _arrow_block(
                [(q["title"], q["payload"]) for q in message["quick_replies"]])
        lines.append(line)
    return "{\n" + "\n".join(lines) + "\n}"


def _whatsapp_message(shown: Any, landing: str, action: str | None) -> Any:
    if not (isinstance(shown, dict) and shown.get("landing_screen_type") == landing
            and shown["text_format"].get("customer_action_type") == action):
        return None
    return shown["text_format"]["message"]


def _welcome_autofill_message(refs: Refs, shown: Any) -> str | None:
    message = _whatsapp_message(shown, "welcome_message", "autofill_message")
    if message is None:
        return None
    prefill = dsl_string(message["autofill_message"]["content"])
    text = f'{dsl_string(message["text"])} prefill {prefill}'
    cta = message.get("automated_greeting_message_cta")
    if cta is not None:
        text += f' button {cta["type"]}' + (f' {dsl_string(cta["url"])}' if "url" in cta else "")
    return text


def _welcome_whatsapp_flow(refs: Refs, shown: Any) -> str | None:
    message = _whatsapp_message(shown, "ctwa_flows", "whatsapp_flow")
    if message is None:
        return None
    data = message["automated_greeting_message_cta"]["flow_data"]
    return (f'{dsl_string(message["text"])} flow {dsl_string(data["flow_id"])} '
            f'button {dsl_string(data["call_to_action"])} '
            f'prefill {dsl_string(message["autofill_message"]["content"])}')


def _welcome_ctwa_call_prompt(refs: Refs, shown: Any) -> str | None:
    message = _whatsapp_message(shown, "ctwa_call_prompt", None)
    if message is None:
        return None
    return (f'{dsl_string(message["text"])} prompt '
            f'{dsl_string(message["call_prompt_data"]["call_prompt_message"])}')


FORMS: dict[str, Callable[[Refs, Any], str | None]] = {
    "autofill_message": _welcome_autofill_message,
    "whatsapp_flow": _welcome_whatsapp_flow,
    "ctwa_call_prompt": _welcome_ctwa_call_prompt,
    "lead_form": _welcome_lead_form,
    "ice_breakers": _welcome_ice_breakers,
    "subscribe": _welcome_subscribe,
    "call_prompt": _welcome_call_prompt,
    "templates": _welcome_templates,
}
