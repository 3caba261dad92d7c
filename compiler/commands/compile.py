"""`adflow compile FILE --emit json|curl [-o OUT]`"""

from __future__ import annotations

import argparse
import importlib
import sys

from ..cli import UsageError, reading
from ..report import render_text, use_colour, write

# --emit value -> (module, function) rendering a Document as text.
EMITTERS = {
    "json": ("adflow.emitters.plan", "render_plan"),
    "curl": ("adflow.emitters.curl", "render_curl"),
}


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--emit", choices=sorted(EMITTERS), default="json")
    parser.add_argument("--output", "-o", metavar="OUT", help="write here instead of stdout")


def run(args: argparse.Namespace) -> int:
    from ..check import check_file, fails
    from ..config import ConfigError, Finder

    try:
        with reading(args.file) as path:
            # The same pipeline and configuration as `adflow check`: the plan
            # targets the version check judged, and a file compiles exactly
            # when check passes it (ignored and suppressed codes included).
            config = Finder().for_file(path)
            result = check_file(path, config)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    if result.document is None or fails(result, config):
        sys.stderr.write(render_text([result], use_colour(sys.stderr)))
        return 1
    module, function = EMITTERS[args.emit]
    text = getattr(importlib.import_module(module), function)(result.document)
    write(text, args.output, inputs=[args.file])
    return 0
