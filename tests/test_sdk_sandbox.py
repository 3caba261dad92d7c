"""`adflow sandbox` driven by Meta's own Python SDK (facebook-business), so
that what an integration written against the SDK sends is answered: reads,
updates and deletes on `/{id}/`, edge lists with the SDK's Cursor, Graph
batches, and errors as FacebookRequestError with Meta's codes."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import AUTH, Sandbox
from facebook_business.adobjects.ad import Ad
from facebook_business.adobjects.adaccount import AdAccount
from facebook_business.adobjects.adcreative import AdCreative
from facebook_business.adobjects.adset import AdSet
from facebook_business.adobjects.campaign import Campaign
from facebook_business.api import FacebookAdsApi, FacebookResponse
from facebook_business.exceptions import FacebookRequestError
from facebook_business.session import FacebookSession

TOKEN = "EAAsdkSandboxToken0123456789"
ACCOUNT = "act_1234567890"
PAGE = "111222333444"

CAMPAIGN = {"name": "Chat with Acme", "objective": "OUTCOME_ENGAGEMENT",
            "special_ad_categories": ["NONE"], "is_adset_budget_sharing_enabled": False,
            "status": "PAUSED"}
CREATIVE = {"name": "CTM image", "object_story_spec": {"page_id": PAGE, "link_data": {
    "image_hash": "9f1c2e", "link": "https://acme.example/spring.jpg",
    "message": "Questions about your pipes? Ask us in Messenger.",
    "call_to_action": {"type": "LEARN_MORE", "value": {"app_destination": "MESSENGER"}},
    "page_welcome_message": "Hi {{user_first_name}}! How can we help?"}}}

LEAD_FORM = {"template_name": "Quote", "privacy_url": "https://acme.example/privacy",
             "reminder_text": "Still there?",
             "step_list": [
                 {"step_id": "0", "step_type": "INTRO", "message": "Hi!", "reply_type": "NONE",
                  "next_step_ids": ["1"]},
                 {"step_id": "1", "step_type": "QUESTION", "message": "Your email?",
                  "reply_type": "PREFILL", "prefill_type": "EMAIL", "next_step_ids": ["2"]},
                 {"step_id": "2", "step_type": "CONFIRMATION", "message": "Thanks!",
                  "reply_type": "NONE"}]}


def adset_of(campaign_id: str, name: str = "Chat US") -> dict[str, Any]:
    return {"campaign_id": campaign_id, "name": name, "optimization_goal": "CONVERSATIONS",
            "destination_type": "MESSENGER", "daily_budget": 2500,
            "promoted_object": {"page_id": PAGE}, "billing_event": "IMPRESSIONS",
            "targeting": {"geo_locations": {"countries": ["US"]},
                          "device_platforms": ["mobile", "desktop"],
                          "publisher_platforms": ["facebook", "messenger"]},
            "status": "PAUSED"}


def sdk_api(url: str, token: str | None = TOKEN) -> FacebookAdsApi:
    """The SDK's own client, pointed at the sandbox (FacebookSession.GRAPH is
    where every request of that session goes)."""
    session = FacebookSession(access_token=token)
    session.GRAPH = url
    return FacebookAdsApi(session, api_version="v25.0")


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    with Sandbox(tmp_path) as running:
        yield running
    assert "Traceback" not in running.errors


@pytest.fixture
def api(sandbox: Sandbox) -> FacebookAdsApi:
    return sdk_api(sandbox.url)


def new_campaign(api: FacebookAdsApi, name: str = "Chat with Acme") -> Campaign:
    created = AdAccount(ACCOUNT, api=api).create_campaign(params={**CAMPAIGN, "name": name})
    assert isinstance(created, Campaign)
    return created


def test_create_then_read_update_and_read_again(api: FacebookAdsApi) -> None:
    created = new_campaign(api)
    campaign_id = created[Campaign.Field.id]
    assert campaign_id.isdigit() and int(campaign_id) > 2**53

    read = Campaign(campaign_id, api=api).api_get(
        fields=[Campaign.Field.name, Campaign.Field.status, Campaign.Field.objective])
    assert read[Campaign.Field.name] == "Chat with Acme"
    assert read[Campaign.Field.status] == "PAUSED"
    assert read[Campaign.Field.objective] == "OUTCOME_ENGAGEMENT"

    Campaign(campaign_id, api=api).api_update(params={"name": "Renamed", "status": "ACTIVE"})
    again = Campaign(campaign_id, api=api).api_get(fields=["name", "status"])
    assert (again["name"], again["status"]) == ("Renamed", "ACTIVE")


def test_a_field_meta_does_not_let_you_edit_is_refused(api: FacebookAdsApi) -> None:
    campaign_id = new_campaign(api)["id"]
    with pytest.raises(FacebookRequestError) as caught:
        Campaign(campaign_id, api=api).api_update(params={"objective": "OUTCOME_LEADS"})
    assert caught.value.api_error_code() == 100
    assert caught.value.api_error_subcode() == 1815573


def test_delete_answers_success_and_the_object_is_gone(api: FacebookAdsApi) -> None:
    first, second = new_campaign(api)["id"], new_campaign(api)["id"]
    Campaign(first, api=api).api_delete()  # the SDK's parser drops `success`
    # The same request through the SDK's lower level, to see the answer itself.
    assert api.call("DELETE", (second, "")).json() == {"success": True}
    for gone in (first, second):
        with pytest.raises(FacebookRequestError) as caught:
            Campaign(gone, api=api).api_get(fields=["name"])
        assert caught.value.api_error_code() == 100
        assert caught.value.api_error_subcode() == 33
    with pytest.raises(FacebookRequestError) as caught:
        Campaign(first, api=api).api_delete()
    assert caught.value.api_error_code() == 100


def test_the_whole_chain_and_an_ads_creative_reads_back_as_an_id(api: FacebookAdsApi) -> None:
    account = AdAccount(ACCOUNT, api=api)
    campaign_id = new_campaign(api)["id"]
    adset = account.create_ad_set(params=adset_of(campaign_id))
    creative = account.create_ad_creative(params=CREATIVE)
    ad = account.create_ad(params={"name": "Chat ad", "adset_id": adset["id"],
                                   "creative": {"creative_id": creative["id"]},
                                   "status": "PAUSED"})
    read = Ad(ad["id"], api=api).api_get(fields=[Ad.Field.creative, Ad.Field.adset_id])
    assert read[Ad.Field.adset_id] == adset["id"]
    assert isinstance(read[Ad.Field.creative], AdCreative)
    assert read[Ad.Field.creative]["id"] == creative["id"]
    budget = AdSet(adset["id"], api=api).api_get(fields=[AdSet.Field.daily_budget])
    assert str(budget[AdSet.Field.daily_budget]) == "2500"


def test_edge_lists_page_with_the_sdks_cursor(sandbox: Sandbox, api: FacebookAdsApi) -> None:
    account = AdAccount(ACCOUNT, api=api)
    names = [f"Campaign {n}" for n in range(7)]
    ids = [new_campaign(api, name)["id"] for name in names]
    new_campaign(sdk_api(sandbox.url), "other")  # same account, another client
    cursor = account.get_campaigns(fields=[Campaign.Field.name], params={"limit": 3})
    listed = [(c["id"], c["name"]) for c in cursor]
    assert listed[:7] == list(zip(ids, names, strict=True))
    assert len(listed) == 8 and len({i for i, _ in listed}) == 8
    assert cursor.total() == 8  # summary=true, which the Cursor asks for

    other = AdAccount("act_999", api=api).get_campaigns(fields=["name"])
    assert list(other) == []


def test_an_objects_own_edges_list_what_belongs_to_it(api: FacebookAdsApi) -> None:
    account = AdAccount(ACCOUNT, api=api)
    first, second = new_campaign(api)["id"], new_campaign(api)["id"]
    mine = [account.create_ad_set(params=adset_of(first, f"set {n}"))["id"] for n in range(3)]
    account.create_ad_set(params=adset_of(second, "elsewhere"))
    listed = Campaign(first, api=api).get_ad_sets(fields=["name", "campaign_id"],
                                                  params={"limit": 2})
    assert [a["id"] for a in listed] == mine
    creative = account.create_ad_creative(params=CREATIVE)
    ad = account.create_ad(params={"name": "a", "adset_id": mine[0], "status": "PAUSED",
                                   "creative": {"creative_id": creative["id"]}})
    assert [a["id"] for a in AdSet(mine[0], api=api).get_ads()] == [ad["id"]]
    assert [a["id"] for a in Campaign(first, api=api).get_ads()] == [ad["id"]]
    assert list(Campaign(second, api=api).get_ads()) == []


def test_a_batch_of_sdk_calls_is_answered_item_by_item(api: FacebookAdsApi) -> None:
    first, second = new_campaign(api, "one")["id"], new_campaign(api, "two")["id"]
    answers: list[tuple[str, FacebookResponse]] = []

    def ok(response: FacebookResponse) -> None:
        answers.append(("ok", response))

    def failed(response: FacebookResponse) -> None:
        answers.append(("failed", response))

    batch = api.new_batch()
    Campaign(first, api=api).api_get(fields=["name"], batch=batch, success=ok, failure=failed)
    Campaign(second, api=api).api_update(params={"name": "two, renamed"}, batch=batch,
                                         success=ok, failure=failed)
    AdAccount(ACCOUNT, api=api).create_campaign(params={**CAMPAIGN, "name": "three"},
                                                batch=batch, success=ok, failure=failed)
    Campaign("120000000000999999", api=api).api_get(fields=["name"], batch=batch,
                                                    success=ok, failure=failed)
    Campaign(first, api=api).api_update(params={"objective": "OUTCOME_LEADS"}, batch=batch,
                                        success=ok, failure=failed)
    assert batch.execute() is None  # every item has an answer: nothing to retry
    assert [kind for kind, _ in answers] == ["ok", "ok", "ok", "failed", "failed"]
    assert answers[0][1].json() == {"id": first, "name": "one"}
    assert answers[1][1].json() == {"success": True}
    created = answers[2][1].json()["id"]
    assert answers[3][1].error().api_error_code() == 100
    assert answers[4][1].error().api_error_subcode() == 1815573
    assert Campaign(second, api=api).api_get(fields=["name"])["name"] == "two, renamed"
    assert Campaign(created, api=api).api_get(fields=["name"])["name"] == "three"


def test_a_batch_item_refers_to_an_earlier_ones_result(sandbox: Sandbox) -> None:
    # Meta's JSONPath references between items: {result=NAME:$.id}.
    items = [
        {"method": "POST", "relative_url": f"v25.0/{ACCOUNT}/campaigns", "name": "campaign",
         "body": urllib.parse.urlencode({k: json.dumps(v) if not isinstance(v, str) else v
                                         for k, v in CAMPAIGN.items()})},
        {"method": "GET", "relative_url": "{result=campaign:$.id}?fields=name,objective"},
    ]
    form = urllib.parse.urlencode({"batch": json.dumps(items), "access_token": TOKEN})
    status, answer = sandbox.call("POST", "/", form.encode(),
                                  {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and isinstance(answer, list) and len(answer) == 2
    # A result another item used is left out unless omit_response_on_success is false.
    assert answer[0] is None
    assert answer[1]["code"] == 200
    assert json.loads(answer[1]["body"])["objective"] == "OUTCOME_ENGAGEMENT"
    assert TOKEN not in sandbox.record.read_text("utf-8")


@pytest.mark.parametrize(("items", "code"), [
    ("not json", 100),
    (json.dumps({"method": "GET"}), 100),  # not a list
    (json.dumps([{"method": "GET", "relative_url": "me"}] * 51), 100),  # more than 50
])
def test_a_batch_that_is_not_one_is_a_graph_error(sandbox: Sandbox, items: str,
                                                  code: int) -> None:
    form = urllib.parse.urlencode({"batch": items}).encode()
    status, answer = sandbox.call("POST", "/v25.0/", form, AUTH | {
        "Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400 and answer["error"]["code"] == code


def test_no_token_is_code_104_and_a_wrong_field_code_100(sandbox: Sandbox,
                                                         api: FacebookAdsApi) -> None:
    with pytest.raises(FacebookRequestError) as caught:
        AdAccount(ACCOUNT, api=sdk_api(sandbox.url, None)).create_campaign(params=CAMPAIGN)
    assert caught.value.api_error_code() == 104
    campaign_id = new_campaign(api)["id"]
    with (pytest.raises(FacebookRequestError) as caught,
          pytest.warns(UserWarning, match="no_such_field")):  # the SDK warns, then sends it
        Campaign(campaign_id, api=api).api_get(fields=["name", "no_such_field"])
    assert caught.value.api_error_code() == 100
    assert "no_such_field" in caught.value.api_error_message()


def test_a_body_the_rules_refuse_is_a_request_error(api: FacebookAdsApi) -> None:
    with pytest.raises(FacebookRequestError) as caught:
        AdAccount(ACCOUNT, api=api).create_campaign(
            params={**CAMPAIGN, "objective": "MESSAGES"})
    assert caught.value.api_error_code() == 100
    assert caught.value.body()["error"]["error_user_msg"].startswith("A001")


def test_every_lookup_the_curl_bundle_prints_is_answered(sandbox: Sandbox,
                                                         api: FacebookAdsApi) -> None:
    """The bundle's exit-3 advice: `GET {url}/{create path}?fields=id,name`
    (emitters/templates/bundle.sh.j2, how_to_resume), for every create edge."""
    account = AdAccount(ACCOUNT, api=api)
    campaign_id = new_campaign(api, "Spring")["id"]
    adset = account.create_ad_set(params=adset_of(campaign_id))
    creative = account.create_ad_creative(params=CREATIVE)
    ad = account.create_ad(params={"name": "Chat ad", "adset_id": adset["id"],
                                   "creative": {"creative_id": creative["id"]}})
    expected = {"campaigns": {"id": campaign_id, "name": "Spring"},
                "adsets": {"id": adset["id"], "name": "Chat US"},
                "adcreatives": {"id": creative["id"], "name": "CTM image"},
                "ads": {"id": ad["id"], "name": "Chat ad"}}
    for edge, wanted in expected.items():
        status, answer = sandbox.call("GET", f"/v25.0/{ACCOUNT}/{edge}?fields=id,name",
                                      None, AUTH)
        assert status == 200 and answer["data"] == [wanted], edge
    status, form = sandbox.call("POST", f"/v25.0/{PAGE}/messenger_lead_forms",
                                json.dumps(LEAD_FORM).encode(), AUTH)
    assert status == 200, form
    status, answer = sandbox.call("GET", f"/v25.0/{PAGE}/messenger_lead_forms?fields=id,name",
                                  None, AUTH)
    assert status == 200 and answer["data"] == [{"id": form["id"]}]  # a form has no name


@pytest.mark.slow
@pytest.mark.parametrize("item", [
    {"method": "GET", "relative_url": "{result=nobody:$.id}?fields=name"},
    {"method": "GET", "relative_url": 5},
    {"method": "POST", "relative_url": f"{ACCOUNT}/campaigns", "body": {"name": "x"}},
    {"method": "POST", "relative_url": f"{ACCOUNT}/campaigns", "body": "name=%zz&&"},
    {"method": "GET", "relative_url": "a/b/c/d"},
    {"method": "GET", "relative_url": ""},
])
def test_a_batch_item_it_cannot_serve_gets_its_own_graph_error(sandbox: Sandbox,
                                                               item: dict[str, Any]) -> None:
    good = {"method": "GET", "relative_url": f"{ACCOUNT}/campaigns"}
    form = urllib.parse.urlencode({"batch": json.dumps([item, good])}).encode()
    status, answer = sandbox.call("POST", "/v25.0", form, AUTH | {
        "Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and [a["code"] for a in answer] == [400, 200]
    assert json.loads(answer[0]["body"])["error"]["code"] in (100, 2500)
    assert json.loads(answer[1]["body"]) == {"data": []}
