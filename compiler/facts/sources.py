"""The public pages every fact and every rule's evidence (rules/base.py
Rule.evidence) names."""

from __future__ import annotations

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
