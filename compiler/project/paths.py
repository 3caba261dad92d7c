"""File names as strings, the way pathlib writes them.

Paths are strings on the check path: importing pathlib (with urllib.parse
and ipaddress) costs 5 ms, a sixth of a cache hit. tests/test_walk.py holds
each function to pathlib's answer.
"""

from __future__ import annotations

import os
from collections.abc import Iterator


def path_name(name: str) -> str:
    """`name` as pathlib writes it, `str(Path(name))`: no `.` parts, no
    repeated or trailing `/`, so a file is reported the same however it was
    typed (`./a.adflow` is `a.adflow`)."""
    if os.name != "posix":  # drives and backslashes: pathlib's own rules
        from pathlib import Path

        return str(Path(name))
    rest = name.lstrip("/")
    # POSIX leaves a leading `//` to the system; more slashes are one.
    root = "" if rest == name else "//" if len(name) - len(rest) == 2 else "/"
    return root + "/".join(part for part in rest.split("/") if part not in ("", ".")) or "."


def stem_of(name: str) -> str:
    """The file's name without its last suffix (pathlib's `stem`)."""
    tidy = path_name(name)
    base = "" if tidy == "." else os.path.basename(tidy)  # `.` has no name
    dot = base.rfind(".")
    return base[:dot] if 0 < dot < len(base) - 1 else base


def joined(folder: str, name: str) -> str:
    """`folder / name` as pathlib joins them (`.` / name is name)."""
    return name if folder == "." else os.path.join(folder, name)


def ancestors(folder: str) -> Iterator[str]:
    """The folders above an absolute one, nearest first (pathlib's `parents`)."""
    parent = os.path.dirname(folder)
    while parent != folder:
        yield parent
        folder, parent = parent, os.path.dirname(parent)


def within(path: str, folder: str) -> bool:
    """Whether `path` is `folder` or below it (both absolute)."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def relative_to(path: str, folder: str) -> str | None:
    """`path` from `folder` with `/` between parts, as pathlib's
    `relative_to(...).as_posix()` (`.` for the folder itself); None when it
    is not within it (both absolute)."""
    if path == folder:
        return "."
    if not within(path, folder):
        return None
    return path[len(folder.rstrip(os.sep)) + 1:].replace(os.sep, "/")
