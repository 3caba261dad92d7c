"""The language server as an editor sees it: `adflow lsp` spawned, spoken to
over stdio with JSON-RPC frames, and timed from a `didChange` to the
`publishDiagnostics` for that version (`make bench`, or run alone).

Two figures per file size: the wall time an editor waits (it includes the
server's debounce, the pause it leaves for more typing) and the CPU the
server process spent per edit (read from /proc before and after, so the
figure is the server's own work, not the client's).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

ADFLOW = str(Path(sys.executable).with_name("adflow"))
EDITS = 15
TIMEOUT = 120.0
# The goals for server CPU per edit, by file size (lines).
GOALS = {5_000: 0.060, 20_000: 0.200}
SIZES = (200, 2_000, 5_000, 20_000)


class Server:
    """`adflow lsp` in a child process, with a blocking reader of its frames."""

    def __init__(self) -> None:
        self.child = subprocess.Popen([ADFLOW, "lsp"], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert self.child.stdin is not None and self.child.stdout is not None
        self.stdin: IO[bytes] = self.child.stdin
        self.stdout: IO[bytes] = self.child.stdout
        self.next_id = 0

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.stdin.flush()

    def receive(self) -> dict[str, Any]:
        length = 0
        while (line := self.stdout.readline()) not in (b"\r\n", b"\n"):
            if not line:
                raise RuntimeError("adflow lsp closed its output")
            name, _, value = line.decode("ascii").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        message: dict[str, Any] = json.loads(self.stdout.read(length))
        return message

    def request(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        while "id" not in (answer := self.receive()) or answer["id"] != self.next_id:
            pass
        return answer

    def diagnostics(self, uri: str, version: int) -> list[Any]:
        """Wait for the diagnostics of this version of the document."""
        while True:
            message = self.receive()
            params = message.get("params") or {}
            if (message.get("method") == "textDocument/publishDiagnostics"
                    and params.get("uri") == uri and params.get("version") == version):
                found: list[Any] = params["diagnostics"]
                return found

    def cpu(self) -> float:
        """User + system CPU seconds of the server so far (Linux /proc)."""
        fields = Path(f"/proc/{self.child.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        try:
            self.request("shutdown", {})
            self.send({"method": "exit"})
            self.child.wait(10)
        finally:
            if self.child.poll() is None:
                self.child.kill()
                self.child.wait()


def sample(lines: int, unit: Callable[[int], list[str]], header: list[str]) -> str:
    """Units (a lead form with its creative, campaign, ad set and ad) up to `lines` lines."""
    body = list(header)
    i = 0
    while len(body) < lines:
        body += unit(i)
        i += 1
    return "\n".join(body) + "\n"


def edits_of(text: str, enter: bool = False) -> list[dict[str, Any]]:
    """Edits in the middle of the file, as LSP content changes: a digit of a
    lead form's template name typed over; with `enter`, a line break typed
    at the end of that line (everything below moves down a line)."""
    lines = text.split("\n")
    middle = [i for i, line in enumerate(lines) if "template_name" in line]
    line = middle[len(middle) // 2]
    column = len(lines[line]) if enter else lines[line].rindex('"') - 1
    end = column if enter else column + 1
    return [{"range": {"start": {"line": line, "character": column},
                       "end": {"line": line, "character": end}},
             "text": "\n" if enter else str(n % 10)} for n in range(1, EDITS + 1)]


def measure(text: str, tmp: Path, enter: bool = False) -> tuple[float, float, int]:
    """Median wall seconds didChange -> publishDiagnostics, server CPU seconds
    per edit, and the number of diagnostics of the last version."""
    uri = (tmp / "bench.adflow").as_uri()
    server = Server()
    try:
        server.request("initialize", {"processId": os.getpid(), "rootUri": tmp.as_uri(),
                                      "capabilities": {}})
        server.send({"method": "initialized", "params": {}})
        server.send({"method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "adflow", "version": 1, "text": text}}})
        server.diagnostics(uri, 1)
        walls, cpus, found = [], [], []
        for version, change in enumerate(edits_of(text, enter), start=2):
            cpu = server.cpu()
            started = time.perf_counter()
            server.send({"method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [change]}})
            found = server.diagnostics(uri, version)
            walls.append(time.perf_counter() - started)
            cpus.append(server.cpu() - cpu)
        return statistics.median(walls), statistics.fmean(cpus), len(found)
    finally:
        server.close()


def lsp_did_change(bench: Any) -> None:
    """The bench's rows (bench.py's ROWS), one per file size, in its temporary folder."""
    from bench import HEADER, row, unit

    for lines, enter in [*((n, False) for n in SIZES), *((n, True) for n in GOALS)]:
        text = sample(lines, unit, HEADER)
        wall, cpu, _ = measure(text, bench.root, enter)
        goal = GOALS.get(lines)
        what = "newline" if enter else "1 char"
        row(f"LSP didChange, {text.count(chr(10)):,} lines, {what}, CPU",
            f"{cpu * 1000:.0f} ms, wall {wall * 1000:.0f}",
            f"<= {goal * 1000:.0f} ms server CPU" if goal else "(server CPU per edit)",
            f"{cpu / goal:.2f}x" if goal else "", cpu <= goal if goal else None)


if __name__ == "__main__":
    sys.exit(__import__("bench").main(["lsp_did_change"]))
