"""compiler/facts/ against Meta's own generated client, facebook-business
25.0.3 (a pinned test dependency): enums, POST parameters and the object
fields adflow relies on. An SDK upgrade that adds, drops or renames a value
fails here first, and says which."""

from __future__ import annotations

import facebook_business
import pytest
from adflow.compiler.facts.adsets import (
    ALL_DESTINATION_TYPES,
    BILLING_EVENTS,
    COUNTRY_CODES,
    CURRENCIES,
    DESTINATION_TYPES,
    DESTINATION_TYPES_DOCUMENTED,
    DEVICE_PLATFORMS,
    MESSAGING_DESTINATIONS,
    OFFSET_ONE_CURRENCIES,
    OPTIMIZATION_GOALS,
    PLATFORM_FOR_DESTINATION,
    PUBLISHER_PLATFORMS,
)
from adflow.compiler.facts.campaigns import (
    BID_STRATEGIES,
    BID_STRATEGIES_NEEDING_BID,
    EXECUTION_OPTIONS,
    LEGACY_OBJECTIVES,
    NEW_CAMPAIGN_OBJECTIVES,
    OBJECTIVES,
    REPORTED_STATUSES,
    SETTABLE_STATUSES,
    SPECIAL_AD_CATEGORIES,
    SUPERSEDED_CATEGORIES,
)
from adflow.compiler.facts.creatives import (
    ALL_CALL_TO_ACTION_TYPES,
    APP_DESTINATION_FOR,
    APP_DESTINATIONS,
    CALL_TO_ACTION_TYPES,
    CALL_TO_ACTION_TYPES_DOCUMENTED,
    STORY_MEDIA_KEYS,
    USUAL_CTA_FOR,
)
from adflow.compiler.facts.deprecations import DEPRECATIONS, deprecated, deprecation
from adflow.compiler.facts.errors import (
    NEVER_RETRY_CODES,
    RATE_LIMIT_CODES,
    RETRYABLE_CODES,
    should_retry,
)
from adflow.compiler.facts.goals import (
    GOAL_TABLE,
    JUDGED_DESTINATIONS,
    ONLY_WITH_OBJECTIVE,
    goal_combination,
)
from adflow.compiler.facts.lead_forms import (
    LEAD_FORM_PARAMETERS,
    LEAD_FORM_REQUIRED,
    LEAD_FORM_STEP_FIELDS,
    LEAD_FORM_STEP_REQUIRED,
)
from adflow.compiler.facts.limits import CALL_PROMPT_MESSAGE, LIMITS, WELCOME_TEXT
from adflow.compiler.facts.parameters import (
    BOOLEAN_PARAMETERS,
    DOCUMENTED_EXTRA_PARAMETERS,
    JSON_PARAMETERS,
    NUMBER_PARAMETERS,
    POST_PARAMETERS,
)
from adflow.compiler.facts.versions import (
    DEFAULT_API_VERSION,
    SDK_API_VERSION,
    VERSIONS,
    expired,
    version_info,
    version_tuple,
)
from conftest import sdk_params
from facebook_business import apiconfig
from facebook_business.adobjects.ad import Ad
from facebook_business.adobjects.adaccount import AdAccount
from facebook_business.adobjects.adassetfeedadditionaldata import AdAssetFeedAdditionalData
from facebook_business.adobjects.adcreative import AdCreative
from facebook_business.adobjects.adcreativefeaturedetails import AdCreativeFeatureDetails
from facebook_business.adobjects.adcreativefeaturesspec import AdCreativeFeaturesSpec
from facebook_business.adobjects.adcreativelinkdata import AdCreativeLinkData
from facebook_business.adobjects.adcreativelinkdatacalltoaction import (
    AdCreativeLinkDataCallToAction,
)
from facebook_business.adobjects.adcreativelinkdatacalltoactionvalue import (
    AdCreativeLinkDataCallToActionValue,
)
from facebook_business.adobjects.adcreativeobjectstoryspec import AdCreativeObjectStorySpec
from facebook_business.adobjects.adcreativephotodata import AdCreativePhotoData
from facebook_business.adobjects.adcreativesourcingspec import AdCreativeSourcingSpec
from facebook_business.adobjects.adcreativevideodata import AdCreativeVideoData
from facebook_business.adobjects.adpromotedobject import AdPromotedObject
from facebook_business.adobjects.adset import AdSet
from facebook_business.adobjects.campaign import Campaign
from facebook_business.adobjects.targeting import Targeting
from facebook_business.adobjects.targetinggeolocation import TargetingGeoLocation

SDK_VERSION = "25.0.3"


def sdk_enum(holder: type) -> frozenset[str]:
    """The values of one of the SDK's enum holder classes (Campaign.Objective ...)."""
    return frozenset(v for k, v in vars(holder).items()
                     if not k.startswith("_") and isinstance(v, str))


def sdk_fields(spec: type) -> dict[str, str]:
    return dict(spec._field_types)  # type: ignore[attr-defined]


def test_the_pinned_sdk_is_the_one_facts_was_read_from() -> None:
    # The private attributes read below change between releases.
    assert facebook_business.__version__ == SDK_VERSION
    assert apiconfig.ads_api_config["API_VERSION"] == DEFAULT_API_VERSION == SDK_API_VERSION


# -- enums ----------------------------------------------------------------------------------------

# (facts set, SDK holder, documented extras): ours minus the extras is exactly the SDK's.
COPIES = [
    ("OBJECTIVES", OBJECTIVES, Campaign.Objective, frozenset()),
    ("SPECIAL_AD_CATEGORIES", SPECIAL_AD_CATEGORIES, Campaign.SpecialAdCategories,
     frozenset()),
    ("SETTABLE_STATUSES (campaign)", SETTABLE_STATUSES, Campaign.Status, frozenset()),
    ("SETTABLE_STATUSES (ad set)", SETTABLE_STATUSES, AdSet.Status, frozenset()),
    ("SETTABLE_STATUSES (ad)", SETTABLE_STATUSES, Ad.Status, frozenset()),
    ("OPTIMIZATION_GOALS", OPTIMIZATION_GOALS, AdSet.OptimizationGoal, frozenset()),
    ("BILLING_EVENTS", BILLING_EVENTS, AdSet.BillingEvent, frozenset()),
    ("BID_STRATEGIES (campaign)", BID_STRATEGIES, Campaign.BidStrategy, frozenset()),
    ("BID_STRATEGIES (ad set)", BID_STRATEGIES, AdSet.BidStrategy, frozenset()),
    ("DESTINATION_TYPES", DESTINATION_TYPES, AdSet.DestinationType, frozenset()),
    ("ALL_DESTINATION_TYPES", ALL_DESTINATION_TYPES, AdSet.DestinationType,
     DESTINATION_TYPES_DOCUMENTED),
    ("CALL_TO_ACTION_TYPES", CALL_TO_ACTION_TYPES, AdCreativeLinkDataCallToAction.Type,
     frozenset()),
    ("ALL_CALL_TO_ACTION_TYPES", ALL_CALL_TO_ACTION_TYPES,
     AdCreativeLinkDataCallToAction.Type, CALL_TO_ACTION_TYPES_DOCUMENTED),
    ("CALL_TO_ACTION_TYPES (creative)", CALL_TO_ACTION_TYPES, AdCreative.CallToActionType,
     frozenset()),
    ("DEVICE_PLATFORMS", DEVICE_PLATFORMS, Targeting.DevicePlatforms, frozenset()),
    ("CURRENCIES", CURRENCIES, AdAccount.Currency, frozenset()),
]


@pytest.mark.parametrize("name, ours, holder, extras", COPIES, ids=[c[0] for c in COPIES])
def test_sdk_enums_are_copied_exactly(name: str, ours: frozenset[str], holder: type,
                                      extras: frozenset[str]) -> None:
    sdk = sdk_enum(holder)
    assert ours - extras - sdk == set(), f"{name}: not in the SDK"
    assert sdk - ours == set(), f"{name}: in the SDK, missing from facts"
    assert not extras & sdk, f"{name}: a documented extra the SDK has after all"


# Subsets: facts keeps only part of an SDK enum, on purpose.
SUBSETS = [
    ("NEW_CAMPAIGN_OBJECTIVES", NEW_CAMPAIGN_OBJECTIVES, Campaign.Objective),
    ("LEGACY_OBJECTIVES", LEGACY_OBJECTIVES, Campaign.Objective),
    ("BID_STRATEGIES_NEEDING_BID", BID_STRATEGIES_NEEDING_BID, AdSet.BidStrategy),
    ("MESSAGING_DESTINATIONS", MESSAGING_DESTINATIONS - DESTINATION_TYPES_DOCUMENTED,
     AdSet.DestinationType),
    ("SUPERSEDED_CATEGORIES", frozenset(SUPERSEDED_CATEGORIES)
     | frozenset(SUPERSEDED_CATEGORIES.values()), Campaign.SpecialAdCategories),
    ("OFFSET_ONE_CURRENCIES", OFFSET_ONE_CURRENCIES, AdAccount.Currency),
    ("COUNTRY_CODES", COUNTRY_CODES, Campaign.SpecialAdCategoryCountry),
    ("REPORTED_STATUSES", REPORTED_STATUSES, Ad.EffectiveStatus),
]


@pytest.mark.parametrize("name, ours, holder", SUBSETS, ids=[s[0] for s in SUBSETS])
def test_partial_enums_are_subsets_of_the_sdks(name: str, ours: frozenset[str],
                                               holder: type) -> None:
    assert ours - sdk_enum(holder) == set(), f"{name}: not in the SDK"


def test_objectives_split_into_outcome_and_legacy() -> None:
    outcomes = {o for o in sdk_enum(Campaign.Objective) if o.startswith("OUTCOME_")}
    assert outcomes == NEW_CAMPAIGN_OBJECTIVES
    assert not NEW_CAMPAIGN_OBJECTIVES & LEGACY_OBJECTIVES


def test_reported_statuses_are_exactly_the_unsettable_effective_ones() -> None:
    assert sdk_enum(Ad.EffectiveStatus) - sdk_enum(Ad.Status) == REPORTED_STATUSES
    assert "PENDING_REVIEW" in REPORTED_STATUSES
    assert not REPORTED_STATUSES & SETTABLE_STATUSES


def test_country_codes_are_iso_plus_kosovo() -> None:
    # The SDK's list also keeps AC (reserved) and AN (deleted from ISO 3166 in 2010).
    assert sdk_enum(Campaign.SpecialAdCategoryCountry) - COUNTRY_CODES == {"AC", "AN"}
    assert len(COUNTRY_CODES) == 249 + 1 and "XK" in COUNTRY_CODES


@pytest.mark.parametrize("endpoint, holder", [
    ("campaigns", Campaign.ExecutionOptions), ("adsets", AdSet.ExecutionOptions),
    ("adcreatives", AdCreative.ExecutionOptions), ("ads", Ad.ExecutionOptions)])
def test_execution_options_are_the_sdks(endpoint: str, holder: type) -> None:
    assert EXECUTION_OPTIONS[endpoint] == sdk_enum(holder)
    assert "execution_options" in sdk_params(endpoint)


def test_lead_form_execution_options_are_a_documented_extra() -> None:
    # If the SDK learns execution_options here, the domain-only entry can go.
    assert "execution_options" not in sdk_params("messenger_lead_forms")
    assert EXECUTION_OPTIONS["messenger_lead_forms"] == {"validate_only"}


# -- POST parameters ------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", sorted(POST_PARAMETERS))
def test_post_parameters_are_the_sdks(endpoint: str) -> None:
    sdk = set(sdk_params(endpoint))
    ours = POST_PARAMETERS[endpoint]
    assert ours - sdk == set(), "in facts, not a parameter of the SDK's request"
    assert sdk - ours == set(), "a parameter of the SDK's request missing from facts"


def test_post_parameters_cover_every_endpoint() -> None:
    assert set(POST_PARAMETERS) == {"campaigns", "adsets", "adcreatives", "ads",
                                          "messenger_lead_forms"}
    assert set(EXECUTION_OPTIONS) == set(POST_PARAMETERS)


def test_documented_extra_parameters_are_not_the_sdks() -> None:
    for endpoint, extras in DOCUMENTED_EXTRA_PARAMETERS.items():
        assert not extras & set(sdk_params(endpoint)), endpoint


def test_lead_form_parameter_names() -> None:
    names = {"privacy_url", "template_name", "reminder_text", "step_list", "account_id",
             "block_send_api", "exit_keyphrases", "handover_app_id", "handover_summary",
             "stop_question_message", "tracking_parameters"}
    assert LEAD_FORM_PARAMETERS == names == set(sdk_params("messenger_lead_forms"))
    assert LEAD_FORM_REQUIRED <= LEAD_FORM_PARAMETERS
    assert LEAD_FORM_STEP_REQUIRED.issubset(LEAD_FORM_STEP_FIELDS)


@pytest.mark.parametrize("endpoint, name, kind", [
    # The schemas type money as integers and these ids as digit strings.
    ("campaigns", "daily_budget", "unsigned int"), ("campaigns", "lifetime_budget", "unsigned int"),
    ("adsets", "daily_budget", "unsigned int"), ("adsets", "lifetime_budget", "unsigned int"),
    ("adsets", "bid_amount", "int"), ("ads", "bid_amount", "int"),
    ("adsets", "campaign_id", "string"), ("ads", "adset_id", "unsigned int"),
    ("adcreatives", "object_id", "unsigned int"), ("adcreatives", "page_welcome_message", "string"),
    ("messenger_lead_forms", "handover_app_id", "unsigned int"),
    ("messenger_lead_forms", "exit_keyphrases", "string"),
    ("messenger_lead_forms", "step_list", "list<map>"),
    ("campaigns", "status", "status_enum"),
    ("campaigns", "is_adset_budget_sharing_enabled", "bool"),
])
def test_sdk_parameter_types_adflow_relies_on(endpoint: str, name: str, kind: str) -> None:
    assert sdk_params(endpoint)[name] == kind


# -- object fields the compiler and the schemas write ---------------------------------------------


_SCALARS = {"string", "bool", "datetime", "int", "unsigned int", "float"}


@pytest.mark.parametrize("endpoint", sorted(POST_PARAMETERS))
def test_wire_format_tables_are_the_sdks_parameter_types(endpoint: str) -> None:
    """What compiler/bodies/wire.py decodes: numbers (ids excepted: they stay
    strings), booleans, and objects or lists, which the SDK sends as JSON
    text (`_top_level_param_json_encode`)."""
    types = sdk_params(endpoint)
    numbers = {k for k, t in types.items() if t in ("int", "unsigned int", "float")
               and not k.endswith("_id")}
    booleans = {k for k, t in types.items() if t == "bool"}
    objects = {k for k, t in types.items()
               if t not in _SCALARS and (t.startswith(("list", "map", "Object")) or t[0].isupper())}
    assert NUMBER_PARAMETERS[endpoint] == numbers
    assert BOOLEAN_PARAMETERS[endpoint] == booleans
    documented = ({"product_data"} if endpoint == "adcreatives" else
                  {"execution_options"} if endpoint == "messenger_lead_forms" else set())
    assert JSON_PARAMETERS[endpoint] - documented == objects


@pytest.mark.parametrize("spec, names", [
    (AdCreativeObjectStorySpec, {"page_id", "instagram_user_id", "product_data",
                                 *STORY_MEDIA_KEYS}),
    (AdCreativeLinkData, {"page_welcome_message", "call_to_action", "image_hash", "picture", "link",
                          "message", "description", "name"}),
    (AdCreativeVideoData, {"page_welcome_message", "call_to_action", "video_id", "image_url",
                           "link_description", "message", "title"}),
    (AdCreativePhotoData, {"page_welcome_message"}),
    (AdCreativeLinkDataCallToAction, {"type", "value"}),
    (AdCreativeLinkDataCallToActionValue, {"app_destination", "link"}),
    (AdCreativeFeaturesSpec, {"standard_enhancements", "product_extensions",
                              "multi_photo_to_video"}),
    (AdCreativeFeatureDetails, {"enroll_status"}),
    (AdCreativeSourcingSpec, {"associated_product_set_id"}),
    (AdAssetFeedAdditionalData, {"partner_app_welcome_message_flow_id"}),
    (AdPromotedObject, {"page_id", "pixel_id"}),
    (TargetingGeoLocation, {"countries"}),
    (Targeting, {"geo_locations", "device_platforms", "publisher_platforms"}),
])
def test_sdk_objects_have_the_fields_adflow_writes(spec: type, names: set[str]) -> None:
    assert names - set(sdk_fields(spec)) == set()


def test_instagram_actor_id_is_gone_from_the_story_spec() -> None:
    # Dead since 9 Sep 2025 (DEPRECATIONS); the SDK's story spec dropped it too.
    assert "instagram_actor_id" not in sdk_fields(AdCreativeObjectStorySpec)
    assert deprecated("instagram_actor_id", DEFAULT_API_VERSION)


# -- the goal table ------------------------------------------------------------------------------


def test_goal_table_uses_known_values() -> None:
    goals = sdk_enum(AdSet.OptimizationGoal)
    for row in GOAL_TABLE:
        assert row.objective in NEW_CAMPAIGN_OBJECTIVES, row
        assert row.destination in ALL_DESTINATION_TYPES, row
        assert row.goals and row.goals <= goals, row
        assert row.source, row
    assert JUDGED_DESTINATIONS <= ALL_DESTINATION_TYPES
    for destination, objective in ONLY_WITH_OBJECTIVE.items():
        assert destination in DESTINATION_TYPES
        assert objective in NEW_CAMPAIGN_OBJECTIVES
        assert all(r.objective == objective for r in GOAL_TABLE
                   if r.destination == destination)


def test_app_destination_tables_use_known_values() -> None:
    assert set(APP_DESTINATION_FOR) <= MESSAGING_DESTINATIONS
    assert set(APP_DESTINATION_FOR.values()) <= APP_DESTINATIONS
    assert set(USUAL_CTA_FOR) == APP_DESTINATIONS
    for ctas in USUAL_CTA_FOR.values():
        assert ctas <= ALL_CALL_TO_ACTION_TYPES
    assert set(PLATFORM_FOR_DESTINATION) <= MESSAGING_DESTINATIONS
    assert set(PLATFORM_FOR_DESTINATION.values()) <= PUBLISHER_PLATFORMS


@pytest.mark.parametrize("objective, destination, goal, verdict", [
    # Meta's Ad Campaign mapping table, row by row.
    ("OUTCOME_ENGAGEMENT", "MESSENGER", "CONVERSATIONS", "ok"),
    ("OUTCOME_ENGAGEMENT", "MESSENGER", "LEAD_GENERATION", "ok"),
    ("OUTCOME_SALES", "MESSENGER", "CONVERSATIONS", "ok"),
    ("OUTCOME_SALES", "MESSENGER", "OFFSITE_CONVERSIONS", "uncertain"),
    ("OUTCOME_TRAFFIC", "MESSENGER", "IMPRESSIONS", "ok"),
    ("OUTCOME_TRAFFIC", "MESSENGER", "CONVERSATIONS", "ok"),
    ("OUTCOME_LEADS", "MESSENGER", "LEAD_GENERATION", "ok"),  # the guide and the SDK send it
    ("OUTCOME_LEADS", "LEAD_FROM_MESSENGER", "QUALITY_LEAD", "uncertain"),
    ("OUTCOME_LEADS", "ON_AD", "QUALITY_LEAD", "ok"),
    ("OUTCOME_TRAFFIC", "INSTAGRAM_DIRECT", "LINK_CLICKS", "ok"),
    # In no table.
    ("OUTCOME_ENGAGEMENT", "ON_AD", "LEAD_GENERATION", "invalid"),  # Meta error 1815715
    ("OUTCOME_LEADS", "ON_POST", "POST_ENGAGEMENT", "invalid"),
    ("OUTCOME_AWARENESS", "MESSENGER", "REACH", "invalid"),
    ("OUTCOME_SALES", "MESSENGER", "CONVERSIONS", "invalid"),  # the seed's non-goal
    ("OUTCOME_LEADS", "ON_AD", "CONVERSATIONS", "invalid"),
    # Destinations the table confirms but does not judge.
    ("OUTCOME_TRAFFIC", "WEBSITE", "LANDING_PAGE_VIEWS", "ok"),
    ("OUTCOME_SALES", "WEBSITE", "ADVERTISER_SILOED_VALUE", "unknown"),
    ("OUTCOME_APP_PROMOTION", "APP", "APP_INSTALLS", "unknown"),
])
def test_goal_combination(objective: str, destination: str, goal: str, verdict: str) -> None:
    assert goal_combination(objective, destination, goal) == verdict


# -- versions, deprecations, retries ------------------------------------------------------------


def test_versions() -> None:
    infos = list(VERSIONS.values())
    assert {f"v{n}.0" for n in range(22, 28)} <= set(VERSIONS)
    assert infos == sorted(infos, key=lambda v: v.released)
    for info in infos:
        assert version_info(info.name) is info and info.source
        if info.expires is not None:
            assert info.released < info.expires
            assert info.graph_expires is None or info.expires <= info.graph_expires
    v25 = version_info(DEFAULT_API_VERSION)
    assert v25 is not None and v25.expires is not None
    assert v25.expires.startswith("2027-02-")  # Meta's versions page
    assert version_tuple("v25.0") == (25, 0) == version_tuple("25")
    assert version_info("v19.5") is None and version_info("latest") is None
    with pytest.raises(ValueError):
        version_tuple("v25.x")
    assert expired("v24.0", "2026-11-28")
    assert not expired("v25.0", "2026-11-28")


def test_deprecations() -> None:
    codes = [d.code for d in DEPRECATIONS.values()]
    assert len(codes) == len(set(codes))
    for name, d in DEPRECATIONS.items():
        assert deprecation(d.code) is deprecation(name) is d
        assert d.source and d.what
        assert d.since is not None or d.on is not None
    assert deprecated("D001", "v24.0") and not deprecated("D001", "v23.0")
    assert deprecated("lead_forms_via_api", "v25.0")
    assert deprecated("standard_enhancements", "v22.0")
    assert not deprecated("standard_enhancements", "v21.0")
    assert deprecated("adset_budget_sharing", "v24.0")
    assert deprecated("instagram_actor_id", "v19.0")  # every version
    assert not deprecated("D001", "not-a-version")
    assert DEPRECATIONS["lead_forms_via_api"][1].startswith("creating")
    with pytest.raises(KeyError):
        deprecation("D999")


def test_limits() -> None:
    expected = {"WELCOME_TEXT": 300, "ICE_BREAKER_TITLE": 80, "ICE_BREAKER_RESPONSE": 300,
                "ICE_BREAKERS_MAX": 5, "ICE_BREAKERS_WARN": 4, "TEMPLATES_MAX": 5,
                "QUICK_REPLIES_MAX": 13, "QUICK_REPLY_TITLE": 20, "QUICK_REPLY_PAYLOAD": 1000,
                "GENERIC_TEMPLATE_ELEMENTS": 10, "GENERIC_TEMPLATE_TEXT": 80,
                "GENERIC_TEMPLATE_BUTTONS": 3, "BUTTON_TITLE": 20, "CALL_PROMPT_MESSAGE": 80,
                "ADSETS_PER_CAMPAIGN": 200}
    assert {k: v.value for k, v in LIMITS.items()} == expected
    assert {k for k, v in LIMITS.items() if v.exceed == "warning"} == {
        "ICE_BREAKERS_WARN", "QUICK_REPLY_TITLE", "BUTTON_TITLE", "CALL_PROMPT_MESSAGE"}
    assert not CALL_PROMPT_MESSAGE.documented and WELCOME_TEXT.documented


def test_retry_codes() -> None:
    assert {1, 2, 4, 17, 32, 341, 368, 613, 80000, 80014} <= RETRYABLE_CODES
    assert 80015 not in RETRYABLE_CODES
    assert {100, 190, 10, 200, 299} <= NEVER_RETRY_CODES
    assert not RETRYABLE_CODES & NEVER_RETRY_CODES
    assert RATE_LIMIT_CODES <= RETRYABLE_CODES
    assert should_retry(613) and should_retry(1234, is_transient=True)
    assert not should_retry(100, is_transient=True) and not should_retry(1234)
