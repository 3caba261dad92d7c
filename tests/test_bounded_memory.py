"""Memory that does not grow with the input: a check of many files keeps no
file's model, and a file over the object limit is refused before a body is
built for each of its objects."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from adflow.compiler import pipeline
from adflow.compiler.bodies import resolve
from adflow.compiler.cli.commands import check
from adflow.compiler.findings.report import render_text
from adflow.compiler.front.dsl import parse_file
from adflow.compiler.front.source import Source
from adflow.compiler.pipeline import Limits, check_source
from adflow.compiler.project.config import Config

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "branching_flow.adflow"  # a lead form: findings on some lines


def objects(n: int) -> str:
    """Objects of every kind, out of the resolver's order, with a name used twice."""
    out = ["account act_1", "page p 111", "campaign p {\n  objective OUTCOME_LEADS\n}"]
    for i in range(n):
        out.append(f"ad a{i} {{\n  adset s{i}\n  creative c{i}\n}}")
        out.append(f"campaign k{i} {{\n  objective OUTCOME_LEADS\n}}")
        out.append(f"adset s{i} in k{i} {{\n  daily_budget 100\n}}")
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_objects_counted_before_resolving_are_reported_where_the_model_would(n: int) -> None:
    source = Source("o.adflow", objects(n))
    tree, _ = parse_file(source)
    assert tree is not None
    document, _ = resolve.resolve(tree, source.path)
    for limit in range(1, 3 * n + 1):
        limits = Limits(max_objects=limit)
        assert ([pipeline.too_many_declared(tree, limits)] if len(document.requests) > limit
                else [None]) == (pipeline.too_many(document, limits) or [None])


def test_a_file_over_the_object_limit_builds_no_body(monkeypatch: pytest.MonkeyPatch) -> None:
    def never(*_: object) -> None:
        raise AssertionError("resolved a file over the object limit")

    monkeypatch.setattr(resolve, "resolve", never)
    result = check_source(Source("o.adflow", objects(3)), Limits(max_objects=4))
    assert result.document is None
    assert [d.code for d in result.diagnostics if d.code == "S004"] == ["S004"]


def test_a_checked_file_keeps_no_model_and_only_the_lines_its_findings_show() -> None:
    result, _ = check._check_one((SAMPLE, Config(), None))
    assert isinstance(result, pipeline.FileResult) and result.diagnostics
    assert result.document is None and result.source is not None
    full = pipeline.check_file(SAMPLE, Config())
    assert render_text([result], False) == render_text([full], False)
    assert len(result.source.text) < len(SAMPLE.read_text(encoding="utf-8")) / 4


def peak_mb(folder: Path) -> float:
    """Peak memory of `adflow check -j 1` of a folder, in MB (Linux: KiB)."""
    child = subprocess.Popen([sys.executable, "-m", "adflow.compiler.cli.main", "check", "-j",
                              "1", "--no-cache", str(folder)], stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return usage.ru_maxrss / 1024


def test_checking_eight_times_the_files_takes_about_the_same_memory(tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    peaks = []
    for count in (25, 200):
        folder = tmp_path / str(count)
        folder.mkdir()
        for i in range(count):
            (folder / f"f{i:03}.adflow").write_text(text, encoding="utf-8")
        peaks.append(peak_mb(folder))
    # Kept models cost about 0.04 MB a file of this sample: 175 more files
    # added 7 MB; without them, well under 1 MB.
    assert peaks[1] - peaks[0] < 3, peaks


def test_the_command_line_collects_garbage_less_often(capsys: pytest.CaptureFixture[str]) -> None:
    """Measured: a tenth less CPU for a 50,000-line compile, the same peak memory."""
    import gc

    from adflow.compiler.cli import main as cli

    before = gc.get_threshold()
    try:
        gc.set_threshold(700)
        assert cli.main(["rules"]) == 0
        assert gc.get_threshold()[0] == cli.GC_THRESHOLD > 700
    finally:
        gc.set_threshold(*before)
    capsys.readouterr()


def copies(folder: Path, count: int) -> list[Path]:
    folder.mkdir()
    for i in range(count):
        (folder / f"f{i}.adflow").write_bytes(SAMPLE.read_bytes())
    return sorted(folder.iterdir())


@pytest.mark.parametrize("report", ["text", "concise", "github"])
def test_a_line_by_line_report_is_written_as_each_file_is_checked_and_let_go(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        report: str) -> None:
    """A file's findings are out before the next file is checked, and its
    result is gone two files later: what a check keeps does not grow with
    the files. (The loop holds the latest result, and CPython's zip() the
    first one, for good: the second is the first that must go.)"""
    import gc
    import weakref

    from adflow.compiler.cli import main as cli

    paths = copies(tmp_path / "many", 4)
    second: list[weakref.ref[pipeline.FileResult]] = []

    def outcomes(work: list[tuple[Path, Config, str | None]],
                 jobs: int) -> object:
        for index, item in enumerate(work):
            if index:
                assert paths[index - 1].name in capsys.readouterr().out
            if index == 3:
                gc.collect()
                assert second[0]() is None
            outcome = check._check_one(item)  # (no assert on it: pytest would keep it)
            if index == 1:
                second.append(weakref.ref(outcome[0]))
            yield outcome
            del outcome

    monkeypatch.setattr(check, "_outcomes", outcomes)
    assert cli.main(["check", "--no-cache", "--format", report, str(tmp_path / "many")]) == 0
    assert second


@pytest.mark.parametrize("report", ["text", "concise", "github"])
def test_a_report_written_as_files_are_checked_is_the_one_written_at_the_end(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], report: str) -> None:
    """The same bytes as the report of every result at once (with -o)."""
    from adflow.compiler.cli import main as cli

    folder = tmp_path / "many"
    copies(folder, 3)
    (folder / "clean.adflow").write_text("account act_1\n", encoding="utf-8")
    out = tmp_path / "report.txt"
    assert cli.main(["check", "--no-cache", "--format", report, str(folder), "-o", str(out)]) == 0
    capsys.readouterr()
    assert cli.main(["check", "--no-cache", "--format", report, str(folder)]) == 0
    streamed = capsys.readouterr().out
    written = out.read_text(encoding="utf-8")
    if report == "text":  # the time a run took differs
        assert streamed.rsplit(" in ", 1)[0] == written.rsplit(" in ", 1)[0]
    else:
        assert streamed == written


def test_a_plan_is_written_a_request_at_a_time(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Never the whole plan in memory at once (its text, then its bytes,
    tripled a large compile's peak): each request's text is written as it is
    made, and the pieces make the same bytes as the plan rendered whole."""
    import io

    from adflow.compiler.cli import main as cli
    from adflow.emitters.requests import render_plan

    class Recorded(io.StringIO):
        def __init__(self) -> None:
            super().__init__()
            self.writes = 0

        def write(self, text: str) -> int:
            self.writes += 1
            return super().write(text)

    out = Recorded()
    monkeypatch.setattr(sys, "stdout", out)
    assert cli.main(["compile", str(SAMPLE), "--emit", "json"]) == 0
    document = pipeline.check_file(SAMPLE, Config()).document
    assert document is not None and len(document.requests) > 1
    assert out.getvalue() == render_plan(document)
    assert out.writes >= len(document.requests) + 2  # a head, each request, a tail
    written = tmp_path / "plan.json"
    assert cli.main(["compile", str(SAMPLE), "--emit", "json", "-o", str(written)]) == 0
    assert written.read_text(encoding="utf-8") == out.getvalue()
