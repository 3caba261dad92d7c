"""`adflow graph FILE [--form NAME] [--format mermaid|dot] [-o OUT]`"""

from __future__ import annotations

import argparse

from ._shared import chosen_forms, load, write


def configure(parser: argparse.ArgumentParser) -> None:
    from adflow.emitters.graph import FORMATS

    parser.add_argument("file", metavar="FILE", help="the .adflow file to draw")
    parser.add_argument("--form", metavar="NAME",
                        help="only this lead form's flow (default: every form and the objects)")
    parser.add_argument("--format", choices=FORMATS, default="mermaid",
                        help="mermaid (the default) or dot (Graphviz)")
    parser.add_argument("--output", "-o", metavar="OUT", help="write here instead of stdout")


def run(args: argparse.Namespace) -> int:
    from adflow.emitters.graph import render_graph

    result, document = load(args.file)
    forms = chosen_forms(document, args.form) if args.form else None
    write(render_graph(document, result.diagnostics, args.format, forms), args.output,
          inputs=[args.file])
    return 0
