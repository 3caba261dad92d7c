"""`adflow compile FILE --emit json|curl [-o OUT]`"""

from __future__ import annotations

import argparse

from ._shared import compilable, write

EMITTERS = ("curl", "json")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the .adflow file (or Graph API .json) "
                        "to compile")
    parser.add_argument("--emit", choices=sorted(EMITTERS), default="json",
                        help="json: the plan, every request in creation order (the default); "
                             "curl: a bash + curl + jq bundle that sends them")
    parser.add_argument("--output", "-o", metavar="OUT", help="write here instead of stdout")


def run(args: argparse.Namespace) -> int:
    # The same pipeline and configuration as `adflow check`: the plan targets
    # the version check judged, and a file compiles exactly when check passes it.
    document = compilable(args.file)
    # Imported here, so that a run only loads the emitter it uses.
    if args.emit == "curl":
        from adflow.emitters.curl import render_curl as render
    else:
        from adflow.emitters.requests import render_plan as render
    text = render(document)
    write(text, args.output, inputs=[args.file])
    return 0
