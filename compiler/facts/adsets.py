"""What an ad set takes: optimization goals, billing events, destination
types, targeting, countries and currencies (ADSET_REFERENCE, TARGETING_PAGE)."""

from __future__ import annotations

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
GENDERS = frozenset({1, 2})  # targeting.genders: 1 men, 2 women (TARGETING_PAGE)
AGE_MAX = 65  # the oldest age_min / age_max, meaning "65 and older" (TARGETING_PAGE)
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
BUDGET_PARAMETERS = ("daily_budget", "lifetime_budget")  # a campaign's or an ad set's
MONEY_PARAMETERS = (*BUDGET_PARAMETERS, "bid_amount", "spend_cap")
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
