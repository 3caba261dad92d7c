"""What a campaign takes: objectives, statuses, special ad categories, buying
types, bid strategies, execution options (CAMPAIGN_REFERENCE)."""

from __future__ import annotations

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
