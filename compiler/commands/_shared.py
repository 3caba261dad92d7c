"""What the commands share: their input file through the one check pipeline,
with its configuration, and how a command that cannot go on says so."""

from __future__ import annotations

import sys
from dataclasses import replace
from typing import Any, NoReturn

from ..pipeline import check_file, fails
from ..cli import UsageError, reading
from ..config import Config, ConfigError, Finder
from ..diagnostics import FileResult
from ..model import Document, Request
from ..report import render_text, use_colour


def checked(file: str, **settings: Any) -> tuple[FileResult, Config]:
    """A command's input file through `check_file` with the configuration
    found for it (`settings` override the configuration's), so every command
    sees what `adflow check` reports."""
    try:
        with reading(file) as path:
            config = Finder().for_file(path)
            if settings:
                config = replace(config, **settings)
            return check_file(path, config), config
    except ConfigError as exc:
        raise UsageError(str(exc)) from None


def refuse(result: FileResult) -> NoReturn:
    """Report the findings as `adflow check` does, and end with status 1."""
    sys.stderr.write(render_text([result], use_colour(sys.stderr)))
    raise SystemExit(1)


def load(file: str, **settings: Any) -> tuple[FileResult, Document]:
    """For the commands that show a file (graph, paths, simulate, preview):
    findings are shown, not gating; only a file with no model ends them."""
    result, _ = checked(file, **settings)
    if result.document is None:
        refuse(result)
    return result, result.document


def compilable(file: str) -> Document:
    """For the commands that emit requests (compile, plan): exactly the files
    `adflow check` passes, so ignored and suppressed codes never block them."""
    result, config = checked(file)
    if result.document is None or fails(result, config):
        refuse(result)
    return result.document


def chosen_forms(document: Document, name: str | None) -> list[Request]:
    from ..flowgraph import select_forms

    try:
        return select_forms(document, name)
    except LookupError as exc:
        raise UsageError(str(exc)) from None
