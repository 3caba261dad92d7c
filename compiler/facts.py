"""Facts about the Graph API, in one place, each with its source.

Rules consult this module and nothing else for enums, limits, the
objective x destination x optimization-goal table and what changed in which
API version, so targeting another version is a one-line change in a file.
Sources: "SDK" is facebook-business 25.0.3 (Meta's generated Python client,
cross-checked by tests/test_sdk_params.py); "domain" is docs/domain.md, which
summarises Meta's Marketing API pages and corrects the seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# -- versions ------------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    name: str
    released: date
    expires: date | None


# domain §6; expiry is about two years after release (Meta's versioning policy).
VERSIONS: dict[str, Version] = {v.name: v for v in (
    Version("v22.0", date(2025, 1, 21), date(2027, 2, 1)),
    Version("v23.0", date(2025, 5, 29), date(2027, 6, 1)),
    Version("v24.0", date(2025, 10, 8), date(2027, 10, 1)),
    Version("v25.0", date(2026, 2, 18), date(2027, 2, 18)),
    Version("v26.0", date(2026, 7, 15), None),
    Version("v27.0", date(2026, 11, 12), None),
)}
DEFAULT_API_VERSION = "v25.0"  # the seed's version (domain §6)


def version_tuple(name: str) -> tuple[int, int] | None:
    """"v25.0" -> (25, 0); None when the text is not a version."""
    head, _, minor = name.removeprefix("v").partition(".")
    if not head.isdigit() or not minor.isdigit():
        return None
    return int(head), int(minor)


def at_least(version: str, since: str) -> bool:
    mine, need = version_tuple(version), version_tuple(since)
    return mine is not None and need is not None and mine >= need


# -- enums (SDK facebook-business 25.0.3 unless noted) -----------------------------------

OBJECTIVES = frozenset({
    "APP_INSTALLS", "BRAND_AWARENESS", "CONVERSIONS", "EVENT_RESPONSES", "LEAD_GENERATION",
    "LINK_CLICKS", "LOCAL_AWARENESS", "MESSAGES", "OFFER_CLAIMS", "OUTCOME_APP_PROMOTION",
    "OUTCOME_AWARENESS", "OUTCOME_ENGAGEMENT", "OUTCOME_LEADS", "OUTCOME_SALES",
    "OUTCOME_TRAFFIC", "PAGE_LIKES", "POST_ENGAGEMENT", "PRODUCT_CATALOG_SALES", "REACH",
    "STORE_VISITS", "VIDEO_VIEWS"})  # SDK Campaign.Objective
# Only the outcome-based objectives create new campaigns (domain §2).
NEW_CAMPAIGN_OBJECTIVES = frozenset(o for o in OBJECTIVES if o.startswith("OUTCOME_"))

OPTIMIZATION_GOALS = frozenset({
    "ADVERTISER_SILOED_VALUE", "AD_RECALL_LIFT", "APP_INSTALLS",
    "APP_INSTALLS_AND_OFFSITE_CONVERSIONS", "AUTOMATIC_OBJECTIVE", "CONVERSATIONS",
    "DERIVED_EVENTS", "ENGAGED_PAGE_VIEWS", "ENGAGED_USERS", "EVENT_RESPONSES", "IMPRESSIONS",
    "IN_APP_VALUE", "LANDING_PAGE_VIEWS", "LEAD_GENERATION", "LINK_CLICKS",
    "MEANINGFUL_CALL_ATTEMPT", "MESSAGING_APPOINTMENT_CONVERSION",
    "MESSAGING_DEEP_CONVERSATION_AND_FOLLOW", "MESSAGING_PURCHASE_CONVERSION", "NONE",
    "OFFSITE_CONVERSIONS", "PAGE_LIKES", "POST_ENGAGEMENT", "PROFILE_AND_PAGE_ENGAGEMENT",
    "PROFILE_VISIT", "QUALITY_CALL", "QUALITY_LEAD", "REACH", "REMINDERS_SET", "SUBSCRIBERS",
    "THRUPLAY", "VALUE", "VISIT_INSTAGRAM_PROFILE"})  # SDK AdSet.OptimizationGoal

BILLING_EVENTS = frozenset({
    "APP_INSTALLS", "CLICKS", "IMPRESSIONS", "LINK_CLICKS", "LISTING_INTERACTION", "NONE",
    "OFFER_CLAIMS", "PAGE_LIKES", "POST_ENGAGEMENT", "PURCHASE", "THRUPLAY"})  # SDK AdSet.BillingEvent

DESTINATION_TYPES = frozenset({
    "APP", "APPLINKS_AUTOMATIC", "FACEBOOK", "FACEBOOK_LIVE", "FACEBOOK_PAGE", "IMAGINE",
    "INSTAGRAM_DIRECT", "INSTAGRAM_LIVE", "INSTAGRAM_PROFILE",
    "INSTAGRAM_PROFILE_AND_FACEBOOK_PAGE", "MESSAGING_INSTAGRAM_DIRECT_MESSENGER",
    "MESSAGING_INSTAGRAM_DIRECT_MESSENGER_WHATSAPP", "MESSAGING_INSTAGRAM_DIRECT_WHATSAPP",
    "MESSAGING_MESSENGER_WHATSAPP", "MESSENGER", "ON_AD", "ON_EVENT", "ON_PAGE", "ON_POST",
    "ON_VIDEO", "SHOP_AUTOMATIC", "WEBSITE", "WHATSAPP"})  # SDK AdSet.DestinationType
# Used by Meta's docs but missing from the SDK enum (domain §2).
DESTINATION_TYPES_DOCUMENTED = frozenset({"UNDEFINED", "PHONE_CALL", "LEAD_FROM_MESSENGER",
                                          "LEAD_FROM_IG_DIRECT"})
ALL_DESTINATION_TYPES = DESTINATION_TYPES | DESTINATION_TYPES_DOCUMENTED

# Destinations that open a conversation: these ad sets bill on IMPRESSIONS and
# need a promoted page (domain §2).
MESSAGING_DESTINATIONS = frozenset({
    "MESSENGER", "INSTAGRAM_DIRECT", "WHATSAPP", "MESSAGING_INSTAGRAM_DIRECT_MESSENGER",
    "MESSAGING_INSTAGRAM_DIRECT_MESSENGER_WHATSAPP", "MESSAGING_INSTAGRAM_DIRECT_WHATSAPP",
    "MESSAGING_MESSENGER_WHATSAPP", "LEAD_FROM_MESSENGER", "LEAD_FROM_IG_DIRECT"})
# The app_destination a creative's call to action must carry for a destination.
APP_DESTINATION_FOR = {
    "MESSENGER": "MESSENGER", "LEAD_FROM_MESSENGER": "MESSENGER",
    "INSTAGRAM_DIRECT": "INSTAGRAM_DIRECT", "LEAD_FROM_IG_DIRECT": "INSTAGRAM_DIRECT",
    "WHATSAPP": "WHATSAPP"}
APP_DESTINATIONS = frozenset({"MESSENGER", "INSTAGRAM_DIRECT", "WHATSAPP"})  # domain §2
# The usual button per app destination; others work but are unusual (domain §2).
USUAL_CTA_FOR = {"MESSENGER": frozenset({"MESSAGE_PAGE", "LEARN_MORE"}),
                 "INSTAGRAM_DIRECT": frozenset({"INSTAGRAM_MESSAGE", "LEARN_MORE"}),
                 "WHATSAPP": frozenset({"WHATSAPP_MESSAGE", "LEARN_MORE"})}

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
    "WATCH_MORE", "WATCH_VIDEO", "WHATSAPP_MESSAGE", "WOODHENGE_SUPPORT"})  # SDK CTA Type
# Used by the Instagram Direct docs but missing from the SDK enum (domain §2).
CALL_TO_ACTION_TYPES_DOCUMENTED = frozenset({"INSTAGRAM_MESSAGE"})
ALL_CALL_TO_ACTION_TYPES = CALL_TO_ACTION_TYPES | CALL_TO_ACTION_TYPES_DOCUMENTED

SETTABLE_STATUSES = frozenset({"ACTIVE", "PAUSED", "ARCHIVED", "DELETED"})  # SDK Campaign.Status
# Effective statuses Meta reports but never accepts in a create (domain §2).
REPORTED_STATUSES = frozenset({"PENDING_REVIEW", "DISAPPROVED", "PREAPPROVED",
                               "PENDING_BILLING_INFO", "CAMPAIGN_PAUSED", "ADSET_PAUSED",
                               "IN_PROCESS", "WITH_ISSUES"})

SPECIAL_AD_CATEGORIES = frozenset({
    "NONE", "EMPLOYMENT", "HOUSING", "CREDIT", "FINANCIAL_PRODUCTS_SERVICES",
    "ISSUES_ELECTIONS_POLITICS", "ONLINE_GAMBLING_AND_GAMING"})  # SDK SpecialAdCategories
SUPERSEDED_CATEGORIES = {"CREDIT": "FINANCIAL_PRODUCTS_SERVICES"}  # since Jan 2025 (domain §2)

BUYING_TYPES = frozenset({"AUCTION", "RESERVED"})  # domain §2
BID_STRATEGIES = frozenset({"COST_CAP", "LOWEST_COST_WITHOUT_CAP", "LOWEST_COST_WITH_BID_CAP",
                            "LOWEST_COST_WITH_MIN_ROAS"})  # SDK AdSet.BidStrategy
BID_STRATEGIES_NEEDING_BID = frozenset({"LOWEST_COST_WITH_BID_CAP", "COST_CAP"})  # domain §2
DEVICE_PLATFORMS = frozenset({"mobile", "desktop"})  # domain §2
PUBLISHER_PLATFORMS = frozenset({"facebook", "instagram", "messenger", "audience_network",
                                 "whatsapp", "threads"})  # domain §2 + targeting docs
# Which publisher platform a messaging destination needs.
PLATFORM_FOR_DESTINATION = {"MESSENGER": "messenger", "INSTAGRAM_DIRECT": "instagram",
                            "LEAD_FROM_MESSENGER": "messenger",
                            "LEAD_FROM_IG_DIRECT": "instagram", "WHATSAPP": "whatsapp"}
ENROLL_STATUSES = frozenset({"OPT_IN", "OPT_OUT"})  # domain §2

# Currencies without a minor unit: money is whole units there (domain §2).
OFFSET_ONE_CURRENCIES = frozenset({"CLP", "COP", "CRC", "HUF", "ISK", "IDR", "JPY", "KRW",
                                   "PYG", "TWD", "VND"})

COUNTRY_CODES = frozenset("""
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR
    BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ
    EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW
    GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY
    KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV
    MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY
    QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG
    TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA
    ZM ZW
""".split())  # ISO 3166-1 alpha-2, plus XK (Kosovo), which Meta's targeting accepts

# -- lead forms (domain §4; seed) ----------------------------------------------------------

LEAD_FORM_STEP_TYPES = frozenset({"INTRO", "QUESTION", "CONFIRMATION", "DISQUALIFY"})
LEAD_FORM_REPLY_TYPES = frozenset({"NONE", "PREFILL", "QUICK_REPLIES"})
LEAD_FORM_PREFILL_TYPES = frozenset({"CITY", "EMAIL", "PHONE"})
CONTACT_PREFILL_TYPES = frozenset({"EMAIL", "PHONE"})  # what lets a business reach a lead

# -- welcome messages (domain §3) ------------------------------------------------------------


@dataclass(frozen=True)
class Limit:
    value: int
    documented: bool  # False: sources disagree, so exceeding it is only a warning


WELCOME_TEXT = Limit(300, True)
ICE_BREAKER_TITLE = Limit(80, True)
ICE_BREAKER_RESPONSE = Limit(300, True)
ICE_BREAKERS_MAX = Limit(5, False)  # Ads Manager allows 5
ICE_BREAKERS_PROFILE_MAX = 4  # the profile API allows 4: more is a warning
TEMPLATES_MAX = Limit(5, True)
QUICK_REPLIES_MAX = Limit(13, True)
QUICK_REPLY_TITLE = Limit(20, False)  # truncated after 20 characters
QUICK_REPLY_PAYLOAD = Limit(1000, True)
GENERIC_TEMPLATE_ELEMENTS = Limit(10, True)
GENERIC_TEMPLATE_TEXT = Limit(80, True)  # element title and subtitle
GENERIC_TEMPLATE_BUTTONS = Limit(3, True)
BUTTON_TITLE = Limit(20, False)
CALL_PROMPT_MESSAGE = Limit(80, False)
ADSETS_PER_CAMPAIGN = 200

PERSONALIZATION_TOKENS = frozenset({"user_first_name", "user_last_name", "user_full_name",
                                    "page_name"})

# -- version-dependent facts (domain §6) ----------------------------------------------------

# code -> (first version it applies to, what, source)
DEPRECATIONS: dict[str, tuple[str, str]] = {
    "lead_forms_via_api": ("v24.0", "creating Messenger Ads for Leads through the API is "
                                    "deprecated (Ads Manager still can)"),
    "standard_enhancements": ("v22.0", "the standard-enhancements bundle is deprecated; "
                                       "opt in to each creative feature instead"),
    "adset_budget_sharing": ("v24.0", "campaigns must send is_adset_budget_sharing_enabled "
                                      "when the budget is on the ad sets"),
}
# Independent of the version targeted: gone everywhere on a date.
INSTAGRAM_ACTOR_ID_DEAD_SINCE = date(2025, 9, 9)
MARKETING_MESSAGES_RETIRED = date(2026, 2, 10)  # (uncertain for ads: a warning)


def deprecated(what: str, version: str) -> bool:
    since, _ = DEPRECATIONS[what]
    return at_least(version, since)


# -- POST parameters per endpoint (SDK create_* param checkers) ------------------------------

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
    "messenger_lead_forms": frozenset({
        "account_id", "block_send_api", "exit_keyphrases", "handover_app_id",
        "handover_summary", "privacy_url", "reminder_text", "step_list",
        "stop_question_message", "template_name", "tracking_parameters"}),
}
# Top-level keys Meta's docs use that the SDK's checker does not list: the
# product-extension examples send product_data beside object_story_id (seed).
DOCUMENTED_EXTRA_PARAMETERS: dict[str, frozenset[str]] = {
    "adcreatives": frozenset({"product_data"}),
}

# -- the objective x destination x goal table (domain §2, "messaging rows") -------------------


@dataclass(frozen=True)
class GoalRow:
    objective: str
    destination: str
    goals: frozenset[str]
    certain: bool  # False: sources conflict, so matching only this row is a warning
    source: str


GOAL_TABLE: tuple[GoalRow, ...] = (
    GoalRow("OUTCOME_ENGAGEMENT", "MESSENGER",
            frozenset({"CONVERSATIONS", "LINK_CLICKS", "LEAD_GENERATION"}), True, "mapping table"),
    GoalRow("OUTCOME_SALES", "MESSENGER", frozenset({"CONVERSATIONS"}), True, "mapping table"),
    GoalRow("OUTCOME_SALES", "MESSENGER", frozenset({"OFFSITE_CONVERSIONS"}), False,
            "mapping table (uncertain)"),
    GoalRow("OUTCOME_TRAFFIC", "MESSENGER",
            frozenset({"LINK_CLICKS", "REACH", "IMPRESSIONS"}), True, "mapping table"),
    GoalRow("OUTCOME_TRAFFIC", "MESSENGER", frozenset({"CONVERSATIONS"}), True, "CTM guide"),
    GoalRow("OUTCOME_LEADS", "MESSENGER", frozenset({"LEAD_GENERATION", "QUALITY_LEAD"}), False,
            "CTM guide; the mapping table says LEAD_FROM_MESSENGER"),
    GoalRow("OUTCOME_LEADS", "LEAD_FROM_MESSENGER", frozenset({"LEAD_GENERATION", "QUALITY_LEAD"}),
            False, "mapping table; the CTM guide says MESSENGER"),
    GoalRow("OUTCOME_LEADS", "ON_AD", frozenset({"LEAD_GENERATION", "QUALITY_LEAD"}), True,
            "mapping table"),
    *(GoalRow(objective, "INSTAGRAM_DIRECT", frozenset({"CONVERSATIONS", "LINK_CLICKS"}), True,
              "Instagram Direct guide")
      for objective in ("OUTCOME_ENGAGEMENT", "OUTCOME_SALES", "OUTCOME_TRAFFIC")),
)
# Destinations the table speaks for: other destinations are not judged.
TABLE_DESTINATIONS = frozenset(row.destination for row in GOAL_TABLE) | {
    "ON_POST", "ON_VIDEO", "ON_PAGE", "ON_EVENT"}
# Destinations valid with a single objective (domain §2).
ONLY_WITH_OBJECTIVE = {"ON_AD": "OUTCOME_LEADS", "ON_POST": "OUTCOME_ENGAGEMENT",
                       "ON_VIDEO": "OUTCOME_ENGAGEMENT", "ON_PAGE": "OUTCOME_ENGAGEMENT",
                       "ON_EVENT": "OUTCOME_ENGAGEMENT"}


def goal_combination(objective: str, destination: str, goal: str) -> str:
    """"ok", "uncertain" (only in rows the sources disagree on), "invalid"
    (in no row) or "unknown" (a destination the table does not cover)."""
    only = ONLY_WITH_OBJECTIVE.get(destination)
    if only is not None and only != objective:
        return "invalid"
    if destination not in TABLE_DESTINATIONS:
        return "unknown"
    rows = [r for r in GOAL_TABLE
            if r.objective == objective and r.destination == destination and goal in r.goals]
    if any(r.certain for r in rows):
        return "ok"
    if rows:
        return "uncertain"
    if only is not None and not any(r.destination == destination for r in GOAL_TABLE):
        return "unknown"  # ON_POST & co: the objective fits; goals are not tabled
    return "invalid"


# -- errors and retries (domain §5), for the curl bundle ------------------------------------

RETRYABLE_CODES = frozenset({1, 2, 4, 17, 32, 341, 368, 613, *range(80000, 80015)})
NEVER_RETRY_CODES = frozenset({100, 190, 10, *range(200, 300)})
