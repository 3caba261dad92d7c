"""X004: the text itself. Rules about the characters of a file, whatever it
declares; they read `Document.source`."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..model import Document
from .base import ERROR, rule

# Characters that reorder how text is displayed (Unicode bidi controls):
# embeddings and overrides, isolates, and the implicit marks.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
# A string (one line, escapes allowed), a comment, or one bidi control.
# Both the DSL and JSON write strings this way; JSON has no comments, so a
# `#` there is already a syntax error and scanning it as one changes nothing.
_TOKENS = re.compile(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*|' + f"[{BIDI_CONTROLS}]")


@rule("X004", "bidi-outside-string", ERROR,
      "a bidirectional control character outside a string (Trojan Source)")
def bidi_outside_string(document: Document) -> Iterator[Diagnostic]:
    """Bidirectional control characters (U+202A-U+202E, U+2066-U+2069,
    U+200E, U+200F, U+061C) change the order in which an editor or a code
    review shows the text, not the order in which adflow reads it. Outside a
    string (in a comment, a name or between tokens) they can make a file
    look as if it said something else, the "Trojan Source" attack
    (CVE-2021-42574); they are never needed there. Inside a string they may
    be legitimate text in a right-to-left language: that is X003, a warning.

    Bad:
        account act_1234567890  # owner: ops\u202e } \u2066

    Good:
        account act_1234567890  # owner: ops
    """
    source = document.source
    if source is None or _BIDI.search(source.text) is None:
        return  # the common case: one fast scan of the text
    for token in _TOKENS.finditer(source.text):
        text = token.group()
        if text.startswith('"'):
            continue
        base = token.start()
        for char in _BIDI.finditer(text):
            at = base + char.start()
            name = unicodedata.name(char.group(), "BIDI CONTROL")
            yield bidi_outside_string.diag(
                source.span(at, at + 1),
                f"bidirectional control character U+{ord(char.group()):04X} {name} "
                f"{'in a comment' if text.startswith('#') else 'outside a string'}",
                help="delete it: it changes how the line is displayed, not what it means; "
                     "inside a string it may be wanted text")


RULES = [bidi_outside_string]
