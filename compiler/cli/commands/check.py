"""`adflow check PATH...`"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator

from ...findings.report import (
    concise_findings,
    counts,
    github_findings,
    render_concise,
    render_github,
    render_json,
    render_junit,
    render_sarif,
    render_statistics,
    render_statistics_json,
    render_text,
    slowest,
    summary_line,
    text_findings,
    use_colour,
)
from ...front.source import DEFAULT_MAX_BYTES, NotRegularFile, Source
from ...pipeline import FileResult, check_file, fails
from ...project.cache import DEFAULT_DIR as DEFAULT_CACHE_DIR
from ...project.config import FAIL_ON, Config, ConfigError, Finder, load_file, with_flags
from ...project.files import NOTHING_FOUND, Walked, discover
from ...project.paths import path_name
from ._shared import UsageError, cannot_read, unreadable, write

FORMATS = ("text", "concise", "json", "sarif", "github", "junit")
# Below this many files a process pool costs more than it saves.
PARALLEL_FROM = 16
SLOWEST = 5  # files -v names


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help=".adflow files, Graph API .json payloads, or directories; "
                             "- reads standard input")
    parser.add_argument("--stdin-filename", metavar="NAME",
                        help="the file name standard input stands for (configuration, "
                             "suppressions, .json or .adflow, messages)")
    # --output-format is ruff's spelling of the same choice.
    parser.add_argument("--format", "--output-format", dest="format", choices=FORMATS,
                        default="text", help="text (with source excerpts; the default), "
                        "concise (one line per finding), or a format for tools: json, sarif "
                        "(code scanning), github (workflow commands), junit")
    parser.add_argument("--force-exclude", action="store_true",
                        help="apply .gitignore, .adflowignore, exclude and the payload test "
                        "to files named on the command line too (for pre-commit)")
    parser.add_argument("--statistics", action="store_true",
                        help="print how many findings of each code instead of the findings")
    parser.add_argument("--verbose", "-v", action="store_true",
                        help="also name the slowest files in the summary")
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
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                        help="colour the text report (default auto: on a terminal, unless "
                             "NO_COLOR is set; FORCE_COLOR turns it on)")
    parser.add_argument("--cache-dir", metavar="DIR", default=DEFAULT_CACHE_DIR,
                        help="where results of unchanged files are kept "
                              f"(default {DEFAULT_CACHE_DIR})")
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


def _check_one(job: tuple[str, Config, str | None]) -> tuple[FileResult | str, float]:
    """A file's result, or why it could not be read (deleted, unreadable or
    replaced by a FIFO since the walk): the others are checked all the same.
    Reports need the text and the findings alone: the model is dropped (in a
    worker it would be pickled back at a cost larger than checking the file;
    kept, memory would grow with the number of files checked)."""
    started = time.perf_counter()
    path, config, cache_dir = job
    try:
        result: FileResult | str = check_file(path, config, cache_dir=cache_dir)
    except OSError as exc:
        result = cannot_read(path, exc)
    if isinstance(result, FileResult):
        result.document = None
        result.source = _lines_shown(result)
    return result, time.perf_counter() - started


def _lines_shown(result: FileResult) -> Source | None:
    """The text as far as the report shows it: the lines findings are on,
    the others before them left blank (so the line numbers stay), none after."""
    if result.source is None or not result.diagnostics:
        return None
    shown = {d.span.line for d in result.diagnostics}
    lines = result.source.text.split("\n")[:max(shown)]
    return Source(result.source.path, "\n".join(
        line if number in shown else "" for number, line in enumerate(lines, 1)))


def _outcomes(work: list[tuple[str, Config, str | None]],
              jobs: int) -> Iterator[tuple[FileResult | str, float]]:
    if jobs > 1 and len(work) >= PARALLEL_FROM:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # fork: workers start with adflow already imported.
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(jobs, mp_context=context) as pool:
            yield from pool.map(_check_one, work, chunksize=8)
    else:
        yield from map(_check_one, work)


def _finder(args: argparse.Namespace) -> Finder:
    explicit = None
    if args.config:
        explicit = load_file(path_name(args.config))
        if explicit is None:
            raise ConfigError(f"{args.config} has no [tool.adflow] section")
    return Finder(explicit)


def _files_and_configs(args: argparse.Namespace, stdin: str | None,
                       walked: Walked) -> tuple[list[str], list[Config]]:
    """What to check, each with its configuration (`exclude` prunes the walk)."""
    try:
        finder = _finder(args)
        files = [path_name(stdin)] if stdin is not None else discover(
            args.paths, lambda path, is_dir, top: finder.for_file(path).excludes(path, is_dir, top),
            force_exclude=args.force_exclude, walked=walked)
        fail_on = args.fail_on or ("warning" if args.strict else None)
        return files, [with_flags(finder.for_file(f), select=args.select, ignore=args.ignore,
                                  fail_on=fail_on, api_version=args.api_version) for f in files]
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    except (FileNotFoundError, NotRegularFile) as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:  # a name that cannot be looked at (too long, no permission)
        raise unreadable(exc.filename, exc) from None


def _keep_slowest(slow: list[tuple[float, str]], seconds: float, path: str) -> None:
    """Keep the heap `slow` to the SLOWEST slowest files."""
    import heapq  # for -v alone

    if len(slow) < SLOWEST:
        heapq.heappush(slow, (seconds, path))
    else:
        heapq.heappushpop(slow, (seconds, path))


def _progress(done: int, total: int, started: float, shown: bool) -> bool:
    """`done/total files` on a terminal once a check takes over a second;
    whether that line is unfinished now (`shown`: whether it was)."""
    if sys.stderr.isatty() and time.perf_counter() - started > 1.0:
        sys.stderr.write(f"\r{done}/{total} files" + ("\n" if done == total else ""))
        sys.stderr.flush()
        return done != total
    return shown


def _streamed(args: argparse.Namespace) -> Callable[[FileResult], str] | None:
    """How one file's findings are written, for the reports written as the
    files are checked: line by line ones, to standard output."""
    if args.output or args.statistics:
        return None
    colour = use_colour(sys.stdout, args.color)
    if args.format == "text":
        return lambda result: text_findings(result, colour)
    if args.format == "concise":
        return lambda result: concise_findings(result, colour)
    if args.format == "github":
        return github_findings
    return None


def _apply_fixes(args: argparse.Namespace, files: list[str], configs: list[Config]) -> int:
    from ...findings import fixes

    try:
        return fixes.run(files, configs, unsafe=args.unsafe_fixes, show_diff=args.diff)
    except fixes.FixNotWritten as exc:
        raise UsageError(str(exc)) from None


def _walk_notes(walked: Walked) -> list[str]:
    """What the walk passed over that the user should know of; the folders
    it could not read come back as problems (exit 2), like such files."""
    for link, top in walked.outside:
        _note(f"warning: {link} not checked: it links to a file outside {top} (links are "
              "not followed out of the folder checked, as git does not; name the file to "
              "check it)")
    return [cannot_read(exc.filename, exc) for exc in walked.unreadable]


def _note(text: str) -> None:
    from ...findings.report import terminal_safe  # names from the file system may hold anything

    sys.stderr.write(f"adflow: {terminal_safe(text)}\n")


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    stdin = _stdin_name(args)
    walked = Walked()
    files, configs = _files_and_configs(args, stdin, walked)
    problems = _walk_notes(walked)  # each an I/O error: reported, the others checked, exit 2
    if not files and problems:
        for problem in problems:
            _note(f"error: {problem}")
        return 2
    # Files that --force-exclude passed over were found, and skipped on purpose.
    if not files and not (args.force_exclude and any(os.path.isfile(p) for p in args.paths)):
        raise UsageError(NOTHING_FOUND)
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
    slow: list[tuple[float, str]] = []  # for -v: the slowest files, a heap
    read: list[Config] = []  # the configurations of the files read, beside `results`
    # Line by line reports to standard output are written as each file is
    # checked, and its findings let go: memory stays flat however many files.
    streamed = _streamed(args)
    tally = {"files": 0, "errors": 0, "warnings": 0, "infos": 0}
    failed = False
    work = list(zip(files, configs, [cache_dir] * len(files), strict=True))
    if stdin is not None:
        data = sys.stdin.buffer.read(DEFAULT_MAX_BYTES + 1)  # past the limit: S004
        outcomes: Iterable[tuple[FileResult | str, float]] = [
            (check_file(files[0], configs[0], data=data, display=stdin), 0.0)]
    else:
        outcomes = _outcomes(work, jobs)
    progress = False
    for done, ((path, config, _), (result, seconds)) in enumerate(
            zip(work, outcomes, strict=True), 1):
        if isinstance(result, str):
            problems.append(result)
        else:
            failed = failed or fails(result, config)
            counts([result], tally)
            if streamed is not None:
                piece = streamed(result)
                if piece:
                    if progress:  # the findings take the progress line's place
                        sys.stderr.write("\r\033[K")
                    write(piece, None)
            else:
                results.append(result)
                read.append(config)
            if args.verbose:
                _keep_slowest(slow, seconds, path)
        progress = _progress(done, len(files), started, progress)
    status = 2 if problems else 1 if failed else 0
    if streamed is not None:
        text = "" if args.format == "github" else summary_line(
            tally, use_colour(sys.stdout, args.color),
            None if args.format == "concise" or tally["files"] < 2
            else time.perf_counter() - started)
    else:
        text = _report(args, results, read, status, problems, started)
    try:
        write(text, args.output, inputs=files)
    except OSError as exc:
        raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    if args.output and args.format not in ("text", "concise"):
        # The report went to a file: keep the summary on the terminal.
        sys.stderr.write(summary_line(tally, False))
    if args.verbose and slow:
        # Timings change from run to run: never in the (deterministic) report.
        sys.stderr.write(slowest([(path, seconds) for seconds, path in slow], SLOWEST))
    for problem in problems:
        _note(f"error: {problem}")
    return status


def _report(args: argparse.Namespace, results: list[FileResult], configs: list[Config],
            status: int, problems: list[str], started: float) -> str:
    colour = use_colour(sys.stdout, args.color) and not args.output
    if args.statistics:
        from ...rules import ALL_RULES

        names = {r.code: r.name for r in ALL_RULES}
        if args.format == "json":
            return render_statistics_json(results, names)
        if args.format not in ("text", "concise"):
            raise UsageError("--statistics prints a table (--format text) or JSON (--format json)")
        return render_statistics(results, names)
    if args.format == "json":
        return render_json(results)
    if args.format == "sarif":
        from ...rules import ALL_RULES  # only here: a cache hit needs no rules

        return render_sarif(results, ALL_RULES, exit_code=status, problems=problems)
    if args.format == "github":
        return render_github(results)
    if args.format == "junit":
        return render_junit(results, lambda i, d: configs[i].fails(d.severity))
    if args.format == "concise":
        return render_concise(results, colour)
    return render_text(results, colour, time.perf_counter() - started if len(results) > 1 else None)
