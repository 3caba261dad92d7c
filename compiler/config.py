"""Project configuration: `[tool.adflow]` in pyproject.toml, or adflow.toml.

Found by walking up from each checked file; the nearest file that has an
adflow section wins. Every key and value is validated: a typo in a linter's
configuration must not silently switch a check off, so problems are a
ConfigError (exit 2), never ignored.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath
from typing import Any

from .diagnostics import Diagnostic, Severity

FAIL_ON = ("error", "warning", "info", "never")
_KEYS = ("select", "ignore", "per-file-ignores", "severity", "api_version", "fail_on",
         "max_questions")


class ConfigError(Exception):
    """A configuration file or flag that cannot be used as written."""


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] = ()  # empty: every code
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()
    api_version: str | None = None
    fail_on: str = "error"
    max_questions: int | None = None  # F019's limit; None: the rule's default
    root: Path | None = None  # per-file-ignores globs are relative to it
    origin: str = "defaults"

    def enabled(self, code: str, file: str) -> bool:
        if self.select and not _matches(code, self.select):
            return False
        if _matches(code, self.ignore):
            return False
        relative = self._relative(file)
        for pattern, codes in self.per_file_ignores:
            if _glob(relative, pattern) and _matches(code, codes):
                return False
        return True

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

    def _relative(self, file: str) -> str:
        path = Path(file)
        if self.root is not None:
            try:
                return path.resolve().relative_to(self.root.resolve()).as_posix()
            except ValueError:
                pass
        return PurePath(file).as_posix()


def _matches(code: str, patterns: tuple[str, ...]) -> bool:
    return any(code.startswith(p) for p in patterns)


def _most_specific(code: str, overrides: dict[str, Severity]) -> Severity | None:
    best = max((p for p in overrides if code.startswith(p)), key=len, default=None)
    return overrides[best] if best is not None else None


def _glob(relative: str, pattern: str) -> bool:
    if fnmatch.fnmatchcase(relative, pattern):
        return True
    # A pattern without a slash names files anywhere, like .gitignore.
    return "/" not in pattern and fnmatch.fnmatchcase(PurePath(relative).name, pattern)


# -- reading and validating -------------------------------------------------------

def _known_codes() -> list[str]:
    from .rules import ALL_RULES

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
            from .suggest import suggest

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


def from_table(table: dict[str, Any], origin: str, root: Path | None) -> Config:
    unknown = sorted(set(table) - set(_KEYS))
    if unknown:
        key = unknown[0]
        from .suggest import suggest

        close = suggest(key, _KEYS)
        hint = f"; did you mean {close.name!r}?" if close else f"; known keys: {', '.join(_KEYS)}"
        raise ConfigError(f"{origin}: unknown key {key!r}{hint}")
    pfi = table.get("per-file-ignores", {})
    if not isinstance(pfi, dict):
        raise ConfigError(f"{origin}: per-file-ignores: expected a table of glob = [codes]")
    sev = table.get("severity", {})
    if not isinstance(sev, dict):
        raise ConfigError(f"{origin}: severity: expected a table of CODE = \"error|warning|info\"")
    api = table.get("api_version")
    if api is not None and not (isinstance(api, str) and _is_version(api)):
        raise ConfigError(f"{origin}: api_version: {api!r} is not a version like \"v25.0\"")
    max_questions = table.get("max_questions")
    if max_questions is not None and not (
            type(max_questions) is int and max_questions >= 1):
        raise ConfigError(f"{origin}: max_questions: {max_questions!r} is not a whole number "
                          "of at least 1")
    fail_on = table.get("fail_on", "error")
    if fail_on not in FAIL_ON:
        raise ConfigError(f"{origin}: fail_on: {fail_on!r} is not one of {', '.join(FAIL_ON)}")
    return Config(
        select=_codes(table.get("select", []), f"{origin}: select"),
        ignore=_codes(table.get("ignore", []), f"{origin}: ignore"),
        per_file_ignores=tuple(
            (glob, _codes(codes, f"{origin}: per-file-ignores {glob!r}"))
            for glob, codes in sorted(pfi.items())),
        severity=tuple(
            (_codes(code, f"{origin}: severity")[0], _severity(level, f"{origin}: severity {code}"))
            for code, level in sorted(sev.items())),
        api_version=api, fail_on=fail_on, max_questions=max_questions, root=root,
        origin=origin)


def _is_version(text: str) -> bool:
    head, _, tail = text.partition(".")
    return head[:1] == "v" and head[1:].isdigit() and tail.isdigit()


def load_file(path: Path) -> Config | None:
    """The adflow section of one file, or None when it has none (a pyproject
    without [tool.adflow])."""
    import tomllib  # only where a configuration file exists

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("adflow")
        if table is None:
            return None
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.adflow] must be a table")
        return from_table(table, f"{path} [tool.adflow]", path.parent)
    return from_table(data, str(path), path.parent)


@dataclass
class Finder:
    """Finds each file's configuration once per directory."""

    explicit: Config | None = None
    _by_dir: dict[Path, Config] = field(default_factory=dict)

    def for_file(self, file: Path) -> Config:
        if self.explicit is not None:
            return self.explicit
        start = file.resolve().parent
        walked = []
        found: Config | None = None
        for directory in (start, *start.parents):
            if directory in self._by_dir:
                found = self._by_dir[directory]
                break
            walked.append(directory)
            for name in ("adflow.toml", "pyproject.toml"):
                candidate = directory / name
                if candidate.is_file():
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
