"""A local Graph API emulator (`adflow sandbox`) for dry runs and tests.

It answers the five create edges adflow sends to, and what Meta's SDK and
the curl bundle ask about what it created, the way Meta does: reads,
updates and deletes of `/{id}` (with or without a trailing slash), edge
lists a page at a time (`GET /act_X/campaigns`, `/{campaign}/adsets`),
Graph batches (`POST /` with `batch=`), the same error envelope, code 104
without a token, code 100 for a body that fails adflow's schemas or rules.
Ids are numeric strings above 2**53, so a client that turns ids into numbers
(jq 1.6, JavaScript) sends back a wrong id and is caught. Clients are
answered concurrently: only the object store's reads and changes are
serialised, never a body's checks.

A body may come in chunks (Transfer-Encoding: chunked). A request it cannot
read (a Content-Length that is no size, a chunked body that is not one, JSON
nested too deep, a lone surrogate, a form that is not one) gets a Graph-shaped
400 too, never a traceback; the --record file never holds a token, in any shape.

`--fail N:WHAT` makes the N-th request (counting every request) fail once:
WHAT is a Graph error code, `500`, or `drop` (carried out, then the connection
closes without an answer: the "outcome unknown" case); `CODE/SUBCODE:FIELD.PATH`
(e.g. `100/1487079:targeting.geo_locations`) answers with Meta's
invalid-parameter shape whose `error_data.blame_field_specs` names the field.
`POST /{id}` refuses fields Meta does not let you edit on that kind of object.
"""

from __future__ import annotations

import base64
import contextlib
import json
import math
import re
import socket
import sys
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BufferedIOBase
from typing import IO, Any
from urllib.parse import SplitResult, parse_qs, parse_qsl, unquote_plus, urlencode, urlsplit

from ..bodies.wire import LONE_SURROGATE
from ..facts import facts

FIRST_ID = 120_000_000_000_000_001  # above 2**53: rounding shows as a wrong id

# The sandbox's own limits (Meta does not document its own here): a body no
# larger than MAX_BODY bytes and nested no deeper than MAX_DEPTH, which keeps
# the schema and rule checks well inside Python's recursion limit.
MAX_BODY = 10 * 1024 * 1024
MAX_DEPTH = 64
REDACTED = "<redacted>"


def parse_failures(specs: list[str]) -> dict[int, str]:
    """`N:WHAT` items to {N: WHAT}; ValueError with a message on a bad one."""
    failures: dict[int, str] = {}
    for spec in specs:
        number, _, what = spec.partition(":")
        if not number.isdigit() or int(number) < 1:
            raise ValueError(f"--fail {spec!r}: N must be a request number from 1")
        if what != "drop" and blamed_failure(what) is None:
            raise ValueError(f"--fail {spec!r}: WHAT is CODE[/SUBCODE][:FIELD.PATH] (a Graph "
                             "error code), 500 or drop")
        failures[int(number)] = what
    return failures


def graph_error(code: int, message: str, *, subcode: int | None = None,
                user_msg: str | None = None, blame: list[list[str]] | None = None,
                transient: bool = False, trace: str = "") -> dict[str, Any]:
    """Meta's error envelope."""
    error: dict[str, Any] = {"message": message,
                             "type": "OAuthException", "code": code, "is_transient": transient}
    if subcode is not None:
        error["error_subcode"] = subcode
    if user_msg is not None:
        error["error_user_title"] = "Invalid parameter"
        error["error_user_msg"] = user_msg
    if blame is not None:
        error["error_data"] = {"blame_field_specs": blame}
    error["fbtrace_id"] = trace
    return {"error": error}


@dataclass
class Answer:
    status: int
    body: Any  # a JSON object; a batch's answer is an array
    headers: dict[str, str]
    drop: bool = False  # carry it out but close the connection without answering


def schema_problem(edge: str, body: dict[str, Any]) -> tuple[str, list[list[str]]] | None:
    """The first way the body breaks its endpoint's schema (adflow's own
    validator, as `check` runs it), with the field to blame."""
    from ..facts.endpoints import schema_errors

    errors = schema_errors(edge, body)
    if not errors:
        return None
    ptr, message = errors[0]
    field_path = [p.replace("~1", "/").replace("~0", "~") for p in ptr.split("/")[1:]]
    where = "/".join(field_path) or "the body"
    return f"{where}: {message}", [field_path] if field_path else []


def rule_problem(path: str, body: dict[str, Any], api_version: str) -> str | None:
    """The first error adflow's own rules find in this one request."""
    from pathlib import Path

    from ..findings.diagnostics import Severity
    from ..pipeline import check_file
    from ..project.config import Config

    text = json.dumps({"format": "adflow.plan/1", "api_version": api_version,
                       "requests": [{"method": "POST", "path": path, "body": body}]},
                      ensure_ascii=False, indent=1)
    # The check pipeline itself, on a request that never was a file.
    result = check_file(Path("request.json"), Config(), data=text.encode())
    for diagnostic in result.diagnostics:
        if diagnostic.severity is Severity.ERROR:
            return f"{diagnostic.code} {diagnostic.message}"
    return None


def _form_value(text: str) -> Any:
    # Graph API form parameters carry objects and lists as JSON text.
    if text in ("true", "false"):
        return text == "true"
    if text[:1] in "[{":
        try:
            return json.loads(text)
        except (ValueError, RecursionError):
            return text
    return text


def parse_body(content_type: str, raw: bytes) -> dict[str, Any]:
    """JSON or form body; ValueError, with a message for the client, when it
    is neither or holds what Meta would not take as text."""
    if not raw.strip():
        return {}
    value: dict[str, Any]
    if "json" in content_type:
        try:
            value = json.loads(raw.decode("utf-8"))
        except RecursionError:
            raise ValueError(f"the JSON body is nested deeper than {MAX_DEPTH} levels") from None
        except ValueError as exc:  # UnicodeDecodeError included
            raise ValueError(f"the body is not JSON in UTF-8: {exc}") from None
        if not isinstance(value, dict):
            raise ValueError("the JSON body is not an object")
    elif content_type.lower().startswith("multipart/form-data"):
        value = _multipart(content_type, raw)
    else:
        try:
            form = parse_qs(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=True)
        except ValueError:  # the message would quote the body
            raise ValueError("the body is not a UTF-8 form (application/x-www-form-urlencoded)"
                             ) from None
        value = {k: _form_value(v[-1]) for k, v in form.items()}
    _check_text(value)
    return value


def _multipart(content_type: str, raw: bytes) -> dict[str, Any]:
    """multipart/form-data, as `curl -F` in Meta's examples sends it: each
    part's name and text (an uploaded file stands as its file name)."""
    from email.parser import BytesParser
    from email.policy import HTTP

    head = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1", "replace")
    message = BytesParser(policy=HTTP).parsebytes(head + raw)
    if not message.is_multipart():
        raise ValueError("the body is not multipart/form-data with a boundary")
    value: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            raise ValueError("a part of the multipart/form-data body has no name")
        data = part.get_payload(decode=True)
        filename = part.get_filename()
        try:
            value[name] = filename if filename is not None else \
                _form_value(data.decode("utf-8") if isinstance(data, bytes) else "")
        except UnicodeDecodeError:
            raise ValueError(f"the form field {name!r} is not UTF-8 text") from None
    return value


def _check_text(value: Any) -> None:
    """ValueError for nesting past MAX_DEPTH, a lone surrogate (not text) or
    a number past a double's range (1e400), walked without recursion."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ValueError(f"the body is nested deeper than {MAX_DEPTH} levels")
        if isinstance(item, dict):
            stack.extend((k, depth) for k in item)
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
        elif isinstance(item, str) and LONE_SURROGATE.search(item):
            raise ValueError("a string holds a lone UTF-16 surrogate, which is not text")
        elif isinstance(item, float) and not math.isfinite(item):
            raise ValueError("a number is too large for a double")


def content_length(values: list[str]) -> tuple[int, str | None]:
    """The body's size from the Content-Length header(s), or why it has none."""
    sizes = {v.strip() for v in values}
    if not sizes:
        return 0, None
    if len(sizes) > 1:
        return 0, "the request has Content-Length headers that disagree"
    text = sizes.pop()
    if not (text.isascii() and text.isdigit()):
        return 0, "Content-Length is not a number of bytes"
    if len(text) > 10 or int(text) > MAX_BODY:
        return 0, f"the body is larger than the sandbox takes ({MAX_BODY} bytes)"
    return int(text), None


MAX_CHUNK_LINE = 1024  # a chunk's size line or a trailer line, extensions included
MAX_TRAILERS = 100
_HEX = frozenset(b"0123456789abcdefABCDEF")


def read_chunked(stream: BufferedIOBase) -> tuple[bytes, str | None]:
    """A body in HTTP/1.1's chunked transfer coding (RFC 9112, section 7.1),
    or why it is not one. Nothing past a malformed chunk is read: the caller
    closes the connection, so no byte of the body is taken for a request."""
    body = bytearray()
    while True:
        line = stream.readline(MAX_CHUNK_LINE + 1)
        size_text = line.split(b";", 1)[0].strip()
        if not line.endswith(b"\n") or not size_text or not set(size_text) <= _HEX:
            return b"", "a chunk of the chunked body does not start with its size in hex"
        size = int(size_text, 16)
        if size == 0:
            break
        if len(body) + size > MAX_BODY:
            return b"", f"the body is larger than the sandbox takes ({MAX_BODY} bytes)"
        data = stream.read(size)
        if len(data) < size or stream.readline(3) not in (b"\r\n", b"\n"):
            return b"", "a chunk of the chunked body is not as long as its size says"
        body += data
    for _ in range(MAX_TRAILERS):
        line = stream.readline(MAX_CHUNK_LINE + 1)
        if line in (b"\r\n", b"\n"):
            return bytes(body), None
        if not line.endswith(b"\n"):
            break
    return b"", "the chunked body does not end with an empty line"


def token_of(headers: Mapping[str, str], query: dict[str, Any], body: dict[str, Any]) -> str | None:
    scheme, _, credentials = headers.get("Authorization", "").partition(" ")
    if scheme.lower() in ("bearer", "oauth") and credentials.strip():
        return credentials.strip()
    for source in (query, body):
        value = source.get("access_token")
        if isinstance(value, str) and value:
            return value
    return None


def _query_of(text: str) -> dict[str, Any]:
    query = {k: _form_value(v[-1]) for k, v in parse_qs(text, keep_blank_values=True).items()}
    _check_text(query)
    return query


def _fields_wanted(text: str) -> list[tuple[str, list[str]]]:
    """`fields=id,name,creative{id}` as (field, subfields): Meta's field
    expansion, one level deep (deeper braces stay with their subfield)."""
    wanted = []
    for item in _top_level(text):
        name, _, rest = item.partition("{")
        inner = rest[:-1] if rest.endswith("}") else rest
        wanted.append((name.strip(), [sub.partition("{")[0].strip()
                                      for sub in _top_level(inner)]))
    return wanted


def _top_level(text: str) -> list[str]:
    """The items between the commas outside braces."""
    items, depth, start = [], 0, 0
    for at, char in enumerate(text):
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(0, depth - 1)
        elif char == "," and depth == 0:
            items.append(text[start:at])
            start = at + 1
    items.append(text[start:])  # an unclosed brace ends the text
    return [item.strip() for item in items if item.strip()]


def _cursor(object_id: str) -> str:
    return base64.urlsafe_b64encode(object_id.encode()).decode().rstrip("=")


def _uncursor(cursor: str) -> str | None:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except ValueError:
        return None
    return text if text.isdigit() else None


@dataclass
class _Call:
    """One request as the router sees it (a batch item is one too)."""
    method: str
    version: str
    parts: list[str]  # the path's components after the version
    query: dict[str, Any]
    raw_query: str
    body: dict[str, Any]
    trace: str
    host: str


class GraphSandbox:
    """The emulator's state. `answer` is called from one thread per client:
    reading and checking a request needs no lock, only the object store's
    reads and changes (`_state`) and the record's lines (`_writing`) do."""

    def __init__(self, failures: dict[int, str] | None = None,
                 record: IO[str] | None = None) -> None:
        self.failures = dict(failures or {})
        self.record = record
        self.objects: dict[str, dict[str, Any]] = {}  # id -> its fields as Meta reads them back
        self.kinds: dict[str, str] = {}  # id -> the edge it was created on
        self.owners: dict[str, str] = {}  # id -> the account or page it was created under
        self._count = 0
        self._next_id = FIRST_ID
        self._state = threading.Lock()
        self._writing = threading.Lock()

    def answer(self, method: str, target: str, headers: Mapping[str, str], raw: bytes,
               problem: str | None = None) -> Answer:
        """`problem`: why the body could not even be read (its Content-Length)."""
        with self._state:
            self._count += 1
            number = self._count
            forced = self.failures.pop(number, None)
        split = urlsplit(target)
        query: dict[str, Any] = {}
        body: dict[str, Any] = {}
        try:
            if problem is not None:
                raise ValueError(problem)
            query = _query_of(split.query)
            body = parse_body(headers.get("Content-Type", ""), raw)
        except ValueError as exc:
            if raw.strip():
                body = {"unparsed": raw.decode("utf-8", "replace")}
            answer = Answer(400, graph_error(100, f"Could not read the request: {exc}",
                                             trace=_trace(number)), {})
            shown = body
        else:
            shown = dict(body)  # as it came, before the token is taken out
            answer = self._answer(method, split, dict(query), headers, body, number, forced)
        self._record(method, split.path, query, headers, shown, answer)
        return answer

    def _answer(self, method: str, split: SplitResult, query: dict[str, Any],
                headers: Mapping[str, str], body: dict[str, Any], number: int,
                forced: str | None) -> Answer:
        trace = _trace(number)
        if forced is not None and forced != "drop":
            return _forced_failure(forced, trace)
        if token_of(headers, query, body) is None:
            return Answer(400, graph_error(104, facts.GRAPH_ERRORS[104].message, trace=trace), {})
        body.pop("access_token", None)
        query.pop("access_token", None)
        call = _call(method, split.path, split.query, query, body, trace,
                     headers.get("Host", "127.0.0.1"))
        if call is None:
            answer = _unknown_path(split.path, trace)
        elif method == "POST" and not call.parts and "batch" in body:
            answer = self._batch(call)
        else:
            answer = self._serve(call)
        answer.drop = forced == "drop"
        return answer

    def _serve(self, call: _Call) -> Answer:
        if len(call.parts) == 2:
            node, edge = call.parts
            if call.method == "POST" and _own_edge(node, edge):
                return self._create(call.version, f"{node}/{edge}", edge, node, call.body,
                                    call.trace)
            if call.method == "GET":
                return self._list(node, edge, call)
        if len(call.parts) == 1 and _NODE.fullmatch(call.parts[0]):
            object_id = call.parts[0]
            if call.method == "GET":
                return self._read(object_id, call)
            if call.method == "POST":
                return self._update(object_id, call.body, call.trace)
            if call.method == "DELETE":
                return self._delete(object_id, call.trace)
        return _unknown_path("/" + "/".join([call.version, *call.parts]), call.trace)

    # -- reads ---------------------------------------------------------------------------------

    def _snapshot(self, object_id: str) -> tuple[str, dict[str, Any]] | None:
        with self._state:
            stored = self.objects.get(object_id)
            return None if stored is None else (self.kinds[object_id], dict(stored))

    def _read(self, object_id: str, call: _Call) -> Answer:
        found = self._snapshot(object_id)
        if found is None:
            return _unsupported("get", object_id, call.trace)
        edge, stored = found
        if "fields" not in call.query:
            return Answer(200, stored, {})
        return _projected(edge, [stored], str(call.query["fields"]), call.trace,
                          lambda rows: Answer(200, rows[0], {}))

    def _list(self, node: str, edge: str, call: _Call) -> Answer:
        """An edge's objects, oldest first, a page at a time: `limit`, the
        `after` cursor, `paging.cursors` and `paging.next` as Graph sends them
        (https://developers.facebook.com/docs/graph-api/results)."""
        with self._state:
            owner_kind = self.kinds.get(node)
            if owner_kind is None and not _own_edge(node, edge):
                return (_unknown_path("/" + "/".join([call.version, node, edge]), call.trace)
                        if node.startswith("act_") else
                        _unsupported("get", node, call.trace))
            if owner_kind is not None and (owner_kind, edge) not in _CHILD_EDGES:
                return _no_such_field(edge, owner_kind, call.trace)
            rows = [dict(self.objects[i]) for i in sorted(self.objects, key=int)
                    if self._belongs(i, node, owner_kind, edge)]
        try:
            limit = int(call.query.get("limit", DEFAULT_LIMIT))
        except (TypeError, ValueError):
            limit = -1
        if not 0 < limit <= MAX_LIMIT:
            return _invalid(f"limit must be a number from 1 to {MAX_LIMIT}", [["limit"]],
                            call.trace)
        after = call.query.get("after")
        if after is not None:
            last = _uncursor(str(after))
            if last is None:
                return _invalid("after is not a cursor this edge gave", [["after"]],
                                call.trace)
            rows_after = [r for r in rows if int(r["id"]) > int(last)]
        else:
            rows_after = rows
        page = rows_after[:limit]
        listing: dict[str, Any] = {}
        if page:
            paging: dict[str, Any] = {"cursors": {"before": _cursor(page[0]["id"]),
                                                  "after": _cursor(page[-1]["id"])}}
            if len(rows_after) > limit:
                kept = [(k, v) for k, v in parse_qsl(call.raw_query, keep_blank_values=True)
                        if k not in ("access_token", "after", "before")]
                kept.append(("after", _cursor(page[-1]["id"])))
                paging["next"] = (f"http://{call.host}/{call.version}/{node}/{edge}?"
                                  + urlencode(kept))
            listing["paging"] = paging
        if str(call.query.get("summary", "")).lower() in ("true", "1"):
            listing["summary"] = {"total_count": len(rows)}
        fields = str(call.query.get("fields", "")) or "id"
        return _projected(edge, page, fields, call.trace,
                          lambda shown: Answer(200, {"data": shown, **listing}, {}))

    def _belongs(self, object_id: str, node: str, owner_kind: str | None, edge: str) -> bool:
        """Whether an object is on `node`'s `edge` (call with `_state` held)."""
        if self.kinds[object_id] != edge:
            return False
        if owner_kind is None:  # an account's or a page's own edge
            return self.owners[object_id] == node
        stored = self.objects[object_id]
        if owner_kind == "adsets":  # an ad set's ads
            return str(stored.get("adset_id")) == node
        if edge == "adsets":  # a campaign's ad sets
            return str(stored.get("campaign_id")) == node
        adset = self.objects.get(str(stored.get("adset_id")), {})  # a campaign's ads
        return str(adset.get("campaign_id")) == node

    # -- changes -------------------------------------------------------------------------------

    def _create(self, version: str, path: str, edge: str, owner: str, body: dict[str, Any],
                trace: str) -> Answer:
        # The checks take long for a large body: no lock held, others are answered meanwhile.
        problem = schema_problem(edge, body)
        if problem is not None:
            return _invalid(problem[0], problem[1], trace)
        message = rule_problem(path, body, version)
        if message is not None:
            return _invalid(message, [], trace)
        if _validate_only(body):
            return Answer(200, {"success": True}, {})
        with self._state:
            new_id = str(self._next_id)
            self._next_id += 1
            self.objects[new_id] = {"id": new_id, **_as_read_back(edge, body)}
            self.kinds[new_id] = edge
            self.owners[new_id] = owner
        return Answer(200, {"id": new_id}, {})

    def _update(self, object_id: str, body: dict[str, Any], trace: str) -> Answer:
        """`POST /{id}`: only the fields Meta lets you edit on that kind of
        object (facts.EDITABLE_FIELDS), else Meta's answer for the edit."""
        from ..bodies.model import KIND_OF_ENDPOINT

        with self._state:
            edge = self.kinds.get(object_id)
        if edge is None:
            return _unsupported("post", object_id, trace)
        status = body.get("status")
        if status is not None and status not in facts.SETTABLE_STATUSES:
            return _invalid(f"status: {status!r} is not a status that can be set",
                            [["status"]], trace)
        kind = KIND_OF_ENDPOINT[edge]
        editable = facts.EDITABLE_FIELDS.get(kind, frozenset()) | {"execution_options"}
        refused = [k for k in body if k not in editable]
        if refused:
            code, subcode, message = facts.UNEDITABLE_ERROR
            return Answer(400, graph_error(
                code, message, subcode=subcode, blame=[[refused[0]]], trace=trace,
                user_msg=f"{refused[0]} cannot be changed on an existing {kind}: "
                         "create a new one instead"), {})
        if _validate_only(body):
            return Answer(200, {"success": True}, {})
        with self._state:
            stored = self.objects.get(object_id)
            if stored is None:  # deleted meanwhile
                return _unsupported("post", object_id, trace)
            stored.update(_as_read_back(edge, body))
        return Answer(200, {"success": True}, {})

    def _delete(self, object_id: str, trace: str) -> Answer:
        """`DELETE /{id}`, answered `{"success": true}`; Meta has no delete for
        a Messenger lead form (nor an update: facts.EDITABLE_FIELDS)."""
        with self._state:
            edge = self.kinds.get(object_id)
            if edge is None or edge == "messenger_lead_forms":
                return _unsupported("delete", object_id, trace)
            del self.objects[object_id], self.kinds[object_id], self.owners[object_id]
        return Answer(200, {"success": True}, {})

    # -- batch ---------------------------------------------------------------------------------

    def _batch(self, call: _Call) -> Answer:
        """Graph batch requests: `batch` is a JSON array of {method,
        relative_url, body, name, omit_response_on_success}; the answer is an
        array of {code, headers, body (JSON text)} in the same order, and
        `{result=NAME:$.path}` in a later item's URL or body is replaced by
        what that item answered
        (https://developers.facebook.com/docs/graph-api/batch-requests)."""
        items = call.body["batch"]
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            return _invalid("batch must be a JSON array of requests", [["batch"]], call.trace)
        if not items or len(items) > MAX_BATCH:
            return _invalid(f"a batch holds 1 to {MAX_BATCH} requests", [["batch"]],
                            call.trace)
        texts = [json.dumps(item) for item in items]
        results: dict[str, Any] = {}  # name -> the body it answered, None when it failed
        answers: list[dict[str, Any] | None] = []
        for index, item in enumerate(items):
            answer = self._batch_item(item, results, call)
            name = item.get("name")
            if isinstance(name, str) and name:
                results[name] = answer.body if answer.status == 200 else None
            referenced = isinstance(name, str) and any(
                "{result=" + name + ":" in text for text in texts[index + 1:])
            omitted = (referenced and answer.status == 200
                       and item.get("omit_response_on_success") not in (False, "false"))
            answers.append(None if omitted else {
                "code": answer.status,
                "headers": [{"name": "Content-Type", "value": "text/javascript; charset=UTF-8"},
                            *({"name": k, "value": v} for k, v in answer.headers.items())],
                "body": json.dumps(answer.body, ensure_ascii=False)})
        return Answer(200, answers, {})

    def _batch_item(self, item: dict[str, Any], results: dict[str, Any], call: _Call) -> Answer:
        method = str(item.get("method", "GET")).upper()
        url = item.get("relative_url")
        text = item.get("body", "")
        if not isinstance(url, str) or not isinstance(text, str):
            return _invalid("each request needs a relative_url (and a body as form text)",
                            [["relative_url"]], call.trace)
        try:
            url, text = _resolved(url, results), _resolved(text, results)
        except LookupError as exc:
            return _invalid(f"{exc}", [["relative_url"]], call.trace)
        split = urlsplit("/" + url.lstrip("/"))
        try:
            query = _query_of(split.query)
            body = parse_body("application/x-www-form-urlencoded", text.encode("utf-8"))
        except ValueError as exc:
            return Answer(400, graph_error(100, f"Could not read the request: {exc}",
                                           trace=call.trace), {})
        body.pop("access_token", None)
        query.pop("access_token", None)
        item_call = _call(method, split.path, split.query, query, body, call.trace, call.host,
                          default_version=call.version)
        if item_call is None or not item_call.parts:
            return _unknown_path(split.path, call.trace)
        return self._serve(item_call)

    # -- the record ----------------------------------------------------------------------------

    def _record(self, method: str, path: str, query: dict[str, Any], headers: Mapping[str, str],
                body: dict[str, Any], answer: Answer) -> None:
        if self.record is None:
            return
        secrets = _secrets(headers, query, body)
        shown_headers = {k: v for k, v in headers.items() if not _secret_header(k)}
        entry = {"method": method, "path": path, "query": query, "headers": shown_headers,
                 "body": body, "response": answer.body,
                 "status": None if answer.drop else answer.status}
        line = json.dumps(_redacted(entry, _secret_patterns(secrets)), ensure_ascii=False,
                          sort_keys=True) + "\n"
        self._write_record(line)

    def _write_record(self, line: str) -> None:
        with self._writing:
            if self.record is None:  # given up on by another thread meanwhile
                return
            try:
                self.record.write(line)
                self.record.flush()
            except OSError as exc:  # a full disk: keep answering, say so once
                name = getattr(self.record, "name", "file")
                sys.stderr.write(f"adflow sandbox: cannot write the record {name}: "
                                 f"{exc.strerror or exc}; requests are still answered but no "
                                 "longer recorded\n")
                with contextlib.suppress(OSError):
                    self.record.close()
                self.record = None


# -- routing ------------------------------------------------------------------------------------

_VERSION = re.compile(r"v\d+\.\d+")
_NODE = re.compile(r"act_\d+|\d+")
_ACCOUNT_EDGES = frozenset({"campaigns", "adsets", "adcreatives", "ads"})
# (kind of the object, edge): the objects listed under another object.
_CHILD_EDGES = frozenset({("campaigns", "adsets"), ("campaigns", "ads"), ("adsets", "ads")})
_NODE_TYPES = {"campaigns": "Campaign", "adsets": "AdSet", "adcreatives": "AdCreative",
               "ads": "Ad", "messenger_lead_forms": "MessengerLeadForm"}
# Fields Meta reports on ad objects without their being sent, and `name`,
# which the curl bundle's look-up asks of every kind (`?fields=id,name`).
_READ_ONLY = frozenset({"id", "name", "account_id", "campaign_id", "adset_id", "created_time",
                        "updated_time", "effective_status", "configured_status", "status"})
DEFAULT_LIMIT = 25
MAX_LIMIT = 5000
MAX_BATCH = 50  # https://developers.facebook.com/docs/graph-api/batch-requests#limits


def _call(method: str, path: str, raw_query: str, query: dict[str, Any], body: dict[str, Any],
          trace: str, host: str, default_version: str = facts.DEFAULT_API_VERSION) -> _Call | None:
    """The path's components, with or without a version and a trailing
    slash (Meta's SDK asks for `/v25.0/{id}/`); None for an empty component."""
    parts = path.strip("/").split("/") if path.strip("/") else []
    version = default_version
    if parts and _VERSION.fullmatch(parts[0]):
        version, parts = parts[0], parts[1:]
    if any(not p for p in parts) or len(parts) > 2:
        return None
    return _Call(method, version, parts, query, raw_query, body, trace, host)


def _own_edge(node: str, edge: str) -> bool:
    """An account's or a page's edge, where objects are created and listed."""
    return ((node.startswith("act_") and edge in _ACCOUNT_EDGES)
            or (node.isdigit() and edge == "messenger_lead_forms"))


def _readable(edge: str, stored: Mapping[str, Any]) -> frozenset[str]:
    """The fields a GET may name on that kind of object: what its create
    takes (its schema), what Meta lets you edit, what Meta reports itself,
    and whatever was stored (a `raw` field)."""
    from ..bodies.model import KIND_OF_ENDPOINT
    from ..facts.endpoints import schema

    taken = schema(edge).get("properties", {})
    editable = facts.EDITABLE_FIELDS.get(KIND_OF_ENDPOINT[edge], frozenset())
    return frozenset(taken) | editable | _READ_ONLY | frozenset(stored)


def _projected(edge: str, rows: list[dict[str, Any]], fields: str, trace: str,
               done: Callable[[list[dict[str, Any]]], Answer]) -> Answer:
    """Each row cut to the fields asked for (`id` always), or Meta's error
    for a field that type of object does not have."""
    wanted = _fields_wanted(fields)
    shown = []
    for row in rows or [{}]:
        known = _readable(edge, row)
        for name, _ in wanted:
            if name not in known:
                return _no_such_field(name, edge, trace)
    for row in rows:
        cut: dict[str, Any] = {"id": row["id"]}
        for name, subfields in wanted:
            if name in row:
                value = row[name]
                if subfields and isinstance(value, dict):
                    value = {k: v for k, v in value.items() if k in subfields}
                cut[name] = value
        shown.append(cut)
    return done(shown)


def _as_read_back(edge: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """A body's fields as Meta reads them back: an ad's `creative` by
    `creative_id` comes back as `{"id": ...}` (facts.READ_BACK_RENAMES)."""
    from ..bodies.model import KIND_OF_ENDPOINT

    kind = KIND_OF_ENDPOINT[edge]
    stored = {k: v for k, v in body.items() if k != "execution_options"}
    for (renamed_kind, field), renames in facts.READ_BACK_RENAMES.items():
        value = stored.get(field)
        if renamed_kind == kind and isinstance(value, dict):
            stored[field] = {renames.get(k, k): str(v) if renames.get(k) == "id" else v
                             for k, v in value.items()}
    return stored


def _validate_only(body: Mapping[str, Any]) -> bool:
    options = body.get("execution_options")
    return isinstance(options, list) and "validate_only" in options


_RESULT = re.compile(r"\{result=([^:}]+):\$((?:\.[^.}]+)*)\}")


def _resolved(text: str, results: dict[str, Any]) -> str:
    """`{result=NAME:$.a.b}` replaced by that value of an earlier item's
    answer (`*` takes every element of a list, joined by commas)."""

    def value(found: re.Match[str]) -> str:
        name, path = found.group(1), found.group(2)
        if results.get(name) is None:
            raise LookupError(f"{found.group(0)}: no earlier request named {name!r} "
                              "answered successfully")
        values = [results[name]]
        for key in path.split(".")[1:]:
            step: list[Any] = []
            for v in values:
                if key == "*" and isinstance(v, list):
                    step.extend(v)
                elif isinstance(v, dict) and key in v:
                    step.append(v[key])
                elif isinstance(v, list) and key.isdigit() and int(key) < len(v):
                    step.append(v[int(key)])
            values = step
        if not values or not all(isinstance(v, str | int) for v in values):
            raise LookupError(f"{found.group(0)}: the answer of {name!r} has no such value")
        return ",".join(str(v) for v in values)

    return _RESULT.sub(value, text)


def _unknown_path(path: str, trace: str) -> Answer:
    return Answer(400, graph_error(2500, f"Unknown path components: {path}", trace=trace), {})


def _unsupported(method: str, object_id: str, trace: str) -> Answer:
    return Answer(400, graph_error(
        100, f"Unsupported {method} request. Object with ID '{object_id}' does not exist, "
        "cannot be loaded due to missing permissions, or does not support this operation",
        subcode=33, trace=trace), {})


def _no_such_field(field: str, edge: str, trace: str) -> Answer:
    return Answer(400, graph_error(
        100, f"(#100) Tried accessing nonexisting field ({field}) on node type "
        f"({_NODE_TYPES[edge]})", trace=trace), {})


def _trace(number: int) -> str:
    return f"sandbox{number:06d}"


# -- redaction ----------------------------------------------------------------------------------
# A record must never hold a token, whatever shape the client wrote it in.
# Parsed bodies are redacted by field name; all text (values that did not
# parse, URLs, batch items' bodies) by the name in any spelling (case, JSON
# \u escapes, %-encoding) and what follows it; and every token the request is
# known to carry is blanked wherever it shows up, in any of those encodings.

_SECRET_HEADER_WORDS = ("auth", "cookie", "token", "secret", "key")


def _secret_header(name: str) -> bool:
    return any(word in name.lower() for word in _SECRET_HEADER_WORDS)


def _hex(number: int, width: int) -> str:
    """A hex number as a pattern that takes either case of its letters."""
    return "".join(f"[{d.lower()}{d.upper()}]" if d.isalpha() else d
                   for d in f"{number:0{width}x}")


_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "/": "\\/", "\b": "\\b", "\f": "\\f", "\n": "\\n",
                  "\r": "\\r", "\t": "\\t"}


def _spelled(text: str, *, fold_case: bool = False) -> str:
    """A pattern for `text` with each character written as itself, a JSON
    escape, or %-encoded (`+` for a space)."""
    parts = []
    for char in text:
        options = [re.escape(c) for c in ({char.lower(), char.upper()} if fold_case else {char})]
        units = char.encode("utf-16-be")
        options.append("".join(re.escape("\\u") + _hex(int.from_bytes(units[i:i + 2]), 4)
                               for i in range(0, len(units), 2)))
        options.append("".join("%" + _hex(b, 2) for b in char.encode("utf-8", "surrogatepass")))
        if char in _SHORT_ESCAPES:
            options.append(re.escape(_SHORT_ESCAPES[char]))
        if char == " ":
            options.append(r"\+")
        parts.append("(?:" + "|".join(options) + ")")
    return "".join(parts)


_QUOTE = r"(?:\\?[\"']|%2[27])"
# The name, then `=` and a form value up to `&`, or `:` and a JSON-ish value:
# a quoted string up to the quote that ends it (followed by , } ] or the end),
# else up to the next delimiter. Where the text is broken, more goes, never less.
_TOKEN_FIELD = re.compile(
    "(" + _spelled("access_token", fold_case=True) + ")"
    + rf"({_QUOTE}?\s*(?:=|%3[dD]))[^&]*"
    + "|(" + _spelled("access_token", fold_case=True) + ")"
    + rf"({_QUOTE}?\s*(?::|%3[aA])\s*)"
    + r"(?:\"(?:[^\"\\]|\\.)*?\"(?=\s*(?:[,}\]]|$))|'(?:[^'\\]|\\.)*?'(?=\s*(?:[,}\]]|$))"
    + r"|[\"'].*|[^\s,;}\]]*)", re.DOTALL)


def _redact_text(text: str, secrets: list[re.Pattern[str]]) -> str:
    text = _TOKEN_FIELD.sub(lambda m: (m.group(1) or m.group(3)) + (m.group(2) or m.group(4))
                            + REDACTED, text)
    for secret in secrets:
        text = secret.sub(REDACTED, text)
    return text


def _secrets(headers: Mapping[str, str], query: dict[str, Any], body: dict[str, Any]) -> set[str]:
    """Token values this request carries, to be blanked wherever they appear.
    Shorter ones would blank ordinary text (a field named access_token is
    redacted whatever its length)."""
    found = set()
    for name, value in headers.items():
        if _secret_header(name):
            found |= {value.strip(), value.strip().partition(" ")[2].strip()}
    for source in (query, body):
        for key, value in source.items():
            if key.lower() == "access_token" and isinstance(value, str):
                found.add(value)
    unparsed = body.get("unparsed")
    if isinstance(unparsed, str):  # the value after each spelling of the name
        for found_field in _TOKEN_FIELD.finditer(unparsed):
            value = found_field.group(0)[len(found_field.group(1) or found_field.group(3))
                                         + len(found_field.group(2) or found_field.group(4)):]
            found |= {value.strip(), value.strip().strip("\"'"), unquote_plus(value.strip())}
    return {s for s in found if len(s) >= 8}


def _secret_patterns(secrets: set[str]) -> list[re.Pattern[str]]:
    # Longest first: a token that holds another is blanked whole.
    return [re.compile(_spelled(s)) for s in sorted(secrets, key=lambda s: (-len(s), s))]


def _redacted(value: Any, secrets: list[re.Pattern[str]]) -> Any:
    if isinstance(value, dict):
        return {_redact_text(k, secrets): REDACTED if k.lower() == "access_token"
                else _redacted(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [_redacted(v, secrets) for v in value]
    if isinstance(value, str):
        return _redact_text(value, secrets)
    return value


def _invalid(message: str, blame: list[list[str]], trace: str) -> Answer:
    return Answer(400, graph_error(100, "Invalid parameter", subcode=1487390, user_msg=message,
                                   blame=blame, trace=trace), {})


def _forced(code: int, trace: str) -> Answer:
    if code == 500:
        return Answer(500, graph_error(2, facts.GRAPH_ERRORS[2].message, transient=True,
                                       trace=trace), {})
    headers = {}
    if code in facts.RATE_LIMIT_CODES:
        # Meta says how long to wait; zero keeps tests quick while the header is parsed.
        usage = {"1": [{"type": "ads_management", "call_count": 100, "total_cputime": 0,
                        "total_time": 0, "estimated_time_to_regain_access": 0}]}
        headers["X-Business-Use-Case-Usage"] = json.dumps(usage, separators=(",", ":"))
    known = facts.GRAPH_ERRORS.get(code)
    message = known.message if known else f"Error {code}"
    return Answer(400, graph_error(code, message, transient=bool(known and known.transient),
                                   trace=trace), headers)


_BLAMED = re.compile(r"([0-9]{1,6})(?:/([0-9]{1,9}))?(?::([A-Za-z_][A-Za-z0-9_]*"
                     r"(?:\.[A-Za-z0-9_]+)*))?")


def blamed_failure(what: str) -> tuple[int, int | None, list[str] | None] | None:
    """`CODE[/SUBCODE][:FIELD.PATH]` as (code, subcode, field path), or None."""
    found = _BLAMED.fullmatch(what)
    if found is None or not 0 < int(found.group(1)) < 1_000_000:
        return None
    code, subcode, path = found.groups()
    return (int(code), int(subcode) if subcode else None,
            path.split(".") if path else None)


def _forced_failure(what: str, trace: str) -> Answer:
    """A `--fail` answer; with a subcode or a field, Meta's invalid-parameter
    shape: `error_user_msg` and `error_data.blame_field_specs` naming the field."""
    parsed = blamed_failure(what)
    assert parsed is not None  # parse_failures accepted it
    code, subcode, path = parsed
    if subcode is None and path is None:
        return _forced(code, trace)
    known = facts.GRAPH_ERRORS.get(code)
    message = known.message if known is not None else f"Error {code}"
    meaning = facts.ERROR_SUBCODES.get(subcode, "") if subcode is not None else ""
    field_text = ".".join(path) if path else "the request"
    user_msg = f"{field_text}: {meaning}" if meaning else f"{field_text} is not valid"
    return Answer(400, graph_error(code, message, subcode=subcode, user_msg=user_msg,
                                   blame=[path] if path else None, trace=trace), {})


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def _handle(self, method: str) -> None:
        headers = {k: v for k, v in self.headers.items()}
        raw, problem = self._body()
        if problem is not None:
            self.close_connection = True  # where the body ends is unknown: read no more
        answer = self.server.sandbox.answer(method, self.path, headers, raw, problem)
        if answer.drop:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        data = json.dumps(answer.body, ensure_ascii=False).encode("utf-8")
        self.send_response(answer.status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> tuple[bytes, str | None]:
        """The request's body, or why it cannot be read."""
        codings = [c.strip().lower() for v in self.headers.get_all("Transfer-Encoding") or []
                   for c in v.split(",") if c.strip()]
        if codings:
            if "Content-Length" in self.headers:
                # Both: a proxy in front may have read the other one (smuggling).
                self.close_connection = True
            if codings != ["chunked"]:
                return b"", "the sandbox reads no transfer coding but chunked"
            return read_chunked(self.rfile)
        length, problem = content_length(self.headers.get_all("Content-Length") or [])
        return (self.rfile.read(length) if length > 0 else b""), problem

    def log_message(self, format: str, *args: Any) -> None:
        pass  # --record is the log; stderr stays quiet for tests and scripts


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # one thread per connection: clients are answered concurrently
    # socketserver listens with a backlog of 5: a burst of clients (a test
    # suite, parallel bundles) would see connections dropped and retried
    # after a second or more. The kernel caps it at net.core.somaxconn.
    request_queue_size = 1024

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up mid-request is not the sandbox's problem; a bug is.
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)

    def __init__(self, address: tuple[str, int], sandbox: GraphSandbox) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.sandbox = sandbox
        super().__init__(address, _Handler)


def make_server(host: str, port: int, sandbox: GraphSandbox) -> _Server:
    """Bound and listening; OSError when the address cannot be used."""
    return _Server((host, port), sandbox)


def url_of(server: _Server) -> str:
    host, port = server.server_address[:2]
    text = host.decode("ascii") if isinstance(host, bytes) else str(host)
    shown = f"[{text}]" if ":" in text else text
    return f"http://{shown}:{port}"
