"""Help in the input's own language, end to end: a JSON payload's findings
advise in JSON (Meta's field names and values, the body's paths), an .adflow
file's in the DSL. The JSON twin of a DSL case is the plan the DSL compiles
to, so both sides say the same thing about the same body."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from adflow.compiler.bodies.fields import BLOCKS, STEP_MODIFIERS, STEP_TYPES
from adflow.compiler.front.source import Source
from adflow.compiler.pipeline import FileResult, check_source
from adflow.emitters.requests import build_plan

ROOT = Path(__file__).parent.parent
JSON_INPUTS = sorted([*ROOT.glob("tests/fixtures/*/*.json"), *ROOT.glob("tests/corpus/*.json"),
                      *ROOT.glob("samples/payloads/*.json")])
DSL_BAD = sorted(ROOT.glob("tests/fixtures/*/bad.adflow"))

# The DSL's own words: every field's head word, the step and modifier words,
# and the object and member words with no row of their own.
DSL_WORDS = sorted({head for table in BLOCKS.values() for head in table} | set(STEP_TYPES)
                   | set(STEP_MODIFIERS) | {"welcome", "raw", "button", "payload", "prompt",
                                            "thumbnail", "hash", "url"})
# Syntax only the DSL writes: an arrow, a block, a comment directive, the
# DSL's own names for Meta's fields, or a DSL word followed by a bare value
# (`destination WHATSAPP`, `prefill CITY`, `add instagram NAME`, `image hash "..."`).
DSL_SYNTAX = re.compile(
    r"->|\s\{\s|# adflow|promoted_page\s|(?<!\w)adset_budget_sharing(?!\w)"
    r"|special_ad_categories \[|add instagram\s|image hash|(?<![\w\"'.])(?:" + "|".join(DSL_WORDS)
    + r")\s+(?:[A-Z][A-Z0-9_]*\b|\[|\{|\"|\d)")
# Advice only JSON writes: a member to add or a value to set, quoted.
JSON_ADVICE = re.compile(r"\b(?:add|set) \"\w+\"")


def check(path: str, text: str) -> FileResult:
    return check_source(Source(path, text))


def as_plan(result: FileResult) -> FileResult:
    """The JSON twin of a checked .adflow file: the plan it compiles to."""
    assert result.document is not None
    return check("plan.json", json.dumps(build_plan(result.document)))


def helps(result: FileResult, code: str) -> list[str]:
    return sorted(d.help for d in result.diagnostics if d.code == code and d.help)


def test_the_pattern_knows_dsl_syntax_from_json() -> None:
    for dsl in ("destination WHATSAPP", "add instagram NAME", "prefill CITY, EMAIL or PHONE",
                "add targeting { countries [US] }", 'start the form with: intro "Hi" -> q',
                "add promoted_page PAGE", "billing_event IMPRESSIONS", "add page NAME",
                'add: button "Get messages" payload "..."', "objective OUTCOME_LEADS"):
        assert DSL_SYNTAX.search(dsl), dsl
    for neutral in ('add "destination_type": "WHATSAPP"', 'set "objective" to "OUTCOME_LEADS"',
                    'add "prefill_type": "CITY" (or "EMAIL" or "PHONE")',
                    'add "targeting": {"geo_locations": {"countries": ["US"]}}',
                    "money is an integer in minor units: USD 2000 = $20.00",
                    "did you mean 'PAUSED'?", "remove the link; the button opens the Page's "
                    "WhatsApp number"):
        assert not DSL_SYNTAX.search(neutral), neutral


@pytest.mark.parametrize("path", JSON_INPUTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_json_input_gets_no_dsl_syntax_in_its_help(path: Path) -> None:
    result = check(str(path), path.read_text(encoding="utf-8"))
    dsl = [(d.code, d.help) for d in result.diagnostics
           if d.help and DSL_SYNTAX.search(d.help)]
    assert dsl == []


def compiles(path: Path) -> bool:
    result = check(str(path), path.read_text(encoding="utf-8"))
    return result.document is not None and bool(result.document.requests)


# The bad fixtures that compile to a plan (not the ones whose mistake is
# that they do not parse, nor those about the file's header alone).
COMPILED = [p for p in DSL_BAD if compiles(p)]


@pytest.mark.parametrize("path", COMPILED, ids=lambda p: p.parent.name)
def test_the_plan_of_each_bad_fixture_gets_json_help(path: Path) -> None:
    """A bad fixture compiled to its plan is the same mistake in JSON: no
    DSL syntax in the plan's help, and where the .adflow file's help is
    DSL syntax, the plan's help for the same rule differs from it. The
    .adflow file keeps the DSL's advice: no JSON member to add or value to
    set in its help."""
    code = path.parent.name
    dsl = check(str(path), path.read_text(encoding="utf-8"))
    plan = as_plan(dsl)
    assert [h for h in helps(dsl, code) if JSON_ADVICE.search(h)] == []
    assert [h for h in helps(plan, code) if DSL_SYNTAX.search(h)] == []
    assert [h for h in helps(plan, code) if h in
            {h for h in helps(dsl, code) if DSL_SYNTAX.search(h)}] == []


ACCOUNT = "account act_1234567890\napi v25.0\npage acme 111222333444\n"
CAMPAIGN = "campaign spring {\n  objective OUTCOME_LEADS\n  special_ad_categories [NONE]\n" \
           "  adset_budget_sharing false\n}\n"

# (a DSL file, the code, its help in the DSL, the same help in JSON)
PAIRS = [
    (ACCOUNT + "campaign spring {\n  objective OUTCOME_LEADS\n"
     "  special_ad_categories [NONE]\n}\n", "A006",
     "add adset_budget_sharing false (or true), or give the campaign a daily_budget",
     'add "is_adset_budget_sharing_enabled": false (or true), or give the campaign a '
     '"daily_budget"'),
    (ACCOUNT + CAMPAIGN + "adset us in spring {\n  optimization_goal LEAD_GENERATION\n"
     "  destination MESSENGER\n  promoted_page acme\n}\n", "A009",
     "add targeting { countries [US] }",
     'add "targeting": {"geo_locations": {"countries": ["US"]}}'),
    (ACCOUNT + CAMPAIGN + "adset us in spring {\n  optimization_goal CONVERSATIONS\n"
     "  destination MESSENGER\n  targeting {\n    countries [US]\n  }\n}\n", "A004",
     "add promoted_page PAGE (it cannot be changed later)",
     'add "promoted_object": {"page_id": "PAGE_ID"} (it cannot be changed later)'),
    (ACCOUNT + CAMPAIGN + "adset us in spring {\n  optimization_goal CONVERSATIONS\n"
     "  destination MESSENGER\n  promoted_page acme\n"
     "  raw promoted_object {\"whatsapp_phone_number\": \"+15551234567\"}\n"
     "  targeting {\n    countries [US]\n  }\n}\n", "A013",
     "destination WHATSAPP", 'set "destination_type" to "WHATSAPP"'),
    (ACCOUNT + "creative image {\n  page acme\n  image hash \"abc123\"\n"
     "  welcome text \"Hi!\"\n}\n", "C001",
     "add call_to_action MESSAGE_PAGE -> MESSENGER",
     'add "call_to_action": {"type": "MESSAGE_PAGE", "value": {"app_destination": '
     '"MESSENGER"}} to object_story_spec.link_data'),
    (ACCOUNT + "creative ig {\n  page acme\n  image url \"https://acme.example/a.jpg\"\n"
     "  call_to_action INSTAGRAM_MESSAGE -> INSTAGRAM_DIRECT\n}\n", "C011",
     "add instagram NAME",
     'add "instagram_user_id": "INSTAGRAM_USER_ID" to object_story_spec'),
    (ACCOUNT.replace("v25.0", "v23.0") + "lead_form quote on acme {\n"
     "  template_name \"Quote\"\n  privacy_url \"https://acme.example/privacy\"\n"
     "  reminder \"Still there?\"\n  intro \"Hi!\" -> city\n"
     "  question city \"Your city?\" -> thanks\n  confirmation thanks \"Thanks!\"\n}\n",
     "F018", "add a question with prefill PHONE or prefill EMAIL on this path",
     'add a question with "reply_type": "PREFILL", "prefill_type": "PHONE" (or "EMAIL") on '
     "this path"),
    (ACCOUNT.replace("v25.0", "v23.0") + "lead_form quote on acme {\n"
     "  template_name \"Quote\"\n  privacy_url \"https://acme.example/privacy\"\n"
     "  reminder \"Still there?\"\n  question city \"Your city?\" -> thanks\n"
     "  confirmation thanks \"Thanks!\"\n}\n", "F001",
     'start the form with: intro "Hi! ..." -> first_question',
     'start "step_list" with {"step_id": "STEP_ID", "step_type": "INTRO", "message": '
     '"Hi! ...", "reply_type": "NONE", "next_step_ids": ["FIRST_QUESTION_ID"]}'),
]


@pytest.mark.parametrize(("dsl_text", "code", "in_dsl", "in_json"), PAIRS,
                         ids=[f"{p[1]}-{i}" for i, p in enumerate(PAIRS)])
def test_the_same_mistake_is_advised_in_each_language(dsl_text: str, code: str,
                                                      in_dsl: str | None,
                                                      in_json: str | None) -> None:
    dsl = check("spring.adflow", dsl_text)
    plan = as_plan(dsl)
    assert helps(dsl, code) == ([in_dsl] if in_dsl else [])
    assert helps(plan, code) == ([in_json] if in_json else [])


def test_a_promoted_object_already_written_gets_the_page_added_to_it() -> None:
    """Where the body has the object a member belongs in, the advice adds the
    member to it rather than a second object."""
    body = {"name": "us", "campaign_id": "1", "optimization_goal": "CONVERSATIONS",
            "destination_type": "MESSENGER", "billing_event": "IMPRESSIONS",
            "promoted_object": {"whatsapp_phone_number": "+15551234567"},
            "targeting": {"geo_locations": {"countries": ["US"]}}}
    result = check("adset.json", json.dumps(body))
    assert helps(result, "A004") == [
        'add "page_id": "PAGE_ID" to promoted_object (it cannot be changed later)']


def test_lead_form_steps_are_advised_with_their_json_keys() -> None:
    form = {"privacy_url": "https://acme.example/privacy", "template_name": "Quote",
            "reminder_text": "Still there?",
            "step_list": [{"step_id": "0", "step_type": "INTRO", "message": "Hi",
                           "reply_type": "NONE", "next_step_ids": ["1"]},
                          {"step_id": "1", "step_type": "QUESTION", "message": "Your city?",
                           "reply_type": "PREFILL", "next_step_ids": ["2"]},
                          {"step_id": "2", "step_type": "QUESTION", "message": "More?",
                           "reply_type": "NONE"},
                          {"step_id": "3", "step_type": "CONFIRMATION", "message": "Thanks",
                           "reply_type": "NONE"}]}
    result = check("form.json", json.dumps(form))
    assert helps(result, "F009") == ['add "prefill_type": "CITY" (or "EMAIL" or "PHONE")']
    assert helps(result, "F011") == [
        'add "next_step_ids": ["NEXT_STEP_ID"], or set "step_type" to "CONFIRMATION"']


def test_a_destination_no_table_lists_for_the_objective_asks_for_another_objective() -> None:
    """A002 with no goal allowed and no one objective to name: "another
    objective", once (it read "needs objective another objective")."""
    text = ACCOUNT + "campaign spring {\n  objective OUTCOME_AWARENESS\n" \
        "  special_ad_categories [NONE]\n  adset_budget_sharing false\n}\n" \
        "adset us in spring {\n  optimization_goal CONVERSATIONS\n  destination MESSENGER\n" \
        "  promoted_page acme\n  targeting {\n    countries [US]\n  }\n}\n"
    dsl = check("spring.adflow", text)
    assert helps(dsl, "A002") == ["destination MESSENGER needs another objective"]
    assert helps(as_plan(dsl), "A002") == ['"destination_type": "MESSENGER" needs another '
                                           '"objective"']
