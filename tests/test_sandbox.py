"""`adflow sandbox`: the local Graph API emulator, driven over real HTTP
(conftest.Sandbox runs it)."""

from __future__ import annotations

import http.client
import json
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import ADFLOW, AUTH, CAMPAIGN, Sandbox, post_json


def test_creates_reads_and_records_without_the_token(tmp_path: Path) -> None:
    with Sandbox(tmp_path) as sandbox:
        status, answer = post_json(sandbox, "/v25.0/act_1/campaigns", CAMPAIGN)
        assert status == 200
        new_id = answer["id"]
        assert isinstance(new_id, str) and new_id.isdigit() and int(new_id) > 2**53
        status, again = post_json(sandbox, "/v25.0/act_1/campaigns", CAMPAIGN)
        assert again["id"] != new_id
        status, read = sandbox.call("GET", f"/v25.0/{new_id}?fields=name,status", None, AUTH)
        assert status == 200 and read == {"id": new_id, "name": "Spring", "status": "PAUSED"}
        entries = sandbox.entries()
    assert [e["method"] for e in entries] == ["POST", "POST", "GET"]
    first = entries[0]
    assert first["path"] == "/v25.0/act_1/campaigns" and first["body"] == CAMPAIGN
    assert first["response"] == {"id": new_id}
    assert "Authorization" not in first["headers"]
    assert "sandbox-token" not in sandbox.record.read_text("utf-8")


@pytest.mark.slow
def test_form_bodies_and_access_token_parameter(tmp_path: Path) -> None:
    form = urllib.parse.urlencode({**{k: json.dumps(v) if not isinstance(v, str) else v
                                      for k, v in CAMPAIGN.items()},
                                   "access_token": "secret-in-body"}).encode()
    with Sandbox(tmp_path) as sandbox:
        status, answer = sandbox.call("POST", "/v25.0/act_1/campaigns", form,
                                      {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 200 and answer["id"].isdigit()
        record = sandbox.record.read_text("utf-8")
    assert "secret-in-body" not in record
    assert json.loads(record)["body"]["special_ad_categories"] == ["NONE"]


def test_no_token_is_code_104(sandbox: Sandbox) -> None:
    # Meta: "An access token is required to request this resource." (190 is a bad token).
    status, answer = post_json(sandbox, "/v25.0/act_1/campaigns", CAMPAIGN,
                               {"Content-Type": "application/json"})
    assert status == 400 and answer["error"]["code"] == 104


@pytest.mark.slow
def test_schema_failure_is_metas_error_envelope(sandbox: Sandbox) -> None:
    status, answer = post_json(sandbox, "/v25.0/act_1/campaigns",
                               {**CAMPAIGN, "status": "PENDING_REVIEW"})
    assert status == 400
    error = answer["error"]
    assert error["code"] == 100 and "status" in error["error_user_msg"]
    assert error["error_data"]["blame_field_specs"] == [["status"]]
    assert error["fbtrace_id"]


@pytest.mark.slow
def test_adflow_rules_reject_a_body_the_schema_allows(sandbox: Sandbox) -> None:
    # A legacy objective is a well-formed enum but A001 rejects it, as Meta does.
    status, answer = post_json(sandbox, "/v25.0/act_1/campaigns",
                               {**CAMPAIGN, "objective": "MESSAGES"})
    assert status == 400 and answer["error"]["code"] == 100
    assert answer["error"]["error_user_msg"].startswith("A001")


@pytest.mark.slow
def test_validate_only_creates_nothing(sandbox: Sandbox) -> None:
    status, answer = post_json(sandbox, "/v25.0/act_1/campaigns",
                               {**CAMPAIGN, "execution_options": ["validate_only"]})
    assert status == 200 and answer == {"success": True}
    status, missing = sandbox.call("GET", "/v25.0/120000000000000001", None, AUTH)
    assert status == 400 and missing["error"]["code"] == 100


@pytest.mark.slow
def test_forced_failures_happen_once(tmp_path: Path) -> None:
    with Sandbox(tmp_path, "--fail", "1:613", "--fail", "2:500", "--fail", "3:drop") as sandbox:
        status, answer = post_json(sandbox, "/v25.0/act_1/campaigns", CAMPAIGN)
        assert status == 400 and answer["error"]["code"] == 613
        status, answer = post_json(sandbox, "/v25.0/act_1/campaigns", CAMPAIGN)
        assert status == 500 and answer["error"]["is_transient"] is True
        gone = (http.client.RemoteDisconnected, ConnectionError, urllib.error.URLError)
        with pytest.raises(gone):
            post_json(sandbox, "/v25.0/act_1/campaigns", CAMPAIGN)
        status, answer = post_json(sandbox, "/v25.0/act_1/campaigns", CAMPAIGN)
        assert status == 200
        entries = sandbox.entries()
    # The dropped create was carried out: the outcome a client cannot know.
    assert entries[2]["status"] is None and "id" in entries[2]["response"]
    assert int(answer["id"]) == int(entries[2]["response"]["id"]) + 1


@pytest.mark.parametrize("option", ["0:17", "x:17", "1:nope", "1:"])
def test_bad_fail_option_is_a_usage_error(option: str) -> None:
    done = subprocess.run([ADFLOW, "sandbox", "--port", "0", "--fail", option],
                          capture_output=True, text=True, timeout=30,
                          check=False)
    assert done.returncode == 2 and "--fail" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.slow
def test_busy_port_is_a_usage_error(tmp_path: Path) -> None:
    with Sandbox(tmp_path) as sandbox:
        port = sandbox.url.rsplit(":", 1)[1]
        done = subprocess.run([ADFLOW, "sandbox", "--port", port], capture_output=True,
                              text=True, timeout=30, check=False)
    assert done.returncode == 2 and "cannot listen" in done.stderr
