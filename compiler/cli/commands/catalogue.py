"""`adflow catalogue FILE [-o OUT]`: the gettext template (.pot) of the texts
a file's markets translate."""

from __future__ import annotations

import argparse

from ._shared import load, write


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the .adflow file whose texts to list")
    parser.add_argument("--output", "-o", metavar="OUT",
                        help="write here (e.g. messages.pot) instead of stdout")


def run(args: argparse.Namespace) -> int:
    from ...bodies.markets import catalogue_template
    from ...facts.clock import today_iso

    # Findings do not stop it: the template is what fixes a missing translation.
    _, document = load(args.file)
    write(catalogue_template(document, today_iso()), args.output, inputs=[args.file])
    return 0
