"""Hypothesis: well-formed lead forms check clean, mutations give the
expected codes, and no text at all makes `check` raise."""

from __future__ import annotations

from importlib import resources

from adflow.compiler.front.source import Source
from adflow.compiler.pipeline import FileResult, Limits, check_source
from adflow.compiler.rules.flow import F019
from adflow.compiler.rules.security import BIDI_CONTROLS
from conftest import SAMPLES
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark
from lark import Lark

HEADER = ('api v23.0\npage acme 111222333444\nlead_form f on acme {\n  template_name "T"\n'
          '  privacy_url "https://acme.example/privacy"\n  reminder "R"\n')

# Bidi controls in a string are a warning (X003) even in a well-formed form.
answer_text = st.text(st.characters(codec="utf-8",
                                    exclude_characters='"\\\n\r' + BIDI_CONTROLS),
                      min_size=1, max_size=12).filter(lambda s: s.strip())


@st.composite
def lead_forms(draw: st.DrawFn) -> list[str]:
    """Step lines of a valid form: every step reachable, arrows only forward."""
    n = draw(st.integers(0, 10))
    names = [f"s{i}" for i in range(n)] + ["done"]
    disqualify = n > 0 and draw(st.booleans())
    lines = [f'  intro "Hi" -> {names[0]}']
    for i in range(n):
        later = names[i + 1:] + (["out"] if disqualify else [])
        kind = draw(st.sampled_from(["text", "prefill", "replies"]))
        if i == 0 and disqualify:
            kind = "replies"
        if kind == "text":
            lines.append(f'  question s{i} "Q{i}?" -> {names[i + 1]}')
        elif kind == "prefill":
            prefill = draw(st.sampled_from(["CITY", "EMAIL", "PHONE"]))
            extra = draw(st.sampled_from(["", " required", " optional validate"]))
            lines.append(f'  question s{i} "Q{i}?" prefill {prefill}{extra} -> {names[i + 1]}')
        else:
            answers = draw(st.lists(answer_text, min_size=2, max_size=4,
                                    unique_by=lambda s: s.strip().casefold()))
            targets = [names[i + 1]] + [draw(st.sampled_from(later)) for _ in answers[1:]]
            if i == 0 and disqualify:
                targets[-1] = "out"
            lines.append(f'  question s{i} "Q{i}?" {{')
            lines += [f'    "{a}" -> {t}' for a, t in zip(answers, targets, strict=True)]
            lines.append("  }")
    lines.append('  confirmation done "Thanks!"')
    if disqualify:
        lines.append('  disqualify out "Sorry."')
    return lines


def checked(lines: list[str]) -> FileResult:
    text = HEADER + "\n".join(lines) + "\n}\n"
    result = check_source(Source("f.adflow", text))
    assert_spans_inside(result, text)
    return result


def codes(lines: list[str]) -> set[str]:
    return {d.code for d in checked(lines).diagnostics}


def assert_spans_inside(result, text: str) -> None:  # type: ignore[no-untyped-def]
    lines = text.split("\n")
    for d in result.diagnostics:
        s = d.span
        assert 1 <= s.line <= s.end_line <= len(lines)
        assert 1 <= s.column <= len(lines[s.line - 1]) + 1
        assert (s.end_line, s.end_column) >= (s.line, s.column)
        assert s.end_column <= len(lines[s.end_line - 1]) + 1


# Warnings about the paths, not mistakes: random forms often have them.
PATH_CODES = {"F018", "F019"}


@given(lead_forms())
def test_well_formed_forms_check_clean(lines: list[str]) -> None:
    assert codes(lines) - PATH_CODES == set()


def walk_all_paths(steps: list[dict]) -> tuple[bool, int]:
    """By brute force over every path (memoised per step and state): does a
    path reach CONFIRMATION with no phone or email question, and the most
    questions a path asks."""
    by_id = {s["step_id"]: s for s in steps}
    memo: dict[tuple[str, bool], tuple[bool, int]] = {}

    def walk(step: dict, contact: bool) -> tuple[bool, int]:
        key = (step["step_id"], contact)
        if key not in memo:
            contact = contact or step.get("prefill_type") in ("EMAIL", "PHONE")
            asked = int(step["step_type"] == "QUESTION")
            if step["step_type"] in ("CONFIRMATION", "DISQUALIFY"):
                memo[key] = (step["step_type"] == "CONFIRMATION" and not contact, asked)
            else:
                targets = step["next_step_ids"]
                following = targets if isinstance(targets, list) else [targets]
                onward = [walk(by_id[t], contact) for t in dict.fromkeys(following)]
                memo[key] = (any(bare for bare, _ in onward), asked + max(n for _, n in onward))
        return memo[key]

    return walk(steps[0], False)


@given(lead_forms(), st.integers(1, 10))
def test_path_warnings_match_brute_force(lines: list[str], limit: int) -> None:
    result = checked(lines)
    assert result.document is not None
    steps = result.document.requests[0].body["step_list"]
    bare, most = walk_all_paths(steps)
    assert ("F018" in {d.code for d in result.diagnostics}) == bare
    long_path = {d.code for d in F019.run(result.document, Limits(max_questions=limit))}
    assert bool(long_path) == (most > limit)


@given(lead_forms(), st.data())
def test_pointing_an_arrow_back_is_f003(lines: list[str], data: st.DataObject) -> None:
    arrows = [i for i, line in enumerate(lines) if "-> " in line and i > 0]
    if not arrows:
        return  # the form has no questions: nothing can jump back
    i = data.draw(st.sampled_from(arrows))
    # Point it at the intro's target: always this step or an earlier one.
    first = lines[0].rsplit("-> ", 1)[1]
    lines[i] = lines[i].rsplit("-> ", 1)[0] + "-> " + first
    assert "F003" in codes(lines)


@given(lead_forms())
def test_dropping_the_confirmation_is_f002(lines: list[str]) -> None:
    lines = [line for line in lines if not line.startswith("  confirmation")]
    assert {"F002", "F004"} <= codes(lines)


@given(lead_forms())
def test_dropping_the_intro_is_f001(lines: list[str]) -> None:
    assert "F001" in codes(lines[1:])


@given(lead_forms(), st.data())
def test_duplicating_a_step_name_is_f008(lines: list[str], data: st.DataObject) -> None:
    questions = [line for line in lines if line.startswith("  question") and "{" not in line]
    if not questions:
        return
    line = data.draw(st.sampled_from(questions))
    lines.insert(lines.index(line) + 1, line.replace('"Q', '"Again Q'))
    assert "F008" in codes(lines)


def _fuzz_grammar() -> Lark:
    text = resources.files("adflow.grammar").joinpath("adflow.lark").read_text()
    return Lark(text, parser="lalr", lexer="contextual")


_NAMES = st.sampled_from(["a", "spring", "campaign", "page", "intro", "question", "raw",
                          "OUTCOME_LEADS", "true", "x1", "acme"])
_STRINGS = st.text(st.characters(codec="utf-8", exclude_characters='"\\\n\r'), max_size=8).map(
    lambda s: f'"{s}"')
# Lark's from_lark glues terminals together; keywords and names get a space
# on each side so that most generated programs parse.
_KEYWORDS = {t.name: st.just(f" {t.pattern.value} ") for t in _fuzz_grammar().terminals
             if t.pattern.type == "str" and t.pattern.value.isidentifier()}
_PROGRAMS = from_lark(_fuzz_grammar(), explicit={
    **_KEYWORDS,
    "NAME": _NAMES.map(lambda n: f" {n} "), "STRING": _STRINGS,
    "NUMBER": st.sampled_from(["0", "12", "-3", "1.5"]),
    "VERSION": st.just("v25.0"), "_NL": st.sampled_from(["\n", " # c\n", "\n\n"]),
})


@given(_PROGRAMS)
def test_generated_programs_never_raise(program: str) -> None:
    result = check_source(Source("g.adflow", program))
    assert_spans_inside(result, program)


@given(st.sampled_from(sorted(SAMPLES.rglob("*.adflow"))), st.data())
def test_random_edits_of_samples_never_raise(path, data: st.DataObject) -> None:  # type: ignore[no-untyped-def]
    text = path.read_text()
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        op = data.draw(st.sampled_from(["delete", "insert", "swap"]))
        piece = data.draw(st.sampled_from(['"', "{", "}", "[", "]", "->", "\n", "=>", "#", "x",
                                           "\\", "\u202e", "é"]))
        if op == "delete":
            text = text[:at] + text[at + data.draw(st.integers(1, 20)):]
        elif op == "insert":
            text = text[:at] + piece + text[at:]
        else:
            text = text[:at] + piece + text[at + 1:]
    result = check_source(Source("e.adflow", text))
    assert_spans_inside(result, text)


def test_branching_without_answers_is_f020() -> None:
    """Nothing chooses between two next steps of a step without answers."""
    text = ('{"step_list": [{"step_id": "0", "step_type": "INTRO", "message": "Hi",'
            ' "reply_type": "NONE", "next_step_ids": "1"},\n'
            ' {"step_id": "1", "step_type": "QUESTION", "message": "Email?",'
            ' "reply_type": "PREFILL", "prefill_type": "EMAIL", "next_step_ids": ["2", "3"]},\n'
            ' {"step_id": "2", "step_type": "CONFIRMATION", "message": "T",'
            ' "reply_type": "NONE"},\n'
            ' {"step_id": "3", "step_type": "DISQUALIFY", "message": "D",'
            ' "reply_type": "NONE"}]}\n')
    result = check_source(Source("form.json", text))
    found = [(d.code, d.span.line, d.message) for d in result.diagnostics if d.code == "F020"]
    assert found == [("F020", 2, "step '1' has 2 next steps but no answers to choose between them")]
    same = text.replace('["2", "3"]', '["2", "2"]')
    assert "F020" not in {d.code for d in check_source(Source("form.json", same)).diagnostics}


def test_path_findings_point_at_their_step_past_an_item_that_is_no_step() -> None:
    """F018 names the confirmation's own line even when the step list holds
    something that is no step before it (F017 reports that)."""
    text = ('{"step_list": [\n'
            ' "not a step",\n'
            ' {"step_id": "0", "step_type": "INTRO", "message": "Hi", "next_step_ids": "1"},\n'
            ' {"step_id": "1", "step_type": "CONFIRMATION", "message": "T"}]}\n')
    found = {(d.code, d.span.line) for d in check_source(Source("form.json", text)).diagnostics}
    assert ("F018", 4) in found and ("F017", 2) in found
