"""`adflow check -` and `adflow fmt -`: standard input, named by --stdin-filename."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Adflow

TYPO = 'campaign spring {\n  objective OUTCOME_LEAD\n}\n'
FORM = ('api v25.0\naccount act_1\npage acme 111222333444\n\n'
        'lead_form quote on acme {\n  template_name  "Quote"\n'
        '  privacy_url "https://acme.example/privacy"   # kept\n  reminder "Still there?"\n'
        '  intro "Hi!" -> thanks\n  confirmation thanks "Thanks!"\n}\n')


def codes(report: str) -> set[str]:
    return {d["code"] for d in json.loads(report)["diagnostics"]}


@pytest.mark.slow
def test_check_reads_stdin_under_the_given_name(tmp_path: Path, adflow: Adflow) -> None:
    done = adflow("check", "-", "--stdin-filename", "ads/spring.adflow", stdin=TYPO, cwd=tmp_path)
    assert done.returncode == 1
    assert "ads/spring.adflow:2:13: A001 unknown objective 'OUTCOME_LEAD'" in done.stdout
    unnamed = adflow("check", "-", stdin=TYPO, cwd=tmp_path)
    assert "-:2:13: A001" in unnamed.stdout


@pytest.mark.slow
def test_the_name_picks_the_configuration(tmp_path: Path, adflow: Adflow) -> None:
    project = tmp_path / "project"
    (project / "ads").mkdir(parents=True)
    (project / "adflow.toml").write_text('ignore = ["A001"]\n', encoding="utf-8")
    inside = adflow("check", "-", "--format", "json", "--stdin-filename",
                    str(project / "ads" / "spring.adflow"), stdin=TYPO, cwd=tmp_path)
    outside = adflow("check", "-", "--format", "json", "--stdin-filename",
                     str(tmp_path / "spring.adflow"), stdin=TYPO, cwd=tmp_path)
    assert "A001" not in codes(inside.stdout)
    assert "A001" in codes(outside.stdout)


@pytest.mark.slow
def test_the_name_picks_json_or_adflow(tmp_path: Path, adflow: Adflow) -> None:
    body = json.dumps({"name": "Spring", "objective": "OUTCOME_LEAD",
                       "special_ad_categories": []})
    as_json = adflow("check", "-", "--format", "json", "--stdin-filename",
                     "act_1/campaigns.json", stdin=body, cwd=tmp_path)
    as_dsl = adflow("check", "-", "--format", "json", "--stdin-filename", "x.adflow",
                    stdin=body, cwd=tmp_path)
    assert "S001" not in codes(as_json.stdout)
    assert "S001" in codes(as_dsl.stdout)  # JSON is not adflow's own syntax


def test_inline_suppressions_apply_to_stdin(tmp_path: Path, adflow: Adflow) -> None:
    suppressed = TYPO.replace("OUTCOME_LEAD\n", "OUTCOME_LEAD  # adflow: ignore[A001]\n")
    done = adflow("check", "-", "--format", "json", stdin=suppressed, cwd=tmp_path)
    assert "A001" not in codes(done.stdout)


@pytest.mark.slow
def test_fmt_writes_the_formatted_text_to_stdout(tmp_path: Path, adflow: Adflow) -> None:
    done = adflow("fmt", "-", "--stdin-filename", "form.adflow", stdin=FORM, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert '  template_name "Quote"\n' in done.stdout
    assert '"https://acme.example/privacy"   # kept' in done.stdout
    assert list(tmp_path.iterdir()) == []  # nothing written
    again = adflow("fmt", "-", stdin=done.stdout, cwd=tmp_path)
    assert again.stdout == done.stdout


def test_fmt_gives_back_what_it_cannot_format(tmp_path: Path, adflow: Adflow) -> None:
    broken = 'campaign spring {\n  objective = OUTCOME_LEADS\n}\n'
    done = adflow("fmt", "-", "--stdin-filename", "spring.adflow", stdin=broken, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout == broken  # an editor piping its buffer through keeps it
    assert "spring.adflow:2:13: S001" in done.stderr


@pytest.mark.slow
def test_fmt_check_and_diff_on_stdin(tmp_path: Path, adflow: Adflow) -> None:
    check = adflow("fmt", "--check", "-", "--stdin-filename", "form.adflow", stdin=FORM,
                   cwd=tmp_path)
    assert check.returncode == 1 and "would reformat form.adflow" in check.stdout
    diff = adflow("fmt", "--diff", "-", stdin=FORM, cwd=tmp_path)
    assert diff.returncode == 1 and '+  template_name "Quote"' in diff.stdout


@pytest.mark.slow
def test_stdin_usage_errors(tmp_path: Path, adflow: Adflow) -> None:
    mixed = adflow("check", "-", "other.adflow", stdin=TYPO, cwd=tmp_path)
    assert mixed.returncode == 2 and "cannot be mixed" in mixed.stderr
    stray = adflow("fmt", "x.adflow", "--stdin-filename", "y.adflow", stdin="", cwd=tmp_path)
    assert stray.returncode == 2 and "give - as the path" in stray.stderr
    for flag in ("--fix", "--unsafe-fixes", "--diff"):
        fixing = adflow("check", "-", flag, "--stdin-filename", "a.adflow", stdin=TYPO,
                        cwd=tmp_path)
        assert fixing.returncode == 2 and "standard input" in fixing.stderr
        assert list(tmp_path.iterdir()) == []  # no file named a.adflow or - appears
