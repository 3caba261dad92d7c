"""`adflow fmt [--check] [--diff] PATH...`"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from ..cli import UsageError
from ..files import NotRegularFile, discover, write_atomic
from ..fmt import FormatError, format_source
from ..report import terminal_safe
from ..source import InputError, read


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help=".adflow files or directories")
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 and list the files that would change")
    parser.add_argument("--diff", action="store_true",
                        help="change nothing; print a unified diff of what would change")


def run(args: argparse.Namespace) -> int:
    try:
        files = [f for f in discover(args.paths) if f.suffix == ".adflow"]
    except (FileNotFoundError, NotRegularFile) as exc:
        raise UsageError(str(exc)) from None
    changed: list[Path] = []
    failed = False
    for path in files:
        try:
            source = read(path)
        except OSError as exc:
            raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
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
