"""`adflow lsp` over stdio, framed by hand as a bare client frames it
(Content-Length headers and JSON bodies, nothing else): how a session ends,
and what the server does with frames, parameters and documents no editor
should send."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest
from conftest import ADFLOW

# Bounds every wait: a server that does not answer fails the test, never hangs it.
TIMEOUT = 30.0

MISTAKE = """api v25.0
account act_1234567890
page acme 111222333444

lead_form quote on acme {
  template_name "Quote"
  privacy_url "https://acme.example/privacy"
  reminder "Still there?"
  intro "Hi!" -> city
  question city "Which city?" prefill CITY required -> city
  confirmation thanks "Thanks!"
}
"""


def frame(body: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class Client:
    """A bare LSP client on a pair of byte streams."""

    def __init__(self, to_server: IO[bytes], from_server: IO[bytes]) -> None:
        self.to_server = to_server
        self.inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.notifications: list[dict[str, Any]] = []
        self.next_id = 0
        threading.Thread(target=self._read, args=(from_server,), daemon=True).start()

    def _read(self, stream: IO[bytes]) -> None:
        try:
            while True:
                length = None
                while True:
                    header = stream.readline()
                    if not header:
                        return
                    if header in (b"\r\n", b"\n"):
                        break
                    name, _, value = header.decode("ascii").partition(":")
                    if name.lower() == "content-length":
                        length = int(value)
                assert length is not None
                self.inbox.put(json.loads(stream.read(length)))
        finally:
            self.inbox.put(None)

    def send_raw(self, data: bytes) -> None:
        self.to_server.write(data)
        self.to_server.flush()

    def send(self, message: dict[str, Any]) -> None:
        self.send_raw(frame(json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")))

    def notify(self, method: str, params: Any = None) -> None:
        self.send({"method": method, **({} if params is None else {"params": params})})

    def request(self, method: str, params: Any = None) -> int:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method,
                   **({} if params is None else {"params": params})})
        return self.next_id

    def _next(self, deadline: float) -> dict[str, Any]:
        message = self.inbox.get(timeout=max(0.0, deadline - time.monotonic()))
        assert message is not None, "the server closed its output"
        return message

    def response(self, msg_id: int, timeout: float = TIMEOUT) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            message = self._next(deadline)
            if message.get("id") == msg_id and "method" not in message:
                return message
            self.notifications.append(message)

    def call(self, method: str, params: Any = None, timeout: float = TIMEOUT) -> dict[str, Any]:
        return self.response(self.request(method, params), timeout)

    def notification(self, method: str, timeout: float = TIMEOUT) -> dict[str, Any]:
        for i, message in enumerate(self.notifications):
            if message.get("method") == method:
                return self.notifications.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            message = self._next(deadline)
            if message.get("method") == method:
                return message
            self.notifications.append(message)

    def initialize(self, root: Path) -> None:
        reply = self.call("initialize", {"processId": None, "rootUri": root.as_uri(),
                                         "capabilities": {}})
        assert "capabilities" in reply["result"]
        self.notify("initialized", {})

    def open(self, path: Path, text: str) -> None:
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": path.as_uri(), "languageId": "adflow", "version": 1, "text": text}})

    def diagnostics(self, path: Path) -> list[dict[str, Any]]:
        while True:
            params = self.notification("textDocument/publishDiagnostics")["params"]
            if params["uri"] == path.as_uri():
                return list(params["diagnostics"])


class Server:
    """`adflow lsp` as a process, its standard error kept in a file."""

    def __init__(self, tmp_path: Path) -> None:
        self.errors = tmp_path / "stderr.txt"
        with self.errors.open("wb") as err:
            self.process = subprocess.Popen([ADFLOW, "lsp"], stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, stderr=err)
        assert self.process.stdin is not None and self.process.stdout is not None
        self.client = Client(self.process.stdin, self.process.stdout)

    def exit_code(self) -> int:
        return self.process.wait(timeout=TIMEOUT)

    def stderr(self) -> str:
        return self.errors.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=TIMEOUT)
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(tmp_path)
    try:
        yield running
    finally:
        running.stop()


def end(server: Server) -> int:
    """shutdown, then exit, as an editor ends a session."""
    assert server.client.call("shutdown") == {"jsonrpc": "2.0", "id": server.client.next_id,
                                              "result": None}
    server.client.notify("exit")
    return server.exit_code()


def position(text: str, needle: str, after: int = 0) -> dict[str, int]:
    at = text.index(needle) + after
    return {"line": text.count("\n", 0, at), "character": at - text.rfind("\n", 0, at) - 1}


# -- how a session ends -----------------------------------------------------------------------

def test_shutdown_then_exit_ends_the_server_with_0_and_nothing_on_stderr(
        server: Server, tmp_path: Path) -> None:
    client = server.client
    client.initialize(tmp_path)
    path = tmp_path / "quote.adflow"
    client.open(path, MISTAKE)
    assert "F003" in {d["code"] for d in client.diagnostics(path)}
    hover = client.call("textDocument/hover", {"textDocument": {"uri": path.as_uri()},
                                               "position": position(MISTAKE, "privacy_url")})
    assert "privacy" in hover["result"]["contents"]["value"]
    assert end(server) == 0
    assert server.stderr() == ""


def test_exit_while_a_check_runs_still_ends_cleanly(server: Server, tmp_path: Path) -> None:
    client = server.client
    client.initialize(tmp_path)
    client.open(tmp_path / "quote.adflow", MISTAKE)  # its check may still run at exit
    assert end(server) == 0
    assert server.stderr() == ""


def test_exit_without_shutdown_ends_the_server_with_1(server: Server, tmp_path: Path) -> None:
    server.client.initialize(tmp_path)
    server.client.notify("exit")
    assert server.exit_code() == 1
    assert server.stderr() == ""


def test_a_refused_rename_is_an_error_with_a_clean_message(
        server: Server, tmp_path: Path) -> None:
    client = server.client
    client.initialize(tmp_path)
    path = tmp_path / "quote.adflow"
    client.open(path, MISTAKE)
    client.diagnostics(path)
    reply = client.call("textDocument/rename", {
        "textDocument": {"uri": path.as_uri()}, "position": position(MISTAKE, "city \""),
        "newName": "two words"})
    error = reply["error"]
    assert error["code"] == -32803  # LSP's RequestFailed: the request was understood
    assert error["message"] == "'two words' is not a name: letters, digits and _, not a keyword"
    assert "data" not in error
    assert end(server) == 0
    assert server.stderr() == ""


# -- frames -------------------------------------------------------------------------------------

@pytest.mark.parametrize("header", [
    b"Content-Length: 99999999999\r\n\r\n",
    b"Content-Length: 9223372036854775808\r\n\r\n",
    b"Content-Length: 12abc\r\n\r\n",
    b"Content-Length: -5\r\n\r\n",
    b"Content-Length: 0\r\n\r\n",
    b"Content-Type: application/vscode-jsonrpc\r\n\r\n",  # no length at all
    b"x" * 3_000_000 + b"\r\n\r\n",  # a header line with no end in sight
])
def test_an_oversized_or_malformed_frame_is_refused_and_the_session_goes_on(
        server: Server, tmp_path: Path, header: bytes) -> None:
    client = server.client
    client.initialize(tmp_path)
    client.send_raw(header)
    path = tmp_path / "quote.adflow"
    client.open(path, MISTAKE)
    assert "F003" in {d["code"] for d in client.diagnostics(path)}
    assert end(server) == 0
    assert "Traceback" not in server.stderr()


def test_a_frame_over_the_limit_is_skipped_whole(server: Server, tmp_path: Path) -> None:
    """An editor that sends a frame too large to read: its body is passed
    over unread, up to the header of the frame after it."""
    from adflow.compiler.editor.lsp import MAX_FRAME_BYTES

    client = server.client
    client.initialize(tmp_path)
    body = b'{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": "' + \
        b"x" * MAX_FRAME_BYTES + b'"}'
    client.send_raw(frame(body))
    path = tmp_path / "quote.adflow"
    client.open(path, MISTAKE)
    assert "F003" in {d["code"] for d in client.diagnostics(path)}
    assert end(server) == 0
    assert "over the limit of" in server.stderr()


def test_a_body_that_is_not_json_is_refused_and_the_session_goes_on(
        server: Server, tmp_path: Path) -> None:
    client = server.client
    client.initialize(tmp_path)
    client.send_raw(frame(b"{not json"))
    client.send_raw(frame(b"\xff\xfe"))
    client.send_raw(frame(b"[1, 2]"))
    assert client.call("shutdown")["result"] is None
    client.notify("exit")
    assert server.exit_code() == 0
    assert "Traceback" not in server.stderr()


# -- every request gets a response ----------------------------------------------------------------

@pytest.mark.parametrize("position", [
    {"line": -1, "character": 0},
    {"line": 0, "character": 2**31},
    None,
    "here",
])
def test_a_request_with_invalid_params_gets_an_error_response(
        server: Server, tmp_path: Path, position: object) -> None:
    client = server.client
    client.initialize(tmp_path)
    path = tmp_path / "quote.adflow"
    client.open(path, MISTAKE)
    params: dict[str, Any] = {"textDocument": {"uri": path.as_uri()}}
    if position is not None:
        params["position"] = position
    for method in ("textDocument/hover", "textDocument/completion",
                   "textDocument/definition"):
        reply = client.call(method, params)
        assert reply["error"]["code"] == -32602, reply  # InvalidParams
        assert "Traceback" not in reply["error"]["message"]
    assert end(server) == 0
    assert "Traceback" not in server.stderr()


def test_a_request_after_shutdown_gets_an_error_response(
        server: Server, tmp_path: Path) -> None:
    client = server.client
    client.initialize(tmp_path)
    assert client.call("shutdown")["result"] is None
    reply = client.call("textDocument/documentSymbol",
                        {"textDocument": {"uri": (tmp_path / "a.adflow").as_uri()}})
    assert reply["error"]["code"] == -32600  # InvalidRequest
    client.notify("exit")
    assert server.exit_code() == 0


def test_positions_past_the_end_of_the_document_are_answered(
        server: Server, tmp_path: Path) -> None:
    client = server.client
    client.initialize(tmp_path)
    path = tmp_path / "quote.adflow"
    client.open(path, MISTAKE)
    where = {"textDocument": {"uri": path.as_uri()},
             "position": {"line": 2**31 - 1, "character": 2**31 - 1}}
    for method in ("textDocument/hover", "textDocument/completion", "textDocument/definition",
                   "textDocument/prepareRename"):
        assert "result" in client.call(method, where)
    assert end(server) == 0


# -- documents the client never opened --------------------------------------------------------

ZERO = {"line": 0, "character": 0}


@pytest.mark.parametrize(("method", "extra"), [
    ("textDocument/hover", {"position": ZERO}),
    ("textDocument/completion", {"position": ZERO}),
    ("textDocument/definition", {"position": ZERO}),
    ("textDocument/prepareRename", {"position": ZERO}),
    ("textDocument/references", {"position": ZERO, "context": {"includeDeclaration": True}}),
    ("textDocument/documentSymbol", {}),
    ("textDocument/formatting", {"options": {"tabSize": 2, "insertSpaces": True}}),
    ("textDocument/codeAction", {"range": {"start": ZERO, "end": ZERO},
                                 "context": {"diagnostics": []}}),
])
def test_a_document_never_opened_is_not_read_from_disk(
        server: Server, tmp_path: Path, method: str, extra: dict[str, Any]) -> None:
    fifo = tmp_path / "pipe.adflow"
    os.mkfifo(fifo)  # reading it would block for ever: nobody writes to it
    client = server.client
    client.initialize(tmp_path)
    for path in (fifo, Path("/dev/zero")):
        reply = client.call(method, {"textDocument": {"uri": path.as_uri()}, **extra},
                            timeout=10)
        assert reply["result"] in (None, [], {"isIncomplete": False, "items": []}), reply
    assert end(server) == 0


def test_a_rename_in_a_document_never_opened_is_refused(server: Server, tmp_path: Path) -> None:
    client = server.client
    client.initialize(tmp_path)
    reply = client.call("textDocument/rename", {
        "textDocument": {"uri": (tmp_path / "gone.adflow").as_uri()},
        "position": {"line": 0, "character": 0}, "newName": "x"})
    assert reply["error"]["code"] == -32803
    assert "not open" in reply["error"]["message"]
    assert end(server) == 0


# -- input limits ----------------------------------------------------------------------------

def test_a_document_over_the_size_limit_gets_s004_and_no_parse(
        server: Server, tmp_path: Path) -> None:
    from adflow.compiler.front.limits import DEFAULT_LIMITS

    block = "campaign c{} {{\n  objective OUTCOME_LEADS\n}}\n"
    text = MISTAKE + "".join(block.format(i) for i in range(
        DEFAULT_LIMITS.max_bytes * 4 // len(block.format(0))))  # about 20 MB
    assert len(text) > 4 * DEFAULT_LIMITS.max_bytes
    client = server.client
    client.initialize(tmp_path)
    path = tmp_path / "huge.adflow"
    client.open(path, text)
    found = client.diagnostics(path)
    assert [d["code"] for d in found] == ["S004"]
    assert found[0]["range"]["start"] == {"line": 0, "character": 0}
    started = time.monotonic()
    ident = {"textDocument": {"uri": path.as_uri()}}
    at = {**ident, "position": position(text, "privacy_url")}
    assert client.call("textDocument/hover", at)["result"] is None
    assert client.call("textDocument/documentSymbol", ident)["result"] == []
    assert client.call("textDocument/completion", at)["result"]["items"] == []
    assert client.call("textDocument/definition", at)["result"] is None
    assert time.monotonic() - started < 5  # no parse of 20 MB per request
    assert end(server) == 0


# -- what a long session keeps ---------------------------------------------------------------------

def test_saves_and_opens_leave_nothing_behind(tmp_path: Path) -> None:
    """The server in this process, on pipes: after many opens, edits, saves
    and closes, it holds no handler and no check that is done."""
    from adflow.compiler.editor.lsp import make_server

    server = make_server()
    to_server, from_server = os.pipe(), os.pipe()
    stdin, client_out = os.fdopen(to_server[0], "rb"), os.fdopen(to_server[1], "wb")
    client_in, stdout = os.fdopen(from_server[0], "rb"), os.fdopen(from_server[1], "wb")
    running = threading.Thread(target=server.start_io, args=(stdin, stdout), daemon=True)
    running.start()
    try:
        client = Client(client_out, client_in)
        client.initialize(tmp_path)
        path = tmp_path / "quote.adflow"
        for _ in range(20):
            client.open(path, MISTAKE)
            client.diagnostics(path)
            client.notify("textDocument/didChange", {
                "textDocument": {"uri": path.as_uri(), "version": 2},
                "contentChanges": [{"text": MISTAKE.replace("-> city\n", "-> thanks\n")}]})
            assert "F003" not in {d["code"] for d in client.diagnostics(path)}
            client.notify("textDocument/didSave", {"textDocument": {"uri": path.as_uri()}})
            client.diagnostics(path)
            client.notify("textDocument/didClose", {"textDocument": {"uri": path.as_uri()}})
            client.diagnostics(path)
        assert client.call("shutdown")["result"] is None
        assert len(server.protocol._request_futures) <= 1  # the shutdown request at most
        assert not server.checks  # every check is done, and none is held
        client.notify("exit")
        running.join(timeout=TIMEOUT)
        assert not running.is_alive()
    finally:  # each end of a pipe once its reader has seen the end (or never reads)
        for stream in (client_out, stdout, client_in, stdin):
            stream.close()


def test_a_document_nested_too_deep_gets_s004_and_no_scan(server: Server, tmp_path: Path) -> None:
    from adflow.compiler.front.limits import DEFAULT_LIMITS

    depth = DEFAULT_LIMITS.max_depth + 10
    text = MISTAKE + "campaign deep {\n" + "  raw x {\n" * depth + "  }\n" * depth + "}\n"
    client = server.client
    client.initialize(tmp_path)
    path = tmp_path / "deep.adflow"
    client.open(path, text)
    assert [d["code"] for d in client.diagnostics(path)] == ["S004"]
    ident = {"textDocument": {"uri": path.as_uri()}}
    assert client.call("textDocument/documentSymbol", ident)["result"] == []
    at = {**ident, "position": position(text, "privacy_url")}
    assert client.call("textDocument/hover", at)["result"] is None
    assert end(server) == 0


def test_a_uri_whose_path_holds_a_nul_is_checked_like_any_document(
        server: Server, tmp_path: Path) -> None:
    # file:///...%00... names no file a system can have: the document is still
    # checked (with the default configuration), never "internal error".
    client = server.client
    client.initialize(tmp_path)
    uri = (tmp_path / "a").as_uri() + "%00b.adflow"
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "adflow", "version": 1, "text": "page acme 1\n"}})
    while True:
        params = client.notification("textDocument/publishDiagnostics")["params"]
        if params["uri"] == uri:
            break
    assert [d["code"] for d in params["diagnostics"]] == ["R003"]
    assert not [n for n in client.notifications if n.get("method") == "window/showMessage"]
    assert end(server) == 0
