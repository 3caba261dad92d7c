"""Speed figures for adflow, measured side by side in one run (`make bench`).

Prints one row per figure of the speed issue's table, with its goal and the
ratio. Inputs are generated here, in a temporary folder. CPU time and peak
memory are read per child process with os.wait4, so one measurement never
leaks into another. On a shared machine wall-clock times swing with the other
load; the CPU-time ratios, measured one after the other in the same run, are
what the goals are about.

Each row is one function in ROWS: add a figure by adding a function.
"""

from __future__ import annotations

import functools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lsp_bench import lsp_did_change
from markets_bench import markets

ADFLOW = str(Path(sys.executable).with_name("adflow"))
HEADER = ["api v25.0", "account act_1", "page p 111222333444", ""]
QUESTIONS_PER_FORM = 39  # with the other objects, one unit is about 200 lines
BIG_LINES = 50_000
MANY_FILES = 2_000
IGNORE_FOLDERS = 4_000

@dataclass(frozen=True)
class Run:
    cpu: float  # user + system seconds
    wall: float
    max_rss_mb: float
    status: int


def run(cmd: list[str], cwd: str | None = None) -> Run:
    """One child process: its own CPU time and peak RSS (Linux: ru_maxrss in KiB)."""
    started = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return Run(usage.ru_utime + usage.ru_stime, time.perf_counter() - started,
               usage.ru_maxrss / 1024, child.returncode)


def median_cpu(cmd: list[str], runs: int = 9) -> float:
    return statistics.median(run(cmd).cpu for _ in range(runs))


def unit(i: int) -> list[str]:
    """A lead form, its creative, campaign, ad set and ad: about 200 lines, clean."""
    lines = [f"lead_form form{i} on p {{", f'  template_name "Quote {i}"',
             '  privacy_url "https://example.com/privacy"', '  reminder "Still there?"',
             f'  intro "Hi! Form {i}." -> q0']
    for q in range(QUESTIONS_PER_FORM):
        nxt = f"q{q + 1}" if q + 1 < QUESTIONS_PER_FORM else "phone"
        lines += [f'  question q{q} "Question number {q}?" {{',
                  f'    "Yes" -> {nxt}', f'    "No" -> {nxt}', "  }"]
    lines += ['  question phone "Your number?" prefill PHONE required validate -> done',
              '  confirmation done "Thanks!"', "}", "",
              f"creative image{i} {{", "  page p",
              '  image url "https://example.com/a.jpg" link "https://example.com"',
              '  message "Get a quote in Messenger"', "  call_to_action MESSAGE_PAGE -> MESSENGER",
              f"  welcome lead_form form{i}", "}", "",
              f"campaign camp{i} {{", "  objective OUTCOME_LEADS", "  special_ad_categories [NONE]",
              "  adset_budget_sharing false", "}", "",
              f"adset set{i} in camp{i} {{", "  optimization_goal QUALITY_LEAD",
              "  destination MESSENGER", "  daily_budget 5000", "  promoted_page p",
              "  targeting {", "    countries [NL, BE]", "  }", "}", "",
              f"ad ad{i} {{", f"  adset set{i}", f"  creative image{i}", "}", ""]
    return lines


def adflow_file(units: int) -> str:
    lines = list(HEADER)
    for i in range(units):
        lines += unit(i)
    return "\n".join(lines) + "\n"


def lines_of(path: Path) -> int:
    return path.read_text(encoding="utf-8").count("\n")


def lsp_recheck_cpu(lines: int = 500) -> float:
    """The language server's re-check of a `lines`-line file after a one-character
    edit (check and LSP conversion, as after each pause in typing), in seconds."""
    from adflow.compiler.editor.lsp import recheck
    from adflow.compiler.project.config import Finder

    body = list(HEADER) + unit(0) + unit(1)
    while len(body) + 6 <= lines:
        body += [f"campaign pad{len(body)} {{", "  objective OUTCOME_LEADS",
                 "  special_ad_categories [NONE]", "  adset_budget_sharing false", "}", ""]
    text = "\n".join(body) + "\n"
    finder = Finder()  # the server finds configuration once per folder
    # Loads the parser, as a server does once.
    recheck("bench.adflow", text, "file:///bench.adflow", finder)
    times = []
    for i in range(11):
        edited = text.replace('"Quote 0"', f'"Quote {i % 10}"', 1)
        started = time.process_time()
        recheck("bench.adflow", edited, "file:///bench.adflow", finder)
        times.append(time.process_time() - started)
    return statistics.median(times)


def row(figure: str, value: str, goal: str, ratio: str, ok: bool | None) -> None:
    verdict = "" if ok is None else ("met" if ok else "MISSED")
    print(f"{figure:<46} {value:>18}  {goal:<30} {ratio:>8}  {verdict}", flush=True)


class Bench:
    """The inputs and the measurements rows share, made on first use."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.help = subprocess.run([ADFLOW, "check", "--help"], capture_output=True,
                                   text=True).stdout
        self.no_cache = ["--no-cache"] if "--no-cache" in self.help else []

    @functools.cached_property
    def baseline(self) -> float:
        """CPU seconds of `python -c pass`: the yardstick of every start-up figure."""
        return median_cpu([sys.executable, "-c", "pass"])

    @functools.cached_property
    def small(self) -> Path:
        path = self.root / "form200.adflow"
        path.write_text(adflow_file(1))
        # Checked once: the generated file must be clean, as a committed file
        # usually is (one with syntax errors also loads Lark's parser).
        assert run([ADFLOW, "check", str(path), *self.no_cache]).status == 0, "errors in form200"
        return path

    @functools.cached_property
    def big(self) -> Path:
        path = self.root / "big.adflow"
        path.write_text(adflow_file(BIG_LINES // len(unit(0)) + 1))
        return path

    @functools.cached_property
    def compile_runs(self) -> list[Run]:
        plan = self.root / "big.plan.json"
        cmd = [ADFLOW, "compile", str(self.big), "--emit", "json", "-o", str(plan)]
        runs = [run(cmd) for _ in range(3)]
        assert all(r.status == 0 for r in runs) and plan.exists(), "the big file did not compile"
        return runs


def python_pass(b: Bench) -> None:
    row("python -c pass, CPU", f"{b.baseline * 1000:.1f} ms", "(the yardstick)", "1.0x", None)


def cold_check(b: Bench) -> None:
    # check runs the rules and the request schemas on every body
    cpu = median_cpu([ADFLOW, "check", str(b.small), *b.no_cache])
    ratio = cpu / b.baseline
    row(f"cold check, {lines_of(b.small)}-line file, CPU", f"{cpu * 1000:.1f} ms",
        "<= 5x python -c pass", f"{ratio:.1f}x", ratio <= 5)


def cache_hit(b: Bench) -> None:
    goal = "<= 2x python -c pass"
    if "--cache-dir" not in b.help:
        row("re-check, unchanged file, cache, CPU", "n/a (no cache)", goal, "", None)
        return
    cmd = [ADFLOW, "check", str(b.small), "--cache-dir", str(b.root / "cache")]
    run(cmd)  # fill the cache
    cpu = median_cpu(cmd)
    ratio = cpu / b.baseline
    row("re-check, unchanged file, cache, CPU", f"{cpu * 1000:.1f} ms", goal, f"{ratio:.1f}x",
        ratio <= 2)


def compile_big(b: Bench) -> None:
    cpu = statistics.median(r.cpu for r in b.compile_runs)
    # The same information as JSON: the plan itself, parsed in this process.
    plan_text = (b.root / "big.plan.json").read_text(encoding="utf-8")
    loads = []
    for _ in range(5):
        started = time.process_time()
        json.loads(plan_text)
        loads.append(time.process_time() - started)
    loads_cpu = statistics.median(loads)
    ratio = cpu / loads_cpu
    row(f"compile --emit json, {lines_of(b.big):,} lines, CPU", f"{cpu:.2f} s",
        "<= 40x json.loads (moonshot 30x)", f"{ratio:.0f}x", ratio <= 40)
    row(f"  (json.loads of the {len(plan_text) / 1e6:.1f} MB plan)",
        f"{loads_cpu * 1000:.1f} ms", "", "", None)


def many_files(b: Bench) -> None:
    goal = ">= 1.8x faster on 2 cores"
    cores = os.cpu_count() or 1
    if "--jobs" not in b.help:
        row(f"{MANY_FILES:,} files, -j {cores} vs -j 1, wall", "n/a (no --jobs)", goal, "", None)
        return
    many = b.root / "many"
    many.mkdir()
    text = adflow_file(1)
    for i in range(MANY_FILES):
        (many / f"f{i:04}.adflow").write_text(text)
    one = run([ADFLOW, "check", "-j", "1", str(many), *b.no_cache])
    every = run([ADFLOW, "check", "-j", str(cores), str(many), *b.no_cache])
    speedup = one.wall / every.wall
    row(f"{MANY_FILES:,} files, -j {cores} vs -j 1, wall",
        f"{every.wall:.1f} s vs {one.wall:.1f} s",
        goal, f"{speedup:.2f}x", speedup >= 1.8 if cores >= 2 else None)
    # Wall time needs idle cores; on a shared machine the CPU the pool adds
    # tells what it would give: N cores at most N / (this ratio) faster.
    row("  (the same, CPU of all processes)", f"{every.cpu:.1f} s vs {one.cpu:.1f} s", "",
        f"{every.cpu / one.cpu:.2f}x", None)


def ignore_files(b: Bench) -> None:
    """Every folder with its own ignore file: each applies only below its
    folder, so the walk's work grows with the folders, not their square."""
    trees = {}
    for name, ignore in (("plain", None), ("ignored", "*.tmp\n")):
        top = b.root / f"folders-{name}"
        for i in range(IGNORE_FOLDERS):
            folder = top / f"d{i:04}"
            folder.mkdir(parents=True)
            (folder / "a.adflow").write_text("page p 1\n")
            if ignore:
                (folder / ".adflowignore").write_text(ignore)
        trees[name] = run([ADFLOW, "check", "-j", "1", str(top), *b.no_cache]).cpu
    ratio = trees["ignored"] / trees["plain"]
    row(f"{IGNORE_FOLDERS:,} folders with ignore files, CPU",
        f"{trees['ignored']:.1f} s vs {trees['plain']:.1f} s", "<= 1.5x without them",
        f"{ratio:.2f}x", ratio <= 1.5)


def lsp_recheck(b: Bench) -> None:
    cpu = lsp_recheck_cpu()
    row("LSP re-check, 500 lines, 1-char edit, CPU", f"{cpu * 1000:.1f} ms", "<= 30 ms",
        f"{cpu / 0.030:.1f}x", cpu <= 0.030)


def peak_memory(b: Bench) -> None:
    peak = max(r.max_rss_mb for r in b.compile_runs)
    row(f"peak memory, compile of {lines_of(b.big):,} lines", f"{peak:.0f} MB", "<= 120 MB",
        f"{peak / 120:.2f}x", peak <= 120)


ROWS: list[Callable[[Bench], None]] = [python_pass, cold_check, cache_hit, compile_big,
                                       many_files, ignore_files, lsp_recheck, peak_memory,
                                       lsp_did_change, markets]


def main(argv: list[str] | None = None) -> int:
    """`bench.py` runs every row; `bench.py NAME...` only those (e.g. cold_check)."""
    names = argv if argv is not None else sys.argv[1:]
    chosen = [r for r in ROWS if not names or r.__name__ in names]
    print(f"adflow bench: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print("(ratios are CPU times measured one after the other in this run)\n")
    row("figure", "measured", "goal", "ratio", None)
    with tempfile.TemporaryDirectory() as tmp:
        bench = Bench(Path(tmp))
        for measure in chosen:
            measure(bench)
    return 0


if __name__ == "__main__":
    sys.exit(main())
