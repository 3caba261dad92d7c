"""Where a field lives: one table of members per object kind.

Each row says the word a file writes, where its value goes in the Graph API
body, what kind of value it takes and what adflow sends when the file leaves
it out. Both directions are derived from these rows: `bodies` reads a block
into a body, `importer` writes a body back as a block, in the rows' order.
Adding a plain field to the language is one row here (plus its tests).

Members that need more than a value (lead-form steps, welcome messages, the
call to action, the media) are CUSTOM rows: their code lives in `bodies` and
`importer`, their words and keys here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import facts

# Kinds of value. Both directions agree on each: what `bodies` reads is what
# `importer` writes, so a body goes through the language and back unchanged.
STRING = "string"  # a quoted string
LIST = "list"  # a list, or one value taken as a one-item list
VALUE = "value"  # a word (enum-like), number, boolean or list, sent as written
ID = "id"  # the id of something outside the file (pixel, app): kept a digit string
REF = "ref"  # a name of the file's own objects (`refs` says which kinds), or an id
BLOCK = "block"  # a nested `{ ... }` of its own rows (`block`)
CUSTOM = "custom"  # read and written by code of its own

NO_DEFAULT: Any = object()
IDENTIFIER: Any = object()  # the default name: the one after the object's kind word


@dataclass(frozen=True)
class Field:
    head: str  # the word the file writes
    path: str  # where the value goes in the body, dotted: "geo_locations.countries"
    kind: str = VALUE
    default: Any = NO_DEFAULT  # sent when the file leaves the field out
    refs: tuple[str, ...] = ()  # REF: the kinds of object it may name
    block: dict[str, Field] | None = None  # BLOCK: the rows inside

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self.path.split(".")) if self.path else ()


def table(*rows: Field) -> dict[str, Field]:
    return {row.head: row for row in rows}


# Every campaign, ad set, ad and creative is named after its identifier and
# every campaign, ad set and ad is created PAUSED unless the file says
# otherwise: the resolver sends these two last, after the kind's own defaults.
NAME = Field("name", "name", STRING, default=IDENTIFIER)
STATUS = Field("status", "status", default=facts.DEFAULT_STATUS)

CAMPAIGN = table(
    NAME,
    Field("objective", "objective"),
    Field("special_ad_categories", "special_ad_categories", LIST),
    Field("special_ad_category_country", "special_ad_category_country", LIST),
    Field("daily_budget", "daily_budget"),
    Field("lifetime_budget", "lifetime_budget"),
    Field("spend_cap", "spend_cap"),
    Field("bid_strategy", "bid_strategy"),
    Field("adset_budget_sharing", "is_adset_budget_sharing_enabled"),
    Field("start_time", "start_time", STRING),
    Field("stop_time", "stop_time", STRING),
    STATUS,
    Field("buying_type", "buying_type", default=facts.DEFAULT_BUYING_TYPE),
)

TARGETING = table(
    Field("countries", "geo_locations.countries", LIST),
    Field("devices", "device_platforms", LIST),
    Field("publishers", "publisher_platforms", LIST),
    Field("messenger_positions", "messenger_positions", LIST),
    Field("instagram_positions", "instagram_positions", LIST),
    Field("facebook_positions", "facebook_positions", LIST),
    Field("age_min", "age_min"),
    Field("age_max", "age_max"),
    Field("genders", "genders", LIST),
    Field("locales", "locales", LIST),
)

ADSET = table(
    NAME,
    Field("optimization_goal", "optimization_goal"),
    Field("destination", "destination_type"),
    Field("daily_budget", "daily_budget"),
    Field("lifetime_budget", "lifetime_budget"),
    Field("bid_amount", "bid_amount"),
    Field("bid_strategy", "bid_strategy"),
    Field("start_time", "start_time", STRING),
    Field("end_time", "end_time", STRING),
    Field("pixel", "promoted_object.pixel_id", ID),
    Field("promoted_page", "promoted_object.page_id", REF, refs=("page",)),
    Field("targeting", "targeting", BLOCK, block=TARGETING),
    STATUS,
    Field("billing_event", "billing_event", default=facts.DEFAULT_BILLING_EVENT),
)

AD = table(
    NAME,
    Field("adset", "adset_id", REF, refs=("adset",)),
    Field("creative", "creative.creative_id", REF, refs=("creative",)),
    STATUS,
)

# -- creatives ------------------------------------------------------------------
# What describes the media goes under object_story_spec.<media>_data, where
# link_data (an image) and video_data name some texts differently:
# word -> (link_data key, video_data key or None where a video has none).
MEDIA_TEXTS: dict[str, tuple[str, str | None]] = {
    "headline": ("name", "title"),
    "message": ("message", "message"),
    "description": ("description", "link_description"),
    "link": ("link", None),
}
IMAGE_OPTIONS = {"hash": "image_hash", "url": "picture", "link": "link"}  # link: as `link`
VIDEO_OPTIONS = {"thumbnail": "image_url", "thumbnail_id": "video_thumbnail_id",
                 "thumbnail_source": "video_thumbnail_source"}
_FEATURES = "degrees_of_freedom_spec.creative_features_spec"
PRODUCT_EXTENSIONS = table(
    Field("product_set", "creative_sourcing_spec.associated_product_set_id", ID),
    Field("products", "product_data", CUSTOM),  # beside the media, or beside the post
    Field("multi_photo_to_video", f"{_FEATURES}.multi_photo_to_video.enroll_status", CUSTOM),
)

CREATIVE = table(
    NAME,
    Field("page", "object_story_spec.page_id", CUSTOM),  # object_id for an Instagram post
    Field("instagram", "object_story_spec.instagram_user_id", CUSTOM),
    Field("image", "", CUSTOM),  # IMAGE_OPTIONS under the media
    Field("video", "video_id", CUSTOM),  # and VIDEO_OPTIONS, under video_data
    *(Field(word, MEDIA_TEXTS[word][0], CUSTOM) for word in ("message", "description",
                                                            "headline", "link")),
    Field("call_to_action", "call_to_action", CUSTOM),  # under the media, or at the top
    Field("welcome", "page_welcome_message", CUSTOM),  # under the media
    # A creative made from an existing post has no object_story_spec.
    Field("post", "object_story_id", STRING),
    Field("instagram_post", "source_instagram_media_id", STRING),
    Field("standard_enhancements", f"{_FEATURES}.standard_enhancements.enroll_status"),
    Field("product_extensions", f"{_FEATURES}.product_extensions.enroll_status", CUSTOM),
)

# -- welcome messages --------------------------------------------------------------
WELCOME_FORMS = ("text", "ice_breakers", "subscribe", "call_prompt", "templates", "lead_form",
                 "partner_flow")
# `welcome subscribe "text" { ... }`: word -> key of the template's element,
# then the words of its one postback button: word -> key of the button.
SUBSCRIBE_ELEMENT = {"title": "title", "subtitle": "subtitle", "image": "image_url",
                     "app": "app_id"}
SUBSCRIBE_BUTTON = {"button": "title", "payload": "payload"}

# -- lead forms ------------------------------------------------------------------
LEAD_FORM = table(
    Field("template_name", "template_name", STRING),
    Field("privacy_url", "privacy_url", STRING),
    Field("reminder", "reminder_text", STRING),
    Field("stop_question_message", "stop_question_message", STRING),
    Field("exit_keyphrases", "exit_keyphrases", LIST),
    Field("handover_app_id", "handover_app_id", ID),
    Field("handover_summary", "handover_summary"),
    Field("block_send_api", "block_send_api"),
)
# The steps, numbered "0", "1", ... in the order written: word -> step_type.
STEP_TYPES = {"intro": "INTRO", "question": "QUESTION",
              "confirmation": "CONFIRMATION", "disqualify": "DISQUALIFY"}
STEP_MODIFIERS = ("required", "optional", "validate", "prefill")
# The keys of a step the language writes, in the order it sends them.
STEP_KEYS = ("step_id", "step_type", "message", "reply_type", "prefill_type", "answers",
             "next_step_ids", "allow_to_skip", "answer_validation_enabled")

TABLES = {"lead_form": LEAD_FORM, "campaign": CAMPAIGN, "adset": ADSET, "creative": CREATIVE,
          "ad": AD}
