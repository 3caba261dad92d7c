"""X: secrets and unsafe text. X001-X003 read what a file would send; X004
and X005 read the text itself, whatever it declares (`Document.source`), so
they also run on files that do not parse."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from ..bodies.model import Document
from ..bodies.queries import strings
from ..facts.sources import ACCESS_TOKENS_PAGE
from ..findings.diagnostics import Diagnostic
from .base import ERROR, WARNING, report, rule

# Meta user and page tokens start with EAA; app tokens are "<app id>|<secret>".
_TOKEN = re.compile(r"\bEAA[A-Za-z0-9]{20,}|\b\d{6,}\|[A-Za-z0-9_-]{16,}")


# Characters that reorder how text is displayed (Unicode bidi controls):
# embeddings and overrides, isolates, and the implicit marks.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
# Line breaks other tools know (str.splitlines, editors, the Language Server
# Protocol) that adflow reads as ordinary characters: vertical tab, the
# information separators, NEL, and the Unicode line and paragraph
# separators. Form feed is left out: adflow, like Python, reads it as a space.
LINE_BREAKS = "\x0b\x1c\x1d\x1e\x85\u2028\u2029"


def _any_of(chars: str, text: str) -> bool:
    """Whether `text` holds one of `chars`: a scan per character, where a
    class of them compiled as a regex costs a quick check more than all."""
    return any(char in text for char in chars)


def _outside_strings(text: str, chars: str) -> Iterator[tuple[int, str, bool]]:
    """(offset, character, in a comment) for each of `chars` outside a string.
    A string is one line, escapes allowed; both the DSL and JSON write them
    so. JSON has no comments, so a `#` there is already a syntax error and
    scanning it as one changes nothing."""
    tokens = re.compile(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*|' + f"[{chars}]")
    for token in tokens.finditer(text):
        found = token.group()
        if found.startswith('"'):
            continue
        for at, char in enumerate(found):
            if char in chars:
                yield token.start() + at, char, found.startswith("#")


# Control characters have no Unicode name, only these aliases.
_CONTROL_NAMES = {"\x0b": "LINE TABULATION", "\x1c": "INFORMATION SEPARATOR FOUR",
                  "\x1d": "INFORMATION SEPARATOR THREE", "\x1e": "INFORMATION SEPARATOR TWO",
                  "\x85": "NEXT LINE (NEL)"}


def _name(char: str) -> str:
    return f"U+{ord(char):04X} {_CONTROL_NAMES.get(char) or unicodedata.name(char, 'CONTROL')}"


@rule("X004", "bidi-outside-string", ERROR,
      "a bidirectional control character outside a string (Trojan Source)",
      evidence=("https://nvd.nist.gov/vuln/detail/CVE-2021-42574", "https://trojansource.codes/"))
def bidi_outside_string(document: Document) -> Iterator[Diagnostic]:
    """Bidirectional control characters (U+202A-U+202E, U+2066-U+2069,
    U+200E, U+200F, U+061C) change the order in which an editor or a code
    review shows the text, not the order in which adflow reads it. Outside a
    string (in a comment, a name or between tokens) they can make a file
    look as if it said something else, the "Trojan Source" attack
    (CVE-2021-42574); they are never needed there. Inside a string they may
    be legitimate text in a right-to-left language: that is X003, a warning.

    Bad (file):
        account act_1234567890  # owner: ops\u202e } \u2066

    Good (file):
        account act_1234567890  # owner: ops
    """
    source = document.source
    if source is None or not _any_of(BIDI_CONTROLS, source.text):
        return  # the common case
    for at, char, in_comment in _outside_strings(source.text, BIDI_CONTROLS):
        yield bidi_outside_string.diag(
            source.span(at, at + 1),
            f"bidirectional control character {_name(char)} "
            f"{'in a comment' if in_comment else 'outside a string'}",
            help="delete it: it changes how the line is displayed, not what it means; "
                 "inside a string it may be wanted text")


@rule("X005", "unicode-line-break", ERROR,
      "a line break adflow does not read as one (U+2028, U+2029, NEL ...) outside a string",
      evidence=("https://www.unicode.org/reports/tr14/",
                "https://nvd.nist.gov/vuln/detail/CVE-2021-42574"))
def unicode_line_break(document: Document) -> Iterator[Diagnostic]:
    """adflow ends a line at LF (CRLF and CR are read as LF). Editors, diff
    viewers and language tools also break lines at U+2028 LINE SEPARATOR,
    U+2029 PARAGRAPH SEPARATOR, U+0085 NEXT LINE (NEL), the vertical tab and
    the information separators U+001C-U+001E. A comment followed by one of
    them and a statement looks like two lines, but adflow reads one comment:
    the statement a reviewer sees is silently not there, and positions
    differ between adflow and the editor. Inside a string such a character
    is text and is sent as written.

    Bad (file):
        account act_1234567890  # the page comes next page acme 111222333444

    Good (file):
        account act_1234567890  # the page comes next
        page acme 111222333444
    """
    source = document.source
    if source is None or not _any_of(LINE_BREAKS, source.text):
        return
    for at, char, in_comment in _outside_strings(source.text, LINE_BREAKS):
        yield unicode_line_break.diag(
            source.span(at, at + 1),
            f"{_name(char)} {'in a comment' if in_comment else 'outside a string'}: editors "
            "show a line break here, adflow reads none",
            help="use a plain newline; inside a string it is kept as text")


@rule("X001", "access-token", ERROR, "an access token written in a file",
      evidence=(ACCESS_TOKENS_PAGE, "https://cwe.mitre.org/data/definitions/798.html"))
def X001(document: Document) -> Iterator[Diagnostic]:
    """Tokens never belong in a spec file or payload: anyone who reads it can
    run ads on the account. adflow's bundles read META_ACCESS_TOKEN from the
    environment instead.

    Bad (objects):
        campaign spring {
          name "EAABsbCS1iHgBAKZCZB1example0token0value"
        }

    Good (objects):
        campaign spring {
          name "Spring"
        }
    """
    for request in document.requests:
        if "access_token" in request.view:
            yield report(X001, request, "/access_token",
                         "the body carries access_token: tokens never go in files",
                         help="remove it; set META_ACCESS_TOKEN when running the bundle")
        for ptr, text in strings(request.view):
            if ptr != "/access_token" and _TOKEN.search(text):
                yield report(X001, request, ptr, "this looks like an access token",
                             help="remove it; tokens come from META_ACCESS_TOKEN at run time")


# A URL over plain http: the scheme, then at least the start of a host.
_HTTP_URL = re.compile(r"http://[^\s/?#]", re.IGNORECASE)


@rule("X002", "insecure-url", WARNING, "a URL that is not https")
def X002(document: Document) -> Iterator[Diagnostic]:
    """Links, images and privacy pages are served over https; Meta rejects or
    flags plain http in many places.

    Bad (objects):
        page acme 111222333444
        creative image {
          page acme
          image url "http://acme.example/a.jpg"
        }

    Good (objects):
        page acme 111222333444
        creative image {
          page acme
          image url "https://acme.example/a.jpg"
        }
    """
    for request in document.requests:
        for ptr, text in strings(request.view):
            if _HTTP_URL.match(text.strip()) and not ptr.endswith("/privacy_url"):
                yield report(X002, request, ptr, f"{text.strip()[:60]!r} is not https")


@rule("X003", "bidi-in-string", WARNING, "bidirectional control characters in a string")
def X003(document: Document) -> Iterator[Diagnostic]:
    """Bidi control characters may be wanted in right-to-left text, but they
    also change how a reviewer sees the text (Trojan Source). Outside
    strings they are errors (X004).

    Bad (objects):
        campaign spring {
          name "Sale \u202e50% off"
        }

    Good (objects):
        campaign spring {
          name "Sale 50% off"
        }
    """
    for request in document.requests:
        for ptr, text in strings(request.view):
            found = min((text.index(c) for c in BIDI_CONTROLS if c in text), default=None)
            if found is not None:
                yield report(X003, request, ptr,
                             f"this string holds the bidirectional control character "
                             f"U+{ord(text[found]):04X}",
                             help="keep it only if the text needs it")


# X004 and X005 read only the text: the pipeline runs them on files that do not parse.
TEXT_RULES = [bidi_outside_string, unicode_line_break]
RULES = [X001, X002, X003, *TEXT_RULES]
