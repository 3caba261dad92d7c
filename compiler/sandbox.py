"""A local Graph API emulator (`adflow sandbox`) for dry runs and tests.

It answers the five create edges adflow sends to, plus reads and updates of
what it created, the way Meta does: the same error envelope, code 190
without a token, code 100 for a body that fails adflow's schemas or rules.
Ids are numeric strings above 2**53, so a client that turns ids into numbers
(jq 1.6, JavaScript) sends back a wrong id and is caught.

`--fail N:WHAT` makes the N-th request (counting every request) fail once:
WHAT is a Graph error code, `500`, or `drop` (carried out, then the connection
closes without an answer: the "outcome unknown" case); `CODE/SUBCODE:FIELD.PATH`
(e.g. `100/1487079:targeting.geo_locations`) answers with Meta's
invalid-parameter shape whose `error_data.blame_field_specs` names the field.
`POST /{id}` refuses fields Meta does not let you edit on that kind of object.
"""

from __future__ import annotations

import json
import re
import socket
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import IO, Any
from urllib.parse import parse_qs, urlsplit

FIRST_ID = 120_000_000_000_000_001  # above 2**53: rounding shows as a wrong id

_CREATE = re.compile(r"/(v\d+\.\d+)/(?:(act_\d+)/(campaigns|adsets|adcreatives|ads)"
                     r"|(\d+)/(messenger_lead_forms))")
_OBJECT = re.compile(r"/(v\d+\.\d+)/(\d+)")

# Graph error codes the emulator can be told to answer, with Meta's messages.
_MESSAGES = {
    1: "An unknown error occurred",
    2: "Service temporarily unavailable",
    4: "Application request limit reached",
    17: "User request limit reached",
    32: "Page request limit reached",
    100: "Invalid parameter",
    190: "Invalid OAuth access token",
    341: "Application limit reached",
    368: "The action attempted has been deemed abusive or is otherwise disallowed",
    613: "Calls to this api have exceeded the rate limit",
}
_RATE_LIMITS = {4, 17, 32, 613} | set(range(80000, 80015))


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


@cache
def _validator(edge: str) -> Any:
    import jsonschema  # type: ignore[import-untyped]  # only the sandbox needs it

    text = resources.files("adflow.emitters.schemas").joinpath(f"{edge}.schema.json").read_text(
        "utf-8")
    return jsonschema.Draft202012Validator(json.loads(text))


def schema_problem(edge: str, body: dict[str, Any]) -> tuple[str, list[list[str]]] | None:
    errors = sorted(_validator(edge).iter_errors(body), key=lambda e: list(map(str, e.path)))
    if not errors:
        return None
    first = errors[0]
    field_path = [str(p) for p in first.absolute_path]
    where = "/".join(field_path) or "the body"
    return f"{where}: {first.message}", [field_path] if field_path else []


def rule_problem(path: str, body: dict[str, Any], api_version: str) -> str | None:
    """The first error adflow's own rules find in this one request."""
    from pathlib import Path

    from .check import check_file
    from .config import Config
    from .diagnostics import Severity

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
        except ValueError:
            return text
    return text


def parse_body(content_type: str, raw: bytes) -> dict[str, Any]:
    """JSON or form body; ValueError when it is neither."""
    if not raw.strip():
        return {}
    if "json" in content_type:
        value = json.loads(raw.decode("utf-8"))
        if not isinstance(value, dict):
            raise ValueError("the JSON body is not an object")
        return value
    form = parse_qs(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=True)
    return {k: _form_value(v[-1]) for k, v in form.items()}


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

    def answer(self, method: str, target: str, headers: Mapping[str, str], raw: bytes) -> Answer:
        with self._lock:
            self._count += 1
            number = self._count
            forced = self.failures.pop(number, None)
            split = urlsplit(target)
            query = {k: _form_value(v[-1]) for k, v in parse_qs(split.query).items()}
            try:
                body = parse_body(headers.get("Content-Type", ""), raw)
                answer = self._answer(method, split.path, query, headers, body, number, forced)
            except (ValueError, UnicodeDecodeError) as exc:
                body = {"unparsed": raw.decode("utf-8", "replace")}
                answer = Answer(400, graph_error(100, f"Could not read the body: {exc}",
                                                 trace=_trace(number)), {})
            self._record(method, split.path, query, headers, body, answer)
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
        from .facts import EDITABLE_FIELDS, UNEDITABLE_ERROR
        from .model import KIND_OF_ENDPOINT

        status = body.get("status")
        if status is not None and status not in ("ACTIVE", "PAUSED", "ARCHIVED", "DELETED"):
            return _invalid(f"status: {status!r} is not a status that can be set",
                            [["status"]], trace)
        kind = KIND_OF_ENDPOINT.get(self.kinds.get(object_id, ""))
        if kind is not None:
            refused = [k for k in body if k not in EDITABLE_FIELDS[kind] | {"execution_options"}]
            if refused:
                code, subcode, message = UNEDITABLE_ERROR
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
        shown_headers = {k: v for k, v in headers.items() if k.lower() != "authorization"}
        entry = {"method": method, "path": path, "query": _redacted(query),
                 "headers": shown_headers, "body": _redacted(body),
                 "response": answer.body, "status": None if answer.drop else answer.status}
        self.record.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
        self.record.flush()


def _trace(number: int) -> str:
    return f"sandbox{number:06d}"


def _redacted(values: dict[str, Any]) -> dict[str, Any]:
    return {k: "<redacted>" if k == "access_token" else v for k, v in values.items()}


def _invalid(message: str, blame: list[list[str]], trace: str) -> Answer:
    return Answer(400, graph_error(100, "Invalid parameter", subcode=1487390, user_msg=message,
                                   blame=blame, trace=trace), {})


def _forced(code: int, trace: str) -> Answer:
    if code == 500:
        return Answer(500, graph_error(2, _MESSAGES[2], transient=True, trace=trace), {})
    headers = {}
    if code in _RATE_LIMITS:
        # Meta says how long to wait; zero keeps tests quick while the header is parsed.
        usage = {"1": [{"type": "ads_management", "call_count": 100, "total_cputime": 0,
                        "total_time": 0, "estimated_time_to_regain_access": 0}]}
        headers["X-Business-Use-Case-Usage"] = json.dumps(usage, separators=(",", ":"))
    message = _MESSAGES.get(code, "There have been too many calls to this ad-account"
                            if 80000 <= code <= 80014 else f"Error {code}")
    return Answer(400, graph_error(code, message, transient=code in (1, 2), trace=trace), headers)


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
    from .facts import ERROR_SUBCODES

    message = _MESSAGES.get(code, f"Error {code}")
    meaning = ERROR_SUBCODES.get(subcode, "") if subcode is not None else ""
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
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length > 0 else b""
        headers = {k: v for k, v in self.headers.items()}
        answer = self.server.sandbox.answer(method, self.path, headers, raw)
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
