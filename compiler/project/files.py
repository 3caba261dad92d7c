"""Which files a command looks at, and the one way adflow writes a file.

Folders are walked the way git sees them: `.gitignore` files at every level
of the repository (and `.git/info/exclude`), `.adflowignore` files anywhere,
and the configured `exclude` globs (gitignore semantics, relative to the
configuration file) all prune the walk. A walk takes `.adflow` files and only
the `.json` files that look like Graph API payloads, so `package.json` and
`tsconfig.json` are passed over; FIFOs and other non-regular files are never
opened, and links to files outside the folder walked are not followed (git
does not follow them either). Each ignore file is matched only against the
paths below its own folder, so a walk stays linear in the folders it meets.
Files named on the command line are taken as they are, unless
`force_exclude` (pre-commit names every file: the walk's rules then apply to
them too).
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator

from ..front.source import NotRegularFile, open_input
from ..records import field, record
from .paths import ancestors, joined, path_name, relative_to, within

TYPE_CHECKING = False  # typing is for mypy alone: importing it costs a quick check 4 ms
if TYPE_CHECKING:
    from typing import Any, BinaryIO

    from pathspec import GitIgnoreSpec

    from ..front.source import StrPath

SUFFIXES = (".adflow", ".json")
NOTHING_FOUND = "no .adflow or Graph API JSON files found"
# Within a git repository .gitignore counts too; outside one, as for git, it does not.
_GIT_IGNORE_FILES = (".gitignore", ".adflowignore")
_IGNORE_FILES = (".adflowignore",)
# Larger JSON is judged by a look at its start only (package-lock.json can be huge).
_SNIFF_BYTES = 4 * 1024 * 1024
# Keys only Graph API payloads have, for JSON that does not parse (a payload
# being edited should still get its S002, a commented tsconfig.json should not).
# Compiled on first use (by `re`'s cache): a check of .adflow files never needs it.
_PAYLOAD_KEY = (rb'"(?:step_list|object_story_spec|object_story_id|optimization_goal|'
                rb'billing_event|objective|adset_id)"\s*:|"adflow\.plan/1"')

# Skipped unless the configuration's `exclude` says otherwise (`extend-exclude`
# adds to these): hidden folders (.git, .venv, caches) and build output.
DEFAULT_EXCLUDE = (".*/", "node_modules/", "__pycache__/", "build/", "dist/")

# (path, is a directory, the walk's top) -> whether the configuration excludes it.
Excluded = Callable[[str, bool, str], bool]


def default_excluded(path: str, is_dir: bool, top: str) -> bool:
    """DEFAULT_EXCLUDE alone, for callers without a configuration."""
    name = os.path.basename(path)
    return is_dir and (name.startswith(".") or name in _DEFAULT_NAMES)


_DEFAULT_NAMES = {p.rstrip("/") for p in DEFAULT_EXCLUDE if not p.startswith(".")}


@record
class Walked:
    """What walks met besides the files to check: folders that could not be
    read (an I/O error, like a file that cannot be read) and links passed
    over because they lead out of the folder walked."""

    unreadable: list[OSError] = field(default_factory=list)
    outside: list[tuple[str, str]] = field(default_factory=list)  # (link, walked folder)


def discover(paths: list[str], excluded: Excluded | None = None, *,
             force_exclude: bool = False, walked: Walked | None = None) -> list[str]:
    """Files named, plus what walking the directories finds, sorted per folder
    so output is stable. A missing path raises FileNotFoundError; a named
    FIFO or device raises NotRegularFile; a name that cannot be looked at
    (too long, no permission) the OSError that says why. A folder that
    cannot be read is added to `walked` (raised without it), as are the
    links passed over because their target is outside the folder walked."""
    found: list[str] = []
    excluded = excluded or default_excluded
    for name in paths:
        path = path_name(name)
        mode = mode_of(path, name)
        if stat.S_ISDIR(mode):
            found.extend(_walk(path, excluded, walked))
        elif not force_exclude:
            require_regular(path)
            found.append(path)
        elif _wanted(path, excluded):
            if os.path.islink(path) and not within(os.path.realpath(path), os.getcwd()):
                if walked is not None:  # the walk's rule too: the tree is the current folder
                    walked.outside.append((path, "."))
                continue
            require_regular(path)
            found.append(path)
    return list(dict.fromkeys(found))


def mode_of(path: str, name: str) -> int:
    """`path`'s mode, links followed. FileNotFoundError naming `name` when
    nothing is there (a broken link, or a link to itself, too); any other
    OSError (too long a name, no permission) as it is."""
    try:
        return os.stat(path).st_mode
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.ELOOP):
            raise FileNotFoundError(f"no such file or directory: {name}") from None
        raise


def _wanted(path: str, excluded: Excluded) -> bool:
    """Whether a walk would take this file (for --force-exclude)."""
    ignores = _Ignores(os.path.dirname(path) or ".")
    return (not ignores.skip(path, False) and not excluded(path, False, os.getcwd())
            and (not path.endswith(".json") or is_payload_file(path)))


def _walk(top: str, excluded: Excluded, walked: Walked | None) -> Iterator[str]:
    ignores = _Ignores(top)
    inside = os.path.realpath(top)

    def unreadable(exc: OSError) -> None:
        if walked is None:
            raise exc
        walked.unreadable.append(exc)

    for root, dirs, files in _tree(top, unreadable):
        here = path_name(root)
        rules = ignores.enter(here)
        dirs[:] = sorted(d for d in dirs if d != ".git" and not rules.skip(joined(here, d), True)
                         and not excluded(joined(here, d), True, top))
        for name in sorted(files):
            path = joined(here, name)
            if not (name.endswith(SUFFIXES) and os.path.isfile(path)  # no FIFOs, sockets
                    and not rules.skip(path, False) and not excluded(path, False, top)):
                continue
            if os.path.islink(path) and not within(os.path.realpath(path), inside):
                if walked is not None:  # as git: a link is not its target
                    walked.outside.append((path, top))
                continue
            if name.endswith(".adflow") or is_payload_file(path):
                yield path


def _tree(top: str, onerror: Callable[[OSError], None]) -> Iterator[tuple[str, list[str],
                                                                         list[str]]]:
    """`os.walk(top, onerror=onerror)`, top-down (the caller may prune `dirs`),
    links to folders listed but not entered, with a stack instead of
    recursion: os.walk before Python 3.12 recurses once per level, so a tree
    a thousand folders deep was a RecursionError."""
    stack = [top]
    while stack:
        root = stack.pop()
        dirs: list[str] = []
        files: list[str] = []
        try:
            with os.scandir(root) as entries:
                for entry in entries:
                    try:
                        is_dir = entry.is_dir()
                    except OSError:  # gone, or a link that cannot be followed
                        is_dir = False
                    (dirs if is_dir else files).append(entry.name)
        except OSError as exc:
            onerror(exc)
            continue
        yield root, dirs, files
        stack.extend(path for name in reversed(dirs)
                     if not os.path.islink(path := os.path.join(root, name)))


class _Rules:
    """The ignore files that apply in one folder: its own and its parents'
    (a chain, so a path is matched against its folder's ancestors only)."""

    def __init__(self, folder: str, spec: GitIgnoreSpec | None, parent: _Rules | None) -> None:
        self.folder, self.spec, self.parent = folder, spec, parent

    def skip(self, path: str, is_dir: bool) -> bool:
        absolute = os.path.abspath(path)
        rules: _Rules | None = self
        while rules is not None:  # the deepest ignore file that has a say wins
            if rules.spec is not None:
                # Never None: a chain holds the folders above the path alone.
                relative = relative_to(absolute, rules.folder) or ""
                result = rules.spec.check_file(relative + "/" if is_dir else relative)
                if result.include is not None:
                    return result.include
            rules = rules.parent
        return False


class _Ignores:
    """The ignore files of a walk: those of the folders above the walked one
    (up to the repository's top) and of each folder entered, each applying
    only below its own folder."""

    def __init__(self, top: str) -> None:
        absolute = os.path.abspath(top)
        above = list(ancestors(absolute))
        self.repo = next((d for d in (absolute, *above)
                          if os.path.exists(os.path.join(d, ".git"))), None)
        self.names = _GIT_IGNORE_FILES if self.repo is not None else _IGNORE_FILES
        self.by_folder: dict[str, _Rules] = {}
        rules: _Rules | None = None
        if self.repo is not None:
            info = os.path.join(self.repo, ".git", "info", "exclude")
            rules = _Rules(self.repo, _spec_of([info]), None)
        stop = self.repo or (above[-1] if above else absolute)  # the repository or the root
        for folder in reversed([d for d in above if within(d, stop)]):
            rules = self._rules(folder, rules)
        self.above = rules

    def enter(self, folder: str) -> _Rules:
        """The rules for a folder whose parent was entered before (or is above the top)."""
        folder = os.path.abspath(folder)
        parent = self.by_folder.get(os.path.dirname(folder), self.above)
        return self._rules(folder, parent)

    def skip(self, path: str, is_dir: bool) -> bool:
        return self.enter(os.path.dirname(path) or ".").skip(path, is_dir)

    def _rules(self, folder: str, parent: _Rules | None) -> _Rules:
        spec = _spec_of([os.path.join(folder, name) for name in self.names])
        rules = parent if spec is None and parent is not None else _Rules(folder, spec, parent)
        self.by_folder[folder] = rules
        return rules


def _spec_of(files: list[str]) -> GitIgnoreSpec | None:
    lines: list[str] = []
    for file in files:
        try:
            with open(file, encoding="utf-8", errors="replace") as f:
                lines += f.read().splitlines()
        except OSError:  # none there (the usual case), or unreadable: nothing to apply
            continue
    return ignore_spec(lines) if lines else None


# Each `*` in one path segment multiplies what matching a name can cost
# (pathspec's regular expressions backtrack): with four, a 255-character name
# takes a second, with eight more than an hour. Real patterns use one or two.
MAX_STARS = 3


def costly_pattern(line: str) -> bool:
    """A pattern with more than MAX_STARS `*` in a path segment (`**` aside)."""
    return any(segment.replace("**", "").count("*") > MAX_STARS for segment in line.split("/"))


def ignore_spec(lines: list[str]) -> GitIgnoreSpec:
    """An ignore file's patterns; a line git could not use either (a lone `!`)
    is passed over, as git does, and so is a costly one (see MAX_STARS)."""
    from pathspec import GitIgnoreSpec  # only where an ignore file exists

    lines = [line for line in lines if not costly_pattern(line)]
    try:
        return GitIgnoreSpec.from_lines(lines)
    except ValueError:  # pathspec's pattern error
        return GitIgnoreSpec.from_lines(line for line in lines if valid_pattern(line))


def valid_pattern(line: str) -> bool:
    from pathspec import GitIgnoreSpec

    try:
        GitIgnoreSpec.from_lines([line])
    except ValueError:
        return False
    return True


def is_payload_file(path: StrPath) -> bool:
    """Whether a JSON file found by a walk is for adflow: a Graph API body,
    request, list of requests or plan (the shapes jsonsrc reads)."""
    try:
        with open(open_input(path), "rb") as f:
            data = f.read(_SNIFF_BYTES + 1)
    except OSError:
        return True  # let the check report why it cannot be read
    if len(data) <= _SNIFF_BYTES:
        try:
            return is_payload(json.loads(data))
        except ValueError:  # invalid JSON or text: see whether it means to be a payload
            pass
    return re.search(_PAYLOAD_KEY, data[:65536]) is not None


def is_payload(value: Any) -> bool:
    from ..front.jsonsrc import infer_kind

    if isinstance(value, list):
        return bool(value) and all(isinstance(r, dict) and {"path", "body"} <= r.keys()
                                   for r in value)
    if not isinstance(value, dict):
        return False
    return (value.get("format") == "adflow.plan/1" or {"method", "path", "body"} <= value.keys()
            or infer_kind(value) is not None)


def require_regular(path: str) -> None:
    """Raise NotRegularFile unless `path` (after symlinks) is a regular file."""
    if os.path.exists(path) and not os.path.isdir(path) and not os.path.isfile(path):
        raise NotRegularFile(path)


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


def write_atomic(path: str | os.PathLike[str], content: str | bytes | Iterable[str], *,
                 durable: bool = True) -> None:
    """Write a whole file so that it is either the old one or the new one,
    never a mix (a full disk, a file size limit, a kill): a temporary file in
    the same folder, fsync, rename over the target. The target's mode is kept;
    a new file gets the mode the umask gives. A symlink is followed, so the
    link stays and its target changes. A device or FIFO (/dev/null,
    /dev/stdout) cannot be replaced by a rename and is written directly.
    OSError on failure, with the original untouched and no temporary left.
    `durable=False` skips the fsync calls, for caches that are only rebuilt
    if lost. `content` may come in pieces, each written as it is made."""
    pieces = [content] if isinstance(content, (str, bytes)) else content
    try:
        existing: os.stat_result | None = os.stat(path)  # through symlinks
    except FileNotFoundError:
        existing = None
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        if stat.S_ISDIR(existing.st_mode):
            raise IsADirectoryError(errno.EISDIR, "Is a directory", os.fspath(path))
        # A device or a pipe (/dev/stdout may resolve to no path at all).
        with open(path, "wb") as f:
            _write_pieces(f, pieces)
        return
    target = os.path.realpath(path)
    mode = stat.S_IMODE(existing.st_mode) if existing is not None else 0o666 & ~_umask()
    folder, name = os.path.split(target)
    fd, tmp = _temporary(folder or ".", name)
    try:
        with os.fdopen(fd, "wb") as f:
            _write_pieces(f, pieces)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:  # noqa: SIM105 - not contextlib.suppress: a cache hit never imports contextlib
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if durable:
        _fsync_folder(folder or ".")


# A temporary file is made as tempfile.mkstemp makes one, without importing
# tempfile (with shutil and random: 5 ms of a check that writes its cache).
_NEW_FILE = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
             | getattr(os, "O_CLOEXEC", 0))


def _temporary(folder: str, name: str) -> tuple[int, str]:
    """A new file `.NAME.RANDOM.tmp` in `folder`, open for writing, readable
    by its owner alone; never one that existed, nor a link's target."""
    for _ in range(100):
        tmp = os.path.join(folder, f".{name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(tmp, _NEW_FILE, 0o600), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no unused temporary name", folder)


def _write_pieces(f: BinaryIO, pieces: Iterable[str | bytes]) -> None:
    for piece in pieces:
        f.write(piece.encode("utf-8", "surrogateescape") if isinstance(piece, str) else piece)


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
