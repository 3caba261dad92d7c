"""The plan (`adflow.plan/1`): every request in creation order, as JSON.

A pure function of the checked model. Bodies keep the `$ref` / `$json`
markers; whoever sends the requests (the curl bundle, the sandbox tests)
resolves them with the ids Meta returns. Whether a document may be emitted
is decided by the check pipeline (`adflow.compiler.pipeline.check_file`), which
also validates every body against its endpoint's schema: a finding the user
chose to ignore does not stop the plan. Each request carries its source map
(`source_map`: JSON pointer -> line and column), which puts Meta's errors
back on the line of the field they blame.
"""

from __future__ import annotations

import json
from typing import Any

from adflow.compiler.bodies.model import Document, Request

FORMAT = "adflow.plan/1"


def source_map(request: Request) -> dict[str, dict[str, int]]:
    """Each written body field's JSON pointer to where it was written (the
    file is the request's): how a Graph API error that blames a field is put
    back on its line."""
    return {ptr: {"line": span.line, "column": span.column}
            for ptr, span in request.spans.items()}


def plan_request(request: Request) -> dict[str, Any]:
    return {
        "key": request.key,
        "method": request.method,
        "path": request.path,
        "body": request.body,
        "needs": request.needs,
        "source": {"file": request.span.file, "line": request.span.line,
                   "column": request.span.column},
        "source_map": source_map(request),
    }


def build_plan(document: Document) -> dict[str, Any]:
    return {"format": FORMAT, "api_version": document.api_version,
            "requests": [plan_request(r) for r in document.requests]}


def render_plan(document: Document) -> str:
    """The same text as `json.dumps(build_plan(document), indent=2)`, built a
    request at a time and joined once: a whole plan's source maps at once
    doubled the peak memory of compiling a large file."""
    head = json.dumps({"format": FORMAT, "api_version": document.api_version,
                       "requests": []}, ensure_ascii=False, indent=2)
    if not document.requests:
        return head + "\n"
    parts = [head[: -len("[]\n}")], "["]
    for request in document.requests:
        text = json.dumps(plan_request(request), ensure_ascii=False, indent=2)
        parts += ["\n    ", text.replace("\n", "\n    "), ","]
    parts[-1] = "\n  ]\n}\n"
    return "".join(parts)
