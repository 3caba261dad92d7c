"""Reading input files and mapping offsets to 1-based lines and columns.

Every file is decoded here and only here: a byte-order mark is dropped and
CRLF / CR line endings become LF, so lines and columns are right whatever the
editor wrote. Columns count Unicode code points.
"""

from __future__ import annotations

import bisect
import errno
import os
import stat
from array import array

from ..records import field, record

TYPE_CHECKING = False  # typing is for mypy alone: importing it costs a quick check 4 ms
if TYPE_CHECKING:
    # A file's name as adflow's functions take it: paths are strings on the
    # check path (pathlib costs a cache hit a sixth of its time), and a Path works.
    StrPath = str | os.PathLike[str]

DEFAULT_MAX_BYTES = 5 * 1024 * 1024


@record(frozen=True, slots=True)
class Span:
    """A region of a file: 1-based line and column, end exclusive."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@record(frozen=True)
class Source:
    path: str
    text: str
    # Where each line starts, as machine words: a list of ints takes four
    # times the memory, and a check keeps one per file with findings.
    _line_starts: array[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        starts = array("L", [0])
        find = self.text.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        object.__setattr__(self, "_line_starts", starts)

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of a character offset."""
        offset = max(0, min(offset, len(self.text)))
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1

    def offset(self, line: int, column: int) -> int:
        """The character offset of a 1-based (line, column), clamped to the text."""
        if line < 1:
            return 0
        if line > len(self._line_starts):
            return len(self.text)
        start = self._line_starts[line - 1]
        end = self.text.find("\n", start)
        end = len(self.text) if end == -1 else end
        return min(start + max(column, 1) - 1, end + 1, len(self.text))

    def span(self, start: int, end: int) -> Span:
        line, column = self.position(start)
        end_line, end_column = self.position(max(start, end))
        return Span(self.path, line, column, end_line, end_column)

    def clip(self, span: Span) -> Span:
        """`span` ending no further than the ends of this text's lines: for a
        span found in the parser's copy of this text with `}` added at line
        ends (error recovery), which must point into the file as written."""
        column = min(span.column, len(self.line_text(span.line)) + 1)
        end_column = min(span.end_column, len(self.line_text(span.end_line)) + 1)
        if (column, end_column) == (span.column, span.end_column):
            return span
        return Span(span.file, span.line, column, span.end_line, end_column)

    def line_text(self, line: int) -> str:
        if not 1 <= line <= len(self._line_starts):
            return ""
        start = self._line_starts[line - 1]
        end = self.text.find("\n", start)
        return self.text[start:] if end == -1 else self.text[start:end]

    @property
    def whole(self) -> Span:
        return self.span(0, len(self.text))


class InputError(Exception):
    """The file cannot be read as text; carries the code and where."""

    def __init__(self, code: str, message: str, span: Span) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.span = span


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode(path: str, data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """Turn bytes into a Source, or raise InputError (S003 / S004)."""
    if len(data) > max_bytes:
        raise InputError(
            "S004",
            f"input is {len(data):,} bytes, over the limit of {max_bytes:,}",
            Span(path, 1, 1, 1, 1),
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    nul = data.find(b"\0")
    if nul != -1:
        raise InputError("S003", "input holds a NUL byte: this is not a text file",
                         _byte_span(path, data, nul))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError("S003", f"input is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                         _byte_span(path, data, exc.start)) from None
    return Source(path, normalize_newlines(text))


def _byte_span(path: str, data: bytes, index: int) -> Span:
    before = normalize_newlines(data[:index].decode("utf-8", errors="replace"))
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    return Span(path, line, column, line, column + 1)


class NotRegularFile(OSError):
    """An input that is a FIFO, a device or a socket: reading it could block
    forever or never end."""

    def __init__(self, path: StrPath) -> None:
        super().__init__(errno.EINVAL, "not a regular file", os.fspath(path))

    def __str__(self) -> str:
        return f"{self.filename} is not a regular file"


def open_input(path: StrPath) -> int:
    """A descriptor for reading `path`, opened without blocking and checked
    after opening, so a FIFO put in a file's place after a walk saw it cannot
    hang the run (opening a FIFO waits for a writer, reading it for data);
    raises NotRegularFile (an OSError) for one. A device is read: the
    reader's limit ends it."""
    nonblocking = getattr(os, "O_NONBLOCK", 0)  # POSIX; Windows has no FIFOs to wait on
    fd = os.open(path, os.O_RDONLY | nonblocking | getattr(os, "O_CLOEXEC", 0))
    try:
        if stat.S_ISFIFO(os.fstat(fd).st_mode):
            raise NotRegularFile(path)
        if nonblocking:
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_bytes(path: StrPath, max_bytes: int = DEFAULT_MAX_BYTES,
               display: str | None = None) -> bytes:
    """The file's bytes, read once and never more than the limit (plus one
    byte to tell it was passed): a device reports no size worth trusting.
    OSError is left to the caller: a file that cannot be opened (or is not a
    regular file) is an I/O error (exit 2), not a diagnostic about its
    contents."""
    with open(open_input(path), "rb") as f:
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:
        name = display if display is not None else os.fspath(path)
        raise InputError("S004", f"input is over the limit of {max_bytes:,} bytes",
                         Span(name, 1, 1, 1, 1))
    return data


def read(path: StrPath, display: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    name = display if display is not None else os.fspath(path)
    return decode(name, read_bytes(path, max_bytes, name), max_bytes)


def pointer(*parts: str | int) -> str:
    """A JSON pointer (RFC 6901) from path parts."""
    out = ""
    for part in parts:  # a loop, not a join: called for every value of every body
        text = str(part)
        if "~" in text or "/" in text:
            text = text.replace("~", "~0").replace("/", "~1")
        out += "/" + text
    return out
