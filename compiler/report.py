"""Rendering diagnostics: text for people, JSON for tools."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Sequence
from typing import TextIO

from .check import FileResult
from .diagnostics import Diagnostic, Severity
from .source import Source

_COLOURS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def use_colour(stream: TextIO, choice: str = "auto") -> bool:
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def counts(results: Iterable[FileResult]) -> dict[str, int]:
    out = {"files": 0, "errors": 0, "warnings": 0, "infos": 0}
    for result in results:
        out["files"] += 1
        for d in result.diagnostics:
            out[{"error": "errors", "warning": "warnings", "info": "infos"}[d.severity.value]] += 1
    return out


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def render_text(results: Sequence[FileResult], colour: bool, seconds: float | None = None) -> str:
    lines: list[str] = []
    for result in results:
        for d in result.diagnostics:
            lines.extend(_text_one(d, result.source, colour))
            lines.append("")
    c = counts(results)
    summary = (f"{_plural(c['files'], 'file')} checked: {_plural(c['errors'], 'error')}, "
               f"{_plural(c['warnings'], 'warning')}")
    if c["infos"]:
        summary += f", {c['infos']} info"
    if seconds is not None:
        summary += f" in {seconds:.2f}s"
    lines.append((_BOLD + summary + _RESET) if colour else summary)
    return "\n".join(lines) + "\n"


def _text_one(d: Diagnostic, source: Source | None, colour: bool) -> list[str]:
    s = d.span
    code = f"{_COLOURS[d.severity]}{_BOLD}{d.code}{_RESET}" if colour else d.code
    out = [f"{s.file}:{s.line}:{s.column}: {code} {d.message}"]
    if source is not None:
        text = source.line_text(s.line)
        if text or s.line <= source.text.count("\n") + 1:
            gutter = str(s.line)
            pad = " " * len(gutter)
            end = s.end_column if s.end_line == s.line else len(text) + 1
            width = max(1, end - s.column)
            shown = text.replace("\t", " ")
            caret = " " * (s.column - 1) + "^" * width + " " + d.severity.value
            if colour:
                caret = _COLOURS[d.severity] + caret + _RESET
            out.append(f" {gutter} | {shown}")
            out.append(f" {pad} | {caret}")
    for note in d.notes:
        where = f" ({note.span.file}:{note.span.line}:{note.span.column})" if note.span else ""
        out.append(f"  note: {note.message}{where}")
    if d.help:
        out.append(f"  help: {d.help}")
    return out


def render_json(results: Sequence[FileResult]) -> str:
    c = counts(results)
    payload = {
        "version": 1,
        "diagnostics": [d.to_json() for r in results for d in r.diagnostics],
        "summary": {"files": c["files"], "errors": c["errors"], "warnings": c["warnings"]},
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def write(text: str, output: str | None, stream: TextIO = sys.stdout) -> None:
    if output and output != "-":
        with open(output, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    else:
        stream.write(text)
