"""Rendering diagnostics: text for people; JSON, SARIF, GitHub workflow commands
and JUnit XML for tools."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Sequence

from ..front.source import Source
from ..pipeline import FileResult
from .diagnostics import Diagnostic, Severity

TYPE_CHECKING = False  # typing is for mypy alone: importing it costs a quick check 4 ms
if TYPE_CHECKING:
    from typing import TextIO

    from ..front.source import Span
    from ..rules.base import Rule
    from .diagnostics import Fix

_COLOURS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


# What a file must not send to a terminal: C0 controls (ESC starts the
# escape sequences that move the cursor, clear the screen or set the clipboard
# (OSC 52)), DEL, C1 controls (U+009B is a one-character CSI), the Unicode
# line and paragraph separators, and the bidi controls that reorder a line.
# Lone surrogates stand for the bytes of a file name that are not UTF-8
# (os.fsdecode): no terminal, JSON or XML reader takes them as they are.
# Patterns compiled on first use (by re's cache): compiled, their Unicode
# classes cost a quick check a millisecond, and most texts need none.
_UNSAFE = ("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
           "\u200e\u200f\u061c\ud800-\udfff]")
_SURROGATE = "[\ud800-\udfff]"


def _escaped(m: re.Match[str]) -> str:
    code = ord(m.group())
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's stand-in for the byte code - 0xDC00
        code -= 0xDC00
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def json_text(value: object) -> str:
    """JSON that is valid UTF-8 whatever a file's name: the undecodable bytes
    of a name, which Python holds as lone surrogates, are written as \\udcNN
    escapes (json.loads and os.fsencode give the name's bytes back)."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return re.sub(_SURROGATE, lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def terminal_safe(text: str) -> str:
    """Text from a file as a terminal may show it: every control character
    escaped (`\\x1b`, `\\u2028`), so nothing in a file can act on the terminal.
    The one place this is decided, for diagnostics and the simulator alike."""
    if text.isprintable():  # every character _UNSAFE names is not
        return text
    return re.sub(_UNSAFE, _escaped, text)


def use_colour(stream: TextIO, choice: str = "auto") -> bool:
    """--color always/never, else the conventions: NO_COLOR (no-color.org)
    turns colour off; FORCE_COLOR (force-color.org) or CLICOLOR_FORCE other
    than 0 turn it on where no terminal is (CI logs); TERM=dumb and output
    that is not a terminal get none."""
    if choice != "auto":
        return choice == "always"
    env = os.environ
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR") or env.get("CLICOLOR_FORCE", "0") not in ("", "0"):
        return True
    if env.get("TERM") == "dumb":
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def counts(results: Iterable[FileResult],
           out: dict[str, int] | None = None) -> dict[str, int]:
    """Files and findings by severity; added to `out` when given."""
    if out is None:
        out = {"files": 0, "errors": 0, "warnings": 0, "infos": 0}
    for result in results:
        out["files"] += 1
        for d in result.diagnostics:
            out[{"error": "errors", "warning": "warnings", "info": "infos"}[d.severity.value]] += 1
    return out


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def render_text(results: Sequence[FileResult], colour: bool, seconds: float | None = None) -> str:
    return ("".join(text_findings(result, colour) for result in results)
            + summary_line(counts(results), colour, seconds))


def text_findings(result: FileResult, colour: bool) -> str:
    """One file's part of the text report: each finding, then a blank line."""
    return "".join(line + "\n" for d in result.diagnostics
                   for line in (*_text_one(d, result.source, colour), ""))


def summary_line(c: dict[str, int], colour: bool, seconds: float | None = None) -> str:
    """The last line of the text and concise reports, from `counts`."""
    summary = (f"{plural(c['files'], 'file')} checked: {plural(c['errors'], 'error')}, "
               f"{plural(c['warnings'], 'warning')}")
    if c["infos"]:
        summary += f", {c['infos']} info"
    if seconds is not None:
        summary += f" in {seconds:.2f}s"
    return ((_BOLD + summary + _RESET) if colour else summary) + "\n"


def cells(text: str) -> int:
    """How many terminal cells `text` takes: wide (CJK, emoji) characters
    two, combining marks and invisible format characters none."""
    if text.isascii():  # one cell each (controls are escaped before they are shown)
        return len(text)
    import unicodedata

    total = 0
    for c in text:
        if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf"):
            continue
        total += 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1
    return total


# No printed line of source (nor its caret line) is wider than this: a long
# line is shown as a window around the span, as rustc and ruff do.
MAX_WIDTH = 120
_LABEL = len(" warning")  # the caret line ends with the severity
_CUT = "..."


def _window(text: str, start: int, end: int, room: int) -> tuple[str, int, int]:
    """The line as shown (terminal-safe, at most `room` cells), the cells
    before the span's first character, and the cells the caret takes (at
    least one). Counted in cells: an escape is several, a wide character two."""
    pieces = [terminal_safe(c) for c in text]
    widths = [cells(p) for p in pieces]
    start = min(max(start, 0), len(text))
    end = min(max(end, start), len(text))
    if sum(widths) <= room:
        return "".join(pieces), sum(widths[:start]), max(1, sum(widths[start:end]))
    # Some context before the span: half of what the span leaves, at most 30 cells.
    span = sum(widths[start:end])
    context = max(8, min(30, (room - span) // 2))
    lo, used = start, 0
    while lo > 0 and used + widths[lo - 1] <= context:
        lo -= 1
        used += widths[lo]
    room -= len(_CUT) * ((lo > 0) + 1)  # a cut at either end is marked
    hi, used = lo, 0
    while hi < len(text) and used + widths[hi] <= room:
        used += widths[hi]
        hi += 1
    left = _CUT if lo > 0 else ""
    right = _CUT if hi < len(text) else ""
    shown = left + "".join(pieces[lo:hi]) + right
    before = len(left) + sum(widths[lo:start])
    return shown, before, max(1, sum(widths[start:min(end, hi)]))


def _text_one(d: Diagnostic, source: Source | None, colour: bool) -> list[str]:
    s = d.span
    safe = terminal_safe
    code = f"{_COLOURS[d.severity]}{_BOLD}{d.code}{_RESET}" if colour else d.code
    out = [f"{safe(s.file)}:{s.line}:{s.column}: {code} {safe(d.message)}"]
    if source is not None:
        text = source.line_text(s.line)
        if text or s.line <= source.text.count("\n") + 1:
            gutter = str(s.line)
            pad = " " * len(gutter)
            end = s.end_column if s.end_line == s.line else len(text) + 1
            shown, before, width = _window(text.replace("\t", " "), s.column - 1, end - 1,
                                           MAX_WIDTH - len(f" {gutter} | ") - _LABEL)
            caret = " " * before + "^" * width + " " + d.severity.value
            if colour:
                caret = _COLOURS[d.severity] + caret + _RESET
            out.append(f" {gutter} | {shown}")
            out.append(f" {pad} | {caret}")
    for note in d.notes:
        where = (f" ({safe(note.span.file)}:{note.span.line}:{note.span.column})"
                 if note.span else "")
        out.append(f"  note: {safe(note.message)}{where}")
    if d.help:
        out.append(f"  help: {safe(d.help)}")
    if d.fix is not None:
        flag = "--fix" if d.fix.applicability == "safe" else "--unsafe-fixes"
        out.append(f"  fix: {safe(d.fix.message)} (adflow check {flag})")
    return out


def render_json(results: Sequence[FileResult]) -> str:
    c = counts(results)
    payload = {
        "version": 1,
        "diagnostics": [d.to_json() for r in results for d in r.diagnostics],
        "summary": {"files": c["files"], "errors": c["errors"], "warnings": c["warnings"]},
    }
    return json_text(payload)


# -- SARIF 2.1.0, GitHub workflow commands, JUnit XML ----------------------------

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


# Findings code scanning should file as security alerts, with GitHub's
# security-severity (0-10): a leaked token gives the account away (X001);
# Trojan Source hides what code does from its reviewers (X004).
SECURITY_SEVERITY = {"X001": "9.0", "X004": "7.5"}
SRCROOT = "%SRCROOT%"


def fingerprints(diagnostics: Sequence[Diagnostic]) -> list[str]:
    """Stable across unrelated edits: the semantic place and field, not the
    line (front-end findings without a place fall back to the message, which
    names no line), then the occurrence of that place and code in the file,
    so that two findings in one place stay two alerts."""
    seen: dict[str, int] = {}
    out = []
    for d in diagnostics:
        place = f"{d.name}#{d.code}" if d.name else f"{d.span.file}:{d.message}#{d.code}"
        seen[place] = seen.get(place, 0) + 1
        out.append(f"{place}#{seen[place]}")
    return out


def _location(path: str) -> dict[str, str]:
    """Relative paths are relative to %SRCROOT%, the current directory. A
    URI names the file's bytes (RFC 3986 percent-encodes octets), so a name
    that is not UTF-8 keeps its bytes: 0xFF is %FF."""
    from pathlib import PurePath
    from urllib.parse import quote_from_bytes

    pure = PurePath(path)
    if pure.is_absolute():
        return {"uri": pure.as_uri()}
    return {"uri": quote_from_bytes(os.fsencode(pure.as_posix())), "uriBaseId": SRCROOT}


def _region(span: Span) -> dict[str, int]:
    region = {"startLine": span.line, "startColumn": span.column}
    # SARIF regions may not be empty-and-inverted; an empty span ends where it starts.
    if (span.end_line, span.end_column) > (span.line, span.column):
        region |= {"endLine": span.end_line, "endColumn": span.end_column}
    return region


def _sarif_fix(fix: Fix, file: str) -> dict[str, object]:
    # Every bound is given: an empty region is an insertion point, while an
    # absent endColumn would mean "to the end of the line".
    return {
        "description": {"text": fix.message},
        "artifactChanges": [{
            "artifactLocation": _location(file),
            "replacements": [{
                "deletedRegion": {"startLine": e.span.line, "startColumn": e.span.column,
                                  "endLine": e.span.end_line, "endColumn": e.span.end_column},
                "insertedContent": {"text": e.content},
            } for e in fix.edits],
        }],
        "properties": {"applicability": fix.applicability},
    }


def project_urls() -> dict[str, str]:
    """adflow's package metadata's [project.urls] (pyproject.toml), by label."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        urls: list[str] = metadata("adflow").get_all("Project-URL") or []
    except PackageNotFoundError:
        return {}
    return dict(u.split(", ", 1) for u in urls if ", " in u)


def information_url() -> str | None:
    """Where to learn about adflow (SARIF's `informationUri`): the project's
    `Homepage`, `Documentation` or `Repository` URL, or None while it
    declares none: no made-up address."""
    named = project_urls()
    return next((named[k] for k in ("Homepage", "Documentation", "Repository") if k in named),
                None)


def docs_url() -> str | None:
    """Where the rule pages (docs/rules/ of adflow's repository) are published,
    from adflow's package metadata ([project.urls] in pyproject.toml):
    `Documentation` is where docs/ is served, else the pages of `Repository`
    at this version's tag. None while the project declares neither: no
    made-up address."""
    named = project_urls()
    if "Documentation" in named:
        return named["Documentation"].rstrip("/") + "/rules"
    if "Repository" in named:
        from .. import __version__

        return f"{named['Repository'].rstrip('/')}/blob/v{__version__}/docs/rules"
    return None


def _sarif_rule(r: Rule, pages_url: str | None, sources: dict[str, str]) -> dict[str, object]:
    from .ruledocs import page, primary_url, readable

    out: dict[str, object] = {
        "id": r.code,
        "name": r.name,
        "shortDescription": {"text": r.summary},
        "fullDescription": {"text": r.doc.split("\n\n", 1)[0].replace("\n", " ") or r.summary},
        "help": {"text": readable(r.doc) or r.summary,
                 "markdown": page(r, sources.get(r.code))},
        "defaultConfiguration": {"level": _SARIF_LEVEL[r.severity]},
    }
    # helpUri: the public source behind the rule, else its page.
    primary = primary_url(r.evidence)
    if primary or pages_url:
        out["helpUri"] = primary or f"{pages_url}/{r.code}.md"
    properties: dict[str, object] = {}
    if r.evidence:
        properties["evidence"] = list(r.evidence)
    if r.code in SECURITY_SEVERITY:
        properties.update({"tags": ["security"],
                           "security-severity": SECURITY_SEVERITY[r.code]})
    if properties:
        out["properties"] = properties
    return out


def render_sarif(results: Sequence[FileResult], rules: Sequence[Rule],
                 exit_code: int = 0, problems: Sequence[str] = ()) -> str:
    """`exit_code`: what the run exits with (1 when findings fail it);
    `problems`: the files and folders that could not be read (the execution
    did not succeed for them: exit 2), as notifications of the tool."""
    from pathlib import Path

    from .. import __version__
    from .ruledocs import sources

    index = {r.code: i for i, r in enumerate(rules)}
    pages_url, where = docs_url(), sources()
    driver_rules = [_sarif_rule(r, pages_url, where) for r in rules]
    sarif_results = []
    for result in results:
        for d, print_ in zip(result.diagnostics, fingerprints(result.diagnostics), strict=True):
            item: dict[str, object] = {
                "ruleId": d.code,
                "level": _SARIF_LEVEL[d.severity],
                "message": {"text": d.message + (f"\nhelp: {d.help}" if d.help else "")},
                "locations": [{"physicalLocation": {
                    "artifactLocation": _location(d.span.file),
                    "region": _region(d.span)}}],
                "partialFingerprints": {"adflowPlace/v2": print_},
            }
            if d.code in index:
                item["ruleIndex"] = index[d.code]
            related = [{"id": i, "message": {"text": n.message}, "physicalLocation": {
                "artifactLocation": _location(n.span.file), "region": _region(n.span)}}
                for i, n in enumerate(d.notes) if n.span is not None]
            if related:
                item["relatedLocations"] = related
            if d.fix is not None:
                item["fixes"] = [_sarif_fix(d.fix, d.span.file)]
            sarif_results.append(item)
    driver: dict[str, object] = {"name": "adflow", "fullName": f"adflow {__version__}",
                                 "version": __version__, "semanticVersion": __version__}
    about = information_url()
    if about:
        driver["informationUri"] = about
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver | {"rules": driver_rules}},
            # The category code scanning files the alerts under (an id ending
            # in "/" is a category alone: runs stay comparable, no run id).
            "automationDetails": {"id": "adflow/"},
            "invocations": [{"executionSuccessful": not problems, "exitCode": exit_code} | (
                {"toolExecutionNotifications": [{"level": "error", "message": {"text": text}}
                                                for text in problems]} if problems else {})],
            "originalUriBaseIds": {SRCROOT: {"uri": Path.cwd().as_uri().rstrip("/") + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": sarif_results,
        }],
    }
    return json_text(log)


def _gh_escape(text: str, property_value: bool = False) -> str:
    # The log is shown as a terminal would: controls escaped, line breaks kept as %0A.
    text = "\n".join(terminal_safe(line) for line in text.split("\n"))
    text = text.replace("%", "%25").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def render_github(results: Sequence[FileResult]) -> str:
    return "".join(github_findings(result) for result in results)


def github_findings(result: FileResult) -> str:
    lines = []
    for d in result.diagnostics:
        s = d.span
        props = (f"file={_gh_escape(s.file, True)},line={s.line},col={s.column},"
                 f"endLine={s.end_line},endColumn={s.end_column},title={d.code}")
        message = d.message + (f"\nhelp: {d.help}" if d.help else "")
        lines.append(f"::{_GITHUB_LEVEL[d.severity]} {props}::{d.code} {_gh_escape(message)}")
    return "".join(line + "\n" for line in lines)


_XML_FORBIDDEN = "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]"


def xml_text(text: str) -> str:
    """Text XML 1.0 can hold: characters it forbids (control characters, and
    the lone surrogates that stand for undecodable bytes of a file name) are
    written as \\xNN instead."""
    return re.sub(_XML_FORBIDDEN, _escaped, text)


def render_junit(results: Sequence[FileResult], fails: Callable[[int, Diagnostic], bool]) -> str:
    """One test case per finding, plus one passing case per clean file. A
    finding is a <failure> only when it fails the run (`fails(index of the
    file, finding)`, i.e. under --fail-on); the others pass, their message in
    <system-out>."""
    import xml.etree.ElementTree as ET

    root = ET.Element("testsuites", name="adflow")
    total = failed = 0
    for i, result in enumerate(results):
        path = xml_text(result.path)
        suite = ET.SubElement(root, "testsuite", name=path)
        cases = failures = 0
        for d in result.diagnostics:
            s = d.span
            text = xml_text(f"{s.file}:{s.line}:{s.column}: {d.code} {d.severity.value}: "
                            f"{d.message}" + (f"\nhelp: {d.help}" if d.help else ""))
            case = ET.SubElement(suite, "testcase", classname=path,
                                 name=xml_text(f"{d.code} {s.line}:{s.column} {d.message}"))
            if fails(i, d):
                failure = ET.SubElement(case, "failure", type=d.severity.value,
                                        message=xml_text(f"{d.code} {d.message}"))
                failure.text = text
                failures += 1
            else:
                ET.SubElement(case, "system-out").text = text
            cases += 1
        if not result.diagnostics:
            ET.SubElement(suite, "testcase", classname=path, name="no findings")
            cases += 1
        suite.set("tests", str(cases))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        total += cases
        failed += failures
    root.set("tests", str(total))
    root.set("failures", str(failed))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# -- big runs: statistics, one line per finding, the slowest files --------------

def statistics(results: Sequence[FileResult]) -> list[tuple[str, int]]:
    """(code, how many), the most frequent first."""
    from collections import Counter

    found = Counter(d.code for r in results for d in r.diagnostics)
    return sorted(found.items(), key=lambda item: (-item[1], item[0]))


def render_statistics(results: Sequence[FileResult], names: dict[str, str]) -> str:
    rows = statistics(results)
    width = max((len(str(n)) for _, n in rows), default=1)
    return "".join(f"{n:>{width}}  {code}  {names.get(code, '')}".rstrip() + "\n"
                   for code, n in rows)


def render_statistics_json(results: Sequence[FileResult], names: dict[str, str]) -> str:
    rows = [{"code": code, "name": names.get(code), "count": n} for code, n in statistics(results)]
    return json_text(rows)


def render_concise(results: Sequence[FileResult], colour: bool) -> str:
    """One line per finding and the summary: for runs over many files."""
    return ("".join(concise_findings(result, colour) for result in results)
            + summary_line(counts(results), colour))


def concise_findings(result: FileResult, colour: bool) -> str:
    lines = []
    for d in result.diagnostics:
        s = d.span
        code = f"{_COLOURS[d.severity]}{_BOLD}{d.code}{_RESET}" if colour else d.code
        lines.append(f"{terminal_safe(s.file)}:{s.line}:{s.column}: {code} "
                     f"{terminal_safe(d.message)}")
    return "".join(line + "\n" for line in lines)


def slowest(timings: Sequence[tuple[str, float]], n: int = 5) -> str:
    """The summary line `-v` adds: the files that took longest."""
    top = sorted(timings, key=lambda t: -t[1])[:n]
    return "slowest: " + ", ".join(f"{terminal_safe(path)} {seconds:.2f}s"
                                   for path, seconds in top) + "\n"
