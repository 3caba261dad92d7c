"""The plan (`adflow.plan/1`): every request in creation order, as JSON.

A pure function of the checked model. Bodies keep the `$ref` / `$json`
markers; whoever sends the requests (the curl bundle, the sandbox tests)
resolves them with the ids Meta returns. Whether a document may be emitted
is decided by the check pipeline (`adflow.compiler.check.check_file`), which
also validates every body against its endpoint's schema: a finding the user
chose to ignore does not stop the plan.
"""

from __future__ import annotations

import json
from typing import Any

from adflow.compiler.model import Document

FORMAT = "adflow.plan/1"


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
        })
    return {"format": FORMAT, "api_version": document.api_version, "requests": requests}


def render_plan(document: Document) -> str:
    return json.dumps(build_plan(document), ensure_ascii=False, indent=2) + "\n"
