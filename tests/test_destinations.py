"""Click-to-WhatsApp and Instagram Direct as first-class destinations in the
language: the ad set's WhatsApp number, a WHATSAPP_MESSAGE button without a
value, and the WhatsApp welcome kinds, built in the shapes of Meta's Ads that
Click to WhatsApp page and written back by the importer."""

from __future__ import annotations

from typing import Any

import pytest
from adflow.compiler.front.source import Source
from adflow.compiler.importer.block import Refs
from adflow.compiler.importer.welcome import welcome_line
from adflow.compiler.pipeline import check_source

HEAD = """api v25.0
account act_1234567890
page acme 111222333444
creative chat {
  page acme
  image hash "abc123"
  link "https://api.whatsapp.com/send"
  call_to_action WHATSAPP_MESSAGE
  @WELCOME@
}
"""


def creative(welcome: str) -> tuple[dict[str, Any], set[str]]:
    """The creative's body and every code reported (the request schema's
    S008 too: the shapes the language writes are the ones Meta documents)."""
    result = check_source(Source("wa.adflow", HEAD.replace("@WELCOME@", welcome)))
    assert result.document is not None
    (request,) = [r for r in result.document.requests if r.kind == "creative"]
    return request.body, {d.code for d in result.diagnostics}


def welcome_of(body: dict[str, Any]) -> Any:
    return body["object_story_spec"]["link_data"]["page_welcome_message"]["$json"]


# Meta's Ads that Click to WhatsApp page, "Populate page welcome message".
def _greeting(landing: str, message: dict[str, Any], action: str | None = "autofill_message",
              **extra: Any) -> dict[str, Any]:
    text_format: dict[str, Any] = {"message": message}
    if action is not None:
        text_format = {"customer_action_type": action, **text_format}
    return {"type": "VISUAL_EDITOR", "version": 2, "landing_screen_type": landing,
            "media_type": "text", "text_format": text_format, **extra}


CASES = [
    ('welcome autofill_message "Hi! Which cake?" prefill "Hello! Can I order a cake?"',
     _greeting("welcome_message", {"text": "Hi! Which cake?", "autofill_message": {
         "content": "Hello! Can I order a cake?"}})),
    ('welcome autofill_message "Hi!" prefill "Hello!" button call',
     _greeting("welcome_message", {"text": "Hi!",
                                   "automated_greeting_message_cta": {"type": "call"},
                                   "autofill_message": {"content": "Hello!"}})),
    ('welcome autofill_message "Hi!" prefill "Hello!" button url "https://acme.example/menu"',
     _greeting("welcome_message", {"text": "Hi!",
                                   "automated_greeting_message_cta": {
                                       "type": "url", "url": "https://acme.example/menu"},
                                   "autofill_message": {"content": "Hello!"}})),
    ('welcome whatsapp_flow "Tell us about the party" flow "998877" button "Apply now" '
     'prefill "Hi! I want to book."',
     _greeting("ctwa_flows", {"text": "Tell us about the party",
                              "automated_greeting_message_cta": {
                                  "type": "flow",
                                  "flow_data": {"call_to_action": "Apply now",
                                                "flow_id": "998877"}},
                              "autofill_message": {"content": "Hi! I want to book."}},
               action="whatsapp_flow")),
    ('welcome ctwa_call_prompt "Hi!" prompt "Call us to order"',
     _greeting("ctwa_call_prompt", {"text": "Hi!", "call_prompt_data": {
         "call_prompt_message": "Call us to order"}}, action=None, user_edit=False)),
]


@pytest.mark.parametrize("line, shape", CASES, ids=lambda v: v if isinstance(v, str) else "")
def test_whatsapp_welcome_kinds_build_metas_shapes_and_import_back(
        line: str, shape: dict[str, Any]) -> None:
    body, others = creative(line)
    assert others == set()
    assert welcome_of(body) == shape
    # A WHATSAPP_MESSAGE button is sent without a value: Meta opens the
    # number linked to the Page.
    assert body["object_story_spec"]["link_data"]["call_to_action"] == {
        "type": "WHATSAPP_MESSAGE"}
    result = check_source(Source("wa.adflow", HEAD.replace("@WELCOME@", line)))
    assert result.document is not None
    assert welcome_line(Refs(result.document), {"$json": shape}) == line


@pytest.mark.parametrize("line, code", [
    ('welcome autofill_message "Hi!"', "S007"),  # no prefill
    ('welcome autofill_message "Hi!" prefill "Hello!" colour "red"', "S006"),
    ('welcome autofill_message "Hi!" prefill "Hello!" button url', "S007"),
    ('welcome autofill_message "Hi!" prefill "Hello!" button fax', "S007"),
    ('welcome whatsapp_flow "Hi!" flow "1" prefill "Hello!"', "S007"),  # no button
    ('welcome ctwa_call_prompt prompt "Call us"', "S007"),  # no greeting
])
def test_a_malformed_whatsapp_welcome_is_a_clear_error(line: str, code: str) -> None:
    result = check_source(Source("wa.adflow", HEAD.replace("@WELCOME@", line)))
    assert code in {d.code for d in result.diagnostics}
    assert all(d.span.line == 9 for d in result.diagnostics if d.code == code)


def test_the_whatsapp_number_is_the_promoted_object_of_the_ad_set() -> None:
    text = """api v25.0
account act_1234567890
page acme 111222333444
campaign chat {
  objective OUTCOME_ENGAGEMENT
  special_ad_categories [NONE]
  adset_budget_sharing false
}
adset br in chat {
  optimization_goal CONVERSATIONS
  destination WHATSAPP
  daily_budget 3000
  promoted_page acme
  whatsapp_number "+5511999990000"
  targeting {
    countries [BR]
  }
}
"""
    result = check_source(Source("wa.adflow", text))
    assert not list(result.diagnostics)
    assert result.document is not None
    (adset,) = [r for r in result.document.requests if r.kind == "adset"]
    assert adset.body["promoted_object"] == {"page_id": "111222333444",
                                             "whatsapp_phone_number": "+5511999990000"}
    # Without the WhatsApp destination the number opens nothing: A013.
    codes = {d.code for d in check_source(Source("wa.adflow", text.replace(
        "  destination WHATSAPP\n", ""))).diagnostics}
    assert "A013" in codes


def test_a_whatsapp_button_from_an_instagram_post_keeps_its_link() -> None:
    """Meta's Click-to-WhatsApp page makes a creative from an Instagram post
    with value.link in its WHATSAPP_MESSAGE button: no C015 there."""
    text = """api v25.0
account act_1234567890
page acme 111222333444
instagram acme_ig 17841400000000001
creative from_post {
  page acme
  instagram acme_ig
  instagram_post "17900000000000001"
  call_to_action WHATSAPP_MESSAGE link "https://api.whatsapp.com/send"
}
"""
    assert "C015" not in {d.code for d in check_source(Source("p.adflow", text)).diagnostics}
    video = HEAD.replace('  image hash "abc123"\n  link "https://api.whatsapp.com/send"\n',
                         '  video 123456789 thumbnail "https://acme.example/t.jpg"\n').replace(
        "call_to_action WHATSAPP_MESSAGE", 'call_to_action WHATSAPP_MESSAGE link "https://wa.me/1"')
    assert "C015" in {d.code for d in check_source(
        Source("v.adflow", video.replace("@WELCOME@", ""))).diagnostics}


def test_a_whatsapp_button_in_a_messenger_ad_set_is_a_warning_naming_the_usual_button() -> None:
    text = """api v25.0
account act_1234567890
page acme 111222333444
campaign chat {
  objective OUTCOME_ENGAGEMENT
  special_ad_categories [NONE]
  adset_budget_sharing false
}
adset us in chat {
  optimization_goal CONVERSATIONS
  destination @DEST@
  daily_budget 3000
  promoted_page acme
  @NUMBER@
  targeting {
    countries [US]
  }
}
creative hello {
  page acme
  image hash "abc123"
  call_to_action WHATSAPP_MESSAGE
}
ad chat_ad {
  adset us
  creative hello
}
"""
    wrong = check_source(Source("w.adflow", text.replace("@DEST@", "MESSENGER").replace(
        "@NUMBER@", "")))
    (found,) = [d for d in wrong.diagnostics if d.code == "C002"]
    assert found.severity.value == "warning" and found.help == "use MESSAGE_PAGE"
    assert found.span.line == 22 and "not documented" in found.message
    right = check_source(Source("r.adflow", text.replace("@DEST@", "WHATSAPP").replace(
        "@NUMBER@", 'whatsapp_number "+15551234567"')))
    assert not list(right.diagnostics)
