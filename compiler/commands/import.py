"""`adflow import FILE.json [-o OUT]`: Graph API JSON as an .adflow file."""

from __future__ import annotations

import argparse
import sys

from ..cli import reading
from ..diagnostics import FileResult
from ..report import render_text, use_colour, write


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE.json",
                        help="a request body, a request {method, path, body}, a list of "
                             "requests or an adflow.plan/1 plan")
    parser.add_argument("--output", "-o", metavar="OUT", help="write here instead of stdout")


def _refuse(result: FileResult) -> int:
    sys.stderr.write(render_text([result], use_colour(sys.stderr)))
    return 1


def run(args: argparse.Namespace) -> int:
    from ..check import input_problem, unreadable
    from ..importer import import_document, unimportable
    from ..jsonsrc import document_from_json
    from ..source import InputError, read

    try:
        with reading(args.file) as path:
            source = read(path, args.file)
    except InputError as exc:
        return _refuse(unreadable(args.file, exc))
    problem = input_problem(source)  # the reader below recurses: keep it within limits
    if problem is not None:
        return _refuse(FileResult(args.file, source, None, [problem]))
    document, diagnostics = document_from_json(source)
    diagnostics += unimportable(document) if document is not None else []
    if document is None or diagnostics:
        # Part of the input could not be read: importing the rest would lose it.
        return _refuse(FileResult(args.file, source, document, diagnostics))
    write(import_document(document, path.name), args.output, inputs=[args.file])
    return 0
