"""`adflow paths FILE [--form NAME] [--max-questions N]`: every path through each lead
form, or in a file without one, through each creative's welcome message."""

from __future__ import annotations

import argparse

from ...findings.report import plural, terminal_safe
from ._shared import load, write


def configure(parser: argparse.ArgumentParser) -> None:
    from ...front.limits import DEFAULT_MAX_QUESTIONS

    parser.add_argument("file", metavar="FILE",
                        help="the .adflow file with the lead form or welcome message")
    parser.add_argument("--form", metavar="NAME",
                        help="only this lead form (or creative, for its welcome message)")
    parser.add_argument("--max-questions", type=int, metavar="N",
                        help=f"F019's limit of questions on one path (default: the "
                             f"max-questions setting, else {DEFAULT_MAX_QUESTIONS})")
    parser.add_argument("--output", "-o", metavar="OUT", help="write here instead of stdout")


def run(args: argparse.Namespace) -> int:
    from ...tools.flowgraph import (
        MAX_PATHS,
        all_paths,
        describe_welcome_path,
        flow_graph,
        select_playable,
        welcome_paths,
    )
    from ._shared import UsageError

    if args.max_questions is None:
        result, document = load(args.file)
    elif args.max_questions < 1:
        raise UsageError("--max-questions must be at least 1")
    else:
        result, document = load(args.file, max_questions=args.max_questions)
    try:
        forms, welcomes = select_playable(document, args.form)
    except LookupError as exc:
        raise UsageError(str(exc)) from None
    lines: list[str] = []
    for flow in welcomes:  # a file without a lead form: its welcome messages
        taken, more = welcome_paths(flow)
        total = f"over {MAX_PATHS:,} paths (the first {MAX_PATHS:,} shown)" if more else (
            plural(len(taken), "path"))
        lines.append(f"welcome message of creative {flow.name} ({flow.form}): {total}")
        width = len(str(len(taken)))
        for number, choices in enumerate(taken, start=1):
            lines.append(f"  {number:>{width}}. {describe_welcome_path(flow, choices)}")
        lines.append("")
    for form in forms:
        graph = flow_graph(form)
        paths, more = all_paths(graph)
        longest = max((p.questions(graph) for p in paths), default=0)
        total = f"over {MAX_PATHS:,} paths (the first {MAX_PATHS:,} shown)" if more else (
            plural(len(paths), "path"))
        lines.append(f"lead form {form.name}: {total}, the longest asks "
                     f"{plural(longest, 'question')}")
        if graph.intro is None:
            lines.append("  (no INTRO step: no path starts)")
        width = len(str(len(paths)))
        for number, path in enumerate(paths, start=1):
            lines.append(f"  {number:>{width}}. {path.describe(graph)}")
            lines.append(f"  {'':>{width}}  {plural(path.questions(graph), 'question')}, "
                         f"ends: {path.end(graph)}")
        for d in result.diagnostics:
            if d.concerns(form.place()):
                lines.append(f"  {d.severity.value} {d.code} at line {d.span.line}: {d.message}")
        lines.append("")
    write("\n".join(terminal_safe(line) for line in lines), args.output, inputs=[args.file])
    return 0
