"""The command line of the modules that write files from the code
(`facts/write_schemas.py`, `write_records.py`): write what is stale, or with
`--check` write nothing and exit 1 when a file is not what it should be."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from .project.files import write_atomic


def main(prog: str, doc: str, wanted: Callable[[], dict[Path, str]],
         argv: list[str] | None = None) -> int:
    """`wanted()`: each written file and the text it should hold."""
    parser = argparse.ArgumentParser(prog=f"python -m {prog}", description=doc.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a file is not up to date")
    args = parser.parse_args(argv)
    stale = []
    for path, want in wanted().items():
        if path.read_text(encoding="utf-8") != want:
            stale.append(path.name)
            if not args.check:
                write_atomic(path, want)
    verb = "stale" if args.check else "written"
    for name in stale:
        print(f"{verb}: {name}", file=sys.stderr)
    return 1 if args.check and stale else 0
