"""Errors that find the cause: one finding per mistake, "did you mean" over
keywords too, an unclosed block reported at its brace, carets in cells."""

from __future__ import annotations

import pytest
from adflow.compiler.facts import facts
from adflow.compiler.findings.report import cells, render_text
from adflow.compiler.findings.suggest import suggest
from adflow.compiler.front.source import Source
from adflow.compiler.pipeline import check_source
from conftest import SAMPLES

FORM = """page acme 111222333444
lead_form quote on acme {{
  template_name "Quote request"
  privacy_url "https://acme.example/privacy"
  reminder "Still there?"
  intro "Hi!" -> interest
  {keyword} interest "Are you interested?" required {{
    "Yes"     -> phone
    "Not now" -> sorry
  }}
  question phone "Your number?" prefill PHONE -> thanks
  confirmation thanks "Thanks!"
  disqualify sorry "No problem."
}}
"""


def errors(text: str, path: str = "t.adflow") -> list[tuple[str, int, str, str | None]]:
    result = check_source(Source(path, text))
    return [(d.code, d.span.line, d.message, d.help) for d in result.diagnostics
            if d.severity.value == "error"]


@pytest.mark.parametrize("keyword", ["qustion", "Question", "questoin"])
def test_a_mistyped_step_keyword_is_one_finding(keyword: str) -> None:
    [(code, line, message, help)] = errors(FORM.format(keyword=keyword))
    assert (code, line) == ("S006", 7) and f"'{keyword}'" in message
    assert "question" in (help or "")


def test_a_mistyped_final_step_keyword_is_one_finding() -> None:
    text = FORM.format(keyword="question").replace("  disqualify sorry", "  disqualified sorry")
    assert errors(text) == [("S006", 13, "unknown field 'disqualified' in lead_form 'quote'",
                             "did you mean 'disqualify'?")]


def test_unknown_field_lists_step_keywords() -> None:
    text = FORM.format(keyword="question").replace('  reminder "', '  xyzzy 1\n  reminder "')
    [(_, _, _, help)] = errors(text)
    assert help is not None and "known here:" in help
    for word in ("intro", "question", "confirmation", "disqualify", "template_name"):
        assert word in help


@pytest.mark.parametrize("word, candidates, expected, help", [
    ("LEADS", facts.NEW_CAMPAIGN_OBJECTIVES, "OUTCOME_LEADS", "did you mean 'OUTCOME_LEADS'?"),
    ("OUTCOME_LEAD", facts.OBJECTIVES, "OUTCOME_LEADS", "did you mean 'OUTCOME_LEADS'?"),
    ("phone", facts.LEAD_FORM_PREFILL_TYPES, "PHONE", "use upper case: PHONE"),
    ("us", facts.COUNTRY_CODES, "US", "use upper case: US"),
    ("Question", ["intro", "question", "confirmation", "disqualify"], "question",
     "use lower case: question"),
    ("disqualified", ["intro", "question", "confirmation", "disqualify"], "disqualify",
     "did you mean 'disqualify'?"),
])
def test_suggestions(word: str, candidates: list[str], expected: str, help: str) -> None:
    found = suggest(word, candidates)
    assert found is not None and found.clear
    assert (found.name, found.help) == (expected, help)


def test_no_clear_suggestion_when_two_are_as_close() -> None:
    found = suggest("AB", ["AC", "AD"])
    assert found is None or not found.clear


def test_enum_case_and_affix_hints_in_findings() -> None:
    text = ("account act_1234567890\npage acme 111222333444\n"
            "campaign spring {\n  objective LEADS\n  special_ad_categories [NONE]\n}\n"
            "adset us in spring {\n  optimization_goal LEAD_GENERATION\n"
            "  destination MESSENGER\n  promoted_page acme\n  daily_budget 2000\n"
            "  targeting { countries [us] }\n}\n")
    found = {(code, line): help for code, line, _, help in errors(text)}
    assert found[("A001", 4)] == "did you mean 'OUTCOME_LEADS'?"
    assert found[("A009", 12)] == "use upper case: US"


def test_prefill_type_gets_upper_case_hint() -> None:
    text = FORM.format(keyword="question").replace("prefill PHONE", "prefill phone")
    [(code, line, _, help)] = errors(text)
    assert (code, line, help) == ("F017", 11, "use upper case: PHONE")


def test_equals_sign_and_slash_comment_get_hints() -> None:
    text = ('account act_1234567890\ncampaign c {\n  objective OUTCOME_LEADS\n'
            '  template_name = "x"\n  // comment\n  special_ad_categories [NONE]\n}\n')
    found = errors(text)
    assert [(c, line, m) for c, line, m, _ in found] == [
        ("S001", 4, "unexpected '=': fields take no `=`"),
        ("S001", 5, "unexpected '//': comments start with `#`")]


def test_unknown_top_level_keyword_suggests() -> None:
    [(code, line, message, help)] = errors("account act_1\ncampain c {\n  objective X\n}\n")
    assert (code, line, help) == ("S001", 2, "did you mean 'campaign'?")
    assert message.startswith("unknown keyword 'campain'")


def test_unclosed_block_is_reported_at_its_brace_and_later_objects_are_checked() -> None:
    text = ("account act_1234567890\n"
            "campaign spring {\n  objective OUTCOME_LEADS\n  special_ad_categories [NONE]\n"
            "  adset_budget_sharing false\n\n"
            "campaign summer {\n  objectve OUTCOME_LEADS\n  special_ad_categories [NONE]\n"
            "  adset_budget_sharing false\n}\n")
    result = check_source(Source("t.adflow", text))
    found = [(d.code, d.span.line, d.span.column, d.message) for d in result.diagnostics]
    assert found == [
        ("S001", 2, 17, "unclosed `{`: the block is never closed"),
        ("S006", 8, 3, "unknown field 'objectve' in campaign 'summer'")]


def test_unclosed_nested_blocks_each_reported() -> None:
    text = ("account act_1\nadset a in c {\n  targeting {\n    countries [US]\n"
            "campaign c {\n  objective OUTCOME_LEADS\n}\n")
    found = [(d.code, d.span.line, d.span.column) for d in
             check_source(Source("t.adflow", text)).diagnostics if d.code == "S001"]
    assert found == [("S001", 2, 14), ("S001", 3, 13)]


def test_cells() -> None:
    assert cells("abc") == 3
    assert cells("🦷 急诊") == 7
    assert cells("e\u0301") == 1  # e + combining acute accent


def test_caret_counts_display_cells() -> None:
    text = ('page acme 111222333444\nlead_form quote on acme {\n  template_name "Q"\n'
            '  privacy_url "https://acme.example/privacy"\n  reminder "R"\n'
            '  intro "🦷 急诊" -> bad\n  confirmation thanks "T"\n}\n')
    result = check_source(Source("t.adflow", text))
    report = render_text([result], colour=False).splitlines()
    at = next(i for i, line in enumerate(report) if "F004" in line)
    shown, caret = report[at + 1], report[at + 2]
    bar = shown.index("|") + 2
    under = shown[bar:]
    start = cells(under[:under.index("bad")])
    assert caret[bar:].startswith(" " * start + "^^^ error")


def test_a_misspelt_step_name_is_one_finding() -> None:
    text = FORM.format(keyword="question").replace("-> phone", "-> phon")
    [(code, line, message, help)] = errors(text)
    assert (code, line, help) == ("F004", 8, "did you mean 'phone'?")


def test_an_unterminated_string_in_an_unclosed_block_ends_on_its_own_line() -> None:
    # Recovery adds `}` at the end of the block's last line; a finding that
    # runs to that line's end must still end inside the line as written
    # (found by test_random_edits_of_samples_never_raise).
    text = 'campaign spring {\n  objective OUTCOME_LEADS\n  name "}\n'
    result = check_source(Source("u.adflow", text))
    unterminated = [d for d in result.diagnostics if d.message.startswith("unterminated")]
    assert [(d.span.line, d.span.column, d.span.end_column) for d in unterminated] == [(3, 8, 10)]
    (edit,) = unterminated[0].fix.edits  # type: ignore[union-attr]
    assert (edit.span.line, edit.span.column) == (3, 10)


def test_a_block_closed_by_recovery_keeps_its_findings_on_the_lines_as_written() -> None:
    # The `}` recovery adds at a line's end is not in the file: a rule's
    # finding about the block (F014 here) must not end past that line
    # (found by the fuzz profile of test_random_edits_of_samples_never_raise).
    sample = (SAMPLES / "broken" / "flow_mistakes.adflow").read_text(encoding="utf-8")
    text = sample.replace("  question early", "  q{uestion early", 1)
    result = check_source(Source("c.adflow", text))
    lines = text.split("\n")
    assert result.diagnostics
    for d in result.diagnostics:
        assert d.span.end_column <= len(lines[d.span.end_line - 1]) + 1, d


# -- advice that leads somewhere ----------------------------------------------------------------

CREATIVE = ('account act_1234567890\npage acme 111222333444\ncreative x {{\n  page acme\n'
            '  {line}\n  call_to_action MESSAGE_PAGE -> MESSENGER\n}}\n')


def only_fix(text: str) -> str:
    """The file after the one fix its findings carry, checked again."""
    from adflow.compiler.findings.fixes import apply

    source = Source("t.adflow", text)
    fixes = [d.fix for d in check_source(source).diagnostics if d.fix is not None]
    assert len(fixes) == 1, fixes
    return apply(source, fixes[0])


@pytest.mark.parametrize(("value", "member"), [('"https://acme.example/a.jpg"', "url"),
                                               ('"9f1c2e"', "hash")])
def test_an_image_with_a_bare_value_names_the_members_and_the_fix_is_valid(
        value: str, member: str) -> None:
    text = CREATIVE.format(line=f"image {value}")
    [(code, line, message, help)] = errors(text)
    assert (code, line) == ("S007", 5)
    assert "hash" in message and "url" in message, message
    assert help is not None and f"image {member} {value}" in help
    fixed = only_fix(text)
    assert f"image {member} {value}" in fixed and errors(fixed) == []


def test_the_image_url_fix_leads_to_a_valid_file() -> None:
    text = CREATIVE.format(line='image_url "https://acme.example/a.jpg"')
    [(code, line, _, help)] = errors(text)  # one finding, not one for the fix's own result
    assert (code, line) == ("S006", 5)
    assert help is not None and 'image url "..."' in help
    fixed = only_fix(text)
    assert 'image url "https://acme.example/a.jpg"' in fixed and errors(fixed) == []


def test_a_colon_after_a_field_is_explained_and_fixed() -> None:
    text = 'account act_1\nad a {\n  adset: mx\n  creative c\n}\n'
    [(code, line, message, help)] = errors(text)
    assert (code, line, message) == ("S001", 3, "unexpected ':': fields take no `:`")
    assert help == "write `adset mx`"
    assert "adset mx" in only_fix(text)


def test_a_colon_after_an_object_keyword_says_what_the_object_looks_like() -> None:
    [(code, line, message, help)] = errors("account act_1\nadset: mx\n")
    assert (code, line) == ("S001", 2)
    assert help is not None and "adset NAME in CAMPAIGN {" in help, (message, help)


def test_a_boolean_field_with_another_word_says_true_or_false() -> None:
    text = ('account act_1\ncampaign c {\n  objective OUTCOME_LEADS\n'
            '  special_ad_categories [NONE]\n  adset_budget_sharing no\n}\n')
    [(code, line, message, help)] = errors(text)
    assert line == 5
    assert message == "adset_budget_sharing takes true or false, not 'no'", (code, message)
    assert "schema" not in message and "/is_adset" not in message


def test_the_colon_fix_keeps_a_string_with_a_hash_or_a_brace_whole() -> None:
    """The value after the colon is read in tokens: `#` and `}` inside its
    string are text, not a comment or the block's end."""
    text = 'account act_1\ncampaign c {\n  name: "a#b}" # note\n}\n'
    [(code, line, message, help)] = errors(text)
    assert (code, line, help) == ("S001", 3, 'write `name "a#b}"`')


def test_a_backslash_at_a_lines_end_does_not_carry_a_string_into_the_next_line() -> None:
    """As Lark reads it, the string left open ends with its line: recovery
    reads the `{` on the next line as a brace, as the parser does."""
    text = 'campaign c {\n  x "a\\\n  {" \n}\n'
    found = [(code, line, message) for code, line, message, _ in errors(text)]
    assert ("S001", 1, "unclosed `{`: the block is never closed") in found
