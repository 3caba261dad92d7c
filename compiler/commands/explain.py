"""`adflow explain CODE` (or the rule's name: `adflow explain backward-jump`), and
`adflow explain ERROR.json --plan PLAN.json [--key KEY]`"""

from __future__ import annotations

import argparse
import difflib
import json

from ..rules import ALL_RULES, BY_CODE
from ._shared import UsageError, reading


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("code", metavar="CODE|NAME", help="a code (F003) or a rule name "
                        "(backward-jump); with --plan, a saved Graph API error response")
    parser.add_argument("--plan", metavar="PLAN",
                        help="the plan (adflow compile --emit json) the failed request came from: "
                             "prints the line the error's blamed field was written on")
    parser.add_argument("--key", metavar="KEY",
                        help="the request that failed (default: those holding the blamed field)")


def run(args: argparse.Namespace) -> int:
    if args.plan is not None:
        return _explain_error(args.code, args.plan, args.key)
    by_name = {r.name: r for r in ALL_RULES}
    wanted = args.code.strip()
    rule = BY_CODE.get(wanted.upper()) or by_name.get(wanted.lower())
    if rule is None:
        close = difflib.get_close_matches(wanted.lower(), list(by_name), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else "; `adflow rules` lists them all"
        raise UsageError(f"unknown code or rule name {args.code!r}{hint}")
    from ..ruledocs import readable

    print(f"{rule.code} ({rule.name}, {rule.severity.value}): {rule.summary}\n")
    print(readable(rule.doc))
    if rule.evidence:
        print("\nEvidence:")
        for item in rule.evidence:
            print(f"  - {item}")
    return 0


def _load(name: str) -> object:
    with reading(name) as path:
        try:
            return json.loads(path.read_text("utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise UsageError(f"{name} is not JSON: {exc}") from None


def _explain_error(error_file: str, plan_file: str, key: str | None) -> int:
    from ..changes import explain_error

    answer, plan = _load(error_file), _load(plan_file)
    if not isinstance(plan, dict) or plan.get("format") != "adflow.plan/1":
        raise UsageError(f"{plan_file} is not an adflow plan (adflow compile --emit json)")
    try:
        lines = explain_error(plan, answer, key)
    except ValueError as exc:
        raise UsageError(f"{error_file}: {exc}") from None
    print("\n".join(lines))
    return 0
