"""F: Messenger lead forms (`POST /{page_id}/messenger_lead_forms`).

A lead form cannot be edited or deleted once created, so every mistake here
is caught before the request. The checks read the request body, so they run
the same on DSL files and on JSON payloads. F018 and F019 judge the paths a
person can take through a form; they walk the graph in linear time
(compiler/tools/flowgraph.py), so they stay quick on forms whose number of paths is
exponential.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from ..bodies.fields import LEAD_FORM, STEP_TYPES
from ..bodies.model import Document, Request
from ..facts.lead_forms import (
    LEAD_FORM_MESSAGES,
    LEAD_FORM_PREFILL_TYPES,
    LEAD_FORM_REPLY_TYPES,
    LEAD_FORM_REQUIRED_TEXTS,
    LEAD_FORM_STEP_TYPES,
    LEAD_FORM_TERMINAL_STEP_TYPES,
    VALIDATABLE_PREFILL_TYPES,
)
from ..facts.limits import QUICK_REPLY_TITLE
from ..facts.sources import LEAD_FORM_EVIDENCE
from ..findings.diagnostics import Diagnostic, Note
from ..findings.suggest import suggest
from ..front.limits import DEFAULT_MAX_QUESTIONS
from ..front.source import pointer
from ..records import record
from ..tools.flowgraph import contactless_paths, flow_graph, most_questions, next_step_ids
from .base import (
    ERROR,
    WARNING,
    added,
    advice,
    as_json,
    emitted,
    one_of,
    put,
    report,
    rule,
    set_to,
    unknown_value,
)

TYPE_CHECKING = False  # typing is for mypy alone: importing it costs a quick check 4 ms
if TYPE_CHECKING:
    from typing import Any


@record(frozen=True)
class Step:
    index: int
    id: str
    data: dict[str, Any]

    @property
    def type(self) -> Any:
        return self.data.get("step_type")

    def next_ids(self) -> list[str]:
        return next_step_ids(self.data)

    def ptr(self, *more: str | int) -> str:
        return pointer("step_list", self.index, *more)

    def next_ptr(self, j: int) -> str:
        if isinstance(self.data.get("next_step_ids"), list):
            return self.ptr("next_step_ids", j)
        return self.ptr("next_step_ids")


def forms(document: Document) -> Iterator[tuple[Request, list[Step]]]:
    for request in document.of_kind("lead_form"):
        raw = request.view.get("step_list")
        steps = []
        if isinstance(raw, list):
            for index, data in enumerate(raw):
                if isinstance(data, dict):
                    sid = data.get("step_id", index)
                    steps.append(Step(index, str(sid), data))
        yield request, steps


def _json_step(word: str, message: str, *nexts: str) -> str:
    """A step as the body writes it, for JSON advice (`intro "Hi!" -> city`)."""
    step = {"step_id": "STEP_ID", "step_type": STEP_TYPES[word], "message": message,
            "reply_type": "NONE"}
    return as_json({**step, "next_step_ids": list(nexts)} if nexts else step)


def _step_name(request: Request, step: Step) -> str:
    return f"'{request.label(step.id)}'"


@rule("F001", "no-intro", ERROR, "the lead form has no INTRO step",
      evidence=LEAD_FORM_EVIDENCE)
def F001(document: Document) -> Iterator[Diagnostic]:
    """A Messenger lead form opens with an INTRO step; Meta requires one.

    Bad (objects on acme):
        lead_form quote on acme {
          question city "What city?" -> thanks
          confirmation thanks "Thanks!"
        }

    Good (objects on acme):
        lead_form quote on acme {
          intro "Hi! A few questions." -> city
          question city "What city?" -> thanks
          confirmation thanks "Thanks!"
        }
    """
    for request, steps in forms(document):
        if isinstance(request.view.get("step_list"), list) and steps and not any(
                s.type == "INTRO" for s in steps):
            yield report(F001, request, "/step_list", "the lead form has no INTRO step",
                         help=advice(document,
                                     dsl='start the form with: intro "Hi! ..." -> first_question',
                                     json='start "step_list" with '
                                          + _json_step("intro", "Hi! ...", "FIRST_QUESTION_ID")))


@rule("F002", "no-confirmation", ERROR, "the lead form has no CONFIRMATION step",
      evidence=LEAD_FORM_EVIDENCE)
def F002(document: Document) -> Iterator[Diagnostic]:
    """Meta requires a CONFIRMATION step: the message people get after the
    last answer.

    Bad (objects on acme):
        lead_form quote on acme {
          intro "Hi!" -> sorry
          disqualify sorry "Sorry."
        }

    Good (objects on acme):
        lead_form quote on acme {
          intro "Hi!" -> thanks
          confirmation thanks "Thanks! We'll be in touch."
        }
    """
    for request, steps in forms(document):
        if steps and not any(s.type == "CONFIRMATION" for s in steps):
            yield report(F002, request, "/step_list", "the lead form has no CONFIRMATION step",
                         help=advice(document,
                                     dsl='end the form with: confirmation thanks "Thanks!"',
                                     json='end "step_list" with '
                                          + _json_step("confirmation", "Thanks!")))


def _index(steps: list[Step]) -> dict[str, Step]:
    out: dict[str, Step] = {}
    for step in steps:
        out.setdefault(step.id, step)
    return out


def _meant_step(request: Request, steps: list[Step], target: str) -> Step | None:
    """The step an arrow to the unknown `target` clearly means. F004 reports
    the arrow; F007 follows it as meant, so the steps after a misspelt name
    are not reported unreachable too."""
    labels = {request.label(s.id): s for s in steps}
    found = suggest(target, labels)
    return labels[found.name] if found is not None and found.clear else None


@rule("F003", "backward-jump", ERROR, "a next step points back to an earlier step or to itself",
      evidence=LEAD_FORM_EVIDENCE)
def F003(document: Document) -> Iterator[Diagnostic]:
    """`next_step_ids` cannot point to a previous step in the list, nor to
    the step itself: conversations only move forward.

    Bad (objects on acme):
        lead_form quote on acme {
          intro "Hi!" -> city
          question city "What city?" -> city
          confirmation thanks "Thanks!"
        }

    Good (objects on acme):
        lead_form quote on acme {
          intro "Hi!" -> city
          question city "What city?" -> thanks
          confirmation thanks "Thanks!"
        }
    """
    for request, steps in forms(document):
        by_id = _index(steps)
        for step in steps:
            for j, target in enumerate(step.next_ids()):
                dest = by_id.get(target)
                if dest is not None and dest.index <= step.index:
                    what = "itself" if dest.index == step.index else (
                        f"the earlier step {_step_name(request, dest)}")
                    yield report(F003, request, step.next_ptr(j),
                                 f"step {_step_name(request, step)} jumps back to {what}",
                                 help=advice(document,
                                             dsl="steps may only lead to steps written after them",
                                             json='"next_step_ids" may only name steps later in '
                                                  '"step_list"'))


@rule("F004", "unknown-next-step", ERROR, "a next step names no existing step",
      evidence=LEAD_FORM_EVIDENCE)
def F004(document: Document) -> Iterator[Diagnostic]:
    """Every entry of `next_step_ids` must be the id of a step in the form.

    Bad (objects on acme):
        lead_form quote on acme {
          intro "Hi!" -> citty
          question city "What city?" -> thanks
          confirmation thanks "Thanks!"
        }

    Good (objects on acme):
        lead_form quote on acme {
          intro "Hi!" -> city
          question city "What city?" -> thanks
          confirmation thanks "Thanks!"
        }
    """
    for request, steps in forms(document):
        by_id = _index(steps)
        names = [request.label(s.id) for s in steps]
        for step in steps:
            for j, target in enumerate(step.next_ids()):
                if target not in by_id:
                    # Unsafe: the author may rather have meant to add that step.
                    yield report(F004, request, step.next_ptr(j),
                                 f"step {_step_name(request, step)} leads to '{target}', "
                                 "which is not a step of this form",
                                 **unknown_value(document, request, step.next_ptr(j), target,
                                                 names, safe=False))


@rule("F005", "answer-count", ERROR, "answers and next steps differ in number on a branching step",
      evidence=LEAD_FORM_EVIDENCE)
def F005(document: Document) -> Iterator[Diagnostic]:
    """When a step with answers branches (more than one next step), the i-th
    next step is where the i-th answer leads, so the counts must match.
    (Meta's lead-form page states this for PREFILL steps; its own example
    applies it to quick replies, and that is the reading adflow checks.)

    Bad (objects on acme):
        lead_form quote on acme {
          intro "Hi!" -> interest
          question interest "Interested?" {
            "Yes" -> thanks
            "No" -> sorry
            "Maybe"
          }
          confirmation thanks "Thanks!"
          disqualify sorry "Sorry."
        }

    Good (objects on acme):
        lead_form quote on acme {
          intro "Hi!" -> interest
          question interest "Interested?" {
            "Yes" -> thanks
            "No" -> sorry
          }
          confirmation thanks "Thanks!"
          disqualify sorry "Sorry."
        }
    """
    for request, steps in forms(document):
        for step in steps:
            answers = step.data.get("answers")
            nexts = step.next_ids()
            if (isinstance(answers, list) and answers and len(nexts) > 1
                    and len(nexts) != len(answers)):
                yield report(F005, request, step.ptr("next_step_ids"),
                             f"step {_step_name(request, step)} has {len(answers)} answers but "
                             f"{len(nexts)} next steps",
                             help=advice(document, dsl="give every answer its own next step, "
                                                       "or one next step for all",
                                         json='give "next_step_ids" one step id per answer, or '
                                              "one for all"))


@rule("F006", "quick-replies-without-answers", ERROR, "a QUICK_REPLIES step without answers",
      evidence=LEAD_FORM_EVIDENCE)
def F006(document: Document) -> Iterator[Diagnostic]:
    """A quick-reply question needs the answers people can tap.

    Bad (JSON step):
        {"step_id": "1", "step_type": "QUESTION", "reply_type": "QUICK_REPLIES",
         "message": "Interested?", "next_step_ids": ["2"]}

    Good (steps):
        question interest "Interested?" {
          "Yes" -> thanks
          "Maybe" -> thanks
        }
    """
    for request, steps in forms(document):
        for step in steps:
            answers = step.data.get("answers")
            if step.data.get("reply_type") == "QUICK_REPLIES" and not (
                    isinstance(answers, list) and answers):
                yield report(F006, request, step.ptr("reply_type"),
                             f"quick-reply step {_step_name(request, step)} has no answers")


@rule("F007", "unreachable-step", ERROR, "a step unreachable from the INTRO",
      evidence=LEAD_FORM_EVIDENCE)
def F007(document: Document) -> Iterator[Diagnostic]:
    """Every step must be reachable by following next steps from the INTRO;
    an unreachable step is never shown, usually a missing arrow.

    Bad (objects on acme):
        lead_form quote on acme {
          intro "Hi!" -> thanks
          question city "What city?" -> thanks
          confirmation thanks "Thanks!"
        }

    Good (objects on acme):
        lead_form quote on acme {
          intro "Hi!" -> city
          question city "What city?" -> thanks
          confirmation thanks "Thanks!"
        }
    """
    for request, steps in forms(document):
        starts = [s for s in steps if s.type == "INTRO"]
        if not starts:
            continue
        by_id = _index(steps)
        seen = {starts[0].index}
        todo = [starts[0]]
        while todo:
            for target in todo.pop().next_ids():
                dest = by_id.get(target) or _meant_step(request, steps, target)
                if dest is not None and dest.index not in seen:
                    seen.add(dest.index)
                    todo.append(dest)
        for step in steps:
            if step.index not in seen and step.type != "INTRO":
                yield report(F007, request, step.ptr("step_id"),
                             f"step {_step_name(request, step)} cannot be reached from the intro",
                             help=advice(document,
                                         dsl="point an earlier step's arrow at it, or remove it",
                                         json="name it in an earlier step's \"next_step_ids\", "
                                              "or remove it"))


@rule("F008", "duplicate-step", ERROR, "two steps with the same id or name",
      evidence=LEAD_FORM_EVIDENCE)
def F008(document: Document) -> Iterator[Diagnostic]:
    """Step ids (in the DSL, step names) must be unique, or arrows would be
    ambiguous.

    Bad (objects on acme):
        lead_form quote on acme {
          intro "Hi!" -> city
          question city "What city?" -> city2
          question city "Which city?" -> thanks
          confirmation thanks "Thanks!"
        }

    Good (objects on acme):
        lead_form quote on acme {
          intro "Hi!" -> city
          question city "What city?" -> thanks
          confirmation thanks "Thanks!"
        }
    """
    for request, steps in forms(document):
        first: dict[str, Step] = {}
        for step in steps:
            if step.id in first:
                yield report(F008, request, step.ptr("step_id"),
                             f"step id '{step.id}' is used twice",
                             notes=[Note("first used here",
                                         request.span_at(first[step.id].ptr("step_id")))])
            else:
                first[step.id] = step


@rule("F009", "prefill-type", ERROR,
      "PREFILL without prefill_type, or prefill_type without PREFILL",
      evidence=LEAD_FORM_EVIDENCE)
def F009(document: Document) -> Iterator[Diagnostic]:
    """A PREFILL step says what it prefills (CITY, EMAIL, PHONE), and only a
    PREFILL step may have a prefill_type.

    Bad (steps):
        question size "Which size?" prefill PHONE {
          "S" -> thanks
          "L" -> thanks
        }

    Good (steps):
        question phone "Your phone number?" prefill PHONE -> thanks
    """
    for request, steps in forms(document):
        for step in steps:
            reply = step.data.get("reply_type")
            has_type = "prefill_type" in step.data
            if reply == "PREFILL" and not has_type:
                yield report(F009, request, step.ptr("reply_type"),
                             f"PREFILL step {_step_name(request, step)} has no prefill_type",
                             help=advice(document, dsl="prefill CITY, EMAIL or PHONE",
                                         json=put(step.data, ["prefill_type"],
                                                  *sorted(LEAD_FORM_PREFILL_TYPES))))
            elif has_type and reply != "PREFILL":
                yield report(F009, request, step.ptr("prefill_type"),
                             f"step {_step_name(request, step)} has a prefill_type but its "
                             f"reply_type is {reply!r}, not PREFILL")


@rule("F010", "validation-without-type", WARNING,
      "answer validation enabled where no validatable answer type is known")
def F010(document: Document) -> Iterator[Diagnostic]:
    """Meta validates only city, country, email, national id, phone number and
    zip code answers. On quick replies or free text, `validate` has nothing
    to check (Meta's own lead-form example does this on a quick-reply step).

    Bad (steps):
        question interest "Interested?" validate {
          "Yes" -> thanks
          "No" -> thanks
        }

    Good (steps):
        question email "Your email?" prefill EMAIL validate -> thanks
    """
    for request, steps in forms(document):
        for step in steps:
            if step.data.get("answer_validation_enabled") is True and not (
                    step.data.get("reply_type") == "PREFILL"
                    and str(step.data.get("prefill_type")) in VALIDATABLE_PREFILL_TYPES):
                kind = ("quick replies" if step.data.get("reply_type") == "QUICK_REPLIES"
                        else "a free-text answer")
                yield report(F010, request, step.ptr("answer_validation_enabled"),
                             f"step {_step_name(request, step)} validates {kind}, which Meta "
                             "cannot validate",
                             help=advice(document, dsl="validation applies to prefilled city, "
                                                       "email and phone answers",
                                         json='validation applies to "reply_type": "PREFILL" '
                                              'answers whose "prefill_type" is '
                                              + one_of(sorted(VALIDATABLE_PREFILL_TYPES))))


@rule("F011", "dead-end", ERROR, "an INTRO or QUESTION step with no next step",
      evidence=LEAD_FORM_EVIDENCE)
def F011(document: Document) -> Iterator[Diagnostic]:
    """Only CONFIRMATION and DISQUALIFY end the conversation; every other
    step must lead somewhere.

    Bad (steps):
        question city "What city?"

    Good (steps):
        question city "What city?" -> thanks
    """
    leading_on = LEAD_FORM_STEP_TYPES - LEAD_FORM_TERMINAL_STEP_TYPES
    for request, steps in forms(document):
        for step in steps:
            if isinstance(step.type, str) and step.type in leading_on and not step.next_ids():
                yield report(F011, request, step.ptr("step_id"),
                             f"{str(step.type).lower()} step {_step_name(request, step)} "
                             "has no next step",
                             help=advice(document, dsl="add -> NEXT_STEP, or make it a "
                                                       "confirmation",
                                         json=added({"next_step_ids": ["NEXT_STEP_ID"]}) + ", or "
                                         + set_to("step_type", STEP_TYPES["confirmation"])))


@rule("F012", "terminal-with-next", ERROR, "a CONFIRMATION or DISQUALIFY step with next steps",
      evidence=LEAD_FORM_EVIDENCE)
def F012(document: Document) -> Iterator[Diagnostic]:
    """CONFIRMATION and DISQUALIFY end the conversation; a next step after
    them is never taken.

    Bad (steps):
        confirmation thanks "Thanks!" -> city

    Good (steps):
        confirmation thanks "Thanks!"
    """
    for request, steps in forms(document):
        for step in steps:
            # A type may be any JSON value (F017 reports it): test strings only.
            terminal = isinstance(step.type, str) and step.type in LEAD_FORM_TERMINAL_STEP_TYPES
            if terminal and step.next_ids():
                yield report(F012, request, step.ptr("next_step_ids"),
                             f"{str(step.type).lower()} step {_step_name(request, step)} "
                             "ends the conversation but has a next step")


@rule("F013", "intro-placement", ERROR, "more than one INTRO, or the INTRO is not the first step",
      evidence=LEAD_FORM_EVIDENCE)
def F013(document: Document) -> Iterator[Diagnostic]:
    """The INTRO is the first message of the form: exactly one, first in the list.

    Bad (objects on acme):
        lead_form quote on acme {
          question city "What city?" -> thanks
          intro "Hi!" -> thanks
          confirmation thanks "Thanks!"
        }

    Good (objects on acme):
        lead_form quote on acme {
          intro "Hi!" -> city
          question city "What city?" -> thanks
          confirmation thanks "Thanks!"
        }
    """
    for request, steps in forms(document):
        intros = [s for s in steps if s.type == "INTRO"]
        for extra in intros[1:]:
            yield report(F013, request, extra.ptr("step_type"),
                         f"step {_step_name(request, extra)} is a second INTRO",
                         notes=[Note("the first INTRO", request.span_at(intros[0].ptr()))])
        if intros and intros[0].index != 0:
            yield report(F013, request, intros[0].ptr("step_type"),
                         "the INTRO must be the first step")


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


@rule("F014", "missing-field", ERROR, "a required lead-form field is missing or empty",
      evidence=("Graph API error 100/1892075: either legal_content_id or privacy_policy is "
                "required", *LEAD_FORM_EVIDENCE))
def F014(document: Document) -> Iterator[Diagnostic]:
    """privacy_url, template_name, reminder_text, a non-empty step list and
    every step's message are required (Meta error 1892075 for a missing
    privacy policy).

    Bad (objects on acme):
        lead_form quote on acme {
          template_name "Quote"
          intro "Hi!" -> thanks
          confirmation thanks "Thanks!"
        }

    Good (objects on acme):
        lead_form quote on acme {
          template_name "Quote"
          privacy_url "https://acme.example/privacy"
          reminder "Still there?"
          intro "Hi!" -> thanks
          confirmation thanks "Thanks!"
        }
    """
    words = {row.path: head for head, row in LEAD_FORM.items()}  # body key -> the DSL's word
    for request, steps in forms(document):
        body = request.view
        for key in LEAD_FORM_REQUIRED_TEXTS:
            if _is_blank(body.get(key)):
                missing = "missing" if key not in body else "empty"
                yield report(F014, request, pointer(key), f"the lead form's {key} is {missing}",
                             help=advice(document, dsl=f'add: {words[key]} "..."',
                                         json=put(body, [key], "...")))
        if _is_blank(body.get("step_list")):
            yield report(F014, request, "/step_list", "the lead form has no steps")
        for step in steps:
            if _is_blank(step.data.get("message")):
                written = "message" in step.data
                yield report(F014, request, step.ptr("message") if written else step.ptr(),
                             f"step {_step_name(request, step)} has "
                             + ("an empty message" if written else "no message"))


@rule("F015", "privacy-url", ERROR, "privacy_url is not an absolute https URL",
      evidence=LEAD_FORM_EVIDENCE)
def F015(document: Document) -> Iterator[Diagnostic]:
    """People must be able to open the privacy policy from Messenger: it is
    an absolute https URL.

    Bad (steps):
        privacy_url "acme.example/privacy"

    Good (steps):
        privacy_url "https://acme.example/privacy"
    """
    for request, _ in forms(document):
        url = request.view.get("privacy_url")
        if isinstance(url, str) and url.strip():
            try:
                parts = urlsplit(url.strip())
                usable = parts.scheme == "https" and bool(parts.netloc)
            except ValueError:  # e.g. an unclosed "[" where an IPv6 host would be
                usable = False
            if not usable or " " in url.strip():
                yield report(F015, request, "/privacy_url",
                             f"privacy_url {url!r} is not an absolute https URL",
                             help="write it as https://host/path")


@rule("F016", "bad-answers", ERROR, "empty or duplicate quick-reply answers",
      evidence=LEAD_FORM_EVIDENCE)
def F016(document: Document) -> Iterator[Diagnostic]:
    """Each quick-reply answer is a non-empty, distinct button.

    Bad (steps):
        question interest "Interested?" {
          "Yes" -> thanks
          "Yes" -> sorry
        }

    Good (steps):
        question interest "Interested?" {
          "Yes" -> thanks
          "No" -> sorry
        }
    """
    for request, steps in forms(document):
        for step in steps:
            answers = step.data.get("answers")
            if not isinstance(answers, list):
                continue
            seen: dict[str, int] = {}
            for j, answer in enumerate(answers):
                if not isinstance(answer, str):
                    continue
                key = answer.strip().casefold()
                if not key:
                    yield report(F016, request, step.ptr("answers", j),
                                 f"step {_step_name(request, step)} has an empty answer")
                elif key in seen:
                    yield report(F016, request, step.ptr("answers", j),
                                 f"step {_step_name(request, step)} offers the answer "
                                 f"{answer!r} twice",
                                 notes=[Note("first offered here",
                                             request.span_at(step.ptr("answers", seen[key])))])
                else:
                    seen[key] = j


_STEP_FIELDS: dict[str, tuple[type, ...]] = {
    "step_id": (str, int), "message": (str,), "allow_to_skip": (bool,),
    "answer_validation_enabled": (bool,), "answers": (list,),
    "next_step_ids": (list, str, int),
}


@rule("F017", "bad-step-value", ERROR,
      "an unknown step_type, reply_type or prefill_type, or a field of the wrong type",
      evidence=LEAD_FORM_EVIDENCE)
def F017(document: Document) -> Iterator[Diagnostic]:
    """step_type is INTRO, QUESTION, CONFIRMATION or DISQUALIFY; reply_type is
    NONE, PREFILL or QUICK_REPLIES; prefill_type is CITY, EMAIL or PHONE; and
    each field has its type (message a string, allow_to_skip a boolean ...).

    Bad (steps):
        question city "What city?" prefill CTY -> thanks

    Good (steps):
        question city "What city?" prefill CITY -> thanks
    """
    enums = (("step_type", LEAD_FORM_STEP_TYPES), ("reply_type", LEAD_FORM_REPLY_TYPES),
             ("prefill_type", LEAD_FORM_PREFILL_TYPES))
    for request, steps in forms(document):
        raw = request.view.get("step_list")
        if raw is not None and not isinstance(raw, list):
            yield report(F017, request, "/step_list", "step_list must be a list of steps")
            continue
        for index, data in enumerate(raw or []):
            if not isinstance(data, dict):
                yield report(F017, request, pointer("step_list", index), "a step must be an object")
        for step in steps:
            for key, allowed in enums:
                value = step.data.get(key)
                # Only strings can be enum values; a list or object is unhashable too.
                if key in step.data and not (isinstance(value, str) and value in allowed):
                    # Meta documents three prefill types but validates country, zip code
                    # and national id answers too: its list may be longer than adflow's.
                    found = unknown_value(document, request, step.ptr(key), value, allowed,
                                          open_list=key == "prefill_type")
                    listed = ", ".join(sorted(allowed))
                    if "severity" in found:
                        found["help"] = (f"Meta documents {listed}; this one may be newer than "
                                         "adflow's list")
                    elif not found["fix"]:
                        found["help"] = f"expected one of {listed}"
                    yield report(F017, request, step.ptr(key),
                                 f"unknown {key} {value!r} in step {_step_name(request, step)}",
                                 **found)
            for key, types in _STEP_FIELDS.items():
                value = step.data.get(key)
                if key in step.data and (not isinstance(value, types) or (
                        isinstance(value, bool) and bool not in types)):
                    yield report(F017, request, step.ptr(key),
                                 f"{key} in step {_step_name(request, step)} has the wrong type "
                                 f"({type(value).__name__})")
            answers = step.data.get("answers")
            if isinstance(answers, list):
                for j, answer in enumerate(answers):
                    if not isinstance(answer, str):
                        yield report(F017, request, step.ptr("answers", j),
                                     "an answer must be a string")
        for key in LEAD_FORM_REQUIRED_TEXTS:
            value = request.view.get(key)
            if key in request.view and value is not None and not isinstance(value, str):
                yield report(F017, request, pointer(key), f"{key} must be a string")


@rule("F020", "branch-without-answers", ERROR, "a step without answers has several next steps",
      evidence=LEAD_FORM_EVIDENCE)
def F020(document: Document) -> Iterator[Diagnostic]:
    """Only the answer a person taps can choose a branch: a step without
    answers (the intro, a free-text or prefill question) that lists several
    different next steps leaves the conversation nowhere to go.

    Bad (JSON file):
        {"step_list": [
          {"step_id": "0", "step_type": "INTRO", "message": "Hi!", "reply_type": "NONE",
           "next_step_ids": ["1", "2"]},
          {"step_id": "1", "step_type": "CONFIRMATION", "message": "Thanks!", "reply_type": "NONE"},
          {"step_id": "2", "step_type": "DISQUALIFY", "message": "Sorry.", "reply_type": "NONE"}]}

    Good (JSON file):
        {"step_list": [
          {"step_id": "0", "step_type": "INTRO", "message": "Hi!", "reply_type": "NONE",
           "next_step_ids": ["1"]},
          {"step_id": "1", "step_type": "CONFIRMATION", "message": "Thanks!",
           "reply_type": "NONE"}]}
    """
    for request, steps in forms(document):
        for step in steps:
            answers = step.data.get("answers")
            nexts = step.next_ids()
            if not (isinstance(answers, list) and answers) and len(set(nexts)) > 1:
                yield report(F020, request, step.ptr("next_step_ids"),
                             f"step {_step_name(request, step)} has {len(nexts)} next steps but "
                             "no answers to choose between them",
                             help=advice(document, dsl="give it one next step, or make it a "
                                                       "quick-reply question",
                                         json='give "next_step_ids" one step id, or make it a '
                                              'quick-reply question ("reply_type": '
                                              '"QUICK_REPLIES" with "answers")'))


# -- paths through a form ------------------------------------------------------

@rule("F018", "no-contact-on-path", WARNING,
      "a path reaches CONFIRMATION without the phone or email question the form has")
def F018(document: Document) -> Iterator[Diagnostic]:
    """Every way to the CONFIRMATION should ask for a phone number or an
    email (a question with prefill PHONE or EMAIL): a lead without either
    can only be answered inside Messenger, and in a form that does ask for
    them elsewhere, a path that skips them is usually a wrong arrow.

    Bad (objects on acme):
        lead_form quote on acme {
          intro "Hi!" -> interest
          question interest "Interested?" {
            "Yes" -> phone
            "Later" -> thanks
          }
          question phone "Your number?" prefill PHONE -> thanks
          confirmation thanks "Thanks!"
        }

    Good (objects on acme):
        lead_form quote on acme {
          intro "Hi!" -> interest
          question interest "Interested?" {
            "Yes" -> phone
            "Later" -> phone
          }
          question phone "Your number?" prefill PHONE -> thanks
          confirmation thanks "Thanks!"
        }
    """
    for request in document.of_kind("lead_form"):
        graph = flow_graph(request)
        asks = any(step.collects_contact for step in graph.steps)
        for index, path in contactless_paths(graph).items():
            step = graph.steps[index]
            how = "" if asks else " (the form never asks for either)"
            yield report(F018, request, step.pointer,
                         f"confirmation '{step.name}' is reached without asking for a phone "
                         f"number or an email{how}: {path.describe(graph)}",
                         help=advice(document, dsl="add a question with prefill PHONE or "
                                                   "prefill EMAIL on this path",
                                     json='add a question with "reply_type": "PREFILL", '
                                          '"prefill_type": "PHONE" (or "EMAIL") on this path'))


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# Past about eight questions people drop out of a Messenger form; the
# `max-questions` setting (and `adflow paths --max-questions N`) moves it.
@rule("F019", "long-path", WARNING,
      f"a path asks more than {DEFAULT_MAX_QUESTIONS} questions (setting: max-questions)",
      options=("max_questions",))
def F019(document: Document, max_questions: int = DEFAULT_MAX_QUESTIONS
         ) -> Iterator[Diagnostic]:
    """Every question is a chance to leave; a path that asks more than eight
    loses people before the CONFIRMATION. Reported once, at the question
    where a path first goes over the limit. Set another limit with
    `max-questions = N` in `[tool.adflow]` (pyproject.toml or adflow.toml),
    or `adflow paths --max-questions N`.

    Bad (objects on acme):
        lead_form long on acme {
          intro "Hi!" -> q1
          question q1 "One?" -> q2
          question q2 "Two?" -> q3
          question q3 "Three?" -> q4
          question q4 "Four?" -> q5
          question q5 "Five?" -> q6
          question q6 "Six?" -> q7
          question q7 "Seven?" -> q8
          question q8 "Eight?" -> phone
          question phone "Your number?" prefill PHONE -> thanks
          confirmation thanks "Thanks!"
        }

    Good (objects on acme):
        lead_form short on acme {
          intro "Hi!" -> q1
          question q1 "One?" -> phone
          question phone "Your number?" prefill PHONE -> thanks
          confirmation thanks "Thanks!"
        }
    """
    for request in document.of_kind("lead_form"):
        graph = flow_graph(request)
        for index, path in most_questions(graph).items():
            step = graph.steps[index]
            asked = path.questions(graph)
            if step.is_question and asked > max_questions >= asked - 1:
                yield report(F019, request, step.pointer,
                             f"question '{step.name}' can be the {_ordinal(asked)} question, "
                             f"over the limit of {max_questions}: {path.describe(graph)}",
                             help="ask fewer questions on this path, or split the form")


# -- what the person reads -------------------------------------------------------

def _texts(request: Request, steps: list[Step]) -> Iterator[tuple[str, str]]:
    """(pointer, text) of every text of the form the person reads."""
    for key in LEAD_FORM_MESSAGES:
        value = request.view.get(key)
        if isinstance(value, str):
            yield pointer(key), value
    for step in steps:
        message = step.data.get("message")
        if isinstance(message, str):
            yield step.ptr("message"), message
        answers = step.data.get("answers")
        if isinstance(answers, list):
            for j, answer in enumerate(answers):
                if isinstance(answer, str):
                    yield step.ptr("answers", j), answer


@rule("F021", "lead-form-token", WARNING,
      "an unknown {{token}} in a lead form's message, answer or reminder")
def F021(document: Document) -> Iterator[Diagnostic]:
    """Meta fills in {{user_first_name}}, {{user_last_name}},
    {{user_full_name}} and {{page_name}} in the messages of a
    Click-to-Messenger conversation; `{{first_name}}` or `{{name}}` is no
    token of Meta's and would most likely reach people exactly as typed.
    A warning, not an error: Meta documents those tokens for welcome
    messages (where C005 checks them), and no page of Meta's lists the
    tokens a Messenger lead form fills in.

    Bad (objects on acme):
        lead_form quote on acme {
          intro "Hi {{first_name}}!" -> thanks
          confirmation thanks "Thanks!"
        }

    Good (objects on acme):
        lead_form quote on acme {
          intro "Hi {{user_first_name}}!" -> thanks
          confirmation thanks "Thanks!"
        }
    """
    from ..facts.creatives import PERSONALIZATION_TOKEN, PERSONALIZATION_TOKENS
    from ..findings.suggest import replace_inside

    known = sorted(PERSONALIZATION_TOKENS)
    listed = "Meta's tokens: " + ", ".join("{{" + t + "}}" for t in known)
    for request, steps in forms(document):
        for ptr, text in _texts(request, steps):
            for m in PERSONALIZATION_TOKEN.finditer(text):
                if m.group(1) in PERSONALIZATION_TOKENS:
                    continue
                meant = suggest(m.group(1), known)
                fix = None
                if meant is not None and meant.clear and request.has_span(ptr):
                    fix = replace_inside(document.source, request.span_at(ptr), m.group(0),
                                         "{{" + meant.name + "}}", safe=meant.certain)
                yield report(F021, request, ptr,
                             f"{m.group(0)} is not one of Meta's personalization tokens: "
                             "people would most likely see it as written",
                             help=meant.help if meant and meant.clear else listed,
                             fix=fix)


@rule("F022", "long-answer", WARNING,
      f"a quick-reply answer longer than {QUICK_REPLY_TITLE.value} characters",
      evidence=("https://developers.facebook.com/docs/messenger-platform/instagram/features/"
                "quick-replies/",
                "https://developers.facebook.com/docs/messenger-platform/send-messages/"
                "quick-replies/"))
def F022(document: Document) -> Iterator[Diagnostic]:
    """A lead form's answers are offered as quick replies, and Messenger
    cuts a quick reply's title off after 20 characters: a longer answer
    shows only its start on the button. (C004 checks the quick replies of
    a welcome message's template series.) A warning: the form is accepted,
    the answer is only shortened.

    Bad (objects on acme):
        lead_form quote on acme {
          intro "Hi!" -> when
          question when "When should we call?" {
            "In the morning, before noon" -> thanks
            "Afternoon" -> thanks
          }
          confirmation thanks "Thanks!"
        }

    Good (objects on acme):
        lead_form quote on acme {
          intro "Hi!" -> when
          question when "When should we call?" {
            "Morning" -> thanks
            "Afternoon" -> thanks
          }
          confirmation thanks "Thanks!"
        }
    """
    limit = QUICK_REPLY_TITLE.value
    for request, steps in forms(document):
        for step in steps:
            answers = step.data.get("answers")
            if not isinstance(answers, list):
                continue
            for j, answer in enumerate(answers):
                if isinstance(answer, str) and len(answer) > limit:
                    yield report(F022, request, step.ptr("answers", j),
                                 f"answer {answer!r} has {len(answer)} characters: Messenger "
                                 f"shows only the first {limit} ({answer[:limit]!r})",
                                 help=f"keep answers to {limit} characters; the question can "
                                      "say more")


F023 = emitted("F023", "required-and-optional", ERROR,
               "a question is marked both `required` and `optional`", """
    `required` and `optional` say whether the person may skip a question
    (allow_to_skip false or true). Written both on one question, one of them
    would be silently ignored, so the language refuses the line: it is the
    language's own rule (each step option says one thing once), and the
    finding points at both words.

    Bad (objects on acme):
        lead_form quote on acme {
          intro "Hi!" -> city
          question city "Your city?" required prefill CITY optional -> thanks
          confirmation thanks "Thanks!"
        }

    Good (objects on acme):
        lead_form quote on acme {
          intro "Hi!" -> city
          question city "Your city?" prefill CITY optional -> thanks
          confirmation thanks "Thanks!"
        }
    """, raised_in=("compiler/bodies/handlers.py",),
               evidence=("adflow language: docs/reference.md",))


RULES = [F001, F002, F003, F004, F005, F006, F007, F008, F009, F010, F011, F012, F013, F014,
         F015, F016, F017, F020, F018, F019, F021, F022, F023]
