"""X: secrets and unsafe text in what a file would send."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..model import Document
from .base import ERROR, WARNING, report, rule
from .hygiene import BIDI_CONTROLS
from .objects import strings

# Meta user and page tokens start with EAA; app tokens are "<app id>|<secret>".
_TOKEN = re.compile(r"\bEAA[A-Za-z0-9]{20,}|\b\d{6,}\|[A-Za-z0-9_-]{16,}")
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")


@rule("X001", "access-token", ERROR, "an access token written in a file")
def X001(document: Document) -> Iterator[Diagnostic]:
    """Tokens never belong in a spec file or payload: anyone who reads it can
    run ads on the account. adflow's bundles read META_ACCESS_TOKEN from the
    environment instead.

    Bad:
        campaign spring {
          name "EAABsbCS1iHgBAKZCZB1example0token0value"
        }

    Good:
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


@rule("X002", "insecure-url", WARNING, "a URL that is not https")
def X002(document: Document) -> Iterator[Diagnostic]:
    """Links, images and privacy pages are served over https; Meta rejects or
    flags plain http in many places.

    Bad:
        page acme 111222333444
        creative image {
          page acme
          image url "http://acme.example/a.jpg"
        }

    Good:
        page acme 111222333444
        creative image {
          page acme
          image url "https://acme.example/a.jpg"
        }
    """
    for request in document.requests:
        for ptr, text in strings(request.view):
            if text.strip().lower().startswith("http://") and not ptr.endswith("/privacy_url"):
                yield report(X002, request, ptr, f"{text.strip()[:60]!r} is not https")


@rule("X003", "bidi-in-string", WARNING, "bidirectional control characters in a string")
def X003(document: Document) -> Iterator[Diagnostic]:
    """Bidi control characters may be wanted in right-to-left text, but they
    also change how a reviewer sees the text (Trojan Source). Outside
    strings they are errors (X004).

    Bad:
        campaign spring {
          name "Sale \u202e50% off"
        }

    Good:
        campaign spring {
          name "Sale 50% off"
        }
    """
    for request in document.requests:
        for ptr, text in strings(request.view):
            found = _BIDI.search(text)
            if found:
                yield report(X003, request, ptr,
                             f"this string holds the bidirectional control character "
                             f"U+{ord(found.group()):04X}",
                             help="keep it only if the text needs it")


RULES = [X001, X002, X003]
