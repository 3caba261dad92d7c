"""`adflow import --live ID... [--account act_ID] -o OUT --state STATE`.

What runs at Meta becomes an .adflow file and a state in the bundle's format
(compiler/tools/changes.py), each object's line holding the id it has and the
fields the file sends, so that `adflow plan OUT --state STATE` has nothing to
change. Exit 0 (or 1 when the file written has errors), 1 when Meta cannot be
read (a Graph error, no answer), 2 for usage problems.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ._shared import UsageError, write

if TYPE_CHECKING:
    from ...bodies.model import Document

# Findings on what Meta answered that mean part of it cannot be written.
_UNREAD = ("S002", "S003", "S004", "S005", "S006", "S007")


def import_live(ids: list[str], account: str | None, output: str | None,
                state: str | None) -> int:
    from ...facts.facts import DEFAULT_API_VERSION
    from ...findings.report import render_text, use_colour
    from ...front.source import Source
    from ...importer import Importer, unimportable
    from ...importer.live import ACCOUNT, OBJECT_ID, Graph, LiveError, Reading, as_plan
    from ...pipeline import check_file, check_source, fails, limits_for
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

    try:
        graph = Graph(os.environ.get("GRAPH_API_URL") or DEFAULT_GRAPH_URL, version, token)
        reading = Reading(graph)
        objects = reading.read(list(dict.fromkeys(ids)), account)
    except LiveError as exc:
        sys.stderr.write(f"adflow: import --live: {exc}\n")
        return 1
    for note in reading.notes:
        sys.stderr.write(f"adflow: import --live: note: {note}\n")
    if not objects:
        sys.stderr.write(f"adflow: import --live: {account} has no campaigns\n")
        return 1

    # What Meta answered, as a plan, goes through the JSON importer.
    answered = json.dumps(as_plan(objects, version), ensure_ascii=False, indent=2)
    read = check_source(Source("graph-api.json", answered), limits_for(config), version)
    document: Document | None = read.document
    unread = [d for d in read.diagnostics if d.code in _UNREAD]
    if document is not None:
        unread += unimportable(document)
    if document is None or unread:
        sys.stderr.write(render_text([read], use_colour(sys.stderr)) if document is None else
                         "".join(f"adflow: import --live: {d.message}\n" for d in unread))
        sys.stderr.write("adflow: import --live: what Meta answered cannot be written in "
                         "adflow: nothing written\n")
        return 1
    origin = "the Graph API (" + ", ".join(
        [*([account] if account else []), *(f"campaign {i}" for i in dict.fromkeys(ids))]) + ")"
    importer = Importer(document, origin)
    text = importer.run()

    result = check_file(Path(output), config, data=text.encode("utf-8"))
    if result.document is None:
        raise RuntimeError("the imported file has no model")
    ids_of = {importer.new_key(r): r.key.split(".", 1)[1] for r in document.requests}
    write(text, output)
    write(state_text(result.document, ids_of), state)
    if result.diagnostics:
        sys.stderr.write(render_text([result], use_colour(sys.stderr)))
    counts: dict[str, int] = {}
    for found in objects:
        counts[found.kind] = counts.get(found.kind, 0) + 1
    sys.stderr.write(f"adflow: imported {', '.join(f'{n} {k}' for k, n in counts.items())} "
                     f"into {output}; their ids are in {state}\n")
    return 1 if fails(result, config) else 0


def state_text(document: Document, ids: dict[str, str]) -> str:
    """A done line per object, as the bundle writes one after a create: the
    id, the edge, the fields the file sends (ids filled in) and their digest."""
    from ...tools.changes import compact, digest, resolve

    lines = []
    for request in document.requests:
        if request.key not in ids:
            raise RuntimeError(f"{request.key} was not read from Meta")
        fields = resolve({k: v for k, v in request.body.items() if k != "execution_options"},
                         ids)
        lines.append(compact({"key": request.key, "id": ids[request.key], "path": request.path,
                              "digest": digest(fields), "fields": fields}) + "\n")
    return "".join(lines)
