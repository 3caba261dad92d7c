"""`adflow import FILE.json [-o OUT]`: Graph API JSON as an .adflow file;
`adflow import --live ID... [--account act_ID] -o OUT --state STATE`: what
runs at Meta, with a state that maps each object to its id."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ...findings.report import render_text, use_colour
from ._shared import UsageError, checked, write

# Findings that mean part of the input was not read (invalid JSON, a shape
# that is no payload, a file that is not text or too large, a value Meta
# cannot receive read as a stand-in) or cannot be written (S006, a field no
# `raw NAME` can name): importing the rest would lose it.
_UNREAD = ("S002", "S003", "S004", "S005", "S006", "S007")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE.json | ID", nargs="*",
                        help="a request body, a request {method, path, body}, a list of "
                             "requests or an adflow.plan/1 plan; with --live, campaign ids")
    parser.add_argument("--output", "-o", metavar="OUT", help="write here instead of stdout")
    parser.add_argument("--live", action="store_true",
                        help="read the campaigns (their ad sets, ads, creatives and lead "
                             "forms) from Meta; needs META_ACCESS_TOKEN, uses GRAPH_API_URL, "
                             "-o and --state")
    parser.add_argument("--account", metavar="act_ID",
                        help="with --live: every campaign of this ad account")
    parser.add_argument("--state", metavar="STATE",
                        help="with --live: the state file to write (a new one), mapping "
                             "each object to its id")


def run(args: argparse.Namespace) -> int:
    """The input goes through the same pipeline as `adflow check`: the exit
    status is check's verdict on it, and findings are shown on stderr. The
    DSL is written whenever the whole input was read, findings or not: it is
    the place to fix them."""
    from ...importer import import_document, unimportable
    from ...pipeline import fails

    if args.live:
        return run_live(args.file, args.account, args.output, args.state)
    if args.account is not None or args.state is not None:
        raise UsageError("--account and --state go with --live")
    if len(args.file) != 1:
        raise UsageError("import takes one FILE.json (campaign ids go with --live)")
    [args.file] = args.file
    result, config = checked(args.file)
    if result.document is not None:
        result.diagnostics = sorted(result.diagnostics + unimportable(result.document),
                                    key=lambda d: d.sort_key())
    if result.diagnostics:
        sys.stderr.write(render_text([result], use_colour(sys.stderr)))
    if result.document is None or any(d.code in _UNREAD for d in result.diagnostics):
        return 1
    write(import_document(result.document, Path(args.file).name), args.output, inputs=[args.file])
    return 1 if fails(result, config) else 0


def run_live(ids: list[str], account: str | None, output: str | None, state: str | None) -> int:
    """What runs at Meta as a file and a state in the bundle's format
    (compiler/tools/changes.py) on which `adflow plan` has nothing to change.
    Exit 0 (1 when the file written has errors), 1 when Meta cannot be read
    (a Graph error, no answer), 2 for usage problems."""
    from ...facts.versions import DEFAULT_API_VERSION
    from ...importer.live import (
        ACCOUNT,
        OBJECT_ID,
        Graph,
        LiveError,
        Reading,
        Unwritable,
        as_dsl,
        state_text,
    )
    from ...pipeline import check_file, fails, limits_for
    from ...project.config import ConfigError, Finder
    from ...tools.changes import DEFAULT_GRAPH_URL

    if not output or output == "-" or not state:
        raise UsageError("--live writes two files: name them with -o FILE.adflow and "
                         "--state STATE")
    if not ids and account is None:
        raise UsageError("--live reads campaigns: give their ids, or --account act_ID")
    for value in ids:
        if not OBJECT_ID.fullmatch(value):
            raise UsageError(f"{value!r} is not a campaign id (digits)")
    if account is not None and not ACCOUNT.fullmatch(account):
        raise UsageError(f"{account!r} is not an ad account (act_ followed by digits)")
    if Path(output).resolve() == Path(state).resolve():
        raise UsageError("-o and --state name the same file")
    if os.path.lexists(state) and (not os.path.isfile(state) or os.path.getsize(state)):
        raise UsageError(f"{state} exists: --live writes a new state, and the records in "
                         "this one would be lost")
    token = os.environ.get("META_ACCESS_TOKEN", "")
    if not token:
        raise UsageError("--live reads from Meta: set META_ACCESS_TOKEN")
    try:
        config = Finder().for_file(Path(output))
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    version = config.api_version or DEFAULT_API_VERSION
    campaigns = list(dict.fromkeys(ids))

    try:
        graph = Graph(os.environ.get("GRAPH_API_URL") or DEFAULT_GRAPH_URL, version, token)
    except LiveError as exc:
        raise UsageError(str(exc)) from None
    try:
        reading = Reading(graph)
        objects = reading.read(campaigns, account)
    except LiveError as exc:
        sys.stderr.write(f"adflow: import --live: {exc}\n")
        return 1
    for note in reading.notes:
        sys.stderr.write(f"adflow: import --live: note: {note}\n")
    if not objects:
        sys.stderr.write(f"adflow: import --live: {account} has no campaigns\n")
        return 1
    origin = "the Graph API (" + ", ".join(
        [*([account] if account else []), *(f"campaign {i}" for i in campaigns)]) + ")"
    try:
        text, keys = as_dsl(objects, version, origin, limits_for(config))
    except Unwritable as exc:
        sys.stderr.write("".join(f"adflow: import --live: {d.code} {d.message}\n"
                                 for d in exc.findings))
        sys.stderr.write(f"adflow: import --live: {exc}: nothing written\n")
        return 1

    result = check_file(Path(output), config, data=text.encode("utf-8"))
    if result.document is None:
        raise RuntimeError("the imported file has no model")
    state_lines = state_text(result.document, keys)
    write(text, output)
    write(state_lines, state)
    if result.diagnostics:
        sys.stderr.write(render_text([result], use_colour(sys.stderr)))
    counts: dict[str, int] = {}
    for found in objects:
        counts[found.kind] = counts.get(found.kind, 0) + 1
    sys.stderr.write(f"adflow: imported {', '.join(f'{n} {k}' for k, n in counts.items())} "
                     f"into {output}; their ids are in {state}\n")
    return 1 if fails(result, config) else 0
