"""Project configuration: `[tool.adflow]` in pyproject.toml, or adflow.toml.

Found by walking up from each checked file; the nearest file that has an
adflow section wins. Every key and value is validated: a typo in a linter's
configuration must not silently switch a check off, so problems are a
ConfigError (exit 2), never ignored.

Keys are kebab-case, as in ruff (the spellings of adflow 0.1, `api_version`,
`fail_on`, `max_questions`, are aliases). `extend` names a base configuration
whose settings this one overrides key by key; globs (`exclude`,
`extend-exclude`, `per-file-ignores`) have gitignore semantics and stay
relative to the file that wrote them. schemas/adflow.toml.schema.json
describes the same keys for TOML editors (a test keeps the two in step).
"""

from __future__ import annotations

import functools
import os
import re

from ..findings.diagnostics import Diagnostic, Severity
from ..records import field, record, replace
from .files import DEFAULT_EXCLUDE
from .paths import ancestors, path_name, relative_to

TYPE_CHECKING = False  # typing is for mypy alone: importing it costs a quick check 4 ms
if TYPE_CHECKING:
    from typing import Any

    from pathspec import GitIgnoreSpec

    from ..front.source import StrPath

FAIL_ON = ("error", "warning", "info", "never")
KEYS = ("extend", "select", "ignore", "per-file-ignores", "severity", "api-version", "fail-on",
        "max-questions", "exclude", "extend-exclude")
ALIASES = {"api_version": "api-version", "fail_on": "fail-on", "max_questions": "max-questions"}


@record(frozen=True)
class Globs:
    """Gitignore-style patterns, relative to the folder of the file that wrote
    them (`root`; None for the defaults, which name folders anywhere)."""

    patterns: tuple[str, ...] = ()
    root: str | None = None

    @functools.cached_property
    def _spec(self) -> GitIgnoreSpec:
        from pathspec import GitIgnoreSpec  # only where patterns are matched

        return GitIgnoreSpec.from_lines(self.patterns)

    def matches(self, path: StrPath, is_dir: bool = False, base: StrPath | None = None) -> bool:
        """`base` stands in for the root for paths outside it (a walk's top):
        folders above what was asked for never match."""
        if not self.patterns:
            return False
        relative = _relative(path, self.root, base)
        return self._spec.match_file(relative + "/" if is_dir else relative)


def _relative(file: StrPath, root: StrPath | None, base: StrPath | None) -> str:
    """`file` from the first of the folders it is in, links resolved; as it
    is written when it is in neither."""
    for folder in (root, base):
        if folder is not None:
            relative = relative_to(os.path.realpath(file), os.path.realpath(folder))
            if relative is not None:
                return relative
    return path_name(os.fspath(file)).replace(os.sep, "/")


class ConfigError(Exception):
    """A configuration file or flag that cannot be used as written."""


@record(frozen=True)
class Config:
    select: tuple[str, ...] = ()  # empty: every code
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[Globs, tuple[str, ...]], ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()
    api_version: str | None = None
    fail_on: str = "error"
    max_questions: int | None = None  # F019's limit; None: the rule's default
    exclude: Globs = Globs(DEFAULT_EXCLUDE)
    extend_exclude: Globs = Globs()
    origin: str = "defaults"

    def enabled(self, code: str, file: str) -> bool:
        if self.select and not _matches(code, self.select):
            return False
        if _matches(code, self.ignore):
            return False
        return not any(globs.matches(file) and _matches(code, codes)
                       for globs, codes in self.per_file_ignores)

    def excludes(self, path: StrPath, is_dir: bool, top: StrPath) -> bool:
        """Whether a walk from `top` passes over this file or folder."""
        return (self.exclude.matches(path, is_dir, top)
                or self.extend_exclude.matches(path, is_dir, top))

    def apply(self, diagnostics: list[Diagnostic], file: str) -> list[Diagnostic]:
        """Drop what is not enabled, and give the rest their configured severity."""
        overrides = dict(self.severity)
        out = []
        for d in diagnostics:
            if not self.enabled(d.code, file):
                continue
            level = _most_specific(d.code, overrides)
            out.append(replace(d, severity=level) if level is not None else d)
        return out

    def fails(self, severity: Severity) -> bool:
        if self.fail_on == "never":
            return False
        return severity.rank >= Severity(self.fail_on).rank


def _matches(code: str, patterns: tuple[str, ...]) -> bool:
    return any(code.startswith(p) for p in patterns)


def _most_specific(code: str, overrides: dict[str, Severity]) -> Severity | None:
    best = max((p for p in overrides if code.startswith(p)), key=len, default=None)
    return overrides[best] if best is not None else None


# -- reading and validating -------------------------------------------------------

def _known_codes() -> list[str]:
    from ..rules import ALL_RULES

    return [r.code for r in ALL_RULES]


def _codes(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of codes, e.g. [\"F010\", \"R\"]")
    known = _known_codes()
    out = []
    for raw in value:
        code = raw.strip().upper()
        if not code or not any(k.startswith(code) for k in known):
            from ..findings.suggest import suggest

            close = suggest(code, known)
            hint = f"; did you mean {close.name!r}?" if close else "; `adflow rules` lists them"
            raise ConfigError(f"{where}: {raw!r} is not a code or code prefix{hint}")
        out.append(code)
    return tuple(out)


def _severity(value: Any, where: str) -> Severity:
    try:
        return Severity(value)
    except ValueError:
        raise ConfigError(f"{where}: {value!r} is not one of error, warning, info") from None


def _canonical(table: dict[str, Any], origin: str) -> dict[str, Any]:
    """The table with kebab-case keys; an unknown key is an error with a hint."""
    out: dict[str, Any] = {}
    spelled: dict[str, str] = {}
    for key, value in table.items():
        name = ALIASES.get(key, key)
        if name not in KEYS:
            from ..findings.suggest import suggest

            close = suggest(name, KEYS)
            hint = (f"; did you mean {close.name!r}?" if close
                    else f"; known keys: {', '.join(KEYS)}")
            raise ConfigError(f"{origin}: unknown key {key!r}{hint}")
        if name in out:
            raise ConfigError(f"{origin}: {spelled[name]!r} and {key!r} are the same setting; "
                              "keep one")
        out[name], spelled[name] = value, key
    return out


def _globs(value: Any, where: str, root: str | None) -> Globs:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of globs, e.g. [\"vendor/\", \"*.tmp.json\"]")
    from .files import MAX_STARS, costly_pattern, valid_pattern

    for pattern in value:
        if costly_pattern(pattern):
            raise ConfigError(f"{where}: {pattern!r} has more than {MAX_STARS} `*` wildcards in "
                              "one path segment, which would make matching names too slow")
        if not valid_pattern(pattern):
            raise ConfigError(f"{where}: {pattern!r} is not a glob .gitignore could use")
    return Globs(tuple(value), root)


def from_table(table: dict[str, Any], origin: str, root: StrPath | None,
               _seen: tuple[str, ...] = ()) -> Config:
    """The configuration a table describes; with `extend`, on top of its base."""
    table = _canonical(table, origin)
    root = None if root is None else os.fspath(root)
    settings: dict[str, Any] = {}
    if "per-file-ignores" in table:
        pfi = table["per-file-ignores"]
        if not isinstance(pfi, dict):
            raise ConfigError(f"{origin}: per-file-ignores: expected a table of glob = [codes]")
        settings["per_file_ignores"] = tuple(
            (_globs([glob], f"{origin}: per-file-ignores", root),
             _codes(codes, f"{origin}: per-file-ignores {glob!r}"))
            for glob, codes in sorted(pfi.items()))
    if "severity" in table:
        sev = table["severity"]
        if not isinstance(sev, dict):
            raise ConfigError(f"{origin}: severity: expected a table of "
                              'CODE = "error|warning|info"')
        settings["severity"] = tuple(
            (_codes(code, f"{origin}: severity")[0], _severity(level, f"{origin}: severity {code}"))
            for code, level in sorted(sev.items()))
    if "api-version" in table:
        api = table["api-version"]
        if not (isinstance(api, str) and _is_version(api)):
            raise ConfigError(f"{origin}: api-version: {api!r} is not a version like \"v25.0\"")
        settings["api_version"] = api
    if "max-questions" in table:
        max_questions = table["max-questions"]
        if not (type(max_questions) is int and max_questions >= 1):
            raise ConfigError(f"{origin}: max-questions: {max_questions!r} is not a whole number "
                              "of at least 1")
        settings["max_questions"] = max_questions
    if "fail-on" in table:
        fail_on = table["fail-on"]
        if fail_on not in FAIL_ON:
            raise ConfigError(f"{origin}: fail-on: {fail_on!r} is not one of {', '.join(FAIL_ON)}")
        settings["fail_on"] = fail_on
    for key in ("select", "ignore"):
        if key in table:
            settings[key] = _codes(table[key], f"{origin}: {key}")
    for key in ("exclude", "extend-exclude"):
        if key in table:
            settings[key.replace("-", "_")] = _globs(table[key], f"{origin}: {key}", root)
    base = Config()
    if "extend" in table:
        base = _extended(table["extend"], origin, root, _seen)
    return replace(base, origin=origin, **settings)


def _extended(value: Any, origin: str, root: str | None, seen: tuple[str, ...]) -> Config:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{origin}: extend: expected the path of a configuration file")
    path = os.path.realpath(os.path.join(root or os.getcwd(), os.path.expanduser(value)))
    if path in seen:
        raise ConfigError(f"{origin}: extend: {value!r} extends itself in a cycle")
    if not os.path.isfile(path):
        raise ConfigError(f"{origin}: extend: no such file: {value}")
    base = load_file(path, seen)
    if base is None:
        raise ConfigError(f"{origin}: extend: {value} has no [tool.adflow] section")
    return base


def _is_version(text: str) -> bool:
    head, _, tail = text.partition(".")
    return head[:1] == "v" and head[1:].isdigit() and tail.isdigit()


# A pyproject.toml gives adflow a table only where a key `adflow` is followed by
# `.`, `=` or `]` (`[tool.adflow]`, `[[tool."adflow".x]]`, `adflow = {...}` under
# [tool], `tool = {adflow = ...}`); a file with none is parsed no more than one
# without [tool.adflow] is used. Matching more (a URL's `adflow.git`) only parses.
_ADFLOW_KEY = re.compile(r"""\badflow["']?[ \t]*[.=\]]""")


def load_file(file: StrPath, _seen: tuple[str, ...] = ()) -> Config | None:
    """The adflow section of one file, or None when it has none (a pyproject
    without [tool.adflow])."""
    path = os.fspath(file)
    pyproject = os.path.basename(path) == "pyproject.toml"
    folder = os.path.dirname(path) or "."
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    if pyproject and not _ADFLOW_KEY.search(text):
        return None  # another tool's file: not parsed (tomllib costs a quick check 5 ms)
    import tomllib  # only where a configuration file exists

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    seen = (*_seen, os.path.realpath(path))
    if pyproject:
        table = data.get("tool", {}).get("adflow")
        if table is None:
            return None
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.adflow] must be a table")
        return from_table(table, f"{path} [tool.adflow]", folder, seen)
    if set(data) == {"tool"} and isinstance(data["tool"], dict) and "adflow" in data["tool"]:
        # The pyproject.toml form pasted into adflow.toml.
        raise ConfigError(f"{path}: [tool.adflow] is the table header of pyproject.toml: in "
                          "adflow.toml the keys stand at the top, without it (drop the "
                          "[tool.adflow] line, and write [tool.adflow.per-file-ignores] as "
                          "[per-file-ignores])")
    return from_table(data, path, folder, seen)


@record
class Finder:
    """Finds each file's configuration once per directory."""

    explicit: Config | None = None
    _by_dir: dict[str, Config] = field(default_factory=dict)

    def for_file(self, file: StrPath) -> Config:
        if self.explicit is not None:
            return self.explicit
        start = os.path.dirname(os.path.realpath(file))
        walked = []
        found: Config | None = None
        for directory in (start, *ancestors(start)):
            if directory in self._by_dir:
                found = self._by_dir[directory]
                break
            walked.append(directory)
            for name in ("adflow.toml", "pyproject.toml"):
                candidate = os.path.join(directory, name)
                if os.path.isfile(candidate):
                    found = load_file(candidate)
                    if found is not None:
                        break
            if found is not None:
                break
        config = found or Config()
        for directory in walked:
            self._by_dir[directory] = config
        return config


def with_flags(config: Config, *, select: str | None, ignore: str | None,
               fail_on: str | None, api_version: str | None) -> Config:
    """Command-line flags win over the file."""
    changes: dict[str, Any] = {}
    if select is not None:
        changes["select"] = _codes([c for c in select.split(",") if c], "--select")
    if ignore is not None:
        changes["ignore"] = config.ignore + _codes([c for c in ignore.split(",") if c], "--ignore")
    if fail_on is not None:
        changes["fail_on"] = fail_on
    if api_version is not None:
        if not _is_version(api_version):
            raise ConfigError(f"--api-version: {api_version!r} is not a version like v25.0")
        changes["api_version"] = api_version
    return replace(config, **changes) if changes else config
