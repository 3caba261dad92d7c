"""Where a field lives: one table of members per object kind.

Each row says the word a file writes, where its value goes in the Graph API
body, what kind of value it takes and what adflow sends when the file leaves
it out. Both directions are derived from these rows: `handlers` reads a block
into a body, `importer` writes a body back as a block, in the rows' order.
Adding a plain field to the language is one row here (plus its tests).

Members that need more than a value (lead-form steps, welcome messages, the
call to action, the media) are CUSTOM rows: their code lives in `handlers`, `welcome` and
`importer`, their words and keys here.
"""

from __future__ import annotations

from ..facts.adsets import (
    ALL_DESTINATION_TYPES,
    BILLING_EVENTS,
    COUNTRY_CODES,
    DEFAULT_BILLING_EVENT,
    DEVICE_PLATFORMS,
    OPTIMIZATION_GOALS,
    PUBLISHER_PLATFORMS,
)
from ..facts.campaigns import (
    BID_STRATEGIES,
    BUYING_TYPES,
    DEFAULT_BUYING_TYPE,
    DEFAULT_STATUS,
    OBJECTIVES,
    SETTABLE_STATUSES,
    SPECIAL_AD_CATEGORIES,
)
from ..facts.creatives import ALL_CALL_TO_ACTION_TYPES, ENROLL_STATUSES
from ..facts.parameters import BOOLEAN_TEXT
from ..records import record

TYPE_CHECKING = False  # typing is for mypy alone: importing it costs a quick check 4 ms
if TYPE_CHECKING:
    from typing import Any

# Kinds of value. Both directions agree on each: what `handlers` reads is what
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


@record(frozen=True)
class Field:
    head: str  # the word the file writes
    path: str  # where the value goes in the body, dotted: "geo_locations.countries"
    kind: str = VALUE
    default: Any = NO_DEFAULT  # sent when the file leaves the field out
    refs: tuple[str, ...] = ()  # the kinds of object it may name (REF, or CUSTOM code)
    block: dict[str, Field] | None = None  # BLOCK: the rows inside
    values: frozenset[str] = frozenset()  # the words it takes, for the editor (from facts)
    help: str = ""  # what it means, for the editor's hover and completion

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self.path.split(".")) if self.path else ()


def table(*rows: Field) -> dict[str, Field]:
    return {row.head: row for row in rows}


def name(what: str, word: str) -> Field:
    """Campaigns, ad sets, creatives and ads are named after their identifier
    unless the file says otherwise (the resolver sends it after the block)."""
    return Field("name", "name", STRING, default=IDENTIFIER,
                 help=f"The {what}'s name (defaults to the name after `{word}`).")


# Every campaign, ad set and ad is created PAUSED unless the file says
# otherwise: the resolver sends it last, after the name and the kind's defaults.
STATUS = Field("status", "status", default=DEFAULT_STATUS,
               values=SETTABLE_STATUSES,
               help="ACTIVE or PAUSED; adflow creates everything PAUSED unless told.")
BOOLEAN = frozenset(BOOLEAN_TEXT)  # the words a boolean field takes: what Meta reads

CAMPAIGN = table(
    name("campaign", "campaign"),
    Field("objective", "objective", values=OBJECTIVES,
          help="What the campaign optimises for; new campaigns take an OUTCOME_* objective."),
    Field("special_ad_categories", "special_ad_categories", LIST,
          values=SPECIAL_AD_CATEGORIES,
          help="Declared special ad categories, [NONE] if none."),
    Field("special_ad_category_country", "special_ad_category_country", LIST,
          values=COUNTRY_CODES, help="Countries a special ad category applies in."),
    Field("daily_budget", "daily_budget",
          help="Campaign budget per day, in the currency's minor unit."),
    Field("lifetime_budget", "lifetime_budget",
          help="Campaign budget for its whole run, in the minor unit."),
    Field("spend_cap", "spend_cap", help="The most the campaign may spend, in the minor unit."),
    Field("bid_strategy", "bid_strategy", values=BID_STRATEGIES,
          help="How Meta bids for the campaign's ad sets."),
    Field("adset_budget_sharing", "is_adset_budget_sharing_enabled", values=BOOLEAN,
          help="Whether ad sets may share budget (required from v24.0 when the budget is on "
               "the ad sets)."),
    Field("start_time", "start_time", STRING, help="When the campaign starts (ISO 8601)."),
    Field("stop_time", "stop_time", STRING, help="When the campaign stops (ISO 8601)."),
    STATUS,
    Field("buying_type", "buying_type", default=DEFAULT_BUYING_TYPE,
          values=BUYING_TYPES, help="AUCTION (the default) or RESERVED."),
)

TARGETING = table(
    Field("countries", "geo_locations.countries", LIST, values=COUNTRY_CODES,
          help="Countries to reach, ISO 3166-1 alpha-2 codes in upper case."),
    Field("devices", "device_platforms", LIST, values=DEVICE_PLATFORMS,
          help="Device platforms: mobile, desktop."),
    Field("publishers", "publisher_platforms", LIST, values=PUBLISHER_PLATFORMS,
          help="Placements' platforms: facebook, instagram, messenger, ..."),
    Field("messenger_positions", "messenger_positions", LIST,
          help="Messenger placements, e.g. [messenger_home]."),
    Field("instagram_positions", "instagram_positions", LIST,
          help="Instagram placements, e.g. [stream, story]."),
    Field("facebook_positions", "facebook_positions", LIST,
          help="Facebook placements, e.g. [feed]."),
    Field("age_min", "age_min", help="The youngest age to reach (18 or more)."),
    Field("age_max", "age_max", help="The oldest age to reach (up to 65)."),
    Field("genders", "genders", LIST, help="1 for men, 2 for women; leave out for everyone."),
    Field("locales", "locales", LIST, help="Meta locale ids of the languages to reach."),
    Field("advantage_audience", "targeting_automation.advantage_audience",
          help="Advantage+ audience: 1 lets Meta widen the audience, 0 keeps it as written."),
)

ADSET = table(
    name("ad set", "adset"),
    Field("optimization_goal", "optimization_goal", values=OPTIMIZATION_GOALS,
          help="What delivery optimises for; must fit the campaign's objective and the "
               "destination."),
    Field("destination", "destination_type", values=ALL_DESTINATION_TYPES,
          help="Where a click leads, e.g. MESSENGER for Click-to-Messenger."),
    Field("daily_budget", "daily_budget",
          help="Ad set budget per day, in the currency's minor unit."),
    Field("lifetime_budget", "lifetime_budget",
          help="Ad set budget for its whole run, in the minor unit."),
    Field("bid_amount", "bid_amount", help="The bid cap or cost cap, in the minor unit."),
    Field("bid_strategy", "bid_strategy", values=BID_STRATEGIES,
          help="How Meta bids for this ad set."),
    Field("start_time", "start_time", STRING, help="When the ad set starts (ISO 8601)."),
    Field("end_time", "end_time", STRING, help="When the ad set ends (ISO 8601)."),
    Field("pixel", "promoted_object.pixel_id", ID,
          help="The Meta Pixel id whose events are optimised for."),
    Field("promoted_page", "promoted_object.page_id", REF, refs=("page",),
          help="The Page the conversation opens with (a `page` name or id)."),
    Field("whatsapp_number", "promoted_object.whatsapp_phone_number", STRING,
          help="The WhatsApp Business number a Click-to-WhatsApp ad opens a chat with "
               "(\"+15551234567\"); the Page must be linked to it."),
    Field("targeting", "targeting", BLOCK, block=TARGETING,
          help="Who sees the ads: `targeting { countries [US] ... }`."),
    STATUS,
    Field("billing_event", "billing_event", default=DEFAULT_BILLING_EVENT,
          values=BILLING_EVENTS,
          help="What you pay for; messaging ad sets bill on IMPRESSIONS."),
)

AD = table(
    name("ad", "ad"),
    Field("adset", "adset_id", REF, refs=("adset",), help="The ad set the ad runs in."),
    Field("creative", "creative.creative_id", REF, refs=("creative",),
          help="The creative the ad shows."),
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
# Graph API names written as a creative's member: what the language writes
# instead (S006's advice and fix), so the value that follows fits.
WRITTEN_AS = {"image_url": "image url", "picture": "image url", "image_hash": "image hash"}
VIDEO_OPTIONS = {"thumbnail": "image_url", "thumbnail_id": "video_thumbnail_id",
                 "thumbnail_source": "video_thumbnail_source"}
WELCOME_FORMS = ("text", "ice_breakers", "subscribe", "call_prompt", "templates", "lead_form",
                 "partner_flow", "autofill_message", "whatsapp_flow", "ctwa_call_prompt")
# `welcome autofill_message "..." prefill "..." [button call|catalog|url "..."]`: the
# automated greeting's button (automated_greeting_message_cta.type), Meta's CTWA page.
WHATSAPP_GREETING_BUTTONS = ("call", "catalog", "url")
_FEATURES = "degrees_of_freedom_spec.creative_features_spec"

PRODUCT_EXTENSIONS = table(
    Field("product_set", "creative_sourcing_spec.associated_product_set_id", ID,
          help="The catalog's product set to show products from."),
    Field("products", "product_data", CUSTOM,  # beside the media, or beside the post
          help="Product ids to show."),
    Field("multi_photo_to_video", f"{_FEATURES}.multi_photo_to_video.enroll_status", CUSTOM,
          help="Opt in to turning photos into a video."),
)

CREATIVE = table(
    name("creative", "creative"),
    Field("page", "object_story_spec.page_id", CUSTOM, refs=("page",),  # object_id by a post
          help="The Page the ad runs as (a `page` name or id)."),
    Field("instagram", "object_story_spec.instagram_user_id", CUSTOM, refs=("instagram",),
          help="The Instagram account the ad runs as."),
    Field("image", "", CUSTOM,  # IMAGE_OPTIONS under the media
          help="The image: `image hash H` or `image url U`, and `link L`."),
    Field("video", "video_id", CUSTOM,  # and VIDEO_OPTIONS, under video_data
          help="The video: `video ID [thumbnail URL]`."),
    Field("message", MEDIA_TEXTS["message"][0], CUSTOM, help="The ad's main text."),
    Field("description", MEDIA_TEXTS["description"][0], CUSTOM,
          help="The text under the headline."),
    Field("headline", MEDIA_TEXTS["headline"][0], CUSTOM,
          help="The headline next to the button."),
    Field("link", MEDIA_TEXTS["link"][0], CUSTOM, help="The link the image points to."),
    Field("call_to_action", "call_to_action", CUSTOM,  # under the media, or at the top
          values=ALL_CALL_TO_ACTION_TYPES,
          help="The button: `call_to_action TYPE -> MESSENGER`."),
    Field("welcome", "page_welcome_message", CUSTOM, values=frozenset(WELCOME_FORMS),
          help="What the person gets in the chat after the click: text, ice_breakers, "
               "call_prompt, templates, lead_form; in WhatsApp autofill_message, "
               "whatsapp_flow, ctwa_call_prompt ..."),
    # A creative made from an existing post has no object_story_spec (see BESIDE_POST).
    Field("post", "object_story_id", STRING,
          help="Make the ad from an existing Page post (its id)."),
    Field("instagram_post", "source_instagram_media_id", STRING,
          help="Make the ad from an existing Instagram post (its id)."),
    Field("standard_enhancements", f"{_FEATURES}.standard_enhancements.enroll_status",
          values=ENROLL_STATUSES, help="The deprecated bundle of creative enhancements."),
    Field("product_extensions", f"{_FEATURES}.product_extensions.enroll_status", CUSTOM,
          help="Products shown with the ad: `product_extensions { product_set ID }`."),
)
# Where the page and the Instagram account go in a creative made from a post.
BESIDE_POST = {"page": "object_id", "instagram": "instagram_user_id"}

# -- welcome messages --------------------------------------------------------------
# `welcome subscribe "text" { ... }`: word -> key of the template's element,
# then the words of its one postback button: word -> key of the button.
SUBSCRIBE_ELEMENT = {"title": "title", "subtitle": "subtitle", "image": "image_url",
                     "app": "app_id"}
SUBSCRIBE_BUTTON = {"button": "title", "payload": "payload"}

# -- lead forms ------------------------------------------------------------------
LEAD_FORM = table(
    Field("template_name", "template_name", STRING,
          help="The lead form's name, as shown in Meta's tools."),
    Field("privacy_url", "privacy_url", STRING,
          help="Your privacy policy; Meta requires one for every lead form."),
    Field("reminder", "reminder_text", STRING, help="Sent when the person stops answering."),
    Field("stop_question_message", "stop_question_message", STRING,
          help="The question asked when the person wants to stop."),
    Field("exit_keyphrases", "exit_keyphrases", LIST,
          help='Words that end the conversation, e.g. ["stop"].'),
    Field("handover_app_id", "handover_app_id", ID,
          help="The app that takes the conversation over after the form."),
    Field("handover_summary", "handover_summary", values=BOOLEAN,
          help="Whether that app gets a summary of the answers."),
    Field("block_send_api", "block_send_api", values=BOOLEAN,
          help="Keep the Send API from messaging during the form."),
)
# The steps, numbered "0", "1", ... in the order written: word -> step_type.
STEP_TYPES = {"intro": "INTRO", "question": "QUESTION",
              "confirmation": "CONFIRMATION", "disqualify": "DISQUALIFY"}
STEP_MODIFIERS = ("required", "optional", "validate", "prefill")

TABLES = {"lead_form": LEAD_FORM, "campaign": CAMPAIGN, "adset": ADSET, "creative": CREATIVE,
          "ad": AD}
# Every table by the word that opens its block, nested ones too.
BLOCKS = {**TABLES, "targeting": TARGETING, "product_extensions": PRODUCT_EXTENSIONS}
