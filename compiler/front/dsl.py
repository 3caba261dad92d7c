"""The adflow language's front end: a file's text to the typed AST (`ast`).

`parse_file` reads a file with the hand-written parser (`descent`) and falls
back to Lark (`parser`) only when that one declines: for syntax errors, which
Lark explains, and, should it ever happen, valid input the hand-written
parser does not read, which `Lowerer` turns from Lark's tree into the same
AST. Lark is imported only then."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

from ..findings.diagnostics import Diagnostic
from . import ast
from .lower import Lowerer
from .source import Source


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    # Building the AST allocates many small objects and frees none: the
    # cyclic garbage collector would walk them all again and again.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse_file(source: Source) -> tuple[ast.File | None, list[Diagnostic]]:
    """Parse and lower one source; the AST is None when there were syntax errors."""
    from . import descent

    lowerer = Lowerer(source)
    with _gc_paused():
        try:
            return descent.parse(source, lowerer), lowerer.diagnostics
        except Exception:  # noqa: BLE001
            # Declined, or a value the decoding raised on (a bug for the
            # `Lowerer` to fix): Lark and the Lowerer below then do exactly
            # what they would have done alone, syntax errors first.
            pass
    from .parser import parse

    result = parse(source)
    if result.tree is None or (result.diagnostics and result.closed is None):
        return None, list(result.diagnostics)
    # The closed copy has the same lines; its spans are clipped to the lines as written.
    lowerer = Lowerer(result.closed, source) if result.closed else Lowerer(source)
    with _gc_paused():
        tree = lowerer.file(result.tree)
    return tree, list(result.diagnostics) + lowerer.diagnostics
