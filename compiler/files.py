"""Which files a command looks at, and the one way adflow writes a file."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from pathlib import Path

SUFFIXES = (".adflow", ".json")
_SKIP_DIRS = {"node_modules", "__pycache__", "build", "dist"}


class NotRegularFile(OSError):
    """A named input that is a FIFO, a device or a socket: reading it could
    block forever or never end."""


def discover(paths: list[str]) -> list[Path]:
    """Files named, plus `*.adflow` / `*.json` under directories (hidden and
    build folders skipped, and anything that is not a regular file: a FIFO
    would block the walk), sorted so output is stable. A missing path raises
    FileNotFoundError; a named FIFO or device raises NotRegularFile."""
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS)
                found.extend(Path(root, f) for f in sorted(files)
                             if f.endswith(SUFFIXES) and Path(root, f).is_file())
        elif path.exists():
            require_regular(path)
            found.append(path)
        else:
            raise FileNotFoundError(f"no such file or directory: {name}")
    unique = list(dict.fromkeys(found))
    return unique


def require_regular(path: Path) -> None:
    """Raise NotRegularFile unless `path` (after symlinks) is a regular file."""
    if path.exists() and not path.is_dir() and not path.is_file():
        raise NotRegularFile(f"{path} is not a regular file")


# -- writing -----------------------------------------------------------------------------------


class OverwritesInput(ValueError):
    """An output path that names one of the command's inputs."""


def refuse_overwriting(output: str, inputs: Iterable[str | os.PathLike[str]]) -> None:
    """Raise OverwritesInput if `output` is one of `inputs`, by another name
    too: a symlink to it or a hard link (same device and inode)."""
    try:
        out = os.stat(output)
    except OSError:
        return  # nothing there yet: nothing to lose
    for name in inputs:
        try:
            here = os.stat(name)
        except OSError:
            continue
        if (out.st_dev, out.st_ino) == (here.st_dev, here.st_ino) and stat.S_ISREG(out.st_mode):
            which = ("the input file" if os.path.abspath(output) == os.path.abspath(name)
                     else f"the input file {os.fspath(name)} under another name (a link)")
            raise OverwritesInput(f"{output} is {which}: refusing to overwrite it; "
                                  "choose another output")


def write_atomic(path: str | os.PathLike[str], content: str | bytes, *,
                 durable: bool = True) -> None:
    """Write a whole file so that it is either the old one or the new one,
    never a mix (a full disk, a file size limit, a kill): a temporary file in
    the same folder, fsync, rename over the target. The target's mode is kept;
    a new file gets the mode the umask gives. A symlink is followed, so the
    link stays and its target changes. A device or FIFO (/dev/null,
    /dev/stdout) cannot be replaced by a rename and is written directly.
    OSError on failure, with the original untouched and no temporary left.
    `durable=False` skips the fsync calls, for caches that are only rebuilt
    if lost."""
    data = content.encode("utf-8", "surrogateescape") if isinstance(content, str) else content
    try:
        existing: os.stat_result | None = os.stat(path)  # through symlinks
    except FileNotFoundError:
        existing = None
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        if stat.S_ISDIR(existing.st_mode):
            raise IsADirectoryError(errno.EISDIR, "Is a directory", os.fspath(path))
        # A device or a pipe (/dev/stdout may resolve to no path at all).
        with open(path, "wb") as f:
            f.write(data)
        return
    target = os.path.realpath(path)
    mode = stat.S_IMODE(existing.st_mode) if existing is not None else 0o666 & ~_umask()
    import tempfile

    folder, name = os.path.split(target)
    fd, tmp = tempfile.mkstemp(dir=folder or ".", prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            if durable:
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
    if durable:
        _fsync_folder(folder or ".")


def _umask() -> int:
    # The only way to read the umask is to set it; set it straight back.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_folder(folder: str) -> None:
    """Make the rename itself durable; not every file system allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
