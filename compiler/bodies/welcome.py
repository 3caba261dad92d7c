"""`welcome ...` in a creative: the message a person gets after the click.

Plain text is sent as a string; every structured form is sent as JSON text
inside `page_welcome_message` (the `$json` marker), in the shapes of
Meta's Click-to-Messenger guide
(https://developers.facebook.com/docs/marketing-api/ad-creative/messaging-ads/click-to-messenger).
"""

from __future__ import annotations

from ..front import ast
from ..front.source import Span
from ..rules.syntax import S006, S007
from .fields import SUBSCRIBE_BUTTON, SUBSCRIBE_ELEMENT, WHATSAPP_GREETING_BUTTONS
from .fields import WELCOME_FORMS as FORMS
from .readers import Body, Ctx, Path, head_text, word

TYPE_CHECKING = False  # typing is for mypy alone: importing it costs a quick check 4 ms
if TYPE_CHECKING:
    from typing import Any

    from .readers import Resolving


def build_welcome(r: Resolving, m: ast.Member, body: Body, ctx: Ctx, data: Path) -> None:
    items = list(m.args)
    form = word(items[0]) if items and isinstance(items[0], ast.Ident) else None
    if form not in FORMS:
        where = items[0].span if items else m.span
        r.error(S007, where, "welcome takes a form: " + ", ".join(FORMS),
                help='e.g. welcome text "Hi {{user_first_name}}!"')
        return
    rest = items[1:]
    if form == "partner_flow":
        got = _one_string(r, rest, m, "partner_flow takes the flow id as a string")
        if got:
            body.set(("asset_feed_spec", "additional_data", "partner_app_welcome_message_flow_id"),
                     got.value, got.span)
        return
    if not data:
        r.error(S007, m.head.span, "a creative from an existing post has no welcome message")
        return
    path = data + ("page_welcome_message",)
    inner = path + ("$json",)
    if form == "text":
        got = _one_string(r, rest, m, 'welcome text takes the greeting: welcome text "Hi!"')
        if got:
            body.set(path, got.value, got.span)
        return
    if form == "lead_form":
        if len(rest) != 1 or isinstance(rest[0], (ast.Arrow, ast.Pair, ast.ListValue)):
            r.error(S007, m.span, "welcome lead_form takes the lead form's name")
            return
        target = r.ref(rest[0], ("lead_form",))
        if target is not None:
            body.set(path, {"$json": {"ctm_lead_gen_template_id": target}}, m.span)
            body.note(inner + ("ctm_lead_gen_template_id",), rest[0].span)
        return
    value = BUILDERS[form](r, m, rest, body, inner)
    if value is not None:
        body.set(path, {"$json": value}, m.span)


def _one_string(r: Resolving, rest: list[ast.Arg], m: ast.Member, problem: str) -> ast.Str | None:
    if len(rest) != 1 or not isinstance(rest[0], ast.Str):
        r.error(S007, rest[1].span if len(rest) > 1 else m.span, problem)
        return None
    return rest[0]


def _pairs(r: Resolving, block: ast.Block | None, m: ast.Member,
           what: str) -> list[tuple[ast.Str, ast.Str]]:
    """`"left" => "right"` entries, one or several to a line."""
    if block is None:
        r.error(S007, m.span, f"{what} go in a block: {{ \"...\" => \"...\" }}")
        return []
    out: list[tuple[ast.Str, ast.Str]] = []
    for member in block.members:
        if isinstance(member, ast.Raw):
            r.error(S007, member.span, f"{what} are written \"...\" => \"...\"")
            continue
        tokens: list[ast.Arg | ast.Str | ast.Ident] = [member.head, *member.args]
        i = 0
        while i < len(tokens):
            left = tokens[i]
            right = tokens[i + 1] if i + 1 < len(tokens) else None
            if (isinstance(left, ast.Str) and isinstance(right, ast.Pair)
                    and isinstance(right.value, ast.Str)):
                out.append((left, right.value))
                i += 2
                continue
            r.error(S007, left.span, f"{what} are written \"...\" => \"...\"")
            break
    return out


def _ice_breakers(r: Resolving, m: ast.Member, rest: list[ast.Arg], body: Body,
                  inner: Path) -> Any:
    text = _one_string(r, rest, m, 'welcome ice_breakers takes the greeting, '
                                   'then { "question" => "answer" }')
    message: Path = inner + ("text_format", "message")
    breakers = []
    for index, (title, response) in enumerate(_pairs(r, m.block, m, "ice breakers")):
        breakers.append({"title": title.value, "response": response.value})
        body.note(message + ("ice_breakers", index, "title"), title.span)
        body.note(message + ("ice_breakers", index, "response"), response.span)
    if m.block is not None:
        body.note(message + ("ice_breakers",), m.block.span)
    if text is None:
        return None
    body.note(message + ("text",), text.span)
    return {
        "type": "VISUAL_EDITOR", "version": 2, "landing_screen_type": "welcome_message",
        "media_type": "text",
        "text_format": {"customer_action_type": "ice_breakers",
                        "message": {"text": text.value, "ice_breakers": breakers,
                                    "quick_replies": []}},
        "user_edit": False, "surface": "visual_editor_new",
    }


SUBSCRIBE_WORDS = (*SUBSCRIBE_ELEMENT, *SUBSCRIBE_BUTTON)


def _subscribe(r: Resolving, m: ast.Member, rest: list[ast.Arg], body: Body, inner: Path) -> Any:
    text = _one_string(r, rest, m, 'welcome subscribe takes the greeting, then a block')
    element: dict[str, Any] = {}
    spans: dict[str, Span] = {}
    if m.block is None:
        r.error(S007, m.span, "welcome subscribe needs a block: { title ... app ... button ... }")
    else:
        for member in m.block.members:
            if isinstance(member, ast.Raw):
                r.error(S007, member.span, "write subscribe fields as `title \"...\"`")
                continue
            tokens = [member.head, *member.args]
            for i in range(0, len(tokens), 2):
                key = tokens[i]
                value = tokens[i + 1] if i + 1 < len(tokens) else None
                name = word(key) if isinstance(key, ast.Ident) else None
                if name not in SUBSCRIBE_WORDS:
                    r.error(S006, key.span, f"unknown subscribe field '{word(key) or ''}'",
                            help="subscribe fields: " + ", ".join(SUBSCRIBE_WORDS))
                    break
                if not isinstance(value, (ast.Str, ast.Num)):
                    r.error(S007, key.span, f"'{name}' takes a value")
                    break
                element[name] = value.value if isinstance(value, ast.Str) else value.text
                spans[name] = value.span
    if text is None:
        return None
    message: Path = inner + ("image_format", "message")
    payload: Path = message + ("attachment", "payload")
    out_element: dict[str, Any] = {}
    for name, element_key in SUBSCRIBE_ELEMENT.items():
        if name in element:
            out_element[element_key] = element[name]
            body.note(payload + ("elements", 0, element_key), spans[name])
    if any(name in element for name in SUBSCRIBE_BUTTON):
        button = {"type": "postback"}
        for name in ("payload", "button"):  # the order plans have always sent them in
            if name in element:
                button[SUBSCRIBE_BUTTON[name]] = element[name]
                body.note(payload + ("elements", 0, "buttons", 0, SUBSCRIBE_BUTTON[name]),
                          spans[name])
        out_element["buttons"] = [button]
    body.note(message + ("text",), text.span)
    if m.block is not None:
        body.note(payload, m.block.span)
    return {
        "landing_screen_type": "marketing_messages", "media_type": "image",
        "image_format": {"customer_action_type": "buttons", "message": {
            "text": text.value,
            "attachment": {"type": "template", "payload": {
                "template_type": "notification_messages", "elements": [out_element]}}}},
    }


def _call_prompt(r: Resolving, m: ast.Member, rest: list[ast.Arg], body: Body, inner: Path) -> Any:
    """`welcome call_prompt "text" prompt "call prompt message"`"""
    text = rest[0] if rest and isinstance(rest[0], ast.Str) else None
    prompt = None
    if len(rest) == 3 and word(rest[1]) == "prompt" and isinstance(rest[2], ast.Str):
        prompt = rest[2]
    elif len(rest) != 1 or text is None:
        r.error(S007, m.span, 'write: welcome call_prompt "Welcome!" prompt "Call us to book."')
        return None
    message: Path = inner + (0, "text_format", "message")
    assert text is not None
    body.note(message + ("text",), text.span)
    out: dict[str, Any] = {"text": text.value}
    if prompt is not None:
        out["call_prompt_data"] = {"call_prompt_message": prompt.value}
        body.note(message + ("call_prompt_data", "call_prompt_message"), prompt.span)
    return [{"landing_screen_type": "call_prompt", "media_type": "text",
             "text_format": {"message": out}}]


def _templates(r: Resolving, m: ast.Member, rest: list[ast.Arg], body: Body, inner: Path) -> Any:
    """`welcome templates { message "text" [quick_replies { "title" => "payload" }] ... }`"""
    if rest or m.block is None:
        r.error(S007, m.span, 'write: welcome templates { message "Which service?" '
                              'quick_replies { "Repair" => "REPAIR" } }')
        return None
    series: list[dict[str, Any]] = []
    for member in m.block.members:
        if isinstance(member, ast.Raw) or head_text(member) != "message":
            head = member.name if isinstance(member, ast.Raw) else member.head
            r.error(S006, head.span, "a template series holds `message` lines")
            continue
        args = list(member.args)
        if not args or not isinstance(args[0], ast.Str):
            r.error(S007, member.span, 'message takes its text: message "Which service?"')
            continue
        text = args.pop(0)
        assert isinstance(text, ast.Str)
        index = len(series)
        base: Path = inner + (index, "message")
        message: dict[str, Any] = {"text": text.value}
        body.note(base, member.span)
        body.note(base + ("text",), text.span)
        if args or member.block is not None:
            if len(args) != 1 or word(args[0]) != "quick_replies":
                r.error(S007, (args[0].span if args else member.span),
                        "after the text only `quick_replies { ... }` may follow")
            else:
                replies = []
                pairs = _pairs(r, member.block, member, "quick replies")
                for j, (title, payload) in enumerate(pairs):
                    replies.append({"content_type": "text", "title": title.value,
                                    "payload": payload.value})
                    body.note(base + ("quick_replies", j, "title"), title.span)
                    body.note(base + ("quick_replies", j, "payload"), payload.span)
                if member.block is not None:
                    body.note(base + ("quick_replies",), member.block.span)
                message["quick_replies"] = replies
        series.append({"message": message})
    return series


def _options(r: Resolving, m: ast.Member, rest: list[ast.Arg],
             words: dict[str, bool]) -> dict[str, ast.Str | ast.Ident] | None:
    """`word value` pairs after a welcome's greeting; `words` says which are
    allowed and whether each is required. None after an error."""
    found: dict[str, ast.Str | ast.Ident] = {}
    i = 0
    while i < len(rest):
        key, value = rest[i], rest[i + 1] if i + 1 < len(rest) else None
        name = word(key) if isinstance(key, ast.Ident) else None
        if name not in words:
            r.error(S006, key.span, f"unknown option '{name or ''}' of welcome {word(m.args[0])}",
                    help="options: " + ", ".join(words))
            return None
        if not isinstance(value, (ast.Str, ast.Ident)):
            r.error(S007, key.span, f"'{name}' takes a value")
            return None
        found[name] = value
        i += 2
        # `button url "https://..."`: a url button carries its address.
        if name == "button" and word(value) == "url" and i < len(rest) and \
                isinstance(rest[i], ast.Str):
            found["url"] = rest[i]  # type: ignore[assignment]
            i += 1
    missing = [w for w, required in words.items() if required and w not in found]
    if missing:
        r.error(S007, m.span, f"welcome {word(m.args[0])} needs {' and '.join(missing)}")
        return None
    return found


def _whatsapp_greeting(r: Resolving, m: ast.Member, rest: list[ast.Arg], what: str,
                       words: dict[str, bool]) -> tuple[ast.Str, dict[str, Any]] | None:
    """The greeting text and the options of a Click-to-WhatsApp welcome."""
    if not rest or not isinstance(rest[0], ast.Str):
        r.error(S007, m.span, f"welcome {what} takes the greeting first: "
                              f'welcome {what} "Hi! How can we help?" ...')
        return None
    options = _options(r, m, rest[1:], words)
    return None if options is None else (rest[0], options)


def _autofill_message(r: Resolving, m: ast.Member, rest: list[ast.Arg], body: Body,
                      inner: Path) -> Any:
    """`welcome autofill_message "greeting" prefill "message" [button call|catalog|url "U"]`:
    the automated greeting of a Click-to-WhatsApp ad and the message put in
    the person's text box (Meta's CTWA page)."""
    got = _whatsapp_greeting(r, m, rest, "autofill_message",
                             {"prefill": True, "button": False})
    if got is None:
        return None
    text, options = got
    message: Path = inner + ("text_format", "message")
    out: dict[str, Any] = {"text": text.value}
    body.note(message + ("text",), text.span)
    button = options.get("button")
    if button is not None:
        kind = word(button)
        if kind not in WHATSAPP_GREETING_BUTTONS:
            r.error(S007, button.span, f"the greeting's button is one of "
                                       f"{', '.join(WHATSAPP_GREETING_BUTTONS)}")
            return None
        cta: dict[str, Any] = {"type": kind}
        url = options.get("url")
        if kind == "url" and url is None:
            r.error(S007, button.span, 'a url button takes its address: button url "https://..."')
            return None
        if isinstance(url, ast.Str):
            cta["url"] = url.value
            body.note(message + ("automated_greeting_message_cta", "url"), url.span)
        out["automated_greeting_message_cta"] = cta
        body.note(message + ("automated_greeting_message_cta",), button.span)
    prefill = options["prefill"]
    out["autofill_message"] = {"content": word(prefill)}
    body.note(message + ("autofill_message", "content"), prefill.span)
    return {"type": "VISUAL_EDITOR", "version": 2, "landing_screen_type": "welcome_message",
            "media_type": "text",
            "text_format": {"customer_action_type": "autofill_message", "message": out}}


def _whatsapp_flow(r: Resolving, m: ast.Member, rest: list[ast.Arg], body: Body,
                   inner: Path) -> Any:
    """`welcome whatsapp_flow "greeting" flow "FLOW_ID" button "Apply now" prefill "..."`:
    the greeting opens a WhatsApp Flow (Meta's CTWA page, landing screen ctwa_flows)."""
    got = _whatsapp_greeting(r, m, rest, "whatsapp_flow",
                             {"flow": True, "button": True, "prefill": True})
    if got is None:
        return None
    text, options = got
    message: Path = inner + ("text_format", "message")
    data: Path = message + ("automated_greeting_message_cta", "flow_data")
    values = {k: word(v) for k, v in options.items()}
    body.note(message + ("text",), text.span)
    body.note(data + ("flow_id",), options["flow"].span)
    body.note(data + ("call_to_action",), options["button"].span)
    body.note(message + ("autofill_message", "content"), options["prefill"].span)
    return {"type": "VISUAL_EDITOR", "version": 2, "landing_screen_type": "ctwa_flows",
            "media_type": "text",
            "text_format": {"customer_action_type": "whatsapp_flow", "message": {
                "text": text.value,
                "automated_greeting_message_cta": {"type": "flow", "flow_data": {
                    "call_to_action": values["button"], "flow_id": values["flow"]}},
                "autofill_message": {"content": values["prefill"]}}}}


def _ctwa_call_prompt(r: Resolving, m: ast.Member, rest: list[ast.Arg], body: Body,
                      inner: Path) -> Any:
    """`welcome ctwa_call_prompt "text" prompt "call prompt message"`: a
    Click-to-WhatsApp greeting that offers a call (Meta's CTWA page)."""
    got = _whatsapp_greeting(r, m, rest, "ctwa_call_prompt", {"prompt": True})
    if got is None:
        return None
    text, options = got
    message: Path = inner + ("text_format", "message")
    body.note(message + ("text",), text.span)
    body.note(message + ("call_prompt_data", "call_prompt_message"), options["prompt"].span)
    return {"type": "VISUAL_EDITOR", "version": 2, "landing_screen_type": "ctwa_call_prompt",
            "media_type": "text",
            "text_format": {"message": {
                "text": text.value,
                "call_prompt_data": {"call_prompt_message": word(options["prompt"])}}},
            "user_edit": False}


BUILDERS = {
    "autofill_message": _autofill_message,
    "whatsapp_flow": _whatsapp_flow,
    "ctwa_call_prompt": _ctwa_call_prompt,
    "ice_breakers": _ice_breakers,
    "subscribe": _subscribe,
    "call_prompt": _call_prompt,
    "templates": _templates,
}
