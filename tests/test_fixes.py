"""Autofix: the fixes diagnostics carry, `check --fix / --unsafe-fixes /
--diff`, and their JSON, SARIF and cache shapes.

Each fix kind has a before/after pair in tests/fixes/: NAME.before.EXT is
fixed (unsafe fixes too when NAME starts with `unsafe_`) and must become
NAME.after.EXT exactly, comments included.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import pytest
from adflow.compiler.findings import fixes
from adflow.compiler.front.source import Source
from adflow.compiler.pipeline import check_source
from adflow.compiler.project.cache import decode, encode
from adflow.compiler.project.config import Config
from adflow.compiler.project.files import write_atomic
from conftest import ADFLOW, PINNED_DAY

PAIRS = Path(__file__).parent / "fixes"
BEFORE = sorted(PAIRS.glob("*.before.*"))


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ADFLOW, *args], capture_output=True, text=True, cwd=cwd, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1",
                               "SOURCE_DATE_EPOCH": PINNED_DAY})


def fixed(path: Path, text: str, unsafe: bool) -> str:
    source = Source(path.name, text)
    result, _, _ = fixes.fix_source(source, fixes.checker(Config()), unsafe=unsafe)
    return result


def after_of(before: Path) -> Path:
    return before.with_name(before.name.replace(".before.", ".after."))


@pytest.mark.parametrize("before", BEFORE, ids=lambda p: p.name.split(".")[0])
def test_fix_pair(before: Path) -> None:
    unsafe = before.name.startswith("unsafe_")
    expected = after_of(before).read_text(encoding="utf-8")
    assert fixed(before, before.read_text(encoding="utf-8"), unsafe) == expected
    # A fixed point: nothing is left to apply to the result.
    assert fixed(before, expected, unsafe) == expected


@pytest.mark.parametrize("before", [p for p in BEFORE if p.name.startswith("unsafe_")],
                         ids=lambda p: p.name.split(".")[0])
def test_unsafe_fixes_need_the_flag(before: Path) -> None:
    text = before.read_text(encoding="utf-8")
    assert fixed(before, text, unsafe=False) != after_of(before).read_text(encoding="utf-8")


def comments(text: str) -> list[str]:
    return [line[line.index("#"):] for line in text.splitlines()
            if "#" in line and '"' not in line.split("#", 1)[0].replace('""', "")]


@pytest.mark.parametrize("before", [p for p in BEFORE if p.suffix == ".adflow"],
                         ids=lambda p: p.name.split(".")[0])
def test_fixes_keep_every_comment(before: Path) -> None:
    text = before.read_text(encoding="utf-8")
    assert comments(text) and comments(text) == [
        c for c in comments(fixed(before, text, unsafe=True)) if c in comments(text)]


def test_every_pair_has_both_halves() -> None:
    assert len(BEFORE) >= 8
    for before in BEFORE:
        assert after_of(before).exists(), before


def test_a_fix_that_adds_errors_is_refused() -> None:
    # v25.0 would ask the campaign whether its ad sets share budget; the
    # brace shares its line, so that has no fix: the version stays.
    text = ("api v22.0\naccount act_1234567890\npage acme 111222333444\n"
            "campaign spring {\n  objective OUTCOME_LEADS\n  special_ad_categories [NONE] }\n"
            "adset us in spring {\n  optimization_goal LEAD_GENERATION\n"
            "  destination MESSENGER\n  promoted_page acme\n  daily_budget 2000\n"
            "  targeting { countries [US] }\n}\n")
    source = Source("t.adflow", text)
    before = fixes.checker(Config())(source)
    assert any(d.code == "D004" and d.fix for d in before)
    result, applied, refused = fixes.fix_source(source, fixes.checker(Config()), unsafe=True)
    assert result == text and not applied
    assert [(d.code, why) for d, why in refused] == [("D004", "it would add 1 error")]


def test_a_keyword_fix_is_applied_though_the_statement_it_frees_has_errors() -> None:
    # The misspelt keyword hid the campaign from the rules: its own errors
    # (A006, A007 on its name) are the file's, not the fix's.
    text = ("api v25.0\naccount act_1234567890\npage acme 111222333444\n"
            "campain spring {\n  objective OUTCOME_LEADS\n}\n")
    result, applied, refused = fixes.fix_source(Source("t.adflow", text),
                                                fixes.checker(Config()), unsafe=False)
    assert result == text.replace("campain", "campaign")
    assert [d.code for d in applied] == ["S001"] and not refused
    after = fixes.checker(Config())(Source("t.adflow", result))
    assert {d.code for d in after} >= {"A006", "A007"}  # reported, for the author to fix


def test_a_syntax_fix_that_brings_a_finding_onto_its_own_text_is_refused() -> None:
    """A checker stands in for the rules: fixing line 1 ("bad" -> "good")
    removes the syntax error but makes the new word itself an error."""
    from adflow.compiler.findings.diagnostics import Diagnostic, Edit, Fix, Severity
    from adflow.compiler.front.source import Span

    def check(source: Source) -> list[Diagnostic]:
        if source.text.startswith("bad"):
            fix = Fix("replace 'bad' with 'good'", (Edit(Span("t", 1, 1, 1, 4), "good"),))
            return [Diagnostic("S001", Severity.ERROR, "unknown keyword 'bad'",
                               Span("t", 1, 1, 1, 4), fix=fix)]
        return [Diagnostic("A006", Severity.ERROR, "elsewhere", Span("t", 2, 1, 2, 3)),
                Diagnostic("F001", Severity.ERROR, "the new word", Span("t", 1, 1, 1, 5))]

    result, applied, refused = fixes.fix_source(Source("t", "bad x\nab\n"), check, unsafe=False)
    assert result == "bad x\nab\n" and not applied
    assert [(d.code, why) for d, why in refused] == [
        ("S001", "it would bring F001 (the new word) where it edits, at line 1")]


def test_a_fix_that_cannot_be_written_names_the_file(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from adflow.compiler.cli import main as cli
    from adflow.compiler.project import files

    path = tmp_path / "t.adflow"
    path.write_text((PAIRS / "step_keyword.before.adflow").read_text())

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")  # as a failed write says it: no file name

    monkeypatch.setattr(files, "write_atomic", full)
    assert cli.main(["check", "--no-cache", "--fix", str(path)]) == 2
    assert capsys.readouterr().err.endswith(
        f"adflow: error: cannot fix {path}: No space left on device\n")


def test_json_output_gives_every_diagnostic_a_fix_key(tmp_path: Path) -> None:
    path = tmp_path / "t.adflow"
    path.write_text((PAIRS / "prefill_and_option.before.adflow").read_text())
    payload = json.loads(run("check", "--no-cache", "--format", "json", str(path)).stdout)
    assert all("fix" in d for d in payload["diagnostics"])
    by_code = {d["code"]: d["fix"] for d in payload["diagnostics"]}
    assert by_code["F017"] == {
        "applicability": "safe", "message": "replace 'phone' with 'PHONE'",
        "edits": [{"line": 8, "column": 41, "end_line": 8, "end_column": 46,
                   "content": "PHONE"}]}
    assert by_code["S006"]["edits"][0]["content"] == "required"
    assert any(d["fix"] is None for d in payload["diagnostics"])  # D001 has none


def test_sarif_results_carry_fixes(tmp_path: Path) -> None:
    path = tmp_path / "t.adflow"
    path.write_text((PAIRS / "unsafe_unclosed.before.adflow").read_text())
    log = json.loads(run("check", "--no-cache", "--format", "sarif", str(path)).stdout)
    [result] = [r for r in log["runs"][0]["results"] if r["ruleId"] == "S001"]
    [fix] = result["fixes"]
    assert fix["description"]["text"] == "close the block"
    assert fix["properties"]["applicability"] == "unsafe"
    [change] = fix["artifactChanges"]
    assert change["artifactLocation"]["uri"] == path.as_uri()
    # An insertion: an empty region with every bound given.
    assert change["replacements"] == [{
        "deletedRegion": {"startLine": 5, "startColumn": 55, "endLine": 5, "endColumn": 55},
        "insertedContent": {"text": "\n}"}}]


def test_diff_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "t.adflow"
    original = (PAIRS / "step_keyword.before.adflow").read_bytes()
    path.write_bytes(original)
    mtime = path.stat().st_mtime_ns
    result = run("check", "--no-cache", "--diff", str(path))
    assert result.returncode == 1
    assert result.stdout.startswith(f"--- {path} (original)\n+++ {path} (fixed)\n")
    assert "-  qustion interest" in result.stdout and "+  question interest" in result.stdout
    assert "would fix 3 findings in 1 file" in result.stderr
    assert path.read_bytes() == original and path.stat().st_mtime_ns == mtime
    assert sorted(os.listdir(tmp_path)) == ["t.adflow"]  # no temporary file left either


def test_fix_writes_keeps_mode_and_line_endings_and_reports_what_is_left(tmp_path: Path) -> None:
    path = tmp_path / "t.adflow"
    before = (PAIRS / "prefill_and_option.before.adflow").read_text()
    path.write_bytes(before.replace("\n", "\r\n").encode())
    path.chmod(0o640)
    result = run("check", "--no-cache", "--fix", str(path))
    after = (PAIRS / "prefill_and_option.after.adflow").read_text()
    assert path.read_bytes() == after.replace("\n", "\r\n").encode()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert "fixed 2 findings in 1 file" in result.stderr
    assert "0 errors" in result.stdout and result.returncode == 0
    assert sorted(os.listdir(tmp_path)) == ["t.adflow"]


def test_unsafe_fixes_flag_applies_them(tmp_path: Path) -> None:
    path = tmp_path / "t.adflow"
    path.write_text((PAIRS / "unsafe_budget_sharing.before.adflow").read_text())
    run("check", "--no-cache", "--fix", str(path))
    assert path.read_text() == (PAIRS / "unsafe_budget_sharing.before.adflow").read_text()
    run("check", "--no-cache", "--unsafe-fixes", str(path))
    assert path.read_text() == (PAIRS / "unsafe_budget_sharing.after.adflow").read_text()


def test_write_atomic_replaces_whole_and_keeps_mode(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_text("old")
    path.chmod(0o600)
    link = tmp_path / "link.txt"
    link.symlink_to(path)
    write_atomic(link, "new ✓")
    assert link.is_symlink() and path.read_text(encoding="utf-8") == "new ✓"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    write_atomic(tmp_path / "fresh.bin", b"\x00\x01")
    assert (tmp_path / "fresh.bin").read_bytes() == b"\x00\x01"
    assert sorted(os.listdir(tmp_path)) == ["f.txt", "fresh.bin", "link.txt"]


def test_the_cache_keeps_the_fix() -> None:
    source = Source("t.adflow", (PAIRS / "unsafe_references.before.adflow").read_text())
    found = [d for d in check_source(source).diagnostics if d.fix is not None]
    assert found
    for d in found:
        assert decode(json.loads(json.dumps(encode(d)))) == d


def test_cached_answer_still_carries_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "t.adflow"
    path.write_text((PAIRS / "prefill_and_option.before.adflow").read_text())
    args = ("check", "--format", "json", "--cache-dir", str(tmp_path / "cache"), str(path))
    first, second = run(*args).stdout, run(*args).stdout
    assert first == second and '"content": "PHONE"' in second


def test_mixed_line_endings_are_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "t.adflow"
    text = (PAIRS / "prefill_and_option.before.adflow").read_text()
    data = text.replace("\n", "\r\n", 2).encode()
    path.write_bytes(data)
    result = run("check", "--no-cache", "--fix", str(path))
    assert path.read_bytes() == data
    assert "mixes line endings" in result.stderr and result.returncode == 1


def test_a_loose_likeness_gets_only_an_unsafe_fix() -> None:
    # stop_time is a campaign field; in an ad set the closest name, start_time,
    # means something else: --fix must not write it.
    text = ('account act_1234567890\ncampaign c {\n  objective OUTCOME_LEADS\n'
            '  special_ad_categories [NONE]\n}\nadset a in c {\n'
            '  stop_time "2026-12-31T23:59:00+0000"\n}\n')
    [s006] = [d for d in check_source(Source("t.adflow", text)).diagnostics if d.code == "S006"]
    assert s006.help == "did you mean 'start_time'?"
    assert s006.fix is not None and s006.fix.applicability == "unsafe"
    assert fixed(Path("t.adflow"), text, unsafe=False) == text


def test_a_damaged_fix_in_the_cache_is_a_miss() -> None:
    source = Source("t.adflow", (PAIRS / "prefill_and_option.before.adflow").read_text())
    [d] = [d for d in check_source(source).diagnostics if d.code == "F017"]
    entry = encode(d)
    entry["fix"] = {**entry["fix"], "applicability": "maybe"}  # type: ignore[dict-item]
    with pytest.raises(ValueError):
        decode(entry)


def test_a_file_saved_by_an_editor_while_it_is_fixed_keeps_the_editors_text(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    # An editor saves between --fix reading the file and writing it back:
    # writing the fixes of the old text would throw the editor's save away.
    path = tmp_path / "t.adflow"
    path.write_text((PAIRS / "prefill_and_option.before.adflow").read_text())
    saved = "# the editor's save\n" + path.read_text()
    real = fixes.fix_file

    def fix_while_saving(*args: object, **kwargs: object) -> fixes.Outcome | None:
        outcome = real(*args, **kwargs)  # type: ignore[arg-type]
        path.write_text(saved)
        return outcome

    monkeypatch.setattr(fixes, "fix_file", fix_while_saving)
    assert fixes.run([path], [Config()], unsafe=False, show_diff=False) == 0
    assert path.read_text() == saved
    assert f"{path}: not fixed: it changed while it was being fixed" in capsys.readouterr().err
