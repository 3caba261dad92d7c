"""`adflow explain CODE`"""

from __future__ import annotations

import argparse

from ..cli import UsageError
from ..rules import BY_CODE


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("code", metavar="CODE")


def run(args: argparse.Namespace) -> int:
    rule = BY_CODE.get(args.code.upper())
    if rule is None:
        raise UsageError(f"unknown code {args.code!r}; `adflow rules` lists them all")
    print(f"{rule.code} ({rule.name}, {rule.severity.value}): {rule.summary}\n")
    print(rule.doc)
    return 0
