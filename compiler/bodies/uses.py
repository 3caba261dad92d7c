"""`use "shared.adflow"`: the definitions of another file.

A used file's pages, Instagram accounts, lead forms, campaigns, ad sets,
creatives and ads are names here as if written here (its own `use` lines
too, so definitions are shared through any number of files); the objects
among them are made for this file when it refers to them, under this file's
account, API version and markets (a used file's `api`, `account` and
`market` lines are for checking it alone). Files are named relative to the
file that names them.

A file that cannot be read or parsed, or a `use` that leads back to a file
being read, is R008 where it is named. A finding in a used file is
reported at the `use` line of the file checked (its source line is the
one shown), with a note where it is, and without a fix, which would edit
the other file: the verdict of this file counts it, and its place is named.
"""

from __future__ import annotations

import os

from ..findings.diagnostics import Diagnostic, Note
from ..front import ast
from ..front.source import InputError, Span, decode, read_bytes
from ..project.paths import path_name
from ..records import field, record, replace
from ..rules.refs import R008
from .readers import names_a_file

TYPE_CHECKING = False  # typing is for mypy alone: importing it costs a quick check 4 ms
if TYPE_CHECKING:
    from .readers import Resolving


@record
class Used:
    """What the files a file uses define, and where each was named."""

    decls: list[ast.Decl] = field(default_factory=list)
    # A used file, by the name its spans carry -> the `use` line, in the file
    # checked, that brought it in.
    anchors: dict[str, Span] = field(default_factory=dict)


def read_uses(r: Resolving, file: ast.File, path: str, base: str) -> Used:
    """The definitions of every file `file` uses, directly or through others."""
    used = Used()
    root = os.path.realpath(os.path.join(base, os.path.basename(path_name(path))))
    _read(r, file, path, base, used, (root,), None, set())
    return used


def _read(r: Resolving, file: ast.File, path: str, base: str, used: Used,
          chain: tuple[str, ...], anchor: Span | None, seen: set[str]) -> None:
    for decl in file.decls:
        if not isinstance(decl, ast.UseDecl):
            continue
        here = anchor or decl.span
        if not names_a_file(r, decl.path, "the file"):
            continue
        real = os.path.realpath(os.path.join(base, decl.path.value))
        name = os.path.normpath(os.path.join(os.path.dirname(path), decl.path.value))
        if real in chain:
            r.error(R008, decl.path.span, f"'{decl.path.value}' is being read already: "
                                          "a cycle of `use`",
                    help="move what both files need into a third one that both use")
            continue
        if real in seen:
            continue  # two files use one: its names come once
        seen.add(real)
        r.includes.append(real)
        other = _parse(r, decl, real, name)
        if other is None:
            continue
        used.anchors.setdefault(name, here)
        _read(r, other, name, os.path.dirname(real), used, (*chain, real), here, seen)
        used.decls += [d for d in other.decls if isinstance(d, ast.PageDecl | ast.ObjectDecl)
                       and not (isinstance(d, ast.ObjectDecl) and d.kind == "market")]


def _parse(r: Resolving, decl: ast.UseDecl, real: str, name: str) -> ast.File | None:
    from ..front.dsl import parse_file

    try:
        source = decode(name, read_bytes(real, display=name))
    except (OSError, InputError) as exc:
        why = exc.message if isinstance(exc, InputError) else (exc.strerror or str(exc))
        r.error(R008, decl.path.span, f"cannot read '{decl.path.value}': {why}")
        return None
    tree, found = parse_file(source)
    if tree is None or found:
        r.error(R008, decl.path.span, f"'{decl.path.value}' has syntax errors",
                help=f"`adflow check {name}` shows them")
        return None
    return tree


def anchored(diagnostics: list[Diagnostic], anchors: dict[str, Span]) -> list[Diagnostic]:
    """Findings in used files, moved to the `use` line that brought each in."""
    out = []
    for d in diagnostics:
        at = anchors.get(d.span.file)
        if at is None:
            out.append(d)
            continue
        where = f"{d.span.file}:{d.span.line}:{d.span.column}"
        out.append(replace(
            d, span=at, message=f"{d.message} (in {where})", fix=None,
            notes=(Note("written here", d.span), *d.notes)))
    return out
