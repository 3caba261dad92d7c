"""`adflow compile FILE --emit json|curl [-o OUT]`, or
`adflow compile --emit curl --plan SAVED [-o OUT]`: the bundle of a saved
plan (`adflow plan FILE --state STATE -o SAVED.json`), which carries out
exactly the actions that plan decided and refuses a state changed since."""

from __future__ import annotations

import argparse

from ._shared import UsageError, compilable, read_text, write

EMITTERS = ("curl", "json")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", nargs="?",
                        help="the .adflow file (or Graph API .json) to compile")
    parser.add_argument("--emit", choices=sorted(EMITTERS), default="json",
                        help="json: the plan, every request in creation order (the default); "
                             "curl: a bash + curl + jq bundle that sends them")
    parser.add_argument("--plan", metavar="SAVED",
                        help="with --emit curl and no FILE: a bundle that carries out this "
                             "saved plan (adflow plan FILE --state STATE -o SAVED.json) "
                             "exactly, over the state it read")
    parser.add_argument("--output", "-o", metavar="OUT", help="write here instead of stdout")


def run(args: argparse.Namespace) -> int:
    if args.plan is not None:
        if args.file is not None or args.emit != "curl":
            raise UsageError("--plan goes with --emit curl and no FILE: "
                             "adflow compile --emit curl --plan SAVED")
        write(_saved_bundle(args.plan), args.output, inputs=[args.plan])
        return 0
    if args.file is None:
        raise UsageError("name the file to compile (or --emit curl --plan SAVED)")
    # The same pipeline and configuration as `adflow check`: the plan targets
    # the version check judged, and a file compiles exactly when check passes it.
    document = compilable(args.file)
    # Imported here, so that a run only loads the emitter it uses.
    if args.emit == "curl":
        from adflow.emitters.curl import render_curl

        write(render_curl(document), args.output, inputs=[args.file])
    else:  # a large plan is written a request at a time: never whole in memory
        from adflow.emitters.requests import plan_pieces

        write(plan_pieces(document), args.output, inputs=[args.file])
    return 0


def _saved_bundle(path: str) -> str:
    from adflow.emitters.curl import render_saved_curl

    from ...apply import saved

    text = read_text(path, errors="replace")
    try:
        plan = saved.load(text)
    except ValueError as exc:
        raise UsageError(f"{path}: {exc}") from None
    return render_saved_curl(saved.request_plan(plan), saved.decisions(plan), path)
