"""The curl bundle (`adflow compile --emit curl`): a bash script that sends the
plan's requests with curl and jq.

The plan travels inside the script as base64 of ASCII-only JSON, so no text a
marketer wrote is ever read by the shell: quotes, `$()`, heredoc delimiters,
`@file` and line separators are all just base64 digits until jq decodes them.
The script itself is fixed text plus a few values passed through `shell_quote`.

Each body also travels as its exact JSON text (`wire`), in pieces between the
places where an id goes: jq only joins strings, so no number is ever parsed
(jq 1.6 rounds integers past 2**53) and the body arrives as the plan says.
"""

from __future__ import annotations

import base64
import json
import re
from functools import cache
from typing import Any

import jinja2
from adflow.compiler import __version__
from adflow.compiler.bodies.model import Document
from adflow.compiler.facts import facts

from .requests import build_plan
from .templating import load_template

TEMPLATE = "bundle.sh.j2"
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
BASE64_LINE = 76  # the MIME line length: short lines keep diffs and editors happy


def shell_quote(value: object) -> str:
    """One bash word holding exactly `value`: single quotes, with each `'`
    written as `'\\''` (nothing is special inside single quotes)."""
    text = str(value)
    if "\0" in text:  # bash strings cannot hold NUL; never silently truncate
        raise ValueError("a NUL character cannot be passed to bash")
    return "'" + text.replace("'", "'\\''") + "'"


def json_text(value: Any) -> str:
    """Compact JSON with every non-ASCII character escaped, in a stable order."""
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"))


def base64_lines(text: str) -> list[str]:
    encoded = base64.b64encode(text.encode("ascii")).decode("ascii")
    return [encoded[i:i + BASE64_LINE] for i in range(0, len(encoded), BASE64_LINE)] or [""]


def comment_text(value: object) -> str:
    """Text safe inside a `#` comment line: printable ASCII only."""
    return "".join(c if " " <= c <= "~" else "?" for c in str(value))


def code_ranges(codes: frozenset[int]) -> str:
    """Error codes as compact JSON [[low, high], ...], for the bundle's jq."""
    ranges: list[list[int]] = []
    for code in sorted(codes):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return json_text(ranges)


Piece = str | dict[str, Any]  # JSON text, or {"ref": KEY, "depth": N}


def wire(body: Any) -> list[Piece]:
    """`body` as ASCII JSON text, cut where a `$ref` id goes: {"ref": KEY,
    "depth": N} stands for the id as a JSON string, written N JSON strings
    deep (N > 0 inside `$json` text)."""
    return [_ascii(p) if isinstance(p, str) else p for p in _pieces(body)]


def _pieces(value: Any) -> list[Piece]:
    if isinstance(value, dict) and set(value) == {"$ref"}:
        return [{"ref": value["$ref"], "depth": 0}]
    if isinstance(value, dict) and set(value) == {"$json"}:
        # JSON text inside a JSON string: escaping works character by character,
        # so each piece can be escaped on its own.
        inner = [json.dumps(p, ensure_ascii=False)[1:-1] if isinstance(p, str)
                 else {"ref": p["ref"], "depth": p["depth"] + 1}
                 for p in _pieces(value["$json"])]
        return _joined(['"', *inner, '"'])
    if isinstance(value, dict):
        members: list[Piece] = ["{"]
        for number, (name, item) in enumerate(value.items()):
            members += [("," if number else "") + json.dumps(name, ensure_ascii=False) + ":",
                        *_pieces(item)]
        return _joined([*members, "}"])
    if isinstance(value, list):
        items: list[Piece] = ["["]
        for number, item in enumerate(value):
            items += ["," if number else "", *_pieces(item)]
        return _joined([*items, "]"])
    return [json.dumps(value, ensure_ascii=False)]


def _joined(pieces: list[Piece]) -> list[Piece]:
    out: list[Piece] = []
    for piece in pieces:
        if isinstance(piece, str) and out and isinstance(out[-1], str):
            out[-1] += piece
        elif piece != "":
            out.append(piece)
    return out


def _ascii(text: str) -> str:
    # Outside strings JSON text is ASCII, so any other character sits in a
    # string, where json.dumps's \uXXXX escape (UTF-16, as JSON has it) says the same.
    return _NON_ASCII.sub(lambda m: json.dumps(m.group())[1:-1], text)


def bundle_plan(document: Document) -> dict[str, Any]:
    """The plan, each request with its body's `wire` pieces as sent, and as
    sent by --validate-only (execution_options set to validate_only)."""
    plan = build_plan(document)
    for request in plan["requests"]:
        request["wire"] = wire(request["body"])
        request["wire_validate"] = wire({**request["body"],
                                         "execution_options": ["validate_only"]})
    return plan


@cache
def _template() -> jinja2.Template:
    # No autoescape: shell safety comes from the filters, not from HTML escaping.
    return load_template(TEMPLATE, autoescape=False, filters={
        "shell_quote": shell_quote, "json_text": json_text, "base64_lines": base64_lines,
        "comment_text": comment_text})


def render_curl(document: Document) -> str:
    return _template().render(
        plan=with_field_wires(bundle_plan(document), document), source=document.path,
        version=__version__,
        retry_codes=code_ranges(facts.RETRYABLE_CODES),
        never_retry_codes=code_ranges(facts.NEVER_RETRY_CODES),
        unsure_codes=code_ranges(facts.OUTCOME_UNKNOWN_CODES),
        changes=_changes_section())


# -- change management (issue 13): its own template, placed into the bundle ----

CHANGES_TEMPLATE = "bundle_changes.sh.j2"


def with_field_wires(plan: dict[str, Any], document: Document) -> dict[str, Any]:
    """Each editable top-level field's own `wire` pieces, for updates that
    send only the fields that changed, exactly as the plan has them."""
    for request, model in zip(plan["requests"], document.requests, strict=True):
        editable = facts.EDITABLE_FIELDS.get(model.kind, frozenset())
        request["wire_fields"] = {name: wire(value) for name, value in request["body"].items()
                                  if name in editable}
    return plan


@cache
def _changes_section() -> str:
    """The bundle's functions for updates, replaces and the plan's text form,
    with what Meta lets you edit per create edge (compiler/facts/facts.py)."""
    from adflow.compiler.bodies.model import ENDPOINTS

    editable = {ENDPOINTS[kind]: sorted(fields) for kind, fields in facts.EDITABLE_FIELDS.items()}
    template = load_template(CHANGES_TEMPLATE, autoescape=False, filters={
        "shell_quote": shell_quote, "json_text": json_text})
    return template.render(editable=editable)
