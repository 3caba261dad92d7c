"""`adflow rules`: every code with its severity and summary."""

from __future__ import annotations

import argparse
import json

from ..rules import ALL_RULES


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace) -> int:
    if args.format == "json":
        rows = [{"code": r.code, "name": r.name, "severity": r.severity.value,
                 "summary": r.summary, "doc": r.doc} for r in ALL_RULES]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    for r in ALL_RULES:
        print(f"{r.code}  {r.severity.value:<7}  {r.name:<32} {r.summary}")
    return 0
