"""One object's block under construction, the names the file gives what a
body refers to, and the writer of the field tables' plain rows."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any

from ..bodies import fields
from ..bodies.fields import Field
from ..bodies.model import Document, Request
from ..bodies.wire import loads_embedded
from .text import DIGITS, Names, dsl_string, snake, value_text

MISSING: Any = object()


@dataclass
class Block:
    """The DSL of one request under construction: `rest` is what is still to
    be said; what is left of it at the end is written raw."""

    request: Request
    name: str
    forced: set[str]
    rest: dict[str, Any] = field(init=False)
    lines: list[str] = field(default_factory=list)
    explained: set[str] = field(default_factory=set)  # raw fields a comment already explains

    def __post_init__(self) -> None:
        self.rest = copy.deepcopy(self.request.body)

    def peek(self, *path: str) -> Any:
        if path[0] in self.forced:
            return MISSING
        node: Any = self.rest
        for part in path:
            if not isinstance(node, dict) or part not in node:
                return MISSING
            node = node[part]
        return node

    def drop(self, *path: str) -> None:
        node: Any = self.rest
        for part in path[:-1]:
            node = node[part]
        del node[path[-1]]


class Refs:
    """The names an imported file gives the requests' objects, and the pages
    and Instagram accounts its bodies refer to by id."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.names = Names()
        self.object_names: dict[str, str] = {}  # request key -> DSL name (the first, if repeated)
        self.index_names: list[str] = []  # DSL name of each request, in order
        for request in document.requests:
            suffix = request.key.split(".", 1)[-1]
            wanted = suffix if not suffix.isdigit() and request.key.startswith(
                request.kind + ".") else snake(request.name)
            self.index_names.append(self.names.take(wanted, request.kind))
            self.object_names.setdefault(request.key, self.index_names[-1])
        self.pages: dict[str, str] = {}  # id -> DSL name, of pages used by what is written
        self.instagram: dict[str, str] = {}

    def new_key(self, request: Request) -> str:
        return f"{request.kind}.{self.object_names[request.key]}"

    def ref_text(self, value: Any, kinds: tuple[str, ...]) -> str | None:
        """A name for a `$ref` to an object of the file, else a literal id."""
        if isinstance(value, dict) and set(value) == {"$ref"}:
            target = self.document.get(str(value["$ref"]))
            if target is not None and target.kind in kinds:
                return self.object_names[target.key]
            return None
        if isinstance(value, str) and DIGITS.fullmatch(value):
            if "page" in kinds:
                return self.bind(self.pages, "page", value)
            if "instagram" in kinds:
                return self.bind(self.instagram, "ig", value)
            return value
        return None

    def bind(self, table: dict[str, str], prefix: str, page_id: str) -> str:
        if page_id not in table:
            table[page_id] = self.names.take(f"{prefix}_{page_id}", prefix)
        return table[page_id]

    def remap(self, value: Any) -> Any:
        """`$ref` markers with the keys the imported file gives its objects."""
        if isinstance(value, dict):
            if set(value) == {"$ref"}:
                target = self.document.get(str(value["$ref"]))
                return {"$ref": self.new_key(target)} if target is not None else value
            return {k: self.remap(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.remap(v) for v in value]
        return value


def canonical(value: Any) -> str:
    """Strict equality (1 is not 1.0 nor true); JSON-in-string as decoded JSON."""
    return json.dumps(decode_json_strings(value), sort_keys=True, ensure_ascii=False)


def decode_json_strings(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"$json"}:
            return decode_json_strings(value["$json"])
        return {k: (_maybe_json(v) if k == _WELCOME else decode_json_strings(v))
                for k, v in value.items()}
    if isinstance(value, list):
        return [decode_json_strings(v) for v in value]
    return value


_WELCOME = fields.CREATIVE["welcome"].path  # JSON sent as text


def _maybe_json(value: Any) -> Any:
    if isinstance(value, str) and value.strip()[:1] in ("{", "["):
        try:
            return decode_json_strings(loads_embedded(value))
        except ValueError:
            return value
    return decode_json_strings(value)


# -- the plain rows of the field tables ------------------------------------------------

def write_rows(refs: Refs, obj: Block, rows: dict[str, Field]) -> None:
    """Each row that is not CUSTOM, in the table's order."""
    for row in rows.values():
        if row.kind != fields.CUSTOM:
            write_row(refs, obj, row)


def write_row(refs: Refs, obj: Block, row: Field, base: tuple[str, ...] = ()) -> None:
    """The member line of a row (under `base`), when the body's value is one
    the member gives back exactly; the value is then taken from `obj.rest`.
    A value equal to the row's default is taken without a line."""
    path = base + row.keys
    value = obj.peek(*path)
    if value is MISSING:
        return
    default = obj.name if row.default is fields.IDENTIFIER else row.default
    if default is not fields.NO_DEFAULT and canonical(value) == canonical(default):
        obj.drop(*path)  # the compiler's default: nothing to write
        return
    text: str | None = None
    if row.kind == fields.BLOCK:
        assert row.block is not None
        inner = Block(obj.request, obj.name, set())
        inner.rest = value if isinstance(value, dict) else {}
        write_rows(refs, inner, row.block)
        if inner.lines:
            obj.lines += [f"{row.head} {{", *inner.lines, "}"]
        return  # what the block did not say stays in the value, for `raw`
    if row.kind == fields.REF:
        text = refs.ref_text(value, row.refs)
    elif row.kind == fields.STRING:
        text = dsl_string(value) if isinstance(value, str) else None
    elif row.kind == fields.LIST:
        text = value_text(value) if isinstance(value, list) else None
    elif row.kind == fields.ID:
        text = value if isinstance(value, str) and DIGITS.fullmatch(value) else None
    else:
        text = value_text(value)
    if text is not None:
        obj.lines.append(f"{row.head} {text}")
        obj.drop(*path)


def prune(value: Any) -> Any:
    """Drop the dicts that consumption left empty (a dict that was empty in
    the input comes back through the compile-and-compare round, as raw)."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            pruned = prune(v)
            if pruned != {}:
                out[k] = pruned
        return out
    return value
