"""JSON inputs: Graph API bodies, requests, lists of requests and plans.

Parsed with a Lark JSON grammar so every value keeps its span; the result is
the same model the DSL compiles to, so every check applies to payloads
people already have.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import PurePath
from typing import Any

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from .diagnostics import Diagnostic
from .facts import DEFAULT_API_VERSION
from .model import ENDPOINTS, KIND_OF_ENDPOINT, Document, Request, pointer
from .rules.syntax import S002, S005
from .source import Source, Span

_PARSER: Lark | None = None


def _parser() -> Lark:
    global _PARSER
    if _PARSER is None:
        grammar = resources.files("adflow.grammar").joinpath("json.lark").read_text("utf-8")
        _PARSER = Lark(grammar, parser="lalr", lexer="contextual", propagate_positions=True,
                       maybe_placeholders=True)
    return _PARSER


class _Walker:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.spans: dict[str, Span] = {}

    def walk(self, node: Tree[Token] | Token, ptr: str) -> Any:
        if isinstance(node, Token):
            self.spans[ptr] = self.source.span(node.start_pos or 0, node.end_pos or 0)
            return json.loads(str(node))
        self.spans[ptr] = self.source.span(node.meta.start_pos, node.meta.end_pos)
        kind = node.data
        if kind == "true":
            return True
        if kind == "false":
            return False
        if kind == "null":
            return None
        if kind == "array":
            return [self.walk(child, f"{ptr}/{i}")
                    for i, child in enumerate(c for c in node.children if c is not None)]
        out: dict[str, Any] = {}
        for pair in node.children:
            if pair is None:
                continue
            key_tok, value = pair.children  # type: ignore[union-attr]
            key = json.loads(str(key_tok))
            out[key] = self.walk(value, ptr + pointer(key))  # type: ignore[arg-type]
        return out


def parse_json(source: Source) -> tuple[Any, dict[str, Span]] | Diagnostic:
    try:
        tree = _parser().parse(source.text)
    except UnexpectedInput as exc:
        return _json_error(source, exc)
    walker = _Walker(source)
    return walker.walk(tree, ""), walker.spans


def _json_error(source: Source, exc: UnexpectedInput) -> Diagnostic:
    if isinstance(exc, UnexpectedToken):
        token = exc.token
        if token.type == "$END":
            at = len(source.text)
            return S002.diag(source.span(at, at), "invalid JSON: the document ends too early")
        shown = str(token)
        hint = None
        if token.type == "RBRACE" or token.type == "RSQB":
            hint = "JSON allows no trailing comma before a closing bracket"
        return S002.diag(source.span(token.start_pos or 0, token.end_pos or 0),
                         f"invalid JSON: unexpected {shown[:30]!r}", help=hint)
    assert isinstance(exc, UnexpectedCharacters)
    pos = exc.pos_in_stream or 0
    char = source.text[pos:pos + 1]
    hint = None
    if char == "'":
        hint = "JSON strings use double quotes"
    elif char == '"':
        hint = "a string holds a raw line break or control character, or an unknown escape"
    return S002.diag(source.span(pos, pos + 1), f"invalid JSON: unexpected character {char!r}",
                     help=hint)


# Keys that tell what a bare body is (domain.md; issue: lint any Graph API JSON).
def infer_kind(body: dict[str, Any]) -> str | None:
    if "step_list" in body:
        return "lead_form"
    if {"object_story_spec", "object_story_id", "source_instagram_media_id"} & body.keys():
        return "creative"
    if {"optimization_goal", "billing_event"} & body.keys():
        return "adset"
    if "objective" in body:
        return "campaign"
    if "adset_id" in body and "creative" in body:
        return "ad"
    return None


def _kind_of_path(path: str) -> str | None:
    return KIND_OF_ENDPOINT.get(path.rstrip("/").rsplit("/", 1)[-1])


_WELCOME_PARENTS = ("link_data", "video_data", "photo_data", "text_data")


def _decode_json_strings(body: dict[str, Any]) -> None:
    """page_welcome_message carries JSON as text: decode it into a `$json`
    marker so its contents are checked; findings inside point at the string."""
    story = body.get("object_story_spec")
    if not isinstance(story, dict):
        return
    for media in _WELCOME_PARENTS:
        data = story.get(media)
        if isinstance(data, dict) and isinstance(data.get("page_welcome_message"), str):
            text = data["page_welcome_message"].strip()
            if text[:1] in "[{":
                try:
                    data["page_welcome_message"] = {"$json": json.loads(text)}
                except ValueError:
                    continue


def _rebase(spans: dict[str, Span], prefix: str) -> dict[str, Span]:
    return {k[len(prefix):]: v for k, v in spans.items() if k == prefix or k.startswith(prefix + "/")}


def document_from_json(source: Source) -> tuple[Document | None, list[Diagnostic]]:
    parsed = parse_json(source)
    if isinstance(parsed, Diagnostic):
        return None, [parsed]
    value, spans = parsed
    stem = PurePath(source.path).stem
    api = DEFAULT_API_VERSION
    api_span: Span | None = None  # a plan names its version; bare bodies do not
    entries: list[tuple[str, dict[str, Any], str, str, str | None]] = []  # ptr, body, path, kind, key
    if isinstance(value, dict) and value.get("format") == "adflow.plan/1" and isinstance(
            value.get("requests"), list):
        api = str(value.get("api_version") or api)
        api_span = spans.get("/api_version")
        items = [(f"/requests/{i}", r) for i, r in enumerate(value["requests"])]
    elif isinstance(value, dict) and {"method", "path", "body"} <= value.keys():
        items = [("", value)]
    elif isinstance(value, list) and value and all(
            isinstance(r, dict) and {"path", "body"} <= r.keys() for r in value):
        items = [(f"/{i}", r) for i, r in enumerate(value)]
    elif isinstance(value, dict):
        kind = infer_kind(value)
        if kind is None:
            return None, [S005.diag(spans.get("", source.whole),
                                    "this JSON is not a Graph API body adflow knows",
                                    help="adflow reads lead form, campaign, ad set, creative and "
                                         "ad bodies, requests {method, path, body} and plans")]
        entries.append(("", value, f"0/{ENDPOINTS[kind]}", kind, None))
        items = []
    else:
        return None, [S005.diag(spans.get("", source.whole),
                                "this JSON is not a Graph API body or request adflow knows")]
    diagnostics: list[Diagnostic] = []
    for ptr, item in items:
        if not isinstance(item, dict):
            item = {}  # reported below as a request adflow does not know
        body = item.get("body")
        path = str(item.get("path", ""))
        kind = _kind_of_path(path) or (infer_kind(body) if isinstance(body, dict) else None)
        if not isinstance(body, dict) or kind is None:
            diagnostics.append(S005.diag(spans.get(ptr, source.whole),
                                         "a request whose body or endpoint adflow does not know"))
            continue
        entries.append((ptr + "/body", body, path, kind, item.get("key")))
    requests = []
    for index, (ptr, body, path, kind, key) in enumerate(entries):
        body_spans = _rebase(spans, ptr)
        _decode_json_strings(body)
        name = str(body.get("name") or body.get("template_name") or stem)
        requests.append(Request(
            key=str(key or f"{kind}.{index}"), kind=kind, name=name, path=path, body=body,
            span=spans.get(ptr, source.whole), spans=body_spans))
    return Document(source.path, api, tuple(requests), api_span=api_span, from_json=True), diagnostics
