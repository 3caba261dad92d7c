"""Reading a block's members into a request body: the small vocabulary the
handlers in `handlers` and `welcome` are derived from and written in."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..findings.diagnostics import Diagnostic
from ..findings.suggest import rename
from ..front import ast
from ..front.source import Span, pointer
from ..records import field, record, replace
from ..rules.refs import R008
from ..rules.syntax import S007
from .queries import get

TYPE_CHECKING = False  # typing is for mypy alone: importing it costs a quick check 4 ms
if TYPE_CHECKING:
    from typing import Any, Protocol

    class Resolving(Protocol):
        """What reading members needs of the resolver (`resolve.Resolver`): a
        protocol, so the readers need not import the resolver that calls them."""

        diagnostics: list[Diagnostic]
        includes: list[str]  # other files read (catalogues)

        def error(self, rule: Any, span: Span, message: str, **kw: Any) -> None: ...

        def unknown(self, where: str, word: ast.Ident | ast.Str, known: Iterable[str],
                    written: Iterable[str] = ()) -> str | None: ...

        def literal_id(self, ref: ast.Ref) -> str: ...

        def ref(self, ref: ast.Ref, kinds: tuple[str, ...]) -> Any: ...

        def once(self, seen: dict[str, Span], head: ast.Ident | ast.Str, where: str) -> bool: ...


Path = tuple[str | int, ...]


def names_a_file(r: Resolving, name: ast.Str, what: str) -> bool:
    """Whether a file name written in the file (`use "..."`, a catalogue)
    can name a file at all; if not, R008 says so where it is written."""
    if name.value and "\0" not in name.value:
        return True
    r.error(R008, name.span, f"cannot read {what} '{name.value}': "
                             + ("a file name cannot hold a NUL character" if name.value
                                else "the file name is empty"))
    return False


class Body:
    """A request body under construction, with its source map."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        self.spans: dict[str, Span] = {}

    def set(self, path: Path, value: Any, span: Span) -> None:
        node: Any = self.data
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = value
        self.spans[pointer(*path)] = span

    def get(self, path: Path) -> Any:
        return get(self.data, *path)

    def note(self, path: Path, span: Span) -> None:
        self.spans[pointer(*path)] = span

    def merge_raw(self, raw: ast.Raw) -> None:
        """`raw NAME <json>`: set a top-level key, merging into objects the
        language already built so both halves are sent."""
        name = raw.name.text
        existing = self.data.get(name)
        if isinstance(existing, dict) and isinstance(raw.value.value, dict):
            _deep_merge(existing, raw.value.value)
        else:
            self.data[name] = raw.value.value
        self._note_json((name,), raw.value)

    def _note_json(self, path: Path, node: ast.JsonValue) -> None:
        self.spans[pointer(*path)] = node.span
        for key, child in node.children:
            self._note_json(path + (key,), child)


def _deep_merge(into: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(into.get(key), dict) and isinstance(value, dict):
            _deep_merge(into[key], value)
        else:
            into[key] = value


# -- values --------------------------------------------------------------------

def word(value: ast.Arg) -> str | None:
    """An enum-like value: a bare name or a string."""
    if isinstance(value, ast.Ident):
        return value.text
    if isinstance(value, ast.Str):
        return value.value
    return None


def plain(value: ast.Value) -> Any:
    """A value as JSON: names and strings are strings, numbers stay numbers,
    `true` / `false` are booleans."""
    if isinstance(value, ast.Ident):
        return {"true": True, "false": False}.get(value.text, value.text)
    if isinstance(value, ast.Str):
        return value.value
    if isinstance(value, ast.Num):
        return value.value
    return [plain(item) for item in value.items]


def head_text(member: ast.Member) -> str:
    return member.head.text if isinstance(member.head, ast.Ident) else member.head.value


class Args:
    """Reads a member's arguments, reporting S007 for the wrong shape."""

    def __init__(self, r: Resolving, member: ast.Member) -> None:
        self.r = r
        self.member = member
        self.items = list(member.args)

    @property
    def name(self) -> str:
        return head_text(self.member)

    def one(self) -> ast.Arg | None:
        if len(self.items) != 1:
            where = self.items[1].span if len(self.items) > 1 else self.member.span
            self.r.error(S007, where,
                         f"'{self.name}' takes one value" + ("" if self.items else ", none given"))
            return self.items[0] if self.items else None
        return self.items[0]

    def value(self) -> tuple[Any, Span] | None:
        arg = self.one()
        if arg is None:
            return None
        if isinstance(arg, (ast.Arrow, ast.Pair)):
            self.r.error(S007, arg.span, f"'{self.name}' takes a value here, not an arrow")
            return None
        return plain(arg), arg.span

    def string(self) -> tuple[str, Span] | None:
        arg = self.one()
        if arg is None:
            return None
        if not isinstance(arg, ast.Str):
            self.r.error(S007, arg.span, f"'{self.name}' takes a quoted string")
            return None
        return arg.value, arg.span

    def words(self) -> tuple[list[Any], Span] | None:
        """A list, or a single value taken as a one-item list."""
        got = self.value()
        if got is None:
            return None
        value, span = got
        return (value if isinstance(value, list) else [value]), span

    def pairs(self, names: Iterable[str] = ()) -> dict[str, tuple[Any, Span]]:
        """`key value key value ...` after the head; `names`: the keys it takes."""
        out: dict[str, tuple[Any, Span]] = {}
        items = self.items
        i = 0
        while i < len(items):
            key = items[i]
            if not isinstance(key, ast.Ident) or i + 1 >= len(items) or isinstance(
                    items[i + 1], (ast.Arrow, ast.Pair)):
                listed = ", ".join(names)
                self.r.error(S007, key.span, f"expected `name value` pairs after '{self.name}'"
                             + (f": {listed}" if listed else ""))
                break
            out[key.text] = (plain(items[i + 1]), items[i + 1].span)  # type: ignore[arg-type]
            i += 2
        return out


Handler = Callable[["Resolving", ast.Member, Body, "Ctx"], None]


@record
class Ctx:
    """Where a block's members go: a path prefix, and state shared by the
    members of one object (e.g. which media a creative uses)."""

    where: str
    prefix: Path = ()
    state: dict[str, Any] = field(default_factory=dict)
    keywords: tuple[str, ...] = ()  # other words the block takes (a lead form's steps)


# Words people write for a yes or a no, read as the language's `true` / `false`.
_MEANT_BOOLEAN = {"yes": "true", "on": "true", "1": "true", "no": "false", "off": "false",
                  "0": "false"}


def scalar(path: Path, kind: str = "value") -> Handler:
    """kind "boolean": a value that is `true` or `false`, said in those words."""
    def handle(r: Resolving, m: ast.Member, body: Body, ctx: Ctx) -> None:
        args = Args(r, m)
        got = args.string() if kind == "string" else (
            args.words() if kind == "list" else args.value())
        if got is not None and kind == "boolean" and got[0] not in (True, False, "true",
                                                                    "false"):
            # Still set as written, so no rule reports the field as missing.
            name, written = head_text(m), str(got[0])
            meant = _MEANT_BOOLEAN.get(written.lower())
            r.error(S007, got[1], f"{name} takes true or false, not {written!r}",
                    help=f"write `{name} true` or `{name} false`",
                    fix=rename(got[1], written, meant, safe=False) if meant else None)
        if got is not None:
            body.set(ctx.prefix + path, got[0], got[1])
            if kind == "list" and m.args and isinstance(m.args[0], ast.ListValue):
                for i, item in enumerate(m.args[0].items):  # findings point at the item
                    body.note(ctx.prefix + path + (i,), item.span)
    return handle


def reference(path: Path, kinds: tuple[str, ...],
              wrap: Callable[[Any], Any] = lambda v: v) -> Handler:
    def handle(r: Resolving, m: ast.Member, body: Body, ctx: Ctx) -> None:
        arg = Args(r, m).one()
        if arg is None or isinstance(arg, (ast.Arrow, ast.Pair, ast.ListValue)):
            if arg is not None:
                r.error(S007, arg.span, f"'{head_text(m)}' takes a name or an id")
            return
        target = r.ref(arg, kinds)
        if target is not None:
            body.set(ctx.prefix + path, wrap(target), arg.span)
    return handle


def read_block(r: Resolving, block: ast.Block, body: Body, ctx: Ctx,
               table: dict[str, Handler]) -> None:
    seen: dict[str, Span] = {}
    for member in block.members:
        if isinstance(member, ast.Raw):
            if ctx.prefix:
                r.error(S007, member.span, "`raw` is allowed only at the top of an object",
                        help="write the whole top-level field, e.g. raw targeting {...}")
                continue
            body.merge_raw(member)
            continue
        name = head_text(member)
        handler = table.get(name)
        if handler is None or isinstance(member.head, ast.Str):
            written = {head_text(m) for m in block.members if isinstance(m, ast.Member)}
            meant = r.unknown(ctx.where, member.head, [*table, *ctx.keywords], written)
            if meant not in table:
                continue
            # Read it as the field it misspells: what follows from the typo
            # alone (a "missing" field) is then not reported.
            handler = table[meant]
            member = replace(member, head=ast.Ident(meant, member.head.span))
        if r.once(seen, member.head, ctx.where):
            handler(r, member, body, ctx)


def ident_value(path: Path) -> Handler:
    """An id of an existing object (pixel, product set, app): kept a string."""
    def handle(r: Resolving, m: ast.Member, body: Body, ctx: Ctx) -> None:
        arg = Args(r, m).one()
        if isinstance(arg, (ast.Num, ast.Str, ast.Ident)):
            body.set(ctx.prefix + path, r.literal_id(arg), arg.span)
        elif arg is not None:
            r.error(S007, arg.span, f"'{head_text(m)}' takes an id")
    return handle


def nested(table: dict[str, Handler], prefix: Path, where: str) -> Handler:
    def handle(r: Resolving, m: ast.Member, body: Body, ctx: Ctx) -> None:
        if m.args or m.block is None:
            r.error(S007, m.span, f"'{head_text(m)}' takes a block {{ ... }}")
            return
        body.note(ctx.prefix + prefix, m.span)
        read_block(r, m.block, body, Ctx(where, ctx.prefix + prefix, ctx.state), table)
    return handle
