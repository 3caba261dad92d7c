"""The lead-form conversation as a graph: steps, edges labelled with the
answers that take them, and the paths from the INTRO to an end.

Pure: it reads a lead_form request body (DSL or JSON alike) and never fails
on a broken one; whatever cannot be followed (unknown targets, backward jumps)
is kept on the graph so it can be drawn, but never walked.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from ..bodies.fields import STEP_TYPES
from ..bodies.model import Document, Request
from ..bodies.queries import call_to_action, welcome
from ..facts.creatives import APP_OF_BUTTON
from ..facts.lead_forms import CONTACT_PREFILL_TYPES, LEAD_FORM_TERMINAL_STEP_TYPES
from ..front.source import pointer
from ..records import record

TYPE_CHECKING = False  # typing is for mypy alone: importing it costs a quick check 4 ms
if TYPE_CHECKING:
    from typing import Any

# Path enumeration is exponential in the worst case; rules use linear
# walks instead, and listings stop here and say so.
MAX_PATHS = 1000


# How each step type is drawn; a step of no known type is drawn like an
# arrow to no step ("missing").
STEP_KINDS = {step_type: word for word, step_type in STEP_TYPES.items()}


@record(frozen=True)
class FlowStep:
    index: int  # in FlowGraph.steps
    position: int  # in the body's step_list (which may hold things that are no step)
    id: str
    name: str  # the DSL name, or the id for JSON input
    type: str
    message: str
    reply_type: str
    prefill_type: str | None
    answers: tuple[str, ...]
    allow_to_skip: bool
    validate: bool
    # next_step_ids as written: edges group answers by target, and so lose
    # which of two equal answers leads where.
    next_ids: tuple[str, ...] = ()

    @property
    def is_question(self) -> bool:
        return self.type == "QUESTION"

    @property
    def is_terminal(self) -> bool:
        return self.type in LEAD_FORM_TERMINAL_STEP_TYPES

    @property
    def collects_contact(self) -> bool:
        return self.reply_type == "PREFILL" and self.prefill_type in CONTACT_PREFILL_TYPES

    @property
    def kind(self) -> str:
        return STEP_KINDS.get(self.type, "missing")

    @property
    def pointer(self) -> str:
        return pointer("step_list", self.position, "step_id")


@record(frozen=True)
class FlowEdge:
    source: int  # step indexes
    target: int | None  # None: the id names no step
    target_id: str
    answers: tuple[str, ...]  # the answers that take it; empty for a plain arrow
    backward: bool

    @property
    def label(self) -> str:
        return " / ".join(self.answers)

    @property
    def walkable(self) -> bool:
        return self.target is not None and not self.backward


@record(frozen=True)
class FlowGraph:
    request: Request
    reminder: str
    steps: tuple[FlowStep, ...]
    edges: tuple[FlowEdge, ...]

    @property
    def name(self) -> str:
        return self.request.name

    @property
    def intro(self) -> FlowStep | None:
        return next((s for s in self.steps if s.type == "INTRO"), None)

    def out(self, index: int) -> list[FlowEdge]:
        return self._out.get(index, [])

    def forward(self, index: int) -> list[FlowEdge]:
        return [e for e in self.out(index) if e.walkable]

    @functools.cached_property
    def _out(self) -> dict[int, list[FlowEdge]]:
        # Every walk asks for each step's edges: a scan of all edges each
        # time would make them quadratic in the size of the form.
        out: dict[int, list[FlowEdge]] = {}
        for edge in self.edges:
            out.setdefault(edge.source, []).append(edge)
        return out


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def next_step_ids(data: dict[str, Any]) -> list[str]:
    """A step's next_step_ids as strings; Meta's example writes both "1" and [2, 6, 2]."""
    raw = data.get("next_step_ids")
    items = raw if isinstance(raw, list) else [] if raw is None else [raw]
    return [str(i) for i in items if isinstance(i, (str, int)) and not isinstance(i, bool)]


def flow_graph(request: Request) -> FlowGraph:
    raw = request.view.get("step_list")
    steps: list[FlowStep] = []
    for position, data in enumerate(raw if isinstance(raw, list) else []):
        if not isinstance(data, dict):
            continue  # F017 reports it; nothing here could be walked
        step_id = str(data.get("step_id", position))
        answers = data.get("answers")
        answers = answers if isinstance(answers, list) else []
        prefill = data.get("prefill_type")
        steps.append(FlowStep(
            index=len(steps), position=position, id=step_id, name=request.label(step_id),
            type=_text(data.get("step_type")) or "?", message=_text(data.get("message")),
            reply_type=_text(data.get("reply_type")) or "NONE",
            prefill_type=prefill if isinstance(prefill, str) else None,
            answers=tuple(a for a in answers if isinstance(a, str)),
            allow_to_skip=data.get("allow_to_skip") is True,
            validate=data.get("answer_validation_enabled") is True,
            next_ids=tuple(next_step_ids(data))))
    first_of: dict[str, int] = {}
    for step in steps:
        first_of.setdefault(step.id, step.index)
    edges: list[FlowEdge] = []
    for step in steps:
        targets = step.next_ids
        paired = step.reply_type == "QUICK_REPLIES" and len(targets) == len(step.answers) > 1
        # One edge per distinct target, in first-written order, carrying every
        # answer that leads there ("Yes" and "Maybe" may both go to city).
        grouped: dict[str, list[str]] = {}
        for j, target in enumerate(targets):
            grouped.setdefault(target, [])
            if paired:
                grouped[target].append(step.answers[j])
        if len(grouped) == 1 and step.reply_type == "QUICK_REPLIES":
            grouped[next(iter(grouped))] = list(step.answers)
        for target, answers in grouped.items():
            dest = first_of.get(target)
            edges.append(FlowEdge(step.index, dest, target, tuple(answers),
                                  dest is not None and dest <= step.index))
    return FlowGraph(request, _text(request.view.get("reminder_text")), tuple(steps), tuple(edges))


def select_forms(document: Document, name: str | None) -> list[Request]:
    """The lead forms of a document, or the one named; LookupError says why not."""
    forms = list(document.of_kind("lead_form"))
    if not forms:
        raise LookupError(f"{document.path} has no lead form")
    if name is None:
        return forms
    # `quote` names the form written once: every market's (`quote[mx]` one market's).
    chosen = [f for f in forms if f.name == name or (f.market and f.name.split("[")[0] == name)]
    if not chosen:
        raise LookupError(f"no lead form named {name!r}; the file has: "
                          + ", ".join(f.name for f in forms))
    return chosen


# -- paths ------------------------------------------------------------------------------------


@record(frozen=True)
class FlowPath:
    steps: tuple[int, ...]  # step indexes from the INTRO to the end
    # The answers taken at each step but the last (empty: a plain arrow).
    taken: tuple[tuple[str, ...], ...]

    def questions(self, graph: FlowGraph) -> int:
        return sum(graph.steps[i].is_question for i in self.steps)

    def end(self, graph: FlowGraph) -> str:
        last = graph.steps[self.steps[-1]]
        return last.type if last.is_terminal else "DEAD END"

    def describe(self, graph: FlowGraph) -> str:
        parts = []
        for k, index in enumerate(self.steps):
            part = graph.steps[index].name
            if k < len(self.taken) and self.taken[k]:
                part += f' ["{" / ".join(self.taken[k])}"]'
            parts.append(part)
        return " -> ".join(parts)


def iter_paths(graph: FlowGraph) -> Iterator[FlowPath]:
    """Every path from the INTRO to a step it cannot leave, depth first in
    the order edges are written (so the listing follows the source)."""
    intro = graph.intro
    if intro is None:
        return
    stack: list[tuple[tuple[int, ...], tuple[tuple[str, ...], ...]]] = [((intro.index,), ())]
    while stack:
        steps, taken = stack.pop()
        onward = graph.forward(steps[-1])
        if not onward or graph.steps[steps[-1]].is_terminal:
            yield FlowPath(steps, taken)
            continue
        for edge in reversed(onward):
            assert edge.target is not None
            stack.append((steps + (edge.target,), taken + (edge.answers,)))


def all_paths(graph: FlowGraph, limit: int = MAX_PATHS) -> tuple[list[FlowPath], bool]:
    """Up to `limit` paths, and whether there were more."""
    found: list[FlowPath] = []
    for path in iter_paths(graph):
        if len(found) == limit:
            return found, True
        found.append(path)
    return found, False


def _walk_back(graph: FlowGraph, parent: dict[int, tuple[int, tuple[str, ...]]],
               end: int) -> FlowPath:
    steps, taken = [end], []
    while end in parent:
        end, answers = parent[end]
        steps.append(end)
        taken.append(answers)
    return FlowPath(tuple(reversed(steps)), tuple(reversed(taken)))


def contactless_paths(graph: FlowGraph) -> dict[int, FlowPath]:
    """CONFIRMATION steps reachable from the INTRO without passing a step that
    asks for a phone or an email, each with the shortest such path."""
    intro = graph.intro
    if intro is None or intro.collects_contact:
        return {}
    parent: dict[int, tuple[int, tuple[str, ...]]] = {}
    seen, queue = {intro.index}, [intro.index]
    found: dict[int, FlowPath] = {}
    for index in queue:  # breadth first: the path kept is a shortest one
        if graph.steps[index].type == "CONFIRMATION":
            found[index] = _walk_back(graph, parent, index)
            continue
        if graph.steps[index].is_terminal:
            continue
        for edge in graph.forward(index):
            assert edge.target is not None
            if edge.target not in seen and not graph.steps[edge.target].collects_contact:
                seen.add(edge.target)
                parent[edge.target] = (index, edge.answers)
                queue.append(edge.target)
    return found


def most_questions(graph: FlowGraph) -> dict[int, FlowPath]:
    """For every reachable step, a path from the INTRO to it that asks the
    most questions. Walkable edges only go forward, so index order is a
    topological order and one pass is exact."""
    intro = graph.intro
    if intro is None:
        return {}
    best: dict[int, int] = {intro.index: int(intro.is_question)}
    parent: dict[int, tuple[int, tuple[str, ...]]] = {}
    for step in graph.steps[intro.index:]:
        if step.index not in best or step.is_terminal:
            continue
        for edge in graph.forward(step.index):
            assert edge.target is not None
            count = best[step.index] + graph.steps[edge.target].is_question
            if count > best.get(edge.target, -1):
                best[edge.target] = count
                parent[edge.target] = (step.index, edge.answers)
    return {index: _walk_back(graph, parent, index) for index in sorted(best)}


# -- welcome messages ---------------------------------------------------------------------------
# What a Click-to-Messenger creative's welcome message does in Messenger, as
# a small tree: the bot's messages, then the choices the person can tap (ice
# breakers, quick replies, a button), each leading on, or the end. Read from
# the creative's body, so DSL and JSON creatives play alike.

INBOX = "the welcome message is over: the conversation goes on in your Page's inbox"
WHATSAPP_CHAT = "the welcome message is over: the conversation goes on in WhatsApp"
# Where the chat goes on, by the app the creative's button opens.
END_IN_APP = {"INSTAGRAM_DIRECT": "the welcome message is over: the conversation goes on "
                                  "in your Instagram account's inbox",
              "WHATSAPP": WHATSAPP_CHAT}


@record(frozen=True)
class Choice:
    label: str  # what the person taps
    then: Turn
    note: str = ""  # what the tap sends, e.g. a payload


@record(frozen=True)
class Turn:
    messages: tuple[str, ...]  # the bot's, in order
    choices: tuple[Choice, ...] = ()  # none: the welcome message ends here
    notes: tuple[str, ...] = ()  # shown after the messages
    end: str = INBOX


@record(frozen=True)
class WelcomeFlow:
    request: Request  # the creative
    form: str  # text, ice_breakers, templates, ...
    start: Turn

    @property
    def name(self) -> str:
        return self.request.name


def _get(value: Any, *keys: str | int) -> Any:
    for key in keys:
        if isinstance(key, int):
            value = value[key] if isinstance(value, list) and len(value) > key else None
        else:
            value = value.get(key) if isinstance(value, dict) else None
    return value


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _templates(series: list[Any]) -> Turn:
    """A template series: its messages in order, waiting at each one's quick replies."""
    after = Turn(())
    for item in reversed(series):
        text = _text(_get(item, "message", "text"))
        replies = [r for r in _items(_get(item, "message", "quick_replies"))
                   if isinstance(r, dict)]
        if replies:
            after = Turn((text,), tuple(
                Choice(_text(r.get("title")), after,
                       f"your webhook gets the payload {_text(r.get('payload'))!r}")
                for r in replies))
        else:
            after = Turn((text, *after.messages), after.choices, after.notes, after.end)
    return after


def whatsapp_turn(value: Any) -> tuple[str, Turn] | None:
    """A Click-to-WhatsApp greeting (Meta's CTWA shapes, built in compiler/bodies/welcome.py):
    its text, then what the person's chat offers; None for any other welcome."""
    message = _get(value, "text_format", "message")
    kind = _get(value, "text_format", "customer_action_type")
    if _get(value, "landing_screen_type") == "ctwa_call_prompt":
        kind = "ctwa_call_prompt"
    if kind not in ("autofill_message", "whatsapp_flow", "ctwa_call_prompt"):
        return None
    notes: list[str] = []
    cta = _get(message, "automated_greeting_message_cta")
    if kind == "whatsapp_flow":
        notes.append(f"a button {_text(_get(cta, 'flow_data', 'call_to_action'))!r} opens "
                     f"WhatsApp Flow {_text(_get(cta, 'flow_data', 'flow_id'))}")
    elif isinstance(cta, dict):
        url = f" ({_text(cta.get('url'))})" if cta.get("url") is not None else ""
        notes.append(f"a {_text(cta.get('type'))} button{url}")
    if kind == "ctwa_call_prompt":
        prompt = _text(_get(message, "call_prompt_data", "call_prompt_message"))
        notes.append(f"a button to call you on WhatsApp: {prompt}")
    prefill = _get(message, "autofill_message", "content")
    if prefill is not None:
        notes.append(f"the person's message box holds: {_text(prefill)}")
    return kind, Turn((_text(_get(message, "text")),), notes=tuple(notes), end=WHATSAPP_CHAT)


def _welcome_turn(value: Any) -> tuple[str, Turn]:
    """The form of a page_welcome_message and what it plays."""
    if isinstance(value, str):
        return "text", Turn((value,))
    if isinstance(value, list):
        if any(_get(i, "landing_screen_type") == "call_prompt" for i in value):
            message = _get(value, 0, "text_format", "message")
            prompt = _text(_get(message, "call_prompt_data", "call_prompt_message"))
            notes = (f"a button to call your Page: {prompt}",) if prompt else (
                "a button to call your Page",)
            return "call_prompt", Turn((_text(_get(message, "text")),), notes=notes)
        return "templates", _templates(value)
    if _get(value, "ctm_lead_gen_template_id") is not None:
        return "lead_form", Turn((), end="a Messenger lead form starts here: play it with "
                                 "adflow simulate --form and the lead form's name")
    message = _get(value, "text_format", "message")
    if _get(value, "text_format", "customer_action_type") == "ice_breakers":
        return "ice_breakers", Turn((_text(_get(message, "text")),), tuple(
            Choice(_text(b.get("title")), Turn((_text(b.get("response")),)))
            for b in _items(_get(message, "ice_breakers")) if isinstance(b, dict)))
    whatsapp = whatsapp_turn(value)
    if whatsapp is not None:
        return whatsapp
    message = _get(value, "image_format", "message")
    element = _get(message, "attachment", "payload", "elements", 0)
    if isinstance(element, dict):
        shown = " - ".join(t for t in (_text(element.get("title")),
                                       _text(element.get("subtitle"))) if t)
        return "subscribe", Turn((_text(_get(message, "text")), *([shown] if shown else [])),
                                 tuple(Choice(_text(b.get("title")), Turn(()),
                                              f"your webhook gets the payload "
                                              f"{_text(b.get('payload'))!r}")
                                       for b in _items(element.get("buttons"))
                                       if isinstance(b, dict)))
    return "unknown", Turn((_text(_get(message, "text")),))


def _app_of(creative: Request) -> str | None:
    """The app the creative's button opens: its app_destination, else the
    one the button type opens by itself (WHATSAPP_MESSAGE)."""
    found = call_to_action(creative)
    if found is None:
        return None
    app = _get(found[1], "value", "app_destination")
    kind = _get(found[1], "type")
    return app if isinstance(app, str) else APP_OF_BUTTON.get(kind if isinstance(kind, str)
                                                             else "")


def _ending_in(turn: Turn, end: str) -> Turn:
    """The turn with every end in the Page's inbox moved to `end`."""
    return Turn(turn.messages, tuple(Choice(c.label, _ending_in(c.then, end), c.note)
                                     for c in turn.choices),
                turn.notes, end if turn.end == INBOX else turn.end)


def welcome_flow(creative: Request, document: Document | None = None) -> WelcomeFlow | None:
    """The creative's welcome message as a tree to play; None if it has none.
    With the document, a welcome lead form of the file is named."""
    flow_id = _get(creative.view, "asset_feed_spec", "additional_data",
                   "partner_app_welcome_message_flow_id")
    if isinstance(flow_id, str):
        return WelcomeFlow(creative, "partner_flow", Turn(
            (), end=f"a partner app's welcome flow ({flow_id}) starts here: adflow cannot "
                    "play it"))
    found = welcome(creative)
    if found is None:
        return None
    form, turn = _welcome_turn(found[1])
    end = END_IN_APP.get(_app_of(creative) or "")
    if end is not None:
        turn = _ending_in(turn, end)
    target = document.resolve(_get(found[1], "ctm_lead_gen_template_id")) if document else None
    if form == "lead_form" and target is not None:
        turn = Turn((), end=f"lead form '{target.name}' starts here: adflow simulate --form "
                            f"{target.name} plays it")
    return WelcomeFlow(creative, form, turn)


def welcome_flows(document: Document) -> list[WelcomeFlow]:
    return [flow for creative in document.of_kind("creative")
            if (flow := welcome_flow(creative, document)) is not None]


def welcome_paths(flow: WelcomeFlow) -> tuple[list[tuple[int, ...]], bool]:
    """The choices (indexes) of each way through, in the order written,
    and whether there were more than MAX_PATHS."""
    out: list[tuple[int, ...]] = []

    def walk(turn: Turn, taken: tuple[int, ...]) -> bool:
        if not turn.choices:
            out.append(taken)
            return len(out) < MAX_PATHS
        return all(walk(c.then, (*taken, j)) for j, c in enumerate(turn.choices))

    return out, not walk(flow.start, ())


def describe_welcome_path(flow: WelcomeFlow, taken: tuple[int, ...]) -> str:
    parts, turn = ["greeting"], flow.start
    for j in taken:
        choice = turn.choices[j]
        parts.append(f'"{choice.label}"')
        turn = choice.then
    return " -> ".join([*parts, "end"])


def select_playable(document: Document, name: str | None
                    ) -> tuple[list[Request], list[WelcomeFlow]]:
    """The lead forms to play, or else the welcome messages (by creative
    name); LookupError says why there is nothing."""
    forms = list(document.of_kind("lead_form"))
    welcomes = welcome_flows(document)
    if not forms and not welcomes:
        raise LookupError(f"{document.path} has no lead form and no welcome message")
    if not welcomes:
        return select_forms(document, name), []
    if name is None:
        return (forms, []) if forms else ([], welcomes)
    chosen = ([f for f in forms if f.name == name], [w for w in welcomes if w.name == name])
    if forms and not (chosen[0] or chosen[1]):
        return select_forms(document, name), []  # says which lead forms there are
    if not (chosen[0] or chosen[1]):
        raise LookupError(f"no lead form or welcome message named {name!r}; the file has: "
                          + ", ".join([*(f.name for f in forms), *(w.name for w in welcomes)]))
    return chosen
