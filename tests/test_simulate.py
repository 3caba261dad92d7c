"""`adflow simulate`: the conversation engine, golden transcripts of every
path, --answers, and interactive play through a pipe and a pseudo-terminal."""

from __future__ import annotations

import json
import os
import select
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from adflow.compiler.bodies.model import Request
from adflow.compiler.facts import facts
from adflow.compiler.front.source import Source, Span
from adflow.compiler.pipeline import check_source
from adflow.compiler.tools.flowgraph import FlowGraph, all_paths, flow_graph
from adflow.compiler.tools.simulate import (
    Conversation,
    Outcome,
    path_answers,
    play,
    render,
    sample_tokens,
    split_answers,
    validation_problem,
)
from conftest import ADFLOW, GOLDEN, PINNED_DAY, SAMPLES, check_golden

ENV = {"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "SOURCE_DATE_EPOCH": PINNED_DAY}
SEED = SAMPLES / "seed_lead_form.adflow"
BRANCHING = SAMPLES / "branching_flow.adflow"

FORM = """\
page acme 1

lead_form t on acme {
  template_name "T"
  privacy_url "https://a.example/p"
  %(reminder)s
  intro "Hi {{user_first_name}} {{ user_last_name }} from {{page_name}}, {{nope}}!" -> size
  question size "Size?" required {
    "Small" -> city
    "Large" -> city
    "None"  -> bye
  }
  question city "City?" prefill CITY required %(validate)s -> phone
  question phone "Phone?" prefill PHONE optional %(validate)s -> email
  question email "Email?" prefill EMAIL required %(validate)s -> note
  question note "Anything else?" optional -> thanks
  confirmation thanks "Thanks!"
  disqualify bye "Bye."
}
"""


def dsl_graph(text: str) -> FlowGraph:
    result = check_source(Source("t.adflow", text))
    assert result.document is not None, result.diagnostics
    return flow_graph(next(result.document.of_kind("lead_form")))


def demo_form(validate: bool = True, reminder: bool = True) -> FlowGraph:
    return dsl_graph(FORM % {"validate": "validate" if validate else "",
                             "reminder": 'reminder "Still there, {{user_first_name}}?"'
                             if reminder else ""})


def json_graph(steps: list[dict[str, Any]], reminder: str = "Still there?") -> FlowGraph:
    """A form straight from a request body, for shapes the DSL cannot write."""
    body = {"reminder_text": reminder, "step_list": steps}
    return flow_graph(Request("lead_form.j", "lead_form", "j", "1/messenger_lead_forms", body,
                              Span("j.json", 1, 1, 1, 1)))


def at(conversation: Conversation) -> str:
    assert conversation.waiting is not None
    return conversation.waiting.name


def texts(events: Any) -> list[str]:
    return [e.text for e in events]


def started(graph: FlowGraph, *answers: str, name: str = "Alex") -> Conversation:
    conversation = Conversation(graph, name)
    conversation.start()
    for answer in answers:
        conversation.say(answer)
    return conversation


# -- the engine --------------------------------------------------------------------------------


def test_intro_moves_on_and_placeholders_render_with_the_name() -> None:
    conversation = Conversation(demo_form(), "Sam")
    events = conversation.start()
    assert [e.kind for e in events] == ["bot", "bot", "choice", "choice", "choice"]
    # Known tokens filled in consistently; unknown ones reach people as typed.
    assert events[0].text == "Hi Sam Rivera from Sample Page, {{nope}}!"
    assert texts(events[2:]) == ["1. Small", "2. Large", "3. None"]
    assert at(conversation) == "size"
    assert conversation.say("")[-1].text == "Still there, Sam?"  # the reminder, named too


def test_every_token_meta_knows_has_a_sample_value() -> None:
    assert set(sample_tokens("Sam")) == facts.PERSONALIZATION_TOKENS


def test_quick_reply_by_number_and_by_text_in_any_case() -> None:
    by_number = started(demo_form())
    events = by_number.say(" 2 ")
    assert [(e.kind, e.text) for e in events[:2]] == [("you", "2"), ("note", "Large")]
    assert by_number.collected == [("size", "Large")] and at(by_number) == "city"
    by_text = started(demo_form())
    events = by_text.say("sMaLL")
    assert events[1].text == "Small" and by_text.collected == [("size", "Small")]
    exact = started(demo_form())
    assert [e.kind for e in exact.say("Small")][:2] == ["you", "bot"]  # no note when exact


def test_invalid_choice_re_asks_with_the_choices() -> None:
    conversation = started(demo_form())
    for wrong in ("4", "0", "Medium", "skip"):  # skip: the question is required
        events = conversation.say(wrong)
        assert events[1].text.startswith("Please choose one of the answers")
        assert texts(events[2:]) == ["Size?", "1. Small", "2. Large", "3. None"]
        assert at(conversation) == "size" and conversation.collected == []


def test_numeric_answers_match_as_text_first() -> None:
    graph = json_graph([
        {"step_id": "0", "step_type": "INTRO", "message": "Hi", "next_step_ids": ["1"]},
        {"step_id": "1", "step_type": "QUESTION", "message": "How many?",
         "reply_type": "QUICK_REPLIES", "answers": ["3", "1"], "next_step_ids": ["2"]},
        {"step_id": "2", "step_type": "CONFIRMATION", "message": "Done"}])
    assert started(graph, "1").collected == [("1", "1")]  # the answer "1", not choice 1
    assert started(graph, "2").collected == [("1", "1")]  # choice 2 is "1"


def test_validation_on_rejects_and_re_asks_with_a_reason() -> None:
    conversation = started(demo_form(), "Small", "123 Main")
    assert at(conversation) == "city"
    conversation.say("Austin")
    events = conversation.say("555-CALL-NOW")
    assert "valid phone number" in events[1].text and events[2].text == "Phone?"
    conversation.say("+1 (555) 010-0000")
    events = conversation.say("alex@example")
    assert "valid email" in events[1].text and at(conversation) == "email"
    conversation.say("alex@example.com")
    assert conversation.collected == [("size", "Small"), ("city", "Austin"),
                                      ("phone", "+1 (555) 010-0000"),
                                      ("email", "alex@example.com")]


def test_validation_off_takes_any_text() -> None:
    conversation = started(demo_form(validate=False), "Small", "123 Main", "call me", "nope")
    assert at(conversation) == "note"
    assert [a for _, a in conversation.collected] == ["Small", "123 Main", "call me", "nope"]


@pytest.mark.parametrize(("kind", "good", "bad"), [
    ("EMAIL", ["a@b.co", "alex.r+ads@mail.example.com"],
     ["a@b", "a b@c.de", "@b.co", "a@@b.co", "a@b.", "plain"]),
    ("PHONE", ["+1 555 010 0000", "0612345678", "(555) 010-0000", "1234567",
               "123456789012345"],
     ["123456", "1234567890123456", "555 CALL", "1+555 010 0000", "++1 555 010 0000"]),
    ("CITY", ["Austin", "Winston-Salem", "St. Louis", "Coeur d'Alene", "Z\u00fcrich"],
     ["12345", "Austin 9", "-", "Austin!"]),
])
def test_validation_rules(kind: str, good: list[str], bad: list[str]) -> None:
    assert [validation_problem(kind, v) for v in good] == [None] * len(good)
    assert all(validation_problem(kind, v) for v in bad), [
        v for v in bad if not validation_problem(kind, v)]


def test_skipping_where_allowed_only() -> None:
    conversation = started(demo_form(), "Small", "Austin")
    assert at(conversation) == "phone"  # optional
    events = conversation.say("")
    assert [(e.kind, e.text) for e in events[:2]] == [("you", ""), ("note", "skipped")]
    assert at(conversation) == "email"  # required
    events = conversation.say("SKIP")
    assert events[1].text == "This question cannot be skipped." and at(conversation) == "email"
    conversation.say("a@b.co")
    conversation.say("Skip")  # optional free text
    assert conversation.outcome is Outcome.CONFIRMED
    assert conversation.collected == [("size", "Small"), ("city", "Austin"), ("phone", None),
                                      ("email", "a@b.co"), ("note", None)]


def test_skipping_a_branching_question_takes_its_first_next_step() -> None:
    graph = json_graph([
        STEP_0,
        {"step_id": "1", "step_type": "QUESTION", "message": "Q?", "reply_type": "QUICK_REPLIES",
         "answers": ["A", "B"], "next_step_ids": ["3", "2"], "allow_to_skip": True},
        {"step_id": "2", "step_type": "DISQUALIFY", "message": "No"},
        {"step_id": "3", "step_type": "CONFIRMATION", "message": "Yes"}])
    assert play(graph, [""]).outcome is Outcome.CONFIRMED
    assert play(graph, ["b"]).outcome is Outcome.DISQUALIFIED


def test_reminder_on_an_empty_answer_to_a_required_step() -> None:
    conversation = started(demo_form(), "Small")
    events = conversation.say("")
    assert [(e.kind, e.text) for e in events] == [("you", ""), ("bot", "Still there, Alex?")]
    assert at(conversation) == "city"
    # Without reminder_text, the bot can only ask again.
    bare = started(demo_form(reminder=False), "Small")
    assert texts(bare.say("   ")) == ["", "City?"]


def test_free_text_takes_any_non_empty_text() -> None:
    conversation = started(demo_form(), "Small", "Austin", "", "a@b.co")
    conversation.say("  Call after 6, please  ")
    assert conversation.collected[-1] == ("note", "Call after 6, please")
    assert conversation.outcome is Outcome.CONFIRMED


def test_disqualify_and_confirmation_end_the_chat() -> None:
    conversation = started(demo_form(), "none")
    assert conversation.outcome is Outcome.DISQUALIFIED and conversation.waiting is None
    assert render(Conversation(demo_form()).start()[:1]) == (
        "bot  Hi Alex Rivera from Sample Page, {{nope}}!\n")
    playback = play(demo_form(), ["3"])
    assert playback.transcript.endswith("bot  Bye.\n-- disqualified at 'bye'\n")
    with pytest.raises(RuntimeError):
        conversation.say("hello?")
    done = play(demo_form(), ["1", "Austin", "", "a@b.co", ""])
    assert done.outcome is Outcome.CONFIRMED and done.used == 5
    assert done.transcript.endswith("bot  Thanks!\n-- confirmation 'thanks': the lead is sent\n")


def test_leaving_names_the_step_and_is_final() -> None:
    conversation = started(demo_form(), "Small")
    assert texts(conversation.leave()) == ["the person left the conversation at step 'city'"]
    assert conversation.outcome is Outcome.LEFT and conversation.leave() == []


STEP_0 = {"step_id": "0", "step_type": "INTRO", "message": "Hi", "next_step_ids": ["1"]}
END = {"step_id": "9", "step_type": "CONFIRMATION", "message": "Done"}


@pytest.mark.parametrize(("second", "answers", "code", "why"), [
    ({"next_step_ids": ["nowhere"]}, ["x"], "F004", "it leads to 'nowhere'"),
    ({"next_step_ids": ["1"]}, ["x"], "F003", "it jumps back to itself"),
    ({"next_step_ids": ["0"]}, ["x"], "F003", "it jumps back to the earlier step '0'"),
    ({}, ["x"], "F011", "it has no next step"),
    ({"reply_type": "QUICK_REPLIES", "answers": ["A", "B", "C"], "next_step_ids": ["9", "9"]},
     ["A"], "F005", "it has 3 answers but 2 next steps"),
    ({"reply_type": "QUICK_REPLIES", "next_step_ids": ["9"]}, [], "F006",
     "it offers quick replies but no answers"),
    ({"reply_type": "NONE", "next_step_ids": ["9", "9b"]}, ["x"], "F020",
     "it has 2 next steps and no answers to choose between them"),
    ({"reply_type": "PREFILL", "prefill_type": "CITY", "answers": ["A", "B"],
      "next_step_ids": ["9", "9b"]}, ["Austin"], None, "it has 2 next steps and no quick replies"),
])
def test_a_step_that_cannot_be_followed_ends_naming_the_code(
        second: dict[str, Any], answers: list[str], code: str | None, why: str) -> None:
    step = {"step_id": "1", "step_type": "QUESTION", "message": "Q?", **second}
    playback = play(json_graph([STEP_0, step, END, {**END, "step_id": "9b"}]), answers)
    assert playback.outcome is Outcome.STUCK and playback.used == len(answers)
    last = playback.transcript.splitlines()[-1]
    assert last.startswith(f"-- stuck at step '1': {why}")
    assert (f"({code}, see adflow explain {code})" in last) if code else "(F" not in last


def test_a_form_without_intro_is_stuck_at_once() -> None:
    playback = play(json_graph([END]), ["x"])
    assert playback.outcome is Outcome.STUCK and playback.used == 0
    assert playback.transcript == ("-- stuck: the form has no INTRO step, so nothing starts "
                                   "(F001, see adflow explain F001)\n")


def test_path_answers_walk_each_path_even_through_repeated_answers() -> None:
    graph = json_graph([
        STEP_0,
        {"step_id": "1", "step_type": "QUESTION", "message": "Q?", "reply_type": "QUICK_REPLIES",
         "answers": ["Yes", "Yes", "No"], "next_step_ids": ["2", "3", "2"]},
        {"step_id": "2", "step_type": "QUESTION", "message": "Mail?", "reply_type": "PREFILL",
         "prefill_type": "EMAIL", "answer_validation_enabled": True, "next_step_ids": ["3"]},
        {"step_id": "3", "step_type": "CONFIRMATION", "message": "Done"}])
    paths, _ = all_paths(graph)
    walked = []
    for path in paths:
        playback = play(graph, path_answers(graph, path))
        assert playback.outcome is Outcome.CONFIRMED
        said = [e.text for e in playback.events if e.kind == "you"]
        walked.append((said, [e.text for e in playback.events if e.kind == "bot"]))
    assert walked == [(["Yes", "alex@example.com"], ["Hi", "Q?", "Mail?", "Done"]),
                      (["2"], ["Hi", "Q?", "Done"])]


def test_split_answers_escapes_and_empty_items() -> None:
    assert split_answers("Yes, Austin ,,x\\,y,a\\\\b,") == ["Yes", "Austin", "", "x,y", "a\\b", ""]
    assert split_answers("") == [""]
    assert split_answers("trailing\\") == ["trailing\\"]


# -- the command: golden transcripts -----------------------------------------------------------

LEAD_FORM_SAMPLES = [SEED, BRANCHING, SAMPLES / "product_extensions.adflow",
                     SAMPLES / "broken" / "flow_mistakes.adflow"]


def adflow(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ADFLOW, "simulate", *args], capture_output=True, text=True,
                          input=stdin, timeout=30, env=ENV)


@pytest.mark.parametrize("sample", LEAD_FORM_SAMPLES, ids=lambda p: p.stem)
def test_all_paths_match_golden_transcripts(sample: Path, tmp_path: Path,
                                            update_golden: bool) -> None:
    result = adflow(str(sample), "--all-paths", "-o", str(tmp_path))
    broken = "broken" in sample.parts
    assert result.returncode == (1 if broken else 0), result.stderr
    assert "Traceback" not in result.stderr
    golden = GOLDEN / "transcripts" / sample.stem
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written and all(".path-" in name for name in written)
    for name in written:
        check_golden(golden / name, (tmp_path / name).read_text(encoding="utf-8"), update_golden)
    if update_golden:
        for stale in set(p.name for p in golden.iterdir()) - set(written):
            (golden / stale).unlink()
    assert sorted(p.name for p in golden.iterdir()) == written
    # stdout without -o is the same transcripts, a blank line apart.
    listed = adflow(str(sample), "--all-paths")
    assert listed.stdout == "\n".join((tmp_path / n).read_text(encoding="utf-8")
                                      for n in written)


def test_all_paths_files_are_numbered_to_the_width_of_the_count(tmp_path: Path) -> None:
    branches = "\n".join(f'    "Answer {n}" -> end{n}' for n in range(1, 11))
    ends = "\n".join(f'  confirmation end{n} "Thanks {n}"' for n in range(1, 11))
    source = tmp_path / "wide.adflow"
    source.write_text('page acme 1\nlead_form wide on acme {\n  privacy_url "https://a.example"'
                      '\n  reminder "Hm?"\n  intro "Hi" -> pick\n  question pick "Pick one" {\n'
                      f'{branches}\n  }}\n{ends}\n}}\n')
    result = adflow(str(source), "--all-paths", "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        f"wide.path-{n:02}.txt" for n in range(1, 11)]
    tenth = (tmp_path / "out" / "wide.path-10.txt").read_text(encoding="utf-8")
    assert tenth.startswith('== wide, path 10 of 10: intro -> pick ["Answer 10"] -> end10\n')
    assert tenth.endswith("      10. Answer 10\nyou  Answer 10\nbot  Thanks 10\n"
                          "-- confirmation 'end10': the lead is sent\n")
    again = adflow(str(source), "--all-paths", "-o", str(tmp_path / "again"))
    assert again.returncode == 0
    assert all((tmp_path / "again" / p.name).read_bytes() == p.read_bytes()
               for p in (tmp_path / "out").iterdir())


# -- the command: --answers ----------------------------------------------------------------------

SEED_DONE = """\
bot  Hi Alex! Let's get you a quote.
bot  Are you interested in our products or services?
       1. Yes
       2. Not now
       3. Maybe
you  3
     (Maybe)
bot  What city do you live in?
     (optional: say nothing or "skip" to skip it)
you  (nothing)
     (skipped)
bot  What is your phone number?
you  +31 6 1234 5678
bot  What is your email address?
you  sam@example.com
bot  Thanks! We'll call you within a day.
-- confirmation 'thanks': the lead is sent
"""


def test_answers_complete_the_form() -> None:
    result = adflow(str(SEED), "--answers", "3,,+31 6 1234 5678,sam@example.com")
    assert (result.returncode, result.stdout, result.stderr) == (0, SEED_DONE, "")


def test_answers_running_out_exit_one() -> None:
    result = adflow(str(SEED), "--answers", "Yes,Austin")
    assert result.returncode == 1
    assert result.stdout.endswith("bot  What is your phone number?\n"
                                  "-- the person left the conversation at step 'phone'\n")
    assert "the answers ran out at step 'phone' (all 2 used)" in result.stderr


def test_invalid_answers_show_the_re_ask() -> None:
    result = adflow(str(SEED), "--answers", "Perhaps,Yes,Austin,12,+1 555 010 0000,me@")
    assert result.returncode == 1  # the email was never accepted
    assert ("you  Perhaps\nbot  Please choose one of the answers: type its number or its text."
            "\nbot  Are you interested") in result.stdout
    assert "you  12\nbot  Please enter a valid phone number" in result.stdout
    assert result.stdout.endswith("you  me@\nbot  Please enter a valid email address, like "
                                  "alex@example.com.\nbot  What is your email address?\n"
                                  "-- the person left the conversation at step 'email'\n")
    # Retried until accepted: the form completes and that is a success.
    retried = adflow(str(SEED), "--answers", "Perhaps,Yes,Austin,12,+1 555 010 0000,me@,me@x.io")
    assert retried.returncode == 0 and retried.stderr == ""
    assert retried.stdout.endswith("-- confirmation 'thanks': the lead is sent\n")


def test_too_many_answers_exit_one_after_the_transcript() -> None:
    result = adflow(str(SEED), "--answers", "Not now,Austin,a\\,b")
    assert result.returncode == 1
    assert result.stdout.endswith("-- disqualified at 'sorry'\n")
    assert "ended with 2 answers left over: 'Austin', 'a,b'" in result.stderr


def test_a_stuck_form_exits_one_and_says_why() -> None:
    result = adflow(str(SAMPLES / "broken" / "flow_mistakes.adflow"), "--answers", "No")
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1].startswith("-- stuck at step 'interest': ")
    assert "(F005, see adflow explain F005)" in result.stdout
    checked = subprocess.run([ADFLOW, "check", "--no-cache", "--format", "json",
                              str(SAMPLES / "broken" / "flow_mistakes.adflow")],
                             capture_output=True, text=True, check=False)
    errors = sum(1 for d in json.loads(checked.stdout)["diagnostics"]
                 if d["severity"] == "error" and str(d["name"]).startswith("lead_form:"))
    assert f"{errors} errors in this lead form" in result.stderr  # what check says
    assert "cannot go on at step 'interest'" in result.stderr


def test_usage_and_input_errors(tmp_path: Path) -> None:
    unknown = adflow(str(SEED), "--form", "nope", "--answers", "Yes")
    assert unknown.returncode == 2 and "no lead form named 'nope'" in unknown.stderr
    assert adflow(str(SEED), "-o", str(tmp_path)).returncode == 2
    assert adflow(str(SEED), "--answers", "Yes", "--all-paths").returncode == 2
    assert adflow(str(tmp_path / "missing.adflow")).returncode == 2
    no_form = adflow(str(SAMPLES / "click_to_subscribe.adflow"), "--all-paths")
    assert no_form.returncode == 0 and "== creative opt_in, path 1 of 1:" in no_form.stdout
    two = tmp_path / "two.adflow"
    two.write_text(SEED.read_text() + "\n".join(
        line for line in BRANCHING.read_text().splitlines()
        if not line.startswith(("api ", "account "))))
    several = adflow(str(two), "--answers", "Yes")
    assert several.returncode == 2 and "2 lead forms; choose one with --form" in several.stderr
    chosen = adflow(str(two), "--form", "move_quote", "--answers", "4")
    assert chosen.returncode == 0 and "disqualified at 'too_small'" in chosen.stdout
    broken = tmp_path / "broken.adflow"
    broken.write_text("lead_form x on {\n")
    unparsed = adflow(str(broken), "--all-paths")
    assert unparsed.returncode == 1 and unparsed.stdout == ""
    assert "broken.adflow:" in unparsed.stderr and "Traceback" not in unparsed.stderr


# -- the command: interactive ------------------------------------------------------------------


def test_piped_stdin_reads_like_the_answers_transcript() -> None:
    piped = adflow(str(SEED), stdin="3\n\n+31 6 1234 5678\nsam@example.com\n")
    assert piped.returncode == 0
    # The prompt and the echoed answer make the same lines as --answers.
    assert piped.stdout == SEED_DONE
    assert "playing lead form 'quote'" in piped.stderr


def test_piped_stuck_form_exits_one() -> None:
    piped = adflow(str(SAMPLES / "broken" / "flow_mistakes.adflow"), stdin="no\nmore\n")
    assert piped.returncode == 1
    assert piped.stdout.endswith("you  no\n     (No)\n-- stuck at step 'interest': it has 3 "
                                 "answers but 2 next steps, so no answer has a known next step "
                                 "(F005, see adflow explain F005)\n")


def test_piped_end_of_input_means_the_person_left() -> None:
    piped = adflow(str(BRANCHING), "--name", "Kim", stdin="house\n2-3 ROOMS\n")
    assert piped.returncode == 0
    assert piped.stdout.startswith("bot  Hi Kim! Moving soon?")
    assert ("you  house\nbot  Please choose one of the answers" in piped.stdout)
    assert piped.stdout.endswith("you  2-3 ROOMS\n     (2-3 rooms)\nbot  When do you move?\n"
                                 "       1. This month\n       2. Next month\n"
                                 "       3. Not sure yet\nyou  (end of input)\n"
                                 "-- the person left the conversation at step 'when'\n")


class Terminal:
    """adflow simulate on a pseudo-terminal, driven prompt by prompt; every
    wait has a deadline, so a missing prompt fails the test instead of hanging."""

    def __init__(self, *args: str) -> None:
        import pty

        self.master, slave = pty.openpty()
        self.process = subprocess.Popen([ADFLOW, "simulate", *args], stdin=slave, stdout=slave,
                                        stderr=slave, env={**ENV, "TERM": "dumb"},
                                        close_fds=True)
        os.close(slave)
        self.output = b""
        self.seen = 0  # `text` up to here has been matched

    def expect(self, text: str, timeout: float = 10.0) -> str:
        """Wait for `text` after what was matched last (a terminal ends lines
        with CR LF; they are compared as LF); the output up to its end."""
        wanted = text.encode()
        deadline = time.monotonic() + timeout
        while (found := self.text.find(wanted, self.seen)) < 0:
            left = deadline - time.monotonic()
            assert left > 0, f"no {text!r} within {timeout}s; got {self.text[self.seen:]!r}"
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.master, 4096)
                except OSError:  # EIO: the child closed the terminal
                    chunk = b""
                assert chunk, f"adflow ended before {text!r}; got {self.text[self.seen:]!r}"
                self.output += chunk
        before = self.text[self.seen:found + len(wanted)].decode()
        self.seen = found + len(wanted)
        return before

    @property
    def text(self) -> bytes:
        return self.output.replace(b"\r\n", b"\n")

    def send(self, text: str) -> None:
        os.write(self.master, text.encode())

    def wait(self) -> int:
        return self.process.wait(timeout=10)

    def close(self) -> None:
        if self.process.poll() is None:  # a failed test: do not wait for it
            self.process.kill()
            self.process.wait(timeout=10)
        os.close(self.master)


def test_interactive_on_a_terminal() -> None:
    term = Terminal(str(BRANCHING))
    try:
        assert "3. A whole house\n       4. Just a piano\nyou  " in term.expect("you  ")
        term.send("3\n")
        # The terminal echoes the answer once; adflow adds the meaning, not the echo.
        assert term.expect("you  ") == ("3\n     (A whole house)\nbot  Is it a single-storey "
                                        "house?\n       1. Yes\n       2. No\nyou  ")
        term.send("\n")  # saying nothing on a required step: the form's reminder
        assert term.expect("you  ") == "\nbot  Your moving quote is one tap away.\nyou  "
        term.send("no\n")
        term.expect("3. Not sure yet\nyou  ")
        term.send("not sure yet\n")
        assert term.expect("you  ").endswith("bot  And your email, for the written quote?\n"
                                             '     (optional: say nothing or "skip" to skip it)'
                                             "\nyou  ")
        term.send("not an email\n")
        assert "Please enter a valid email address" in term.expect("you  ")
        term.send("skip\n")
        assert term.expect("-- confirmation 'thanks': the lead is sent\n").startswith(
            "skip\n     (skipped)\nbot  Thanks! A mover will call you within a day.\n")
        assert term.wait() == 0
    finally:
        term.close()


def test_interactive_end_of_input_on_a_terminal() -> None:
    term = Terminal(str(SEED), "--name", "Jo")
    try:
        assert term.expect("you  ").startswith("adflow: playing lead form 'quote' as Jo")
        term.send("1\n")
        term.expect("(optional: say nothing or \"skip\" to skip it)\nyou  ")
        term.send("\x04")  # Ctrl-D at the start of a line: end of input
        term.expect("(end of input)\n-- the person left the conversation at step 'city'\n")
        assert term.wait() == 0
    finally:
        term.close()


# -- welcome messages: a file without a lead form ----------------------------------------------

WELCOME = SAMPLES / "ctm_welcome_messages.adflow"


def test_ice_breakers_play_the_one_the_person_taps() -> None:
    result = adflow(str(WELCOME), "--form", "ice_breakers", "--answers", "2")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (
        "bot  Hi Alex! Please let us know how we can help you.\n"
        "       1. Can I make a purchase?\n"
        "       2. Can I see a menu?\n"
        "       3. Where are you located?\n"
        "you  2\n"
        "     (Can I see a menu?)\n"
        "bot  Here is what we offer: repairs, installs, inspections.\n"
        "-- the welcome message is over: the conversation goes on in your Page's inbox\n")


def test_a_template_series_waits_at_its_quick_replies_and_names_the_payload() -> None:
    piped = adflow(str(WELCOME), "--form", "quick_replies", stdin="install\n")
    assert piped.returncode == 0, piped.stderr
    assert "playing the welcome message of creative 'quick_replies'" in piped.stderr
    assert piped.stdout == (
        "bot  Which service do you need?\n"
        "       1. Repair\n"
        "       2. Install\n"
        "       3. Inspect\n"
        "you  install\n"
        "     (Install)\n"
        "     (your webhook gets the payload 'SERVICE_INSTALL')\n"
        "bot  We answer within minutes.\n"
        "-- the welcome message is over: the conversation goes on in your Page's inbox\n")


def test_typing_instead_of_tapping_hands_the_chat_to_the_page() -> None:
    result = adflow(str(WELCOME), "--form", "ice_breakers", "--answers", "Do you fix boilers?")
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith(
        "you  Do you fix boilers?\n"
        "-- the person wrote their own message: the conversation goes on in your Page's inbox\n")


def test_every_welcome_message_plays_on_all_paths() -> None:
    result = adflow(str(WELCOME), "--all-paths")
    assert result.returncode == 0, result.stderr
    for text in ("Hi Alex! How can we help?", "12 Main St, Springfield.",
                 "== creative ice_breakers, path 3 of 3:", "Call to make an appointment.",
                 "FLOW-ID-4242", "(your webhook gets the payload 'SERVICE_INSPECT')"):
        assert text in result.stdout, text
    subscribe = adflow(str(SAMPLES / "click_to_subscribe.adflow"), "--answers", "1")
    assert subscribe.returncode == 0, subscribe.stderr
    assert "Get messages" in subscribe.stdout and "SUBSCRIBE_SPRING" in subscribe.stdout


def test_several_welcome_messages_need_a_choice(tmp_path: Path) -> None:
    several = adflow(str(WELCOME), "--answers", "1")
    assert several.returncode == 2
    assert "6 welcome messages; choose one with --form: text_image, " in several.stderr
    unknown = adflow(str(WELCOME), "--form", "nope", "--answers", "1")
    assert "no lead form or welcome message named 'nope'" in unknown.stderr
    empty = tmp_path / "none.adflow"
    empty.write_text("page acme 1\n")
    nothing = adflow(str(empty))
    assert nothing.returncode == 2
    assert "has no lead form and no welcome message" in nothing.stderr


def test_paths_lists_a_welcome_messages_choices() -> None:
    result = subprocess.run([ADFLOW, "paths", str(WELCOME), "--form", "ice_breakers"],
                            capture_output=True, text=True, timeout=30, env=ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "welcome message of creative ice_breakers (ice_breakers): 3 paths\n"
        '  1. greeting -> "Can I make a purchase?" -> end\n'
        '  2. greeting -> "Can I see a menu?" -> end\n'
        '  3. greeting -> "Where are you located?" -> end\n')


def test_a_welcome_lead_form_names_the_form_to_play() -> None:
    result = adflow(str(SEED), "--form", "quote_image", "--answers", "")
    assert result.stdout == ("-- lead form 'quote' starts here: adflow simulate --form quote "
                             "plays it\n")
    # The chat ends before any answer: the one given is left over.
    assert result.returncode == 1 and "1 answer left over" in result.stderr
