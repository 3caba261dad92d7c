"""The real console script: exit codes, output shapes, error handling."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import SAMPLES, Adflow


def test_clean_samples_exit_zero(adflow: Adflow) -> None:
    result = adflow("check", *map(str, sorted(SAMPLES.glob("*.adflow"))))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors" in result.stdout


def test_errors_exit_one_with_text_diagnostics(adflow: Adflow) -> None:
    path = SAMPLES / "broken" / "flow_mistakes.adflow"
    result = adflow("check", str(path))
    assert result.returncode == 1
    first = result.stdout.splitlines()[0]
    assert re.match(rf"{re.escape(str(path))}:\d+:\d+: [A-Z]\d{{3}} ", first)
    assert "^" in result.stdout and "help:" in result.stdout
    assert "\033[" not in result.stdout  # no colour when not a terminal
    assert result.stdout.rstrip().splitlines()[-1].startswith("1 file checked:")


def test_json_format_shape(adflow: Adflow) -> None:
    path = SAMPLES / "broken" / "flow_mistakes.adflow"
    result = adflow("check", "--format", "json", str(path))
    assert result.returncode == 1
    payload = json.loads(result.stdout)
    assert payload["version"] == 1
    assert set(payload["summary"]) == {"files", "errors", "warnings"}
    assert payload["summary"]["files"] == 1
    assert payload["summary"]["errors"] == sum(
        d["severity"] == "error" for d in payload["diagnostics"])
    for d in payload["diagnostics"]:
        assert {"code", "severity", "message", "file", "line", "column", "end_line",
                "end_column"} <= d.keys()
        assert d["file"] == str(path) and d["line"] >= 1 and d["column"] >= 1


@pytest.mark.slow
def test_warnings_pass_unless_strict(tmp_path: Path, adflow: Adflow) -> None:
    path = tmp_path / "w.adflow"
    path.write_text("page acme 1\npage spare 2\n")
    assert adflow("check", str(path)).returncode == 0
    assert adflow("check", "--strict", str(path)).returncode == 1


def test_directory_is_walked_for_adflow_and_json(adflow: Adflow) -> None:
    result = adflow("check", "--format", "json", str(SAMPLES))
    files = {d["file"] for d in json.loads(result.stdout)["diagnostics"]}
    assert any(f.endswith(".json") for f in files)
    assert any("broken" in f for f in files)


@pytest.mark.slow
def test_usage_and_io_errors_exit_two(adflow: Adflow) -> None:
    assert adflow("check", "/no/such/file.adflow").returncode == 2
    assert adflow("check").returncode == 2
    assert adflow("nonsense").returncode == 2
    assert adflow("explain", "Z999").returncode == 2


def test_rules_lists_every_code_and_explain_shows_examples(adflow: Adflow) -> None:
    result = adflow("rules")
    assert result.returncode == 0
    codes = [line.split()[0] for line in result.stdout.splitlines()]
    assert len(codes) == len(set(codes))
    assert {"S001", "F001", "F017", "R001"} <= set(codes)
    explained = adflow("explain", "f003")
    assert explained.returncode == 0 and "Bad:" in explained.stdout and "Good:" in explained.stdout


def test_compile_refuses_files_with_errors(adflow: Adflow) -> None:
    result = adflow("compile", str(SAMPLES / "broken" / "flow_mistakes.adflow"))
    assert result.returncode == 1 and result.stdout == "" and "F003" in result.stderr


@pytest.mark.slow
def test_compile_is_deterministic(adflow: Adflow) -> None:
    sample = str(SAMPLES / "seed_lead_form.adflow")
    first = adflow("compile", sample, "--emit", "json")
    second = adflow("compile", sample, "--emit", "json")
    assert first.returncode == 0 and first.stdout == second.stdout
    plan = json.loads(first.stdout)
    assert plan["format"] == "adflow.plan/1"
    steps = plan["requests"][0]["body"]["step_list"]
    assert [s["step_id"] for s in steps] == [str(i) for i in range(7)]
    assert steps[1]["next_step_ids"] == ["2", "6", "2"]


def test_internal_error_says_it_is_a_bug(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from adflow.compiler.cli import main as cli
    from adflow.compiler.cli.commands import check

    def boom(*_a, **_k):  # type: ignore[no-untyped-def]
        raise RuntimeError("kaboom")

    monkeypatch.setattr(check, "check_file", boom)
    monkeypatch.delenv("ADFLOW_DEBUG", raising=False)
    status = cli.main(["check", "--no-cache", str(SAMPLES / "seed_lead_form.adflow")])
    err = capsys.readouterr().err
    assert status == 2 and "internal error" in err and "bug" in err and "Traceback" not in err


@pytest.mark.slow
def test_compile_reports_a_body_of_the_wrong_shape(tmp_path: Path, adflow: Adflow) -> None:
    path = tmp_path / "raw.adflow"
    path.write_text('account act_1\npage acme 1\ncreative c {\n  page acme\n'
                    '  image hash "h"\n  raw object_story_spec false\n}\n')
    checked = adflow("check", str(path))  # check and compile give one verdict
    assert checked.returncode == 1 and ":6:" in checked.stdout and "S008" in checked.stdout
    result = adflow("compile", str(path))
    assert result.returncode == 1 and result.stdout == ""
    assert ":6:" in result.stderr and "S008" in result.stderr and "Traceback" not in result.stderr


def test_every_option_and_argument_of_every_command_has_help_text() -> None:
    """`adflow COMMAND --help` explains everything it lists, and a value
    taken when the option is left out is named (the word "default")."""
    import argparse

    from adflow.compiler.cli import main as cli

    missing, no_default = [], []
    for name in cli.COMMANDS:
        sub = next(a for a in cli.build_parser(name)._actions
                   if isinstance(a, argparse._SubParsersAction))
        for action in sub.choices[name]._actions:
            label = f"{name} {'/'.join(action.option_strings) or action.dest}"
            if isinstance(action, argparse._HelpAction):
                continue
            if not action.help or action.help == argparse.SUPPRESS:
                missing.append(label)
            elif (action.default not in (None, False, [], argparse.SUPPRESS)
                  and action.nargs != 0 and "default" not in action.help):
                no_default.append(label)
    assert missing == [] and no_default == []


def test_the_console_script_ends_check_at_once_with_every_byte_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`check` and `fmt` end without Python's clean-up (an eighth of a cache
    hit): exit handlers do not run, yet the whole report is out, through a
    pipe larger than its buffer, and the status is kept. Other commands end
    as Python ends."""
    import subprocess
    import sys

    from adflow.compiler.cli.main import main

    broken = (SAMPLES / "broken" / "flow_mistakes.adflow").read_bytes()
    names = [f"f{i}.adflow" for i in range(80)]
    for name in names:
        (tmp_path / name).write_bytes(broken)
    code = ("import atexit, sys\natexit.register(lambda: sys.stderr.write('cleaned up\\n'))\n"
            "from adflow.compiler.cli.main import console\nsys.exit(console())")

    def console(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                              text=True, cwd=tmp_path, timeout=120)

    args = ["check", "--no-cache", "-j", "1", "--format", "concise", *names]
    done = console(*args)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        status = main(args)
    assert (done.returncode, status) == (1, 1)
    assert len(done.stdout) > 65536 and done.stdout == capsys.readouterr().out
    assert "cleaned up" not in done.stderr
    assert "cleaned up" not in console("fmt", "--check", names[0]).stderr
    assert console("rules").stderr == "cleaned up\n"
