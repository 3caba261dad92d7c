"""The plan (`adflow.plan/1`): every request in creation order, as JSON.

A pure function of the checked model. Bodies keep the `$ref` / `$json`
markers; whoever sends the requests (the curl bundle, the sandbox tests)
resolves them with the ids Meta returns. Every body is validated against the
package's JSON Schema for its endpoint: a body that fails is a bug in adflow,
since the rules passed it.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

from adflow.compiler.model import ENDPOINTS, Document

FORMAT = "adflow.plan/1"


class InvalidBody(Exception):
    """A compiled body that breaks its endpoint's schema: an adflow bug."""


@functools.cache
def validator(endpoint: str) -> Any:
    import jsonschema  # only compile pays for it, never `check`

    text = resources.files("adflow.emitters.schemas").joinpath(
        f"{endpoint}.schema.json").read_text("utf-8")
    schema = json.loads(text)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def schema_errors(endpoint: str, body: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message}"
            for e in validator(endpoint).iter_errors(body)]


def build_plan(document: Document) -> dict[str, Any]:
    requests = []
    for request in document.requests:
        errors = schema_errors(ENDPOINTS[request.kind], request.body)
        if errors:
            raise InvalidBody(f"{request.key} breaks the {ENDPOINTS[request.kind]} schema: "
                              + "; ".join(errors[:3]))
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
