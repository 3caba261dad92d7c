"""The curl bundle (`adflow compile --emit curl`): a bash script that sends the
plan's requests with curl and jq.

The plan travels inside the script as base64 of ASCII-only JSON, so no text a
marketer wrote is ever read by the shell: quotes, `$()`, heredoc delimiters,
`@file` and line separators are all just base64 digits until jq decodes them.
The script itself is fixed text plus a few values passed through `shell_quote`.
"""

from __future__ import annotations

import base64
import json
from functools import cache
from typing import Any

import jinja2
from adflow.compiler import __version__
from adflow.compiler.model import Document

from .plan import build_plan
from .templating import load_template

TEMPLATE = "bundle.sh.j2"
BASE64_LINE = 76  # the MIME line length: short lines keep diffs and editors happy


def shell_quote(value: object) -> str:
    """One bash word holding exactly `value`: single quotes, with each `'`
    written as `'\\''` (nothing is special inside single quotes)."""
    text = str(value)
    if "\0" in text:  # bash strings cannot hold NUL; never silently truncate
        raise ValueError("a NUL character cannot be passed to bash")
    return "'" + text.replace("'", "'\\''") + "'"


def json_text(value: Any) -> str:
    """Compact JSON with every non-ASCII character escaped, in a stable order."""
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"))


def base64_lines(text: str) -> list[str]:
    encoded = base64.b64encode(text.encode("ascii")).decode("ascii")
    return [encoded[i:i + BASE64_LINE] for i in range(0, len(encoded), BASE64_LINE)] or [""]


def comment_text(value: object) -> str:
    """Text safe inside a `#` comment line: printable ASCII only."""
    return "".join(c if " " <= c <= "~" else "?" for c in str(value))


@cache
def _template() -> jinja2.Template:
    # No autoescape: shell safety comes from the filters, not from HTML escaping.
    return load_template(TEMPLATE, autoescape=False, filters={
        "shell_quote": shell_quote, "json_text": json_text, "base64_lines": base64_lines,
        "comment_text": comment_text})


def render_curl(document: Document) -> str:
    return _template().render(plan=build_plan(document), source=document.path, version=__version__,
                              changes=_changes_section())


# -- change management (issue 13): its own template, placed into the bundle ----

CHANGES_TEMPLATE = "bundle_changes.sh.j2"


@cache
def _changes_section() -> str:
    """The bundle's functions for updates, replaces and the plan's text form,
    with what Meta lets you edit per create edge (compiler/facts.py)."""
    from adflow.compiler.facts import EDITABLE_FIELDS
    from adflow.compiler.model import ENDPOINTS

    editable = {ENDPOINTS[kind]: sorted(fields) for kind, fields in EDITABLE_FIELDS.items()}
    template = load_template(CHANGES_TEMPLATE, autoescape=False, filters={
        "shell_quote": shell_quote, "json_text": json_text})
    return template.render(editable=editable)
