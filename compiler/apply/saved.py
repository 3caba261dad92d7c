"""Saved plans: `adflow plan FILE --state S -o changes.json` records what it
decided, so that `adflow apply --plan changes.json` carries out exactly that.

A saved plan is the JSON form of `adflow plan` (`adflow.changes/1`: each
change's key, action, id and fields, and the summary) with three more members:
`state` (`path`, `bytes` and `digest`: the sha256 of the state file's bytes as
the plan read them), `requests` (the compiled requests, as `adflow compile
--emit json` writes them: key, path, body with its `$ref`/`$json` markers,
source and source map) and `text` (the plan's text form, shown before
applying).

A state file is only ever appended to. The plan is fresh while the state
still starts with the bytes it read and every line after them was written by
a run of this same plan (such lines carry `"plan": TAG`, the sha256 of the
saved plan's canonical JSON, cut to 16 digits): that is how a run stopped
half-way (exit 3, a signal) goes on with the same plan. Anything else (another
run, a hand edit) makes it stale: "the saved plan is stale: run adflow plan again".
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..bodies.model import Document
from ..tools import changes

STALE = "the saved plan is stale: run adflow plan again"
TAG_DIGITS = 16


def state_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def saved(document: Document, found: list[changes.Change], state_path: str,
          state_bytes: bytes) -> dict[str, Any]:
    from adflow.emitters.requests import plan_request

    return {**changes.to_json(document, found),
            "state": {"path": state_path, "bytes": len(state_bytes),
                      "digest": state_digest(state_bytes)},
            "requests": [plan_request(r) for r in document.requests],
            "text": changes.render_text(found).splitlines()}


def render(document: Document, found: list[changes.Change], state_path: str,
           state_bytes: bytes) -> str:
    return json.dumps(saved(document, found, state_path, state_bytes),
                      ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True)
class SavedPlan:
    api_version: str
    changes: list[changes.Change]
    requests: list[dict[str, Any]]
    state_path: str
    state_bytes: int
    state_digest: str
    text: list[str]
    tag: str


def load(text: str) -> SavedPlan:
    """ValueError with a message for a file that is not a saved plan."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise ValueError("not JSON: a saved plan is what `adflow plan ... -o changes.json` "
                         "writes") from None
    if not isinstance(data, dict) or data.get("format") != changes.FORMAT:
        raise ValueError(f"not a saved plan ({changes.FORMAT} from `adflow plan ... -o "
                         "changes.json`)")
    state, requests, found = data.get("state"), data.get("requests"), data.get("changes")
    if (not isinstance(state, dict) or not isinstance(requests, list)
            or not isinstance(found, list)):
        raise ValueError("it has no state digest or no requests: write it with `adflow plan "
                         "FILE --state STATE -o changes.json`")
    try:
        decided = [changes.Change(c["key"], c["action"], c.get("id"), tuple(c.get("fields", ())))
                   for c in found]
        if any(c.action not in changes.ACTIONS or not isinstance(c.key, str) for c in decided):
            raise ValueError
        if {c.key for c in decided if c.action != "orphan"} != {r["key"] for r in requests}:
            raise ValueError
        text_lines = [str(line) for line in data.get("text", [])]
        plan = SavedPlan(str(data["api_version"]), decided, requests, str(state["path"]),
                         int(state["bytes"]), str(state["digest"]), text_lines, tag_of(data))
    except (KeyError, TypeError, ValueError):
        raise ValueError("its changes and requests do not fit together (edited by hand?): "
                         "run adflow plan again") from None
    return plan


def tag_of(data: Mapping[str, Any]) -> str:
    return state_digest(changes.canonical(data).encode("utf-8"))[:TAG_DIGITS]


def progress(plan: SavedPlan, state: bytes) -> dict[str, Mapping[str, Any]]:
    """What runs of this plan recorded after the state it read: each key's
    last line holding an id or a pending mark. ValueError(STALE) when the
    state changed otherwise."""
    head = state[:plan.state_bytes]
    if len(head) != plan.state_bytes or state_digest(head) != plan.state_digest:
        raise ValueError(STALE)
    done: dict[str, Mapping[str, Any]] = {}
    for line in state[plan.state_bytes:].decode("utf-8", errors="replace").split("\n"):
        if not line:
            continue
        try:
            entry = json.loads(line)
        except (ValueError, RecursionError):
            raise ValueError(STALE) from None
        if not isinstance(entry, dict) or entry.get("plan") != plan.tag:
            raise ValueError(STALE)
        if "id" in entry or "pending" in entry:
            done[str(entry.get("key"))] = entry
    return done


def request_plan(plan: SavedPlan) -> dict[str, Any]:
    """The compiled requests the plan decided about, as `adflow compile
    --emit json` writes them."""
    from adflow.emitters.requests import FORMAT

    return {"format": FORMAT, "api_version": plan.api_version,
            "requests": [dict(r) for r in plan.requests]}


def decisions(plan: SavedPlan) -> dict[str, Any]:
    """What a saved plan's bundle carries out: each key's action (with the
    id and the fields an update sends), the tag its state lines carry, the
    state it was decided over, and the plan's text."""
    return {"tag": plan.tag,
            "state": {"bytes": plan.state_bytes, "digest": plan.state_digest},
            "changes": {c.key: {"action": c.action, "id": c.id, "fields": list(c.fields)}
                        for c in plan.changes if c.action != "orphan"},
            "text": plan.text}
