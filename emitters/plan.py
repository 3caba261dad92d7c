"""The plan (`adflow.plan/1`): every request in creation order, as JSON.

A pure function of the checked model. Bodies keep the `$ref` / `$json`
markers; whoever sends the requests (the curl bundle, the sandbox tests)
resolves them with the ids Meta returns. Each request carries its source map
(`source_map`: JSON pointer -> line and column), which puts Meta's errors
back on the line of the field they blame. Every body is validated against the
package's JSON Schema for its endpoint once more, as a guard.
"""

from __future__ import annotations

import json
from typing import Any

from adflow.compiler.model import ENDPOINTS, Document, Request

FORMAT = "adflow.plan/1"


class InvalidBody(Exception):
    """A body that breaks its endpoint's schema reached the emitter: callers
    must report S008 first (compile does), so this is an adflow bug."""


def source_map(request: Request) -> dict[str, dict[str, int]]:
    """Each written body field's JSON pointer to where it was written (the
    file is the request's): how a Graph API error that blames a field is put
    back on its line."""
    return {ptr: {"line": span.line, "column": span.column}
            for ptr, span in request.spans.items()}


def build_plan(document: Document) -> dict[str, Any]:
    requests = []
    for request in document.requests:
        errors = request.schema_errors
        if errors:
            raise InvalidBody(f"{request.key} breaks the {ENDPOINTS[request.kind]} schema: "
                              f"{errors[0]}")
        requests.append({
            "key": request.key,
            "method": request.method,
            "path": request.path,
            "body": request.body,
            "needs": request.needs,
            "source": {"file": request.span.file, "line": request.span.line,
                       "column": request.span.column},
            "source_map": source_map(request),
        })
    return {"format": FORMAT, "api_version": document.api_version, "requests": requests}


def render_plan(document: Document) -> str:
    return json.dumps(build_plan(document), ensure_ascii=False, indent=2) + "\n"
