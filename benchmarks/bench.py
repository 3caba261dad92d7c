"""Speed figures for adflow, measured side by side in one run (`make bench`).

Prints each figure of issue 7's table with its goal and the ratio. Inputs
are generated here, in a temporary folder. CPU time and peak memory are read
per child process with os.wait4, so one measurement never leaks into another.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ADFLOW = str(Path(sys.executable).with_name("adflow"))
HEADER = ["api v25.0", "account act_1", "page p 111222333444", ""]
QUESTIONS_PER_FORM = 39  # with the other objects, one unit is about 200 lines
BIG_LINES = 50_000


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


def median_cpu(cmd: list[str], runs: int = 7) -> float:
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


def check_help() -> str:
    return subprocess.run([ADFLOW, "check", "--help"], capture_output=True, text=True).stdout


def lsp_recheck_cpu(lines: int = 500) -> float:
    """The language server's re-check of a `lines`-line file after a one-character
    edit (check and LSP conversion, as after each pause in typing), in seconds."""
    from adflow.compiler.config import Finder
    from adflow.compiler.lsp import recheck

    body = list(HEADER) + unit(0) + unit(1)
    while len(body) + 6 <= lines:
        body += [f"campaign pad{len(body)} {{", "  objective OUTCOME_LEADS",
                 "  special_ad_categories [NONE]", "  adset_budget_sharing false", "}", ""]
    text = "\n".join(body) + "\n"
    finder = Finder()  # the server finds configuration once per folder
    recheck("bench.adflow", text, "file:///bench.adflow", finder)  # loads the parser, as a server does once
    times = []
    for i in range(11):
        edited = text.replace('"Quote 0"', f'"Quote {i % 10}"', 1)
        started = time.process_time()
        recheck("bench.adflow", edited, "file:///bench.adflow", finder)
        times.append(time.process_time() - started)
    return statistics.median(times)


def row(figure: str, value: str, goal: str, ratio: str, ok: bool | None) -> None:
    verdict = "" if ok is None else ("met" if ok else "MISSED")
    print(f"{figure:<46} {value:>14}  {goal:<28} {ratio:>8}  {verdict}")


def main() -> int:
    help_text = check_help()
    has_cache = "--cache-dir" in help_text
    no_cache = ["--no-cache"] if "--no-cache" in help_text else []
    has_jobs = "--jobs" in help_text
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        small = root / "form200.adflow"
        small.write_text(adflow_file(1))
        assert run([ADFLOW, "check", str(small), *no_cache]).status == 0, "generated file has errors"
        small_lines = small.read_text().count("\n")

        print(f"adflow bench: {cores} cores, Python {sys.version.split()[0]}\n")
        row("figure", "measured", "goal", "ratio", None)
        baseline = median_cpu([sys.executable, "-c", "pass"])
        row("python -c pass, CPU", f"{baseline * 1000:.1f} ms", "(the yardstick)", "1.0x", None)

        # The parser cache in ~/.cache/adflow is warm after the check above, as
        # it is on any machine after adflow's first run.
        cold = median_cpu([ADFLOW, "check", str(small), *no_cache])
        row(f"cold check, {small_lines}-line file, CPU", f"{cold * 1000:.1f} ms",
            "<= 6x python -c pass", f"{cold / baseline:.1f}x", cold / baseline <= 6)

        if has_cache:
            cache = ["--cache-dir", str(root / "cache")]
            run([ADFLOW, "check", str(small), *cache])  # fill the cache
            warm = median_cpu([ADFLOW, "check", str(small), *cache])
            row("re-check, unchanged file, cache, CPU", f"{warm * 1000:.1f} ms",
                "<= 2.5x python -c pass", f"{warm / baseline:.1f}x", warm / baseline <= 2.5)
        else:
            row("re-check, unchanged file, cache, CPU", "n/a (no cache yet)",
                "<= 2.5x python -c pass", "", None)

        big = root / "big.adflow"
        big.write_text(adflow_file(BIG_LINES // len(unit(0)) + 1))
        big_lines = big.read_text().count("\n")
        plan = root / "big.plan.json"
        compiled = run([ADFLOW, "compile", str(big), "--emit", "json", "-o", str(plan)])
        assert compiled.status == 0 and plan.exists(), "the 50,000-line file did not compile"
        runs = [compiled] + [run([ADFLOW, "compile", str(big), "--emit", "json",
                                  "-o", str(plan)]) for _ in range(2)]
        compile_cpu = statistics.median(r.cpu for r in runs)
        # The same information as JSON: the plan itself, parsed in this process.
        plan_text = plan.read_text(encoding="utf-8")
        loads = []
        for _ in range(5):
            started = time.process_time()
            json.loads(plan_text)
            loads.append(time.process_time() - started)
        loads_cpu = statistics.median(loads)
        row(f"compile --emit json, {big_lines:,} lines, CPU", f"{compile_cpu:.2f} s",
            "<= 30x json.loads of plan", f"{compile_cpu / loads_cpu:.0f}x",
            compile_cpu / loads_cpu <= 30)
        row(f"  (json.loads of the {len(plan_text) / 1e6:.1f} MB plan)",
            f"{loads_cpu * 1000:.1f} ms", "", "", None)

        many = root / "many"
        many.mkdir()
        text = adflow_file(1)
        for i in range(2000):
            (many / f"f{i:04}.adflow").write_text(text)
        if has_jobs:
            one = run([ADFLOW, "check", "-j", "1", str(many), *no_cache])
            every = run([ADFLOW, "check", "-j", str(cores), str(many), *no_cache])
            speedup = one.wall / every.wall
            row(f"2,000 files, -j {cores} vs -j 1, wall", f"{every.wall:.1f} s vs {one.wall:.1f} s",
                ">= 1.7x faster on 2 cores", f"{speedup:.2f}x",
                speedup >= 1.7 if cores >= 2 else None)
        else:
            row("2,000 files, all cores vs one, wall", "n/a (no --jobs)",
                ">= 1.7x faster on 2 cores", "", None)

        recheck = lsp_recheck_cpu()
        row("LSP re-check, 500 lines, 1-char edit, CPU", f"{recheck * 1000:.1f} ms", "< 30 ms",
            f"{recheck / 0.030:.1f}x", recheck < 0.030)

        peak = max(r.max_rss_mb for r in runs)
        row(f"peak memory, compile of {big_lines:,} lines", f"{peak:.0f} MB", "<= 150 MB",
            f"{peak / 150:.2f}x", peak <= 150)
    return 0


if __name__ == "__main__":
    sys.exit(main())
