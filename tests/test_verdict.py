"""One verdict everywhere: every command runs the same per-file pipeline
(`adflow.compiler.pipeline.check_file`), so a file compiles exactly when
`adflow check` passes it, with the same configuration and suppressions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from adflow.compiler.cli.main import main
from conftest import ROOT, SAMPLES

FIXTURES = ROOT / "tests" / "fixtures"
INPUTS = sorted({*SAMPLES.rglob("*.adflow"), *SAMPLES.rglob("*.json"),
                 *FIXTURES.rglob("*.adflow"), *FIXTURES.rglob("*.json")})


def status(capsys: pytest.CaptureFixture[str], *argv: str) -> int:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert "internal error" not in captured.err, captured.err
    return code


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_check_passes_exactly_when_compile_does(path: Path, capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path) -> None:
    checked = status(capsys, "check", "--no-cache", str(path))
    for emit in ("json", "curl"):
        compiled = status(capsys, "compile", str(path), "--emit", emit,
                          "-o", str(tmp_path / f"out.{emit}"))
        assert (checked == 0) == (compiled == 0), (emit, checked, compiled)
    assert checked in (0, 1)


BAD_SHAPES = [
    # Each passed `check` and failed `compile` before both ran the schemas.
    "raw bid_strategy 5",
    'raw promoted_object {"page_id": "acme"}',
]


def adset_file(extra: str, comment: str = "") -> str:
    return ("api v25.0\naccount act_1\npage acme 111222333444\n"
            "campaign c {\n  objective OUTCOME_TRAFFIC\n  special_ad_categories [NONE]\n"
            "  daily_budget 1000\n}\n"
            "adset s in c {\n  optimization_goal LINK_CLICKS\n  billing_event IMPRESSIONS\n"
            "  targeting { countries [US] }\n"
            f"  {extra}{comment}\n}}\n")


def bad_file(capsys: pytest.CaptureFixture[str], tmp_path: Path,
             extra: str) -> tuple[Path, list[str]]:
    """A file with a body of the wrong shape, and the error codes check gives it."""
    path = tmp_path / "f.adflow"
    path.write_text(adset_file(extra), encoding="utf-8")
    assert main(["check", "--no-cache", "--format", "json", str(path)]) == 1
    found = json.loads(capsys.readouterr().out)["diagnostics"]
    return path, sorted(d["code"] for d in found if d["severity"] == "error")


@pytest.mark.parametrize("extra", BAD_SHAPES)
def test_a_body_of_the_wrong_shape_fails_check_and_compile_alike(
        extra: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, codes = bad_file(capsys, tmp_path, extra)
    assert codes and set(codes) <= {"A012", "S008"}  # a rule's words, else the schema's
    assert main(["compile", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and all(code in captured.err for code in codes)


@pytest.mark.parametrize("extra", BAD_SHAPES)
def test_a_suppressed_finding_never_blocks_compile(
        extra: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, codes = bad_file(capsys, tmp_path, extra)
    path.write_text(adset_file(extra, f"  # adflow: ignore[{','.join(codes)}]"),
                    encoding="utf-8")
    assert status(capsys, "check", "--no-cache", str(path)) == 0
    assert main(["compile", str(path)]) == 0
    assert '"adset.s"' in capsys.readouterr().out


@pytest.mark.parametrize("extra", BAD_SHAPES)
def test_a_code_ignored_in_the_configuration_never_blocks_compile(
        extra: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, codes = bad_file(capsys, tmp_path, extra)
    assert status(capsys, "compile", str(path)) == 1
    (tmp_path / "adflow.toml").write_text(f"ignore = {json.dumps(codes)}\n", encoding="utf-8")
    assert status(capsys, "check", "--no-cache", str(path)) == 0
    assert status(capsys, "compile", str(path)) == 0


def test_fail_on_warning_gates_compile_as_it_gates_check(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = SAMPLES / "seed_lead_form.adflow"  # warnings, no errors
    local = tmp_path / path.name
    local.write_bytes(path.read_bytes())
    assert status(capsys, "compile", str(local)) == 0
    (tmp_path / "adflow.toml").write_text('fail_on = "warning"\n', encoding="utf-8")
    assert status(capsys, "check", "--no-cache", str(local)) == 1
    assert status(capsys, "compile", str(local)) == 1


@pytest.mark.parametrize("command", ["graph", "paths", "preview"])
def test_commands_that_show_a_file_see_what_check_reports(
        command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A finding ignored in the configuration is not shown by any command."""
    source = (SAMPLES / "broken" / "flow_mistakes.adflow").read_text(encoding="utf-8")
    path = tmp_path / "f.adflow"
    path.write_text(source, encoding="utf-8")
    assert main([command, str(path)]) == 0
    assert "F003" in capsys.readouterr().out
    (tmp_path / "adflow.toml").write_text('ignore = ["F003"]\n', encoding="utf-8")
    assert main([command, str(path)]) == 0
    assert "F003" not in capsys.readouterr().out


def test_import_gives_checks_verdict_and_still_writes_the_dsl(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = tmp_path / "campaign.json"
    body.write_text('{"name": "c", "objective": "OUTCOME_NOPE", '
                    '"special_ad_categories": ["NONE"]}', encoding="utf-8")
    checked = status(capsys, "check", "--no-cache", str(body))
    assert checked == 1
    assert main(["import", str(body)]) == checked
    captured = capsys.readouterr()
    assert "OUTCOME_NOPE" in captured.out and "A001" in captured.err
