"""Graph API facts for Click-to-Messenger ads, in one place, each with its source.

What Meta accepts decides: wire formats its SDK sends (numbers and objects as
text) are facts too (see "wire formats"), and a fact Meta's pages and SDK
disagree on is a warning, naming where it comes from, never an error.

Rules consult this module, and nothing else, for enums, limits, the
objective x destination x optimization-goal table and what changed in which
API version, so targeting another version is a one-line change here.

Source tags: "SDK" is facebook-business 25.0.3, Meta's generated client for
v25.0 (tests/test_facts_sdk.py checks every SDK-sourced value against it);
"seed" is Meta's Click-to-Messenger guide (CTM_GUIDE); every other page is
named by one of the public URLs below ("public sources"), which rules' evidence
cites too. Sources users see in messages (Limit.source, GoalRow.source) name
Meta's pages. Stdlib only, records are
NamedTuples (cheaper to define than dataclasses): `adflow check` imports this
module on every run.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal, NamedTuple

# -- public sources -------------------------------------------------------------------------------
# Every fact below and every rule's evidence (rules/base.py Rule.evidence)
# names one of these public pages.

_DOCS = "https://developers.facebook.com/docs"
CTM_GUIDE = f"{_DOCS}/marketing-api/ad-creative/messaging-ads/click-to-messenger"
CTWA_GUIDE = f"{_DOCS}/marketing-api/ad-creative/messaging-ads/click-to-whatsapp"
CTIG_GUIDE = f"{_DOCS}/marketing-api/ad-creative/messaging-ads/click-to-instagram"
DESTINATION_TYPE_PAGE = f"{_DOCS}/marketing-api/adset/destination_type"
CAMPAIGN_REFERENCE = f"{_DOCS}/marketing-api/reference/ad-campaign-group"
ADSET_REFERENCE = f"{_DOCS}/marketing-api/reference/ad-campaign"
CREATIVE_REFERENCE = f"{_DOCS}/marketing-api/reference/ad-creative"
LINK_DATA_REFERENCE = f"{_DOCS}/marketing-api/reference/ad-creative-link-data"
STORY_SPEC_REFERENCE = f"{_DOCS}/marketing-api/reference/ad-creative-object-story-spec"
VIDEO_DATA_REFERENCE = f"{_DOCS}/marketing-api/reference/ad-creative-video-data"
LEAD_ADS_CREATE_PAGE = f"{_DOCS}/marketing-api/guides/lead-ads/create"
BID_STRATEGY_PAGE = f"{_DOCS}/marketing-api/bidding/overview/bid-strategy"
CAMPAIGN_BUDGET_PAGE = f"{_DOCS}/marketing-api/bidding/guides/advantage-campaign-budget"
SPECIAL_AD_CATEGORY_PAGE = f"{_DOCS}/marketing-api/audiences/special-ad-category"
TARGETING_PAGE = f"{_DOCS}/marketing-api/audiences/reference/basic-targeting"
ADVANTAGE_AUDIENCE_PAGE = ("https://developers.facebook.com/documentation/ads-commerce/"
                           "marketing-api/audiences/reference/targeting-expansion/"
                           "advantage-audience")
LEAD_FORMS_REFERENCE = f"{_DOCS}/graph-api/reference/page/messenger_lead_forms"
ERROR_REFERENCE = f"{_DOCS}/marketing-api/error-reference"
ERROR_HANDLING = f"{_DOCS}/graph-api/guides/error-handling"
RATE_LIMITING = f"{_DOCS}/marketing-api/overview/rate-limiting"
QUICK_REPLIES_PAGE = f"{_DOCS}/messenger-platform/send-messages/quick-replies"
ICE_BREAKERS_PAGE = f"{_DOCS}/messenger-platform/reference/messenger-profile-api/ice-breakers"
ACCESS_TOKENS_PAGE = f"{_DOCS}/facebook-login/guides/access-tokens"
MARKETING_VERSIONS_PAGE = f"{_DOCS}/marketing-api/marketing-api-changelog/versions"
GRAPH_VERSIONS_PAGE = f"{_DOCS}/graph-api/changelog/versions"
SDK_REPOSITORY = "https://github.com/facebook/facebook-python-business-sdk"
# What the lead-form rules (F) rest on: the endpoint's reference and the CTM
# guide's "Messenger ads for leads" section, which lists the step rules.
LEAD_FORM_EVIDENCE = (LEAD_FORMS_REFERENCE, CTM_GUIDE)


def changelog(version: str) -> str:
    """The Graph API changelog page of a version ("v24.0")."""
    return f"{_DOCS}/graph-api/changelog/version{version.lstrip('v')}"


# -- versions -------------------------------------------------------------------------------------

_MARKETING_VERSIONS = MARKETING_VERSIONS_PAGE
_GRAPH_VERSIONS = GRAPH_VERSIONS_PAGE


class VersionInfo(NamedTuple):
    name: str  # "v25.0"
    released: date
    # When calls to this version stop working for the Marketing API (ads, lead
    # forms): about a year after release. None: not announced yet.
    expires: date | None
    graph_expires: date | None  # the core Graph API keeps a version ~2 years longer
    source: str

    @property
    def numbers(self) -> tuple[int, int]:
        return version_tuple(self.name)

VERSIONS: dict[str, VersionInfo] = {v.name: v for v in (
    VersionInfo("v19.0", date(2024, 1, 23), date(2025, 2, 4), date(2026, 5, 21),
                f"{_MARKETING_VERSIONS}; {_GRAPH_VERSIONS}"),
    VersionInfo("v20.0", date(2024, 5, 21), date(2025, 5, 6), date(2026, 9, 24),
                f"{_MARKETING_VERSIONS}; {_GRAPH_VERSIONS}"),
    VersionInfo("v21.0", date(2024, 10, 2), date(2025, 9, 9), date(2027, 1, 21),
                f"{_MARKETING_VERSIONS}; {_GRAPH_VERSIONS}"),
    VersionInfo("v22.0", date(2025, 1, 21), date(2026, 2, 19), date(2027, 5, 20),
                f"{_MARKETING_VERSIONS}; {_GRAPH_VERSIONS}"),
    VersionInfo("v23.0", date(2025, 5, 29), date(2026, 6, 9), date(2027, 10, 8),
                f"{_MARKETING_VERSIONS}; {_GRAPH_VERSIONS}"),
    # An older snapshot of the Marketing API page said 6 Oct 2026; the current one 10 Nov.
    VersionInfo("v24.0", date(2025, 10, 8), date(2026, 11, 10), date(2028, 2, 18),
                f"{_MARKETING_VERSIONS}; {_GRAPH_VERSIONS}"),
    VersionInfo("v25.0", date(2026, 2, 18), date(2027, 2, 23), date(2028, 7, 29),
                f"{_MARKETING_VERSIONS}; {_GRAPH_VERSIONS}"),
    VersionInfo("v26.0", date(2026, 7, 29), None, None,
                f"{_MARKETING_VERSIONS}"),
    VersionInfo("v27.0", date(2026, 11, 4), None, None,
                f"{_MARKETING_VERSIONS}"),
)}
DEFAULT_API_VERSION = "v25.0"  # the seed's version, matched by SDK 25.0.3 (the versions page)


def version_tuple(name: str) -> tuple[int, int]:
    """"v25.0" -> (25, 0); "v25" and "25.0" are read the same way.
    ValueError for anything else."""
    major, dot, minor = name.strip().removeprefix("v").partition(".")
    if not _digits(major) or (dot and not _digits(minor)):
        raise ValueError(f"not a Graph API version: {name!r}")
    return int(major), int(minor or 0)


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def version_info(name: str) -> VersionInfo | None:
    """The known version spelled `name` (also "v25", "25.0"), or None."""
    try:
        wanted = version_tuple(name)
    except ValueError:
        return None
    return next((v for v in VERSIONS.values() if v.numbers == wanted), None)


def at_least(version: str, since: str | tuple[int, int]) -> bool:
    """Whether `version` is `since` or newer; False if either is malformed."""
    try:
        need = since if isinstance(since, tuple) else version_tuple(since)
        return version_tuple(version) >= need
    except ValueError:
        return False


def expired(version: str, on: date) -> bool:
    """Whether the Marketing API stopped serving `version` before `on`."""
    info = version_info(version)
    return info is not None and info.expires is not None and info.expires < on


# -- campaign enums -------------------------------------------------------------------------------

NEW_CAMPAIGN_OBJECTIVES = frozenset({
    "OUTCOME_APP_PROMOTION", "OUTCOME_AWARENESS", "OUTCOME_ENGAGEMENT", "OUTCOME_LEADS",
    "OUTCOME_SALES", "OUTCOME_TRAFFIC"})  # CAMPAIGN_REFERENCE: the only ones new campaigns take
# Still in the SDK enum, rejected for new campaigns (Meta's references).
LEGACY_OBJECTIVES = frozenset({
    "APP_INSTALLS", "BRAND_AWARENESS", "CONVERSIONS", "EVENT_RESPONSES", "LEAD_GENERATION",
    "LINK_CLICKS", "LOCAL_AWARENESS", "MESSAGES", "OFFER_CLAIMS", "PAGE_LIKES",
    "POST_ENGAGEMENT", "PRODUCT_CATALOG_SALES", "REACH", "STORE_VISITS", "VIDEO_VIEWS"})
OBJECTIVES = NEW_CAMPAIGN_OBJECTIVES | LEGACY_OBJECTIVES  # SDK Campaign.Objective (21)
# What Meta suggests in place of each legacy objective (its outcome-based
# objectives guide, "ODAX" mapping).
LEGACY_REPLACEMENT = {
    "MESSAGES": "OUTCOME_ENGAGEMENT", "LINK_CLICKS": "OUTCOME_TRAFFIC",
    "CONVERSIONS": "OUTCOME_SALES", "LEAD_GENERATION": "OUTCOME_LEADS",
    "POST_ENGAGEMENT": "OUTCOME_ENGAGEMENT", "PAGE_LIKES": "OUTCOME_ENGAGEMENT",
    "VIDEO_VIEWS": "OUTCOME_ENGAGEMENT", "EVENT_RESPONSES": "OUTCOME_ENGAGEMENT",
    "REACH": "OUTCOME_AWARENESS", "BRAND_AWARENESS": "OUTCOME_AWARENESS",
    "APP_INSTALLS": "OUTCOME_APP_PROMOTION", "PRODUCT_CATALOG_SALES": "OUTCOME_SALES",
    "STORE_VISITS": "OUTCOME_AWARENESS", "LOCAL_AWARENESS": "OUTCOME_AWARENESS",
    "OFFER_CLAIMS": "OUTCOME_SALES"}

SETTABLE_STATUSES = frozenset({"ACTIVE", "PAUSED", "ARCHIVED", "DELETED"})  # SDK *.Status
# Effective statuses Meta reports but never accepts in a create or update:
# SDK Ad.EffectiveStatus minus the settable ones (Meta's references).
REPORTED_STATUSES = frozenset({
    "ADSET_PAUSED", "CAMPAIGN_PAUSED", "DISAPPROVED", "IN_PROCESS", "PENDING_BILLING_INFO",
    "PENDING_REVIEW", "PREAPPROVED", "WITH_ISSUES"})

SPECIAL_AD_CATEGORIES = frozenset({
    "NONE", "EMPLOYMENT", "HOUSING", "CREDIT", "FINANCIAL_PRODUCTS_SERVICES",
    "ISSUES_ELECTIONS_POLITICS", "ONLINE_GAMBLING_AND_GAMING"})  # SDK Campaign.SpecialAdCategories
# Still accepted, but replaced in Jan 2025: a warning (Meta's references).
SUPERSEDED_CATEGORIES = {"CREDIT": "FINANCIAL_PRODUCTS_SERVICES"}
# Housing, employment and credit ads reach everyone 18-65+ of any gender, and no
# ZIP codes, where the United States is concerned (SPECIAL_AD_CATEGORY_PAGE).
RESTRICTED_TARGETING_CATEGORIES = frozenset({"HOUSING", "EMPLOYMENT", "CREDIT",
                                             "FINANCIAL_PRODUCTS_SERVICES"})
# From v23.0 an ad set is created with targeting_automation.advantage_audience
# 1 or 0 (ADVANTAGE_AUDIENCE_PAGE); Meta answers "Advantage Audience Flag
# Required" (code 100) when the targeting narrows what Advantage+ audience would
# widen (an age_max, one gender) and the flag is left out.
ADVANTAGE_FLAG_SINCE = "v23.0"

BUYING_TYPES = frozenset({"AUCTION", "RESERVED"})  # CAMPAIGN_REFERENCE (SDK types it as a string)
# What adflow sends when a file leaves these out. Objects are created PAUSED
# and activated as a separate step (Meta then reports PENDING_REVIEW).
DEFAULT_STATUS = "PAUSED"
DEFAULT_BUYING_TYPE = "AUCTION"  # Meta's default (Meta's references)
BID_STRATEGIES = frozenset({"COST_CAP", "LOWEST_COST_WITHOUT_CAP", "LOWEST_COST_WITH_BID_CAP",
                            "LOWEST_COST_WITH_MIN_ROAS"})  # SDK Campaign/AdSet.BidStrategy
# BID_STRATEGY_PAGE
BID_STRATEGIES_NEEDING_BID = frozenset({"LOWEST_COST_WITH_BID_CAP", "COST_CAP"})
# Bids automatically, with no cap: a bid_amount beside it is refused (subcode 1815858).
BID_STRATEGIES_WITHOUT_BID = frozenset({"LOWEST_COST_WITHOUT_CAP"})

# `execution_options` values per endpoint (SDK *.ExecutionOptions). The SDK's
# lead-form request has no execution_options; ERROR_HANDLING and CTM_GUIDE say every
# POST takes validate_only, so that one entry is from Meta's pages only.
EXECUTION_OPTIONS: dict[str, frozenset[str]] = {
    "campaigns": frozenset({"validate_only", "include_recommendations"}),
    "adsets": frozenset({"validate_only", "include_recommendations"}),
    "adcreatives": frozenset({"validate_only"}),
    "ads": frozenset({"validate_only", "include_recommendations", "synchronous_ad_review"}),
    "messenger_lead_forms": frozenset({"validate_only"}),
}

# -- ad set enums ---------------------------------------------------------------------------------

OPTIMIZATION_GOALS = frozenset({
    "ADVERTISER_SILOED_VALUE", "AD_RECALL_LIFT", "APP_INSTALLS",
    "APP_INSTALLS_AND_OFFSITE_CONVERSIONS", "AUTOMATIC_OBJECTIVE", "CONVERSATIONS",
    "DERIVED_EVENTS", "ENGAGED_PAGE_VIEWS", "ENGAGED_USERS", "EVENT_RESPONSES", "IMPRESSIONS",
    "IN_APP_VALUE", "LANDING_PAGE_VIEWS", "LEAD_GENERATION", "LINK_CLICKS",
    "MEANINGFUL_CALL_ATTEMPT", "MESSAGING_APPOINTMENT_CONVERSION",
    "MESSAGING_DEEP_CONVERSATION_AND_FOLLOW", "MESSAGING_PURCHASE_CONVERSION", "NONE",
    "OFFSITE_CONVERSIONS", "PAGE_LIKES", "POST_ENGAGEMENT", "PROFILE_AND_PAGE_ENGAGEMENT",
    "PROFILE_VISIT", "QUALITY_CALL", "QUALITY_LEAD", "REACH", "REMINDERS_SET", "SUBSCRIBERS",
    "THRUPLAY", "VALUE", "VISIT_INSTAGRAM_PROFILE"})  # SDK AdSet.OptimizationGoal (33)

BILLING_EVENTS = frozenset({  # SDK AdSet.BillingEvent
    "APP_INSTALLS", "CLICKS", "IMPRESSIONS", "LINK_CLICKS", "LISTING_INTERACTION", "NONE",
    "OFFER_CLAIMS", "PAGE_LIKES", "POST_ENGAGEMENT", "PURCHASE", "THRUPLAY"})
# Messaging ad sets "must be set to IMPRESSIONS" (Meta's Click-to-Messenger guide).
MESSAGING_BILLING_EVENT = "IMPRESSIONS"
DEFAULT_BILLING_EVENT = MESSAGING_BILLING_EVENT  # what adflow sends when a file leaves it out
# Goals that make an ad set a lead ad set: it needs a promoted page (Meta's references).
LEAD_GOALS = frozenset({"LEAD_GENERATION", "QUALITY_LEAD"})
# The destination of an Instant Form lead ad set: its ads' creatives name the
# form (call_to_action.value.lead_gen_form_id; LEAD_ADS_CREATE_PAGE).
INSTANT_FORM_DESTINATION = "ON_AD"

DESTINATION_TYPES = frozenset({
    "APP", "APPLINKS_AUTOMATIC", "FACEBOOK", "FACEBOOK_LIVE", "FACEBOOK_PAGE", "IMAGINE",
    "INSTAGRAM_DIRECT", "INSTAGRAM_LIVE", "INSTAGRAM_PROFILE",
    "INSTAGRAM_PROFILE_AND_FACEBOOK_PAGE", "MESSAGING_INSTAGRAM_DIRECT_MESSENGER",
    "MESSAGING_INSTAGRAM_DIRECT_MESSENGER_WHATSAPP", "MESSAGING_INSTAGRAM_DIRECT_WHATSAPP",
    "MESSAGING_MESSENGER_WHATSAPP", "MESSENGER", "ON_AD", "ON_EVENT", "ON_PAGE", "ON_POST",
    "ON_VIDEO", "SHOP_AUTOMATIC", "WEBSITE", "WHATSAPP"})  # SDK AdSet.DestinationType (23)
# Used by Meta's "Ad Set Destination Type" page and mapping table, missing
# from the SDK enum (Meta's references).
DESTINATION_TYPES_DOCUMENTED = frozenset({"UNDEFINED", "PHONE_CALL", "LEAD_FROM_MESSENGER",
                                          "LEAD_FROM_IG_DIRECT"})
ALL_DESTINATION_TYPES = DESTINATION_TYPES | DESTINATION_TYPES_DOCUMENTED

# Destinations that open a conversation: the ad set bills on IMPRESSIONS and
# needs promoted_object.page_id (Meta's references).
MESSAGING_DESTINATIONS = frozenset({
    "MESSENGER", "INSTAGRAM_DIRECT", "WHATSAPP", "MESSAGING_INSTAGRAM_DIRECT_MESSENGER",
    "MESSAGING_INSTAGRAM_DIRECT_MESSENGER_WHATSAPP", "MESSAGING_INSTAGRAM_DIRECT_WHATSAPP",
    "MESSAGING_MESSENGER_WHATSAPP", "LEAD_FROM_MESSENGER", "LEAD_FROM_IG_DIRECT"})

# Destinations that open a WhatsApp chat: a promoted WhatsApp number needs
# one of them (Meta's "Ads that Click to WhatsApp" page: destination_type
# WHATSAPP with promoted_object.whatsapp_phone_number).
WHATSAPP_DESTINATIONS = frozenset({
    "WHATSAPP", "MESSAGING_INSTAGRAM_DIRECT_MESSENGER_WHATSAPP",
    "MESSAGING_INSTAGRAM_DIRECT_WHATSAPP", "MESSAGING_MESSENGER_WHATSAPP"})

# Targeting (SDK Targeting.DevicePlatforms; TARGETING_PAGE names mobile and desktop).
DEVICE_PLATFORMS = frozenset({"mobile", "desktop", "connected_tv"})
# TARGETING_PAGE + Meta's "Placement Targeting" page (threads_positions). "whatsapp"
# (Status placement) is only reported by third-party API wrappers: uncertain.
PUBLISHER_PLATFORMS = frozenset({"facebook", "instagram", "messenger", "audience_network",
                                 "threads", "whatsapp"})
# The placement a destination's conversation opens in: leaving it out of
# publisher_platforms is worth a warning. Click-to-WhatsApp ads run on Facebook
# and Instagram placements, so WHATSAPP has no entry.
PLATFORM_FOR_DESTINATION = {"MESSENGER": "messenger", "LEAD_FROM_MESSENGER": "messenger",
                            "INSTAGRAM_DIRECT": "instagram", "LEAD_FROM_IG_DIRECT": "instagram"}

# ISO 3166-1 alpha-2 (249 codes) plus XK (Kosovo), which Meta's targeting
# accepts. SDK Campaign.SpecialAdCategoryCountry also has AC and AN: not ISO.
COUNTRY_CODES = frozenset({
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "XK", "YE", "YT", "ZA", "ZM", "ZW"})

# Money is an integer in the account currency's minor unit; these have none,
# so 2000 JPY is 2000 yen (Meta's references). CURRENCIES: SDK AdAccount.Currency.
OFFSET_ONE_CURRENCIES = frozenset({"CLP", "COP", "CRC", "HUF", "ISK", "IDR", "JPY", "KRW",
                                   "PYG", "TWD", "VND"})
# spend_cap has "a minimum value of $100 USD (or approximate local equivalent)"
# (CAMPAIGN_REFERENCE). adflow does not know the account's currency, so it
# refuses only a cap under $100 in every currency above: under 1,000 minor units
# (1,000 TWD, the dearest unit without cents, is about $32; 1,000 pence about $13).
SPEND_CAP_BELOW_MINIMUM_ANYWHERE = 1000
CURRENCIES = frozenset({
    "AED", "ARS", "AUD", "BDT", "BOB", "BRL", "CAD", "CHF", "CLP", "CNY", "COP", "CRC", "CZK",
    "DKK", "DZD", "EGP", "EUR", "GBP", "GTQ", "HKD", "HNL", "HUF", "IDR", "ILS", "INR", "ISK",
    "JPY", "KES", "KRW", "LKR", "MOP", "MXN", "MYR", "NGN", "NIO", "NOK", "NZD", "PEN", "PHP",
    "PKR", "PLN", "PYG", "QAR", "RON", "SAR", "SEK", "SGD", "THB", "TRY", "TWD", "UAH", "USD",
    "UYU", "VND", "ZAR"})

# -- creative enums -------------------------------------------------------------------------------

CALL_TO_ACTION_TYPES = frozenset({
    "ADD_TO_CART", "APPLY_NOW", "ASK_ABOUT_SERVICES", "ASK_A_QUESTION", "ASK_FOR_MORE_INFO",
    "ASK_US", "AUDIO_CALL", "BOOK_A_CONSULTATION", "BOOK_NOW", "BOOK_TRAVEL", "BROWSE_SHOP",
    "BUY", "BUY_NOW", "BUY_TICKETS", "BUY_VIA_MESSAGE", "CALL", "CALL_ME", "CALL_NOW",
    "CHAT_NOW", "CHAT_WITH_US", "CONFIRM", "CONTACT", "CONTACT_US", "DONATE", "DONATE_NOW",
    "DOWNLOAD", "EVENT_RSVP", "FIND_A_GROUP", "FIND_OUT_MORE", "FIND_YOUR_GROUPS",
    "FOLLOW_NEWS_STORYLINE", "FOLLOW_PAGE", "FOLLOW_USER", "GET_A_QUOTE", "GET_DETAILS",
    "GET_DIRECTIONS", "GET_IN_TOUCH", "GET_OFFER", "GET_OFFER_VIEW", "GET_PROMOTIONS",
    "GET_QUOTE", "GET_SHOWTIMES", "GET_STARTED", "INQUIRE_NOW", "INSTALL_APP",
    "INSTALL_MOBILE_APP", "JOIN_CHANNEL", "JOIN_LIVE_VIDEO", "LEARN_MORE", "LIKE_PAGE",
    "LISTEN_MUSIC", "LISTEN_NOW", "MAKE_AN_APPOINTMENT", "MESSAGE_PAGE", "MOBILE_DOWNLOAD",
    "NO_BUTTON", "OPEN_INSTANT_APP", "OPEN_LINK", "ORDER_NOW", "PAY_TO_ACCESS", "PLAY_GAME",
    "PLAY_GAME_ON_FACEBOOK", "PURCHASE_GIFT_CARDS", "RAISE_MONEY", "RECORD_NOW",
    "REFER_FRIENDS", "REQUEST_TIME", "SAY_THANKS", "SEE_MORE", "SEE_SHOP", "SELL_NOW",
    "SEND_A_GIFT", "SEND_GIFT_MONEY", "SEND_UPDATES", "SHARE", "SHOP_NOW", "SHOP_WITH_AI",
    "SIGN_UP", "SOTTO_SUBSCRIBE", "START_A_CHAT", "START_ORDER", "SUBSCRIBE",
    "SWIPE_UP_PRODUCT", "SWIPE_UP_SHOP", "TRY_DEMO", "TRY_ON_WITH_AI", "UPDATE_APP", "USE_APP",
    "USE_MOBILE_APP", "VIDEO_ANNOTATION", "VIDEO_CALL", "VIEW_CART", "VIEW_CHANNEL",
    "VIEW_IN_CART", "VIEW_PRODUCT", "VISIT_PAGES_FEED", "VISIT_WEBSITE", "WATCH_LIVE_VIDEO",
    "WATCH_MORE", "WATCH_VIDEO", "WHATSAPP_MESSAGE", "WOODHENGE_SUPPORT",
})  # SDK AdCreativeLinkDataCallToAction.Type (102)
# The Instagram Direct guide's button; missing from the SDK enum (Meta's references).
CALL_TO_ACTION_TYPES_DOCUMENTED = frozenset({"INSTAGRAM_MESSAGE"})
ALL_CALL_TO_ACTION_TYPES = CALL_TO_ACTION_TYPES | CALL_TO_ACTION_TYPES_DOCUMENTED

# call_to_action.value.app_destination of a messaging ad (CTM_GUIDE, CTIG_GUIDE, CTWA_GUIDE; the SDK
# types it as a plain string).
APP_DESTINATIONS = frozenset({"MESSENGER", "INSTAGRAM_DIRECT", "WHATSAPP"})
# The app_destination the creative must carry for an ad set destination_type.
APP_DESTINATION_FOR = {
    "MESSENGER": "MESSENGER", "LEAD_FROM_MESSENGER": "MESSENGER",
    "INSTAGRAM_DIRECT": "INSTAGRAM_DIRECT", "LEAD_FROM_IG_DIRECT": "INSTAGRAM_DIRECT",
    "WHATSAPP": "WHATSAPP"}
# The buttons the docs pair with each app destination (CTM_GUIDE, CTIG_GUIDE, CTWA_GUIDE);
# others are accepted but unusual.
USUAL_CTA_FOR = {"MESSENGER": frozenset({"MESSAGE_PAGE", "LEARN_MORE"}),
                 "INSTAGRAM_DIRECT": frozenset({"INSTAGRAM_MESSAGE", "LEARN_MORE"}),
                 "WHATSAPP": frozenset({"WHATSAPP_MESSAGE", "LEARN_MORE"})}

# The app a messaging button opens by itself (CTM_GUIDE, CTIG_GUIDE, CTWA_GUIDE).
APP_OF_BUTTON = {"MESSAGE_PAGE": "MESSENGER", "INSTAGRAM_MESSAGE": "INSTAGRAM_DIRECT",
                 "WHATSAPP_MESSAGE": "WHATSAPP"}

# degrees_of_freedom_spec.creative_features_spec.<feature>.enroll_status (Meta's references).
ENROLL_STATUSES = frozenset({"OPT_IN", "OPT_OUT"})
# What gives link_data its picture; a link alone is refused ("Please specify
# the media to run with this ad", as integrations quote Meta).
LINK_DATA_MEDIA_KEYS = ("image_hash", "picture", "child_attachments", "image_crops")
# Call-to-action types that take no value: WHATSAPP_MESSAGE opens the
# number linked to the Page (CTWA_GUIDE).
CTA_WITHOUT_VALUE = frozenset({"WHATSAPP_MESSAGE"})
# What gives video_data its thumbnail: without one Meta answers 1443226 "Please
# specify one of image_hash or image_url in the video_data field of
# object_story_spec" (VIDEO_DATA_REFERENCE; quoted by open-source clients).
VIDEO_THUMBNAIL_KEYS = ("image_url", "image_hash")
# Creative parameters that name existing content, written beside
# object_story_spec, never inside it (CREATIVE_REFERENCE; CTIG_GUIDE: an
# existing Instagram post). Inside it Meta answers "the link field is required".
CREATIVE_SOURCE_KEYS = ("source_instagram_media_id", "object_story_id", "object_id")
# The object_story_spec media keys, exactly one per creative (Meta's references).
STORY_MEDIA_KEYS = ("link_data", "video_data", "photo_data", "text_data")
# The formats a visual-editor greeting is written in: the API examples use
# text_format; Ads Manager writes image_format / video_format with media.
GREETING_FORMATS = ("text_format", "image_format", "video_format")
# Where else a creative's media may live, per Meta's pages: asset_feed_spec
# (top level: placement / segment asset customization) and
# object_story_spec.template_data (dynamic product ads).
OTHER_MEDIA_KEYS = ("asset_feed_spec", "template_data")

# Tokens Meta fills in in greetings and ice-breaker responses, written
# {{user_first_name}}; anything else in double braces reaches people as typed (CTM_GUIDE).
PERSONALIZATION_TOKENS = frozenset({"user_first_name", "user_last_name", "user_full_name",
                                    "page_name"})
PERSONALIZATION_TOKEN = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")  # group 1: the name

# -- Messenger lead forms (LEAD_FORMS_REFERENCE; seed) --------------------------------------------

LEAD_FORM_PARAMETERS = frozenset({
    "privacy_url", "template_name", "reminder_text", "step_list", "account_id",
    "block_send_api", "exit_keyphrases", "handover_app_id", "handover_summary",
    "stop_question_message", "tracking_parameters"})  # SDK Page.create_messenger_lead_form
LEAD_FORM_REQUIRED = frozenset({"privacy_url", "template_name", "reminder_text",
                                "step_list"})  # seed: "Your request must include"
LEAD_FORM_STEP_FIELDS = frozenset({
    "step_id", "step_type", "reply_type", "message", "answers", "next_step_ids", "prefill_type",
    "allow_to_skip", "answer_validation_enabled"})  # seed step_list table
LEAD_FORM_STEP_REQUIRED = frozenset({"step_id", "step_type", "reply_type", "message"})  # seed
LEAD_FORM_STEP_TYPES = frozenset({"INTRO", "QUESTION", "CONFIRMATION", "DISQUALIFY"})
LEAD_FORM_TERMINAL_STEP_TYPES = frozenset({"CONFIRMATION", "DISQUALIFY"})  # end the chat
LEAD_FORM_REPLY_TYPES = frozenset({"NONE", "PREFILL", "QUICK_REPLIES"})
LEAD_FORM_PREFILL_TYPES = frozenset({"CITY", "EMAIL", "PHONE"})
CONTACT_PREFILL_TYPES = frozenset({"EMAIL", "PHONE"})  # what lets a business reach a lead
# answer_validation_enabled works only for city, country, email, national ID,
# phone number and zip code answers (seed); of the prefill types, all three.
VALIDATABLE_PREFILL_TYPES = frozenset({"CITY", "EMAIL", "PHONE"})

# -- limits (CTM_GUIDE) ---------------------------------------------------------------------------

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

# -- deprecations (changelogs) --------------------------------------------------------------------


class Deprecation(NamedTuple):
    since: tuple[int, int] | None  # first API version affected; None: every version
    what: str
    code: str  # the adflow rule that reports it
    source: str
    on: date | None = None  # the day it took effect, when that is what matters
    certain: bool = True  # False: announced, but whether ads are affected is unclear


# Keyed by a stable name; `deprecated()` also takes the rule code.
DEPRECATIONS: dict[str, Deprecation] = {
    "lead_forms_via_api": Deprecation(
        (24, 0), "creating Messenger Ads for Leads through the API is deprecated "
                 "(Ads Manager still can)", "D001", changelog("v24.0")),
    "standard_enhancements": Deprecation(
        (22, 0), "the standard-enhancements bundle is deprecated and Meta refuses it on create "
                 "(error 100/3858504); opt in to each creative feature instead", "D002",
        changelog("v22.0") + " (Meta error 3858082, 3858504)"),
    "marketing_messages": Deprecation(
        None, "Messenger marketing (notification) messages, which Click-to-Subscribe relies "
              "on, were announced discontinued", "D003", CTM_GUIDE,
        on=date(2026, 2, 10), certain=False),
    "instagram_actor_id": Deprecation(
        None, "instagram_actor_id no longer works in any API version; use instagram_user_id",
        "C011", changelog("v22.0") + " (gone from every version on 9 Sep 2025)",
        on=date(2025, 9, 9)),
    "adset_budget_sharing": Deprecation(
        (24, 0), "a campaign without a campaign budget must send "
                 "is_adset_budget_sharing_enabled", "A006", changelog("v24.0")),
}
MARKETING_MESSAGES_RETIRED = date(2026, 2, 10)  # (uncertain for ads: a warning)


def deprecation(key: str) -> Deprecation:
    """By name ("lead_forms_via_api") or rule code ("D001"); KeyError if neither."""
    found = DEPRECATIONS.get(key)
    if found is None:
        found = next((d for d in DEPRECATIONS.values() if d.code == key), None)
    if found is None:
        raise KeyError(key)
    return found


def deprecated(key: str, version: str) -> bool:
    """Whether the deprecation `key` (name or code) applies to `version`.
    Date-based ones apply to every version; a malformed version to none."""
    since = deprecation(key).since
    if since is None:
        return True
    return at_least(version, since)


# -- POST parameters per endpoint (SDK create_* `_param_checker._type_check_info`) ----------------

POST_PARAMETERS: dict[str, frozenset[str]] = {
    "campaigns": frozenset({
        "adlabels", "bid_strategy", "budget_schedule_specs", "buying_type", "daily_budget",
        "execution_options", "frequency_control_specs", "is_adset_budget_sharing_enabled",
        "is_budget_schedule_enabled", "is_direct_send_campaign", "is_message_campaign",
        "is_meta_moment_maker_enabled", "is_reels_trending_ads_enabled",
        "is_skadnetwork_attribution", "iterative_split_test_configs", "lifetime_budget", "name",
        "objective", "pacing_type", "promoted_object", "smart_promotion_type",
        "source_campaign_id", "special_ad_categories", "special_ad_category_country",
        "spend_cap", "start_time", "status", "stop_time", "topline_id"}),
    "adsets": frozenset({
        "ad_set_goal", "adlabels", "adset_schedule", "attribution_count_type",
        "attribution_spec", "automatic_manual_state", "bid_adjustments", "bid_amount",
        "bid_constraints", "bid_strategy", "billing_event", "brand_safety_config",
        "budget_schedule_specs", "budget_source", "budget_split_set_id", "campaign_attribution",
        "campaign_id", "campaign_spec", "cost_bidding_mode", "creative_sequence",
        "creative_sequence_repetition_pattern", "daily_budget", "daily_imps",
        "daily_min_spend_target", "daily_spend_cap", "date_format", "destination_type",
        "dsa_beneficiary", "dsa_payor", "end_time", "execution_options",
        "existing_customer_budget_percentage", "frequency_control_specs",
        "full_funnel_exploration_mode", "is_ba_skip_delayed_eligible",
        "is_budget_schedule_enabled", "is_dc_follow_optimized", "is_dynamic_creative",
        "is_incremental_attribution_enabled", "is_sac_cfca_terms_certified",
        "is_sequenced_conversion_creation", "lifetime_budget", "lifetime_imps",
        "lifetime_min_spend_target", "lifetime_spend_cap", "line_number",
        "live_video_ad_campaign_config", "max_budget_spend_percentage", "meta_moment_maker_spec",
        "min_budget_spend_percentage", "multi_event_conversion_attribution_window_seconds",
        "multi_optimization_goal_weight", "name", "optimization_goal", "optimization_sub_event",
        "pacing_type", "placement_soft_opt_out", "promoted_object", "rb_prediction_id",
        "regional_regulated_categories", "regional_regulation_identities", "relative_value",
        "rf_prediction_id", "source_adset_id", "start_time", "status", "targeting",
        "time_based_ad_rotation_id_blocks", "time_based_ad_rotation_intervals", "time_start",
        "time_stop", "topline_id", "trending_topics_spec", "tune_for_category",
        "value_rule_set_id", "value_rules_applied"}),
    "adcreatives": frozenset({
        "actor_id", "ad_disclaimer_spec", "adlabels", "applink_treatment", "asset_feed_spec",
        "authorization_category", "body", "branded_content", "branded_content_sponsor_page_id",
        "bundle_folder_id", "call_to_action", "categorization_criteria", "category_media_source",
        "contextual_multi_ads", "creative_sourcing_spec", "degrees_of_freedom_spec",
        "destination_set_id", "destination_spec", "dynamic_ad_voice",
        "enable_launch_instant_app", "execution_options", "existing_post_title",
        "facebook_branded_content", "format_transformation_spec", "generative_asset_spec",
        "image_crops", "image_file", "image_hash", "image_url", "instagram_branded_content",
        "instagram_permalink_url", "instagram_user_id", "interactive_components_spec",
        "is_dco_internal", "link_og_id", "link_url", "marketing_message_structured_spec",
        "media_sourcing_spec", "name", "object_id", "object_story_id", "object_story_spec",
        "object_type", "object_url", "omnichannel_link_spec", "page_welcome_message",
        "place_page_set_id", "platform_customizations", "playable_asset_id",
        "portrait_customizations", "product_set_id", "product_suggestion_settings",
        "recommender_settings", "regional_regulation_disclaimer_spec", "source_facebook_post_id",
        "source_instagram_media_id", "template_url", "template_url_spec", "thumbnail_url",
        "title", "url_tags", "use_page_actor_override", "wamo_whatsapp_identity_spec"}),
    "ads": frozenset({
        "ad_schedule_end_time", "ad_schedule_start_time", "adlabels", "adset_id", "adset_spec",
        "audience_id", "bid_amount", "conversion_domain", "creative",
        "creative_asset_groups_spec", "creative_automation_spec", "date_format",
        "display_sequence", "draft_adgroup_id", "engagement_audience", "execution_options",
        "include_demolink_hashes", "name", "priority", "source_ad_id", "status",
        "tracking_specs"}),
    "messenger_lead_forms": LEAD_FORM_PARAMETERS,
}
# Top-level keys Meta's docs use that the SDK's checker lacks: the seed's
# product-extension examples send product_data beside object_story_id.
DOCUMENTED_EXTRA_PARAMETERS: dict[str, frozenset[str]] = {
    "adcreatives": frozenset({"product_data"}),
}

# -- wire formats: what Meta accepts on the wire, normalised before rules judge it ---------------
#
# Meta's SDK posts form-encoded parameters, so every value arrives as text: a
# dict, list or bool parameter as compact JSON (`_top_level_param_json_encode`
# in facebook_business/api.py), a number as its digits. Meta's own SDK
# examples write `'daily_budget': '1000'`. compiler/bodies/wire.py decodes these
# top-level parameters by the types below (SDK create_* `_type_check_info`).

# Numbers, ids excepted: ids stay strings end to end (they exceed 2^53).
NUMBER_PARAMETERS: dict[str, frozenset[str]] = {
    "campaigns": frozenset({"daily_budget", "lifetime_budget", "spend_cap"}),
    "adsets": frozenset({
        "bid_amount", "daily_budget", "daily_imps", "daily_min_spend_target", "daily_spend_cap",
        "existing_customer_budget_percentage", "lifetime_budget", "lifetime_imps",
        "lifetime_min_spend_target", "lifetime_spend_cap", "line_number",
        "max_budget_spend_percentage", "min_budget_spend_percentage",
        "multi_event_conversion_attribution_window_seconds", "relative_value"}),
    "adcreatives": frozenset(),
    "ads": frozenset({"bid_amount", "display_sequence", "priority"}),
    "messenger_lead_forms": frozenset(),
}
# Booleans ("true" / "false" on the wire).
BOOLEAN_PARAMETERS: dict[str, frozenset[str]] = {
    "campaigns": frozenset({
        "is_adset_budget_sharing_enabled", "is_budget_schedule_enabled",
        "is_direct_send_campaign", "is_message_campaign", "is_meta_moment_maker_enabled",
        "is_reels_trending_ads_enabled", "is_skadnetwork_attribution"}),
    "adsets": frozenset({
        "is_ba_skip_delayed_eligible", "is_budget_schedule_enabled", "is_dc_follow_optimized",
        "is_dynamic_creative", "is_incremental_attribution_enabled",
        "is_sac_cfca_terms_certified", "is_sequenced_conversion_creation",
        "value_rules_applied"}),
    "adcreatives": frozenset({"enable_launch_instant_app", "is_dco_internal",
                              "use_page_actor_override"}),
    "ads": frozenset({"engagement_audience", "include_demolink_hashes"}),
    "messenger_lead_forms": frozenset({"block_send_api", "handover_summary"}),
}
# Objects and lists (map, Object, list<...>, an SDK class): sent as JSON text.
JSON_PARAMETERS: dict[str, frozenset[str]] = {
    "campaigns": frozenset({
        "adlabels", "budget_schedule_specs", "execution_options", "frequency_control_specs",
        "iterative_split_test_configs", "pacing_type", "promoted_object",
        "special_ad_categories", "special_ad_category_country"}),
    "adsets": frozenset({
        "ad_set_goal", "adlabels", "adset_schedule", "attribution_spec", "bid_adjustments",
        "bid_constraints", "brand_safety_config", "budget_schedule_specs",
        "campaign_attribution", "campaign_spec", "creative_sequence", "execution_options",
        "frequency_control_specs", "live_video_ad_campaign_config", "meta_moment_maker_spec",
        "pacing_type", "placement_soft_opt_out", "promoted_object",
        "regional_regulated_categories", "regional_regulation_identities", "targeting",
        "time_based_ad_rotation_id_blocks", "time_based_ad_rotation_intervals",
        "trending_topics_spec"}),
    "adcreatives": frozenset({
        "ad_disclaimer_spec", "adlabels", "asset_feed_spec", "branded_content", "call_to_action",
        "contextual_multi_ads", "creative_sourcing_spec", "degrees_of_freedom_spec",
        "destination_spec", "execution_options", "facebook_branded_content",
        "format_transformation_spec", "generative_asset_spec", "image_crops",
        "instagram_branded_content", "interactive_components_spec",
        "marketing_message_structured_spec", "media_sourcing_spec", "object_story_spec",
        "omnichannel_link_spec", "platform_customizations", "portrait_customizations",
        "product_suggestion_settings", "recommender_settings",
        "regional_regulation_disclaimer_spec", "wamo_whatsapp_identity_spec",
        # Meta's product-extension pages send it beside object_story_id (not in the SDK).
        "product_data"}),
    "ads": frozenset({
        "adlabels", "adset_spec", "creative", "creative_asset_groups_spec",
        "creative_automation_spec", "execution_options", "tracking_specs"}),
    # execution_options: not in the SDK's request, taken by every POST (EXECUTION_OPTIONS).
    "messenger_lead_forms": frozenset({"execution_options", "step_list", "tracking_parameters"}),
}

# -- objective x destination_type x optimization_goal (CAMPAIGN_REFERENCE) ------------------------


class GoalRow(NamedTuple):
    objective: str
    destination: str
    goals: frozenset[str]
    source: str
    certain: bool  # False: the sources disagree, so matching only this row is a warning


def _rows(objectives: tuple[str, ...], destination: str, goals: str, source: str,
          certain: bool = True) -> tuple[GoalRow, ...]:
    return tuple(GoalRow(o, destination, frozenset(goals.split()), source, certain)
                 for o in objectives)


_MAP = "Meta's Ad Campaign reference (objective mapping table)"
# Rows of the same Meta table, as recalled: only
# on destinations that are not judged, so a mistake can hide a finding but
# never invent one.
_MAP_EXTRA = "Ad Campaign reference mapping table (recalled rows)"
_IG_MORE = "inferred from the Messenger row (Meta's Click-to-Instagram guide lists more goals)"
_INFERRED = ("inferred: an SDK goal made for messaging, in none of Meta's tables; "
             "warn rather than fail")
_ENGAGEMENT = ("OUTCOME_ENGAGEMENT",)
_SALES = ("OUTCOME_SALES",)
_TRAFFIC = ("OUTCOME_TRAFFIC",)
_LEADS = ("OUTCOME_LEADS",)

GOAL_TABLE: tuple[GoalRow, ...] = (
    # Click-to-Messenger.
    *_rows(_ENGAGEMENT, "MESSENGER", "CONVERSATIONS LINK_CLICKS LEAD_GENERATION", _MAP),
    *_rows(_SALES, "MESSENGER", "CONVERSATIONS", _MAP),
    *_rows(_SALES, "MESSENGER", "OFFSITE_CONVERSIONS", f"{_MAP}, uncertain", certain=False),
    *_rows(_TRAFFIC, "MESSENGER", "LINK_CLICKS REACH IMPRESSIONS", _MAP),
    *_rows(_TRAFFIC, "MESSENGER", "CONVERSATIONS",
           "Meta's Click-to-Messenger guide (also for Click-to-Subscribe)"),
    # Messenger Ads for Leads: the CTM guide's API examples send MESSENGER;
    # the mapping table's LEAD_FROM_MESSENGER is not in the SDK's enum, so it
    # is the uncertain one (A002's warning then advises MESSENGER).
    *_rows(_LEADS, "MESSENGER", "LEAD_GENERATION QUALITY_LEAD",
           "Meta's Click-to-Messenger guide (Messenger ads for leads)"),
    *_rows(_LEADS, "LEAD_FROM_MESSENGER", "LEAD_GENERATION QUALITY_LEAD",
           "Meta's Ad Campaign mapping table only; the Click-to-Messenger guide and the SDK "
           "send MESSENGER",
           certain=False),
    *_rows(_LEADS, "ON_AD", "LEAD_GENERATION QUALITY_LEAD", _MAP),
    # Click-to-Instagram Direct.
    *_rows(_ENGAGEMENT + _SALES + _TRAFFIC, "INSTAGRAM_DIRECT", "CONVERSATIONS LINK_CLICKS",
           "Meta's Ads that Click to Instagram guide"),
    # The IG guide lists "others" it does not name: Messenger's, as warnings.
    *_rows(_ENGAGEMENT, "INSTAGRAM_DIRECT", "LEAD_GENERATION",
           _IG_MORE, certain=False),
    *_rows(_SALES, "INSTAGRAM_DIRECT", "OFFSITE_CONVERSIONS",
           _IG_MORE, certain=False),
    *_rows(_TRAFFIC, "INSTAGRAM_DIRECT", "REACH IMPRESSIONS",
           _IG_MORE, certain=False),
    *_rows(_LEADS, "INSTAGRAM_DIRECT", "LEAD_GENERATION QUALITY_LEAD",
           "inferred from the Messenger lead rows", certain=False),
    *_rows(_LEADS, "LEAD_FROM_IG_DIRECT", "LEAD_GENERATION QUALITY_LEAD",
           "Meta's Ad Set Destination Type page; goals inferred from LEAD_FROM_MESSENGER",
           certain=False),
    # Messaging-specific goals of the SDK enum, by name only.
    *_rows(_SALES, "MESSENGER", "MESSAGING_PURCHASE_CONVERSION", _INFERRED, certain=False),
    *_rows(_SALES, "INSTAGRAM_DIRECT", "MESSAGING_PURCHASE_CONVERSION", _INFERRED,
           certain=False),
    *_rows(_ENGAGEMENT + _LEADS, "MESSENGER", "MESSAGING_APPOINTMENT_CONVERSION", _INFERRED,
           certain=False),
    *_rows(_ENGAGEMENT + _LEADS, "INSTAGRAM_DIRECT", "MESSAGING_APPOINTMENT_CONVERSION",
           _INFERRED, certain=False),
    *_rows(_ENGAGEMENT, "INSTAGRAM_DIRECT", "MESSAGING_DEEP_CONVERSATION_AND_FOLLOW",
           _INFERRED, certain=False),
    # Non-messaging destinations: rows only confirm; no destination below is
    # judged (see JUDGED_DESTINATIONS), so a goal missing here is "unknown".
    *_rows(_TRAFFIC, "WEBSITE", "LINK_CLICKS LANDING_PAGE_VIEWS IMPRESSIONS REACH",
           _MAP_EXTRA),
    *_rows(_SALES, "WEBSITE",
           "OFFSITE_CONVERSIONS VALUE LINK_CLICKS LANDING_PAGE_VIEWS IMPRESSIONS REACH",
           _MAP_EXTRA),
    *_rows(_LEADS + _ENGAGEMENT, "WEBSITE",
           "OFFSITE_CONVERSIONS LINK_CLICKS LANDING_PAGE_VIEWS IMPRESSIONS REACH", _MAP_EXTRA),
    *_rows(_ENGAGEMENT, "ON_POST", "POST_ENGAGEMENT IMPRESSIONS REACH", _MAP_EXTRA),
    *_rows(_ENGAGEMENT, "ON_EVENT", "EVENT_RESPONSES POST_ENGAGEMENT IMPRESSIONS REACH",
           _MAP_EXTRA),
    *_rows(_ENGAGEMENT, "ON_VIDEO", "THRUPLAY", _MAP_EXTRA),
    *_rows(_ENGAGEMENT, "ON_PAGE", "PAGE_LIKES", _MAP_EXTRA),
    *_rows(_LEADS, "PHONE_CALL", "QUALITY_CALL", _MAP_EXTRA),
)

# Destinations valid with a single objective (DESTINATION_TYPE_PAGE; Meta error 1815715
# for ON_AD under OUTCOME_ENGAGEMENT).
ONLY_WITH_OBJECTIVE = {"ON_AD": "OUTCOME_LEADS", "ON_POST": "OUTCOME_ENGAGEMENT",
                       "ON_VIDEO": "OUTCOME_ENGAGEMENT", "ON_PAGE": "OUTCOME_ENGAGEMENT",
                       "ON_EVENT": "OUTCOME_ENGAGEMENT"}
# Destination types only a mapping table names, and the one Meta's guides
# and SDK send for the same ads: A002 advises it.
SENT_DESTINATION_FOR = {"LEAD_FROM_MESSENGER": "MESSENGER",
                        "LEAD_FROM_IG_DIRECT": "INSTAGRAM_DIRECT"}
# Destinations whose rows are complete (the messaging rows of CAMPAIGN_REFERENCE's table): a
# combination in no row is invalid. Elsewhere the table only confirms.
JUDGED_DESTINATIONS = frozenset({"MESSENGER", "LEAD_FROM_MESSENGER", "INSTAGRAM_DIRECT",
                                 "LEAD_FROM_IG_DIRECT", "ON_AD"})

Verdict = Literal["ok", "uncertain", "invalid", "unknown"]


def goal_combination(objective: str, destination: str, goal: str) -> Verdict:
    """"ok": in a certain row; "uncertain": only in rows the sources disagree
    on (a warning); "invalid": the destination needs another objective, or
    the destination is judged and no row has the goal; "unknown": the table
    does not speak for this destination (no finding)."""
    only = ONLY_WITH_OBJECTIVE.get(destination)
    if only is not None and only != objective:
        return "invalid"
    rows = [r for r in GOAL_TABLE
            if r.objective == objective and r.destination == destination and goal in r.goals]
    if any(r.certain for r in rows):
        return "ok"
    if rows:
        return "uncertain"
    return "invalid" if destination in JUDGED_DESTINATIONS else "unknown"


def goals_for(objective: str, destination: str) -> frozenset[str]:
    """Every goal some row lists for the pair (certain or not)."""
    return frozenset(g for r in GOAL_TABLE
                     if r.objective == objective and r.destination == destination
                     for g in r.goals)


# -- errors and retries (ERROR_HANDLING), for the curl bundle -------------------------------------

# Throttling and transient server errors: back off (jittered, exponential)
# and retry. 4/17/32/613/80000-80014 are rate limits: honour
# X-Business-Use-Case-Usage estimated_time_to_regain_access when present.
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, *range(80000, 80015)})
RETRYABLE_CODES = RATE_LIMIT_CODES | {1, 2, 341, 368}
# An unknown error (1) or a service temporarily unavailable (2) may come after
# the request was carried out: a create answered so is never sent blindly again
# (its outcome is unknown); an update, which repeats safely, is retried.
OUTCOME_UNKNOWN_CODES = frozenset({1, 2})
# Invalid parameter, token, permissions: retrying cannot help.
NEVER_RETRY_CODES = frozenset({100, 190, 10, *range(200, 300)})
MUTATIONS_PER_SECOND = 100  # Meta's guidance per app and ad account (RATE_LIMITING)


def should_retry(code: int, is_transient: bool = False) -> bool:
    """Retry on a retryable code or `is_transient: true`; a never-retry code
    wins over is_transient, since repeating a create is never free."""
    if code in NEVER_RETRY_CODES:
        return False
    return code in RETRYABLE_CODES or is_transient


# Meta error subcodes adflow's rules prevent, and their cause (ERROR_REFERENCE; the
# goal one arrives with code 100, the others' codes are not recorded there).
PREVENTED_ERRORS: dict[int, str] = {
    2490408: "optimization goal not valid for the objective",
    1815715: "ON_AD destination with OUTCOME_ENGAGEMENT",
    1885154: "missing promoted object",
    1892075: "lead form without a privacy policy",
    3858082: "standard-enhancements enroll_status",
    1885621: "budget on both the campaign and the ad set",
    1885029: "promoted page differs from the creative's page",
}


# -- change management: what Meta lets you edit, and its errors ----------------------
# Source: each object's `#update`
# parameter list in Meta's SDK codegen specs (facebook-business-sdk-codegen
# api_specs/specs/*.json, v25). A top-level body field not listed here cannot
# be changed in place: `adflow plan` marks the object `replace` (a new one is
# created and whatever referred to the old one is pointed at it).

EDITABLE_FIELDS: dict[str, frozenset[str]] = {
    # special_ad_categories is "uncertain" in the notes: replacing is always safe.
    "campaign": frozenset({"name", "status", "daily_budget", "lifetime_budget", "spend_cap",
                           "bid_strategy", "start_time", "stop_time", "adlabels"}),
    # optimization_goal, billing_event and destination_type are on the update
    # list but may lock once the ad set delivers; targeting is replaced whole.
    "adset": frozenset({"name", "status", "daily_budget", "lifetime_budget", "bid_amount",
                        "bid_strategy", "start_time", "end_time", "adlabels", "targeting",
                        "optimization_goal", "billing_event", "destination_type"}),
    # Anything else answers code 100 / subcode 1815573.
    "creative": frozenset({"name", "status", "adlabels"}),
    "ad": frozenset({"name", "status", "creative", "tracking_specs", "conversion_domain",
                     "adlabels"}),
    "lead_form": frozenset(),  # Messenger lead forms have no update endpoint
}
# The error Meta answers for an edit it refuses (editing a creative).
UNEDITABLE_ERROR = (100, 1815573, "The parameter is not supported")

# Reading back (`GET /{id}?fields=`) for drift: keys Meta renames on the way
# back, per (kind, top-level field). Other differences the comparison
# tolerates, from the same notes: numbers come back as strings (budgets),
# arrays in any order, objects with keys adflow never sent, JSON text fields
# (page_welcome_message) as text to parse.
READ_BACK_RENAMES: dict[tuple[str, str], dict[str, str]] = {
    ("ad", "creative"): {"creative_id": "id"},  # creative{id}
}

# Graph error subcodes for common Click-to-Messenger mistakes, with their
# meaning (ERROR_REFERENCE and the errors integrations quote).
# Printed by the bundle and `adflow explain ERROR.json` next to the line.
ERROR_SUBCODES: dict[int, str] = {
    2490408: "the optimization goal is not available for the campaign's objective",
    1815715: "the destination is not allowed for the objective (e.g. ON_AD under "
             "OUTCOME_ENGAGEMENT)",
    1885154: "the ad set needs a promoted object (promoted_object.page_id)",
    3390001: "the lead form is missing: lead_gen_form_id was dropped from the call to action",
    1885553: "the ad set does not support dynamic creative",
    1892085: "missing field(s): FollowUpActionURL",
    1892075: "either legal_content_id or privacy_policy is required",
    1815573: "the parameter is not supported: Meta does not let this field be edited "
             "(create a new object instead)",
    1815198: "frequency_control_specs cannot be changed after the ad set is created",
    2446079: "rate limit reached: retry with backoff",
    5044001: "rate limit reached: retry with backoff",
}


# -- Graph error codes the curl bundle and the sandbox answer with --------------------------------

# RETRYABLE_CODES and NEVER_RETRY_CODES above are what the curl bundle retries
# (emitters/curl.py writes them into it); this names the source of each code
# and the message Meta sends with it, which `adflow sandbox --fail N:CODE`
# answers. `transient`: the page calls it a temporary issue (downtime), so the
# sandbox sets is_transient.
_ERROR_HANDLING = "Graph API guides/error-handling"
_ERROR_REFERENCE = "Marketing API error-reference"
_MARKETING_LIMITS = "Marketing API overview/rate-limiting"
_BUC_LIMITS = "Graph API overview/rate-limiting, Business Use Case limits"


class GraphError(NamedTuple):
    message: str
    transient: bool
    source: str


GRAPH_ERRORS: dict[int, GraphError] = {
    1: GraphError("An unknown error occurred", True, _ERROR_HANDLING),
    2: GraphError("Service temporarily unavailable", True, _ERROR_HANDLING),
    4: GraphError("Application request limit reached", False, _ERROR_HANDLING),
    10: GraphError("Application does not have permission for this action", False,
                   _ERROR_REFERENCE),
    17: GraphError("User request limit reached", False, _ERROR_HANDLING),
    32: GraphError("Page request limit reached", False, _BUC_LIMITS),
    100: GraphError("Invalid parameter", False, _ERROR_REFERENCE),
    104: GraphError("An access token is required to request this resource.", False,
                    _ERROR_HANDLING),
    190: GraphError("Invalid OAuth access token", False, _ERROR_HANDLING),
    341: GraphError("Application limit reached", False, _ERROR_HANDLING),
    368: GraphError("The action attempted has been deemed abusive or is otherwise disallowed",
                    False, _ERROR_HANDLING),
    613: GraphError("There have been too many calls from this ad-account. Please wait a bit "
                    "and try again.", False, _MARKETING_LIMITS),
    **{code: GraphError("There have been too many calls to this ad-account", False, _BUC_LIMITS)
       for code in range(80000, 80015)},
}
