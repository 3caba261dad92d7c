"""`adflow check PATH...`"""

from __future__ import annotations

import argparse
import sys
import time

from ..check import FileResult, check_path
from ..cli import UsageError
from ..files import discover
from ..report import render_json, render_text, use_colour, write

FORMATS = ("text", "json")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help=".adflow files, Graph API .json payloads, or directories")
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument("--output", "-o", metavar="FILE", help="write the report here")
    parser.add_argument("--strict", action="store_true", help="warnings fail the check too")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto")


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    try:
        files = discover(args.paths)
    except FileNotFoundError as exc:
        raise UsageError(str(exc)) from None
    results: list[FileResult] = []
    for path in files:
        try:
            results.append(check_path(path))
        except OSError as exc:
            raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    if args.format == "json":
        text = render_json(results)
    else:
        colour = use_colour(sys.stdout, args.color) and not args.output
        text = render_text(results, colour, time.perf_counter() - started if len(files) > 1 else None)
    write(text, args.output)
    failing = {"error"} | ({"warning"} if args.strict else set())
    return 1 if any(d.severity.value in failing for r in results for d in r.diagnostics) else 0
