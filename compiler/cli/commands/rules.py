"""`adflow rules`: every code with its severity and summary; as Markdown, one
documentation page per code."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from ...rules import ALL_RULES
from ._shared import UsageError, write

# The pages `--format markdown` writes: one per code (a page of a code that is
# gone is deleted), beside the index README.md.
_PAGE = re.compile(r"^[A-Z]\d{3}\.md$")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "json", "markdown"), default="text",
                        help="text (the default), json, or markdown: one page per code, "
                             "into the folder -o names")
    parser.add_argument("--output", "-o", metavar="PATH",
                        help="write here (a folder for --format markdown)")


def run(args: argparse.Namespace) -> int:
    if args.format == "markdown":
        if not args.output or args.output == "-":
            raise UsageError("--format markdown writes one page per code: give -o FOLDER")
        folder = Path(args.output)
        if folder.exists() and not folder.is_dir():
            raise UsageError(f"{args.output} is not a folder")
        try:
            written = _write_pages(folder)
        except OSError as exc:
            raise UsageError(f"cannot write {exc.filename}: {exc.strerror or exc}") from None
        print(f"wrote {len(written)} pages into {args.output}")
        return 0
    if args.format == "json":
        rows = [{"code": r.code, "name": r.name, "severity": r.severity.value,
                 "summary": r.summary, "doc": r.doc} for r in ALL_RULES]
        text = json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    else:
        text = "".join(f"{r.code}  {r.severity.value:<7}  {r.name:<32} {r.summary}\n"
                       for r in ALL_RULES)
    try:
        write(text, args.output)
    except OSError as exc:
        raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    return 0


def _write_pages(folder: Path) -> list[Path]:
    from ...findings.ruledocs import pages

    folder.mkdir(parents=True, exist_ok=True)
    wanted = pages(ALL_RULES)
    for old in folder.iterdir():
        if _PAGE.match(old.name) and old.name not in wanted:
            old.unlink()
    for name, text in wanted.items():
        write(text, str(folder / name))
    return [folder / name for name in wanted]
