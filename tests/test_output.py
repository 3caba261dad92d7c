"""Terminal output for people and big runs: colour conventions (NO_COLOR,
FORCE_COLOR / CLICOLOR_FORCE, TERM=dumb), --statistics, --output-format concise,
and -v naming the slowest files."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest
from adflow.compiler.findings.report import use_colour
from conftest import ADFLOW, PINNED_DAY, SAMPLES

BROKEN = SAMPLES / "broken"
ANSI = "\033["


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("env, tty, expected", [
    ({}, True, True),
    ({}, False, False),
    ({"NO_COLOR": "1"}, True, False),
    ({"NO_COLOR": ""}, True, True),  # no-color.org: only a non-empty value counts
    ({"FORCE_COLOR": "1"}, False, True),
    ({"CLICOLOR_FORCE": "1"}, False, True),
    ({"CLICOLOR_FORCE": "0"}, False, False),
    ({"TERM": "dumb"}, True, False),
    ({"TERM": "dumb", "FORCE_COLOR": "1"}, True, True),
    ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, True, False),
])
def test_colour_conventions(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], tty: bool,
                            expected: bool) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE", "TERM"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    stream = Terminal() if tty else io.StringIO()
    assert use_colour(stream) is expected
    assert use_colour(stream, "always") and not use_colour(stream, "never")  # flags win


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ADFLOW, "check", *args], capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": PINNED_DAY, **env})


def test_force_color_colours_a_pipe_and_no_color_wins() -> None:
    assert ANSI in run(str(BROKEN), FORCE_COLOR="1").stdout
    assert ANSI in run("--format", "concise", str(BROKEN), CLICOLOR_FORCE="1").stdout
    assert ANSI not in run(str(BROKEN)).stdout
    assert ANSI not in run(str(BROKEN), FORCE_COLOR="1", NO_COLOR="1").stdout


def findings(*paths: str) -> list[dict]:
    return json.loads(run("--format", "json", *paths).stdout)["diagnostics"]


def test_statistics_count_each_code() -> None:
    result = run("--statistics", str(BROKEN))
    assert result.returncode == 1
    rows = [line.split() for line in result.stdout.splitlines()]
    counts = {code: int(n) for n, code, *_ in rows}
    expected: dict[str, int] = {}
    for d in findings(str(BROKEN)):
        expected[d["code"]] = expected.get(d["code"], 0) + 1
    assert counts == expected
    assert [int(r[0]) for r in rows] == sorted((int(r[0]) for r in rows), reverse=True)
    assert rows[0][2] in ("unreachable-step", "syntax-error")  # 3 each: the most frequent
    as_json = json.loads(run("--statistics", "--format", "json", str(BROKEN)).stdout)
    assert {r["code"]: r["count"] for r in as_json} == expected
    assert run("--statistics", "--format", "sarif", str(BROKEN)).returncode == 2


def test_concise_is_one_line_per_finding() -> None:
    result = run("--output-format", "concise", str(BROKEN))
    assert result.returncode == 1
    *lines, summary = result.stdout.splitlines()
    assert lines == [f"{d['file']}:{d['line']}:{d['column']}: {d['code']} {d['message']}"
                     for d in findings(str(BROKEN))]
    assert summary.startswith("2 files checked: ")
    assert run("--format", "concise", str(BROKEN)).stdout == result.stdout  # one option


def test_verbose_names_the_slowest_files(tmp_path: Path) -> None:
    for i in range(7):
        (tmp_path / f"f{i}.adflow").write_text("page acme 1\n", encoding="utf-8")
    quiet = run("--no-cache", str(tmp_path))
    assert "slowest" not in quiet.stderr
    loud = run("--no-cache", "-v", str(tmp_path))
    assert loud.stdout == quiet.stdout.replace(quiet.stdout.splitlines()[-1].split(" in ")[-1],
                                               loud.stdout.splitlines()[-1].split(" in ")[-1])
    (line,) = loud.stderr.splitlines()
    assert line.startswith("slowest: ")
    named = [part.rsplit(" ", 1) for part in line[len("slowest: "):].split(", ")]
    assert len(named) == 5 and all(p.startswith(str(tmp_path)) and s.endswith("s")
                                   for p, s in named)
    seconds = [float(s[:-1]) for _, s in named]
    assert seconds == sorted(seconds, reverse=True)
