"""`adflow preview FILE [--form NAME] [-o OUT]`: a self-contained HTML page of
what a person sees: each ad, the Messenger chat it opens, and each lead form
as a conversation next to its flow. Findings are shown where they apply; the
status is 0 whatever they are (the page is for looking, `adflow check` gates).
"""

from __future__ import annotations

import argparse

from ._shared import chosen_forms, load, write


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the .adflow file to show")
    parser.add_argument("--form", metavar="NAME",
                        help="only this lead form and the creatives that open it "
                             "(default: every creative and form)")
    parser.add_argument("--output", "-o", metavar="OUT", help="write here instead of stdout")


def run(args: argparse.Namespace) -> int:
    from adflow.emitters.preview import render_preview

    result, document = load(args.file)
    forms = chosen_forms(document, args.form) if args.form else None
    write(render_preview(document, result.diagnostics, forms), args.output, inputs=[args.file])
    return 0
