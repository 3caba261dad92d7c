"""Graph batches for `adflow apply`: which steps go together and how a batch
item is written (https://developers.facebook.com/docs/graph-api/batch-requests).

Meta's rules kept here: at most 50 operations a batch; a later item uses an
earlier one's id as `{result=NAME:$.id}`; a batch holds no two ad sets of
the same campaign; an item's body is form text (objects and lists as JSON).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

MAX_BATCH = 50
RESULT = re.compile(r"\{result=[^:}]+:\$(?:\.[^.}]+)*\}")


def reference(name: str) -> str:
    """What stands for the id of the batch item `name` in a later item."""
    return "{result=" + name + ":$.id}"


def form_text(json_text: str) -> str:
    """A JSON object's text as a batch item's body: each top-level member
    `name=value`, a string as it is, anything else as its JSON text; all
    percent-encoded but the `{result=...}` references, which Meta replaces."""
    members: dict[str, Any] = json.loads(json_text)
    parts = []
    for name, value in members.items():
        text = value if isinstance(value, str) else json.dumps(
            value, ensure_ascii=False, separators=(",", ":"))
        parts.append(quote(name, safe="") + "=" + _quoted(text))
    return "&".join(parts)


def _quoted(text: str) -> str:
    out, start = [], 0
    for found in RESULT.finditer(text):
        out += [quote(text[start:found.start()], safe=""), found.group()]
        start = found.end()
    out.append(quote(text[start:], safe=""))
    return "".join(out)



def holds_reference_text(body: Any) -> bool:
    """A string the user wrote that Meta would read as a batch reference:
    such a request is sent alone, where it means what it says."""
    if isinstance(body, str):
        return RESULT.search(body) is not None or "{result=" in body
    if isinstance(body, dict):
        return any(holds_reference_text(k) or holds_reference_text(v) for k, v in body.items())
    if isinstance(body, list):
        return any(holds_reference_text(v) for v in body)
    return False


def campaign_of(path: str, body: Mapping[str, Any]) -> str | None:
    """The campaign an ad set belongs to (its key or id), None for others."""
    if not path.endswith("/adsets"):
        return None
    campaign = body.get("campaign_id")
    if isinstance(campaign, dict) and set(campaign) == {"$ref"}:
        return str(campaign["$ref"])
    return None if campaign is None else str(campaign)
