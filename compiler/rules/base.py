"""What a rule is: a code, a name, a default severity, a one-line summary and
its documentation (the check's docstring, with a bad and a good example)."""

from __future__ import annotations

import json as json_module
from collections.abc import Callable, Iterable, Iterator, Mapping

from ..bodies import fields
from ..facts.versions import SDK_API_VERSION
from ..findings.diagnostics import Diagnostic, Fix, Note, Severity
from ..front.source import Span
from ..lean import overload
from ..records import record

TYPE_CHECKING = False  # typing is for mypy alone: importing it costs a quick check 4 ms
if TYPE_CHECKING:
    from typing import Any

    from ..bodies.model import Document, Request

# A check takes the document and, as keywords, the settings named in its
# rule's `options` (e.g. F019's max_questions).
Check = Callable[..., Iterable[Diagnostic]]

ERROR = Severity.ERROR
WARNING = Severity.WARNING
INFO = Severity.INFO


@record(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    doc: str = ""
    check: Check | None = None
    options: tuple[str, ...] = ()  # settings (attributes of limits.Limits) the check takes
    # A code reported by a front end (no `check`): the files that report it.
    raised_in: tuple[str, ...] = ()
    # Why an error is an error: Meta's error code/subcode with its message, a
    # documented requirement (a public URL) or the changelog version that made
    # it so. An ERROR rule without evidence is a bug (tests/test_ruledocs.py).
    evidence: tuple[str, ...] = ()

    def diag(self, span: Span, message: str, *, help: str | None = None,
             notes: Iterable[Note] = (), name: str | None = None,
             severity: Severity | None = None, fix: Fix | None = None) -> Diagnostic:
        return Diagnostic(self.code, severity or self.severity, message, span,
                          help, tuple(notes), name, fix)

    def run(self, document: Document, settings: object = None) -> Iterator[Diagnostic]:
        """Without settings, a configurable check uses its defaults."""
        if self.check is not None:
            given = ({o: getattr(settings, o) for o in self.options}
                     if settings is not None else {})
            yield from self.check(document, **given)


def cleandoc(doc: str) -> str:
    """A docstring without its indentation and blank edges, as
    `inspect.cleandoc` gives it (importing `inspect` costs a third of a
    `python -c pass`)."""
    lines = doc.expandtabs().split("\n")
    indents = [len(line) - len(line.lstrip()) for line in lines[1:] if line.strip()]
    margin = min(indents, default=0)
    lines = [lines[0].lstrip()] + [line[margin:] for line in lines[1:]]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines)


def rule(code: str, name: str, severity: Severity, summary: str,
         options: tuple[str, ...] = (), *,
         evidence: tuple[str, ...] = ()) -> Callable[[Check], Rule]:
    """Make a check function into a Rule; its docstring is the rule's doc."""

    def wrap(check: Check) -> Rule:
        return Rule(code, name, severity, summary, cleandoc(check.__doc__ or ""), check,
                    options, evidence=evidence)

    return wrap


def emitted(code: str, name: str, severity: Severity, summary: str, doc: str, *,
            raised_in: tuple[str, ...], evidence: tuple[str, ...] = ()) -> Rule:
    """A code reported by a front end (reader, parser, resolver) rather than a
    check: documented here, raised in the files `raised_in` names (paths from
    the repository's root)."""
    return Rule(code, name, severity, summary, cleandoc(doc), raised_in=raised_in,
                evidence=evidence)


def report(r: Rule, request: Request, ptr: str, message: str, **kw: Any) -> Diagnostic:
    """A finding about one request, at the closest written place of `ptr`."""
    return r.diag(request.span_at(ptr), message, name=request.place(ptr), **kw)


# A value near none of Meta's: Meta refuses values outside its enums (code
# 100), but adflow's lists come from one SDK version, so a newer value would
# be a false error. What adflow does not know is a warning that says so.
UNLISTED = (f"not among the values of Meta's SDK ({SDK_API_VERSION}) that adflow knows: Meta "
            "refuses values outside its enum (error 100), unless this one is newer than "
            "adflow's list")


def unknown_value(document: Document, request: Request, ptr: str, value: Any,
                  known: Iterable[str], *, safe: bool = True,
                  open_list: bool = False) -> dict[str, Any]:
    """`help`, `fix` and `severity` keywords for an unknown enum value at
    `ptr`: the fix replaces it when one candidate is clear and the value is
    written there. In an `open_list` (Meta's SDK enum, which Meta extends), a
    value near a known one is a typo (the rule's severity) and one near none
    a warning (UNLISTED)."""
    from ..findings.suggest import hint

    if not isinstance(value, str):
        return {"help": None, "fix": None}
    found = hint(value, known, request.span_at(ptr), document.source, safe=safe)
    if document.source is None or not request.has_span(ptr):
        found["fix"] = None
    if open_list and found["help"] is None:
        found["help"], found["severity"] = UNLISTED, WARNING
    return found


# F811: ruff does not know lean's overload for typing's.
@overload
def advice(document: Document, *, dsl: str, json: str | Mapping[str, Any]) -> str: ...


@overload
def advice(document: Document, *, dsl: str | None,  # noqa: F811
           json: str | Mapping[str, Any] | None) -> str | None: ...


def advice(document: Document, *, dsl: str | None,  # noqa: F811
           json: str | Mapping[str, Any] | None) -> str | None:
    """Help in the input's own language: `dsl` for an .adflow file, `json`
    for a JSON payload, where members to add may be given as a mapping and
    are written as JSON (`add "is_adset_budget_sharing_enabled": false`)."""
    if not document.from_json:
        return dsl
    if json is None or isinstance(json, str):
        return json
    return added(json)


# Writing JSON advice: the words a payload's author would type.

def as_json(value: Any) -> str:
    return json_module.dumps(value, ensure_ascii=False)


def added(members: Mapping[str, Any], body: Mapping[str, Any] | None = None, *,
          more: str = "") -> str:
    """`add "key": value, ...` (then `more`, e.g. other values). Members
    nested in objects `body` already has are added to the innermost of them,
    named by its path: `add "page_id": "PAGE_ID" to promoted_object`."""
    path: list[str] = []
    while body is not None and len(members) == 1:
        [(key, value)] = members.items()
        inner = body.get(key)
        if not (isinstance(value, Mapping) and isinstance(inner, Mapping)):
            break
        path.append(key)
        members, body = value, inner
    written = ", ".join(f"{as_json(k)}: {as_json(v)}" for k, v in members.items())
    return f"add {written}{more}" + (f" to {'.'.join(path)}" if path else "")


def one_of(values: Iterable[Any]) -> str:
    """`"A"`, `"A" or "B"`, `"A", "B" or "C"`, as JSON."""
    shown = [as_json(v) for v in values]
    return " or ".join([", ".join(shown[:-1]), shown[-1]] if len(shown) > 1 else shown)


def set_to(key: str, *values: Any) -> str:
    """`set "key" to "A" or "B"`."""
    return f"set {as_json(key)} to {one_of(values)}"


def nest(keys: Iterable[str], value: Any) -> Any:
    """`value` under the path `keys`: nest(["a", "b"], 1) is {"a": {"b": 1}}."""
    for key in reversed(list(keys)):
        value = {key: value}
    return value


def body_keys(kind: str, word: str) -> tuple[str, ...]:
    """Where a field of the language goes in the body of a `kind` (the table
    of compiler/bodies/fields.py): body_keys("adset", "promoted_page") is
    ("promoted_object", "page_id"); a nested block's field is dotted,
    "targeting.countries"."""
    table, keys = fields.BLOCKS[kind], tuple[str, ...]()
    for head in word.split("."):
        row = table[head]
        keys += row.keys
        table = row.block or {}
    return keys


def body_key(kind: str, word: str) -> str:
    """The body member a field of the language writes, dotted:
    body_key("adset", "destination") is "destination_type"."""
    return ".".join(body_keys(kind, word))


def body_member(kind: str, word: str, value: Any) -> dict[str, Any]:
    """The body member a field of the language writes, with `value`:
    body_member("adset", "targeting.countries", ["US"]) is
    {"targeting": {"geo_locations": {"countries": ["US"]}}}."""
    member: dict[str, Any] = nest(body_keys(kind, word), value)
    return member


def put(body: Mapping[str, Any], keys: Iterable[str], *values: Any) -> str:
    """A member's value as JSON advice: `set "key" to "A" or "B"` where the
    body has the member, else `add "key": "A" (or "B")`, nested as needed."""
    path = tuple(keys)
    inner: Any = body
    for key in path:
        inner = inner.get(key) if isinstance(inner, Mapping) else None
    if inner is not None:
        return set_to(path[-1], *values)
    more = f" (or {one_of(values[1:])})" if len(values) > 1 else ""
    return added(nest(path, values[0]), body, more=more)
