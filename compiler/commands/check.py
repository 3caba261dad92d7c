"""`adflow check PATH...`"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from ..cache import DEFAULT_DIR as DEFAULT_CACHE_DIR
from ..check import check_file, fails
from ..diagnostics import FileResult
from ..cli import UsageError
from ..config import FAIL_ON, Config, ConfigError, Finder, load_file, with_flags
from ..files import NotRegularFile, discover
from ..report import (render_github, render_json, render_junit, render_sarif, render_text,
                      use_colour, write)

FORMATS = ("text", "json", "sarif", "github", "junit")
# Below this many files a process pool costs more than it saves.
PARALLEL_FROM = 16


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help=".adflow files, Graph API .json payloads, or directories; "
                             "- reads standard input")
    parser.add_argument("--stdin-filename", metavar="NAME",
                        help="the file name standard input stands for (configuration, "
                             "suppressions, .json or .adflow, messages)")
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument("--output", "-o", metavar="FILE", help="write the report here")
    parser.add_argument("--strict", action="store_true",
                        help="warnings fail the check too (--fail-on warning)")
    parser.add_argument("--fail-on", choices=FAIL_ON, help="the lowest severity that fails")
    parser.add_argument("--config", metavar="FILE",
                        help="use this adflow.toml / pyproject.toml instead of looking for one")
    parser.add_argument("--select", metavar="CODES", help="only these codes or prefixes (a,b)")
    parser.add_argument("--ignore", metavar="CODES", help="also ignore these codes or prefixes")
    parser.add_argument("--api-version", metavar="vNN.N",
                        help="the Graph API version for files that name none")
    parser.add_argument("--jobs", "-j", type=int, default=0,
                        help="worker processes (0: as many as pay off)")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    parser.add_argument("--cache-dir", metavar="DIR", default=DEFAULT_CACHE_DIR,
                        help=f"where results of unchanged files are kept (default {DEFAULT_CACHE_DIR})")
    parser.add_argument("--no-cache", action="store_true", help="check every file afresh")
    parser.add_argument("--fix", action="store_true",
                        help="apply the safe fixes (each verified), then report what is left")
    parser.add_argument("--unsafe-fixes", action="store_true",
                        help="apply the unsafe fixes too (they may change meaning)")
    parser.add_argument("--diff", action="store_true",
                        help="write nothing: print the fixes as a unified diff (exit 1 if any)")


def _stdin_name(args: argparse.Namespace) -> str | None:
    """The name standard input stands for when the path is `-`, else None."""
    if "-" not in args.paths:
        if args.stdin_filename:
            raise UsageError("--stdin-filename names standard input: give - as the path")
        return None
    if args.paths != ["-"]:
        raise UsageError("- (standard input) cannot be mixed with other paths")
    if args.fix or args.unsafe_fixes or args.diff:
        raise UsageError("--fix, --unsafe-fixes and --diff change files, and - (standard "
                         "input) is none; editors apply fixes through `adflow lsp`")
    return str(args.stdin_filename or "-")


def _check_for_pool(job: tuple[Path, Config, str | None]) -> FileResult:
    path, config, cache_dir = job
    result = check_file(path, config, cache_dir=cache_dir)
    # Reports need the text and the findings; the model would only be
    # pickled back to the parent at a cost larger than checking the file.
    result.document = None
    return result


def _configs(args: argparse.Namespace, files: list[Path]) -> list[Config]:
    try:
        explicit = None
        if args.config:
            explicit = load_file(Path(args.config))
            if explicit is None:
                raise ConfigError(f"{args.config} has no [tool.adflow] section")
        finder = Finder(explicit)
        fail_on = args.fail_on or ("warning" if args.strict else None)
        return [with_flags(finder.for_file(f), select=args.select, ignore=args.ignore,
                           fail_on=fail_on, api_version=args.api_version) for f in files]
    except ConfigError as exc:
        raise UsageError(str(exc)) from None


def _progress(done: int, total: int, started: float) -> None:
    if sys.stderr.isatty() and time.perf_counter() - started > 1.0:
        sys.stderr.write(f"\r{done}/{total} files" + ("\n" if done == total else ""))
        sys.stderr.flush()


def _apply_fixes(args: argparse.Namespace, files: list[Path], configs: list[Config]) -> int:
    from .. import fixes

    try:
        return fixes.run(files, configs, unsafe=args.unsafe_fixes, show_diff=args.diff)
    except OSError as exc:
        raise UsageError(f"cannot fix {exc.filename}: {exc.strerror or exc}") from None


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    stdin = _stdin_name(args)
    try:
        files = [Path(stdin)] if stdin is not None else discover(args.paths)
    except (FileNotFoundError, NotRegularFile) as exc:
        raise UsageError(str(exc)) from None
    for path in files if stdin is None else ():
        if not os.access(path, os.R_OK) or path.is_dir():
            raise UsageError(f"cannot read {path}")
    configs = _configs(args, files)
    if args.fix or args.unsafe_fixes or args.diff:
        status = _apply_fixes(args, files, configs)
        if args.diff:
            return status
    # pre-commit already runs one process per core: a pool inside each
    # would only oversubscribe them.
    default_jobs = 1 if os.environ.get("PRE_COMMIT") else min(os.cpu_count() or 1, 8)
    jobs = args.jobs or default_jobs
    cache_dir = None if args.no_cache else args.cache_dir
    results: list[FileResult] = []
    try:
        if stdin is not None:
            results.append(check_file(files[0], configs[0], data=sys.stdin.buffer.read()))
        elif jobs > 1 and len(files) >= PARALLEL_FROM:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # fork: workers start with adflow already imported.
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(jobs, mp_context=context) as pool:
                work = zip(files, configs, [cache_dir] * len(files))
                for result in pool.map(_check_for_pool, work, chunksize=8):
                    results.append(result)
                    _progress(len(results), len(files), started)
        else:
            for path, config in zip(files, configs):
                results.append(check_file(path, config, cache_dir=cache_dir))
                _progress(len(results), len(files), started)
    except OSError as exc:
        raise UsageError(f"cannot read {exc.filename}: {exc.strerror or exc}") from None
    if args.format == "json":
        text = render_json(results)
    elif args.format == "sarif":
        from ..rules import ALL_RULES  # only here: a cache hit needs no rules

        text = render_sarif(results, ALL_RULES)
    elif args.format == "github":
        text = render_github(results)
    elif args.format == "junit":
        from ..rules import ALL_RULES

        text = render_junit(results, ALL_RULES)
    else:
        colour = use_colour(sys.stdout, args.color) and not args.output
        text = render_text(results, colour, time.perf_counter() - started if len(files) > 1 else None)
    try:
        write(text, args.output, inputs=files)
    except OSError as exc:
        raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    if args.output and args.format != "text":
        # The report went to a file: keep the summary on the terminal.
        sys.stderr.write(render_text([FileResult(r.path, None, None, r.diagnostics)
                                      for r in results], False).splitlines()[-1] + "\n")
    failed = any(fails(result, config) for result, config in zip(results, configs))
    return 1 if failed else 0
