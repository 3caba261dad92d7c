"""The result cache: an unchanged file is answered from `.adflow_cache/`
without importing the parser.

Keyed by the file's bytes, the name it is reported under, adflow's version
and a fingerprint of everything else that changes the result (configuration,
limits). Entries are written atomically, so parallel pre-commit processes may
share one cache.
"""

from __future__ import annotations

import functools
import json
import os
import stat

from .. import __version__
from ..facts import clock
from ..findings.diagnostics import Diagnostic, Edit, Fix, Note, Severity
from ..front.source import Span

try:  # the built-in blake2: `hashlib` loads OpenSSL first, 2 ms of a cache hit
    from _blake2 import blake2b
except ImportError:  # an interpreter built without it
    from hashlib import blake2b

TYPE_CHECKING = False  # typing is for mypy alone: importing it costs a quick check 4 ms
if TYPE_CHECKING:
    from typing import Any

DEFAULT_DIR = ".adflow_cache"
_FORMAT = 3  # 2: entries are {"key", "diagnostics"}; 3: diagnostics carry their fix
# An entry larger than this is not one adflow wrote for a file it can check.
_MAX_ENTRY = 64 * 1024 * 1024


class Damaged(ValueError):
    """A cache entry adflow did not write as it is: treated as a miss."""


def _int(value: Any) -> int:
    if type(value) is not int or value < 1:
        raise Damaged(f"not a position: {value!r}")
    return value


def _text(value: Any, optional: bool = False) -> Any:
    if not (isinstance(value, str) or (optional and value is None)):
        raise Damaged(f"not a string: {value!r}")
    return value


def _span(data: Any) -> Span:
    if not isinstance(data, dict):
        raise Damaged("a span is not an object")
    return Span(_text(data["file"]), _int(data["line"]), _int(data["column"]),
                _int(data["end_line"]), _int(data["end_column"]))


def encode(d: Diagnostic) -> dict[str, object]:
    out = d.to_json()
    out["notes"] = [{"message": n.message,
                     "span": None if n.span is None else {
                         "file": n.span.file, "line": n.span.line, "column": n.span.column,
                         "end_line": n.span.end_line, "end_column": n.span.end_column}}
                    for n in d.notes]
    return out


def _fix(data: Any, file: str) -> Fix | None:
    if data is None:
        return None
    if not isinstance(data, dict) or data.get("applicability") not in ("safe", "unsafe") \
            or not isinstance(data.get("edits"), list):
        raise Damaged("a fix is not an object")
    edits = tuple(Edit(_span({**e, "file": file}), _text(e["content"])) for e in data["edits"])
    return Fix(_text(data["message"]), edits, data["applicability"])


def decode(data: Any) -> Diagnostic:
    """A diagnostic from its cached form; Damaged (a ValueError), KeyError or
    TypeError for anything else."""
    if not isinstance(data, dict) or not isinstance(data.get("notes", []), list):
        raise Damaged("a diagnostic is not an object")
    notes = tuple(Note(_text(n["message"]), None if n["span"] is None else _span(n["span"]))
                  for n in data.get("notes", []))
    return Diagnostic(_text(data["code"]), Severity(data["severity"]), _text(data["message"]),
                      _span(data), _text(data.get("help"), True), notes,
                      _text(data.get("name"), True), _fix(data.get("fix"), _text(data["file"])))


@functools.cache
def code_fingerprint() -> str:
    """adflow's own files by name, size and modification time, so an edited
    rule (in development, or an upgrade without a version bump) never serves
    stale results. A few hundred stat calls, by os.scandir: a millisecond."""
    import adflow.compiler
    import adflow.grammar

    found = _sources([root for package in (adflow.compiler, adflow.grammar)
                      for root in package.__path__])
    return blake2b(repr(sorted(found)).encode("utf-8", "surrogateescape"),
                   digest_size=32).hexdigest()


def _sources(folders: list[str]) -> list[tuple[str, int, int]]:
    """Every .py and .lark file below `folders`: (path, size, modification time)."""
    found, stack = [], list(folders)
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):  # as rglob: a link loop never recurses
                    stack.append(entry.path)
                elif entry.name.endswith((".py", ".lark")):
                    info = entry.stat()
                    found.append((entry.path, info.st_size, info.st_mtime_ns))
    return found


class ResultCache:
    def __init__(self, directory: str | os.PathLike[str], fingerprint: str = "") -> None:
        self.directory = os.fspath(directory)
        # The day is part of the key: D004 (expired API version) depends on it.
        self.salt = (f"{_FORMAT}\0{__version__}\0{code_fingerprint()}\0{fingerprint}\0"
                     f"{clock.today_iso()}\0")

    def key(self, display: str, data: bytes) -> str:
        digest = blake2b(self.salt.encode(), digest_size=32)
        digest.update(display.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _path(self, key: str) -> str:
        return os.path.join(self.directory, key[:2], f"{key}.json")

    def get(self, key: str) -> list[Diagnostic] | None:
        """The findings stored under `key`; None for a miss, and for anything
        odd (not a regular file, not an entry for this key, damaged)."""
        try:
            # Non-blocking: a FIFO planted in the cache must not hang a check.
            fd = os.open(self._path(key), os.O_RDONLY | os.O_NONBLOCK)
        except OSError:
            return None
        try:
            with os.fdopen(fd, "rb") as f:
                info = os.fstat(f.fileno())
                if not stat.S_ISREG(info.st_mode) or info.st_size > _MAX_ENTRY:
                    return None
                entry = json.loads(f.read())
            if not isinstance(entry, dict) or entry.get("key") != key:
                return None
            found = entry["diagnostics"]
            if not isinstance(found, list):
                return None
            return [decode(d) for d in found]
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            return None  # damaged: check again

    def put(self, key: str, diagnostics: list[Diagnostic]) -> None:
        path = self._path(key)
        try:
            self._prepare()
            os.makedirs(os.path.dirname(path), exist_ok=True)
            from .files import write_atomic  # only when writing: a hit never needs it

            # Not durable: an entry lost in a crash is only a miss. ASCII, so a
            # file name that is no UTF-8 (kept as surrogates) reads back as it was.
            entry = {"key": key, "diagnostics": [encode(d) for d in diagnostics]}
            write_atomic(path, json.dumps(entry), durable=False)
        except OSError:
            pass  # a read-only tree only costs speed

    def _prepare(self) -> None:
        """Mark the folder as a cache for backup tools and keep it out of git."""
        tag = os.path.join(self.directory, "CACHEDIR.TAG")
        if os.path.exists(tag):
            return
        from .files import write_atomic

        os.makedirs(self.directory, exist_ok=True)
        write_atomic(os.path.join(self.directory, ".gitignore"), "# created by adflow\n*\n",
                     durable=False)
        # Written last: its presence means the folder is set up.
        write_atomic(tag, "Signature: 8a477f597d28d172789f06886806bc55"
                     "\n# adflow result cache\n", durable=False)
