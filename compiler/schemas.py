"""The package's JSON Schemas for request bodies (emitters/schemas/), run by
the check pipeline on every body: a body of the wrong shape (possible from
JSON payloads and `raw` fields) is a diagnostic, S008, in `check` exactly as
in `compile`. A cache hit never imports this module."""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

from .diagnostics import Diagnostic
from .model import ENDPOINTS, Request, pointer
from .rules.syntax import S008


@functools.cache
def validator(endpoint: str) -> Any:
    import jsonschema  # type: ignore[import-untyped]

    text = resources.files("adflow.emitters.schemas").joinpath(
        f"{endpoint}.schema.json").read_text("utf-8")
    return jsonschema.Draft202012Validator(json.loads(text))


def schema_errors(endpoint: str, body: Any) -> list[tuple[str, str]]:
    """(JSON pointer, message) for each way the body breaks its schema."""
    found = []
    for error in sorted(validator(endpoint).iter_errors(body), key=lambda e: list(e.absolute_path)):
        found.append((pointer(*error.absolute_path), error.message))
    return found


def schema_diagnostics(request: Request) -> list[Diagnostic]:
    """S008 for each way one request's body breaks its endpoint's schema."""
    out = []
    endpoint = ENDPOINTS[request.kind]
    for ptr, message in schema_errors(endpoint, request.body):
        shown = ptr or "the body"
        out.append(S008.diag(request.span_at(ptr),
                             f"{request.key}: {shown} does not fit POST /{endpoint}: "
                             f"{message[:200]}", name=request.place(ptr)))
    return out
