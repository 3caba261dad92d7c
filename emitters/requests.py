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
from collections.abc import Iterator
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
    return "".join(plan_pieces(document))


def plan_pieces(document: Document) -> Iterator[str]:
    """The text of `json.dumps(build_plan(document), indent=2)`, a request at
    a time, for writing as it is made: a whole plan's source maps at once,
    then the text and its bytes, tripled the peak memory of compiling a large
    file."""
    head = json.dumps({"format": FORMAT, "api_version": document.api_version,
                       "requests": []}, ensure_ascii=False, indent=2)
    if not document.requests:
        yield head + "\n"
        return
    yield head[: -len("[]\n}")] + "["
    for index, request in enumerate(document.requests):
        text = json.dumps(plan_request(request), ensure_ascii=False, indent=2)
        yield ("," if index else "") + "\n    " + text.replace("\n", "\n    ")
    yield "\n  ]\n}\n"
