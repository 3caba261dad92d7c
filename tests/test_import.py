"""`adflow import`: JSON bodies, requests and plans into idiomatic, lossless DSL."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from adflow.compiler.front.jsonsrc import document_from_json
from adflow.compiler.front.source import Source
from adflow.compiler.importer import dsl_string, import_document
from adflow.compiler.pipeline import check_source
from conftest import ADFLOW, SAMPLES
from hypothesis import given
from hypothesis import strategies as st

PAYLOADS = sorted((SAMPLES / "payloads").glob("*.json"))


def decoded(value: Any) -> Any:
    """JSON-in-string and `$json` markers as the JSON they carry."""
    if isinstance(value, dict):
        if set(value) == {"$json"}:
            return decoded(value["$json"])
        return {k: decoded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decoded(v) for v in value]
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return decoded(json.loads(value))
        except ValueError:
            return value
    return value


def same(a: Any, b: Any) -> bool:
    """Strict: 1, 1.0 and true differ."""
    return json.dumps(decoded(a), sort_keys=True) == json.dumps(decoded(b), sort_keys=True)


def bodies_of(value: Any) -> list[dict[str, Any]]:
    """The bodies of any JSON form adflow imports."""
    if isinstance(value, dict) and value.get("format") == "adflow.plan/1":
        return [r["body"] for r in value["requests"]]
    if isinstance(value, dict) and "body" in value:
        return [value["body"]]
    if isinstance(value, list):
        return [r["body"] for r in value]
    return [value]


def assert_lossless(original: list[dict[str, Any]], compiled: list[dict[str, Any]]) -> None:
    assert len(original) == len(compiled)
    for before, after in zip(original, compiled, strict=True):
        for key, value in before.items():
            assert key in after, key
            assert same(value, after[key]), (key, value, after[key])


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ADFLOW, *args], capture_output=True, text=True)


def compile_text(text: str) -> list[dict[str, Any]]:
    result = check_source(Source("imported.adflow", text))
    assert result.document is not None, [str(d) for d in result.diagnostics]
    return [r.body for r in result.document.requests]


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("*.adflow")), ids=lambda p: p.stem)
def test_every_sample_plan_round_trips(sample: Path, tmp_path: Path) -> None:
    plan_path = tmp_path / "plan.json"
    assert run("compile", str(sample), "--emit", "json", "-o", str(plan_path)).returncode == 0
    imported = run("import", str(plan_path))
    assert imported.returncode == 0, imported.stderr
    dsl = tmp_path / "imported.adflow"
    dsl.write_text(imported.stdout)
    again = run("compile", str(dsl), "--emit", "json")
    assert again.returncode == 0, again.stdout + again.stderr
    before = json.loads(plan_path.read_text())["requests"]
    after = json.loads(again.stdout)["requests"]
    # Plans keep their keys: the imported names are the original ones.
    assert [r["key"] for r in after] == [r["key"] for r in before]
    assert_lossless([r["body"] for r in before], [r["body"] for r in after])
    # Idiomatic: the samples need no raw fields, and the layout is fmt's.
    assert "raw " not in imported.stdout
    assert run("fmt", "--check", str(dsl)).returncode == 0
    # the same findings as the sample itself
    assert sorted(d["code"] for d in json.loads(run("check", "--format", "json", str(dsl)).stdout)[
        "diagnostics"]) == sorted(d["code"] for d in json.loads(
            run("check", "--format", "json", str(sample)).stdout)["diagnostics"])


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda p: p.stem)
def test_every_payload_sample_round_trips(payload: Path, tmp_path: Path) -> None:
    imported = run("import", str(payload))
    assert imported.returncode == 0, imported.stderr
    dsl = tmp_path / "imported.adflow"
    dsl.write_text(imported.stdout)
    assert run("fmt", "--check", str(dsl)).returncode == 0
    assert_lossless(bodies_of(json.loads(payload.read_text())), compile_text(imported.stdout))
    assert run("check", str(dsl)).returncode == 0


def test_output_is_deterministic() -> None:
    path = str(SAMPLES / "payloads" / "lead_ad_plan.json")
    assert run("import", path).stdout == run("import", path).stdout


def test_literal_ids_stay_literal_and_names_come_from_the_objects() -> None:
    out = run("import", str(SAMPLES / "payloads" / "ad_body.json")).stdout
    assert "ad spring_ad {" in out
    assert "adset 120200000000002" in out
    assert "creative 120200000000003" in out


def test_what_the_language_cannot_say_goes_raw_with_a_comment() -> None:
    out = run("import", str(SAMPLES / "payloads" / "seed_lead_form.json")).stdout
    # next_step_ids written as "1" and as integers: the steps stay as written
    assert "raw step_list" in out
    assert "# the steps are sent as written" in out
    out = run("import", str(SAMPLES / "payloads" / "adset_body.json")).stdout
    assert "countries [US]" in out
    assert 'raw targeting {"geo_locations": {"regions": [{"key": "3847"}]}}' in out.replace(
        "{ ", "{").replace(" }", "}")


def test_branches_become_arrows_per_answer() -> None:
    out = run("import", str(SAMPLES / "payloads" / "lead_ad_plan.json")).stdout
    assert 'intro "Hi! Two quick questions." -> phone' in out
    assert "welcome lead_form callback" in out
    assert "adset leads_us in leads {" in out


def test_same_names_get_distinct_identifiers(tmp_path: Path) -> None:
    body = {"name": "Spring", "objective": "OUTCOME_LEADS", "special_ad_categories": [],
            "is_adset_budget_sharing_enabled": False}
    path = tmp_path / "two.json"
    path.write_text(json.dumps([{"method": "POST", "path": "act_1/campaigns", "body": body}] * 2))
    out = run("import", str(path))
    assert out.returncode == 0
    assert "campaign spring {" in out.stdout and "campaign spring_2 {" in out.stdout


def test_broken_json_is_reported_not_imported(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"step_list": [1,]}')
    done = run("import", str(path))
    assert done.returncode == 1
    assert "S002" in done.stderr and done.stdout == ""
    assert run("import", str(tmp_path / "missing.json")).returncode == 2


def test_input_past_the_limits_is_a_diagnostic(tmp_path: Path) -> None:
    """The reader recurses: nesting past S004's limit is refused first, never a crash."""
    deep = tmp_path / "deep.json"
    deep.write_text('{"step_list": ' + "[" * 5000 + "]" * 5000 + "}")
    done = run("import", str(deep))
    assert done.returncode == 1, done.stderr
    assert "S004 nesting is deeper than the limit" in done.stderr and done.stdout == ""
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr


def test_hostile_strings_round_trip() -> None:
    body = {"template_name": 'a "quoted" \\ name\n\t\u202e\u0000 \U0001f600 #not a comment',
            "privacy_url": "https://x.example/?a=1#frag", "reminder_text": "-> => { } [ ]",
            "step_list": [{"step_id": "0", "step_type": "INTRO", "message": "\u2066hi\u2069",
                           "reply_type": "NONE"}]}
    text = import_document(_doc(body), "x.json")
    assert "\u202e" not in text and "\u0000" not in text  # escaped, never raw
    assert_lossless([body], compile_text(text))


def _doc(body: dict[str, Any]) -> Any:
    document, diagnostics = document_from_json(Source("body.json", json.dumps(body)))
    assert document is not None and not diagnostics
    return document


@given(st.text(st.characters(blacklist_categories=("Cs",))))
def test_dsl_strings_read_back_as_the_same_text(text: str) -> None:
    body = {"template_name": text, "step_list": []}
    written = f"page p 1\nlead_form f on p {{\n  template_name {dsl_string(text)}\n}}\n"
    [compiled] = compile_text(written)
    assert compiled["template_name"] == body["template_name"]


# -- random bodies ----------------------------------------------------------------------------

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
WORD = st.sampled_from(["NONE", "US", "mobile", "OUTCOME_LEADS", "MESSENGER", "a b", "", "x-y"])
SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**12),
                   st.floats(allow_nan=False, allow_infinity=False), TEXT, WORD)
JSON = st.recursive(SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(TEXT, inner, max_size=3)), max_leaves=6)
IDS = st.one_of(st.from_regex(r"[1-9][0-9]{0,14}", fullmatch=True), st.integers(1, 10**9))
# Either a value of the field's usual type, or anything (which must then go raw).
def usual(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(strategy, strategy, strategy, JSON)


def body(required: dict[str, Any], optional: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    extra = st.dictionaries(st.sampled_from(["custom_field", "tracking", "x"]), JSON, max_size=2)
    return st.tuples(st.fixed_dictionaries(required, optional=optional), extra).map(
        lambda pair: {**pair[1], **pair[0]})


CAMPAIGN = body({"objective": usual(WORD)}, {
    "name": usual(TEXT), "status": usual(WORD), "buying_type": usual(WORD),
    "special_ad_categories": usual(st.lists(WORD, max_size=2)),
    "daily_budget": usual(st.integers(1, 10**7)),
    "is_adset_budget_sharing_enabled": usual(st.booleans()),
    "start_time": usual(TEXT)})
TARGETING = st.fixed_dictionaries({}, optional={
    "geo_locations": st.fixed_dictionaries({}, optional={
        "countries": usual(st.lists(WORD, max_size=2)), "regions": JSON}),
    "device_platforms": usual(st.lists(WORD, max_size=2)), "age_min": usual(st.integers(13, 65)),
    "locales": JSON})
ADSET = body({"optimization_goal": usual(WORD)}, {
    "name": usual(TEXT), "campaign_id": usual(IDS), "billing_event": usual(WORD),
    "destination_type": usual(WORD), "bid_amount": usual(st.integers(1, 1000)),
    "promoted_object": st.fixed_dictionaries({}, optional={"page_id": usual(IDS),
                                                           "pixel_id": usual(IDS)}),
    "targeting": usual(TARGETING)})
AD = body({"adset_id": usual(IDS), "creative": usual(st.fixed_dictionaries({"creative_id": IDS}))},
          {"name": usual(TEXT), "status": usual(WORD)})
CTA = st.fixed_dictionaries({"type": usual(WORD)}, optional={"value": st.fixed_dictionaries(
    {}, optional={"app_destination": usual(WORD), "link": usual(TEXT)})})
WELCOME = st.one_of(TEXT, JSON.map(json.dumps), st.builds(
    lambda text, pairs: json.dumps({"text_format": {"customer_action_type": "ice_breakers",
                                                     "message": {"text": text, "ice_breakers": [
                                                         {"title": a, "response": b}
                                                         for a, b in pairs]}}}),
    TEXT, st.lists(st.tuples(TEXT, TEXT), max_size=2)))
LINK_DATA = st.fixed_dictionaries({}, optional={
    "image_hash": usual(TEXT), "link": usual(TEXT), "message": usual(TEXT), "name": usual(TEXT),
    "call_to_action": usual(CTA), "page_welcome_message": WELCOME})
VIDEO_DATA = st.fixed_dictionaries({"video_id": usual(IDS)}, optional={
    "image_url": usual(TEXT), "title": usual(TEXT), "call_to_action": usual(CTA),
    "page_welcome_message": WELCOME})
CREATIVE = st.one_of(
    body({"object_story_spec": st.fixed_dictionaries({"page_id": usual(IDS)}, optional={
        "link_data": LINK_DATA, "video_data": VIDEO_DATA, "instagram_user_id": usual(IDS)})},
        {"name": usual(TEXT)}),
    body({"object_story_id": usual(TEXT)}, {"name": usual(TEXT), "call_to_action": usual(CTA)}),
    body({"source_instagram_media_id": usual(TEXT)}, {"object_id": usual(IDS),
                                                      "instagram_user_id": usual(IDS)}))


@st.composite
def lead_forms(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(1, 5))
    steps = []
    for i in range(count):
        step: dict[str, Any] = {"step_id": str(i), "step_type": draw(st.sampled_from(
            ["INTRO", "QUESTION", "CONFIRMATION", "DISQUALIFY"])), "message": draw(TEXT)}
        answers = draw(st.lists(TEXT, max_size=3))
        later = [str(j) for j in range(i + 1, count)]
        if answers:
            step["answers"] = answers
            step["reply_type"] = "QUICK_REPLIES"
        else:
            step["reply_type"] = draw(st.sampled_from(["NONE", "PREFILL"]))
            if step["reply_type"] == "PREFILL":
                step["prefill_type"] = draw(st.sampled_from(["CITY", "EMAIL", "PHONE"]))
        if later:
            step["next_step_ids"] = draw(st.lists(st.sampled_from(later), min_size=1, max_size=3))
        if draw(st.booleans()):
            step["allow_to_skip"] = draw(st.booleans())
        if draw(st.booleans()):  # off the language's path: integers, strings, unknown fields
            step[draw(st.sampled_from(["next_step_ids", "step_id", "extra"]))] = draw(JSON)
        steps.append(step)
    return draw(body({"step_list": st.just(steps)}, {
        "template_name": usual(TEXT), "privacy_url": usual(TEXT), "reminder_text": usual(TEXT),
        "exit_keyphrases": usual(st.lists(TEXT, max_size=2))}))


@pytest.mark.parametrize("strategy", [CAMPAIGN, ADSET, AD, CREATIVE, lead_forms()],
                         ids=["campaign", "adset", "ad", "creative", "lead_form"])
def test_random_bodies_round_trip(strategy: st.SearchStrategy[dict[str, Any]]) -> None:
    @given(strategy)
    def round_trip(original: dict[str, Any]) -> None:
        document, diagnostics = document_from_json(Source("body.json", json.dumps(original)))
        if document is None:  # keys that make it no body adflow knows (e.g. a raw "x" only)
            return
        text = import_document(document, "body.json")
        assert_lossless([original], compile_text(text))

    round_trip()
