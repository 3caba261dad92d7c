"""Values as DSL text: strings, numbers, lists and `raw` JSON, and the names
an imported file gives its objects and steps."""

from __future__ import annotations

import math
import re
from typing import Any

from ..bodies.fields import STEP_MODIFIERS, STEP_TYPES, TABLES
from ..front import lexer

NAME = re.compile(lexer.NAME)
DIGITS = re.compile(r"[0-9]+")
# Words the grammar or the lead-form steps read specially: never used as names.
RESERVED = frozenset({"api", "account", "page", "instagram", "raw", "in", "on", "true", "false",
                      "null", *TABLES, *STEP_TYPES, *STEP_MODIFIERS})


class ImportFailure(Exception):
    """The DSL written could not be made to give the input back (an adflow bug)."""


def dsl_string(text: str) -> str:
    """A DSL string literal: the escapes the lexer knows, and \\uXXXX for any
    character that is not printable (so no control or bidi character is
    written raw)."""
    out = ['"']
    for ch in text:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch.isprintable():
            out.append(ch)
        else:
            code = ord(ch)
            if code > 0xFFFF:  # a surrogate pair, as JSON writes it
                code -= 0x10000
                out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
            else:
                out.append(f"\\u{code:04x}")
    out.append('"')
    return "".join(out)


def number(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        text = repr(value)
        return text if re.fullmatch(lexer.NUMBER, text) else None
    return None


def dsl_json(value: Any) -> str:
    """One line of JSON for `raw`, with DSL string escapes."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{dsl_string(k)}: {dsl_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(dsl_json(v) for v in value) + "]"
    if isinstance(value, str):
        return dsl_string(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = number(value)
    if text is None:  # NaN or infinity: not JSON, so never in a parsed body
        raise ImportFailure(f"cannot write {value!r} as JSON")
    return text


def scalar_text(value: Any) -> str | None:
    """A member value that reads back as `value`: enum-like words bare,
    other strings quoted, numbers and booleans as they are."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        bare = NAME.fullmatch(value) and value not in RESERVED
        return value if bare else dsl_string(value)
    return number(value)


def value_text(value: Any) -> str | None:
    if isinstance(value, list):
        items = [scalar_text(v) for v in value]
        if any(item is None for item in items):
            return None
        return "[" + ", ".join(items) + "]"  # type: ignore[arg-type]
    return scalar_text(value)


def snake(text: str) -> str:
    """A snake_case identifier from a display name ('' when nothing is left)."""
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    words = re.findall(r"[A-Za-z0-9]+", text.lower())
    name = "_".join(words)[:40].strip("_")
    if name and name[0].isdigit():
        name = "n" + name
    return name


class Names:
    """Unique identifiers in one namespace."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, wanted: str, fallback: str) -> str:
        base = wanted if NAME.fullmatch(wanted or "") and wanted not in RESERVED else fallback
        name, n = base, 2
        while name in self.used or name in RESERVED:
            name, n = f"{base}_{n}", n + 1
        self.used.add(name)
        return name
