"""A, C, D and X checks beyond their fixture pairs (tests/test_rule_fixtures.py):
findings that involve two objects carry a note at the other one, the
targeted API version decides which deprecations fire, D004 follows the day
(pinned with SOURCE_DATE_EPOCH, also in the result cache), the escape hatch
is checked against the SDK's parameters, and X checks read every string."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from adflow.compiler.facts import clock
from adflow.compiler.findings.diagnostics import Diagnostic
from adflow.compiler.front.source import Source
from adflow.compiler.pipeline import check_file, check_source
from adflow.compiler.project.cache import ResultCache
from conftest import ADFLOW

FIXTURES = Path(__file__).parent / "fixtures"


def diagnostics(text: str) -> list[Diagnostic]:
    return list(check_source(Source("f.adflow", text)).diagnostics)


def codes(text: str) -> set[str]:
    return {d.code for d in diagnostics(text)}


def epoch(year: int, month: int, day: int) -> str:
    return str(int(datetime(year, month, day, tzinfo=UTC).timestamp()))


# -- two objects: reported where the user fixes it, with a note at the other -----------

CTM = """account act_1234567890
page acme 111222333444
page other 999888777666
campaign spring {
  objective OUTCOME_ENGAGEMENT
  special_ad_categories [NONE]
  adset_budget_sharing false
}
adset us in spring {
  optimization_goal CONVERSATIONS
  destination MESSENGER
  promoted_page acme
  targeting {
    countries [US]
  }
}
creative image {
  page @PAGE@
  image hash "abc123"
  call_to_action MESSAGE_PAGE -> @APP@
}
ad spring_ad {
  adset us
  creative image
}
"""


@pytest.mark.parametrize("code, text, line, note_line", [
    # The creative's page is what to change; the note shows the promoted page.
    ("C009", CTM.replace("@PAGE@", "other").replace("@APP@", "MESSENGER"), 18, 12),
    # The button's app_destination is wrong; the note shows the ad set's destination.
    ("C002", CTM.replace("@PAGE@", "acme").replace("@APP@", "WHATSAPP"), 20, 11),
], ids=["C009", "C002"])
def test_two_object_findings_note_the_other_object(code: str, text: str, line: int,
                                                    note_line: int) -> None:
    found = [d for d in diagnostics(text) if d.code == code and d.severity.value == "error"]
    assert [d.span.line for d in found] == [line]
    assert [n.span.line for n in found[0].notes if n.span is not None] == [note_line]


def test_correct_two_object_file_is_clean() -> None:
    text = CTM.replace("@PAGE@", "acme").replace("@APP@", "MESSENGER")
    assert codes(text.replace("page other 999888777666\n", "")) == set()


@pytest.mark.parametrize("fixture, code, lines, note_line", [
    ("A006", "A006", [8], 5),   # the ad set's budget; note: the campaign's
    # the ad set's goal, then the ad set with no destination; note: the lead-form welcome
    ("C008", "C008", [16, 33], 27),
])
def test_fixture_notes_point_at_the_other_object(fixture: str, code: str, lines: list[int],
                                                 note_line: int) -> None:
    text = (FIXTURES / fixture / "bad.adflow").read_text(encoding="utf-8")
    found = [d for d in diagnostics(text) if d.code == code and d.notes]
    assert [d.span.line for d in found] == lines
    for d in found:
        assert [n.span.line for n in d.notes if n.span is not None] == [note_line]


# -- the targeted version decides which deprecations fire --------------------------------

LEAD_FORM = """api VERSION
page acme 111222333444
lead_form quote on acme {
  template_name "Quote"
  privacy_url "https://acme.example/privacy"
  reminder "Still there?"
  intro "Hi!" -> thanks
  confirmation thanks "Thanks!"
}
"""

ENHANCED_CREATIVE = """api VERSION
account act_1234567890
page acme 111222333444
creative image {
  page acme
  image hash "abc123"
  standard_enhancements OPT_IN
}
"""

ADSET_BUDGET = """api VERSION
account act_1234567890
page acme 111222333444
campaign spring {
  objective OUTCOME_ENGAGEMENT
  special_ad_categories [NONE]
}
adset us in spring {
  optimization_goal CONVERSATIONS
  destination MESSENGER
  promoted_page acme
  daily_budget 2000
  targeting {
    countries [US]
  }
}
"""


@pytest.mark.parametrize("text, code, before, since", [
    (LEAD_FORM, "D001", "v23.0", "v24.0"),
    (ENHANCED_CREATIVE, "D002", "v21.0", "v22.0"),
    (ADSET_BUDGET, "A006", "v23.0", "v24.0"),
], ids=["D001", "D002", "A006"])
def test_version_decides_whether_a_deprecation_fires(monkeypatch: pytest.MonkeyPatch, text: str,
                                                     code: str, before: str, since: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(2025, 1, 1))  # every version still served
    assert code not in codes(text.replace("VERSION", before))
    assert code in codes(text.replace("VERSION", since))
    assert code in codes(text.replace("VERSION", "v25.0"))


def test_budget_sharing_flag_silences_a006_from_v24() -> None:
    text = ADSET_BUDGET.replace("VERSION", "v25.0").replace(
        "special_ad_categories [NONE]\n",
        "special_ad_categories [NONE]\n  adset_budget_sharing false\n")
    assert "A006" not in codes(text)


@pytest.mark.parametrize("version, fires", [("v23.0", False), ("v24.0", True), ("v25.0", True)])
def test_a006_judges_a_campaign_body_alone_from_v24(monkeypatch: pytest.MonkeyPatch,
                                                    version: str, fires: bool) -> None:
    """No ad set in the file: the campaign body decides (Meta: "Must specify
    True or False in is_adset_budget_sharing_enabled field")."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(2025, 1, 1))
    body = ('{"name": "Spring", "objective": "OUTCOME_ENGAGEMENT", "status": "PAUSED", '
            '"special_ad_categories": ["NONE"]}')
    plan = ('{"format": "adflow.plan/1", "api_version": "%s", "requests": [{"method": "POST", '
            '"path": "act_1/campaigns", "body": %s}]}')
    found = [d for d in check_source(Source("p.json", plan % (version, body))).diagnostics
             if d.code == "A006"]
    assert bool(found) is fires
    if fires:
        assert (found[0].span.line, found[0].name) == (1, "campaign:Spring")
    for settled in ('"is_adset_budget_sharing_enabled": false', '"daily_budget": "5000"',
                    '"is_adset_budget_sharing_enabled": "true"'):
        text = plan % (version, body[:-1] + ", " + settled + "}")
        assert "A006" not in {d.code for d in check_source(Source("p.json", text)).diagnostics}


# -- D004 follows the day -----------------------------------------------------------------

def d004(text: str) -> list[str]:
    return [d.message for d in diagnostics(text) if d.code == "D004"]


def test_expiry_is_judged_against_the_pinned_day(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "api v24.0\n"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(2026, 3, 1))
    assert d004(text) == []
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(2026, 11, 28))
    assert d004(text) == ["v24.0 expired on 10 Nov 2026"]
    # The suggestion is the newest version out on that day, not a future one.
    [found] = [d for d in diagnostics(text) if d.code == "D004"]
    assert (found.help or "").startswith("newest released: v27.0")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(2026, 7, 1))
    [found] = [d for d in diagnostics("api v22.0\n") if d.code == "D004"]
    assert (found.help or "").startswith("newest released: v25.0")


def test_unknown_version_fires_whatever_the_day(monkeypatch: pytest.MonkeyPatch) -> None:
    for day in (epoch(2024, 1, 1), epoch(2030, 1, 1)):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", day)
        assert d004("api v99.0\n") == ["unknown API version v99.0"]


@pytest.mark.parametrize("value", ["", "yesterday", "-5", "99999999999999999999",
                                   "253402300800"])  # the first second of the year 10000
def test_unusable_source_date_epoch_means_today(monkeypatch: pytest.MonkeyPatch,
                                                value: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert clock.today_iso() == datetime.now(UTC).date().isoformat()


@pytest.mark.parametrize("value", ["0", "1764374400", "253402300799"])
def test_a_pinned_day_is_the_utc_date_of_the_epoch(monkeypatch: pytest.MonkeyPatch,
                                                  value: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    expected = datetime.fromtimestamp(int(value), tz=UTC).date()
    assert clock.today_iso() == expected.isoformat()


def test_result_cache_key_depends_on_the_day(monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: Path) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(2026, 3, 1))
    march = ResultCache(tmp_path).key("f.adflow", b"api v24.0\n")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(2026, 11, 28))
    november = ResultCache(tmp_path).key("f.adflow", b"api v24.0\n")
    assert march != november


def test_cached_check_is_not_stale_on_a_later_day(tmp_path: Path) -> None:
    (tmp_path / "f.adflow").write_text("api v24.0\n", encoding="utf-8")

    def check_on(day: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([ADFLOW, "check", "--cache-dir", str(tmp_path / "cache"), "f.adflow"],
                              capture_output=True, text=True, cwd=tmp_path, timeout=60,
                              env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1",
                                   "SOURCE_DATE_EPOCH": day})

    assert "D004" not in check_on(epoch(2026, 3, 1)).stdout
    later = check_on(epoch(2026, 11, 28))
    assert "D004" in later.stdout and later.returncode == 0  # a warning only


# -- the escape hatch --------------------------------------------------------------------

CAMPAIGN_RAW = """account act_1234567890
campaign spring {
  objective OUTCOME_LEADS
  special_ad_categories [NONE]
  raw FIELD VALUE
  adset_budget_sharing false
}
"""


def test_raw_known_parameter_passes_and_reaches_the_body() -> None:
    text = CAMPAIGN_RAW.replace("FIELD", "pacing_type").replace("VALUE", '["standard"]')
    result = check_source(Source("f.adflow", text))
    assert {d.code for d in result.diagnostics} == set()
    assert result.document is not None
    assert result.document.requests[0].body["pacing_type"] == ["standard"]


def test_raw_unknown_parameter_warns_with_the_closest_name() -> None:
    text = CAMPAIGN_RAW.replace("FIELD", "pacing_typ").replace("VALUE", '["standard"]')
    found = [d for d in diagnostics(text) if d.code == "A011"]
    assert [(d.span.line, d.severity.value) for d in found] == [(5, "warning")]
    assert "pacing_type" in (found[0].help or "")


# -- X checks read every string of every body --------------------------------------------

USER_TOKEN = "EAABsbCS1iHgBAKZCZB1example0token0value"
APP_TOKEN = "123456789|abcdefghijklmnopqrstuv"


@pytest.mark.parametrize("value", [
    f'"{USER_TOKEN}"',
    f'{{"deep": [{{"x": "{APP_TOKEN}"}}]}}',
    f'["a", "prefix {USER_TOKEN} suffix"]',
], ids=["string", "nested-app-token", "inside-text"])
def test_x001_finds_tokens_anywhere_in_a_body(value: str) -> None:
    text = CAMPAIGN_RAW.replace("FIELD", "adlabels").replace("VALUE", value)
    assert [(d.code, d.span.line) for d in diagnostics(text) if d.code == "X001"] == [("X001", 5)]


@pytest.mark.parametrize("value", ['"EAAsy does it"', '"12|short"', '"order 12345|A"'])
def test_x001_leaves_ordinary_text_alone(value: str) -> None:
    text = CAMPAIGN_RAW.replace("FIELD", "adlabels").replace("VALUE", value)
    assert "X001" not in codes(text)


def test_x002_and_x003_read_nested_strings() -> None:
    value = '{"link": "http://acme.example/x", "label": "a\\u202eb"}'
    text = CAMPAIGN_RAW.replace("FIELD", "adlabels").replace("VALUE", value)
    found = {(d.code, d.severity.value) for d in diagnostics(text)}
    assert {("X002", "warning"), ("X003", "warning")} <= found


# -- destinations: following adflow's advice gives a file Meta accepts ------------------------

LEADS = """account act_1234567890
page acme 111222333444
campaign leads {
  objective OUTCOME_LEADS
  special_ad_categories [NONE]
  adset_budget_sharing false
}
adset us in leads {
  optimization_goal LEAD_GENERATION
  destination @DEST@
  promoted_page acme
  targeting {
    countries [US]
  }
}
"""


def test_a002_advises_the_destination_meta_sends_and_that_is_clean() -> None:
    """LEAD_FROM_MESSENGER is only in a mapping table: the warning says to
    write MESSENGER, which Meta's guide sends, and that file is clean."""
    (found,) = [d for d in diagnostics(LEADS.replace("@DEST@", "LEAD_FROM_MESSENGER"))
                if d.code == "A002"]
    assert found.severity.value == "warning" and found.help == "destination MESSENGER"
    assert found.span.line == 10  # the destination, which the advice changes
    assert codes(LEADS.replace("@DEST@", "MESSENGER")) == set()


def test_a_whatsapp_button_needs_no_value_but_refuses_a_link() -> None:
    creative = """account act_1234567890
page acme 111222333444
creative chat {
  page acme
  image hash "abc123"
  call_to_action WHATSAPP_MESSAGE@VALUE@
}
"""
    assert codes(creative.replace("@VALUE@", "")) == set()
    assert codes(creative.replace("@VALUE@", ' link "https://wa.me/15551234567"')) == {"C015"}


def test_standard_enhancements_is_an_error_meta_refuses_on_create() -> None:
    text = (FIXTURES / "D002" / "bad.adflow").read_text(encoding="utf-8")
    (found,) = [d for d in diagnostics(text) if d.code == "D002"]
    assert found.severity.value == "error" and "3858504" in found.message


def test_what_adflow_does_not_know_is_a_warning_a_typo_an_error() -> None:
    """An enum value near a known one is a typo Meta refuses; one near none
    may be newer than adflow's list of Meta's values: a warning saying so."""
    campaign = """account act_1234567890
campaign spring {
  objective @OBJECTIVE@
  special_ad_categories [NONE]
  adset_budget_sharing false
}
"""
    (typo,) = [d for d in diagnostics(campaign.replace("@OBJECTIVE@", "OUTCOME_LEDS"))
               if d.code == "A001"]
    assert typo.severity.value == "error" and "OUTCOME_LEADS" in (typo.help or "")
    (unlisted,) = [d for d in diagnostics(campaign.replace("@OBJECTIVE@", "QZX"))
                   if d.code == "A001"]
    assert unlisted.severity.value == "warning"
    assert "newer than adflow's list" in (unlisted.help or "")


def _codes(name: str, body: str) -> list[tuple[str, str]]:
    return [(d.code, d.severity.value) for d in check_source(Source(name, body)).diagnostics]


_VIDEO = ('{"name": "v", "object_story_spec": {"page_id": "303404505606", "video_data": '
          '{"video_id": "880011223344556", %s"call_to_action": {"type": "MESSAGE_PAGE", '
          '"value": {"app_destination": "MESSENGER"}}}}%s}')


def test_c010_a_video_without_thumbnail_is_refused_with_metas_answer() -> None:
    """Meta answers 1443226 "Please specify one of image_hash or image_url in
    the video_data field of object_story_spec" (quoted by open-source clients)."""
    bare = check_source(Source("c.json", _VIDEO % ("", ""))).diagnostics
    assert [(d.code, d.severity.value) for d in bare] == [("C010", "error")]
    assert "1443226" in bare[0].message
    for thumb in ('"image_url": "https://a.example/t.jpg", ', '"image_hash": "0a1b2c", '):
        assert _codes("c.json", _VIDEO % (thumb, "")) == []
    dsl = ("account act_1234567890\npage acme 111222333444\ncreative clip {\n  page acme\n"
           "  video 123456789\n  call_to_action MESSAGE_PAGE -> MESSENGER\n}\n")
    found = [d for d in check_source(Source("c.adflow", dsl)).diagnostics if d.code == "C010"]
    assert [d.span.line for d in found] == [5]  # at the `video` line
    assert not [d for d in check_source(Source("c.adflow", dsl.replace(
        "video 123456789", 'video 123456789 thumbnail "https://a.example/t.jpg"'))).diagnostics]


def test_c010_a_video_in_asset_feed_spec_and_video_data_is_ill_formed() -> None:
    """Meta answers 1443048 "object_story_spec ill formed" when a creative
    carries its video in both places; asset_feed_spec media with a bare
    object_story_spec is the accepted shape."""
    feed = (', "asset_feed_spec": {"videos": [{"video_id": "880011223344556", '
            '"thumbnail_url": "https://a.example/t.jpg"}], "ad_formats": ["SINGLE_VIDEO"], '
            '"call_to_action_types": ["LEARN_MORE"]}')
    both = check_source(Source("c.json", _VIDEO % ('"image_url": "https://a.example/t.jpg", ',
                                                   feed))).diagnostics
    assert [(d.code, d.severity.value) for d in both] == [("C010", "error")]
    assert "1443048" in both[0].message
    bare = ('{"name": "v", "object_story_spec": {"page_id": "303404505606"}'
            + feed.replace('"LEARN_MORE"]', '"LEARN_MORE"], "link_urls": '
                           '[{"website_url": "https://a.example/"}]') + '}')
    assert _codes("c.json", bare) == []


def test_a010_leaves_a_conversion_pixel_on_a_website_ad_set_alone() -> None:
    """A pixel is what a website sales ad set optimizes with: A010's advice
    (a pixel only helps QUALITY_LEAD) is about messaging and lead ad sets."""
    adset = ('{"name": "s", "campaign_id": "1202", "daily_budget": 6000, '
             '"billing_event": "IMPRESSIONS", "optimization_goal": "%s", '
             '"destination_type": "%s", "promoted_object": {"pixel_id": "556677", '
             '"custom_event_type": "PURCHASE"%s}, "targeting": {"geo_locations": '
             '{"countries": ["US"]}}}')
    assert "A010" not in {c for c, _ in _codes("a.json", adset % (
        "OFFSITE_CONVERSIONS", "WEBSITE", ""))}
    assert "A010" not in {c for c, _ in _codes("a.json", adset % (
        "LANDING_PAGE_VIEWS", "WEBSITE", ""))}
    assert ("A010", "warning") in _codes("a.json", adset % (
        "CONVERSATIONS", "MESSENGER", ', "page_id": "303404505606"'))


def test_c020_an_instant_form_lead_ad_without_a_form_is_refused() -> None:
    """Meta answers 100/3390001 (Missing Lead Form) when an ON_AD lead ad's
    creative names no form; a form in call_to_action.value or in
    asset_feed_spec.call_to_actions (as Ads Manager writes it) is enough."""
    fixtures = Path(__file__).parent / "fixtures" / "C020"
    bad = (fixtures / "bad.json").read_text(encoding="utf-8")
    assert ("C020", "error") in _codes("p.json", bad)
    assert "C020" not in {c for c, _ in _codes("p.json", (fixtures / "good.json").read_text(
        encoding="utf-8"))}
    feed = bad.replace('"call_to_action": {"type": "SIGN_UP"}}}}}',
                       '"call_to_action": {"type": "SIGN_UP"}}}, "asset_feed_spec": '
                       '{"call_to_actions": [{"type": "SIGN_UP", "value": '
                       '{"lead_gen_form_id": "5566778899"}}]}}}')
    assert feed != bad
    assert "C020" not in {c for c, _ in _codes("p.json", feed)}


def test_c010_names_a_creative_key_written_inside_object_story_spec() -> None:
    """source_instagram_media_id inside object_story_spec leaves it without
    media (Meta answers "the link field is required"): the one finding says
    where the key belongs, not only that media is missing."""
    body = ('{"name": "r", "object_story_spec": {"page_id": "303404505606", '
            '"source_instagram_media_id": "17990011223344556", '
            '"instagram_user_id": "17841400000000999"}}')
    found = check_source(Source("c.json", body)).diagnostics
    assert [(d.code, d.severity.value) for d in found] == [("C010", "error")]
    assert "source_instagram_media_id" in found[0].message
    assert "object_story_spec" in (found[0].help or "")


def test_a_whole_budget_written_as_a_decimal_is_a_warning_a_fraction_an_error() -> None:
    """Typed connectors read budgets back as numbers (2000.0): whole, so only
    uncertain; a fraction of a minor unit is never money Meta takes."""
    import json

    adset = {"name": "Chat", "campaign_id": "1", "billing_event": "IMPRESSIONS",
             "optimization_goal": "CONVERSATIONS", "destination_type": "MESSENGER",
             "promoted_object": {"page_id": "2"},
             "targeting": {"geo_locations": {"countries": ["US"]}}}
    for value, severity in ((2000.0, "warning"), ("2000.0", "warning"), (2000.5, "error")):
        result = check_source(Source("a.json", json.dumps({**adset, "daily_budget": value})))
        found = [(d.code, d.severity.value) for d in result.diagnostics]
        assert found == [("A005", severity)], (value, found)


def test_a_prefill_type_meta_may_know_is_a_warning_a_typo_an_error(tmp_path: Path) -> None:
    """Meta documents CITY, EMAIL and PHONE but validates country, zip code and
    national id answers too: a type near a known one is a typo (error), any
    other a warning that it may be newer than adflow's list."""
    form = ('account act_1\npage p 111\nlead_form f on p {{\n  privacy_url "https://a.example/p"\n'
            '  intro "Hi" -> q\n  question q "Where?" prefill {kind} -> thanks\n'
            '  confirmation thanks "Thanks"\n}}\n')
    for kind, severity in (("CTY", "error"), ("ZIP_CODE", "warning")):
        path = tmp_path / f"{kind}.adflow"
        path.write_text(form.format(kind=kind), encoding="utf-8")
        found = [d for d in check_file(path).diagnostics if d.code == "F017"]
        assert [d.severity.value for d in found] == [severity], found
