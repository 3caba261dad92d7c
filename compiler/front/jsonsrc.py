"""JSON inputs: Graph API bodies, requests, lists of requests and plans.

Read by `jsonread` (strict JSON, no Lark) so every value keeps its span; the result is
the same model the DSL compiles to, so every check applies to payloads
people already have.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs

from ..bodies.model import ENDPOINTS, KIND_OF_ENDPOINT, Document, Request
from ..bodies.wire import LONE_SURROGATE, TooDeep, loads_embedded, lone_surrogate, number
from ..facts.creatives import STORY_MEDIA_KEYS
from ..facts.parameters import DOCUMENTED_EXTRA_PARAMETERS, JSON_PARAMETERS, POST_PARAMETERS
from ..facts.versions import DEFAULT_API_VERSION
from ..findings.diagnostics import Diagnostic, Severity
from ..project.paths import stem_of
from ..rules.syntax import S002, S004, S005, S007
from .jsonread import END, BadCharacter, BadToken, JsonReader
from .source import Source, Span, pointer

TYPE_CHECKING = False  # typing is for mypy alone: importing it costs a quick check 4 ms
if TYPE_CHECKING:
    from typing import Any


class _Walker(JsonReader):
    """The value of a JSON text, and the span of each value by pointer.
    `at` maps an offset in the parsed text to one in the source (the text
    of a string holding JSON is parsed on its own, its spans mapped back)."""

    def __init__(self, source: Source, text: str | None = None,
                 at: list[int] | None = None) -> None:
        super().__init__(source.text if text is None else text)  # the text parsed
        self.source = source
        self.at = at
        self.spans: dict[str, Span] = {}
        # pointer -> (start, end, value) of each string value, in parsed-text offsets
        self.strings: dict[str, tuple[int, int, str]] = {}
        self.diagnostics: list[Diagnostic] = []

    def span(self, start: int, end: int) -> Span:
        if self.at is None:
            return self.source.span(start, end)
        return self.source.span(self.at[start], self.at[end])

    def container(self, ptr: str, start: int) -> None:
        self.spans[ptr] = self.span(start, start)  # in document order; its end follows

    def closed(self, ptr: str, start: int, end: int) -> None:
        self.spans[ptr] = self.span(start, end)

    def child(self, ptr: str, key: str | int) -> str:
        return f"{ptr}/{key}" if isinstance(key, int) else ptr + pointer(key)

    def key(self, start: int, end: int) -> str:
        value: str = self.scalar_value("string", start, end)
        return value

    def scalar(self, ptr: str, kind: str, start: int, end: int) -> Any:
        self.spans[ptr] = self.span(start, end)
        value = self.scalar_value(kind, start, end)
        if isinstance(value, str):
            self.strings[ptr] = (start, end, value)
        return value

    def scalar_value(self, kind: str, start: int, end: int) -> Any:
        """A token's value; a string or number Meta cannot receive is reported
        (S007) and stands in as U+FFFD or 0, so later steps see valid data."""
        if kind == "word":
            return super().scalar("", kind, start, end)
        span = self.span(start, end)
        if kind == "number":
            try:
                return number(self.text[start:end])
            except ValueError as exc:
                self.diagnostics.append(S007.diag(span, str(exc)))
                return 0
        text: str = super().key(start, end)
        bad = lone_surrogate(text)
        if bad is None:
            return text
        self.diagnostics.append(S007.diag(span, f"lone surrogate {bad} in a string",
                                          help="\\uD800-\\uDBFF must be followed by "
                                               "\\uDC00-\\uDFFF, together one character"))
        return LONE_SURROGATE.sub("\ufffd", text)


def parse_json(source: Source) -> tuple[Any, dict[str, Span], list[Diagnostic]] | Diagnostic:
    """The value, its source map, and values in it Meta cannot receive."""
    walker = _Walker(source)
    try:
        value = walker.read()
    except (BadToken, BadCharacter) as exc:
        return _json_error(source, exc)
    spans = walker.spans
    _embedded_spans(walker, spans, [_MAX_EMBEDDED])
    _welcome_aliases(spans)
    return value, spans, walker.diagnostics


def _welcome_aliases(spans: dict[str, Span]) -> None:
    """A welcome written as an object is read behind the `$json` marker (as
    if written as JSON text): its values answer to those pointers too."""
    for ptr, span in list(spans.items()):
        head, marker, tail = ptr.partition("/page_welcome_message")
        if marker and tail.startswith("/") and not tail.startswith("/$json"):
            spans.setdefault(f"{head}{marker}/$json{tail}", span)


# Parameters Meta takes as JSON text: the only strings whose JSON is mapped.
_JSON_TEXT_KEYS = frozenset().union(*JSON_PARAMETERS.values(),
                                    {"page_welcome_message", "batch", "creative"})
# Each string costs a parse: past this many in a file, findings inside the
# rest point at the whole string.
_MAX_EMBEDDED = 1_000


def _embedded_spans(walker: _Walker, spans: dict[str, Span], budget: list[int]) -> None:
    """Spans inside strings that hold JSON (the SDK's wire format, welcome
    messages): each value in such a string gets the span of its own text in
    the file, so a finding inside points at its key or value, not at the
    whole string. Pointers into a string's JSON are given both as the
    decoded value (`/targeting/geo_locations`) and behind the `$json`
    marker (`/page_welcome_message/$json/text_format`)."""
    for ptr, (start, end, text) in walker.strings.items():
        key = ptr[ptr.rfind("/") + 1:]
        if key not in _JSON_TEXT_KEYS or text.lstrip()[:1] not in ("{", "[") or budget[0] <= 0:
            continue
        budget[0] -= 1
        try:
            loads_embedded(text)  # bounded depth and numbers, before it is read
        except ValueError:
            continue
        offsets = _literal_offsets(walker.text[start:end])
        at = [start + o if walker.at is None else walker.at[start + o] for o in offsets]
        inner = _Walker(walker.source, text, at)
        try:
            inner.read()
        except (BadToken, BadCharacter):
            continue
        _embedded_spans(inner, inner.spans, budget)
        for sub, span in inner.spans.items():
            spans.setdefault(ptr + sub, span)
            spans.setdefault(ptr + "/$json" + sub, span)


def _literal_offsets(literal: str) -> list[int]:
    """For each character of the string a JSON literal (with its quotes)
    stands for, its offset in the literal; then the closing quote's."""
    out = []
    i, end = 1, len(literal) - 1
    while i < end:
        out.append(i)
        if literal[i] != "\\":
            i += 1
        elif literal[i + 1] != "u":
            i += 2
        elif (0xD800 <= int(literal[i + 2:i + 6], 16) < 0xDC00
              and literal[i + 6:i + 8] == "\\u"
              and 0xDC00 <= int(literal[i + 8:i + 12], 16) < 0xE000):
            i += 12  # a surrogate pair: one character
        else:
            i += 6
    out.append(end)
    return out


def _json_error(source: Source, exc: BadToken | BadCharacter) -> Diagnostic:
    if isinstance(exc, BadToken):
        if exc.text == END:
            at = len(source.text)
            return S002.diag(source.span(at, at), "invalid JSON: the document ends too early")
        hint = None
        if exc.text in ("}", "]"):
            hint = "JSON allows no trailing comma before a closing bracket"
        return S002.diag(source.span(exc.start, exc.end),
                         f"invalid JSON: unexpected {exc.text[:30]!r}", help=hint)
    char = source.text[exc.pos:exc.pos + 1]
    hint = None
    if char == "'":
        hint = "JSON strings use double quotes"
    elif char == '"':
        hint = "a string holds a raw line break or control character, or an unknown escape"
    return S002.diag(source.span(exc.pos, exc.pos + 1),
                     f"invalid JSON: unexpected character {char!r}", help=hint)


# Keys that tell what a bare body is (Meta's Campaign, Ad Set, Ad Creative, lead-form pages).
def infer_kind(body: dict[str, Any]) -> str | None:
    if "step_list" in body:
        return "lead_form"
    if {"object_story_spec", "object_story_id", "source_instagram_media_id",
            "asset_feed_spec"} & body.keys():
        return "creative"
    if {"optimization_goal", "billing_event"} & body.keys():
        return "adset"
    if "objective" in body:
        return "campaign"
    if "adset_id" in body and "creative" in body:
        return "ad"
    return None


# Bodies of documented endpoints adflow does not model, told by a key only
# they take: reported as not checked (info), like a request naming them.
_UNMODELLED_BODIES = (
    # https://developers.facebook.com/docs/messenger-platform/ads/ads-welcome-message-flows
    ("welcome_message_flow", "/{page_id}/welcome_message_flows"),
    # Welcome message sequences of ads that click to WhatsApp
    ("welcome_message_sequence", "/{whatsapp_business_account_id}/welcome_message_sequences"),
    # https://developers.facebook.com/docs/messenger-platform/reference/messenger-profile-api
    ("ice_breakers", "/me/messenger_profile"), ("persistent_menu", "/me/messenger_profile"),
    ("get_started", "/me/messenger_profile"), ("greeting", "/me/messenger_profile"),
)


def _unmodelled_endpoint(body: dict[str, Any]) -> str | None:
    return next((path for key, path in _UNMODELLED_BODIES if key in body), None)


def _kind_of_path(path: str) -> str | None:
    return KIND_OF_ENDPOINT.get(path.rstrip("/").rsplit("/", 1)[-1])


def _decode_json_strings(body: dict[str, Any], spans: dict[str, Span],
                         whole: Span) -> list[Diagnostic]:
    """page_welcome_message carries JSON as text: decode it into a `$json`
    marker so its contents are checked; findings inside point at the string.
    JSON nested too deep to decode safely is reported (S004) and kept as text."""
    story = body.get("object_story_spec")
    if not isinstance(story, dict):
        return []
    found = []
    for media in STORY_MEDIA_KEYS:
        data = story.get(media)
        if isinstance(data, dict) and isinstance(data.get("page_welcome_message"), str):
            text = data["page_welcome_message"].strip()
            if text[:1] in "[{":
                try:
                    data["page_welcome_message"] = {"$json": loads_embedded(text)}
                except TooDeep as exc:
                    where = spans.get(f"/object_story_spec/{media}/page_welcome_message", whole)
                    found.append(S004.diag(where, f"page_welcome_message holds {exc}"))
                except ValueError:
                    continue
    return found


def _rebase(spans: dict[str, Span], prefix: str) -> dict[str, Span]:
    return {k[len(prefix):]: v for k, v in spans.items()
            if k == prefix or k.startswith(prefix + "/")}


# Fields Meta reports on an object it returns but never takes in a create: a
# read-back (a GET answer, an item of a list response) drops them, so the
# rest is judged, and compiled, as the request that would create it.
READ_BACK_FIELDS = frozenset({"id", "effective_status", "configured_status", "created_time",
                              "updated_time"})
_BATCH_RESULT = re.compile(r"\{result=([^:}]+):\$\.id\}")  # Graph batch JSONPath to an id
_VERSION = re.compile(r"v[0-9]+\.[0-9]+/")
# The Graph API's own hosts, as clients log a request's URL: another host is
# no Graph API request (its path then fails GRAPH_PATH and is refused).
_HOST = re.compile(r"^https://graph(-video)?\.facebook\.com(?=[/?#]|$)", re.IGNORECASE)
API_VERSION = re.compile(r"v[0-9]+\.[0-9]+")
# Where a request goes, after the host, the version and the query are read
# apart (the bundle sends to VERSION/PATH and checks the same shape): the
# account or page, then the edge. Nothing else, so no `..` can take a request
# somewhere the plan does not show.
GRAPH_PATH = re.compile(r"(act_)?[0-9]+/[a-z_]+")
_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9_]|^(?=[0-9])")
# A plan's request key names the request in the bundle's state and in the
# commands it suggests (`--assume-created KEY=ID`): a plain name, nothing a
# shell or a terminal would read as more.
# An object made per market names it in brackets: `adset.quote[mx]`.
PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,199}(\[[A-Za-z_][A-Za-z0-9_]{0,39}\])?")

# A request to read: (pointer, body, path, key, read back).
Item = tuple[str, "Any", str, "str | None", bool]


# How logged requests name their parts: {method, path, body} as adflow writes
# them, {method, url, data | json | params} as HTTP clients (requests, axios)
# and integrations log them.
_PATH_KEYS = ("path", "url")
_BODY_KEYS = ("body", "data", "json")


def _is_request(value: Any) -> bool:
    # "method" is optional: a request without one is a POST; a body is too
    # when the method is given (its parameters may all be in the URL's query).
    return isinstance(value, dict) and any(k in value for k in _PATH_KEYS) and bool(
        {*_BODY_KEYS, "method", "params"} & value.keys())


# Query parameters that say how to answer, not what to create: never a body
# field. A token written in the file is read, so that the body's check refuses
# it (it comes from the environment, never from a file).
_NOT_PARAMETERS = frozenset({"appsecret_proof", "fields", "method", "pretty",
                             "suppress_http_code"})


def _split_url(url: str) -> tuple[str, dict[str, str]]:
    """A request's path without the host, leading '/' and version, and the
    parameters its query carries (Graph API Explorer and curl put a POST's
    parameters there as well as in the body)."""
    path, _, query = _HOST.sub("", url).lstrip("/").partition("?")
    if m := _VERSION.match(path):
        path = path[len(m.group()):]
    form = parse_qs(query, keep_blank_values=True)
    return path, {name: values[-1] for name, values in form.items()
                  if name not in _NOT_PARAMETERS}


def _alias_spans(spans: dict[str, Span], written: str, read: str) -> None:
    """Values read under `read` are found where they were written, under `written`."""
    for key, span in list(spans.items()):
        if key.startswith(written + "/"):
            spans.setdefault(read + key[len(written):], span)
    if written in spans:
        spans.setdefault(read, spans[written])


def _text_body(body: Any, ptr: str, spans: dict[str, Span]) -> Any:
    """A body written as one string: form-encoded (a=1&b=2), or JSON text as
    a client's `data=json.dumps(...)` sends it. Every field was written
    inside that string, so each is found there."""
    if not isinstance(body, str):
        return body
    if body.lstrip()[:1] == "{":
        try:
            decoded = loads_embedded(body)
        except ValueError:
            return body
    else:
        form = parse_qs(body, keep_blank_values=True)
        decoded = {name: values[-1] for name, values in form.items()}
    whole = spans.get(ptr)
    if isinstance(decoded, dict) and whole is not None:
        for field in decoded:
            spans[ptr + pointer(field)] = whole
    return decoded


def _with_query(body: Any, query: dict[str, str], ptr: str, where: Span | None,
                spans: dict[str, Span]) -> Any:
    """The body with the query's parameters it does not name itself; each is
    found where it was written, in the path."""
    if not query or not (body is None or isinstance(body, dict)):
        return body
    merged = {**query, **(body or {})}
    if where is not None:
        spans.setdefault(ptr, where)
        for field in query:  # in the order written (a set's order changes from run to run)
            if field not in (body or {}):
                spans.setdefault(ptr + pointer(field), where)  # params written apart keep theirs
    return merged


def _is_batch_item(value: Any) -> bool:
    return isinstance(value, dict) and "relative_url" in value


def _read_shape(value: Any, spans: dict[str, Span]) -> tuple[list[Item], str | None, str]:
    """The requests a JSON document holds, the API version it names (and
    where), by its shape: a plan, a request or a list of them, a Graph batch
    (a list of {method, relative_url, body}, or {"batch": [...]}), a Graph
    list response ({"data": [...], "paging": ...}), or a bare body. An empty
    list: no shape adflow knows."""
    if isinstance(value, dict) and value.get("format") == "adflow.plan/1" and isinstance(
            value.get("requests"), list):
        items = [(f"/requests/{i}", r) for i, r in enumerate(value["requests"])]
        return _requests(items, spans), str(value.get("api_version") or DEFAULT_API_VERSION), \
            "/api_version"
    if _is_request(value):
        return _requests([("", value)], spans), None, ""
    if isinstance(value, list) and value and all(_is_request(r) for r in value):
        return _requests([(f"/{i}", r) for i, r in enumerate(value)], spans), None, ""
    batch, ptr = value, ""
    if _is_batch_item(value):  # one item of a batch, logged alone
        return _batch([value], "", spans, alone=True), None, ""
    if isinstance(value, dict) and set(value) - {"access_token", "include_headers"} == {"batch"}:
        batch, ptr = value["batch"], "/batch"
        if isinstance(batch, str):  # a form parameter, so JSON text
            try:
                batch = json.loads(batch)
            except ValueError:
                batch = None
    if isinstance(batch, list) and batch and all(_is_batch_item(r) for r in batch):
        return _batch(batch, ptr, spans), None, ""
    if isinstance(value, dict) and isinstance(value.get("data"), list) and value["data"] and (
            set(value) <= {"data", "paging", "summary"}):
        return [(f"/data/{i}", item, "", None, True) for i, item in enumerate(value["data"])], \
            None, ""
    if isinstance(value, dict):
        return [("", value, "", None, "id" in value)], None, ""
    return [], None, ""


def _requests(items: list[tuple[str, Any]], spans: dict[str, Span]) -> list[Item]:
    out: list[Item] = []
    for ptr, item in items:
        if not isinstance(item, dict):
            out.append((ptr, None, "", None, False))  # reported as a request adflow does not know
            continue
        key = item.get("key")
        if key is not None and not isinstance(key, str):
            key = json.dumps(key)  # read as its JSON text, which names nothing plain
        where = next((k for k in _PATH_KEYS if k in item), "path")
        path, query = _split_url(str(item.get(where, "")))
        params = item.get("params")  # a client's query parameters, written apart
        if isinstance(params, dict):
            query.update({k: v for k, v in params.items() if k not in _NOT_PARAMETERS})
            _alias_spans(spans, f"{ptr}/params", f"{ptr}/body")
        named = next((k for k in _BODY_KEYS if k in item), "body")
        body = _text_body(item.get(named), f"{ptr}/{named}", spans)
        if named != "body":
            _alias_spans(spans, f"{ptr}/{named}", f"{ptr}/body")
        body = _with_query(body, query, ptr + "/body", spans.get(f"{ptr}/{where}"), spans)
        out.append((ptr + "/body", body, path, key, False))
    return out


def _batch(batch: list[dict[str, Any]], ptr: str, spans: dict[str, Span], *,
           alone: bool = False) -> list[Item]:
    """Graph batch requests: `relative_url` is the path (with or without the
    version and a query), `body` a form-encoded string (or an object); a
    `{result=NAME:$.id}` value is the id an earlier item named NAME returns.
    An item `alone` is the document itself, not item 0 of a list."""
    paths: list[str] = []
    own: list[str | None] = []  # each item's key, from its name
    keys: dict[str, str] = {}  # a name -> the key of the first item so named
    queries: list[dict[str, str]] = []
    for item in batch:
        path, query = _split_url(str(item.get("relative_url", "")))
        queries.append(query)
        name = item.get("name")
        key = None
        if isinstance(name, str):
            key = f"{_kind_of_path(path) or 'request'}.{_KEY_UNSAFE.sub('_', name)}"
            keys.setdefault(name, key)
        paths.append(path)
        own.append(key)
    out: list[Item] = []
    for i, (item, path) in enumerate(zip(batch, paths, strict=True)):
        at = ptr if alone else f"{ptr}/{i}"
        body = _text_body(item.get("body"), f"{at}/body", spans)
        body = _with_query(body, queries[i], f"{at}/body", spans.get(f"{at}/relative_url"),
                           spans)
        if isinstance(body, dict):
            body = {field: _batch_ref(value, keys) for field, value in body.items()}
        out.append((f"{at}/body", body, path, own[i], False))
    return out


def _batch_ref(value: Any, keys: dict[str, str]) -> Any:
    """`{result=NAME:$.id}` as the `$ref` marker, also inside a form value
    that is JSON text (`creative={"creative_id":"{result=cr:$.id}"}`): that
    value is then kept as the object it stands for, so the reference is seen."""
    if isinstance(value, str):
        found = _BATCH_RESULT.fullmatch(value)
        if found and found.group(1) in keys:
            return {"$ref": keys[found.group(1)]}
        if value.lstrip()[:1] in "[{" and _BATCH_RESULT.search(value):
            try:
                decoded = loads_embedded(value)
            except ValueError:
                return value
            replaced = _batch_ref(decoded, keys)
            return replaced if replaced != decoded else value
    elif isinstance(value, dict):
        return {k: _batch_ref(v, keys) for k, v in value.items()}
    elif isinstance(value, list):
        return [_batch_ref(v, keys) for v in value]
    return value


def _create_parameters(kind: str) -> frozenset[str]:
    endpoint = ENDPOINTS[kind]
    return POST_PARAMETERS[endpoint] | DOCUMENTED_EXTRA_PARAMETERS.get(endpoint, frozenset())


def document_from_json(source: Source) -> tuple[Document | None, list[Diagnostic]]:
    parsed = parse_json(source)
    if isinstance(parsed, Diagnostic):
        return None, [parsed]
    value, spans, diagnostics = parsed
    stem = stem_of(source.path)
    items, named_api, api_ptr = _read_shape(value, spans)
    api = named_api or DEFAULT_API_VERSION
    api_span = spans.get(api_ptr) if named_api else None  # a plan names its version
    if named_api and not API_VERSION.fullmatch(api):
        diagnostics.append(S007.diag(
            api_span or source.whole, f"API version {json.dumps(api)[:80]} is not one",
            help="a version is v, then two numbers, e.g. v25.0: the bundle sends to "
                 "GRAPH_API_URL/VERSION/PATH"))
    if not items:
        return None, [S005.diag(spans.get("", source.whole),
                                "this JSON is not a Graph API body or request adflow knows")]
    # (pointer, body, path, kind, key) of each request
    entries: list[tuple[str, dict[str, Any], str, str, str | None]] = []
    for ptr, body, path, key, read_back in items:
        if isinstance(body, dict) and read_back:
            body = {k: v for k, v in body.items() if k not in READ_BACK_FIELDS}
        kind = _kind_of_path(path) or (infer_kind(body) if isinstance(body, dict) else None)
        if isinstance(body, dict) and read_back and kind is not None:
            # What Meta reports and never takes (budget_remaining, account_id ...)
            # is no part of the request that would create the object.
            body = {k: v for k, v in body.items() if k in _create_parameters(kind)}
        if not isinstance(body, dict) or kind is None:
            where = spans.get(ptr.removesuffix("/body"), source.whole)
            elsewhere = _unmodelled_endpoint(body) if isinstance(body, dict) and not path else None
            if elsewhere is not None:
                path = elsewhere.lstrip("/")
            if not ptr and elsewhere is None:  # a bare body
                diagnostics.append(S005.diag(where,
                                             "this JSON is not a Graph API body adflow knows",
                                             help="adflow reads lead form, campaign, ad set, "
                                                  "creative and ad bodies, requests {method, "
                                                  "path, body}, Graph batches, list responses "
                                                  "and plans"))
            elif isinstance(body, dict) and path and _kind_of_path(path) is None:
                # An open world: an endpoint adflow does not model is Meta's to judge.
                diagnostics.append(S005.diag(
                    where, f"/{path.lstrip('/')} is not checked: adflow does not model this "
                           "endpoint", severity=Severity.INFO,
                    help="adflow checks campaigns, ad sets, ad creatives, ads and Messenger "
                         "lead forms; this request is left out of the plan"))
            else:
                diagnostics.append(S005.diag(where, "a request whose body or endpoint adflow "
                                                    "does not know"))
            continue
        entries.append((ptr, body, path or f"0/{ENDPOINTS[kind]}", kind, key))
    if not entries and len(items) == 1 and not items[0][0] and any(
            d.severity is Severity.ERROR for d in diagnostics):
        return None, diagnostics
    requests = []
    for index, (ptr, body, path, kind, key) in enumerate(entries):
        if key is not None and not PLAIN_KEY.fullmatch(key):
            where = spans.get(ptr.removesuffix("/body") + "/key", source.whole)
            diagnostics.append(S007.diag(
                where, f"request key {json.dumps(key)[:80]} is not a plain name",
                help="a key is a letter or '_', then letters, digits, '_', '.' and '-', e.g. "
                     "campaign.spring: the bundle's state and the commands it suggests "
                     "name requests by it"))
        if not GRAPH_PATH.fullmatch(path):
            where = spans.get(ptr.removesuffix("/body") + "/path", source.whole)
            diagnostics.append(S007.diag(
                where, f"request path {json.dumps(path)[:80]} is not the account or page and "
                       "the edge",
                help="a path is NODE/EDGE, e.g. act_1234567890/campaigns or "
                     "111222333444/messenger_lead_forms: the bundle sends to VERSION/PATH"))
        body_spans = _rebase(spans, ptr)
        diagnostics += _decode_json_strings(body, body_spans, spans.get(ptr, source.whole))
        name = str(body.get("name") or body.get("template_name") or stem)
        requests.append(Request(
            key=str(key or f"{kind}.{index}"), kind=kind, name=name, path=path, body=body,
            span=spans.get(ptr, source.whole), spans=body_spans))
    document = Document(source.path, api, tuple(requests), api_span=api_span, from_json=True)
    return document, diagnostics
