"""The plan (`adflow.plan/1`): every request in creation order, as JSON.

A pure function of the checked model. Bodies keep the `$ref` / `$json`
markers; whoever sends the requests (the curl bundle, the sandbox tests)
resolves them with the ids Meta returns. Whether a document may be emitted
is decided by the check pipeline (`adflow.compiler.check.check_file`), which
also validates every body against its endpoint's schema: a finding the user
chose to ignore does not stop the plan. Each request carries its source map
(`source_map`: JSON pointer -> line and column), which puts Meta's errors
back on the line of the field they blame.
"""

from __future__ import annotations

import json
from typing import Any

from adflow.compiler.model import Document, Request

FORMAT = "adflow.plan/1"


def source_map(request: Request) -> dict[str, dict[str, int]]:
    """Each written body field's JSON pointer to where it was written (the
    file is the request's): how a Graph API error that blames a field is put
    back on its line."""
    return {ptr: {"line": span.line, "column": span.column}
            for ptr, span in request.spans.items()}


def build_plan(document: Document) -> dict[str, Any]:
    requests = []
    for request in document.requests:
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
