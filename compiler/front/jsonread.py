"""Strict JSON (RFC 8259) read by hand, keeping where every value is: a
JSON payload is checked without loading Lark and building its grammar,
which cost more than the rest of the check.

It reads what `grammar/json.lark` describes and fails where Lark's LALR
parser with its contextual lexer fails: at the first token that cannot come
next (`BadToken`, the end of the text included) or the first place no token
starts (`BadCharacter`). tests/test_jsonread.py holds it to that grammar.
"""

from __future__ import annotations

import json
import re

TYPE_CHECKING = False  # typing is for mypy alone: importing it costs a quick check 4 ms
if TYPE_CHECKING:
    from typing import Any

# The grammar's terminals: a token is told by its first character.
# (The grammar's pattern; possessive, so a string never closed fails at once.)
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*+"')
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_SPACE = re.compile(r"[ \t\n\r]*")
_WORDS = {"t": "true", "f": "false", "n": "null"}
_WORD_VALUES: dict[str, Any] = {"true": True, "false": False, "null": None}
_PUNCTUATION = frozenset("{}[],:")
END = ""  # the text of the end-of-input token


class BadToken(ValueError):
    """A token that cannot come here; `text` is END at the end of the input."""

    def __init__(self, text: str, start: int) -> None:
        super().__init__(f"unexpected {text!r} at {start}")
        self.text = text
        self.start = start
        self.end = start + len(text)


class BadCharacter(ValueError):
    """No token starts at `pos`."""

    def __init__(self, pos: int) -> None:
        super().__init__(f"unexpected character at {pos}")
        self.pos = pos


class JsonReader:
    """Reads `text` into Python values. Subclasses hear of each value as it
    is read, in document order: `container` when an object or list opens
    (with its pointer; its span follows in `closed`), `scalar` for the
    others, and `key` for each member's name."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    # -- what a subclass hears -------------------------------------------------

    def container(self, ptr: str, start: int) -> None:
        """An object or list opens at `start`."""

    def closed(self, ptr: str, start: int, end: int) -> None:
        """The object or list at `ptr` spans start..end."""

    def scalar(self, ptr: str, kind: str, start: int, end: int) -> Any:
        """The value of a string, number or word token (kind: "string",
        "number", "word") at `ptr`."""
        return _value(kind, self.text[start:end])

    def key(self, start: int, end: int) -> str:
        """The value of a member's name."""
        return str(_value("string", self.text[start:end]))

    def child(self, ptr: str, key: str | int) -> str:
        """The pointer of a member or item of the value at `ptr`."""
        return f"{ptr}/{key}"

    # -- reading ---------------------------------------------------------------

    def read(self) -> Any:
        """The whole text's value; BadToken or BadCharacter if it is no JSON."""
        value = self._value("", self._next())
        kind, start, _ = self._next()
        if kind != END:
            raise BadToken(self.text[start:self.pos], start)
        return value

    def _next(self) -> tuple[str, int, int]:
        """The next token: (kind, start, end); kind is the punctuation itself,
        "string", "number", "word", or END."""
        text = self.text
        start = _SPACE.match(text, self.pos).end()  # type: ignore[union-attr]
        if start >= len(text):
            self.pos = start
            return END, start, start
        first = text[start]
        if first in _PUNCTUATION:
            self.pos = start + 1
            return first, start, start + 1
        if first == '"':
            found = _STRING.match(text, start)
            kind = "string"
        elif first == "-" or "0" <= first <= "9":
            found = _NUMBER.match(text, start)
            kind = "number"
        else:
            word = _WORDS.get(first)
            if word is None or not text.startswith(word, start):
                raise BadCharacter(start)
            self.pos = start + len(word)
            return "word", start, self.pos
        if found is None:
            raise BadCharacter(start)
        self.pos = found.end()
        return kind, start, self.pos

    def _bad(self, token: tuple[str, int, int]) -> BadToken:
        kind, start, end = token
        return BadToken(END if kind == END else self.text[start:end], start)

    def _value(self, ptr: str, token: tuple[str, int, int]) -> Any:
        kind, start, end = token
        if kind == "{":
            return self._object(ptr, start)
        if kind == "[":
            return self._list(ptr, start)
        if kind in ("string", "number", "word"):
            return self.scalar(ptr, kind, start, end)
        raise self._bad(token)

    def _object(self, ptr: str, start: int) -> dict[str, Any]:
        self.container(ptr, start)
        out: dict[str, Any] = {}
        token = self._next()
        if token[0] == "}":
            self.closed(ptr, start, token[2])
            return out
        while True:
            if token[0] != "string":
                raise self._bad(token)
            name = self.key(token[1], token[2])
            token = self._next()
            if token[0] != ":":
                raise self._bad(token)
            out[name] = self._value(self.child(ptr, name), self._next())
            token = self._next()
            if token[0] == "}":
                self.closed(ptr, start, token[2])
                return out
            if token[0] != ",":
                raise self._bad(token)
            token = self._next()

    def _list(self, ptr: str, start: int) -> list[Any]:
        self.container(ptr, start)
        out: list[Any] = []
        token = self._next()
        if token[0] == "]":
            self.closed(ptr, start, token[2])
            return out
        while True:
            out.append(self._value(self.child(ptr, len(out)), token))
            token = self._next()
            if token[0] == "]":
                self.closed(ptr, start, token[2])
                return out
            if token[0] != ",":
                raise self._bad(token)
            token = self._next()


def _value(kind: str, text: str) -> Any:
    if kind == "word":
        return _WORD_VALUES[text]
    if kind == "string" and "\\" not in text:
        return text[1:-1]  # nothing to unescape
    return json.loads(text)
