"""The typed syntax tree of an adflow file: frozen dataclasses, a span on
every node. Built by `lower` from the parse tree; nothing here knows Lark."""

from __future__ import annotations

from ..records import record
from .source import Span


@record(frozen=True, slots=True)
class Ident:
    text: str
    span: Span


@record(frozen=True, slots=True)
class Str:
    value: str
    span: Span


@record(frozen=True, slots=True)
class Num:
    text: str
    value: int | float
    span: Span


@record(frozen=True, slots=True)
class ListValue:
    items: tuple[Value, ...]
    span: Span


Value = Ident | Str | Num | ListValue
# A reference to another object: its name, or a literal id of an object that
# already exists at Meta.
Ref = Ident | Str | Num


@record(frozen=True, slots=True)
class Arrow:
    """`-> target`: the next step, or a call to action's destination."""

    target: Ref
    span: Span


@record(frozen=True, slots=True)
class Pair:
    """`=> value`: the second half of a `"title" => "response"` pair."""

    value: Value
    span: Span


Arg = Ident | Str | Num | ListValue | Arrow | Pair


@record(frozen=True, slots=True)
class Member:
    head: Ident | Str
    args: tuple[Arg, ...]
    block: Block | None
    span: Span


@record(frozen=True, slots=True)
class JsonValue:
    """A plain JSON value from a `raw` member, with its span. `value` is the
    decoded Python value; `children` maps keys / indexes to nested nodes."""

    value: object
    span: Span
    children: tuple[tuple[str | int, JsonValue], ...] = ()


@record(frozen=True, slots=True)
class Raw:
    name: Ident
    value: JsonValue
    span: Span


@record(frozen=True, slots=True)
class Block:
    members: tuple[Member | Raw, ...]
    span: Span


@record(frozen=True, slots=True)
class ApiDecl:
    version: str
    span: Span


@record(frozen=True, slots=True)
class AccountDecl:
    ref: Ref
    span: Span


@record(frozen=True, slots=True)
class PageDecl:
    """`page NAME ID` or `instagram NAME ID`: a name bound to an existing id."""

    kind: str  # "page" | "instagram"
    name: Ident
    ref: Ref
    span: Span


@record(frozen=True, slots=True)
class UseDecl:
    """`use "file.adflow"`: the definitions of another file, by its path
    relative to this one."""

    path: Str
    span: Span


@record(frozen=True, slots=True)
class ObjectDecl:
    """`campaign`, `adset ... in`, `creative`, `ad`, `lead_form ... on`, and
    `market` (not an object at Meta: what the others are made once for)."""

    kind: str
    name: Ident
    parent: Ref | None
    block: Block
    span: Span


Decl = ApiDecl | AccountDecl | PageDecl | UseDecl | ObjectDecl


@record(frozen=True, slots=True)
class File:
    decls: tuple[Decl, ...]
    span: Span
