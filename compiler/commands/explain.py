"""`adflow explain CODE` (or the rule's name: `adflow explain backward-jump`)"""

from __future__ import annotations

import argparse
import difflib

from ..cli import UsageError
from ..rules import ALL_RULES, BY_CODE


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("code", metavar="CODE|NAME", help="a code (F003) or a rule name "
                        "(backward-jump)")


def run(args: argparse.Namespace) -> int:
    by_name = {r.name: r for r in ALL_RULES}
    wanted = args.code.strip()
    rule = BY_CODE.get(wanted.upper()) or by_name.get(wanted.lower())
    if rule is None:
        close = difflib.get_close_matches(wanted.lower(), list(by_name), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else "; `adflow rules` lists them all"
        raise UsageError(f"unknown code or rule name {args.code!r}{hint}")
    print(f"{rule.code} ({rule.name}, {rule.severity.value}): {rule.summary}\n")
    print(rule.doc)
    return 0
