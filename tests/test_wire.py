"""Wire formats Meta accepts are normalised once (compiler/bodies/wire.py), before
rules and schemas judge a body: numbers and booleans sent as text, objects
and lists sent as JSON text (the SDK's `_top_level_param_json_encode`),
welcome messages written as objects. The body itself is sent as written."""

from __future__ import annotations

import copy
import json

from adflow.compiler.bodies.wire import normalise
from adflow.compiler.front.source import Source
from adflow.compiler.pipeline import check_source

TARGETING = {"geo_locations": {"countries": ["US"]}, "publisher_platforms": ["messenger"]}


def test_numbers_booleans_and_json_text_are_decoded_by_parameter_type() -> None:
    body = {"name": "[Promo] {Spring}", "daily_budget": "2000", "bid_amount": " 150 ",
            "campaign_id": "120200000000000001", "is_dynamic_creative": "false",
            "targeting": json.dumps(TARGETING), "promoted_object": '{"page_id": "1"}'}
    view, not_json = normalise("adsets", body)
    assert view == {**body, "daily_budget": 2000, "bid_amount": 150, "is_dynamic_creative": False,
                    "targeting": TARGETING, "promoted_object": {"page_id": "1"}}
    # A string parameter that looks like JSON, and an id, stay as written.
    assert view["name"] == "[Promo] {Spring}" and view["campaign_id"] == "120200000000000001"
    assert not_json == ()


def test_the_body_is_left_as_written() -> None:
    body = {"name": "x", "daily_budget": "2000", "targeting": json.dumps(TARGETING)}
    before = copy.deepcopy(body)
    normalise("adsets", body)
    assert body == before


def test_money_with_cents_as_text_is_still_judged() -> None:
    text = json.dumps({"name": "US", "campaign_id": "1", "optimization_goal": "CONVERSATIONS",
                       "billing_event": "IMPRESSIONS", "daily_budget": "20.50",
                       "targeting": json.dumps(TARGETING)})
    found = {d.code: d.message for d in check_source(Source("b.json", text)).diagnostics}
    assert "A005" in found and "20.5" in found["A005"]


def test_a_python_repr_is_read_for_what_it_meant_and_reported() -> None:
    body = {"name": "x", "degrees_of_freedom_spec": {
        "creative_features_spec": "{'product_extensions': {'enroll_status': 'OPT_IN'}}"},
        "asset_feed_spec": "{'images': [{'hash': 'a'}], 'optimization_type': None}"}
    view, not_json = normalise("adcreatives", body)
    assert view["degrees_of_freedom_spec"]["creative_features_spec"] == {
        "product_extensions": {"enroll_status": "OPT_IN"}}
    assert view["asset_feed_spec"] == {"images": [{"hash": "a"}], "optimization_type": None}
    assert [p for p, _ in not_json] == ["/degrees_of_freedom_spec/creative_features_spec",
                                        "/asset_feed_spec"]


def test_text_in_an_object_parameter_that_is_nothing_is_reported_and_kept() -> None:
    view, not_json = normalise("adsets", {"targeting": "{geo: US}"})
    assert view["targeting"] == "{geo: US}" and [p for p, _ in not_json] == ["/targeting"]


def story(welcome: object) -> dict[str, object]:
    return {"object_story_spec": {"page_id": "1", "link_data": {
        "image_hash": "a", "link": "https://acme.example/", "page_welcome_message": welcome}}}


def test_a_welcome_message_as_an_object_or_as_json_text_reads_the_same() -> None:
    form = {"ctm_lead_gen_template_id": "123"}
    as_object = normalise("adcreatives", story(form)).view
    as_text = normalise("adcreatives", story(json.dumps(form))).view
    as_marker = normalise("adcreatives", story({"$json": form})).view
    assert as_object == as_text == as_marker
    assert as_object["object_story_spec"]["link_data"]["page_welcome_message"] == {"$json": form}


def test_a_greeting_that_starts_with_a_brace_is_text() -> None:
    greeting = "{{user_first_name}}, hi! Ask us anything."
    view, not_json = normalise("adcreatives", story(greeting))
    assert view["object_story_spec"]["link_data"]["page_welcome_message"] == greeting
    assert not_json == ()


def test_json_text_objects_are_judged_by_the_rules() -> None:
    # The country is wrong inside the JSON text: A009 finds it and points at the string.
    text = json.dumps({"name": "US", "campaign_id": "1", "optimization_goal": "CONVERSATIONS",
                       "billing_event": "IMPRESSIONS", "destination_type": "MESSENGER",
                       "promoted_object": '{"page_id": "1"}',
                       "targeting": json.dumps({"geo_locations": {"countries": ["USA"]}})},
                      indent=1)
    [finding] = check_source(Source("b.json", text)).diagnostics
    assert finding.code == "A009" and "'USA'" in finding.message
    assert text.splitlines()[finding.span.line - 1].lstrip().startswith('"targeting"')


def test_the_object_graph_reads_pages_out_of_json_text() -> None:
    from adflow.emitters.graph import render_graph

    text = json.dumps({"name": "US", "campaign_id": "1", "optimization_goal": "CONVERSATIONS",
                       "billing_event": "IMPRESSIONS", "destination_type": "MESSENGER",
                       "promoted_object": '{"page_id": "111222333444"}',
                       "targeting": json.dumps(TARGETING)})
    result = check_source(Source("b.json", text))
    assert result.document is not None
    assert "111222333444" in render_graph(result.document, result.diagnostics)


def test_text_nested_past_the_input_limit_or_huge_numbers_stay_text() -> None:
    deep = "[" * 5000 + "]" * 5000
    view, not_json = normalise("adsets", {"targeting": deep, "daily_budget": "9" * 5000,
                                          "promoted_object": "{[1]: 2}"})
    assert view["targeting"] == deep and view["daily_budget"] == "9" * 5000
    assert [p for p, _ in not_json] == ["/targeting", "/promoted_object"]
    # and checking such a body is a finding, never a crash
    text = json.dumps({"name": "US", "campaign_id": "1", "optimization_goal": "CONVERSATIONS",
                       "billing_event": "IMPRESSIONS", "targeting": deep})
    assert "S009" in {d.code for d in check_source(Source("b.json", text)).diagnostics}
