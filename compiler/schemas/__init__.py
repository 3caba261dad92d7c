"""The JSON Schemas for request bodies (the *.schema.json files beside this
module), run by the check pipeline on every body: a body of the wrong shape
(possible from JSON payloads and `raw` fields) is a diagnostic, S008, in
`check` exactly as in `compile`; the sandbox judges bodies with them too.
A cache hit never imports this module.

Validity is decided by jsonschema-rs, compiled once per endpoint (a few
microseconds a body). The messages users see come from jsonschema, which is
imported and run only for a body jsonschema-rs rejects: the fast validator
decides, the reference one explains, so no message or position depends on
which validator is installed."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic
from ..model import ENDPOINTS, Request
from ..rules.syntax import S008
from ..source import pointer


@functools.cache
def schema(endpoint: str) -> Any:
    # Beside this module, read directly: importlib.resources alone costs half
    # a `python -c pass` to import.
    path = Path(__file__).with_name(f"{endpoint}.schema.json")
    return json.loads(path.read_text(encoding="utf-8"))


@functools.cache
def validator(endpoint: str) -> Any:
    """The reference validator, whose messages and paths are reported."""
    import jsonschema

    return jsonschema.Draft202012Validator(schema(endpoint))


@functools.cache
def fast_validator(endpoint: str) -> Any:
    import jsonschema_rs

    # Like jsonschema without a format checker: `format` only annotates.
    # offline: the schemas refer only to their own $defs; never fetch anything.
    return jsonschema_rs.Draft202012Validator(schema(endpoint), validate_formats=False,
                                              offline=True)


def is_valid(endpoint: str, body: Any) -> bool:
    """Whether the body fits; a value jsonschema-rs cannot take counts as
    not valid here, so that jsonschema has the last word on it."""
    try:
        return bool(fast_validator(endpoint).is_valid(body))
    except ValueError:
        return False


def schema_errors(endpoint: str, body: Any) -> list[tuple[str, str]]:
    """(JSON pointer, message) for each way the body breaks its schema."""
    if is_valid(endpoint, body):
        return []
    found = []
    for error in sorted(validator(endpoint).iter_errors(body), key=lambda e: list(e.absolute_path)):
        found.append((pointer(*error.absolute_path), error.message))
    return found


def schema_diagnostics(request: Request) -> list[Diagnostic]:
    """S008 for each way one request's body breaks its endpoint's schema."""
    out = []
    endpoint = ENDPOINTS[request.kind]
    for ptr, message in schema_errors(endpoint, request.view):
        shown = ptr or "the body"
        out.append(S008.diag(request.span_at(ptr),
                             f"{request.key}: {shown} does not fit POST /{endpoint}: "
                             f"{message[:200]}", name=request.place(ptr)))
    return out
