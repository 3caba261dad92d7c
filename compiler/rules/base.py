"""What a rule is: a code, a name, a default severity, a one-line summary and
its documentation (the check's docstring, with a bad and a good example)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostic, Note, Severity
from ..source import Span

if TYPE_CHECKING:
    from ..model import Document, Request

Check = Callable[["Document"], Iterable[Diagnostic]]

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

    def diag(self, span: Span, message: str, *, help: str | None = None,
             notes: Iterable[Note] = (), name: str | None = None,
             severity: Severity | None = None) -> Diagnostic:
        return Diagnostic(self.code, severity or self.severity, message, span,
                          help, tuple(notes), name)

    def run(self, document: "Document") -> Iterator[Diagnostic]:
        if self.check is not None:
            yield from self.check(document)


def rule(code: str, name: str, severity: Severity, summary: str) -> Callable[[Check], Rule]:
    """Make a check function into a Rule; its docstring is the rule's doc."""

    def wrap(check: Check) -> Rule:
        return Rule(code, name, severity, summary, inspect.cleandoc(check.__doc__ or ""), check)

    return wrap


def emitted(code: str, name: str, severity: Severity, summary: str, doc: str) -> Rule:
    """A rule reported by a front end (parser, resolver) rather than a check."""
    return Rule(code, name, severity, summary, inspect.cleandoc(doc))


def report(r: Rule, request: "Request", ptr: str, message: str, **kw: Any) -> Diagnostic:
    """A finding about one request, at the closest written place of `ptr`."""
    return r.diag(request.span_at(ptr), message, name=request.place(ptr), **kw)
