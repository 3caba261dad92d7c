"""Which files a command looks at."""

from __future__ import annotations

import os
from pathlib import Path

SUFFIXES = (".adflow", ".json")
_SKIP_DIRS = {"node_modules", "__pycache__", "build", "dist"}


def discover(paths: list[str]) -> list[Path]:
    """Files named, plus `*.adflow` / `*.json` under directories (hidden and
    build folders skipped), sorted so output is stable. A missing path
    raises FileNotFoundError."""
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS)
                found.extend(Path(root, f) for f in sorted(files) if f.endswith(SUFFIXES))
        elif path.exists():
            found.append(path)
        else:
            raise FileNotFoundError(f"no such file or directory: {name}")
    unique = list(dict.fromkeys(found))
    return unique
