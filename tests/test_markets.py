"""Markets: one spec made once per market (`market KEY { ... }`), texts from
the file or a gettext catalogue, keys that name the market, findings on the
lines written once, `adflow catalogue`, and `--market` for the commands that
show a file."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from adflow.compiler.bodies.model import Document
from adflow.compiler.front.source import Source
from adflow.compiler.pipeline import FileResult, check_file, check_source
from adflow.compiler.tools import changes
from adflow.emitters.requests import render_plan
from babel.messages.pofile import read_po
from conftest import ADFLOW, ROOT, SAMPLES

SAMPLE = SAMPLES / "markets.adflow"

HEAD = """\
api v25.0
account act_1234567890
page acme 111222333444
"""

BODY = """
campaign leads {
  objective OUTCOME_LEADS
  special_ad_categories [NONE]
  adset_budget_sharing false
}
adset quote in leads {
  optimization_goal QUALITY_LEAD
  destination MESSENGER
  daily_budget 2500
  promoted_page acme
  targeting { countries [US] }
}
creative quote_image {
  page acme
  image hash "9f1c2e" link "https://acme.example/q.jpg"
  message "Get a quote"
  call_to_action LEARN_MORE -> MESSENGER
  welcome text "Hi!"
}
ad quote_ad {
  adset quote
  creative quote_image
}
"""

MX = 'market mx {\n  locale es_MX\n  countries [MX]\n  daily_budget 4000\n' \
     '  "Get a quote" => "Pide una cotización"\n  "Hi!" => "¡Hola!"\n}\n'
BR = 'market br {\n  locale pt_BR\n  countries [BR]\n' \
     '  "Get a quote" => "Peça um orçamento"\n  "Hi!" => "Olá!"\n}\n'
US = "market us {\n  locale en_US\n  countries [US]\n}\n"


def check(text: str, path: str = "m.adflow") -> FileResult:
    return check_source(Source(path, text))


def keys(document: Document | None) -> list[str]:
    assert document is not None
    return [r.key for r in document.requests]


def body(document: Document | None, key: str) -> dict[str, Any]:
    assert document is not None
    request = document.get(key)
    assert request is not None, key
    return request.body


def test_the_sample_is_one_campaign_and_each_market_its_ad_set_creative_ad_and_form() -> None:
    result = check_file(SAMPLE, display=str(SAMPLE.relative_to(ROOT)))
    assert result.errors == 0
    assert keys(result.document) == [
        "lead_form.quote_form[br]", "lead_form.quote_form[co]", "lead_form.quote_form[mx]",
        "campaign.repairs",
        "adset.quote[br]", "adset.quote[co]", "adset.quote[mx]",
        "creative.quote_image[br]", "creative.quote_image[co]", "creative.quote_image[mx]",
        "ad.quote_ad[br]", "ad.quote_ad[co]", "ad.quote_ad[mx]"]
    document = result.document
    # Spanish from the catalogue for mx and co, Portuguese from the file for br.
    intro = {m: body(document, f"lead_form.quote_form[{m}]")["step_list"][0]["message"]
             for m in ("br", "co", "mx")}
    assert intro == {"br": "Oi {{user_first_name}}! Quer um orçamento para sua casa?",
                     "co": "¡Hola {{user_first_name}}! ¿Quieres una cotización para tu casa?",
                     "mx": "¡Hola {{user_first_name}}! ¿Quieres una cotización para tu casa?"}
    # Each market's objects join each other, the campaign is shared.
    ad = body(document, "ad.quote_ad[co]")
    assert ad["adset_id"] == {"$ref": "adset.quote[co]"}
    assert ad["creative"] == {"creative_id": {"$ref": "creative.quote_image[co]"}}
    assert body(document, "adset.quote[co]")["campaign_id"] == {"$ref": "campaign.repairs"}
    welcome = body(document, "creative.quote_image[br]")["object_story_spec"]["link_data"]
    assert "lead_form.quote_form[br]" in json.dumps(welcome)
    # Overrides: countries into the targeting, the budget in place of the ad set's.
    budgets = {m: body(document, f"adset.quote[{m}]")["daily_budget"] for m in ("br", "co", "mx")}
    assert budgets == {"br": 6000, "co": 5000, "mx": 4000}
    targeting = body(document, "adset.quote[mx]")["targeting"]
    assert targeting["geo_locations"] == {"countries": ["MX"]}
    assert targeting["publisher_platforms"] == ["facebook", "messenger"]
    # Names are suffixed by the key.
    assert body(document, "ad.quote_ad[mx]")["name"] == "quote_ad_mx"
    assert body(document, "lead_form.quote_form[mx]")["template_name"] == "Home repair quote_mx"


def test_reordering_markets_changes_nothing() -> None:
    one = check(HEAD + MX + BR + BODY)
    other = check(HEAD + BR + MX + BODY)
    assert one.errors == 0 and other.errors == 0
    assert one.document is not None and other.document is not None
    plan = render_plan(one.document)
    # Only the lines moved: the bodies and keys are the same, sources aside.
    strip = [{k: v for k, v in r.items() if k not in ("source", "source_map")}
             for r in json.loads(plan)["requests"]]
    again = [{k: v for k, v in r.items() if k not in ("source", "source_map")}
             for r in json.loads(render_plan(other.document))["requests"]]
    assert strip == again


def _state(document: Document) -> str:
    """The state a bundle writes after creating everything in `document`."""
    ids: dict[str, str] = {}

    def sent(value: Any) -> Any:
        if isinstance(value, dict):
            if set(value) == {"$ref"}:
                return ids[value["$ref"]]
            if set(value) == {"$json"}:
                return json.dumps(sent(value["$json"]), separators=(",", ":"))
            return {k: sent(v) for k, v in value.items()}
        return [sent(v) for v in value] if isinstance(value, list) else value

    lines = []
    for n, request in enumerate(document.requests):
        fields = sent(request.body)
        ids[request.key] = str(120_000_000_000_000_001 + n)
        lines.append(json.dumps({"key": request.key, "id": ids[request.key],
                                 "path": request.path, "digest": "0" * 64, "fields": fields}))
    return "\n".join(lines) + "\n"


def test_adding_a_market_plans_its_creates_alone_and_removing_one_orphans_it() -> None:
    before = check(HEAD + MX + BR + BODY).document
    assert before is not None
    state = changes.read_state(_state(before))
    after = check(HEAD + MX + US + BR + BODY).document
    assert after is not None
    planned = {c.key: c.action for c in changes.plan_changes(after, state)}
    assert {k for k, a in planned.items() if a != "none"} == {
        "adset.quote[us]", "creative.quote_image[us]", "ad.quote_ad[us]"}
    assert {planned[k] for k in ("adset.quote[us]", "creative.quote_image[us]",
                                 "ad.quote_ad[us]")} == {"create"}
    fewer = check(HEAD + MX + BODY).document
    assert fewer is not None
    gone = {c.key: c.action for c in changes.plan_changes(fewer, state) if c.action != "none"}
    assert gone == {"adset.quote[br]": "orphan", "creative.quote_image[br]": "orphan",
                    "ad.quote_ad[br]": "orphan"}


def test_adflow_plan_after_adding_a_market_shows_only_its_creates(tmp_path: Path) -> None:
    spec = tmp_path / "spec.adflow"
    spec.write_text(HEAD + MX + BR + BODY, encoding="utf-8")
    first = check_file(spec).document
    assert first is not None
    state = tmp_path / "create.sh.state"
    state.write_text(_state(first), encoding="utf-8")
    spec.write_text(HEAD + MX + BR + US + BODY, encoding="utf-8")
    run = subprocess.run([ADFLOW, "plan", str(spec), "--state", str(state)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    shown = [line for line in run.stdout.splitlines() if line.startswith("+")]
    assert [line.split(":")[0] for line in shown] == [
        "+ adset.quote[us]", "+ creative.quote_image[us]", "+ ad.quote_ad[us]"]
    assert "Plan: 3 to create, 0 to update, 0 to replace, 7 unchanged" in run.stdout


def test_a_text_without_a_translation_is_an_error_at_the_text_naming_the_market() -> None:
    text = HEAD + MX.replace('  "Hi!" => "¡Hola!"\n', "") + BR + US + BODY
    result = check(text)
    found = [(d.code, d.span.line, d.span.column, d.message) for d in result.diagnostics]
    line = text.split("\n").index('  welcome text "Hi!"') + 1
    # us gives no translations: it sends the texts as written.
    assert found == [("R007", line, 16, 'no translation of "Hi!" (in market mx)')]


def test_a_finding_on_a_template_line_is_reported_once_with_its_markets() -> None:
    text = HEAD + MX + BR + BODY.replace("QUALITY_LEAD", "CONVERSATIONS")
    result = check(text)
    a002 = [d for d in result.diagnostics if d.code == "A002"]
    assert len(a002) == 1
    assert a002[0].message.endswith("(in markets br, mx)")
    assert a002[0].span.line == text.split("\n").index("  optimization_goal CONVERSATIONS") + 1
    assert a002[0].name is not None and "[" not in a002[0].name


def test_a_finding_in_one_market_alone_names_that_market() -> None:
    # br's own bid breaks the ad set for br alone: reported once, for br.
    broken = BR.replace("  countries [BR]\n", "  countries [BR]\n  bid_amount -5\n")
    text = HEAD + MX + broken + BODY
    result = check(text)
    on_line = [d for d in result.diagnostics if "bid_amount" in text.split("\n")[d.span.line - 1]]
    assert on_line and all(d.message.endswith("(in market br)") for d in on_line)


def test_objects_made_once_keep_their_findings_plain() -> None:
    text = HEAD + MX + BR + BODY.replace("  special_ad_categories [NONE]\n", "")
    result = check(text)
    campaign = [d for d in result.diagnostics if d.span.line <= text.split("\n").index(
        "campaign leads {") + 5 and d.span.line > 3 + MX.count("\n") + BR.count("\n")]
    assert campaign, [d.message for d in result.diagnostics]
    assert not any("(in market" in d.message for d in campaign)
    assert len({(d.code, d.span) for d in campaign}) == len(campaign)  # once each


def test_without_markets_nothing_changes() -> None:
    result = check(HEAD + BODY)
    assert result.document is not None and result.document.markets == ()
    assert keys(result.document)[-1] == "ad.quote_ad"


@pytest.mark.parametrize("market, code, says", [
    ("market mx {\n  locale xx_QQ\n}\n", "S007", "'xx_QQ' is not a locale"),
    ("market mx {\n  locale es_MX\n}\nmarket mx {\n  locale es_CO\n}\n", "R002",
     "market 'mx' is declared twice"),
    ('market mx {\n  translations "nowhere.po"\n}\n', "R008",
     "cannot read the catalogue 'nowhere.po'"),
    ('market mx {\n  translations "es\\u0000.po"\n}\n', "R008",
     "a file name cannot hold a NUL character"),
    ('market mx {\n  translations 5\n}\n', "S007", "`translations` takes one file name"),
    ('market mx {\n  "Hi!" => fr\n}\n', "S007", "a translation is written"),
    ("market mx {\n  locale es_MX\n  locale es_CO\n}\n", "R006", "'locale' is set twice"),
    ("market mx {\n  countries [MX]\n  daly_budget 5\n}\n", "S006", "unknown field 'daly_budget'"),
])
def test_market_mistakes_are_reported_where_written(market: str, code: str, says: str) -> None:
    result = check(HEAD + market + BODY.replace('"Get a quote"', '"Hi!"'))
    found = [d for d in result.diagnostics if d.code == code]
    assert found and says in found[0].message, [d.message for d in result.diagnostics]
    assert found[0].span.line > 3  # in the market's block, not at the top


def test_a_catalogue_is_read_with_gettext_rules_and_relative_to_the_file(tmp_path: Path) -> None:
    (tmp_path / "po").mkdir()
    (tmp_path / "po" / "es.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "Get a quote"\nmsgstr "Pide una cotización"\n\n'
        '#, fuzzy\nmsgid "Hi!"\nmsgstr "¿Hola?"\n', encoding="utf-8")
    spec = tmp_path / "spec.adflow"
    spec.write_text(HEAD + 'market mx {\n  translations "po/es.po"\n}\n' + BODY,
                    encoding="utf-8")
    result = check_file(spec)
    # A fuzzy entry is no translation (gettext leaves it out too).
    assert [(d.code, d.message) for d in result.diagnostics] == [
        ("R007", 'no translation of "Hi!" (in market mx)')]
    link = body(result.document, "creative.quote_image[mx]")["object_story_spec"]["link_data"]
    assert link["message"] == "Pide una cotización"


def test_a_broken_catalogue_is_r008(tmp_path: Path) -> None:
    (tmp_path / "es.po").write_text('msgid "a"\nmsgstr "b"\nmsgid\n', encoding="utf-8")
    spec = tmp_path / "spec.adflow"
    spec.write_text(HEAD + 'market mx {\n  translations "es.po"\n}\n' + BODY, encoding="utf-8")
    found = [d for d in check_file(spec).diagnostics if d.code == "R008"]
    assert len(found) == 1 and "is not a gettext catalogue" in found[0].message
    assert found[0].span.line == 5


def test_a_changed_catalogue_is_not_answered_from_the_cache(tmp_path: Path) -> None:
    (tmp_path / "es.po").write_text('msgid "Hi!"\nmsgstr "¡Hola!"\n', encoding="utf-8")
    spec = tmp_path / "spec.adflow"
    spec.write_text(HEAD + 'market mx {\n  translations "es.po"\n'
                    '  "Get a quote" => "Pide"\n}\n' + BODY, encoding="utf-8")
    cache = tmp_path / "cache"
    assert check_file(spec, cache_dir=cache).errors == 0
    (tmp_path / "es.po").write_text('msgid "Bye"\nmsgstr "Adiós"\n', encoding="utf-8")
    assert check_file(spec, cache_dir=cache).errors == 1


def test_adflow_catalogue_writes_the_template_of_every_text(tmp_path: Path) -> None:
    out = tmp_path / "messages.pot"
    run = subprocess.run([ADFLOW, "catalogue", str(SAMPLE), "-o", str(out)],
                         capture_output=True, text=True, check=False, cwd=ROOT,
                         env={"SOURCE_DATE_EPOCH": "1772323200", "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr
    with out.open("rb") as f:
        template = read_po(f)
    ids = [m.id for m in template if m.id]
    assert ids == ["Still there? Your quote takes a minute.",
                   "Hi {{user_first_name}}! Want a quote for your home?",
                   "How big is your home?", "An apartment", "A house",
                   "What number can we call you on?",
                   "Thanks! We will call you within a day.",
                   "Get a home repair quote in Messenger"]
    assert all(not m.string for m in template if m.id)
    # Every text the sample's catalogue translates, and no other.
    with (SAMPLES / "markets.es.po").open("rb") as f:
        assert sorted(ids) == sorted(m.id for m in read_po(f) if m.id)
    assert "POT-Creation-Date: 2026-03-01 00:00+0000" in out.read_text(encoding="utf-8")
    assert str(SAMPLE) in out.read_text(encoding="utf-8")  # where each text is written


def test_adflow_catalogue_lists_texts_of_a_file_without_markets(tmp_path: Path) -> None:
    spec = tmp_path / "spec.adflow"
    spec.write_text(HEAD + BODY, encoding="utf-8")
    run = subprocess.run([ADFLOW, "catalogue", str(spec)], capture_output=True, text=True,
                         check=False)
    assert run.returncode == 0, run.stderr
    assert 'msgid "Get a quote"' in run.stdout and 'msgid "Hi!"' in run.stdout
    assert 'msgid "leads"' not in run.stdout  # names are not texts people read


def adflow(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ADFLOW, *args], capture_output=True, text=True, check=False, cwd=ROOT,
                          input="1\n+5215512345678\n")


@pytest.mark.parametrize("command", ["graph", "paths", "simulate", "preview"])
def test_market_shows_the_objects_of_one_market(command: str) -> None:
    run = adflow(command, "samples/markets.adflow", "--market", "co")
    assert run.returncode == 0, run.stderr
    shown = run.stdout + run.stderr
    assert "quote_form[co]" in shown
    assert "quote_form[mx]" not in shown and "quote_form[br]" not in shown
    everything = adflow(command, "samples/markets.adflow")
    # simulate plays one form: without --market it asks which, naming every market's
    assert everything.returncode == (2 if command == "simulate" else 0)
    assert "quote_form[mx]" in everything.stdout + everything.stderr


@pytest.mark.parametrize("command", ["graph", "paths", "simulate", "preview"])
def test_an_unknown_market_is_a_usage_error_naming_the_markets(command: str) -> None:
    run = adflow(command, "samples/markets.adflow", "--market", "zz")
    assert run.returncode == 2
    assert "no market 'zz' in samples/markets.adflow (markets: br, co, mx)" in run.stderr


def test_form_names_the_form_written_once() -> None:
    run = adflow("paths", "samples/markets.adflow", "--form", "quote_form")
    assert run.returncode == 0, run.stderr
    assert [line.split(":")[0] for line in run.stdout.splitlines() if line.startswith("lead")] \
        == ["lead form quote_form[br]", "lead form quote_form[co]", "lead form quote_form[mx]"]
    run = adflow("paths", "samples/markets.adflow", "--form", "quote_form[mx]")
    assert run.stdout.startswith("lead form quote_form[mx]:")


def test_a_finding_on_a_template_concerns_every_markets_object() -> None:
    """Its semantic place is the object written once, so the preview and
    `paths` show it with each market's form, and SARIF fingerprints do not
    change when a market is added."""
    result = check_file(SAMPLE, display=str(SAMPLE.relative_to(ROOT)))
    assert result.document is not None
    (d001,) = [d for d in result.diagnostics if d.code == "D001"]
    forms = list(result.document.of_kind("lead_form"))
    assert [f.place() for f in forms] == ["lead_form:quote_form"] * 3
    assert all(d001.concerns(f.place()) for f in forms)
    shown = adflow("paths", "samples/markets.adflow", "--market", "mx")
    assert "D001" in shown.stdout + shown.stderr


def test_the_preview_shows_every_market_side_by_side_with_the_templates_findings() -> None:
    from adflow.emitters.preview import build_page

    result = check_file(SAMPLE, display=str(SAMPLE.relative_to(ROOT)))
    assert result.document is not None
    page = build_page(result.document, result.diagnostics)
    assert [c.name for c in page.creatives] == [
        "quote_image[br]", "quote_image[co]", "quote_image[mx]"]
    assert [[f.code for f in form.findings] for form in page.forms] == [["D001"]] * 3
    assert page.others == []  # shown with each form, not again among the others


def test_every_text_of_a_welcome_message_is_translated_and_no_payload() -> None:
    creative = """
creative ask {
  page acme
  image hash "9f1c2e" link "https://acme.example/q.jpg"
  headline "Ask us"
  call_to_action MESSAGE_PAGE -> MESSENGER
  welcome templates {
    message "Which service?" quick_replies {
      "Repair" => "SERVICE_REPAIR"
    }
  }
}
creative call {
  page acme
  image hash "9f1c2e" link "https://acme.example/q.jpg"
  call_to_action MESSAGE_PAGE -> MESSENGER
  welcome call_prompt "Welcome!" prompt "Call us to book."
}
"""
    market = 'market mx {\n  "Ask us" => "Pregúntanos"\n}\n'
    result = check(HEAD + market + creative)
    missing = sorted(d.message.split('"')[1] for d in result.diagnostics if d.code == "R007")
    assert missing == ["Call us to book.", "Repair", "Welcome!", "Which service?"]
