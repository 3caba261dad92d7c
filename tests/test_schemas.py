"""The package's JSON Schemas (compiler/facts/endpoints/): valid draft 2020-12, in
step with compiler/facts/facts.py, accepting the seed's examples as corrected by
Meta's guides (with `$ref` / `$json` markers) and every sample's bodies,
and rejecting each of the seed's mistakes for the expected reason."""

from __future__ import annotations

import copy
import json
from functools import cache
from typing import Any

import jsonschema
import pytest
from adflow.compiler.facts import facts
from conftest import ROOT, SAMPLES

SCHEMAS = ROOT / "compiler" / "facts" / "endpoints"
ENDPOINTS = ("campaigns", "adsets", "adcreatives", "ads", "messenger_lead_forms")
Body = dict[str, Any]


@cache
def schema(endpoint: str) -> Any:
    return json.loads((SCHEMAS / f"{endpoint}.schema.json").read_text(encoding="utf-8"))


def problems(endpoint: str, body: Body) -> set[tuple[str, str]]:
    """(JSON pointer, failing keyword) for every error."""
    validator = jsonschema.Draft202012Validator(schema(endpoint))
    return {("/" + "/".join(str(p) for p in e.absolute_path), str(e.validator))
            for e in validator.iter_errors(body)}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_schema_is_valid_2020_12(endpoint: str) -> None:
    assert schema(endpoint)["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema(endpoint))


def test_schemas_ship_as_package_data() -> None:
    assert (SCHEMAS / "__init__.py").exists()
    assert sorted(p.name for p in SCHEMAS.glob("*.schema.json")) == sorted(
        f"{e}.schema.json" for e in ENDPOINTS)


# -- in step with facts.py --------------------------------------------------------------------


def at(endpoint: str, *path: str) -> Any:
    node = schema(endpoint)
    for part in path:
        node = node[part]
    return node


def enum_at(endpoint: str, *path: str) -> set[Any]:
    return set(at(endpoint, *path)["enum"])


@pytest.mark.parametrize("endpoint, path, values", [
    ("campaigns", ("properties", "objective"), facts.OBJECTIVES),
    ("campaigns", ("properties", "special_ad_categories", "else", "items"),
     facts.SPECIAL_AD_CATEGORIES),
    ("campaigns", ("properties", "buying_type"), facts.BUYING_TYPES),
    ("campaigns", ("properties", "bid_strategy"), facts.BID_STRATEGIES),
    ("campaigns", ("$defs", "status"), facts.SETTABLE_STATUSES),
    ("campaigns", ("$defs", "country"), facts.COUNTRY_CODES),
    ("adsets", ("properties", "optimization_goal"), facts.OPTIMIZATION_GOALS),
    ("adsets", ("properties", "billing_event"), facts.BILLING_EVENTS),
    ("adsets", ("properties", "destination_type"), facts.ALL_DESTINATION_TYPES),
    ("adsets", ("properties", "bid_strategy"), facts.BID_STRATEGIES),
    ("adsets", ("if", "properties", "bid_strategy"), facts.BID_STRATEGIES_NEEDING_BID),
    ("adsets", ("$defs", "status"), facts.SETTABLE_STATUSES),
    ("adsets", ("$defs", "country"), facts.COUNTRY_CODES),
    ("adsets", ("$defs", "targeting", "properties", "device_platforms", "items"),
     facts.DEVICE_PLATFORMS),
    ("adsets", ("$defs", "targeting", "properties", "publisher_platforms", "items"),
     facts.PUBLISHER_PLATFORMS),
    ("adcreatives", ("$defs", "cta", "properties", "type"), facts.ALL_CALL_TO_ACTION_TYPES),
    ("adcreatives", ("$defs", "cta_value", "properties", "app_destination"),
     facts.APP_DESTINATIONS),
    ("adcreatives", ("$defs", "feature", "properties", "enroll_status"), facts.ENROLL_STATUSES),
    ("ads", ("$defs", "status"), facts.SETTABLE_STATUSES),
    ("messenger_lead_forms", ("$defs", "step", "properties", "step_type"),
     facts.LEAD_FORM_STEP_TYPES),
    ("messenger_lead_forms", ("$defs", "step", "properties", "reply_type"),
     facts.LEAD_FORM_REPLY_TYPES),
])
def test_schema_enums_are_the_facts(endpoint: str, path: tuple[str, ...],
                                    values: frozenset[str]) -> None:
    assert enum_at(endpoint, *path) == set(values)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_schema_fields_are_post_parameters(endpoint: str) -> None:
    known = (facts.POST_PARAMETERS[endpoint]
             | facts.DOCUMENTED_EXTRA_PARAMETERS.get(endpoint, frozenset())
             | {"execution_options"})
    properties = set(at(endpoint, "properties"))
    forbidden = {k for k, v in at(endpoint, "properties").items() if v.get("not") == {}}
    assert properties - forbidden <= known
    assert enum_at(endpoint, "properties", "execution_options", "else", "items") == set(
        facts.EXECUTION_OPTIONS[endpoint])
    if endpoint == "messenger_lead_forms":  # the one closed schema
        assert properties == known and at(endpoint, "additionalProperties") is False
        assert set(at(endpoint, "required")) == facts.LEAD_FORM_REQUIRED
        step = at(endpoint, "$defs", "step")
        assert set(step["properties"]) == facts.LEAD_FORM_STEP_FIELDS
        assert set(step["required"]) == facts.LEAD_FORM_STEP_REQUIRED


def test_schema_limits_are_the_facts() -> None:
    d = at("adcreatives", "$defs")
    message = d["ice_breakers"]["properties"]["text_format"]["properties"]["message"]
    assert message["properties"]["ice_breakers"]["maxItems"] == facts.ICE_BREAKERS_MAX.value
    assert message["properties"]["text"]["maxLength"] == facts.WELCOME_TEXT.value
    assert d["welcome_field"]["then"]["else"]["maxLength"] == facts.WELCOME_TEXT.value
    assert d["ice_breaker"]["properties"]["title"]["maxLength"] == facts.ICE_BREAKER_TITLE.value
    assert d["ice_breaker"]["properties"]["response"]["maxLength"] == \
        facts.ICE_BREAKER_RESPONSE.value
    assert d["welcome_list"]["else"]["maxItems"] == facts.TEMPLATES_MAX.value
    assert d["send_message"]["properties"]["quick_replies"]["maxItems"] == \
        facts.QUICK_REPLIES_MAX.value
    assert d["quick_reply"]["properties"]["payload"]["maxLength"] == \
        facts.QUICK_REPLY_PAYLOAD.value
    assert d["generic_template"]["properties"]["elements"]["maxItems"] == \
        facts.GENERIC_TEMPLATE_ELEMENTS.value
    assert d["generic_element"]["properties"]["title"]["maxLength"] == \
        facts.GENERIC_TEMPLATE_TEXT.value
    assert d["generic_element"]["properties"]["buttons"]["maxItems"] == \
        facts.GENERIC_TEMPLATE_BUTTONS.value
    # Warning-only limits (cut titles, long call prompts) are the rules' business.
    assert "maxLength" not in d["quick_reply"]["properties"]["title"]
    assert "maxLength" not in d["button"]["properties"]["title"]


# -- the seed's examples, corrected (Meta's Click-to-Messenger guide) -----------------------

PAGE = "111222333444"
BIG_ID = "120330000000000123"  # past 2**53: a JSON number would be rounded

CAMPAIGN: Body = {
    "buying_type": "AUCTION", "name": "Messenger_ad_campaign_name", "objective": "OUTCOME_TRAFFIC",
    "status": "PAUSED", "special_ad_categories": ["NONE"], "is_adset_budget_sharing_enabled": False}

ADSET: Body = {  # the seed's "optimization_goal:IMPRESSIONS" and "status:PAUSED", split
    "bid_amount": 150, "billing_event": "IMPRESSIONS", "campaign_id": {"$ref": "campaign.spring"},
    "daily_budget": 2000, "destination_type": "MESSENGER", "name": "Your_messenger_adset_name",
    "optimization_goal": "IMPRESSIONS", "status": "PAUSED", "promoted_object": {"page_id": PAGE},
    "targeting": {"geo_locations": {"countries": ["US", "CA"]},
                  "device_platforms": ["mobile", "desktop"], "publisher_platforms": ["messenger"]}}

CTA_MESSENGER: Body = {"type": "MESSAGE_PAGE", "value": {"app_destination": "MESSENGER"}}


def image(welcome: Any = None, **link_data: Any) -> Body:
    data: Body = {"image_hash": "9f1c2e", "link": "https://acme.example/spring.jpg",
                  "call_to_action": CTA_MESSENGER, **link_data}
    if welcome is not None:
        data["page_welcome_message"] = welcome
    return {"name": "CTM image", "object_story_spec": {"page_id": PAGE, "link_data": data}}


ICE_BREAKERS: Body = {
    "type": "VISUAL_EDITOR", "version": 2, "landing_screen_type": "welcome_message",
    "media_type": "text",
    "text_format": {"customer_action_type": "ice_breakers", "message": {
        "ice_breakers": [{"title": "Can I make a purchase?", "response": "This is a response 1"},
                         {"title": "Can I see a menu?", "response": "This is a response 2"},
                         {"title": "Where are you located?", "response": "This is a response 3"}],
        "quick_replies": [],
        "text": "Hi {{user_first_name}}! Please let us know how we can help you."}},
    "user_edit": False, "surface": "visual_editor_new"}

SUBSCRIBE: Body = {
    "landing_screen_type": "marketing_messages", "media_type": "image",
    "image_format": {"customer_action_type": "buttons", "message": {
        "text": "Your_welcome_message",
        "attachment": {"type": "template", "payload": {
            "template_type": "notification_messages",
            "elements": [{"title": "Your_CTS_title", "subtitle": "Your_CTS_subtitle",
                          "image_url": "https://acme.example/cts.jpg", "app_id": "123456789012",
                          "buttons": [{"type": "postback", "payload": "SUBSCRIBE",
                                       "title": "Get messages"}]}]}}}}}

CALL_PROMPT: list[Body] = [{
    "landing_screen_type": "call_prompt", "media_type": "text",
    "text_format": {"message": {"text": "Your_welcome_message", "call_prompt_data": {
        "call_prompt_message": "Call to make an appointment."}}}}]

TEMPLATES: list[Body] = [  # the seed wrote it with single quotes
    {"message": {"text": "Your_question_or_directive", "quick_replies": [
        {"content_type": "text", "title": f"Option_{i}", "payload": f"OPTION_{i}"}
        for i in (1, 2, 3)]}},
    {"message": {"attachment": {"type": "template", "payload": {
        "template_type": "generic", "elements": [{
            "title": "Spring menu", "subtitle": "Fresh every day",
            "buttons": [{"type": "postback", "title": "Book", "payload": "BOOK"}]}]}}}},
]

LEAD_FORM_WELCOME: Body = {"ctm_lead_gen_template_id": {"$ref": "lead_form.quote"}}

PRODUCTS = [{"product_id": "1111", "product_source": "MANUAL", "product_decision": "ACCEPT"},
            {"product_id": "2222", "product_source": "MANUAL", "product_decision": "ACCEPT"}]

CREATIVES: dict[str, Body] = {
    "image, text welcome": image("Hi {{user_first_name}}! How can we help?"),
    "video": {"name": "CTM video", "object_story_spec": {"page_id": PAGE, "video_data": {
        "call_to_action": {"type": "LEARN_MORE", "value": {"app_destination": "MESSENGER"}},
        "link_description": "Your_link_description", "image_url": "https://acme.example/t.jpg",
        "page_welcome_message": "Your_welcome_text", "video_id": "1122334455"}}},
    "partner app flow": {**image(), "asset_feed_spec": {"additional_data": {
        "partner_app_welcome_message_flow_id": "FLOW-ID"}}},
    "ice breakers": image({"$json": ICE_BREAKERS}),
    # On the wire (the sandbox, a resolved plan) the marker has become JSON text.
    "ice breakers as JSON text": image(json.dumps(ICE_BREAKERS)),
    "click to subscribe": image({"$json": SUBSCRIBE}),
    "call prompt": image({"$json": CALL_PROMPT}),
    "template series": image({"$json": TEMPLATES}),
    "lead form, image": image({"$json": LEAD_FORM_WELCOME}, description="Sample_description",
                              message="Sample_message_for_Creative"),
    "lead form, literal template id": image({"$json": {"ctm_lead_gen_template_id": BIG_ID}}),
    "lead form, video, standard enhancements (D002 warns)": {
        "name": "Lead video", "degrees_of_freedom_spec": {"creative_features_spec": {
            "standard_enhancements": {"enroll_status": "OPT_IN"}}},
        "object_story_spec": {"page_id": PAGE, "video_data": {
            "call_to_action": CTA_MESSENGER, "image_url": "https://acme.example/t.jpg",
            "page_welcome_message": {"$json": LEAD_FORM_WELCOME}, "video_id": "5566778899"}}},
    "instagram post": {
        "name": "Sample ad creative from Instagram post", "object_id": PAGE,
        "instagram_user_id": "17841400000000001", "source_instagram_media_id": BIG_ID,
        "call_to_action": {"type": "INSTAGRAM_MESSAGE",
                           "value": {"link": "https://www.instagram.com"}}},
    "instagram image": {"name": "Sample ad creative from Instagram image", "object_story_spec": {
        "page_id": PAGE, "instagram_user_id": "17841400000000001", "link_data": {
            "message": "DM us", "picture": "https://acme.example/ig.jpg",
            "page_welcome_message": "Hi!", "call_to_action": {
                "type": "INSTAGRAM_MESSAGE", "value": {"app_destination": "INSTAGRAM_DIRECT"}}}}},
    "existing facebook post": {
        "name": "post", "object_story_id": f"{PAGE}_987654321",
        "instagram_user_id": "17841400000000001", "call_to_action": CTA_MESSENGER},
    # The seed posts these to /ads; they belong in /adcreatives.
    "product extensions, image": {
        "name": "products", "creative_sourcing_spec": {"associated_product_set_id": "777888999"},
        "degrees_of_freedom_spec": {"creative_features_spec": {
            "product_extensions": {"enroll_status": "OPT_IN"}}},
        "object_story_spec": {"page_id": PAGE, "link_data": {
            "call_to_action": CTA_MESSENGER, "image_hash": "a1b2c3",
            "link": "https://fb.com/messenger_doc/", "name": "Chat in Messenger"},
            "product_data": PRODUCTS}},
    "product extensions, video": {
        "name": "products video", "creative_sourcing_spec": {"associated_product_set_id": "7"},
        "degrees_of_freedom_spec": {"creative_features_spec": {
            "product_extensions": {"enroll_status": "OPT_IN"}}},
        "object_story_spec": {"page_id": PAGE, "video_data": {
            "video_id": "5566778899", "video_thumbnail_id": "0",
            "video_thumbnail_source": "generated_default", "image_url": "https://shop.example/t",
            "title": "Chat in Messenger", "call_to_action": {"type": "MESSAGE_PAGE", "value": {
                "app_destination": "MESSENGER", "link": "https://fb.com/messenger_doc/"}}},
            "product_data": PRODUCTS}},
    "product extensions, album post": {
        "name": "album", "object_story_id": f"{PAGE}_987654321",
        "creative_sourcing_spec": {"associated_product_set_id": "777888999"},
        "degrees_of_freedom_spec": {"creative_features_spec": {
            "product_extensions": {"enroll_status": "OPT_IN"},
            "multi_photo_to_video": {"enroll_status": "OPT_IN"}}},
        "product_data": PRODUCTS},
}

AD: Body = {"name": "quote_ad", "adset_id": {"$ref": "adset.quote_us"},
            "creative": {"creative_id": {"$ref": "creative.quote_image"}}, "status": "PAUSED"}

LEAD_FORM: Body = {  # the seed's form: a missing comma, next_step_ids as lists of strings
    "privacy_url": "https://acme.example/privacy", "reminder_text": "Your_reminder_text",
    "template_name": "Your_template_name",
    "step_list": [
        {"step_id": "0", "message": "Your_welcome_message", "step_type": "INTRO",
         "reply_type": "NONE", "next_step_ids": ["1"]},
        {"step_id": "1", "message": "Are_you_interested_in_our_products_or_services?",
         "step_type": "QUESTION", "reply_type": "QUICK_REPLIES",
         "answers": ["Yes", "Not now", "Maybe"], "next_step_ids": ["2", "6", "2"],
         "allow_to_skip": False, "answer_validation_enabled": True},
        {"step_id": "2", "message": "What city do you live in?", "step_type": "QUESTION",
         "reply_type": "PREFILL", "prefill_type": "CITY", "next_step_ids": ["3"],
         "allow_to_skip": True},
        {"step_id": "3", "message": "What is your phone number?", "step_type": "QUESTION",
         "reply_type": "PREFILL", "prefill_type": "PHONE", "next_step_ids": ["4"],
         "allow_to_skip": False, "answer_validation_enabled": True},
        {"step_id": "4", "message": "What is your email address?", "step_type": "QUESTION",
         "reply_type": "PREFILL", "prefill_type": "EMAIL", "next_step_ids": ["5"],
         "allow_to_skip": False, "answer_validation_enabled": True},
        {"step_id": "5", "message": "Your_confirmation_message", "step_type": "CONFIRMATION",
         "reply_type": "NONE"},
        {"step_id": "6", "message": "Your_disqualification_message", "step_type": "DISQUALIFY",
         "reply_type": "NONE"},
    ]}

def edit(body: Body, path: str, value: Any) -> Body:
    """A deep copy with the value at a /-separated path set (a `-` value
    deletes it)."""
    out = copy.deepcopy(body)
    *parents, last = path.strip("/").split("/")
    node: Any = out
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if value == "-":
        del node[int(last) if isinstance(node, list) else last]
    elif isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return out


GOOD: list[tuple[str, str, Body]] = [
    # Meta's reference types ids "numeric string or integer"
    ("id as a JSON number", "adsets", {**ADSET, "campaign_id": 120330000000000001}),
    ("campaign", "campaigns", CAMPAIGN),
    ("campaign for lead ads", "campaigns", {**CAMPAIGN, "objective": "OUTCOME_LEADS"}),
    ("campaign, housing", "campaigns", {**CAMPAIGN, "special_ad_categories": ["HOUSING"],
                                        "special_ad_category_country": ["US"]}),
    ("campaign, campaign budget", "campaigns", {**CAMPAIGN, "daily_budget": 2000,
                                                "execution_options": ["validate_only"]}),
    ("ad set", "adsets", ADSET),
    ("ad set, literal ids", "adsets", {**ADSET, "campaign_id": BIG_ID,
                                       "promoted_object": {"page_id": PAGE, "pixel_id": BIG_ID}}),
    ("ad set, lifetime budget", "adsets", {
        **{k: v for k, v in ADSET.items() if k != "daily_budget"}, "lifetime_budget": 140000,
        "end_time": "2027-01-31T23:59:59+0000", "bid_strategy": "COST_CAP"}),
    *[(f"creative: {name}", "adcreatives", body) for name, body in CREATIVES.items()],
    ("ad", "ads", AD),
    ("ad, literal ids", "ads", {**AD, "adset_id": BIG_ID, "creative": {"creative_id": BIG_ID}}),
    ("lead form", "messenger_lead_forms", LEAD_FORM),
    ("campaign without status", "campaigns",
     {k: v for k, v in CAMPAIGN.items() if k != "status"}),
]


@pytest.mark.parametrize("name, endpoint, body", GOOD + [
    # Meta's own lead-form example (the Messenger lead ads page) writes next
    # steps as a lone id string and as a list of integers: Meta accepts both.
    ("next_step_ids as numbers", "messenger_lead_forms",
     edit(LEAD_FORM, "step_list/1/next_step_ids", [2, 6, 2])),
    ("next_step_ids as a string", "messenger_lead_forms",
     edit(LEAD_FORM, "step_list/0/next_step_ids", "1")),
], ids=lambda v: v if isinstance(v, str) else None)
def test_corrected_seed_examples_validate(name: str, endpoint: str, body: Body) -> None:
    assert problems(endpoint, body) == set()


# -- bad bodies, each failing for its reason ------------------------------------------------------


WELCOME = "/object_story_spec/link_data/page_welcome_message"
PAYLOAD = WELCOME + "/$json/image_format/message/attachment/payload"
ICE_MESSAGE = WELCOME + "/$json/text_format/message"
FEATURES = "/degrees_of_freedom_spec/creative_features_spec"


def with_welcome(value: Any) -> Body:
    return image({"$json": value})


# -- what Meta accepts that a stricter reading would refuse (real payloads) ---------

IMAGE_ICE_BREAKERS: Body = {  # what Ads Manager writes for an image greeting with ice breakers
    "type": "VISUAL_EDITOR", "version": 2, "landing_screen_type": "welcome_message",
    "media_type": "image", "image_format": {
        "customer_action_type": "ice_breakers",
        "message": {"text": "Hi!", "ice_breakers": [{"title": "Prices?", "response": ""}],
                    "attachment": {"type": "image",
                                   "payload": {"url": "https://a.example/i.jpg"}}}},
    "user_edit": False, "surface": "visual_editor_new"}

CALIBRATED: list[tuple[str, str, Body]] = [
    ("numbers as text (SDK examples, form encoding)", "campaigns",
     {**CAMPAIGN, "daily_budget": "2000", "spend_cap": "100000"}),
    ("booleans as text", "campaigns", {**CAMPAIGN, "is_adset_budget_sharing_enabled": "false"}),
    ("lists as JSON text (the SDK's wire format)", "campaigns",
     {**CAMPAIGN, "special_ad_categories": "[\"NONE\"]"}),
    ("objects as JSON text", "adsets",
     {**ADSET, "targeting": json.dumps(ADSET["targeting"]), "bid_amount": "150",
      "promoted_object": json.dumps(ADSET["promoted_object"])}),
    ("a creative without a name (SDK examples)", "adcreatives",
     {k: v for k, v in image().items() if k != "name"}),
    ("a welcome message written as an object (Meta's CTM and CTI pages)", "adcreatives",
     image(ICE_BREAKERS)),
    ("ice breakers with no response, or an empty one (read-backs, CTI page)", "adcreatives",
     image({"$json": {**ICE_BREAKERS, "text_format": {
         "customer_action_type": "ice_breakers",
         "message": {"text": "Hi!", "ice_breakers": [{"title": "Prices?"},
                                                      {"title": "Hours?", "response": ""}]}}}})),
    ("image_format in a greeting (Ads Manager)", "adcreatives",
     image({"$json": IMAGE_ICE_BREAKERS})),
    ("next_step_ids as \"1\" and [2,6,2] (Meta's lead-form example)", "messenger_lead_forms",
     edit(edit(LEAD_FORM, "step_list/0/next_step_ids", "1"), "step_list/1/next_step_ids",
          [2, 6, 2])),
]


@pytest.mark.parametrize("name, endpoint, body", CALIBRATED, ids=[c[0] for c in CALIBRATED])
def test_what_meta_accepts_validates(name: str, endpoint: str, body: Body) -> None:
    assert problems(endpoint, body) == set()


Problem = tuple[str, str]
# Each bad body with its problems: the expected ones and no others.
BAD: list[tuple[str, str, Body, Problem | set[Problem]]] = [
    # campaigns
    ("token in the body", "campaigns", {**CAMPAIGN, "access_token": "EAAB-secret"},
     ("/", "not")),
    ("objective typo OUTCOME_ENGAGMENET", "campaigns",
     {**CAMPAIGN, "objective": "OUTCOME_ENGAGMENET"},
     ("/objective", "enum")),
    ("objective typo OUTCOME_LEAD", "campaigns", {**CAMPAIGN, "objective": "OUTCOME_LEAD"},
     ("/objective", "enum")),
    ("status as array[enum]", "campaigns", {**CAMPAIGN, "status": ["PAUSED"]}, ("/status", "enum")),
    ("status PENDING_REVIEW", "campaigns", {**CAMPAIGN, "status": "PENDING_REVIEW"},
     ("/status", "enum")),
    ("NONE mixed with a category", "campaigns",
     {**CAMPAIGN, "special_ad_categories": ["NONE", "HOUSING"], "special_ad_category_country":
      ["US"]}, ("/special_ad_categories", "maxItems")),
    ("category without its countries", "campaigns",
     {**CAMPAIGN, "special_ad_categories": ["EMPLOYMENT"]}, ("/", "required")),
    ("special_ad_categories missing", "campaigns", edit(CAMPAIGN, "special_ad_categories", "-"),
     ("/", "required")),
    ("money as words", "campaigns", {**CAMPAIGN, "daily_budget": "twenty dollars"},
     ("/daily_budget", "pattern")),
    ("categories as text that is no JSON list", "campaigns",
     {**CAMPAIGN, "special_ad_categories": "NONE"}, ("/special_ad_categories", "pattern")),
    ("daily and lifetime budget", "campaigns",
     {**CAMPAIGN, "daily_budget": 2000, "lifetime_budget": 90000}, ("/lifetime_budget", "not")),
    ("unknown execution option", "campaigns",
     {**CAMPAIGN, "execution_options": ["dry_run"]}, ("/execution_options/0", "enum")),
    # adsets
    ("optimization_goal:IMPRESSIONS as one string", "adsets",
     edit(ADSET, "optimization_goal", "-"), ("/", "required")),
    ("CONVERSIONS is not a goal", "adsets", {**ADSET, "optimization_goal": "CONVERSIONS"},
     ("/optimization_goal", "enum")),
    ("id with letters", "adsets", {**ADSET, "campaign_id": "Your_campaign_id"},
     ("/campaign_id", "anyOf")),
    ("marker to the wrong kind", "adsets", {**ADSET, "campaign_id": {"$ref": "adset.spring"}},
     ("/campaign_id/$ref", "pattern")),
    ("marker with extra keys", "adsets",
     {**ADSET, "campaign_id": {"$ref": "campaign.spring", "id": "1"}},
     ("/campaign_id", "additionalProperties")),
    ("bid as the seed's string", "adsets", {**ADSET, "bid_amount": "Your_bid_amount"},
     ("/bid_amount", "pattern")),
    ("budget with cents", "adsets", {**ADSET, "daily_budget": 20.5}, ("/daily_budget", "type")),
    ("budget of zero", "adsets", {**ADSET, "daily_budget": 0}, ("/daily_budget", "minimum")),
    ("lifetime budget without end_time", "adsets",
     {**edit(ADSET, "daily_budget", "-"), "lifetime_budget": 90000},
     ("/", "dependentRequired")),
    ("cost cap without a bid", "adsets", {**edit(ADSET, "bid_amount", "-"),
                                          "bid_strategy": "COST_CAP"}, ("/", "required")),
    ("unknown destination", "adsets", {**ADSET, "destination_type": "MESSENGER_INBOX"},
     ("/destination_type", "enum")),
    ("targeting without a location", "adsets",
     edit(ADSET, "targeting/geo_locations", "-"), ("/targeting", "required")),
    ("three-letter country", "adsets", edit(ADSET, "targeting/geo_locations/countries/0", "USA"),
     ("/targeting/geo_locations/countries/0", "enum")),
    ("capitalised platform", "adsets",
     edit(ADSET, "targeting/publisher_platforms", ["Messenger"]),
     ("/targeting/publisher_platforms/0", "enum")),
    ("end_time in words", "adsets", {**ADSET, "end_time": "next friday"},
     ("/end_time", "pattern")),
    # adcreatives
    ("nofitication_messages", "adcreatives",
     edit(with_welcome(SUBSCRIBE), PAYLOAD + "/template_type", "nofitication_messages"),
     (PAYLOAD + "/template_type", "const")),
    ("subscribe button without payload", "adcreatives",
     edit(with_welcome(SUBSCRIBE), PAYLOAD + "/elements/0/buttons/0/payload", "-"),
     (PAYLOAD + "/elements/0/buttons/0", "required")),
    ("six ice breakers", "adcreatives", edit(with_welcome(ICE_BREAKERS), ICE_MESSAGE
                                             + "/ice_breakers",
                                             [{"title": "Q", "response": "A"}] * 6),
     (ICE_MESSAGE + "/ice_breakers", "maxItems")),
    ("ice breaker title over 80", "adcreatives",
     edit(with_welcome(ICE_BREAKERS), ICE_MESSAGE + "/ice_breakers/0/title", "x" * 81),
     (ICE_MESSAGE + "/ice_breakers/0/title", "maxLength")),
    ("greeting over 300", "adcreatives", image("x" * 301), (WELCOME, "maxLength")),
    ("call prompt without its message", "adcreatives",
     edit(with_welcome(CALL_PROMPT),
          WELCOME + "/$json/0/text_format/message/call_prompt_data", "-"),
     (WELCOME + "/$json/0/text_format/message", "required")),
    ("six template messages", "adcreatives", with_welcome([TEMPLATES[0]] * 6),
     (WELCOME + "/$json", "maxItems")),
    ("fourteen quick replies", "adcreatives", edit(
        with_welcome(TEMPLATES), WELCOME + "/$json/0/message/quick_replies",
        [{"content_type": "text", "title": "T", "payload": "P"}] * 14),
     (WELCOME + "/$json/0/message/quick_replies", "maxItems")),
    ("quick reply payload over 1000", "adcreatives", edit(
        with_welcome(TEMPLATES), WELCOME + "/$json/0/message/quick_replies/0/payload", "p" * 1001),
     (WELCOME + "/$json/0/message/quick_replies/0/payload", "maxLength")),
    ("quick reply without payload", "adcreatives", edit(
        with_welcome(TEMPLATES), WELCOME + "/$json/0/message/quick_replies/0/payload", "-"),
     (WELCOME + "/$json/0/message/quick_replies/0", "required")),
    ("lead form marker to a campaign", "adcreatives",
     with_welcome({"ctm_lead_gen_template_id": {"$ref": "campaign.spring"}}),
     (WELCOME + "/$json/ctm_lead_gen_template_id/$ref", "pattern")),
    ("lead form welcome with extras", "adcreatives",
     with_welcome({**LEAD_FORM_WELCOME, "privacy_url": "https://acme.example/privacy"}),
     (WELCOME + "/$json", "additionalProperties")),
    ("app_destination misspelled", "adcreatives",
     edit(image(), "/object_story_spec/link_data/call_to_action/value/app_destination",
          "MESSENGER_APP"),
     ("/object_story_spec/link_data/call_to_action/value/app_destination", "enum")),
    ("call to action type unknown", "adcreatives",
     edit(image(), "/object_story_spec/link_data/call_to_action/type", "SEND_MESSAGE"),
     ("/object_story_spec/link_data/call_to_action/type", "enum")),
    ("instagram_actor_id in the story", "adcreatives",
     edit(CREATIVES["instagram image"], "/object_story_spec/instagram_actor_id", "1784"),
     ("/object_story_spec", "additionalProperties")),
    ("instagram_actor_id at the top", "adcreatives",
     {**CREATIVES["instagram post"], "instagram_actor_id": "1784"},
     ("/instagram_actor_id", "not")),
    ("story spec and existing post", "adcreatives",
     {**image(), "object_story_id": f"{PAGE}_987654321"}, ("/object_story_id", "not")),
    ("post id without its page", "adcreatives",
     {**CREATIVES["existing facebook post"], "object_story_id": "987654321"},
     ("/object_story_id", "pattern")),
    ("video without video_id", "adcreatives",
     edit(CREATIVES["video"], "/object_story_spec/video_data/video_id", "-"),
     ("/object_story_spec/video_data", "required")),
    ("story spec without page", "adcreatives", edit(image(), "/object_story_spec/page_id", "-"),
     ("/object_story_spec", "required")),
    ("enroll_status typo", "adcreatives",
     edit(CREATIVES["product extensions, image"], FEATURES + "/product_extensions/enroll_status",
          "OPTIN"),
     (FEATURES + "/product_extensions/enroll_status", "enum")),
    ("product id with letters", "adcreatives", edit(
        CREATIVES["product extensions, album post"], "/product_data/0/product_id", "sku-1"),
     ("/product_data/0/product_id", "anyOf")),
    # ads
    ("product extensions posted to /ads", "ads",
     {k: v for k, v in CREATIVES["product extensions, image"].items() if k != "name"},
     ("/", "required")),
    ("creative as a bare id", "ads", {**AD, "creative": "123"}, ("/creative", "pattern")),
    ("creative marker to an ad set", "ads",
     {**AD, "creative": {"creative_id": {"$ref": "adset.x"}}},
     ("/creative/creative_id/$ref", "pattern")),
    ("ad PENDING_REVIEW", "ads", {**AD, "status": "PENDING_REVIEW"}, ("/status", "enum")),
    ("token in an ad", "ads", {**AD, "access_token": "EAAB-secret"}, ("/", "not")),
    # messenger_lead_forms
    ("next_step_ids with a negative id", "messenger_lead_forms",
     edit(LEAD_FORM, "step_list/1/next_step_ids", [2, -6, 2]),
     ("/step_list/1/next_step_ids/1", "minimum")),
    ("next_step_ids as a blank string", "messenger_lead_forms",
     edit(LEAD_FORM, "step_list/0/next_step_ids", " "), ("/step_list/0/next_step_ids", "pattern")),
    ("next_step_ids as a float", "messenger_lead_forms",
     edit(LEAD_FORM, "step_list/0/next_step_ids", 1.5), ("/step_list/0/next_step_ids", "type")),
    ("step_id as a number", "messenger_lead_forms", edit(LEAD_FORM, "step_list/0/step_id", 0),
     ("/step_list/0/step_id", "type")),
    ("unknown step type", "messenger_lead_forms",
     edit(LEAD_FORM, "step_list/0/step_type", "WELCOME"), ("/step_list/0/step_type", "enum")),
    ("prefill type in lower case", "messenger_lead_forms",
     edit(LEAD_FORM, "step_list/2/prefill_type", "city"), ("/step_list/2/prefill_type", "pattern")),
    ("PREFILL without prefill_type", "messenger_lead_forms",
     edit(LEAD_FORM, "step_list/2/prefill_type", "-"), ("/step_list/2", "required")),
    ("prefill_type without PREFILL", "messenger_lead_forms",
     edit(LEAD_FORM, "step_list/2/reply_type", "NONE"), ("/step_list/2/reply_type", "const")),
    ("QUICK_REPLIES without answers", "messenger_lead_forms",
     edit(LEAD_FORM, "step_list/1/answers", "-"), ("/step_list/1", "required")),
    ("blank answer", "messenger_lead_forms", edit(LEAD_FORM, "step_list/1/answers/1", " "),
     ("/step_list/1/answers/1", "pattern")),
    ("confirmation with a next step", "messenger_lead_forms",
     edit(LEAD_FORM, "step_list/5/next_step_ids", ["6"]),
     ("/step_list/5/next_step_ids", "maxItems")),
    ("blank message", "messenger_lead_forms", edit(LEAD_FORM, "step_list/3/message", "  "),
     ("/step_list/3/message", "pattern")),
    ("step without message", "messenger_lead_forms",
     edit(LEAD_FORM, "step_list/3/message", "-"), ("/step_list/3", "required")),
    ("http privacy policy", "messenger_lead_forms",
     {**LEAD_FORM, "privacy_url": "http://acme.example/privacy"}, ("/privacy_url", "pattern")),
    ("privacy policy missing", "messenger_lead_forms", edit(LEAD_FORM, "privacy_url", "-"),
     ("/", "required")),
    ("exit_keyphrases blank", "messenger_lead_forms",
     {**LEAD_FORM, "exit_keyphrases": [" "]}, ("/exit_keyphrases", "anyOf")),
    ("a field the endpoint lacks", "messenger_lead_forms",
     {**LEAD_FORM, "privacy_policy": "https://acme.example/privacy"},
     ("/", "additionalProperties")),
    ("a single step", "messenger_lead_forms",
     {**LEAD_FORM, "step_list": LEAD_FORM["step_list"][:1]},
     ("/step_list", "minItems")),
    ("token in a lead form", "messenger_lead_forms", {**LEAD_FORM, "access_token": "EAAB-secret"},
     {("/", "not"), ("/", "additionalProperties")}),
]


@pytest.mark.parametrize("name, endpoint, body, expected", BAD, ids=[b[0] for b in BAD])
def test_seed_mistakes_are_rejected_for_their_reason(
        name: str, endpoint: str, body: Body, expected: Problem | set[Problem]) -> None:
    assert problems(endpoint, body) == (expected if isinstance(expected, set) else {expected})


@pytest.mark.parametrize("endpoint, body", [
    ("campaigns", CAMPAIGN), ("ads", AD), ("messenger_lead_forms", LEAD_FORM)])
def test_errors_never_echo_a_token(endpoint: str, body: Body) -> None:
    validator = jsonschema.Draft202012Validator(schema(endpoint))
    errors = list(validator.iter_errors({**body, "access_token": "EAAB-secret"}))
    assert any("'access_token'" in e.message for e in errors)
    assert all("EAAB-secret" not in e.message for e in errors)


# -- what adflow emits ----------------------------------------------------------------------------


def sample_bodies() -> list[tuple[str, str, Body]]:
    from adflow.compiler.bodies.model import ENDPOINTS as EDGE_OF_KIND
    from adflow.compiler.pipeline import check_file

    out = []
    for path in sorted(SAMPLES.glob("*.adflow")):
        document = check_file(path).document
        assert document is not None, path
        out += [(f"{path.stem}:{r.key}", EDGE_OF_KIND[r.kind], r.body) for r in document.requests]
    return out


@pytest.mark.parametrize("name, endpoint, body", sample_bodies(),
                         ids=lambda v: v if isinstance(v, str) else "")
def test_sample_bodies_validate(name: str, endpoint: str, body: Body) -> None:
    assert problems(endpoint, body) == set()
