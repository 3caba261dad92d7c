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
    from ..config import ConfigError, Finder
    from .check import checked

    try:
        with reading(args.file) as path:
            # The configured default version is the one the plan targets, as
            # it is the one `adflow check` judged.
            result = checked(path, Finder().for_file(path))
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    if not result.errors and result.document is not None:
        from ..schemas import schema_diagnostics

        result.diagnostics += schema_diagnostics(result.document)
    if result.errors or result.document is None:
        sys.stderr.write(render_text([result], use_colour(sys.stderr)))
        return 1
    module, function = EMITTERS[args.emit]
    text = getattr(importlib.import_module(module), function)(result.document)
    write(text, args.output, inputs=[args.file])
    return 0
