"""A lead form's conversation, played the way the person in Messenger sees it.

Pure: a `Conversation` is fed what the person says and answers with events
(the bot's messages, the quick replies offered, notes, the end). It reads the
same request body as the rules, so it plays DSL and JSON forms alike, and it
never fails on a broken form: it walks as far as the form can be followed and
then ends, naming the diagnostic code that explains why it could not go on.
The `adflow simulate` command only does the I/O around it.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from ..facts.facts import PERSONALIZATION_TOKEN
from ..findings.report import terminal_safe
from .flowgraph import FlowGraph, FlowPath, FlowStep, Turn, WelcomeFlow

# Sample values: what a made-up person answers on walks that pick answers
# themselves (--all-paths), and what personalization tokens render as.
SAMPLE_FIRST_NAME = "Alex"
SAMPLE_LAST_NAME = "Rivera"
SAMPLE_PAGE_NAME = "Sample Page"
SAMPLE_PREFILL = {"EMAIL": "alex@example.com", "PHONE": "+1 555 010 0000", "CITY": "Austin"}
SAMPLE_FREE_TEXT = "(free text)"

SKIP_WORD = "skip"

EventKind = Literal["bot", "choice", "you", "note", "end"]


@dataclass(frozen=True)
class Event:
    kind: EventKind
    text: str


class Outcome(enum.Enum):
    CONFIRMED = "confirmed"  # reached a CONFIRMATION: the lead is sent
    DISQUALIFIED = "disqualified"
    LEFT = "left"  # the person stopped answering
    STUCK = "stuck"  # the form cannot be followed any further
    HANDED_OVER = "handed over"  # a welcome message is over: the Page's inbox takes it on

    @property
    def completed(self) -> bool:
        return self in (Outcome.CONFIRMED, Outcome.DISQUALIFIED, Outcome.HANDED_OVER)


# -- rendering ---------------------------------------------------------------------------------

SPEAKER_WIDTH = 5  # "bot  " and "you  ": messages line up after them
_CHOICE_INDENT = " " * (SPEAKER_WIDTH + 2)
_NOTE_INDENT = " " * SPEAKER_WIDTH


def you_text(said: str) -> str:
    """How the person's line reads; an empty answer would otherwise be invisible."""
    return said if said else "(nothing)"


def render_event(event: Event) -> str:
    """One event as transcript lines (no trailing newline); control
    characters from the form are shown escaped, never sent to the terminal."""
    if event.kind == "end":
        return f"-- {terminal_safe(event.text)}"
    if event.kind == "choice":
        return f"{_CHOICE_INDENT}{terminal_safe(event.text)}"
    if event.kind == "note":
        return f"{_NOTE_INDENT}({terminal_safe(event.text)})"
    speaker = "bot" if event.kind == "bot" else "you"
    text = event.text if event.kind == "bot" else you_text(event.text)
    first, *rest = (terminal_safe(line) for line in text.split("\n"))
    return "\n".join([f"{speaker:<{SPEAKER_WIDTH}}{first}".rstrip(),
                      *(f"{_NOTE_INDENT}{line}".rstrip() for line in rest)])


def render(events: Iterable[Event]) -> str:
    return "".join(render_event(e) + "\n" for e in events)


# -- personalization ---------------------------------------------------------------------------


def sample_tokens(first_name: str = SAMPLE_FIRST_NAME) -> dict[str, str]:
    return {"user_first_name": first_name, "user_last_name": SAMPLE_LAST_NAME,
            "user_full_name": f"{first_name} {SAMPLE_LAST_NAME}".strip(),
            "page_name": SAMPLE_PAGE_NAME}


def personalize(text: str, tokens: Mapping[str, str]) -> str:
    """Fill in the tokens Meta knows; anything else reaches people as typed."""
    return PERSONALIZATION_TOKEN.sub(lambda m: tokens.get(m.group(1), m.group(0)), text)


# -- answers -----------------------------------------------------------------------------------

_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
_PHONE = re.compile(r"\+?[0-9 ()\-]+")
_CITY_PUNCTUATION = frozenset(" -'.\u2019")


def validation_problem(prefill_type: str | None, text: str) -> str | None:
    """Why Messenger would refuse a prefill answer with validation on; None if fine.
    Types Meta cannot validate accept anything."""
    if prefill_type == "EMAIL" and not _EMAIL.fullmatch(text):
        return "Please enter a valid email address, like alex@example.com."
    if prefill_type == "PHONE":
        digits = sum(ch.isdigit() for ch in text)
        if not _PHONE.fullmatch(text) or not 7 <= digits <= 15:
            return "Please enter a valid phone number: 7 to 15 digits, like +1 555 010 0000."
    if prefill_type == "CITY" and not (any(ch.isalpha() for ch in text) and all(
            ch.isalpha() or ch in _CITY_PUNCTUATION for ch in text)):
        return "Please enter the name of a city, like Austin."
    return None


def choose(answers: Sequence[str], said: str) -> int | None:
    """The quick reply meant: its text (any case) first, so an answer that
    is itself a number keeps its meaning, then its number in the list."""
    folded = said.casefold()
    for index, answer in enumerate(answers):
        if answer.casefold() == folded:
            return index
    if said.isdigit() and said.isascii() and 1 <= int(said) <= len(answers):
        return int(said) - 1
    return None


def split_answers(text: str) -> list[str]:
    """`--answers` items: comma-separated, `\\,` for a comma and `\\\\` for a
    backslash, each trimmed; an empty item means the person says nothing."""
    items, current, chars = [], [], iter(text)
    for ch in chars:
        if ch == "\\":
            current.append(next(chars, "\\"))
        elif ch == ",":
            items.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    items.append("".join(current).strip())
    return items


# -- the conversation --------------------------------------------------------------------------


class Conversation:
    """A state machine over a FlowGraph: `start()`, then `say()` while
    `waiting` is a step, or `leave()`. Every call returns the events it caused."""

    def __init__(self, graph: FlowGraph, first_name: str = SAMPLE_FIRST_NAME) -> None:
        self.graph = graph
        self.tokens = sample_tokens(first_name)
        self.waiting: FlowStep | None = None
        self.outcome: Outcome | None = None
        self.ended_at: FlowStep | None = None
        # What was collected, in order: (step name, answer or None if skipped).
        self.collected: list[tuple[str, str | None]] = []
        self._started = False

    # -- driving it

    def start(self) -> list[Event]:
        if self._started:
            raise RuntimeError("the conversation has already started")
        self._started = True
        intro = self.graph.intro
        if intro is None:
            return self._stuck(None, "the form has no INTRO step, so nothing starts", "F001")
        return self._enter(intro)

    def say(self, text: str) -> list[Event]:
        """What the person types (or taps); an empty string is saying nothing."""
        step = self.waiting
        if step is None:
            raise RuntimeError("the conversation is not waiting for an answer")
        said = text.strip()
        events = [Event("you", said)]
        wants_skip = said == "" or said.casefold() == SKIP_WORD
        if step.reply_type == "QUICK_REPLIES":
            index = choose(step.answers, said)
            if index is not None:
                answer = step.answers[index]
                if answer != said:
                    events.append(Event("note", answer))
                return events + self._accept(step, answer, index)
            if wants_skip and step.allow_to_skip:
                return events + self._skip(step)
            if said == "":
                return events + self._remind(step)
            return events + [Event("bot", "Please choose one of the answers: type its number "
                                   "or its text.")] + self._ask(step)
        if wants_skip and step.allow_to_skip:
            return events + self._skip(step)
        if said == "":
            return events + self._remind(step)
        if said.casefold() == SKIP_WORD:
            return events + [Event("bot", "This question cannot be skipped.")] + self._ask(step)
        if step.reply_type == "PREFILL" and step.validate:
            problem = validation_problem(step.prefill_type, said)
            if problem:
                return events + [Event("bot", problem)] + self._ask(step)
        return events + self._accept(step, said, None)

    def leave(self) -> list[Event]:
        """The person stops answering (end of input, or no more scripted answers)."""
        if self.outcome is not None:
            return []
        step = self.waiting
        self.waiting, self.outcome, self.ended_at = None, Outcome.LEFT, step
        where = f" at step '{step.name}'" if step else ""
        return [Event("end", f"the person left the conversation{where}")]

    # -- inside

    def _message(self, text: str) -> Event:
        return Event("bot", personalize(text, self.tokens))

    def _ask(self, step: FlowStep) -> list[Event]:
        events = [self._message(step.message)]
        if step.reply_type == "QUICK_REPLIES":
            width = len(str(len(step.answers)))
            events += [Event("choice", f"{n:>{width}}. {answer}")
                       for n, answer in enumerate(step.answers, start=1)]
        if step.allow_to_skip and not step.is_terminal and step.type != "INTRO":
            events.append(Event("note", f'optional: say nothing or "{SKIP_WORD}" to skip it'))
        return events

    def _remind(self, step: FlowStep) -> list[Event]:
        if self.graph.reminder:
            return [self._message(self.graph.reminder)]
        return self._ask(step)  # no reminder_text: all the bot can do is ask again

    def _enter(self, step: FlowStep) -> list[Event]:
        """Show steps from `step` on until one needs an answer or the chat ends."""
        events: list[Event] = []
        while True:
            events += self._ask(step)
            if step.type == "CONFIRMATION":
                return events + self._end(step, Outcome.CONFIRMED,
                                          f"confirmation '{step.name}': the lead is sent")
            if step.type == "DISQUALIFY":
                return events + self._end(step, Outcome.DISQUALIFIED,
                                          f"disqualified at '{step.name}'")
            if step.reply_type == "QUICK_REPLIES" and not step.answers:
                return events + self._stuck(step, "it offers quick replies but no answers",
                                            "F006")
            if step.type != "INTRO":
                self.waiting = step
                return events
            following = self._follow(step, None)
            if isinstance(following, list):
                return events + following
            step = following

    def _accept(self, step: FlowStep, answer: str, index: int | None) -> list[Event]:
        self.collected.append((step.name, answer))
        return self._go_on(step, index)

    def _skip(self, step: FlowStep) -> list[Event]:
        self.collected.append((step.name, None))
        return [Event("note", "skipped")] + self._go_on(step, None)

    def _go_on(self, step: FlowStep, index: int | None) -> list[Event]:
        self.waiting = None
        following = self._follow(step, index)
        return following if isinstance(following, list) else self._enter(following)

    def _follow(self, step: FlowStep, index: int | None) -> FlowStep | list[Event]:
        """The next step after `step` (answer `index`, None for a skip or a
        plain arrow), or the events that end a chat that cannot go on."""
        targets = step.next_ids
        if not targets:
            return self._stuck(step, "it has no next step", "F011")
        if len(targets) == 1 or (not step.answers and len(set(targets)) == 1):
            target_id = targets[0]
        elif step.answers and len(targets) != len(step.answers):
            return self._stuck(step, f"it has {len(step.answers)} answers but {len(targets)} "
                               "next steps, so no answer has a known next step", "F005")
        elif not step.answers:
            return self._stuck(step, f"it has {len(targets)} next steps and no answers to "
                               "choose between them", "F020")
        elif step.reply_type != "QUICK_REPLIES":
            return self._stuck(step, f"it has {len(targets)} next steps and no quick "
                               "replies to choose between them", None)
        else:
            # Where Meta sends a skipped branching question is not documented;
            # the first next step is the reading that needs no guess about order.
            target_id = targets[0 if index is None else index]
        edge = next(e for e in self.graph.out(step.index) if e.target_id == target_id)
        if edge.target is None:
            return self._stuck(step, f"it leads to '{target_id}', which is not a step of "
                               "this form", "F004")
        target = self.graph.steps[edge.target]
        if edge.backward:
            what = "itself" if target.index == step.index else f"the earlier step '{target.name}'"
            return self._stuck(step, f"it jumps back to {what}", "F003")
        return target

    def _end(self, step: FlowStep | None, outcome: Outcome, text: str) -> list[Event]:
        self.waiting, self.outcome, self.ended_at = None, outcome, step
        return [Event("end", text)]

    def _stuck(self, step: FlowStep | None, why: str, code: str | None) -> list[Event]:
        where = f" at step '{step.name}'" if step else ""
        see = f" ({code}, see adflow explain {code})" if code else ""
        return self._end(step, Outcome.STUCK, f"stuck{where}: {why}{see}")


class WelcomeConversation:
    """A welcome message played like a lead form (the same `start`, `say`,
    `leave` and `waiting`): the bot's messages, then the person taps one of
    the choices offered, or writes their own message, which ends the
    automated part as it does in Messenger."""

    def __init__(self, flow: WelcomeFlow, first_name: str = SAMPLE_FIRST_NAME) -> None:
        self.flow = flow
        self.tokens = sample_tokens(first_name)
        self.waiting: Turn | None = None
        self.outcome: Outcome | None = None
        self.ended_at: FlowStep | None = None  # a welcome message has no steps
        self._started = False

    def start(self) -> list[Event]:
        if self._started:
            raise RuntimeError("the conversation has already started")
        self._started = True
        return self._enter(self.flow.start)

    def say(self, text: str) -> list[Event]:
        turn = self.waiting
        if turn is None:
            raise RuntimeError("the conversation is not waiting for an answer")
        said = text.strip()
        events = [Event("you", said)]
        if said == "":
            return events + self._show(turn)
        index = choose([c.label for c in turn.choices], said)
        if index is None:
            self.waiting, self.outcome = None, Outcome.HANDED_OVER
            return events + [Event("end", "the person wrote their own message: the "
                                          "conversation goes on in your Page's inbox")]
        choice = turn.choices[index]
        if choice.label != said:
            events.append(Event("note", choice.label))
        if choice.note:
            events.append(Event("note", choice.note))
        self.waiting = None
        return events + self._enter(choice.then)

    def leave(self) -> list[Event]:
        if self.outcome is not None:
            return []
        self.waiting, self.outcome = None, Outcome.LEFT
        return [Event("end", "the person left the conversation")]

    def _show(self, turn: Turn) -> list[Event]:
        events = [Event("bot", personalize(m, self.tokens)) for m in turn.messages if m]
        events += [Event("note", note) for note in turn.notes]
        width = len(str(len(turn.choices)))
        return events + [Event("choice", f"{n:>{width}}. {c.label}")
                         for n, c in enumerate(turn.choices, start=1)]

    def _enter(self, turn: Turn) -> list[Event]:
        events = self._show(turn)
        if turn.choices:
            self.waiting = turn
            return events
        self.outcome = Outcome.HANDED_OVER
        return events + [Event("end", turn.end)]


def welcome_answers(flow: WelcomeFlow, taken: tuple[int, ...]) -> list[str]:
    """What the person taps to take the choices `taken`: the label, or its
    number where an earlier choice has the same label."""
    said, turn = [], flow.start
    for j in taken:
        labels = [c.label for c in turn.choices]
        said.append(labels[j] if choose(labels, labels[j]) == j else str(j + 1))
        turn = turn.choices[j].then
    return said


# -- scripted runs -----------------------------------------------------------------------------


def conversation_of(graph: FlowGraph | WelcomeFlow,
                    first_name: str = SAMPLE_FIRST_NAME) -> Conversation | WelcomeConversation:
    if isinstance(graph, WelcomeFlow):
        return WelcomeConversation(graph, first_name)
    return Conversation(graph, first_name)


@dataclass(frozen=True)
class Playback:
    events: tuple[Event, ...]
    outcome: Outcome
    used: int  # how many of the answers were said
    ended_at: FlowStep | None

    @property
    def transcript(self) -> str:
        return render(self.events)


def play(graph: FlowGraph | WelcomeFlow, answers: Sequence[str],
         first_name: str = SAMPLE_FIRST_NAME) -> Playback:
    """Say the answers in order; if they run out first, the person leaves."""
    conversation = conversation_of(graph, first_name)
    events = conversation.start()
    used = 0
    while conversation.waiting is not None and used < len(answers):
        events += conversation.say(answers[used])
        used += 1
    events += conversation.leave()  # no-op once the chat has ended
    assert conversation.outcome is not None
    return Playback(tuple(events), conversation.outcome, used, conversation.ended_at)


def _quick_reply_for(step: FlowStep, taken: tuple[str, ...], target_id: str | None) -> str:
    """The first of the edge's answers whose text leads to `target_id`, or
    its number when the text would take another branch (a repeated answer)."""
    targets = step.next_ids
    candidates = taken or step.answers[:1]
    if target_id is None or len(targets) != len(step.answers):
        return candidates[0]  # the answer does not choose the branch
    for answer in candidates:
        index = choose(step.answers, answer)
        if index is not None and targets[index] == target_id:
            return answer
    return next((str(j + 1) for j, answer in enumerate(step.answers)
                 if answer in candidates and targets[j] == target_id), candidates[0])


def path_answers(graph: FlowGraph, path: FlowPath) -> list[str]:
    """Answers that walk `path`: for each step awaiting one, a quick reply
    that takes the path's edge, a sample valid prefill value, or free text."""
    said: list[str] = []
    for k, index in enumerate(path.steps):
        step = graph.steps[index]
        if step.type == "INTRO" or step.is_terminal:
            continue
        if step.reply_type == "QUICK_REPLIES":
            if step.answers:
                taken = path.taken[k] if k < len(path.taken) else ()
                target = graph.steps[path.steps[k + 1]].id if k + 1 < len(path.steps) else None
                said.append(_quick_reply_for(step, taken, target))
        elif step.reply_type == "PREFILL":
            said.append(SAMPLE_PREFILL.get(step.prefill_type or "", SAMPLE_FREE_TEXT))
        else:
            said.append(SAMPLE_FREE_TEXT)
    return said
