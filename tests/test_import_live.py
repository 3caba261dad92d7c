"""`adflow import --live`: what runs at Meta (here, the sandbox) becomes an
.adflow file and a state on which `adflow plan` has nothing to change."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from adflow.compiler.cli.main import main
from adflow.compiler.importer import live
from adflow.compiler.tools import changes
from adflow.compiler.tools.sandbox import GraphSandbox, make_server, url_of
from conftest import SAMPLES, Loopback, compile_bundle, run_bundle

TOKEN = "sekrit-token-4242"
WITH_CAMPAIGNS = sorted(p for p in SAMPLES.glob("*.adflow")
                        if "\ncampaign " in p.read_text(encoding="utf-8"))


class Meta:
    """The sandbox in this process, answering on a loopback port."""

    def __init__(self) -> None:
        self.graph = GraphSandbox()
        self.server = make_server("127.0.0.1", 0, self.graph)
        self.url = url_of(self.server)
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def post(self, path: str, body: dict[str, Any]) -> str:
        answer = self.graph.answer("POST", f"/v25.0/{path}", {
            "Content-Type": "application/json", "Authorization": f"OAuth {TOKEN}"},
            json.dumps(body).encode())
        assert answer.status == 200, answer.body
        return str(answer.body["id"])

    def read(self, object_id: str, fields: str) -> Any:
        return self.graph.answer("GET", f"/v25.0/{object_id}?fields={fields}",
                                 {"Authorization": f"OAuth {TOKEN}"}, b"").body

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(10)


@pytest.fixture
def meta() -> Iterator[Meta]:
    server = Meta()
    yield server
    server.close()


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def import_live(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, url: str,
                folder: Path, *args: str) -> tuple[int, str, str]:
    monkeypatch.setenv("GRAPH_API_URL", url)
    monkeypatch.setenv("META_ACCESS_TOKEN", TOKEN)
    return run_main(capsys, "import", "--live", *args, "-o", str(folder / "live.adflow"),
                  "--state", str(folder / "live.state"))


def plan(capsys: pytest.CaptureFixture[str], folder: Path, *options: str) -> str:
    status, out, err = run_main(capsys, "plan", str(folder / "live.adflow"), "--state",
                              str(folder / "live.state"), *options)
    assert status == 0, err
    return out


def nothing_to_change(count: int) -> str:
    return (f"Plan: 0 to create, 0 to update, 0 to replace, {count} unchanged, "
            "0 orphaned.\n")


def done_ids(state: Path) -> dict[str, str]:
    return {k: r.id for k, r in changes.read_state(state.read_text()).items() if r.id}


# -- objects the bundle created ------------------------------------------------------------


def made_elsewhere(meta: Meta, objective: str = "OUTCOME_LEADS",
                   goal: str = "LEAD_GENERATION", ad_status: str = "ACTIVE") -> str:
    """A lead form, and the campaign, ad set, creative and ad that use it,
    posted as Ads Manager would make them; the campaign's id."""
    form = meta.post("111222333444/messenger_lead_forms", {
        "template_name": "Quote", "privacy_url": "https://acme.example/privacy",
        "reminder_text": "Still there?",
        "step_list": [{"step_id": "0", "step_type": "INTRO", "message": "Hi!",
                       "reply_type": "NONE", "next_step_ids": ["1"]},
                      {"step_id": "1", "step_type": "QUESTION", "message": "Your phone?",
                       "reply_type": "PREFILL", "prefill_type": "PHONE", "next_step_ids": ["2"]},
                      {"step_id": "2", "step_type": "CONFIRMATION", "message": "Thanks!",
                       "reply_type": "NONE"}]})
    campaign = meta.post("act_77/campaigns", {
        "name": "Spring", "objective": objective, "special_ad_categories": [],
        "status": "PAUSED", "daily_budget": 5000, "bid_strategy": "LOWEST_COST_WITHOUT_CAP"})
    adset = meta.post("act_77/adsets", {
        "name": "US", "campaign_id": campaign, "optimization_goal": goal,
        "billing_event": "IMPRESSIONS", "destination_type": "MESSENGER",
        "promoted_object": {"page_id": "111222333444"}, "status": "PAUSED",
        "targeting": {"geo_locations": {"countries": ["US"]}}})
    creative = meta.post("act_77/adcreatives", {"name": "Hello", "object_story_spec": {
        "page_id": "111222333444", "link_data": {
            "image_hash": "abc", "message": "Talk to us",
            "call_to_action": {"type": "MESSAGE_PAGE", "value": {"app_destination": "MESSENGER"}},
            "page_welcome_message": json.dumps({"ctm_lead_gen_template_id": form})}}})
    meta.post("act_77/ads", {"name": "Hello ad", "adset_id": adset, "status": ad_status,
                             "creative": {"creative_id": creative}})
    return campaign


@pytest.mark.tools
@pytest.mark.parametrize("source", WITH_CAMPAIGNS, ids=lambda p: p.stem)
def test_objects_the_bundle_created_import_with_nothing_to_change(
        source: Path, tmp_path: Path, meta: Meta, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    bundle, _ = compile_bundle(source, tmp_path)
    ran = run_bundle(bundle, meta.url, token=TOKEN)
    assert ran.returncode == 0, ran.stderr
    created = done_ids(Path(f"{bundle}.state"))
    campaigns = [i for k, i in created.items() if k.startswith("campaign.")]

    status, _, err = import_live(capsys, monkeypatch, meta.url, tmp_path, *campaigns)

    assert status == 0, err
    adopted = done_ids(tmp_path / "live.state")
    # Every object the bundle made that a campaign reaches is adopted, by its id.
    assert sorted(adopted.values()) == sorted(created.values())
    assert plan(capsys, tmp_path) == nothing_to_change(len(created))
    # What is recorded is what Meta reads back: no drift either.
    assert plan(capsys, tmp_path, "--refresh") == nothing_to_change(len(created))
    assert TOKEN not in (tmp_path / "live.adflow").read_text() + err
    assert TOKEN not in (tmp_path / "live.state").read_text()


def test_objects_made_elsewhere_read_back_in_the_language(
        tmp_path: Path, meta: Meta, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    campaign = made_elsewhere(meta)

    status, _, err = import_live(capsys, monkeypatch, meta.url, tmp_path, campaign)

    assert status == 0, err
    text = (tmp_path / "live.adflow").read_text()
    assert "account act_77\n" in text
    assert "adset us in spring {" in text
    assert "  daily_budget 5000\n" in text  # read back as "5000", written as the number sent
    assert "  welcome lead_form quote\n" in text  # the form by its name, not its id
    assert "  creative hello\n" in text
    assert "  status ACTIVE\n" in text  # as it runs
    assert "raw" not in text
    assert plan(capsys, tmp_path) == nothing_to_change(5)


def test_a_file_adflow_finds_errors_in_is_written_and_exits_1(
        tmp_path: Path, meta: Meta, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    campaign = made_elsewhere(meta, "OUTCOME_ENGAGEMENT", "CONVERSATIONS", "PAUSED")

    status, _, err = import_live(capsys, monkeypatch, meta.url, tmp_path, campaign)

    # Made elsewhere, these objects break adflow's rules (a lead form under an
    # engagement campaign): the file is the place to fix them, so both are written.
    assert status == 1
    assert "live.adflow:17:13: C008 ad 'hello_ad' is a lead ad, but campaign 'spring' has " \
           "objective OUTCOME_ENGAGEMENT" in err
    assert len(done_ids(tmp_path / "live.state")) == 5
    status, _, err = run_main(capsys, "plan", str(tmp_path / "live.adflow"), "--state",
                            str(tmp_path / "live.state"))
    assert status == 1 and "C008" in err


# -- what the language cannot say ----------------------------------------------------------


def test_fields_the_language_does_not_model_become_raw(
        tmp_path: Path, meta: Meta, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    campaign = meta.post("act_77/campaigns", {
        "name": "Paced", "objective": "OUTCOME_ENGAGEMENT", "special_ad_categories": ["NONE"],
        "is_adset_budget_sharing_enabled": False, "pacing_type": ["standard"]})
    adset = meta.post("act_77/adsets", {
        "name": "Paced US", "campaign_id": campaign, "optimization_goal": "CONVERSATIONS",
        "billing_event": "IMPRESSIONS", "destination_type": "MESSENGER", "daily_budget": 1000,
        "promoted_object": {"page_id": "5"},
        "targeting": {"geo_locations": {"countries": ["US"]}}})
    creative = meta.post("act_77/adcreatives", {
        "name": "Tagged", "url_tags": "utm_source=meta",
        "object_story_spec": {"page_id": "5", "link_data": {
            "image_hash": "abc", "message": "Hi",
            "call_to_action": {"type": "MESSAGE_PAGE",
                               "value": {"app_destination": "MESSENGER"}}}}})
    meta.post("act_77/ads", {"name": "Tracked", "adset_id": adset,
                             "creative": {"creative_id": creative},
                             "tracking_specs": [{"action.type": ["offsite_conversion"]}]})

    status, _, err = import_live(capsys, monkeypatch, meta.url, tmp_path, campaign)

    assert status == 0, err
    text = (tmp_path / "live.adflow").read_text()
    assert '  raw pacing_type ["standard"]\n' in text
    assert '  raw url_tags "utm_source=meta"\n' in text
    assert '  raw tracking_specs [{ "action.type": ["offsite_conversion"] }]\n' in text
    assert plan(capsys, tmp_path) == nothing_to_change(4)


def test_an_unreadable_lead_form_stays_named_by_its_id(
        tmp_path: Path, meta: Meta, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    campaign = meta.post("act_77/campaigns", {
        "name": "Forms", "objective": "OUTCOME_LEADS", "special_ad_categories": ["NONE"],
        "is_adset_budget_sharing_enabled": False})
    adset = meta.post("act_77/adsets", {
        "name": "Forms US", "campaign_id": campaign, "optimization_goal": "LEAD_GENERATION",
        "billing_event": "IMPRESSIONS", "destination_type": "MESSENGER", "daily_budget": 1000,
        "promoted_object": {"page_id": "5"},
        "targeting": {"geo_locations": {"countries": ["US"]}}})
    creative = meta.post("act_77/adcreatives", {"name": "Ask", "object_story_spec": {
        "page_id": "5", "link_data": {
            "image_hash": "abc", "message": "Hi",
            "call_to_action": {"type": "MESSAGE_PAGE", "value": {"app_destination": "MESSENGER"}},
            "page_welcome_message": json.dumps({"ctm_lead_gen_template_id": "31337"})}}})
    meta.post("act_77/ads", {"name": "Ask", "adset_id": adset,
                             "creative": {"creative_id": creative}})

    status, _, err = import_live(capsys, monkeypatch, meta.url, tmp_path, campaign)

    assert status == 0, err
    assert "note: cannot read lead form 31337: Graph API error 100/33" in err
    assert "  welcome lead_form 31337\n" in (tmp_path / "live.adflow").read_text()
    assert plan(capsys, tmp_path) == nothing_to_change(4)


# -- an account, page after page -----------------------------------------------------------


def test_an_account_is_read_page_after_page(
        tmp_path: Path, meta: Meta, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("One", "Two", "Three"):
        campaign = meta.post("act_77/campaigns", {
            "name": name, "objective": "OUTCOME_ENGAGEMENT", "special_ad_categories": ["NONE"],
            "is_adset_budget_sharing_enabled": False})
        for n in (1, 2):
            meta.post("act_77/adsets", {
                "name": f"{name} {n}", "campaign_id": campaign,
                "optimization_goal": "CONVERSATIONS", "billing_event": "IMPRESSIONS",
                "destination_type": "MESSENGER", "daily_budget": 1000,
                "promoted_object": {"page_id": "5"},
                "targeting": {"geo_locations": {"countries": ["US"]}}})
    meta.post("act_88/campaigns", {"name": "Elsewhere", "objective": "OUTCOME_ENGAGEMENT",
                                   "special_ad_categories": ["NONE"],
                                   "is_adset_budget_sharing_enabled": False})
    monkeypatch.setattr(live, "_LIST_LIMIT", 1)  # one object a page: every list pages

    status, _, err = import_live(capsys, monkeypatch, meta.url, tmp_path, "--account", "act_77")

    assert status == 0, err
    text = (tmp_path / "live.adflow").read_text()
    assert [line for line in text.splitlines() if line.startswith(("campaign ", "adset "))] == [
        "campaign one {", "campaign two {", "campaign three {",
        "adset one_1 in one {", "adset one_2 in one {", "adset two_1 in two {",
        "adset two_2 in two {", "adset three_1 in three {", "adset three_2 in three {"]
    assert "Elsewhere" not in text
    assert plan(capsys, tmp_path) == nothing_to_change(9)


def test_campaigns_of_several_accounts_are_refused(
        tmp_path: Path, meta: Meta, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    for account, name in (("act_77", "Here"), ("act_88", "There")):
        last = meta.post(f"{account}/campaigns", {
            "name": name, "objective": "OUTCOME_ENGAGEMENT", "special_ad_categories": ["NONE"],
            "is_adset_budget_sharing_enabled": False})

    status, _, err = import_live(capsys, monkeypatch, meta.url, tmp_path,
                                 "--account", "act_77", last)

    # One file has one account: the campaign of act_88 cannot be written in it.
    assert status == 1
    assert err == ("adflow: import --live: the campaigns belong to several ad accounts "
                   "(act_77, act_88): an .adflow file has one; import each account's into "
                   "its own\n")
    assert not (tmp_path / "live.state").exists()


# -- Meta refusing, and what is never followed -----------------------------------------------


def test_a_graph_error_is_shown_without_the_token(
        tmp_path: Path, meta: Meta, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    status, out, err = import_live(capsys, monkeypatch, meta.url, tmp_path, "999")

    assert status == 1
    assert err == ("adflow: import --live: cannot read campaign 999: Graph API error 100/33: "
                   "Unsupported get request. Object with ID '999' does not exist, cannot be "
                   "loaded due to missing permissions, or does not support this operation\n")
    assert out == ""
    assert not (tmp_path / "live.adflow").exists() and not (tmp_path / "live.state").exists()


class _Scripted(BaseHTTPRequestHandler):
    """A stand-in for Meta: `answers` maps a path to (status, JSON body);
    `{token}` in a body is the token the request carried."""

    answers: dict[str, tuple[int, Any]] = {}
    seen: list[str] = []

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        self.seen.append(self.path)
        status, body = self.answers.get(path, (404, {"error": {"code": 803}}))
        token = self.headers.get("Authorization", "").removeprefix("OAuth ")
        data = json.dumps(body).replace("{token}", token).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def scripted(answers: dict[str, tuple[int, Any]]) -> Loopback:
    handler = type("Handler", (_Scripted,), {"answers": answers, "seen": []})
    return Loopback(handler)


def test_a_token_meta_quotes_back_is_redacted(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    fake = scripted({"/v25.0/12": (400, {"error": {
        "code": 190, "message": "Invalid OAuth access token - Cannot parse access token {token}",
        "type": "OAuthException"}})})
    try:
        status, _, err = import_live(capsys, monkeypatch, fake.url, tmp_path, "12")
    finally:
        fake.close()

    assert status == 1
    assert TOKEN not in err
    assert "Graph API error 190: Invalid OAuth access token - Cannot parse access token " \
           "<redacted>" in err


def test_paging_next_to_another_address_is_not_followed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    fake = scripted({"/v25.0/act_5/campaigns": (200, {
        "data": [{"id": "1", "name": "A", "account_id": "5"}],
        "paging": {"next": "https://elsewhere.example/v25.0/act_5/campaigns?after=x"}})})
    try:
        status, _, err = import_live(capsys, monkeypatch, fake.url, tmp_path,
                                     "--account", "act_5")
    finally:
        fake.close()

    assert status == 1
    assert err == ("adflow: import --live: cannot read the campaigns of act_5: paging.next "
                   "points to another address: not followed (the token never leaves "
                   "GRAPH_API_URL)\n")
    assert not (tmp_path / "live.state").exists()


def test_a_field_no_raw_can_name_stops_with_nothing_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    fake = scripted({
        "/v25.0/12": (200, {"id": "12", "account_id": "5", "name": "A", "objective":
                            "OUTCOME_ENGAGEMENT", "special_ad_categories": ["NONE"],
                            "odd-name": 1}),
        "/v25.0/12/adsets": (200, {"data": []}),
        "/v25.0/12/ads": (200, {"data": []})})
    try:
        status, _, err = import_live(capsys, monkeypatch, fake.url, tmp_path, "12")
    finally:
        fake.close()

    assert status == 1
    assert err == ('adflow: import --live: S006 field "odd-name" cannot be written in adflow\n'
                   "adflow: import --live: what Meta answered cannot be written in adflow: "
                   "nothing written\n")
    assert not (tmp_path / "live.adflow").exists() and not (tmp_path / "live.state").exists()


def test_the_fields_asked_are_what_each_create_takes(tmp_path: Path) -> None:
    assert live.fields_of("ad") == ("adset_id,bid_amount,conversion_domain,creative{id},name,"
                                    "status,tracking_specs")
    assert "account_id" in live.fields_of("campaign").split(",")
    assert "execution_options" not in live.fields_of("adset")


# -- usage ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("args", "message"), [
    (["12", "-o", "x.adflow"], "--live writes two files: name them with -o FILE.adflow and "
                               "--state STATE"),
    (["-o", "x.adflow", "--state", "x.state"], "--live reads campaigns: give their ids, or "
                                               "--account act_ID"),
    (["12a", "-o", "x.adflow", "--state", "x.state"], "'12a' is not a campaign id (digits)"),
    (["--account", "77", "-o", "x.adflow", "--state", "x.state"],
     "'77' is not an ad account (act_ followed by digits)"),
    (["12", "-o", "x.adflow", "--state", "x.adflow"], "-o and --state name the same file"),
])
def test_usage_errors(args: list[str], message: str, tmp_path: Path,
                      capsys: pytest.CaptureFixture[str],
                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("META_ACCESS_TOKEN", TOKEN)
    assert run_main(capsys, "import", "--live", *args) == (2, "", f"adflow: error: {message}\n")


def test_an_address_with_a_password_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    status, _, err = import_live(capsys, monkeypatch, "http://me:pw@127.0.0.1:9", tmp_path, "12")
    assert (status, err) == (2, "adflow: error: GRAPH_API_URL must not hold a user name or "
                                "password\n")


def test_an_existing_state_is_never_overwritten(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    state = tmp_path / "live.state"
    state.write_text('{"key":"campaign.a","id":"1"}\n')
    status, _, err = import_live(capsys, monkeypatch, "http://127.0.0.1:9", tmp_path, "12")
    assert status == 2
    assert err == (f"adflow: error: {state} exists: --live writes a new state, and the "
                   "records in this one would be lost\n")
    assert state.read_text() == '{"key":"campaign.a","id":"1"}\n'


def test_no_token_no_request(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("META_ACCESS_TOKEN", raising=False)
    status, _, err = run_main(capsys, "import", "--live", "12", "-o", str(tmp_path / "a.adflow"),
                            "--state", str(tmp_path / "a.state"))
    assert (status, err) == (2, "adflow: error: --live reads from Meta: set META_ACCESS_TOKEN\n")


def test_plain_import_still_takes_one_file(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert run_main(capsys, "import", "a.json", "b.json") == (
        2, "", "adflow: error: import takes one FILE.json (campaign ids go with --live)\n")
    assert run_main(capsys, "import", "a.json", "--state", "s") == (
        2, "", "adflow: error: --account and --state go with --live\n")


# -- the sandbox reads back as Meta does ---------------------------------------------------


def test_the_sandbox_reads_back_the_account_and_budgets_as_text(meta: Meta) -> None:
    campaign = meta.post("act_77/campaigns", {
        "name": "Budget", "objective": "OUTCOME_ENGAGEMENT", "special_ad_categories": ["NONE"],
        "daily_budget": 2500, "spend_cap": 100000})
    assert meta.read(campaign, "account_id,daily_budget,spend_cap,name") == {
        "id": campaign, "account_id": "77", "daily_budget": "2500", "spend_cap": "100000",
        "name": "Budget"}
