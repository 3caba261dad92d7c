"""`adflow fmt [--check] [--diff] PATH...`"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from ...editor.fmt import FormatError, format_source
from ...findings.report import terminal_safe
from ...front.source import InputError, NotRegularFile, decode, read
from ...project.files import discover, write_atomic
from ._shared import UsageError, unreadable


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help=".adflow files or directories; - formats standard input to "
                             "standard output")
    parser.add_argument("--stdin-filename", metavar="NAME",
                        help="the file name standard input stands for, in messages")
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 and list the files that would change")
    parser.add_argument("--diff", action="store_true",
                        help="change nothing; print a unified diff of what would change")


def run(args: argparse.Namespace) -> int:
    if "-" in args.paths:
        return _run_stdin(args)
    if args.stdin_filename:
        raise UsageError("--stdin-filename names standard input: give - as the path")
    try:
        files = [f for f in map(Path, discover(args.paths)) if f.suffix == ".adflow"]
    except (FileNotFoundError, NotRegularFile) as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:  # a folder that cannot be read
        raise unreadable(exc.filename, exc) from None
    changed: list[Path] = []
    failed = False
    for path in files:
        try:
            source = read(path)
        except OSError as exc:
            raise unreadable(str(path), exc) from None
        except InputError as exc:
            sys.stderr.write(terminal_safe(f"{exc.span}: {exc.code} {exc.message}") + "\n")
            failed = True
            continue
        try:
            formatted = format_source(source)
        except FormatError as exc:
            sys.stderr.write(terminal_safe(f"cannot format {path}: {exc}") + "\n")
            failed = True
            continue
        original = path.read_bytes().decode("utf-8")  # as on disk: CRLF or a BOM is a change
        if formatted == original:
            continue
        changed.append(path)
        if args.diff:
            sys.stdout.writelines(difflib.unified_diff(
                original.splitlines(keepends=True), formatted.splitlines(keepends=True),
                f"{path} (original)", f"{path} (formatted)"))
        elif args.check:
            print(terminal_safe(f"would reformat {path}"))
        else:
            try:
                write_atomic(path, formatted)
            except OSError as exc:
                raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
            print(terminal_safe(f"reformatted {path}"))
    if failed:
        return 1
    if (args.check or args.diff) and changed:
        sys.stderr.write(f"{len(changed)} of {len(files)} files would be reformatted\n")
        return 1
    return 0


def _run_stdin(args: argparse.Namespace) -> int:
    """`adflow fmt -`: the formatted text on standard output. When it cannot
    be formatted, the text comes back unchanged (exit 1), so an editor that
    pipes its buffer through the formatter never loses it."""
    if args.paths != ["-"]:
        raise UsageError("- (standard input) cannot be mixed with other paths")
    name = args.stdin_filename or "-"
    if name.lower().endswith(".json"):
        raise UsageError(f"adflow fmt formats .adflow text, and {name} is JSON")
    try:
        data = sys.stdin.buffer.read()
    except OSError as exc:
        raise UsageError(f"cannot read standard input: {exc.strerror or exc}") from None
    original = data.decode("utf-8", errors="replace")
    try:
        formatted = format_source(decode(name, data))
    except InputError as exc:
        sys.stderr.write(terminal_safe(f"{exc.span}: {exc.code} {exc.message}") + "\n")
        formatted = None
    except FormatError as exc:
        sys.stderr.write(terminal_safe(f"cannot format {name}: {exc}") + "\n")
        formatted = None
    if args.check or args.diff:
        if formatted is None:
            return 1
        if formatted == original:
            return 0
        if args.diff:
            sys.stdout.writelines(difflib.unified_diff(
                original.splitlines(keepends=True), formatted.splitlines(keepends=True),
                f"{name} (original)", f"{name} (formatted)"))
        else:
            print(f"would reformat {name}")
        return 1
    sys.stdout.flush()
    sys.stdout.buffer.write(data if formatted is None else formatted.encode("utf-8"))
    return 1 if formatted is None else 0
