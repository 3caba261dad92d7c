"""What a rule is: a code, a name, a default severity, a one-line summary and
its documentation (the check's docstring, with a bad and a good example)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostic, Fix, Note, Severity
from ..source import Span

if TYPE_CHECKING:
    from ..model import Document, Request

# A check takes the document and, as keywords, the settings named in its
# rule's `options` (e.g. F019's max_questions).
Check = Callable[..., Iterable[Diagnostic]]

ERROR = Severity.ERROR
WARNING = Severity.WARNING
INFO = Severity.INFO


@dataclass(frozen=True)
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


def rule(code: str, name: str, severity: Severity, summary: str,
         options: tuple[str, ...] = (), *,
         evidence: tuple[str, ...] = ()) -> Callable[[Check], Rule]:
    """Make a check function into a Rule; its docstring is the rule's doc."""

    def wrap(check: Check) -> Rule:
        return Rule(code, name, severity, summary, inspect.cleandoc(check.__doc__ or ""), check,
                    options, evidence=evidence)

    return wrap


def emitted(code: str, name: str, severity: Severity, summary: str, doc: str, *,
            raised_in: tuple[str, ...], evidence: tuple[str, ...] = ()) -> Rule:
    """A code reported by a front end (reader, parser, resolver) rather than a
    check: documented here, raised in the files `raised_in` names (paths from
    the repository's root)."""
    return Rule(code, name, severity, summary, inspect.cleandoc(doc), raised_in=raised_in,
                evidence=evidence)


def report(r: Rule, request: Request, ptr: str, message: str, **kw: Any) -> Diagnostic:
    """A finding about one request, at the closest written place of `ptr`."""
    return r.diag(request.span_at(ptr), message, name=request.place(ptr), **kw)


# A value near none of Meta's: Meta refuses values outside its enums (code
# 100), but adflow's lists come from one SDK version, so a newer value would
# be a false error. What adflow does not know is a warning that says so.
UNLISTED = ("not among the values of Meta's SDK (v25.0) that adflow knows: Meta refuses "
            "values outside its enum (error 100), unless this one is newer than adflow's list")


def unknown_value(document: Document, request: Request, ptr: str, value: Any,
                  known: Iterable[str], *, safe: bool = True,
                  open_list: bool = False) -> dict[str, Any]:
    """`help`, `fix` and `severity` keywords for an unknown enum value at
    `ptr`: the fix replaces it when one candidate is clear and the value is
    written there. In an `open_list` (Meta's SDK enum, which Meta extends), a
    value near a known one is a typo (the rule's severity) and one near none
    a warning (UNLISTED)."""
    from ..suggest import hint

    if not isinstance(value, str):
        return {"help": None, "fix": None}
    found = hint(value, known, request.span_at(ptr), document.source, safe=safe)
    if document.source is None or not request.has_span(ptr):
        found["fix"] = None
    if open_list and found["help"] is None:
        found["help"], found["severity"] = UNLISTED, WARNING
    return found


def advice(document: Document, *, dsl: str | None,
           json: str | Mapping[str, Any] | None) -> str | None:
    """Help in the input's own language: `dsl` for an .adflow file, `json`
    for a JSON payload, where members to add may be given as a mapping and
    are written as JSON (`add "is_adset_budget_sharing_enabled": false`)."""
    if not document.from_json:
        return dsl
    if json is None or isinstance(json, str):
        return json
    import json as json_module

    members = ", ".join(f"{json_module.dumps(k)}: {json_module.dumps(v, ensure_ascii=False)}"
                        for k, v in json.items())
    return f"add {members}"
