"""Configurable limits (S004 for steps per form and objects per file) and
Trojan Source (X004: bidirectional controls outside strings)."""

from __future__ import annotations

import json

from adflow.compiler.front.limits import DEFAULT_LIMITS
from adflow.compiler.front.source import Source, decode
from adflow.compiler.pipeline import Limits, check_source

FORM_HEAD = ('page acme 111222333444\nlead_form f on acme {\n  template_name "T"\n'
             '  privacy_url "https://acme.example/privacy"\n  reminder "R"\n')
HEAD_LINES = FORM_HEAD.count("\n")


def form_with_questions(n: int) -> str:
    lines = ['  intro "Hi" -> q0']
    lines += [f'  question q{i} "Q{i}?" -> {f"q{i + 1}" if i + 1 < n else "done"}'
              for i in range(n)]
    lines.append('  confirmation done "Thanks!"')
    return FORM_HEAD + "\n".join(lines) + "\n}\n"


def s004(text: str, name: str = "f.adflow",
         limits: Limits = DEFAULT_LIMITS) -> list[tuple[int, str]]:
    result = check_source(Source(name, text), limits)
    return [(d.span.line, d.message) for d in result.diagnostics if d.code == "S004"]


def test_steps_at_the_limit_are_fine_and_one_more_is_s004() -> None:
    # intro + questions + confirmation = steps
    assert s004(form_with_questions(198)) == []
    [(line, message)] = s004(form_with_questions(199))
    # Reported at the first step past the limit: step 201 is the confirmation.
    assert line == HEAD_LINES + 201 and "201 steps, over the limit of 200" in message
    assert check_source(Source("f.adflow", form_with_questions(199))).document is None


def test_the_step_limit_counts_a_step_list_sent_as_json_text() -> None:
    """Form-encoded requests send step_list as JSON text: the limit still counts it."""
    steps = [{"step_id": str(i), "step_type": "QUESTION", "message": f"Q{i}?",
              "reply_type": "NONE", "next_step_ids": [str(i + 1)]} for i in range(5)]
    body = {"template_name": "T", "privacy_url": "https://acme.example/privacy",
            "reminder_text": "R", "step_list": json.dumps(steps)}
    plan = {"format": "adflow.plan/1", "api_version": "v25.0", "requests": [
        {"method": "POST", "path": "111222333444/messenger_lead_forms", "body": body}]}
    [(_, message)] = s004(json.dumps(plan), "plan.json", Limits(max_steps=3))
    assert "5 steps, over the limit of 3" in message


def test_step_limit_is_configurable() -> None:
    [(line, _)] = s004(form_with_questions(5), limits=Limits(max_steps=3))
    assert line == HEAD_LINES + 4  # the fourth step, q2
    assert s004(form_with_questions(5), limits=Limits(max_steps=7)) == []


def test_step_limit_applies_to_json_bodies() -> None:
    steps = [{"step_id": str(i), "step_type": "QUESTION", "message": "?", "reply_type": "NONE",
              "next_step_ids": str(i + 1)} for i in range(12)]
    text = json.dumps({"privacy_url": "https://a.example/p", "template_name": "T",
                       "reminder_text": "R", "step_list": steps}, indent=1)
    [(line, _)] = s004(text, "f.json", Limits(max_steps=10))
    assert text.split("\n")[line - 1].strip() == "{"  # the opening of step 11
    assert text.split("\n")[line].strip() == '"step_id": "10",'


def campaigns(n: int) -> str:
    return "account act_1\n" + "".join(
        f"campaign c{i} {{\n  objective OUTCOME_LEADS\n  special_ad_categories [NONE]\n}}\n"
        for i in range(n))


def test_objects_over_the_limit_are_s004_at_the_first_extra_object() -> None:
    assert s004(campaigns(4), limits=Limits(max_objects=4)) == []
    [(line, message)] = s004(campaigns(5), limits=Limits(max_objects=4))
    assert line == 2 + 4 * 4 and "5 objects, over the limit of 4" in message


def test_default_object_limit_is_2000() -> None:
    assert s004(campaigns(2000)) == []
    assert [line for line, _ in s004(campaigns(2001))] == [2 + 2000 * 4]


def test_text_handed_in_over_the_byte_limit_is_s004() -> None:
    [(line, _)] = s004("# comment\n" * 20, limits=Limits(max_bytes=100))
    assert line == 1


# -- X004 -------------------------------------------------------------------

RLO, LRI, RLM = "\u202e", "\u2066", "\u200f"


def x004(text: str, name: str = "x.adflow") -> list[tuple[int, int]]:
    result = check_source(Source(name, text))
    return [(d.span.line, d.span.column) for d in result.diagnostics if d.code == "X004"]


def test_every_bidi_control_outside_a_string_is_x004() -> None:
    controls = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
    for char in controls:
        assert x004(f"account act_1  # a{char}b\n") == [(1, 19)], hex(ord(char))


def test_bidi_inside_strings_is_not_x004() -> None:
    text = FORM_HEAD + f'  intro "Hi {RLO}{LRI}" -> done\n  confirmation done "{RLM}x"\n}}\n'
    assert x004(text) == []
    assert x004(json.dumps({"step_list": [], "template_name": f"a{RLO}"}, ensure_ascii=False),
                "x.json") == []


def test_bidi_between_tokens_is_x004_even_when_the_file_does_not_parse() -> None:
    result = check_source(Source("x.adflow", f"account act_1\npage p{RLM} 1\n"))
    assert {(d.code, d.span.line, d.span.column) for d in result.diagnostics} >= {
        ("X004", 2, 7), ("S001", 2, 7)}
    assert x004(f'{{"step_list": []{RLO}}}', "x.json") == [(1, 17)]


def test_x004_positions_survive_bom_crlf_and_cr() -> None:
    text = f"account act_1\n# note{LRI}\npage p 1\n"
    for data in (text.encode(), b"\xef\xbb\xbf" + text.encode(),
                 text.replace("\n", "\r\n").encode(), text.replace("\n", "\r").encode()):
        assert x004(decode("x.adflow", data).text) == [(2, 7)]


def test_a_quote_in_a_comment_does_not_hide_bidi() -> None:
    assert x004(f'account act_1  # say "hi{RLO}"\n') == [(1, 25)]
    # An unterminated string is not a string: what follows is still scanned.
    assert (2, 4) in x004(f'account act_1\n"ab{RLO}\n')
