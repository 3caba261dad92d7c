"""`adflow graph FILE [--form NAME] [--format mermaid|dot] [-o OUT]`"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from typing import Any

from ..cli import UsageError, reading
from ..diagnostics import FileResult
from ..model import Document, Request
from ..report import render_text, use_colour, write


def load(file: str, **settings: Any) -> tuple[FileResult, Document]:
    """Check a file for the commands that show it (graph, paths, simulate,
    preview), with its configuration and suppressions, so they show what
    `adflow check` reports; `settings` override the configuration's. A file
    with no model is reported like `adflow check` does, and ends the command
    with status 1."""
    from ..check import check_file
    from ..config import ConfigError, Finder

    try:
        with reading(file) as path:
            result = check_file(path, replace(Finder().for_file(path), **settings))
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    if result.document is None:
        sys.stderr.write(render_text([result], use_colour(sys.stderr)))
        raise SystemExit(1)
    return result, result.document


def chosen_forms(document: Document, name: str | None) -> list[Request]:
    from ..flowgraph import select_forms

    try:
        return select_forms(document, name)
    except LookupError as exc:
        raise UsageError(str(exc)) from None


def configure(parser: argparse.ArgumentParser) -> None:
    from adflow.emitters.graph import FORMATS

    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--form", metavar="NAME",
                        help="only this lead form's flow (default: every form and the objects)")
    parser.add_argument("--format", choices=FORMATS, default="mermaid")
    parser.add_argument("--output", "-o", metavar="OUT", help="write here instead of stdout")


def run(args: argparse.Namespace) -> int:
    from adflow.emitters.graph import render_graph

    result, document = load(args.file)
    forms = chosen_forms(document, args.form) if args.form else None
    write(render_graph(document, result.diagnostics, args.format, forms), args.output,
          inputs=[args.file])
    return 0
