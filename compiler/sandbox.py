"""A local Graph API emulator (`adflow sandbox`) for dry runs and tests.

It answers the five create edges adflow sends to, plus reads and updates of
what it created, the way Meta does: the same error envelope, code 190
without a token, code 100 for a body that fails adflow's schemas or rules.
Ids are numeric strings above 2**53, so a client that turns ids into numbers
(jq 1.6, JavaScript) sends back a wrong id and is caught.

A request it cannot read (a Content-Length that is no size, JSON nested too
deep, a lone surrogate, a form that is not one) gets a Graph-shaped 400 too,
never a traceback; the --record file never holds a token, in any shape.

`--fail N:WHAT` makes the N-th request (counting every request) fail once:
WHAT is a Graph error code, `500`, or `drop` (carried out, then the connection
closes without an answer: the "outcome unknown" case); `CODE/SUBCODE:FIELD.PATH`
(e.g. `100/1487079:targeting.geo_locations`) answers with Meta's
invalid-parameter shape whose `error_data.blame_field_specs` names the field.
`POST /{id}` refuses fields Meta does not let you edit on that kind of object.
"""

from __future__ import annotations

import json
import math
import re
import socket
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import IO, Any
from urllib.parse import parse_qs, urlsplit

from . import facts
from .wire import LONE_SURROGATE

FIRST_ID = 120_000_000_000_000_001  # above 2**53: rounding shows as a wrong id

_CREATE = re.compile(r"/(v\d+\.\d+)/(?:(act_\d+)/(campaigns|adsets|adcreatives|ads)"
                     r"|(\d+)/(messenger_lead_forms))")
_OBJECT = re.compile(r"/(v\d+\.\d+)/(\d+)")

# The sandbox's own limits (Meta does not document its own here): a body no
# larger than MAX_BODY bytes and nested no deeper than MAX_DEPTH, which keeps
# the schema and rule checks well inside Python's recursion limit.
MAX_BODY = 10 * 1024 * 1024
MAX_DEPTH = 64
# An access_token in text that could not be parsed: `access_token=T`, `"access_token": "T"`.
_TOKEN_IN_TEXT = re.compile(r"(access_token[^A-Za-z0-9]{0,6})[^&\s\"',;}]*", re.IGNORECASE)
_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})
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
    body: dict[str, Any]
    headers: dict[str, str]
    drop: bool = False  # carry it out but close the connection without answering


def schema_problem(edge: str, body: dict[str, Any]) -> tuple[str, list[list[str]]] | None:
    """The first way the body breaks its endpoint's schema (adflow's own
    validator, as `check` runs it), with the field to blame."""
    from .schemas import schema_errors

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

    from .config import Config
    from .diagnostics import Severity
    from .pipeline import check_file

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
    if "json" in content_type:
        try:
            value = json.loads(raw.decode("utf-8"))
        except RecursionError:
            raise ValueError(f"the JSON body is nested deeper than {MAX_DEPTH} levels") from None
        except ValueError as exc:  # UnicodeDecodeError included
            raise ValueError(f"the body is not JSON in UTF-8: {exc}") from None
        if not isinstance(value, dict):
            raise ValueError("the JSON body is not an object")
    else:
        try:
            form = parse_qs(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=True)
        except ValueError:  # the message would quote the body
            raise ValueError("the body is not a UTF-8 form (application/x-www-form-urlencoded)"
                             ) from None
        value = {k: _form_value(v[-1]) for k, v in form.items()}
    _check_text(value)
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


def token_of(headers: Mapping[str, str], query: dict[str, Any], body: dict[str, Any]) -> str | None:
    scheme, _, credentials = headers.get("Authorization", "").partition(" ")
    if scheme.lower() in ("bearer", "oauth") and credentials.strip():
        return credentials.strip()
    for source in (query, body):
        value = source.get("access_token")
        if isinstance(value, str) and value:
            return value
    return None


class GraphSandbox:
    """The emulator's state; `answer` is safe to call from many threads."""

    def __init__(self, failures: dict[int, str] | None = None,
                 record: IO[str] | None = None) -> None:
        self.failures = dict(failures or {})
        self.record = record
        self.objects: dict[str, dict[str, Any]] = {}
        self.kinds: dict[str, str] = {}  # id -> the edge it was created on
        self._count = 0
        self._next_id = FIRST_ID
        self._lock = threading.Lock()

    def answer(self, method: str, target: str, headers: Mapping[str, str], raw: bytes,
               problem: str | None = None) -> Answer:
        """`problem`: why the body could not even be read (its Content-Length)."""
        with self._lock:
            self._count += 1
            number = self._count
            forced = self.failures.pop(number, None)
            split = urlsplit(target)
            query: dict[str, Any] = {}
            body: dict[str, Any] = {}
            try:
                if problem is not None:
                    raise ValueError(problem)
                query = {k: _form_value(v[-1]) for k, v in parse_qs(split.query).items()}
                _check_text(query)
                body = parse_body(headers.get("Content-Type", ""), raw)
            except ValueError as exc:
                if raw.strip():
                    body = {"unparsed": _TOKEN_IN_TEXT.sub(
                        lambda m: m.group(1) + REDACTED, raw.decode("utf-8", "replace"))}
                answer = Answer(400, graph_error(100, f"Could not read the request: {exc}",
                                                 trace=_trace(number)), {})
                shown = body
            else:
                shown = dict(body)  # as it came, before the token is taken out
                answer = self._answer(method, split.path, query, headers, body, number, forced)
            self._record(method, split.path, query, headers, shown, answer)
            return answer

    def _answer(self, method: str, path: str, query: dict[str, Any], headers: Mapping[str, str],
                body: dict[str, Any], number: int, forced: str | None) -> Answer:
        trace = _trace(number)
        if forced is not None and forced != "drop":
            return _forced_failure(forced, trace)
        if token_of(headers, query, body) is None:
            return Answer(400, graph_error(
                190, "An active access token must be used to query information about the "
                "current user.", trace=trace), {})
        body.pop("access_token", None)
        answer = self._serve(method, path, query, body, trace)
        answer.drop = forced == "drop"
        return answer

    def _serve(self, method: str, path: str, query: dict[str, Any], body: dict[str, Any],
               trace: str) -> Answer:
        create = _CREATE.fullmatch(path)
        if method == "POST" and create:
            version, account, edge, page, lead_edge = create.groups()
            edge = edge or lead_edge
            owner = account or page
            return self._create(version, f"{owner}/{edge}", edge, body, trace)
        found = _OBJECT.fullmatch(path)
        if found and found.group(2) in self.objects:
            stored = self.objects[found.group(2)]
            if method == "GET":
                wanted = str(query.get("fields", "")).split(",")
                if wanted == [""]:
                    return Answer(200, dict(stored), {})
                return Answer(200, {k: v for k, v in stored.items() if k in wanted or k == "id"},
                              {})
            if method == "POST":
                return self._update(found.group(2), body, trace)
        if found:
            return Answer(400, graph_error(
                100, f"Unsupported {method.lower()} request. Object with ID '{found.group(2)}' "
                "does not exist, cannot be loaded due to missing permissions, or does not "
                "support this operation", subcode=33, trace=trace), {})
        return Answer(400, graph_error(2500, f"Unknown path components: {path}", trace=trace), {})

    def _create(self, version: str, path: str, edge: str, body: dict[str, Any],
                trace: str) -> Answer:
        problem = schema_problem(edge, body)
        if problem is not None:
            return _invalid(problem[0], problem[1], trace)
        message = rule_problem(path, body, version)
        if message is not None:
            return _invalid(message, [], trace)
        options = body.get("execution_options")
        if isinstance(options, list) and "validate_only" in options:
            return Answer(200, {"success": True}, {})
        new_id = str(self._next_id)
        self._next_id += 1
        self.objects[new_id] = {"id": new_id, **body}
        self.kinds[new_id] = edge
        return Answer(200, {"id": new_id}, {})

    def _update(self, object_id: str, body: dict[str, Any], trace: str) -> Answer:
        """`POST /{id}`: only the fields Meta lets you edit on that kind of
        object (facts.EDITABLE_FIELDS), else Meta's answer for the edit."""
        from .model import KIND_OF_ENDPOINT

        status = body.get("status")
        if status is not None and status not in facts.SETTABLE_STATUSES:
            return _invalid(f"status: {status!r} is not a status that can be set",
                            [["status"]], trace)
        kind = KIND_OF_ENDPOINT.get(self.kinds.get(object_id, ""))
        if kind is not None:
            editable = facts.EDITABLE_FIELDS[kind] | {"execution_options"}
            refused = [k for k in body if k not in editable]
            if refused:
                code, subcode, message = facts.UNEDITABLE_ERROR
                return Answer(400, graph_error(
                    code, message, subcode=subcode, blame=[[refused[0]]], trace=trace,
                    user_msg=f"{refused[0]} cannot be changed on an existing {kind}: "
                             "create a new one instead"), {})
        options = body.get("execution_options")
        if isinstance(options, list) and "validate_only" in options:
            return Answer(200, {"success": True}, {})
        self.objects[object_id].update(body)
        return Answer(200, {"success": True}, {})

    def _record(self, method: str, path: str, query: dict[str, Any], headers: Mapping[str, str],
                body: dict[str, Any], answer: Answer) -> None:
        if self.record is None:
            return
        secrets = _secrets(headers, query, body)
        shown_headers = {k: v for k, v in headers.items() if k.lower() not in _SECRET_HEADERS}
        entry = {"method": method, "path": path, "query": query, "headers": shown_headers,
                 "body": body, "response": answer.body,
                 "status": None if answer.drop else answer.status}
        self.record.write(json.dumps(_redacted(entry, secrets), ensure_ascii=False,
                                     sort_keys=True) + "\n")
        self.record.flush()


def _trace(number: int) -> str:
    return f"sandbox{number:06d}"


def _secrets(headers: Mapping[str, str], query: dict[str, Any], body: dict[str, Any]) -> set[str]:
    """Token values this request carries, to be blanked wherever they appear.
    Shorter ones would blank ordinary text (a field named access_token is
    redacted whatever its length)."""
    found = set()
    for name, value in headers.items():
        if name.lower() in _SECRET_HEADERS:
            found |= {value.strip(), value.strip().partition(" ")[2].strip()}
    for source in (query, body):
        if isinstance(source.get("access_token"), str):
            found.add(source["access_token"])
    return {s for s in found if len(s) >= 8}


def _redacted(value: Any, secrets: set[str]) -> Any:
    if isinstance(value, dict):
        return {k: REDACTED if k == "access_token" else _redacted(v, secrets)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_redacted(v, secrets) for v in value]
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, REDACTED)
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
        length, problem = content_length(self.headers.get_all("Content-Length") or [])
        if problem is not None:
            self.close_connection = True  # where the body ends is unknown: read no more
        raw = self.rfile.read(length) if length > 0 else b""
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

    def log_message(self, format: str, *args: Any) -> None:
        pass  # --record is the log; stderr stays quiet for tests and scripts


class _Server(ThreadingHTTPServer):
    daemon_threads = True

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
