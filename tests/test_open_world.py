"""An open world for request bodies: what adflow knows is checked, what it
does not know is said to be unchecked, never an error. Schema findings come
one per value, in the field's words and path; an unknown member is a
warning only when it is close to a known name; an endpoint adflow does not
model is info. Long lines are shown as a window around the span."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from adflow.compiler.findings.diagnostics import Diagnostic, Severity
from adflow.compiler.findings.report import MAX_WIDTH, cells, render_text
from adflow.compiler.front.source import Source
from adflow.compiler.pipeline import check_file
from hypothesis import given, settings
from hypothesis import strategies as st

PAGE = "104729385612093"
# What jsonschema says in its own words; a finding never shows it.
VALIDATOR_WORDS = re.compile(r"is a required property|Additional properties|is not valid under"
                             r"|does not match|was expected|\$json|is not one of \[")


def creative(value: dict[str, Any] | None = None, welcome: Any = "Hi!") -> dict[str, Any]:
    link_data: dict[str, Any] = {
        "link": "https://shop.example/", "image_hash": "9f2c41d07be85a1e",
        "call_to_action": {"type": "MESSAGE_PAGE",
                           "value": value or {"app_destination": "MESSENGER"}},
        "page_welcome_message": welcome}
    return {"name": "Spring", "object_story_spec": {"page_id": PAGE, "link_data": link_data}}


def check(tmp_path: Path, value: Any, indent: int | None = 2) -> list[Diagnostic]:
    path = tmp_path / "payload.json"
    path.write_text(json.dumps(value, indent=indent), encoding="utf-8")
    return check_file(path).diagnostics


def with_story(**members: Any) -> dict[str, Any]:
    body = creative()
    body["object_story_spec"].update(members)
    return body


def test_a_member_close_to_a_known_name_is_a_warning_with_the_name(tmp_path: Path) -> None:
    found = check(tmp_path, with_story(instagram_user_ed="17841400000000000"))
    [d] = [d for d in found if d.code == "S008"]
    assert d.severity is Severity.WARNING
    assert d.message == "object_story_spec has no member 'instagram_user_ed'"
    assert d.help == "did you mean 'instagram_user_id'?"
    # at the key, with the fix writing the known name there
    text = (tmp_path / "payload.json").read_text(encoding="utf-8")
    line = text.splitlines()[d.span.line - 1]
    assert line[d.span.column - 1:d.span.end_column - 1] == '"instagram_user_ed"'
    assert d.fix is not None and d.fix.applicability == "safe"
    assert [e.content for e in d.fix.edits] == ['"instagram_user_id"']


def test_no_fix_when_the_meant_name_is_written_too(tmp_path: Path) -> None:
    ig = "17841400000000000"
    found = check(tmp_path, with_story(instagram_user_ed=ig, instagram_user_id=ig))
    [d] = [d for d in found if d.code == "S008"]
    assert d.severity is Severity.WARNING and d.fix is None


def test_a_member_adflow_does_not_model_is_info_not_checked(tmp_path: Path) -> None:
    found = check(tmp_path, with_story(zz_partner_ref="q4"))
    [d] = [d for d in found if d.code == "S008"]
    assert d.severity is Severity.INFO
    assert d.message == "object_story_spec.zz_partner_ref is not checked: adflow does not model it"


@pytest.mark.parametrize(("key", "meant"), [("phone_number", None), ("lnk", "link")])
def test_an_unknown_key_where_meta_refuses_unknown_keys_is_its_error(
        tmp_path: Path, key: str, meant: str | None) -> None:
    """call_to_action.value is closed by Meta itself ("Invalid keys phone_number
    were found in param call_to_action[value]"): there an unknown key is an
    error with Meta's words, a near miss still gets its name."""
    found = check(tmp_path, creative({"app_destination": "MESSENGER", key: "x"}))
    [d] = [d for d in found if d.code == "S008"]
    assert d.severity is Severity.ERROR
    assert d.message.startswith(
        f"object_story_spec.link_data.call_to_action.value has no member '{key}': "
        "Meta refuses a key it does not know here: Graph API error 100"), d.message
    assert (d.help == f"did you mean '{meant}'?") if meant else d.help is None


def test_one_finding_per_value_in_the_fields_words(tmp_path: Path) -> None:
    # A quick reply without its payload broke the schema three ways (a required
    # property, the if/then, the welcome's alternatives): one finding says it.
    welcome = json.dumps([{"message": {"text": "Pick one", "quick_replies": [
        {"content_type": "text", "title": "Cakes"}]}}])
    found = [d for d in check(tmp_path, creative(welcome=welcome)) if d.code == "S008"]
    assert [d.message for d in found] == [
        "object_story_spec.link_data.page_welcome_message[0].message"
        ".quick_replies[0] needs 'payload'"]
    assert not VALIDATOR_WORDS.search(found[0].message)


def test_the_documented_whatsapp_and_older_welcomes_are_no_errors(tmp_path: Path) -> None:
    welcomes = [
        {"type": "VISUAL_EDITOR", "version": 2, "landing_screen_type": "welcome_message",
         "media_type": "text",
         "text_format": {"customer_action_type": "autofill_message",
                         "message": {"text": "Hi", "autofill_message": {"content": "Hello"}}}},
        {"message": {"text": "Welcome back"}},
        {"type": "VISUAL_EDITOR", "version": 2, "landing_screen_type": "welcome_message",
         "media_type": "image", "image_format": {"customer_action_type": "quick_replies",
                                                 "message": {"text": "Pick", "quick_replies": [
                                                     {"content_type": "text", "title": "A"}]}}},
    ]
    for welcome in welcomes:
        found = check(tmp_path, creative(welcome=json.dumps(welcome)))
        assert [d for d in found if d.severity is Severity.ERROR] == [], welcome


def test_an_unknown_welcome_shape_is_not_checked_rather_than_rejected(tmp_path: Path) -> None:
    # WhatsApp's welcome message sequence shape: said once, not once per member.
    welcome = {"text": "Hi", "autofill_message": {"content": "Hello"},
               "ice_breakers": [{"title": "Menu?"}]}
    found = check(tmp_path, creative(welcome=json.dumps(welcome)))
    [d] = [d for d in found if d.code == "S008"]
    assert d.severity is Severity.INFO
    assert d.message == ("object_story_spec.link_data.page_welcome_message is a "
                         "welcome of a shape adflow does not model: not checked")


def test_an_ad_with_its_creative_inline_is_checked_as_a_creative(tmp_path: Path) -> None:
    ad = {"name": "Inline", "adset_id": "120211456789012345", "creative": creative()}
    assert check(tmp_path, ad) == []
    ad["creative"]["object_story_spec"]["page_id"] = 104729385612093  # an id as a number: fine
    assert check(tmp_path, ad) == []
    ad["creative"]["object_story_spec"]["page_id"] = "acme"
    [d] = check(tmp_path, ad)
    assert (d.code, d.severity) == ("S008", Severity.ERROR)
    assert d.message == ("creative.object_story_spec.page_id should be an id: its digits as "
                         'text ("1234567890") or a whole number, not "acme"')


def test_an_endpoint_adflow_does_not_model_is_info(tmp_path: Path) -> None:
    request = {"method": "POST", "path": f"{PAGE}/welcome_message_flows",
               "body": {"name": "Flow", "eligible_platforms": '["messenger"]',
                        "welcome_message_flow": '[{"message": {"text": "Hi"}}]'}}
    [d] = check(tmp_path, request)
    assert (d.code, d.severity) == ("S005", Severity.INFO)
    assert d.message == f"/{PAGE}/welcome_message_flows is not checked: adflow does not model " \
                        "this endpoint"


def test_a_batch_reference_inside_json_text_is_a_reference(tmp_path: Path) -> None:
    batch = [{"method": "POST", "name": "cr", "relative_url": "v25.0/act_1/adcreatives",
              "body": "object_story_spec=" + json.dumps(creative()["object_story_spec"])},
             {"method": "POST", "relative_url": "v25.0/act_1/ads",
              "body": "name=Ad&adset_id=120211456789012345"
                      '&creative={"creative_id":"{result=cr:$.id}"}'}]
    path = tmp_path / "batch.json"
    path.write_text(json.dumps(batch), encoding="utf-8")
    result = check_file(path)
    assert result.diagnostics == []
    assert result.document is not None
    assert result.document.requests[1].needs == ["creative.cr"]


def test_python_in_json_text_is_reported_where_it_shows(tmp_path: Path) -> None:
    features = "{'product_extensions': {'enroll_status': 'OPT_OUT'}}"
    body = creative() | {"degrees_of_freedom_spec": {"creative_features_spec": features}}
    text = json.dumps(body, indent=2)
    path = tmp_path / "payload.json"
    path.write_text(text, encoding="utf-8")
    [d] = [d for d in check_file(path).diagnostics if d.code == "S009"]
    line = text.splitlines()[d.span.line - 1]
    assert line[d.span.column - 1:d.span.end_column - 1] == "'"
    assert line[d.span.column - 3:d.span.column - 1] == '"{'  # just inside the string


def _printed_source_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if re.match(r" +(\d+)? \| ", line)]


def test_a_long_line_is_shown_as_a_window_around_the_span(tmp_path: Path) -> None:
    welcome = json.dumps({"type": "VISUAL_EDITOR", "version": 2,
                          "landing_screen_type": "welcome_message", "media_type": "text",
                          "text_format": {"message": {"text": "Hello! " * 60}}})
    path = tmp_path / "payload.json"
    path.write_text(json.dumps(creative(welcome=welcome)), encoding="utf-8")  # one line
    result = check_file(path)
    output = render_text([result], colour=False)
    shown = _printed_source_lines(output)
    assert shown and all(cells(line) <= MAX_WIDTH for line in shown)
    source, caret = shown[0], shown[1]
    at = caret.index("^")
    assert "..." in source and source[at:].startswith('\\"Hello! Hello!')


_LINE = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"),
                max_size=400)


@settings(max_examples=200, deadline=None)
@given(piece=_LINE, repeat=st.integers(1, 60), data=st.data())
def test_no_printed_source_line_is_wider_than_120_columns(piece: str, repeat: int,
                                                           data: st.DataObject) -> None:
    line = (piece * repeat)[:2000]  # long lines, of any characters (wide, controls, tabs)
    lines = data.draw(st.lists(_LINE, max_size=3)) + [line]
    text = "\n".join(lines)
    source = Source("any.json", text)
    number = len(lines)
    start = data.draw(st.integers(1, len(line) + 1))
    end = data.draw(st.integers(start, len(line) + 1))
    end_line = data.draw(st.sampled_from([number, number + 1]))
    from adflow.compiler.front.source import Span
    from adflow.compiler.pipeline import FileResult

    d = Diagnostic("S008", Severity.WARNING, "m", Span("any.json", number, start, end_line, end))
    output = render_text([FileResult("any.json", source, None, [d])], colour=False)
    for printed in _printed_source_lines(output):
        assert cells(printed) <= MAX_WIDTH, printed
    caret = _printed_source_lines(output)[-1]
    assert "^" in caret


def test_one_written_value_gets_one_finding_the_gravest(tmp_path: Path) -> None:
    """instagram_actor_id at the top of a creative: dead (an error) and not a
    parameter (a warning) are one cause; the error alone is reported there."""
    body = creative() | {"instagram_actor_id": "17841400000000001"}
    found = check(tmp_path, body, indent=None)
    at_key = [d for d in found if d.span.column > 1]
    spans = [d.span for d in at_key]
    assert len(spans) == len(set(spans)), [(d.code, d.message) for d in at_key]
    assert any(d.severity is Severity.ERROR for d in at_key)


def test_a_finding_in_a_welcome_written_as_an_object_points_at_its_value(tmp_path: Path) -> None:
    welcome = {"message": {"text": "Pick", "quick_replies": [{"content_type": "text",
                                                              "title": "Cakes"}]}}
    path = tmp_path / "payload.json"
    text = json.dumps(creative(welcome=welcome), indent=2)
    path.write_text(text, encoding="utf-8")
    [d] = [d for d in check_file(path).diagnostics if d.code == "S008"]
    assert text.splitlines()[d.span.line - 1].strip() == "{"
    assert text.splitlines()[d.span.line].strip() == '"content_type": "text",'


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=80),
                     lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=12)


@settings(max_examples=60, deadline=None)
@given(extra=st.dictionaries(st.sampled_from(["object_story_spec", "call_to_action", "name",
                                              "asset_feed_spec", "zz"]), _JSON, max_size=3),
       welcome=_JSON, as_text=st.booleans())
def test_checked_payloads_print_no_line_wider_than_120_columns(extra: dict[str, Any],
                                                               welcome: Any,
                                                               as_text: bool) -> None:
    from adflow.compiler.pipeline import check_source

    body = creative(welcome=json.dumps(welcome) if as_text else welcome) | extra
    source = Source("payload.json", json.dumps(body))  # one long line
    output = render_text([check_source(source)], colour=False)
    for printed in _printed_source_lines(output):
        assert cells(printed) <= MAX_WIDTH, printed


def test_every_bad_body_is_worded_by_adflow_not_the_validator() -> None:
    """The schema tests' bad bodies: each gets findings, none in jsonschema's
    words, a regular expression, or a marker of adflow's model."""
    from adflow.compiler.facts import endpoints as schemas
    from test_schemas import BAD

    for name, endpoint, body, *_ in BAD:
        found = schemas.findings(endpoint, body)
        assert found, name
        for finding in found:
            assert not VALIDATOR_WORDS.search(finding.message), (name, finding.message)
            assert not re.search(r"of the form|\$ref|\^|\\\\", finding.message), \
                (name, finding.message)


def test_a_bare_body_of_an_endpoint_adflow_does_not_model_is_info(tmp_path: Path) -> None:
    """A welcome_message_flows body on its own: known to be Meta's, so info;
    check passes and compile makes an empty plan, as for a request naming it."""
    from adflow.compiler.cli.main import main

    body = {"name": "Catering", "eligible_platforms": ["messenger"],
            "welcome_message_flow": [{"message": {"text": "Planning an event?"}}]}
    [d] = check(tmp_path, body)
    assert (d.code, d.severity) == ("S005", Severity.INFO)
    assert "/{page_id}/welcome_message_flows is not checked" in d.message
    path = str(tmp_path / "payload.json")
    assert main(["compile", path, "--emit", "json", "-o", str(tmp_path / "plan.json")]) == 0
    assert json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))["requests"] == []
    # JSON that is no Graph API body at all stays an error
    [d] = check(tmp_path, {"hello": "world"})
    assert (d.code, d.severity) == ("S005", Severity.ERROR)


def test_spans_inside_json_text_survive_every_escape() -> None:
    """\\/, \\u00e9, a surrogate pair, a raw é: each value inside the string
    maps back to exactly its own text in the file."""
    from adflow.compiler.front.jsonsrc import parse_json

    inner = '{"a\\\\/b":"x\\\\u00e9\\\\ud83d\\\\ude00y","t":"\u00e9z","n":[1,{"q":"w"}]}'
    source = Source("t.json", '{"targeting": "' + inner.replace('"', '\\"') + '"}')
    parsed = parse_json(source)
    assert not isinstance(parsed, Diagnostic)
    _, spans, _ = parsed

    def written(ptr: str) -> str:
        s = spans[ptr]
        return source.text[source.offset(s.line, s.column):source.offset(s.end_line, s.end_column)]

    assert written("/targeting/a~1b") == '\\"x\\\\u00e9\\\\ud83d\\\\ude00y\\"'
    assert written("/targeting/t") == '\\"\u00e9z\\"'
    assert written("/targeting/$json/n/1/q") == '\\"w\\"'


def test_a_finding_names_the_request_only_where_the_file_names_requests(tmp_path: Path) -> None:
    """A body alone in its file has no key ("creative.0" was never written);
    in a plan of several requests the key says which one."""
    bad = creative({"app_destination": "MESSENGER", "zz_partner_ref": "q4"})
    [alone] = [d.message for d in check(tmp_path, bad) if d.code == "S008"]
    assert alone.startswith("object_story_spec."), alone
    plan = {"format": "adflow.plan/1", "api_version": "v25.0", "requests": [
        {"key": "creative.spring", "method": "POST", "path": "act_1/adcreatives", "body": bad},
        {"key": "creative.ok", "method": "POST", "path": "act_1/adcreatives",
         "body": creative()}]}
    [named] = [d.message for d in check(tmp_path, plan) if d.code == "S008"]
    assert named.startswith("creative.spring: object_story_spec."), named


def test_a_findings_place_never_shows_the_json_text_marker(tmp_path: Path) -> None:
    """`$json` is how adflow holds a value sent as JSON text; the place a
    finding names (JSON and SARIF output, fingerprints) is the field's."""
    welcome = json.dumps({"type": "VISUAL_EDITOR", "version": 2, "text_format": {
        "customer_action_type": "ice_breakers", "message": {
            "text": "Hi", "ice_breakers": [{"title": "t" * 90, "response": "ok"}]}}})
    found = [d for d in check(tmp_path, creative(welcome=welcome)) if d.code == "C003"]
    assert found and all("$json" not in str(d.name) for d in found), found
    assert found[0].name is not None and found[0].name.endswith(
        "page_welcome_message/text_format/message/ice_breakers/0/title"), found[0].name


@pytest.mark.parametrize("domain", ["https://www.shop.example/checkout", "shop.example/cart",
                                    "shop example.com"])
def test_an_ads_conversion_domain_is_a_domain_not_a_url(tmp_path: Path, domain: str) -> None:
    # Ad reference: "only the first and second level domains, and not the full URL".
    ad = {"name": "Chat", "adset_id": "120200000000000001",
          "creative": {"creative_id": "120200000000000002"}}
    assert check(tmp_path, {**ad, "conversion_domain": "shop.example"}) == []
    [finding] = check(tmp_path, {**ad, "conversion_domain": domain})
    assert (finding.code, finding.severity) == ("S008", Severity.ERROR)
    assert finding.message == ("conversion_domain should be a domain alone, e.g. shop.example: "
                               "no https://, no path or query")
