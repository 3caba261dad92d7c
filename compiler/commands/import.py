"""`adflow import FILE.json [-o OUT]`: Graph API JSON as an .adflow file."""

from __future__ import annotations

import argparse
import sys

from ..cli import reading
from ..report import render_text, use_colour, write


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE.json",
                        help="a request body, a request {method, path, body}, a list of "
                             "requests or an adflow.plan/1 plan")
    parser.add_argument("--output", "-o", metavar="OUT", help="write here instead of stdout")


def run(args: argparse.Namespace) -> int:
    from ..diagnostics import FileResult
    from ..importer import import_document
    from ..jsonsrc import document_from_json
    from ..rules import BY_CODE
    from ..source import InputError, read

    try:
        with reading(args.file) as path:
            source = read(path, args.file)
    except InputError as exc:
        diagnostic = BY_CODE[exc.code].diag(exc.span, exc.message)
        sys.stderr.write(render_text([FileResult(args.file, None, None, [diagnostic])],
                                     use_colour(sys.stderr)))
        return 1
    document, diagnostics = document_from_json(source)
    if document is None or diagnostics:
        # Part of the input could not be read: importing the rest would lose it.
        sys.stderr.write(render_text([FileResult(args.file, source, document, diagnostics)],
                                     use_colour(sys.stderr)))
        return 1
    write(import_document(document, path.name), args.output)
    return 0
