"""Speed figures for adflow, measured side by side in one run (`make bench`).

Prints one row per figure of the speed table, with its goal and the ratio.

The yardstick is honest: adflow is built as a wheel and installed in a fresh
virtualenv in a temporary folder, and every start-up figure is divided by
THAT virtualenv's `python -c pass`. The development virtualenv's editable
install loads a finder at every start (it doubles `python -c pass`), so its
ratios are printed beside, for reference only. Peers (pyflakes,
check-jsonschema, ruff) are measured the same way when they can be installed.

Start-up commands are run in interleaved rounds (each command once per round)
so that the load of a shared machine falls on all of them alike; the medians
are compared. CPU time and peak memory are read per child process with
os.wait4, so one measurement never leaks into another.

Each row is one function in ROWS: add a figure by adding a function.
"""

from __future__ import annotations

import functools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lsp_bench import lsp_did_change
from markets_bench import markets

REPO = Path(__file__).resolve().parent.parent
DEV_BIN = Path(sys.executable).parent  # the development (editable) virtualenv
HEADER = ["api v25.0", "account act_1", "page p 111222333444", ""]
QUESTIONS_PER_FORM = 39  # with the other objects, one unit is about 200 lines
BIG_LINES = 50_000
MANY_FILES = 2_000
MANY_ROUNDS = 3  # interleaved -j 1 / -j N runs of the many files
FEW_FILES = 500  # the same check on fewer files: memory must not grow with the count
IGNORE_FOLDERS = 4_000
ROUNDS = 21  # interleaved rounds of the start-up commands (11 left the ratios swinging 15%)
PEERS = ["pyflakes", "check-jsonschema"]
JSON_BODY = "samples/payloads/adset_body.json"  # checked by adflow and check-jsonschema
JSON_SCHEMA = "compiler/facts/endpoints/adsets.schema.json"


@dataclass(frozen=True)
class Run:
    cpu: float  # user + system seconds, the child's and its children's
    wall: float
    max_rss_mb: float
    status: int


def run(cmd: list[str], cwd: str | None = None) -> Run:
    """One child process: its own CPU time and peak RSS (Linux: ru_maxrss in KiB).
    The peak includes this process's size when the child was started, before
    it ran its command: the bench keeps nothing large in memory."""
    started = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return Run(usage.ru_utime + usage.ru_stime, time.perf_counter() - started,
               usage.ru_maxrss / 1024, child.returncode)


def interleaved_runs(cmds: dict[str, list[str]], rounds: int,
                     warm: bool = True) -> dict[str, list[Run]]:
    """Each command run once per round in turn, so that the load of a shared
    machine falls on all of them alike; with `warm`, a first round warms the
    disk cache (and fills adflow's cache) and is not counted."""
    runs: dict[str, list[Run]] = {name: [] for name in cmds}
    for i in range(rounds + warm):
        for name, cmd in cmds.items():
            done = run(cmd)
            if i or not warm:
                runs[name].append(done)
    return runs


def median(runs: list[Run], figure: str = "cpu") -> float:
    """The median of one figure of the runs (`cpu` or `wall`)."""
    values: list[float] = [getattr(r, figure) for r in runs]
    return statistics.median(values)


def interleaved(cmds: dict[str, list[str]], rounds: int = ROUNDS) -> dict[str, float]:
    """Median CPU seconds of each command (see interleaved_runs)."""
    return {name: median(runs) for name, runs in interleaved_runs(cmds, rounds).items()}


def pip(python: Path, *args: str) -> bool:
    done = subprocess.run([str(python), "-m", "pip", "--disable-pip-version-check",
                           "--quiet", *args], check=False, capture_output=True, text=True)
    if done.returncode:
        print(done.stderr.strip().splitlines()[-1:], file=sys.stderr)
    return done.returncode == 0


def wheel_venv(root: Path) -> Path:
    """adflow built as a wheel from this tree and installed with the peers in a
    fresh virtualenv; returns its bin folder. The build runs on a copy of the
    packaged folders, so a stale build/ never slips old modules into the wheel."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    folders = {d.split("/")[0] for d in config["tool"]["setuptools"]["package-dir"].values()}
    src = root / "src"
    for folder in sorted(folders):
        shutil.copytree(REPO / folder, src / folder,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", config["project"]["readme"]):
        shutil.copy(REPO / name, src / name)
    dist = root / "dist"
    assert pip(Path(sys.executable), "wheel", "--no-deps", "-w", str(dist), str(src)), \
        "the wheel did not build"
    venv = root / "venv"
    base = getattr(sys, "_base_executable", sys.executable)  # not the editable venv's
    subprocess.run([base, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    assert pip(python, "install", *map(str, dist.glob("adflow-*.whl"))), "the wheel did not install"
    # Peers go in afterwards: when one cannot be installed its row says so.
    for peer in PEERS:
        pip(python, "install", peer)
    return venv / "bin"


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
    """The installation, the inputs and the measurements rows share, made on first use."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.bin = wheel_venv(root)
        self.adflow = str(self.bin / "adflow")
        self.help = subprocess.run([self.adflow, "check", "--help"], check=False,
                                   capture_output=True, text=True).stdout
        self.no_cache = ["--no-cache"] if "--no-cache" in self.help else []

    @functools.cached_property
    def small(self) -> Path:
        path = self.root / "form200.adflow"
        path.write_text(adflow_file(1))
        # Checked once: the generated file must be clean, as a committed file
        # usually is (one with syntax errors also loads Lark's parser).
        assert run([self.adflow, "check", str(path), *self.no_cache]).status == 0, \
            "errors in form200"
        return path

    @functools.cached_property
    def body(self) -> Path:
        """A clean Graph API request body, as a JSON payload file."""
        path = self.root / "adset_body.json"
        shutil.copy(REPO / JSON_BODY, path)
        assert run([self.adflow, "check", str(path), *self.no_cache]).status == 0, \
            "errors in the JSON body"
        return path

    @functools.cached_property
    def python_file(self) -> Path:
        """Python source for the Python linters among the peers: this file."""
        path = self.root / "bench_copy.py"
        shutil.copy(__file__, path)
        return path

    @functools.cached_property
    def peers(self) -> dict[str, list[str]]:
        """Each installed peer's command on an input like adflow's."""
        found = {}
        if (self.bin / "pyflakes").exists():
            found["pyflakes"] = [str(self.bin / "pyflakes"), str(self.python_file)]
        if (self.bin / "check-jsonschema").exists():
            found["check-jsonschema"] = [str(self.bin / "check-jsonschema"), "--schemafile",
                                         str(REPO / JSON_SCHEMA), str(self.body)]
        if (DEV_BIN / "ruff").exists():  # a native binary: no interpreter to start
            found["ruff"] = [str(DEV_BIN / "ruff"), "check", "--isolated", "--no-cache",
                             str(self.python_file)]
        # Exit 1 is a linter's findings; a peer that could not run is left out.
        return {peer: cmd for peer, cmd in found.items() if run(cmd).status in (0, 1)}

    @functools.cached_property
    def startup(self) -> dict[str, float]:
        """Median CPU seconds of every start-up command, from one set of
        interleaved rounds: adflow from the wheel and from the editable
        install, each beside its own `python -c pass`, and the peers."""
        cmds = {}
        for where, bin_ in (("wheel", self.bin), ("editable", DEV_BIN)):
            adflow = str(bin_ / "adflow")
            cmds[f"{where} pass"] = [str(bin_ / "python"), "-c", "pass"]
            cmds[f"{where} cold"] = [adflow, "check", str(self.small), *self.no_cache]
            if "--cache-dir" in self.help:
                cmds[f"{where} cached"] = [adflow, "check", str(self.small), "--cache-dir",
                                           str(self.root / f"cache-{where}")]
            cmds[f"{where} json"] = [adflow, "check", str(self.body), *self.no_cache]
        cmds.update(self.peers)
        return interleaved(cmds)

    def ratio(self, name: str, where: str = "wheel") -> float:
        return self.startup[f"{where} {name}"] / self.startup[f"{where} pass"]

    @functools.cached_property
    def big(self) -> Path:
        path = self.root / "big.adflow"
        path.write_text(adflow_file(BIG_LINES // len(unit(0)) + 1))
        return path

    @functools.cached_property
    def compile_runs(self) -> list[Run]:
        plan = self.root / "big.plan.json"
        cmd = [self.adflow, "compile", str(self.big), "--emit", "json", "-o", str(plan)]
        runs = [run(cmd) for _ in range(3)]
        assert all(r.status == 0 for r in runs) and plan.exists(), "the big file did not compile"
        return runs

    def folder_of_files(self, count: int) -> Path:
        """`count` copies of the 200-line file in one folder."""
        folder = self.root / f"many{count}"
        folder.mkdir()
        text = adflow_file(1)
        for i in range(count):
            (folder / f"f{i:04}.adflow").write_text(text)
        return folder

    @functools.cached_property
    def many(self) -> Path:
        return self.folder_of_files(MANY_FILES)

    @functools.cached_property
    def many_serial(self) -> Run:
        """`check -j 1` of the many files (its time and its peak memory)."""
        return run([self.adflow, "check", "-j", "1", str(self.many), *self.no_cache])


def startup_row(b: Bench, figure: str, name: str, goal: float) -> None:
    """A start-up figure from the wheel, then the editable install's for reference."""
    if f"wheel {name}" not in b.startup:
        row(figure, "n/a", f"<= {goal:g}x python -c pass", "", None)
        return
    ratio = b.ratio(name)
    row(figure, f"{b.startup[f'wheel {name}'] * 1000:.1f} ms", f"<= {goal:g}x python -c pass",
        f"{ratio:.1f}x", ratio <= goal)
    row("  (editable install, for reference only)",
        f"{b.startup[f'editable {name}'] * 1000:.1f} ms", "its own python -c pass",
        f"{b.ratio(name, 'editable'):.1f}x", None)


def python_pass(b: Bench) -> None:
    row("python -c pass, clean venv, CPU", f"{b.startup['wheel pass'] * 1000:.1f} ms",
        "(the yardstick)", "1.0x", None)
    row("  (python -c pass, editable venv)", f"{b.startup['editable pass'] * 1000:.1f} ms",
        "", f"{b.startup['editable pass'] / b.startup['wheel pass']:.1f}x", None)


def cold_check(b: Bench) -> None:
    # check runs the rules and the request schemas on every body
    startup_row(b, f"cold check, {lines_of(b.small)}-line file, CPU", "cold", 6)


def cache_hit(b: Bench) -> None:
    startup_row(b, "re-check, unchanged file, cache, CPU", "cached", 3)


def json_check(b: Bench) -> None:
    startup_row(b, f"check of one JSON body, {lines_of(b.body)} lines, CPU", "json", 6)


def peers(b: Bench) -> None:
    python_file = f"{lines_of(b.python_file)}-line .py"
    inputs = {"pyflakes": python_file, "check-jsonschema": "same JSON body",
              "ruff": python_file}
    for peer in ("pyflakes", "check-jsonschema", "ruff"):
        if peer in b.startup:
            ratio = b.startup[peer] / b.startup["wheel pass"]
            row(f"peer: {peer}, {inputs[peer]}, CPU", f"{b.startup[peer] * 1000:.1f} ms",
                "(for context)", f"{ratio:.1f}x", None)
        else:
            row(f"peer: {peer}", "n/a (not installed, or failed)", "", "", None)


def compile_big(b: Bench) -> None:
    cpu = median(b.compile_runs)
    # The same information as JSON: the plan itself, parsed in a child (in
    # this process it would grow the bench by the plan, and a child started
    # later counts the parent's size in its peak before it execs).
    plan = b.root / "big.plan.json"
    timed = ("import json, sys, time\ntext = open(sys.argv[1], encoding='utf-8').read()\n"
             "started = time.process_time()\njson.loads(text)\n"
             "print(time.process_time() - started)")
    loads_cpu = statistics.median(
        float(subprocess.run([str(b.bin / "python"), "-c", timed, str(plan)], check=True,
                             capture_output=True, text=True).stdout)
        for _ in range(5))
    ratio = cpu / loads_cpu
    row(f"compile --emit json, {lines_of(b.big):,} lines, CPU", f"{cpu:.2f} s",
        "<= 40x json.loads (moonshot 30x)", f"{ratio:.0f}x", ratio <= 40)
    row(f"  (json.loads of the {plan.stat().st_size / 1e6:.1f} MB plan)",
        f"{loads_cpu * 1000:.1f} ms", "", "", None)


def peak_memory(b: Bench) -> None:
    peak = max(r.max_rss_mb for r in b.compile_runs)
    row(f"peak memory, compile of {lines_of(b.big):,} lines", f"{peak:.0f} MB", "<= 80 MB",
        f"{peak / 80:.2f}x", peak <= 80)


def many_files(b: Bench) -> None:
    goal = ">= 1.8x faster on 2 cores"
    cores = os.cpu_count() or 1
    if "--jobs" not in b.help:
        row(f"{MANY_FILES:,} files, -j {cores} vs -j 1, wall", "n/a (no --jobs)", goal, "", None)
        return
    # Medians of interleaved rounds: one run of each swung the ratio 1.7x-2.2x.
    runs = interleaved_runs({jobs: [b.adflow, "check", "-j", jobs, str(b.many), *b.no_cache]
                             for jobs in ("1", str(cores))}, MANY_ROUNDS, warm=False)
    one, every = runs["1"], runs[str(cores)]
    speedup = median(one, "wall") / median(every, "wall")
    row(f"{MANY_FILES:,} files, -j {cores} vs -j 1, wall",
        f"{median(every, 'wall'):.1f} s vs {median(one, 'wall'):.1f} s",
        goal, f"{speedup:.2f}x", speedup >= 1.8 if cores >= 2 else None)
    # Wall time needs idle cores; on a shared machine the CPU the pool adds
    # tells what it would give: N cores at most N / (this ratio) faster.
    row("  (the same, CPU of all processes)", f"{median(every):.1f} s vs {median(one):.1f} s",
        "", f"{median(every) / median(one):.2f}x", None)


def many_files_memory(b: Bench) -> None:
    """Serial check keeps no file's model once it is checked: its peak memory
    is one file's, whatever the number of files."""
    jobs = ["-j", "1"] if "--jobs" in b.help else []
    peak = b.many_serial.max_rss_mb
    few = run([b.adflow, "check", *jobs, str(b.folder_of_files(FEW_FILES)),
               *b.no_cache]).max_rss_mb
    row(f"check -j 1 of {MANY_FILES:,} files, peak memory", f"{peak:.0f} MB", "<= 60 MB",
        f"{peak / 60:.2f}x", peak <= 60)
    growth = peak / few
    row(f"  (the same of {FEW_FILES} files: flat)", f"{few:.0f} MB", "<= 1.1x as much",
        f"{growth:.2f}x", growth <= 1.1)


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
        trees[name] = run([b.adflow, "check", "-j", "1", str(top), *b.no_cache]).cpu
    ratio = trees["ignored"] / trees["plain"]
    row(f"{IGNORE_FOLDERS:,} folders with ignore files, CPU",
        f"{trees['ignored']:.1f} s vs {trees['plain']:.1f} s", "<= 1.5x without them",
        f"{ratio:.2f}x", ratio <= 1.5)


def lsp_recheck(b: Bench) -> None:
    cpu = lsp_recheck_cpu()
    row("LSP re-check, 500 lines, 1-char edit, CPU", f"{cpu * 1000:.1f} ms", "<= 30 ms",
        f"{cpu / 0.030:.1f}x", cpu <= 0.030)


ROWS: list[Callable[[Bench], None]] = [python_pass, cold_check, cache_hit, json_check, peers,
                                       compile_big, peak_memory, many_files, many_files_memory,
                                       ignore_files, lsp_recheck, lsp_did_change, markets]


def main(argv: list[str] | None = None) -> int:
    """`bench.py` runs every row; `bench.py NAME...` only those (e.g. cold_check)."""
    names = argv if argv is not None else sys.argv[1:]
    chosen = [r for r in ROWS if not names or r.__name__ in names]
    print(f"adflow bench: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print("(adflow installed from a wheel in a fresh virtualenv; start-up ratios are CPU\n"
          f" times against its python -c pass, medians of {ROUNDS} interleaved rounds)\n")
    with tempfile.TemporaryDirectory() as tmp:
        bench = Bench(Path(tmp))
        row("figure", "measured", "goal", "ratio", None)
        for measure in chosen:
            measure(bench)
    return 0


if __name__ == "__main__":
    sys.exit(main())
