"""The editor features as pure functions of the text (compiler/editor/symbols.py):
positions, the outline, completion, hover, names, formatting and fix edits."""

from __future__ import annotations

from pathlib import Path

import pytest
from adflow.compiler.bodies.fields import AD, ADSET, CAMPAIGN, CREATIVE, STEP_TYPES
from adflow.compiler.editor import symbols as editor
from adflow.compiler.editor.fmt import format_text
from adflow.compiler.facts.adsets import OPTIMIZATION_GOALS
from adflow.compiler.facts.goals import goals_for
from adflow.compiler.facts.versions import VERSIONS
from adflow.compiler.front import ast
from adflow.compiler.front.dsl import parse_file
from adflow.compiler.front.source import Source, Span, read
from adflow.compiler.pipeline import check_source
from conftest import SAMPLES
from hypothesis import given
from hypothesis import strategies as st

CLEAN = sorted(SAMPLES.glob("*.adflow"))

TWO_FORMS = """api v25.0
account act_1
page acme 111222333444

lead_form quote on acme {
  template_name "Quote"
  privacy_url "https://acme.example/privacy"
  reminder "Still there?"
  intro "Hi!" -> city
  question city "Which city?" prefill CITY required -> thanks
  confirmation thanks "Thanks!"
}

lead_form other on acme {
  template_name "Other"
  privacy_url "https://acme.example/privacy"
  reminder "Still there?"
  intro "Hello" -> thanks
  confirmation thanks "Bye"
}

campaign spring {
  objective OUTCOME_LEADS
  special_ad_categories [NONE]
  adset_budget_sharing false
}

adset spring_us in spring {
  destination MESSENGER
  optimization_goal LEAD_GENERATION
  promoted_page acme
  targeting {
    countries [US, CA]
  }
}

creative spring_image {
  page acme
  image hash "abc123"
  headline "Spring"
  call_to_action MESSAGE_PAGE -> MESSENGER
  welcome lead_form quote
}

ad spring_ad {
  adset spring_us
  creative spring_image
}
"""


def at(text: str, needle: str, after: int = 0, nth: int = 0) -> tuple[int, int]:
    """The 1-based (line, column) `after` characters into the nth `needle`."""
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(needle, offset + 1)
    offset += after
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def labels(text: str, line: int, column: int) -> list[str]:
    return [c.label for c in editor.complete(editor.outline("t.adflow", text), line, column)]


def apply(text: str, edits: list[tuple[Span, str]]) -> str:
    source = Source("t", text)
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]

    def offset(line: int, column: int) -> int:
        return starts[line - 1] + column - 1 if line <= len(starts) else len(text)

    for span, content in sorted(edits, key=lambda e: (e[0].line, e[0].column), reverse=True):
        text = text[:offset(span.line, span.column)] + content + \
            text[offset(span.end_line, span.end_column):]
    assert source  # the edits were made against this text
    return text


# -- positions ---------------------------------------------------------------------------------

@pytest.mark.parametrize("line_text, column, units", [
    ('  question x "🦷 急诊" -> x', 24, 24),  # 23 code points before, the emoji two units
    ('"急诊" x', 6, 5),  # CJK characters are one unit each
    ("🦷🦷x", 3, 4),
    ("plain", 3, 2),
])
def test_utf16_columns_round_trip(line_text: str, column: int, units: int) -> None:
    assert editor.utf16_column(line_text, column) == units
    assert editor.column_of_utf16(line_text, units) == column


# -- the outline agrees with the parser ---------------------------------------------------------

@pytest.mark.parametrize("path", CLEAN, ids=lambda p: p.name)
def test_outline_finds_what_the_parser_finds(path: Path) -> None:
    source = read(path)
    tree, _ = parse_file(source)
    assert tree is not None
    out = editor.outline(str(path), source.text)
    expected = set()
    for decl in tree.decls:
        if isinstance(decl, (ast.PageDecl, ast.ObjectDecl)):
            expected.add((decl.kind, decl.name.text, decl.name.span.line, decl.name.span.column))
        if isinstance(decl, ast.ObjectDecl) and decl.kind == "lead_form":
            for m in decl.block.members:
                if isinstance(m, ast.Member) and isinstance(m.head, ast.Ident) and \
                        m.head.text in STEP_TYPES and m.args and isinstance(m.args[0], ast.Ident):
                    expected.add(("step", m.args[0].text, m.args[0].span.line,
                                  m.args[0].span.column))
    found = {(s.kind, s.name, s.span.line, s.span.column) for s in out.symbols
             if not (s.kind == "step" and s.step_kind == "intro")}
    assert found == expected
    # Every use of a name in a clean sample finds its definition.
    assert out.references
    assert all(out.target(r) is not None for r in out.references), [
        r for r in out.references if out.target(r) is None]


def test_object_extents_reach_their_closing_brace() -> None:
    out = editor.outline("t", TWO_FORMS)
    quote = next(s for s in out.symbols if s.name == "quote" and s.kind == "lead_form")
    assert (quote.extent.line, quote.extent.end_line) == (5, 12)


@pytest.mark.parametrize("block, field, kind", [
    (block, field, kinds[0]) for (block, field), kinds in editor.REFERENCE_FIELDS.items()])
def test_reference_fields_are_references_to_the_resolver(block: str, field: str,
                                                         kind: str) -> None:
    """Each field the editor treats as a reference is one the resolver looks up."""
    table = {"adset": ADSET, "creative": CREATIVE, "ad": AD, "campaign": CAMPAIGN}[block]
    assert field in table
    parent = " in 1" if block == "adset" else ""
    text = f"account act_1\n{block} x{parent} {{\n  {field} nowhere\n}}\n"
    result = check_source(Source("t.adflow", text))
    assert any(d.code == "R001" and d.span.line == 3 and f"expected a {kind}" in d.message
               for d in result.diagnostics), result.diagnostics


def test_every_field_has_a_meaning() -> None:
    fields = {(block, f) for block, names in editor.FIELDS.items() for f in names
              if f not in STEP_TYPES or block == "lead_form"}
    assert fields == set(editor.FIELD_HELP)


# -- completion ----------------------------------------------------------------------------------

def test_completes_keywords_and_fields_where_they_go() -> None:
    assert labels(TWO_FORMS, 4, 1)[:3] == ["api", "account", "page"]
    assert "objective" in labels(TWO_FORMS, *at(TWO_FORMS, "objective"))
    in_form = labels(TWO_FORMS, *at(TWO_FORMS, "template_name"))
    assert {"question", "confirmation", "privacy_url"} <= set(in_form)
    assert "objective" not in in_form
    assert labels(TWO_FORMS, *at(TWO_FORMS, "countries")) == list(editor.FIELDS["targeting"])


def test_completes_enum_values_from_the_facts() -> None:
    objectives = labels(TWO_FORMS, *at(TWO_FORMS, "OUTCOME_LEADS"))
    assert objectives[:6] == sorted(o for o in objectives if o.startswith("OUTCOME_"))
    assert "LEAD_GENERATION" in objectives  # legacy ones still complete, after
    countries = labels(TWO_FORMS, *at(TWO_FORMS, "CA]"))
    assert "US" in countries and "NL" in countries and len(countries) == 250
    assert labels(TWO_FORMS, *at(TWO_FORMS, "CITY")) == ["CITY", "EMAIL", "PHONE"]
    assert "MESSAGE_PAGE" in labels(TWO_FORMS, *at(TWO_FORMS, "MESSAGE_PAGE"))
    assert labels(TWO_FORMS, *at(TWO_FORMS, "MESSENGER\n  welcome")) == [
        "INSTAGRAM_DIRECT", "MESSENGER", "WHATSAPP"]


def test_goals_that_fit_the_campaign_and_destination_come_first() -> None:
    goals = labels(TWO_FORMS, *at(TWO_FORMS, "LEAD_GENERATION\n"))
    fitting = goals_for("OUTCOME_LEADS", "MESSENGER")
    assert {"LEAD_GENERATION", "QUALITY_LEAD"} <= fitting
    assert set(goals[:len(fitting)]) == fitting and len(goals) == len(OPTIMIZATION_GOALS)


def test_completes_step_names_of_the_same_form_after_an_arrow() -> None:
    """Only the steps a forward jump reaches: those written after the arrow's step."""
    assert labels(TWO_FORMS, *at(TWO_FORMS, "-> city", 3)) == ["city", "thanks"]
    assert labels(TWO_FORMS, *at(TWO_FORMS, "-> thanks", 3)) == ["thanks"]
    assert labels(TWO_FORMS, *at(TWO_FORMS, "-> thanks", 3, nth=1)) == ["thanks"]


def test_completes_names_where_a_reference_goes() -> None:
    assert labels(TWO_FORMS, *at(TWO_FORMS, "acme {", nth=0)) == ["acme"]
    assert labels(TWO_FORMS, *at(TWO_FORMS, "spring {", nth=1)) == ["spring"]
    assert labels(TWO_FORMS, *at(TWO_FORMS, "spring_us\n")) == ["spring_us"]
    assert labels(TWO_FORMS, *at(TWO_FORMS, "spring_image\n}", nth=0)) == ["spring_image"]
    assert labels(TWO_FORMS, *at(TWO_FORMS, "quote\n}")) == ["quote", "other"]
    half = "lead_form x on "
    assert labels(half, 1, len(half) + 1) == ["acme"] or labels(half, 1, len(half) + 1) == []


def test_completion_works_in_a_file_that_does_not_parse() -> None:
    broken = TWO_FORMS.replace("  objective OUTCOME_LEADS\n", "  objective \n  = oops [\n")
    assert check_source(Source("t.adflow", broken)).document is None
    line, _ = at(broken, "objective")
    assert "OUTCOME_SALES" in labels(broken, line, len("  objective ") + 1)


# -- hover

def test_hover_on_a_field_gives_its_meaning_and_graph_api_field() -> None:
    out = editor.outline("t.adflow", TWO_FORMS)
    document = check_source(Source("t.adflow", TWO_FORMS)).document
    text = editor.hover(out, *at(TWO_FORMS, "headline", 2), document)
    assert text is not None
    assert "headline" in text and "`adcreatives object_story_spec/link_data/name`" in text
    countries = editor.hover(out, *at(TWO_FORMS, "countries", 1), document)
    assert countries is not None and "`adsets targeting/geo_locations/countries`" in countries
    assert "Graph API" not in (editor.hover(out, *at(TWO_FORMS, "headline", 2)) or "x Graph API")


def test_hover_on_values_and_names() -> None:
    out = editor.outline("t.adflow", TWO_FORMS)
    objective = editor.hover(out, *at(TWO_FORMS, "OUTCOME_LEADS", 2))
    assert objective is not None and "New campaigns take it" in objective
    legacy_text = TWO_FORMS.replace("OUTCOME_LEADS", "LEAD_GENERATION")
    legacy = editor.hover(editor.outline("t", legacy_text), *at(legacy_text, "LEAD_GENERATION"))
    assert legacy is not None and "legacy" in legacy
    goal = editor.hover(out, *at(TWO_FORMS, "LEAD_GENERATION", 1))
    assert goal is not None and "OUTCOME_LEADS -> MESSENGER" in goal
    step = editor.hover(out, *at(TWO_FORMS, "-> city", 4))
    assert step is not None and "Which city?" in step and "quote" in step
    prefill = editor.hover(out, *at(TWO_FORMS, "CITY"))
    assert prefill is not None and "profile" in prefill
    assert editor.hover(out, *at(TWO_FORMS, "Spring\"", 1)) is None  # inside a string


# -- names

def test_definition_and_references_of_a_step_stay_in_its_form() -> None:
    out = editor.outline("t", TWO_FORMS)
    second = at(TWO_FORMS, "-> thanks", 4, nth=1)
    assert editor.definition(out, *second) == Span("t", 19, 16, 19, 22)
    assert [s.line for s in editor.references(out, *second)] == [19, 18]


def test_rename_a_step_changes_every_use_in_its_form_only() -> None:
    out = editor.outline("t", TWO_FORMS)
    edits = editor.rename(out, *at(TWO_FORMS, "thanks \""), "done")
    renamed = apply(TWO_FORMS, edits)
    assert "-> done\n  confirmation done" in renamed
    assert 'intro "Hello" -> thanks\n  confirmation thanks "Bye"' in renamed
    assert check_source(Source("t.adflow", renamed)).errors == 0


def test_rename_an_object_changes_every_reference() -> None:
    out = editor.outline("t", TWO_FORMS)
    renamed = apply(TWO_FORMS, editor.rename(out, *at(TWO_FORMS, "spring_us", 1), "spring_nl"))
    assert renamed.count("spring_nl") == 2 and "spring_us" not in renamed
    renamed = apply(TWO_FORMS, editor.rename(out, *at(TWO_FORMS, "acme", 1), "shop"))
    assert renamed.count("shop") == 5 and "acme " not in renamed.split("\n")[2]
    assert check_source(Source("t.adflow", renamed)).errors == 0


@pytest.mark.parametrize("new_name, problem", [
    ("city", "already defined"), ("2x", "not a name"), ("question", "not a name"),
])
def test_rename_refuses_what_would_break_the_file(new_name: str, problem: str) -> None:
    out = editor.outline("t", TWO_FORMS)
    with pytest.raises(editor.RenameError, match=problem):
        editor.rename(out, *at(TWO_FORMS, "thanks \""), new_name)


def test_document_symbols_are_the_objects_with_their_steps() -> None:
    tops = editor.document_symbols(editor.outline("t", TWO_FORMS))
    assert [(s.kind, s.name) for s, _ in tops] == [
        ("page", "acme"), ("lead_form", "quote"), ("lead_form", "other"), ("campaign", "spring"),
        ("adset", "spring_us"), ("creative", "spring_image"), ("ad", "spring_ad")]
    assert [s.name for s in tops[1][1]] == ["intro", "city", "thanks"]


# -- edits

@pytest.mark.parametrize("path", CLEAN, ids=lambda p: p.name)
def test_line_edits_turn_a_text_into_its_formatted_form(path: Path) -> None:
    messy = "\n\n" + path.read_text(encoding="utf-8").replace("  ", "   ").replace(
        " {\n", "   {\n\n\n") + "\n\n"
    formatted = format_text(messy)
    assert formatted != messy
    assert apply(messy, editor.line_edits(messy, formatted)) == formatted


@pytest.mark.parametrize("old, new", [
    ("a\nb\n", "a\nb"), ("a\nb", "a\nb\n"), ("a\n", "x\na\n"), ("a\nb\nc\n", "a\nc\n"),
    ("", "a\n"), ("a\n\n\n", "a\n"),
])
def test_line_edits_at_the_ends_of_a_text(old: str, new: str) -> None:
    assert apply(old, editor.line_edits(old, new)) == new


def test_inside_blocks_without_a_table_nothing_is_guessed() -> None:
    text = TWO_FORMS.replace("  welcome lead_form quote\n",
                             '  welcome ice_breakers "Hi" {\n    \n  }\n')
    line, _ = at(text, '"Hi" {')
    assert labels(text, line + 1, 5) == []


def test_quick_reply_answers_complete_steps_after_their_arrow() -> None:
    text = TWO_FORMS.replace('prefill CITY required -> thanks',
                             'required {\n    "Yes" -> \n  }')
    line, _ = at(text, '"Yes" -> ')
    assert labels(text, line, len('    "Yes" -> ') + 1) == ["thanks"]  # after the question
    assert labels(text, line, 5) == []  # the answer itself is free text


def test_the_name_to_rename_is_the_one_under_the_cursor() -> None:
    out = editor.outline("t", TWO_FORMS)
    assert editor.name_span(out, *at(TWO_FORMS, "-> city", 5)) == Span("t", 9, 18, 9, 22)
    assert editor.name_span(out, *at(TWO_FORMS, "template_name")) is None


SAMPLE_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.rglob("*.adflow"))]


@given(st.sampled_from(SAMPLE_TEXTS), st.lists(st.tuples(
    st.floats(0, 1), st.integers(0, 12), st.sampled_from(['', '{', '}', '"', '->', '\n', 'x ',
                                                          '🦷', '[', '#', '\\', ' on ']))),
    st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)), min_size=1, max_size=5))
def test_features_never_fail_on_text_being_typed(
        text: str, edits: list[tuple[float, int, str]],
        cursors: list[tuple[float, float]]) -> None:
    """Any text an editor may hold mid-edit: every feature answers, none raises."""
    for where, cut, insert in edits:
        at_ = int(where * len(text))
        text = text[:at_] + insert + text[at_ + cut:]
    out = editor.outline("t.adflow", text)
    for line_at, column_at in cursors:
        line = 1 + int(line_at * (len(out.lines) - 1))
        column = 1 + int(column_at * len(out.lines[line - 1]))
        editor.complete(out, line, column)
        editor.hover(out, line, column)
        editor.definition(out, line, column)
        editor.references(out, line, column)
        try:
            edits_ = editor.rename(out, line, column, "renamed")
        except editor.RenameError:
            continue
        assert all(content == "renamed" for _, content in edits_)
    editor.document_symbols(out)


def test_api_versions_complete_and_explain_themselves() -> None:
    versions = labels("api ", 1, 5)
    assert versions[0] == max(VERSIONS.values(), key=lambda v: v.numbers).name
    assert set(versions) == set(VERSIONS)
    text = editor.hover(editor.outline("t", TWO_FORMS), 1, 6)
    info = VERSIONS["v25.0"]
    assert text is not None and info.released in text
    assert info.expires is not None and info.expires in text


def test_a_steps_message_is_decoded_as_the_compiler_decodes_it() -> None:
    """The hover shows the text the person will read: escapes decoded by the
    same decoder the parsers use (`\\u00e9` is é, not "u00e9")."""
    text = 'lead_form f on p {\n  question city "Caf\\u00e9 \\"ok\\"?" -> t\n}\n'
    out = editor.outline("t", text)
    hover = editor.hover(out, 2, 13)
    assert hover is not None and '> Café "ok"?' in hover


def test_the_api_version_is_one_word_for_hover() -> None:
    out = editor.outline("t", "api v25.0\n")
    assert [t.text for t in editor.tokens("api v25.0", 1)] == ["api", "v25.0"]
    hover = editor.hover(out, 1, 9)  # on the `0` of `.0`
    assert hover is not None and hover.startswith("**v25.0**")
