"""Change management: what applying a file would change (`adflow plan`).

The bundle's state file is JSON lines, one object per line, the last line for
a key winning. A "done" line records what adflow last set:
`{"key", "id", "path", "digest", "fields"}`, where `path` is the edge it was
created on (its parent: the account or page), `fields` the object's top-level
body as sent (markers resolved) and `digest` the sha256 of its canonical JSON
(sorted keys, no spaces, UTF-8). A `{"key", "pending": true}` marker after it
says a create was sent without a known outcome. Members adflow does not know
are left alone; a line that is not a JSON object with a string key, or a last
line without its line end (cut by a full disk), is damage: `StateError`.

Each request of the compiled file is compared with its record, in creation
order: `create` (no id recorded), `none`, `update` (some top-level fields
differ and Meta lets all of them be edited: facts.edits.EDITABLE_FIELDS) or
`replace` (a new object: also when its parent, the account or page in its
path, changed, as an object cannot move; the ids of objects created or replaced in this plan
are not known yet, so whatever refers to them differs too: an ad whose
creative is replaced gets `update` of `creative`). A key whose last create
has no known outcome is `pending`; keys only in the state are `orphan`.
The bundle's jq program (emitters/templates/bundle_changes.sh.j2) makes the
same decisions at run time; tests hold the two to the same text.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..bodies.model import Document, Request
from ..facts.edits import EDITABLE_FIELDS, READ_BACK_RENAMES

FORMAT = "adflow.changes/1"
ACTIONS = ("create", "update", "replace", "none", "orphan", "pending")
SHOWN_CHARS = 60  # longer values are cut in the text form


@dataclass(frozen=True)
class Record:
    """What the state says about one key."""

    key: str
    id: str | None = None
    digest: str | None = None
    fields: Mapping[str, Any] | None = None  # None: written by a bundle that did not record them
    activated: bool = False
    path: str | None = None  # the edge it was created on; None: not recorded
    pending: bool = False  # a create was sent after the last done line, outcome unknown


@dataclass(frozen=True)
class Change:
    key: str
    action: str
    id: str | None
    fields: tuple[str, ...] = ()
    request: Request | None = None
    old: Mapping[str, Any] = field(default_factory=dict)  # field -> value recorded or read
    new: Mapping[str, Any] = field(default_factory=dict)  # field -> value to send
    drift: tuple[str, ...] = ()  # fields changed outside adflow (--refresh)
    moved_from: str | None = None  # the recorded path, when the file puts it elsewhere


class StateError(Exception):
    """A state file that cannot be used at all: `line` is where (1-based), or 0."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


def what_file_is(text: str) -> str | None:
    """What a file given as the state is, when it is plainly something else
    (the bundle, a plan): None for anything that may be a state."""
    if text.startswith("#!"):
        return "a shell script (the bundle itself?), not its state file"
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if isinstance(value, dict) and isinstance(value.get("format"), str) and "key" not in value:
        return f"an {clean(value['format'])} file, not a bundle's state file"
    return None


# An id as the bundle's jq takes it: ASCII digits only (str.isdigit() also
# takes "²" and "١"), nothing before or after.
_ID = re.compile(r"[0-9]+")


def _is_state_line(entry: Any) -> bool:
    return isinstance(entry, dict) and isinstance(entry.get("key"), str)


def _state_entry(line: str) -> Any:
    """A line's JSON value as the bundle's jq reads it (`fromjson`), None where
    jq finds none: jq skips a byte order mark before it (an editor's) and
    refuses a lone surrogate, which is no text, and nesting past its limit."""
    try:
        entry = json.loads(line.removeprefix("\ufeff"))
        json.dumps(entry, ensure_ascii=False).encode("utf-8")
    except (ValueError, RecursionError):  # UnicodeEncodeError included
        return None
    return entry if _jq_depth(entry) <= JQ_MAX_DEPTH else None


# jq 1.6 parses no deeper (its MAX_PARSING_DEPTH): an array takes one level
# of its stack, an object two (itself and the key being read).
JQ_MAX_DEPTH = 256


def _jq_depth(value: Any) -> int:
    """How deep jq's parser goes for `value`, counted without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            deepest = max(deepest, depth + 2)
            stack.extend((v, depth + 2) for v in item.values())
        elif isinstance(item, list):
            deepest = max(deepest, depth + 1)
            stack.extend((v, depth + 1) for v in item)
    return deepest


def read_state(text: str) -> dict[str, Record]:
    """Records by key, in the order keys first appear. Members and kinds of
    lines this version does not know are passed over; a damaged line (see
    the module's docstring) is a StateError naming it, never "not created"."""
    kind = what_file_is(text)
    if kind is not None:
        raise StateError(f"this is {kind}")
    lines = text.split("\n")
    if lines[-1] != "":
        raise StateError("damaged: the last line is cut off (no line end: a full disk or a "
                         "size limit?)", len(lines))
    records: dict[str, Record] = {}
    for number, line in enumerate(lines[:-1], 1):
        if line == "":
            continue
        entry = _state_entry(line)
        if not _is_state_line(entry):
            raise StateError("damaged: not a state line (a JSON object with a \"key\")", number)
        key = entry["key"]
        old = records.get(key, Record(key))
        new_id = entry.get("id")
        if isinstance(new_id, str) and _ID.fullmatch(new_id):
            fields = entry.get("fields")
            digest = entry.get("digest")
            path = entry.get("path")
            # An update keeps the object (and --activate's ACTIVE); a replace does not.
            records[key] = Record(key, new_id, digest if isinstance(digest, str) else None,
                                  fields if isinstance(fields, dict) else None,
                                  activated=old.activated and old.id == new_id,
                                  path=path if isinstance(path, str) else None)
        elif entry.get("pending") is True:
            records[key] = replace(old, pending=True)
        elif "id" in entry or "pending" in entry:  # answered with an error: nothing created
            records[key] = replace(old, pending=False)
        elif entry.get("activated") is True:
            records[key] = replace(old, activated=True)
        else:
            records.setdefault(key, old)
    return records


def canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest(body: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()


def compact(value: Any) -> str:
    """JSON as jq's `tojson` writes it (jq escapes DEL, Python does not)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("\x7f", "\\u007f")


def resolve(value: Any, ids: Mapping[str, str]) -> Any:
    """A body as it would be sent; an id not known yet is shown as
    `(new id of KEY)`, as the bundle's dry run shows it."""
    if isinstance(value, dict):
        if set(value) == {"$ref"} and isinstance(value["$ref"], str):
            return ids.get(value["$ref"], f"(new id of {value['$ref']})")
        if set(value) == {"$json"}:
            return compact(resolve(value["$json"], ids))
        return {k: resolve(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, ids) for v in value]
    return value


def same(planned: Any, sent: Any, ids: Mapping[str, str]) -> bool:
    """Does a body value with markers equal what was sent? `$json` text is
    compared by meaning, so the JSON writer's spacing never shows as a change."""
    if isinstance(planned, dict) and set(planned) == {"$ref"}:
        known = ids.get(planned["$ref"])
        return known is not None and known == sent
    if isinstance(planned, dict) and set(planned) == {"$json"}:
        if not isinstance(sent, str):
            return False
        try:
            parsed = json.loads(sent)
        except ValueError:
            return False
        return same(planned["$json"], parsed, ids)
    if isinstance(planned, dict):
        return (isinstance(sent, dict) and planned.keys() == sent.keys()
                and all(same(v, sent[k], ids) for k, v in planned.items()))
    if isinstance(planned, list):
        return (isinstance(sent, list) and len(planned) == len(sent)
                and all(same(a, b, ids) for a, b in zip(planned, sent, strict=True)))
    if isinstance(planned, bool) or isinstance(sent, bool):
        return planned is sent
    if isinstance(planned, (int, float)) and isinstance(sent, (int, float)):
        return _double(planned) == _double(sent)
    return type(planned) is type(sent) and planned == sent


def _double(number: float) -> float:
    """Numbers as jq holds them (doubles), so the bundle's jq and this module
    agree even on integers past 2**53."""
    try:
        return float(number)
    except OverflowError:
        return float("inf") if number > 0 else float("-inf")


def matches_live(sent: Any, live: Any, renames: Mapping[str, str] = {}) -> bool:
    """Does what Meta reads back still say what adflow sent? Tolerates the
    read-back shapes in facts (numbers as text, arrays in any order, keys
    Meta adds, JSON text)."""
    if isinstance(sent, dict):
        if not isinstance(live, dict):
            return False
        for k, v in sent.items():
            name = renames.get(k, k) if renames.get(k, k) in live else k
            if name not in live or not matches_live(v, live[name]):
                return False
        return True
    if isinstance(sent, list):
        if not isinstance(live, list) or len(sent) != len(live):
            return False
        rest = list(live)
        for item in sent:
            found = next((i for i, x in enumerate(rest) if matches_live(item, x)), None)
            if found is None:
                return False
            rest.pop(found)
        return True
    if isinstance(sent, bool) or isinstance(live, bool):
        return sent is live
    if isinstance(sent, (int, float)) and isinstance(live, (int, float, str)):
        try:
            return float(live) == float(sent)
        except ValueError:
            return False
    if isinstance(sent, str) and isinstance(live, str) and sent != live:
        try:
            return matches_live(json.loads(sent), json.loads(live))
        except ValueError:
            return False
    return bool(sent == live)


def drifted(request: Request, record: Record, live: Mapping[str, Any]) -> list[str]:
    """Recorded fields that Meta now reads back differently."""
    assert record.fields is not None
    found = []
    for name, sent in record.fields.items():
        if name not in live:
            continue
        if name == "status" and record.activated and live[name] == "ACTIVE":
            continue  # --activate set it on purpose
        if not matches_live(sent, live[name], READ_BACK_RENAMES.get((request.kind, name), {})):
            found.append(name)
    return found


def plan_changes(document: Document, state: Mapping[str, Record],
                 live: Mapping[str, Mapping[str, Any]] | None = None) -> list[Change]:
    """The changes in creation order, then the orphans in state order.
    `live`: key -> fields read from Meta (`--refresh`)."""
    ids = {key: r.id for key, r in state.items() if r.id is not None}
    changes = []
    for request in document.requests:
        record = state.get(request.key)
        if record is not None and record.pending:  # the bundle stops here until told
            ids.pop(request.key, None)
            changes.append(Change(request.key, "pending", record.id, request=request))
            continue
        if record is None or record.id is None:
            ids.pop(request.key, None)
            changes.append(Change(request.key, "create", None, request=request,
                                  new=resolve(request.body, ids)))
            continue
        # The parent (account, page) is part of what an object is: it cannot move.
        moved = record.path if record.path not in (None, request.path) else None
        if record.fields is None and moved is None:  # an older bundle's line: nothing to compare
            changes.append(Change(request.key, "none", record.id, request=request))
            continue
        recorded = record.fields or {}
        body = {k: v for k, v in request.body.items() if k != "execution_options"}
        differ = [k for k, v in body.items()
                  if k not in recorded or not same(v, recorded[k], ids)]
        differ += [k for k in recorded if k not in body]  # a POST cannot remove a field
        if record.fields is None:
            differ = []
        old = dict(recorded)
        drift: list[str] = []
        if live is not None and request.key in live and record.fields is not None:
            drift = drifted(request, record, live[request.key])
            for name in drift:
                old[name] = live[request.key][name]
            differ += [name for name in drift if name not in differ]
        new = resolve(body, ids)
        if not differ and moved is None:
            changes.append(Change(request.key, "none", record.id, request=request))
            continue
        editable = EDITABLE_FIELDS.get(request.kind, frozenset())
        action = "update" if moved is None and all(k in editable and k in body
                                                   for k in differ) else "replace"
        if action == "replace":
            ids.pop(request.key, None)  # the new id is not known until it is created
        changes.append(Change(request.key, action, record.id, tuple(differ), request,
                              {k: old[k] for k in differ if k in old},
                              {k: new[k] for k in differ if k in new}, tuple(drift), moved))
    wanted = {r.key for r in document.requests}
    for key, record in state.items():
        if key not in wanted and record.id is not None:
            changes.append(Change(key, "orphan", record.id))
    return changes


def summary(changes: Iterable[Change]) -> dict[str, int]:
    counts = dict.fromkeys(ACTIONS, 0)
    for change in changes:
        counts[change.action] += 1
    return counts


def to_json(document: Document, changes: list[Change]) -> dict[str, Any]:
    def source(change: Change) -> dict[str, Any] | None:
        if change.request is None:
            return None
        span = change.request.span
        return {"file": span.file, "line": span.line, "column": span.column}

    return {"format": FORMAT, "api_version": document.api_version,
            "changes": [{"key": c.key, "action": c.action, "id": c.id, "fields": list(c.fields),
                         "moved_from": c.moved_from, "source": source(c)} for c in changes],
            "summary": summary(changes)}


def render_json(document: Document, changes: list[Change]) -> str:
    return json.dumps(to_json(document, changes), ensure_ascii=False, indent=2) + "\n"


def clean(text: str) -> str:
    """Text safe for a terminal: the bundle's jq `clean` (controls, C1, line
    and paragraph separators and bidi controls become `?`)."""
    return "".join("?" if (c < " " or "\x7f" <= c < "\xa0" or c in "\u2028\u2029"
                           or "\u202a" <= c <= "\u202e" or "\u2066" <= c <= "\u2069") else c
                   for c in text)


def shown(value: Any) -> str:
    text = compact(value)
    if len(text) > SHOWN_CHARS:
        text = text[:SHOWN_CHARS - 3] + "..."
    return clean(text)


_MARKS = {"create": "+", "update": "~", "replace": "-/+", "orphan": "?", "pending": "!"}
_PLAIN_WORD = re.compile(r"[A-Za-z0-9._/:@%+,=-]+")


def shell_word(text: str) -> str:
    """`text` as one word to paste into bash: as it is when plain, else in
    single quotes (the bundle's jq `shq` does the same)."""
    if _PLAIN_WORD.fullmatch(text):
        return text
    return "'" + text.replace("'", "'\\''") + "'"


def pending_text(key: str) -> str:
    """What to do about a create whose outcome is unknown (the bundle's jq
    prints the same words)."""
    word = shell_word(key)
    return (f"pending: sent by an earlier run that got no answer, it may exist at Meta; "
            f"look it up, then run the bundle with --assume-created {word}=ID (it exists) "
            "or --retry-unknown (it does not)")


def parent(path: str) -> str:
    return path.split("/", 1)[0]

_UNSET = object()


def _both_parsed(old: Any, new: Any) -> tuple[Any, Any]:
    """JSON text on both sides (page_welcome_message) is compared inside."""
    if isinstance(old, str) and isinstance(new, str):
        try:
            a, b = json.loads(old), json.loads(new)
        except ValueError:
            return old, new
        if type(a) is type(b) and isinstance(a, (dict, list)):
            return a, b
    return old, new


def leaf_changes(old: Any, new: Any, path: str) -> list[tuple[str, Any, Any]]:
    """(dotted path, old, new) of each innermost difference, so a reviewer
    sees the welcome text that changed rather than two cut-off stories."""
    if old is _UNSET or new is _UNSET:
        return [(path, old, new)]
    a, b = _both_parsed(old, new)
    if isinstance(a, dict) and isinstance(b, dict):
        keys = [*b, *(k for k in a if k not in b)]
        return [d for k in keys
                for d in leaf_changes(a.get(k, _UNSET), b.get(k, _UNSET), f"{path}.{k}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True))
                for d in leaf_changes(x, y, f"{path}.{i}")]
    return [] if same(b, a, {}) else [(path, old, new)]


def text_lines(changes: list[Change]) -> list[str]:
    """Terraform-like lines, one per changed value; `none` is only counted."""
    lines = []
    for c in changes:
        mark, key = _MARKS.get(c.action), clean(c.key)
        if c.action == "create":
            lines.append(f"{mark} {key}: create")
        elif c.action == "pending":
            lines.append(clean(f"{mark} {c.key}: {pending_text(c.key)}"))
        elif c.action == "orphan":
            lines.append(f"{mark} {key}: id {c.id} is in the state but not in the file: "
                         "left alone")
        elif c.action in ("update", "replace"):
            kind = c.request.kind if c.request is not None else ""
            if c.moved_from is not None and c.request is not None:
                lines.append(f"{mark} {key}: parent {clean(parent(c.moved_from))} -> "
                             f"{clean(parent(c.request.path))} (an object cannot move: replace)")
            for name in c.fields:
                note = ""
                if name in c.drift:
                    note = " (changed outside adflow)"
                elif c.action == "replace" and name not in c.new:
                    note = " (cannot be removed: replace)"
                elif c.action == "replace" and name not in EDITABLE_FIELDS.get(kind, ()):
                    note = " (cannot be edited: replace)"
                for path, old, new in leaf_changes(c.old.get(name, _UNSET),
                                                   c.new.get(name, _UNSET), name):
                    was = "(unset)" if old is _UNSET else shown(old)
                    will = "(unset)" if new is _UNSET else shown(new)
                    lines.append(f"{mark} {key}: {clean(path)} {was} -> {will}{note}")
    return lines


def summary_line(counts: Mapping[str, int]) -> str:
    pending = f", {counts['pending']} pending" if counts["pending"] else ""
    return (f"Plan: {counts['create']} to create, {counts['update']} to update, "
            f"{counts['replace']} to replace, {counts['none']} unchanged, "
            f"{counts['orphan']} orphaned{pending}.")


def render_text(changes: list[Change]) -> str:
    return "".join(line + "\n" for line in [*text_lines(changes),
                                             summary_line(summary(changes))])


def _cell(text: str) -> str:
    return clean(text).replace("\\", "\\\\").replace("|", "\\|").replace("`", "'")


def render_markdown(document: Document, changes: list[Change]) -> str:
    """For a pull-request comment: the summary line, then a table of what changes."""
    lines = [f"**adflow plan** for `{_cell(document.path)}` (API {_cell(document.api_version)}): "
             + summary_line(summary(changes)).removeprefix("Plan: "), ""]
    shown_changes = [c for c in changes if c.action != "none"]
    if not shown_changes:
        lines.append("No changes: every object matches the state.")
        return "\n".join(lines) + "\n"
    lines += ["| action | object | id | fields | line |", "|---|---|---|---|---|"]
    for c in shown_changes:
        line = str(c.request.span.line) if c.request is not None else ""
        moved = ["parent"] if c.moved_from is not None else []
        fields = ", ".join(f"`{_cell(f)}`" for f in [*moved, *c.fields])
        lines.append(f"| {c.action} | `{_cell(c.key)}` | {c.id or ''} | {fields} | {line} |")
    lines += [f"\n`{_cell(c.key)}`: {_cell(pending_text(c.key))}"
              for c in shown_changes if c.action == "pending"]
    return "\n".join(lines) + "\n"


# -- reading the live objects (--refresh) ---------------------------------------------------------

DEFAULT_GRAPH_URL = "https://graph.facebook.com"
READ_TIMEOUT = 60
# Far above any object Meta answers with: what is past it is not read.
MAX_ANSWER_BYTES = 10 * 1024 * 1024


class RefreshError(Exception):
    """Meta could not be asked, or refused: the message never holds the token.
    `error` is the Graph error envelope's `error`, when Meta sent one."""

    def __init__(self, message: str, error: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.error = error or {}


def graph_error_text(answer: Any) -> str:
    """`Graph API error CODE/SUBCODE: message (error_user_msg)` from an envelope."""
    error = answer.get("error") if isinstance(answer, dict) else None
    if not isinstance(error, dict):
        return "an answer that is not a Graph API error"
    code = error.get("code", "?")
    sub = error.get("error_subcode")
    text = f"Graph API error {code}" + (f"/{sub}" if sub is not None else "")
    text += f": {error.get('message', '')}"
    if error.get("error_user_msg"):
        text += f" ({error['error_user_msg']})"
    return clean(text)


def _answer_json(data: bytes) -> Any:
    """An answer's JSON; ValueError for one larger than MAX_ANSWER_BYTES (read
    up to one byte more) or nested past what Python's parser takes."""
    if len(data) > MAX_ANSWER_BYTES:
        raise ValueError(f"the answer is larger than {MAX_ANSWER_BYTES:,} bytes")
    try:
        return json.loads(data)
    except RecursionError:
        raise ValueError("the answer is nested too deep") from None


def read_object(url: str, token: str, where: str) -> dict[str, Any]:
    """One `GET url`, the token in the Authorization header only; the answer
    as a JSON object, or RefreshError starting with `where`. A redirect is
    not followed (it would carry the token to another origin, or to http://,
    as the bundle's curl follows none) and no message shows the token."""
    import urllib.error
    import urllib.request

    class NoRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    def hidden(text: str) -> str:  # Meta's message may quote what it was sent
        return text.replace(token, "<redacted>") if token else text

    ask = urllib.request.Request(url, headers={"Authorization": f"OAuth {token}"})
    error = None
    try:
        with urllib.request.build_opener(NoRedirects()).open(ask, timeout=READ_TIMEOUT) as got:
            value = _answer_json(got.read(MAX_ANSWER_BYTES + 1))
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:
            target = clean(str(exc.headers.get("Location", "?")))
            raise RefreshError(hidden(f"{where}: HTTP {exc.code}, a redirect to {target}: not "
                                      "followed (the token never leaves GRAPH_API_URL)")) from None
        try:
            value = _answer_json(exc.read(MAX_ANSWER_BYTES + 1))
        except ValueError:
            raise RefreshError(f"{where}: HTTP {exc.code}") from None
        error = error_of(value) or {}
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise RefreshError(hidden(f"{where}: {clean(str(reason))}")) from None
    if not isinstance(value, dict):
        raise RefreshError(f"{where}: the answer is not a JSON object")
    if error is not None or "error" in value:
        raise RefreshError(hidden(f"{where}: {graph_error_text(value)}"), error_of(value))
    return value


def read_live(document: Document, state: Mapping[str, Record], base_url: str,
              token: str) -> dict[str, dict[str, Any]]:
    """`GET /{id}?fields=...` for each object of the file with recorded fields."""
    import urllib.parse

    live: dict[str, dict[str, Any]] = {}
    for request in document.requests:
        record = state.get(request.key)
        if record is None or record.id is None or not record.fields:
            continue
        query = urllib.parse.urlencode({"fields": ",".join(record.fields)})
        url = f"{base_url.rstrip('/')}/{document.api_version}/{record.id}?{query}"
        live[request.key] = read_object(url, token,
                                        f"cannot read {clean(request.key)} (id {record.id})")
    return live


# -- Meta's errors mapped to lines ----------------------------------------------------------------


def error_of(answer: Any) -> dict[str, Any] | None:
    error = answer.get("error") if isinstance(answer, dict) else None
    return error if isinstance(error, dict) else None


def blamed_paths(error: Mapping[str, Any]) -> list[list[str]]:
    """`error_data.blame_field_specs` (error_data sometimes arrives as JSON text)."""
    data = error.get("error_data")
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError:
            return []
    specs = data.get("blame_field_specs") if isinstance(data, dict) else None
    if not isinstance(specs, list):
        return []
    return [[str(p) for p in spec] for spec in specs
            if isinstance(spec, list) and spec and all(isinstance(p, (str, int)) for p in spec)]


def place_of(request: Mapping[str, Any], path: list[str] | None) -> tuple[str, int, int]:
    """Where a blamed field was written, from a plan request's source map:
    the field itself, else the first field written inside it (a blamed
    `targeting.geo_locations` is the `countries` line), else the closest
    field around it, else the object's line. The bundle does the same in jq."""
    from ..front.source import pointer

    source = request.get("source") or {}
    written = request.get("source_map") or {}
    found = None
    if path:
        ptr = pointer(*path)
        found = written.get(ptr) or next(
            (span for p, span in written.items() if p.startswith(ptr + "/")), None)
        while found is None and "/" in ptr[1:]:
            ptr = ptr[:ptr.rfind("/")]
            found = written.get(ptr)
    line, column = (found or source).get("line", 1), (found or source).get("column", 1)
    return str(source.get("file", "?")), int(line), int(column)


def explain_error(plan: Mapping[str, Any], answer: Any, key: str | None = None) -> list[str]:
    """`FILE:LINE:COL: Graph API error CODE/SUBCODE: message (error_user_msg)`
    for the request that failed: `key`, else every request holding the blamed
    field. ValueError when the error cannot be placed."""
    from ..facts.errors import ERROR_SUBCODES

    error = error_of(answer)
    if error is None:
        raise ValueError("the file is not a Graph API error response ({\"error\": {...}})")
    requests = [r for r in plan.get("requests", []) if isinstance(r, dict)]
    # What --key takes, so the message needs no trip into the plan.
    choices = ", ".join(f"--key {k}" for r in requests if isinstance(k := r.get("key"), str))
    paths = blamed_paths(error)
    first = paths[0] if paths else None
    if key is not None:
        chosen = [r for r in requests if r.get("key") == key]
        if not chosen:
            raise ValueError(f"the plan has no request {key!r}"
                             + (f": name one with {choices}" if choices else ""))
    elif first is not None:
        chosen = [r for r in requests if _holds(r.get("body"), first)]
        if not chosen:
            raise ValueError(f"no request of the plan has the blamed field {'.'.join(first)}; "
                             f"name the request with one of {choices or '--key KEY'}")
    else:
        raise ValueError("the error blames no field: name the request that failed with "
                         f"one of {choices}" if choices else
                         "the error blames no field, and the plan has no requests")
    text = graph_error_text(answer)
    lines = []
    for request in chosen:
        file, line, column = place_of(request, first)
        lines.append(f"{clean(file)}:{line}:{column}: {text}")
        meaning = ERROR_SUBCODES.get(error.get("error_subcode"))  # type: ignore[arg-type]
        if meaning:
            lines.append(f"  note: {meaning}")
    return lines


def _holds(body: Any, path: list[str]) -> bool:
    for part in path:
        if isinstance(body, dict) and part in body:
            body = body[part]
        elif isinstance(body, list) and part.isdigit() and int(part) < len(body):
            body = body[int(part)]
        else:
            return False
    return True
