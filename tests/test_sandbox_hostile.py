"""`adflow sandbox` under requests no real client sends (issue 12, item 14):
every one gets a Graph-shaped 400, the sandbox prints no traceback and keeps
answering, and no token reaches the --record file in any shape."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest
from adflow.compiler.tools.sandbox import GraphSandbox
from test_sandbox import AUTH, CAMPAIGN, Sandbox, post_json

SECRET = "EAAsandboxSECRETtoken0123456789"


def raw_request(sandbox: Sandbox, head: str, body: bytes = b"") -> tuple[int, dict[str, Any]]:
    """Send bytes as they are (urllib would fix the headers) and read one answer."""
    host, port = sandbox.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=20) as connection:
        connection.sendall(head.replace("\n", "\r\n").encode("latin-1") + b"\r\n" + body)
        connection.shutdown(socket.SHUT_WR)
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
    assert data, "the sandbox closed the connection without an answer"
    status_line, _, rest = data.partition(b"\r\n")
    _, _, payload = rest.partition(b"\r\n\r\n")
    return int(status_line.split()[1]), json.loads(payload)


def assert_graph_400(status: int, answer: dict[str, Any]) -> None:
    assert status == 400
    error = answer["error"]
    assert error["code"] == 100 and error["type"] == "OAuthException"
    assert isinstance(error["message"], str) and error["message"] and error["fbtrace_id"]


def still_answers(sandbox: Sandbox) -> None:
    status, answer = post_json(sandbox, "/v25.0/act_1/campaigns", CAMPAIGN)
    assert status == 200 and answer["id"].isdigit()


@pytest.mark.parametrize("length", ["abc", "-5", "1e3", "12 34", "\u00b2",
                                    "99999999999999999999999999", str(2**40)])
def test_a_content_length_that_is_no_size_is_a_graph_400(length: str, tmp_path: Path) -> None:
    with Sandbox(tmp_path) as sandbox:
        status, answer = raw_request(
            sandbox, "POST /v25.0/act_1/campaigns HTTP/1.1\nHost: sandbox\n"
            f"Authorization: OAuth {SECRET}\nContent-Type: application/json\n"
            f"Content-Length: {length}\n", b"{}")
        still_answers(sandbox)
    assert_graph_400(status, answer)
    assert "Traceback" not in sandbox.errors and SECRET not in sandbox.record.read_text()


def test_two_different_content_lengths_are_a_graph_400(tmp_path: Path) -> None:
    with Sandbox(tmp_path) as sandbox:
        status, answer = raw_request(
            sandbox, "POST /v25.0/act_1/campaigns HTTP/1.1\nHost: sandbox\n"
            "Content-Type: application/json\nContent-Length: 2\nContent-Length: 40\n", b"{}")
        still_answers(sandbox)
    assert_graph_400(status, answer)
    assert "Traceback" not in sandbox.errors


@pytest.mark.parametrize("body", [
    b'{"a":' * 100_000 + b"1" + b"}" * 100_000,  # deeper than any parser's stack
    b'{"a":' * 150 + b"1" + b"}" * 150,  # parses, but deeper than the sandbox follows
    b'{"name": "\\ud800"}',  # a lone surrogate: not text
    b'{"name": "x\\udc00y"}',
    b'{"adlabels": [{"name": "\\ud83d\\ud83d\\ude00"}]}',
    b'{"name": 1' + b"0" * 5000 + b"}",  # past Python's int digit limit
    b"\xff\xfe{}",
    b'{"name": "x", "spend_cap": 1e400}',  # past a double
])
def test_json_no_parser_should_take_is_a_graph_400(body: bytes, tmp_path: Path) -> None:
    with Sandbox(tmp_path) as sandbox:
        status, answer = sandbox.call("POST", "/v25.0/act_1/campaigns", body, AUTH)
        still_answers(sandbox)
        entries = sandbox.entries()
    assert_graph_400(status, answer)
    assert "Traceback" not in sandbox.errors
    assert entries[0]["status"] == 400 and entries[1]["status"] == 200


@pytest.mark.parametrize("body", [
    f"access_token={SECRET}&&name=x".encode(),  # an empty field: not strict form
    f"name=%zz&access_token={SECRET}".encode() + b"\xff",  # not UTF-8
    f"access_token={SECRET}&name=\\ud800".encode(),
    b'name={"a":' * 2000 + f"&access_token={SECRET}".encode(),
])
def test_a_form_body_it_cannot_read_is_recorded_without_the_token(body: bytes,
                                                                 tmp_path: Path) -> None:
    with Sandbox(tmp_path) as sandbox:
        status, answer = sandbox.call("POST", "/v25.0/act_1/campaigns", body,
                                      {"Content-Type": "application/x-www-form-urlencoded"})
        record = sandbox.record.read_text("utf-8")
    assert status in (200, 400)
    if status == 400:
        assert_graph_400(status, answer)
    assert SECRET not in record and "<redacted>" in record
    assert "Traceback" not in sandbox.errors


def test_tokens_are_redacted_in_every_recorded_shape(tmp_path: Path) -> None:
    nested = {**CAMPAIGN, "adlabels": [{"name": "x", "access_token": SECRET}]}
    with Sandbox(tmp_path) as sandbox:
        post_json(sandbox, f"/v25.0/act_1/campaigns?access_token={SECRET}", CAMPAIGN,
                  {"Content-Type": "application/json"})
        post_json(sandbox, "/v25.0/act_1/campaigns", {**CAMPAIGN, "access_token": SECRET},
                  {"Content-Type": "application/json"})
        post_json(sandbox, "/v25.0/act_1/campaigns", nested, AUTH | {"Cookie": f"t={SECRET}"})
        sandbox.call("POST", "/v25.0/act_1/campaigns", b"{not json " + SECRET.encode(),
                     {"Content-Type": "application/json", "Authorization": f"Bearer {SECRET}"})
        sandbox.call("GET", f"/v25.0/1?access_token={SECRET}", None, {})
        entries = sandbox.entries()
        record = sandbox.record.read_text("utf-8")
    assert len(entries) == 5 and SECRET not in record
    assert entries[0]["query"]["access_token"] == "<redacted>"
    assert entries[2]["body"]["adlabels"] == [{"name": "x", "access_token": "<redacted>"}]


@pytest.mark.parametrize("query", [
    "fields=" + "a{" * 100_000,  # deeper than any recursion would go
    "fields=id,name{",
    "limit=" + "9" * 5000,
    "limit=0",
    "limit=%7B%7D",
    "after=%C3%A9",
    "after=!!!",
    "after=" + "QQ" * 1000,
    "summary=%5B1%5D",
])
def test_list_parameters_no_client_sends_are_graph_errors(query: str) -> None:
    sandbox = GraphSandbox()
    answer = sandbox.answer("GET", f"/v25.0/act_1/campaigns?{query}", AUTH, b"")
    assert answer.status in (200, 400)
    if answer.status == 400:
        assert answer.body["error"]["code"] in (100, 2500)
    else:
        assert answer.body["data"] == []


def exchange(sandbox: Sandbox, data: bytes) -> list[tuple[int, bytes]]:
    """Send bytes as they are, then read every answer until the sandbox closes:
    (status, body) each, whatever the body is."""
    host, port = sandbox.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=20) as connection:
        connection.sendall(data)
        connection.shutdown(socket.SHUT_WR)
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
    answers = []
    while data:
        head, _, data = data.partition(b"\r\n\r\n")
        length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                       if line.lower().startswith(b"content-length:")), len(data))
        answers.append((int(head.split()[1]), data[:length]))
        data = data[length:]
    return answers


def chunked(body: bytes, sizes: list[int]) -> bytes:
    out = b""
    for size in sizes:
        out += b"%x\r\n%s\r\n" % (size, body[:size])
        body = body[size:]
    return out + b"%x;ext=1\r\n%s\r\n0\r\nX-Trailer: yes\r\n\r\n" % (len(body), body)


CHUNKED_HEAD = (b"POST /v25.0/act_1/campaigns HTTP/1.1\r\nHost: sandbox\r\n"
                b"Authorization: OAuth " + SECRET.encode() + b"\r\n"
                b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
GET_AFTER = (b"GET /v25.0/act_1/campaigns HTTP/1.1\r\nHost: sandbox\r\n"
             b"Authorization: OAuth " + SECRET.encode() + b"\r\nConnection: close\r\n\r\n")


def test_a_chunked_body_is_read_whole_and_the_connection_goes_on(tmp_path: Path) -> None:
    # HTTP/1.1 clients may send a body in chunks (no Content-Length); it is
    # the body, and what follows it on the connection is the next request.
    body = json.dumps(CAMPAIGN).encode()
    with Sandbox(tmp_path) as sandbox:
        answers = exchange(sandbox, CHUNKED_HEAD + chunked(body, [5, 17]) + GET_AFTER)
        entries = sandbox.entries()
    assert [status for status, _ in answers] == [200, 200], answers
    assert json.loads(answers[0][1])["id"].isdigit()
    assert [e["body"] for e in entries][0] == CAMPAIGN
    assert len(json.loads(answers[1][1])["data"]) == 1
    assert "Traceback" not in sandbox.errors


@pytest.mark.parametrize("body", [b"zz\r\n{}\r\n0\r\n\r\n", b"0x2\r\n{}\r\n0\r\n\r\n",
                                  b"5\r\n{}\r\n0\r\n\r\n", b"2\r\n{}XX0\r\n\r\n",
                                  b"fffffffffffffffff\r\n{}\r\n0\r\n\r\n", b"2\r\n{}\r\n",
                                  b"1_0\r\n{}\r\n0\r\n\r\n"])
def test_a_malformed_chunked_body_is_a_graph_400_and_nothing_after_it_is_read(
        body: bytes, tmp_path: Path) -> None:
    with Sandbox(tmp_path) as sandbox:
        answers = exchange(sandbox, CHUNKED_HEAD + body + GET_AFTER)
        still_answers(sandbox)
        entries = sandbox.entries()
    assert len(answers) == 1, answers
    assert_graph_400(answers[0][0], json.loads(answers[0][1]))
    assert not any(e["status"] == 200 and e["method"] == "POST" for e in entries[:-1])
    assert "Traceback" not in sandbox.errors


def test_a_transfer_coding_it_does_not_read_is_a_graph_400(tmp_path: Path) -> None:
    head = CHUNKED_HEAD.replace(b"Transfer-Encoding: chunked", b"Transfer-Encoding: gzip, chunked")
    with Sandbox(tmp_path) as sandbox:
        answers = exchange(sandbox, head + b"2\r\n{}\r\n0\r\n\r\n" + GET_AFTER)
        still_answers(sandbox)
    assert len(answers) == 1, answers
    assert_graph_400(answers[0][0], json.loads(answers[0][1]))


def test_a_record_that_cannot_be_written_still_answers_every_request(tmp_path: Path) -> None:
    # A full disk under --record: the object is created, so its answer must
    # still come (no answer is "outcome unknown" to a bundle), said once.
    with Sandbox(tmp_path, "--record", "/dev/full") as sandbox:
        answers = [post_json(sandbox, "/v25.0/act_1/campaigns", CAMPAIGN) for _ in range(3)]
    assert [status for status, _ in answers] == [200, 200, 200]
    assert len({answer["id"] for _, answer in answers}) == 3
    assert sandbox.process.returncode == 0, sandbox.errors
    assert "Traceback" not in sandbox.errors and "internal error" not in sandbox.errors
    assert sandbox.errors.count("cannot write the record /dev/full") == 1, sandbox.errors
