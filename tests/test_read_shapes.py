"""JSON shapes people have beside bare bodies and plans, read as the requests
they stand for: a request without `method` (a POST), a Graph API list
response (each item a read-back), and Graph batch requests (Meta's "Batch
Requests" page: `relative_url`, a form-encoded `body`, `{result=NAME:$.id}`
for an earlier item's id)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

from adflow.compiler.front.source import Source
from adflow.compiler.pipeline import check_source

CAMPAIGN = {"name": "Spring", "objective": "OUTCOME_ENGAGEMENT", "status": "PAUSED",
            "special_ad_categories": ["NONE"], "is_adset_budget_sharing_enabled": False}


def read(value: object, name: str = "in.json"):  # type: ignore[no-untyped-def]
    text = value if isinstance(value, str) else json.dumps(value, indent=1)
    return check_source(Source(name, text))


def codes(result) -> set[str]:  # type: ignore[no-untyped-def]
    return {d.code for d in result.diagnostics}


def test_a_request_without_method_is_a_post() -> None:
    result = read({"path": "act_1/campaigns", "body": {**CAMPAIGN, "objective": "MESSAGES"}})
    assert result.document is not None
    [request] = result.document.requests
    assert (request.kind, request.path, request.method) == ("campaign", "act_1/campaigns", "POST")
    assert codes(result) == {"A001"}  # judged, not refused


def test_a_list_response_is_read_item_by_item_as_read_backs() -> None:
    # GET /act_{id}/campaigns?fields=...: budgets come back as strings, with ids and
    # effective_status, which a create never takes.
    listing = {"data": [
        {"id": "120200000000000001", **CAMPAIGN, "daily_budget": "5000",
         "effective_status": "PAUSED"},
        {"id": "120200000000000002", **CAMPAIGN, "name": "Autumn", "special_ad_categories": []},
    ], "paging": {"cursors": {"before": "QVFIU", "after": "QVFIU"}}}
    result = read(listing)
    assert result.document is not None
    assert [r.name for r in result.document.requests] == ["Spring", "Autumn"]
    assert all("id" not in r.body and "effective_status" not in r.body
               for r in result.document.requests)
    assert result.document.requests[0].view["daily_budget"] == 5000
    assert codes(result) == set()


def test_a_list_response_item_is_judged_where_it_was_written() -> None:
    listing = {"data": [{"id": "1", **CAMPAIGN}, {"id": "2", **CAMPAIGN, "objective": "REACH"}],
               "paging": {}}
    text = json.dumps(listing, indent=1)
    [finding] = read(text).diagnostics
    assert finding.code == "A001"
    assert text.splitlines()[finding.span.line - 1].strip() == '"objective": "REACH",'


def test_a_graph_batch_with_form_encoded_bodies_and_result_references() -> None:
    campaign = urlencode({**CAMPAIGN, "special_ad_categories": '["NONE"]',
                          "is_adset_budget_sharing_enabled": "false"})
    adset = urlencode({
        "name": "US", "campaign_id": "{result=spring:$.id}", "daily_budget": "2000",
        "billing_event": "IMPRESSIONS", "optimization_goal": "CONVERSATIONS",
        "destination_type": "MESSENGER", "status": "PAUSED",
        "promoted_object": json.dumps({"page_id": "111222333444"}),
        "targeting": json.dumps({"geo_locations": {"countries": ["US"]}})})
    batch = [{"method": "POST", "name": "spring", "relative_url": "v25.0/act_1/campaigns",
              "body": campaign},
             {"method": "POST", "relative_url": "act_1/adsets?fields=id", "body": adset}]
    for shape in (batch, {"batch": batch}, {"batch": json.dumps(batch)}):
        result = read(shape)
        assert codes(result) == set(), shape
        assert result.document is not None
        first, second = result.document.requests
        assert (first.key, first.path, second.path) == (
            "campaign.spring", "act_1/campaigns", "act_1/adsets")
        assert second.body["campaign_id"] == {"$ref": "campaign.spring"}
        assert second.view["targeting"] == {"geo_locations": {"countries": ["US"]}}


def test_a_finding_in_a_form_encoded_batch_body_points_at_that_body() -> None:
    body = urlencode({**CAMPAIGN, "objective": "MESSAGES", "special_ad_categories": '["NONE"]'})
    text = json.dumps([{"method": "POST", "relative_url": "act_1/campaigns", "body": body}],
                      indent=1)
    [finding] = read(text).diagnostics
    assert finding.code == "A001"
    assert text.splitlines()[finding.span.line - 1].strip().startswith('"body": "name=Spring')


def test_a_batch_item_without_a_body_is_a_diagnostic(tmp_path: Path) -> None:
    batch = [{"method": "GET", "relative_url": "me/adaccounts"}]
    assert codes(read(batch)) == {"S005"}


def test_parameters_in_the_query_of_a_request_path_are_its_parameters() -> None:
    """Graph API Explorer and hand-written curl put a POST's parameters in the
    URL's query: they are read with the body's (the body wins a name written in
    both), the version and the read-side `fields` are not; a token is read, and
    refused (X001: tokens come from the environment, never from a file)."""
    query = urlencode({**CAMPAIGN, "special_ad_categories": "[]",
                       "is_adset_budget_sharing_enabled": "false", "objective": "MESSAGES",
                       "fields": "id,name", "access_token": "EAAB-not-a-body-field"})
    text = json.dumps({"method": "POST", "path": f"/v24.0/act_1/campaigns?{query}"}, indent=1)
    result = read(text)
    assert result.document is not None
    [request] = result.document.requests
    assert (request.kind, request.path) == ("campaign", "act_1/campaigns")
    assert "fields" not in request.body
    # judged where they were written, in the path; a token in the file is refused
    assert {d.code for d in result.diagnostics if d.severity.value == "error"} >= {"A001", "X001"}
    for finding in result.diagnostics:
        assert '"path"' in text.splitlines()[finding.span.line - 1]
    with_body = read({"path": "act_1/campaigns?objective=MESSAGES", "body": CAMPAIGN})
    assert codes(with_body) == set()


def test_a_batch_items_query_parameters_are_its_parameters() -> None:
    batch = [{"method": "POST", "name": "c",
              "relative_url": "v24.0/act_1/campaigns?objective=OUTCOME_ENGAGEMENT",
              "body": urlencode({"name": "Spring", "status": "PAUSED",
                                 "special_ad_categories": "[]",
                                 "is_adset_budget_sharing_enabled": "false"})}]
    assert codes(read({"batch": batch})) == set()  # its objective is in the URL


def test_a_request_as_http_clients_log_it_is_read() -> None:
    """{method, url, data | json | params} as requests and axios take them,
    the URL with its host; a body written as one string, form-encoded or JSON
    text; findings point where each value was written."""
    url = "https://graph.facebook.com/v24.0/act_1/campaigns"
    bad = {**CAMPAIGN, "objective": "MESSAGES"}
    for request in ({"method": "POST", "url": url, "data": bad},
                    {"method": "POST", "url": url, "json": bad},
                    {"url": url, "params": bad},
                    {"path": "act_1/campaigns", "body": json.dumps(bad)},
                    {"path": "act_1/campaigns", "body": urlencode(
                        {**bad, "special_ad_categories": "[]",
                         "is_adset_budget_sharing_enabled": "false"})}):
        text = json.dumps(request, indent=1)
        result = read(text)
        assert result.document is not None, request
        [found] = result.document.requests
        assert (found.kind, found.path) == ("campaign", "act_1/campaigns")
        [finding] = result.diagnostics
        assert finding.code == "A001", request
        assert "MESSAGES" in text.splitlines()[finding.span.line - 1], request


def test_one_batch_item_alone_is_a_request() -> None:
    item = {"method": "POST", "relative_url": "v24.0/act_1/campaigns",
            "body": urlencode({**CAMPAIGN, "objective": "MESSAGES",
                               "special_ad_categories": "[]",
                               "is_adset_budget_sharing_enabled": "false"})}
    assert codes(read(item)) == {"A001"}


def test_what_a_read_back_reports_and_a_create_never_takes_is_dropped() -> None:
    """A GET answer (or a connector's record of one) carries fields Meta
    reports, not parameters: budget_remaining, account_id ... are no part of
    the request that would create the object, so they are no finding."""
    back = {"id": "120200000000000001", **CAMPAIGN, "account_id": "1234567890",
            "budget_remaining": "0", "issues_info": [], "recommendations": [],
            "can_use_spend_cap": True}
    result = read(back)
    assert result.document is not None
    [request] = result.document.requests
    assert set(request.body) == set(CAMPAIGN)
    assert codes(result) == set()
