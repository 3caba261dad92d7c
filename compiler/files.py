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


def write_atomic(path: Path, data: str | bytes) -> None:
    """Replace the file whole or not at all: write a temporary file in the
    same folder, flush it to disk, then rename it over `path`. The file's
    mode is kept, and a symbolic link is written through, not replaced."""
    import stat
    import tempfile

    raw = data.encode("utf-8") if isinstance(data, str) else data
    target = Path(os.path.realpath(path))
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
