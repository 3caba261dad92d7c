"""Diagnostics: the one way adflow reports a problem in what a user wrote."""

from __future__ import annotations

import enum

from ..front.source import Span
from ..records import record


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


@record(frozen=True, slots=True)
class Note:
    message: str
    span: Span | None = None


@record(frozen=True, slots=True)
class Edit:
    """Replace the text of `span` (empty: insert at its start) with `content`."""

    span: Span
    content: str

    def to_json(self) -> dict[str, object]:
        s = self.span
        return {"line": s.line, "column": s.column, "end_line": s.end_line,
                "end_column": s.end_column, "content": self.content}


@record(frozen=True, slots=True)
class Fix:
    """A change that removes the finding. "safe": it keeps what the author
    meant (a misspelling, a letter case) and `--fix` applies it; "unsafe":
    it may change meaning (a default value, a renamed reference) and needs
    `--unsafe-fixes`."""

    message: str
    edits: tuple[Edit, ...]
    applicability: str = "safe"

    def to_json(self) -> dict[str, object]:
        return {"applicability": self.applicability, "message": self.message,
                "edits": [e.to_json() for e in self.edits]}


@record(frozen=True, slots=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    span: Span
    help: str | None = None
    notes: tuple[Note, ...] = ()
    # The semantic place, e.g. "lead_form:quote/step:city": stable across
    # unrelated edits, unlike a line number.
    name: str | None = None
    fix: Fix | None = None

    def concerns(self, place: str) -> bool:
        """Whether it is about `place` ("lead_form:quote") or a part of it
        ("lead_form:quote/step:city")."""
        return self.name is not None and (self.name == place or self.name.startswith(place + "/"))

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.span.file, self.span.line, self.span.column, self.code, self.message)

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "file": self.span.file,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
        }
        if self.help:
            out["help"] = self.help
        if self.name:
            out["name"] = self.name
        if self.notes:
            out["notes"] = [
                {"message": n.message, **({"file": n.span.file, "line": n.span.line,
                                            "column": n.span.column} if n.span else {})}
                for n in self.notes
            ]
        out["fix"] = self.fix.to_json() if self.fix else None
        return out
