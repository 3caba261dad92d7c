"""`adflow simulate FILE [--form NAME] [--name FIRST] [--answers LIST | --all-paths [-o DIR]]`

Three ways to play a lead form, or in a file without one a creative's
welcome message (the conversation itself is compiler/tools/simulate.py):

- interactive (default): the person types at the prompt, a line at a time,
  from a terminal or from piped stdin (then each answer is echoed, so the
  output reads like the transcript). End of input means the person left:
  the chat ends with a line saying so and status 0, as closing Messenger is.
- `--answers "Yes,Austin,..."`: the transcript of those answers. Status 0
  only if the chat reaches a CONFIRMATION or DISQUALIFY with every answer
  used; answers that run out, answers left over, or a form that cannot be
  followed are errors (status 1). An answer the bot refuses is shown with
  the bot's re-ask, and the next answer is the person's retry.
- `--all-paths`: one transcript per path through the form, with sample
  answers; to stdout, or one file per path into `-o DIR`. Status 1 if a
  path cannot be walked to its end.

Status 2: usage errors (an unknown --form, a file with several forms and no
--form, -o without --all-paths, no such file).
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from typing import TextIO

from ...bodies.model import Request
from ...findings.diagnostics import Severity
from ...findings.report import plural, terminal_safe
from ...pipeline import FileResult
from ...tools.flowgraph import (
    MAX_PATHS,
    FlowGraph,
    WelcomeFlow,
    all_paths,
    describe_welcome_path,
    flow_graph,
    select_playable,
    welcome_paths,
)
from ...tools.simulate import (
    SAMPLE_FIRST_NAME,
    Event,
    Outcome,
    conversation_of,
    path_answers,
    play,
    render_event,
    split_answers,
    welcome_answers,
    you_text,
)
from ._shared import UsageError, load, write

PROMPT = "you  "


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE",
                        help="the .adflow file with the lead form or welcome message")
    parser.add_argument("--form", metavar="NAME",
                        help="the lead form to play (needed when the file has several), or "
                             "the creative whose welcome message to play")
    parser.add_argument("--name", default=SAMPLE_FIRST_NAME, metavar="FIRST_NAME",
                        help="the person's first name, for {{user_first_name}} "
                             f"(default {SAMPLE_FIRST_NAME})")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--answers", metavar="LIST",
                      help='say these answers in order and print the transcript: comma-separated, '
                           r'"\," for a comma, an empty item to say nothing (skip)')
    mode.add_argument("--all-paths", action="store_true",
                      help="one transcript per path through the form, with sample answers")
    parser.add_argument("--output", "-o", metavar="DIR",
                        help="with --all-paths: write <form>.path-<N>.txt files into DIR")


def _errors_note(result: FileResult, forms: list[Request], file: str) -> None:
    """Say once that the form has errors, so a chat that gets stuck is no surprise."""
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR
              and any(d.concerns(form.place()) for form in forms)]
    if errors:
        kinds = {form.kind for form in forms}
        what = ("this lead form" if kinds == {"lead_form"} else
                "this welcome message" if kinds == {"creative"} else "what it plays")
        sys.stderr.write(f"adflow: note: {file} has {plural(len(errors), 'error')} in {what} "
                         "(adflow check shows them); the simulation follows what can be "
                         "walked\n")


def run(args: argparse.Namespace) -> int:
    if args.output and not args.all_paths:
        raise UsageError("-o/--output DIR goes with --all-paths")
    result, document = load(args.file)
    try:
        forms, welcomes = select_playable(document, args.form)
    except LookupError as exc:
        raise UsageError(str(exc)) from None
    graphs: list[FlowGraph | WelcomeFlow] = [*map(flow_graph, forms), *welcomes]
    if not args.all_paths and len(graphs) > 1:
        what = "lead forms" if forms else "welcome messages"
        raise UsageError(f"{args.file} has {len(graphs)} {what}; choose one with --form: "
                         + ", ".join(g.name for g in graphs))
    _errors_note(result, [*forms, *(w.request for w in welcomes)], args.file)
    if args.all_paths:
        return _all_paths(graphs, args.name, args.output, args.file)
    graph = graphs[0]
    if args.answers is not None:
        return _scripted(graph, split_answers(args.answers), args.name)
    return _interactive(graph, args.name, sys.stdin, sys.stdout)


# -- --answers ---------------------------------------------------------------------------------


def _scripted(graph: FlowGraph | WelcomeFlow, answers: list[str], first_name: str) -> int:
    playback = play(graph, answers, first_name)
    sys.stdout.write(playback.transcript)
    step = f"step '{playback.ended_at.name}'" if playback.ended_at else "the start"
    if playback.outcome is Outcome.STUCK:
        sys.stderr.write(f"adflow: error: the lead form cannot go on at {step}\n")
        return 1
    if playback.outcome is Outcome.LEFT:
        sys.stderr.write(f"adflow: error: the answers ran out at {step} (all {len(answers)} "
                         "used); give one for each question, an empty item to say nothing\n")
        return 1
    left_over = answers[playback.used:]
    if left_over:
        listed = ", ".join(repr(a) for a in left_over)
        sys.stderr.write(f"adflow: error: the conversation ended with "
                         f"{plural(len(left_over), 'answer')} left over: {listed}\n")
        return 1
    return 0


# -- interactive -------------------------------------------------------------------------------


def _show(events: list[Event], out: TextIO) -> None:
    for event in events:
        if event.kind != "you":  # the person's line is already on screen
            out.write(render_event(event) + "\n")
    out.flush()


def _title(graph: FlowGraph | WelcomeFlow) -> str:
    if isinstance(graph, WelcomeFlow):
        return f"the welcome message of creative '{graph.name}'"
    return f"lead form '{graph.name}'"


def _interactive(graph: FlowGraph | WelcomeFlow, first_name: str, stdin: TextIO,
                 out: TextIO) -> int:
    typing = stdin.isatty()
    if isinstance(stdin, io.TextIOWrapper):  # bytes that are not text: a typo, not a crash
        stdin.reconfigure(errors="replace")
    sys.stderr.write(f"adflow: playing {_title(graph)} as {first_name}: type an "
                     "answer or its number, an empty line to say nothing, end of input "
                     "(Ctrl-D) to leave\n")
    sys.stderr.flush()
    conversation = conversation_of(graph, first_name)
    _show(conversation.start(), out)
    while conversation.waiting is not None:
        out.write(PROMPT)
        out.flush()
        # readline, not input(): no line editing or termios, the same from a
        # terminal and from a pipe.
        line = stdin.readline()
        if not line:
            out.write("(end of input)\n")
            _show(conversation.leave(), out)
            break
        said = line.rstrip("\r\n")
        if not typing:  # a terminal echoes what is typed; a pipe does not
            out.write(terminal_safe(you_text(said.strip())) + "\n")
        _show(conversation.say(said), out)
    return 1 if conversation.outcome is Outcome.STUCK else 0


# -- --all-paths -------------------------------------------------------------------------------


def _path_transcripts(graph: FlowGraph | WelcomeFlow,
                      first_name: str) -> tuple[list[str], bool, bool]:
    """Each path's header and transcript; whether all were walked to the end;
    whether there were more paths than listed."""
    walks: list[tuple[str, list[str]]]
    if isinstance(graph, WelcomeFlow):
        taken, more = welcome_paths(graph)
        walks = [(describe_welcome_path(graph, t), welcome_answers(graph, t)) for t in taken]
        title = f"creative {graph.name}"
    else:
        paths, more = all_paths(graph)
        walks = [(p.describe(graph), path_answers(graph, p)) for p in paths]
        title = graph.name
    chunks, walked = [], True
    for number, (described, answers) in enumerate(walks, start=1):
        playback = play(graph, answers, first_name)
        walked = walked and playback.outcome.completed
        header = terminal_safe(f"== {title}, path {number} of {len(walks)}: "
                               f"{described}") + "\n\n"
        chunks.append(header + playback.transcript)
    return chunks, walked, more


def _all_paths(graphs: list[FlowGraph | WelcomeFlow], first_name: str, output: str | None,
               source_file: str) -> int:
    status = 0
    summary: list[str] = []
    for graph in graphs:
        chunks, walked, more = _path_transcripts(graph, first_name)
        if not chunks:
            sys.stderr.write(f"adflow: error: lead form '{graph.name}' has no INTRO step, so "
                             "no path starts (F001)\n")
            status = 1
            continue
        if not walked:
            sys.stderr.write(f"adflow: error: lead form '{graph.name}': some paths cannot be "
                             "walked to a CONFIRMATION or DISQUALIFY (see the '-- stuck' "
                             "lines)\n")
            status = 1
        if more:
            sys.stderr.write(f"adflow: note: lead form '{graph.name}' has over {MAX_PATHS:,} "
                             f"paths; the first {MAX_PATHS:,} are simulated\n")
        if output is None:
            summary.append("\n".join(chunks))
            continue
        folder = Path(output)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"cannot write to {output}: {exc.strerror or exc}") from None
        width = len(str(len(chunks)))
        for number, chunk in enumerate(chunks, start=1):
            target = folder / f"{graph.name}.path-{number:0{width}}.txt"
            write(chunk, str(target), inputs=[source_file])
        kind = "creative" if isinstance(graph, WelcomeFlow) else "lead form"
        summary.append(f"{kind} {graph.name}: {plural(len(chunks), 'transcript')} "
                       f"written to {folder}")
    if output is None:  # transcripts, set apart by a blank line
        sys.stdout.write("\n".join(summary))
    else:  # a line a form
        sys.stdout.write("".join(line + "\n" for line in summary))
    return status

