"""`adflow import FILE.json [-o OUT]`: Graph API JSON as an .adflow file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ...findings.report import render_text, use_colour
from ._shared import checked, write

# Findings that mean part of the input was not read (invalid JSON, a shape
# that is no payload, a file that is not text or too large, a value Meta
# cannot receive read as a stand-in) or cannot be written (S006, a field no
# `raw NAME` can name): importing the rest would lose it.
_UNREAD = ("S002", "S003", "S004", "S005", "S006", "S007")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE.json",
                        help="a request body, a request {method, path, body}, a list of "
                             "requests or an adflow.plan/1 plan")
    parser.add_argument("--output", "-o", metavar="OUT", help="write here instead of stdout")


def run(args: argparse.Namespace) -> int:
    """The input goes through the same pipeline as `adflow check`: the exit
    status is check's verdict on it, and findings are shown on stderr. The
    DSL is written whenever the whole input was read, findings or not: it is
    the place to fix them."""
    from ...importer import import_document, unimportable
    from ...pipeline import fails

    result, config = checked(args.file)
    if result.document is not None:
        result.diagnostics = sorted(result.diagnostics + unimportable(result.document),
                                    key=lambda d: d.sort_key())
    if result.diagnostics:
        sys.stderr.write(render_text([result], use_colour(sys.stderr)))
    if result.document is None or any(d.code in _UNREAD for d in result.diagnostics):
        return 1
    write(import_document(result.document, Path(args.file).name), args.output, inputs=[args.file])
    return 1 if fails(result, config) else 0
