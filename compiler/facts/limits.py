"""Lengths and counts Meta caps, with how sure adflow is of each (CTM_GUIDE)."""

from __future__ import annotations

from ..lean import NamedTuple

TYPE_CHECKING = False  # typing is for mypy alone: importing it costs a quick check 4 ms
if TYPE_CHECKING:
    from typing import Literal

    Strength = Literal["documented", "uncertain"]
    Severity = Literal["error", "warning"]


class Limit(NamedTuple):
    value: int
    # "documented": Meta states it; "uncertain": Meta's pages disagree.
    strength: Strength
    exceed: Severity  # what going over it is
    source: str

    @property
    def documented(self) -> bool:
        return self.strength == "documented"


WELCOME_TEXT = Limit(300, "documented", "error", "Meta's Click-to-Messenger guide: greeting text")
ICE_BREAKER_TITLE = Limit(80, "documented", "error", "Meta's Click-to-Messenger guide")
ICE_BREAKER_RESPONSE = Limit(300, "documented", "error", "Meta's Click-to-Messenger guide")
# Ads Manager takes 5 ice breakers, the Messenger profile API 4 (CTM_GUIDE).
ICE_BREAKERS_MAX = Limit(5, "uncertain", "error", "Ads Manager")
ICE_BREAKERS_WARN = Limit(4, "uncertain", "warning", "Meta's Messenger profile API")
ICE_BREAKERS_PROFILE_MAX = ICE_BREAKERS_WARN.value
TEMPLATES_MAX = Limit(5, "documented", "error",
                      "Meta's Click-to-Messenger guide: up to 5 template messages")
QUICK_REPLIES_MAX = Limit(13, "documented", "error", "Meta's Messenger Send API: quick replies")
QUICK_REPLY_TITLE = Limit(20, "documented", "warning",
                          "Meta's Messenger Send API: cut after 20 characters")
QUICK_REPLY_PAYLOAD = Limit(1000, "documented", "error", "Meta's Messenger Send API")
GENERIC_TEMPLATE_ELEMENTS = Limit(10, "documented", "error", "Meta's Messenger generic template")
GENERIC_TEMPLATE_TEXT = Limit(80, "documented", "error",
                              "Meta's Messenger generic template: element title, subtitle")
GENERIC_TEMPLATE_BUTTONS = Limit(3, "documented", "error", "Meta's Messenger generic template")
BUTTON_TITLE = Limit(20, "documented", "warning", "Meta's Messenger Send API: buttons")
CALL_PROMPT_MESSAGE = Limit(80, "uncertain", "warning",
                            "Meta's Click-to-Messenger guide; no other page gives a limit")
ADSETS_PER_CAMPAIGN = Limit(200, "documented", "error", "Meta's Marketing API limits")

LIMITS: dict[str, Limit] = {
    "WELCOME_TEXT": WELCOME_TEXT, "ICE_BREAKER_TITLE": ICE_BREAKER_TITLE,
    "ICE_BREAKER_RESPONSE": ICE_BREAKER_RESPONSE, "ICE_BREAKERS_MAX": ICE_BREAKERS_MAX,
    "ICE_BREAKERS_WARN": ICE_BREAKERS_WARN, "TEMPLATES_MAX": TEMPLATES_MAX,
    "QUICK_REPLIES_MAX": QUICK_REPLIES_MAX, "QUICK_REPLY_TITLE": QUICK_REPLY_TITLE,
    "QUICK_REPLY_PAYLOAD": QUICK_REPLY_PAYLOAD,
    "GENERIC_TEMPLATE_ELEMENTS": GENERIC_TEMPLATE_ELEMENTS,
    "GENERIC_TEMPLATE_TEXT": GENERIC_TEMPLATE_TEXT,
    "GENERIC_TEMPLATE_BUTTONS": GENERIC_TEMPLATE_BUTTONS, "BUTTON_TITLE": BUTTON_TITLE,
    "CALL_PROMPT_MESSAGE": CALL_PROMPT_MESSAGE, "ADSETS_PER_CAMPAIGN": ADSETS_PER_CAMPAIGN,
}
