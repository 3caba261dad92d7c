"""`adflow check --fix / --unsafe-fixes / --diff`: applying the fixes that
diagnostics carry.

Fixes are applied one at a time, and each is verified: the text is checked
again, the finding must be gone, and the file must have no more errors than
before, or, for a fix that removes a syntax error, no new findings on the
text it writes (otherwise the fix is left out and reported). Positions move after
each edit, so the next fix is taken from the new check's findings, until
none is left or a bound is reached. Edits touch only the characters they
name: comments and layout stay. The file keeps its line endings and
byte-order mark and is written atomically.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..front.source import DEFAULT_MAX_BYTES, InputError, Source, decode
from ..records import field, record
from .diagnostics import Diagnostic, Fix

if TYPE_CHECKING:
    from ..project.config import Config

# Applied and refused fixes together, per file: every attempt costs a check.
MAX_ATTEMPTS = 100

Checker = Callable[[Source], list[Diagnostic]]


@record
class Outcome:
    path: str
    original: str  # the decoded text as read
    text: str  # after the fixes
    applied: list[Diagnostic] = field(default_factory=list)
    refused: list[tuple[Diagnostic, str]] = field(default_factory=list)  # and why

    @property
    def changed(self) -> bool:
        return self.text != self.original


def errors(diagnostics: list[Diagnostic]) -> int:
    return sum(d.severity.value == "error" for d in diagnostics)


def apply(source: Source, fix: Fix) -> str:
    """The text with the fix's edits made (they do not overlap)."""
    return _applied(source, fix)[0]


def _applied(source: Source, fix: Fix) -> tuple[str, list[tuple[int, int]]]:
    """The text with the fix's edits made, and where each edit's new text
    lies in it (character offsets, start and end)."""
    text = source.text
    edits = sorted(((source.offset(e.span.line, e.span.column),
                     source.offset(e.span.end_line, e.span.end_column), e.content)
                    for e in fix.edits), reverse=True)
    for start, end, content in edits:
        text = text[:start] + content + text[max(start, end):]
    regions, shift = [], 0
    for start, end, content in reversed(edits):  # first edit first: each moves the next
        regions.append((start + shift, start + shift + len(content)))
        shift += len(content) - (max(start, end) - start)
    return text, regions


def wanted(fix: Fix | None, unsafe: bool) -> bool:
    return fix is not None and (fix.applicability == "safe" or unsafe)


SYNTAX_ERRORS = ("S001", "S002")


def fix_source(source: Source, check: Checker, *, unsafe: bool) -> tuple[
        str, list[Diagnostic], list[tuple[Diagnostic, str]]]:
    """Apply every wanted fix that verifies; returns the text, the findings
    fixed and the fixes refused (with the reason).

    A fix that removes a syntax error brings to light what the error hid (the
    statement it skipped is read again): those findings were the file's all
    along. So such a fix is judged by what it removes and by the findings new
    on the text it writes, and applied when there are none. Other fixes are
    applied in chains: a chain is kept once the file has no more errors than
    before it; one that ends with more is undone and its first fix refused.
    """
    kept, kept_findings = source, check(source)
    current, findings = kept, kept_findings
    applied: list[Diagnostic] = []
    chain: list[Diagnostic] = []
    refused: list[tuple[Diagnostic, str]] = []
    refused_keys: set[tuple[str, str, str]] = set()
    for _ in range(MAX_ATTEMPTS):
        todo = [d for d in findings if wanted(d.fix, unsafe) and _key(d) not in refused_keys]
        if not todo:
            if not chain:
                break
            added = errors(findings) - errors(kept_findings)
            refused.append((chain[0], f"it would add {added} error{'' if added == 1 else 's'}"))
            refused_keys.add(_key(chain[0]))
            current, findings, chain = kept, kept_findings, []
            continue
        candidate = todo[0]
        assert candidate.fix is not None
        text, regions = _applied(current, candidate.fix)
        after = Source(source.path, text)
        verdict = check(after)
        if _count(verdict, candidate) >= _count(findings, candidate):
            refused.append((candidate, "the finding would remain"))
            refused_keys.add(_key(candidate))
            continue
        if _syntax_errors(verdict) < _syntax_errors(findings):
            new = _new_where_edited(after, regions, findings, verdict)
            if new:
                refused.append((candidate, f"it would bring {new[0].code} ({new[0].message}) "
                                           f"where it edits, at line {new[0].span.line}"))
                refused_keys.add(_key(candidate))
                continue
            kept, kept_findings = current, findings = after, verdict
            applied += [*chain, candidate]
            chain = []
            continue
        chain.append(candidate)
        current, findings = after, verdict
        if errors(findings) <= errors(kept_findings):
            kept, kept_findings = current, findings
            applied += chain
            chain = []
    return kept.text, applied, refused


def _syntax_errors(findings: list[Diagnostic]) -> int:
    return sum(d.code in SYNTAX_ERRORS for d in findings)


def _new_where_edited(after: Source, regions: list[tuple[int, int]],
                      before: list[Diagnostic], verdict: list[Diagnostic]) -> list[Diagnostic]:
    """The findings of `verdict` on the text an edit wrote (touching it) that
    `before` did not have (compared by code and message: positions move)."""
    old = Counter((d.code, d.message) for d in before)
    new = []
    for d in verdict:
        start = after.offset(d.span.line, d.span.column)
        end = after.offset(d.span.end_line, d.span.end_column)
        if not any(start <= right and left <= end for left, right in regions):
            continue
        if old[(d.code, d.message)] > 0:
            old[(d.code, d.message)] -= 1
        else:
            new.append(d)
    return new


def _count(findings: list[Diagnostic], like: Diagnostic) -> int:
    return sum(_key(d) == _key(like) for d in findings)


def _key(d: Diagnostic) -> tuple[str, str, str]:
    # Not the position: it moves as earlier fixes change the text.
    return (d.code, d.message, d.fix.message if d.fix else "")


def fix_file(path: str, data: bytes, check: Checker, *, unsafe: bool) -> Outcome | None:
    """None when the file is not text adflow reads (nothing to fix)."""
    display = str(path)
    try:
        source = decode(display, data, max_bytes=len(data))
    except InputError:
        return None
    text, applied, refused = fix_source(source, check, unsafe=unsafe)
    return Outcome(path, source.text, text, applied, refused)


def mixed_line_endings(data: bytes) -> bool:
    """CRLF beside bare LF or CR: writing back would have to pick one."""
    bare = data.replace(b"\r\n", b"")
    return sum((b"\r\n" in data, b"\n" in bare, b"\r" in bare)) > 1


def as_written(original: bytes, text: str) -> bytes:
    """The fixed text in the file's own conventions: its line ending (CRLF,
    CR or LF) and byte-order mark, which decoding set aside."""
    if b"\r\n" in original:
        text = text.replace("\n", "\r\n")
    elif b"\r" in original:
        text = text.replace("\n", "\r")
    data = text.encode("utf-8")
    return b"\xef\xbb\xbf" + data if original.startswith(b"\xef\xbb\xbf") else data


def diff(outcome: Outcome, display: str) -> str:
    return "".join(difflib.unified_diff(
        outcome.original.splitlines(keepends=True), outcome.text.splitlines(keepends=True),
        f"{display} (original)", f"{display} (fixed)"))


def describe_refused(outcome: Outcome) -> list[str]:
    lines = []
    for d, reason in outcome.refused:
        assert d.fix is not None
        lines.append(f"{d.span}: {d.code} fix not applied ({d.fix.message}): {reason}")
    return lines


def checker(config: Config) -> Checker:
    """What `adflow check` reports for a text under `config`: the one
    pipeline, with inline suppressions and the configuration."""
    from ..pipeline import check_file

    def check(source: Source) -> list[Diagnostic]:
        return check_file(source.path, config, data=source.text.encode("utf-8"),
                          display=source.path).diagnostics
    return check


class FixNotWritten(Exception):
    """A fixed file could not be written back (the original is untouched)."""

    def __init__(self, path: str, cause: OSError) -> None:
        super().__init__(f"cannot fix {path}: {cause.strerror or cause}")
        self.path = path


def _changed_since(path: str, original: bytes) -> bool:
    """Whether the file no longer holds `original` (a short window remains
    between this look and the rename, but not the whole check's)."""
    from ..front.source import read_bytes

    try:
        return read_bytes(path, max_bytes=DEFAULT_MAX_BYTES) != original
    except (OSError, InputError):
        return True


def run(files: list[str], configs: list[Config], *, unsafe: bool, show_diff: bool) -> int:
    """Fix the files in place, or with `show_diff` print what would change
    and write nothing. Returns 1 when `show_diff` found something to change."""
    import sys

    from ..front.source import read_bytes
    from ..project.files import write_atomic

    fixed = changed = 0
    for path, config in zip(files, configs, strict=True):
        try:
            original = read_bytes(path, max_bytes=DEFAULT_MAX_BYTES)
        except (OSError, InputError):
            continue  # the check that follows reports why it cannot be read
        if mixed_line_endings(original):
            sys.stderr.write(f"{path}: not fixed: it mixes line endings (CRLF and LF), "
                             "which writing it back would change\n")
            continue
        outcome = fix_file(path, original, checker(config), unsafe=unsafe)
        if outcome is None:
            continue
        for line in describe_refused(outcome):
            sys.stderr.write(line + "\n")
        if not outcome.changed:
            continue
        if show_diff:
            sys.stdout.write(diff(outcome, str(path)))
        elif _changed_since(path, original):  # an editor saved it meanwhile: its text wins
            sys.stderr.write(f"{path}: not fixed: it changed while it was being fixed; "
                             "run again\n")
            continue
        else:
            try:
                write_atomic(path, as_written(original, outcome.text))
            except OSError as exc:  # the temporary file's name, or none: name the file
                raise FixNotWritten(path, exc) from exc
        changed += 1
        fixed += len(outcome.applied)
    verb = "would fix" if show_diff else "fixed"
    if fixed:
        sys.stderr.write(f"{verb} {fixed} finding{'' if fixed == 1 else 's'} in "
                         f"{changed} file{'' if changed == 1 else 's'}\n")
    return 1 if show_diff and changed else 0
