"""`adflow explain CODE` (or the rule's name: `adflow explain backward-jump`),
`adflow explain ERROR.json` (what a saved Graph API error means) and
`adflow explain ERROR.json --plan PLAN.json [--key KEY]` (the line it blames)"""

from __future__ import annotations

import argparse
import difflib
import json
import os

from ...rules import ALL_RULES, BY_CODE
from ._shared import UsageError, read_text


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("code", metavar="CODE|NAME|ERROR.json", help="a code (F003), a rule "
                        "name (backward-jump), or a saved Graph API error response (a .json "
                        "file): what its code and subcode mean, and with --plan its line")
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
    if rule is None and (wanted.endswith(".json") or os.path.isfile(wanted)):
        return _describe_error(args.code)
    if rule is None:
        close = difflib.get_close_matches(wanted.lower(), list(by_name), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else "; `adflow rules` lists them all"
        raise UsageError(f"unknown code or rule name {args.code!r}{hint}")
    from ...findings.ruledocs import readable

    print(f"{rule.code} ({rule.name}, {rule.severity.value}): {rule.summary}\n")
    print(readable(rule.doc))
    if rule.evidence:
        print("\nEvidence:")
        for item in rule.evidence:
            print(f"  - {item}")
    return 0


def _load(name: str) -> object:
    try:
        return json.loads(read_text(name))
    except (ValueError, UnicodeDecodeError) as exc:
        raise UsageError(f"{name} is not JSON: {exc}") from None


def _describe_error(error_file: str) -> int:
    """A saved Graph API error without the plan: what Meta's code and
    subcode mean, the fields it blames, and how --plan finds their line."""
    from ...facts.errors import ERROR_SUBCODES, GRAPH_ERRORS, should_retry
    from ...tools.changes import blamed_paths, error_of, graph_error_text

    answer = _load(error_file)
    error = error_of(answer)
    if error is None:
        raise UsageError(f"{error_file} is not a Graph API error response "
                         '({"error": {"code": ..., "message": ...}})')
    lines = [graph_error_text(answer)]
    code, subcode = error.get("code"), error.get("error_subcode")
    if isinstance(code, int):
        known = GRAPH_ERRORS.get(code)
        if known is not None:
            lines.append(f"  code {code}: {known.message} (Meta's {known.source})")
        retry = should_retry(code, error.get("is_transient") is True)
        lines.append(f"  retry: {'yes, with backoff' if retry else 'no, retrying cannot help'}")
    if isinstance(subcode, int) and subcode in ERROR_SUBCODES:
        lines.append(f"  subcode {subcode}: {ERROR_SUBCODES[subcode]}")
    for path in blamed_paths(error):
        lines.append(f"  blamed field: {'.'.join(path)}")
    lines.append(f"  --plan maps it to a line: adflow explain {error_file} --plan PLAN.json "
                 "(PLAN.json from adflow compile --emit json, the plan the request came from)")
    from ...findings.report import terminal_safe  # Meta's message may hold anything

    print("\n".join(terminal_safe(line) for line in lines))
    return 0


def _explain_error(error_file: str, plan_file: str, key: str | None) -> int:
    from ...tools.changes import explain_error

    answer, plan = _load(error_file), _load(plan_file)
    if not isinstance(plan, dict) or plan.get("format") != "adflow.plan/1":
        raise UsageError(f"{plan_file} is not an adflow plan (adflow compile --emit json)")
    try:
        lines = explain_error(plan, answer, key)
    except ValueError as exc:
        raise UsageError(f"{error_file}: {exc}") from None
    print("\n".join(lines))
    return 0
