"""The tokens of the adflow language, for every reader of it.

The patterns are the terminals of grammar/adflow.lark, read from that file,
so Lark's parser and the readers here cannot disagree on what a string, a
comment or a line break is. Two scans are built from them:

- `tokens`: every token with its offsets, never raising on any text (a
  string left open runs to the line's end as OPEN_STRING, a character no
  token takes is BAD). The formatter, suppressions, the editor's scanner
  and the nesting check read these.
- `parser_tokens`: the hand-written parser's (`descent`) tokens, with a run
  of line breaks and comments as one NL as in the grammar's `_NL`.

The values of literals are decoded from plain text and offsets here too
(`string_value`, `number_value`), for both parsers.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

from ..bodies.wire import number as _number
from ..lean import NamedTuple
from ..records import record


def _terminals() -> dict[str, str]:
    # adflow/grammar/, read directly (importlib.resources costs a quarter of a
    # `python -c pass` to import); the same two folders up in this repository.
    with open(os.path.join(os.path.dirname(__file__), "..", "..", "grammar", "adflow.lark"),
              encoding="utf-8") as file:
        grammar = file.read()
    return dict(re.findall(r"^([A-Z_]+)(?:\.\d+)?: /(.*)/$", grammar, re.MULTILINE))


_T = _terminals()
NAME, NUMBER, STRING, VERSION = _T["NAME"], _T["NUMBER"], _T["STRING"], _T["VERSION"]
COMMENT, LINE_BREAK, SPACE = _T["COMMENT"], _T["LINE_BREAK"], _T["SPACE"]
# A string the line ends in: the string's pattern without its closing quote,
# and a backslash left last on the line.
assert STRING.endswith('"')
OPEN_STRING = STRING[:-1] + r"\\?"
# The grammar's punctuation (its anonymous terminals).
OPERATORS = ("->", "=>", "{", "}", "[", "]", ",", ":")
_OPERATOR = "|".join(re.escape(op) for op in OPERATORS)
# The order is the one in which the first alternative that matches is the
# token Lark's lexer would pick in any state that accepts it.
_WORDS = (rf"|(?P<STRING>{STRING})|(?P<OPEN_STRING>{OPEN_STRING})|(?P<VERSION>{VERSION})"
          rf"|(?P<NAME>{NAME})|(?P<NUMBER>{NUMBER})|(?P<OP>{_OPERATOR})|(?P<BAD>.)")
_TOKEN = re.compile(rf"(?P<BREAK>{LINE_BREAK})|(?P<COMMENT>{COMMENT})|(?P<SPACE>{SPACE})"
                    + _WORDS, re.DOTALL)
_PARSER_TOKEN = re.compile(rf"(?P<NL>(?:{LINE_BREAK}(?:{SPACE})?|{COMMENT})+)|(?P<SPACE>{SPACE})"
                           + _WORDS, re.DOTALL)
# What hides brackets: the tokens that may hold one.
_BRACKET = re.compile(rf"{STRING}|{OPEN_STRING}|{COMMENT}|(?P<b>[\[\]{{}}])")


class Token(NamedTuple):
    """`kind`: BREAK, COMMENT, STRING, OPEN_STRING, VERSION, NAME, NUMBER,
    BAD, or the text itself for punctuation. `start`/`end`: offsets."""

    kind: str
    start: int
    end: int


def tokens(text: str, start: int = 0) -> Iterator[Token]:
    """The tokens of `text` from `start`, spaces left out."""
    for m in _TOKEN.finditer(text, start):
        kind = m.lastgroup
        if kind == "SPACE":
            continue
        yield Token(m.group() if kind == "OP" else kind or "BAD", m.start(), m.end())


def brackets(text: str) -> Iterator[tuple[str, int]]:
    """The brackets of `text` outside strings and comments, with their
    offsets: the `[]{}` tokens of `tokens`, found faster."""
    for m in _BRACKET.finditer(text):
        if m.lastgroup == "b":
            yield m.group(), m.start()


# (kind, text, line, column, offset); kind is the text itself for punctuation.
ParserToken = tuple[str, str, int, int, int]


def parser_tokens(text: str) -> list[ParserToken]:
    """The tokens `descent` reads, ending with EOF; SPACE left out, a run of
    line breaks and comments one NL."""
    out: list[ParserToken] = []
    append = out.append
    line, line_start = 1, 0
    for m in _PARSER_TOKEN.finditer(text):
        kind = m.lastgroup or "BAD"
        if kind == "SPACE":
            continue
        start = m.start()
        value = m.group()
        append((value if kind == "OP" else kind, value, line, start - line_start + 1, start))
        if kind == "NL":
            breaks = value.count("\n")
            if breaks:
                line += breaks
                line_start = start + value.rindex("\n") + 1
    append(("EOF", "", line, len(text) - line_start + 1, len(text)))
    return out


# -- values ---------------------------------------------------------------------------------

@record(frozen=True)
class Problem:
    """Why (part of) a literal has no value: offsets into the text."""

    start: int
    end: int
    message: str
    help: str | None = None


_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.DOTALL)
_SIMPLE_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t", "r": "\r", "/": "/"}
_NO_PROBLEMS: tuple[Problem, ...] = ()


def string_value(text: str, start: int, end: int,
                 closed: bool = True) -> tuple[str, tuple[Problem, ...]]:
    """The value of the string literal `text[start:end]` (with its quotes;
    not `closed`: an OPEN_STRING, without the closing one), and the problems
    of its escapes: an unknown escape stands for its character, a lone half
    of a surrogate pair for U+FFFD (never a silent U+0000)."""
    body = text[start + 1:end - 1 if closed else end]
    if "\\" not in body:
        return body, _NO_PROBLEMS
    base = start + 1
    out: list[str] = []
    problems: list[Problem] = []
    pos = 0
    high: re.Match[str] | None = None  # a \uD800-\uDBFF escape waiting for its low half

    def lone(m: re.Match[str]) -> None:
        problems.append(Problem(base + m.start(), base + m.end(),
                                f"lone surrogate \\{m.group(1)} in a string",
                                "\\uD800-\\uDBFF must be followed by \\uDC00-\\uDFFF, "
                                "together one character"))
        out.append("\ufffd")

    for m in _ESCAPE.finditer(body):
        code = int(m.group(1)[1:], 16) if len(m.group(1)) == 5 else None
        if high is not None:
            if code is not None and 0xDC00 <= code <= 0xDFFF and m.start() == high.end():
                out.append(chr(0x10000 + ((int(high.group(1)[1:], 16) - 0xD800) << 10)
                               + (code - 0xDC00)))
                high, pos = None, m.end()
                continue
            lone(high)
            high = None
        if m.start() > pos:
            out.append(body[pos:m.start()])
        pos = m.end()
        esc = m.group(1)
        if esc in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[esc])
        elif code is not None and 0xD800 <= code <= 0xDBFF:
            high = m
        elif code is not None and 0xDC00 <= code <= 0xDFFF:
            lone(m)
        elif code is not None:
            out.append(chr(code))
        else:
            problems.append(Problem(base + m.start(), base + m.end(),
                                    f"unknown escape \\{esc} in a string",
                                    'known escapes: \\" \\\\ \\n \\t \\uXXXX'))
            out.append(esc)
    if high is not None:
        lone(high)
    out.append(body[pos:])
    return "".join(out), tuple(problems)


def number_value(literal: str, strict: bool = False) -> tuple[int | float, str | None]:
    """The value of a number literal, or 0 and why it has none Meta could
    receive (too many digits, out of range, or, `strict` for JSON, a
    leading zero)."""
    try:
        return _number(literal, strict), None
    except ValueError as exc:
        return 0, str(exc)
