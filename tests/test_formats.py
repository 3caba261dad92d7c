"""`adflow check --format sarif|github|junit|json` through the console script."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from conftest import ADFLOW, PINNED_DAY, ROOT, SAMPLES

BROKEN = SAMPLES / "broken" / "flow_mistakes.adflow"
# In CI the shared folder sits beside the repository.
SARIF_SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ADFLOW, *args], capture_output=True, text=True, cwd=cwd, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1",
                               "SOURCE_DATE_EPOCH": PINNED_DAY})


def sarif_of(*paths: str, cwd: Path | None = None) -> dict:
    result = run("check", "--format", "sarif", *paths, cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def check_sarif_structure(log: dict) -> None:
    assert log["version"] == "2.1.0"
    (run_,) = log["runs"]
    assert run_["columnKind"] == "unicodeCodePoints"
    rules = run_["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    for r in rules:
        assert {"id", "name", "shortDescription", "fullDescription", "help",
                "defaultConfiguration"} <= r.keys()
        assert r["defaultConfiguration"]["level"] in ("error", "warning", "note")
    for res in run_["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        region = res["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert res["partialFingerprints"]["adflowPlace/v1"]


def test_sarif_is_valid_against_the_official_schema() -> None:
    log = sarif_of(str(BROKEN), str(SAMPLES / "broken" / "syntax_mistakes.adflow"))
    check_sarif_structure(log)
    assert log["runs"][0]["results"], "the broken samples must produce results"
    if SARIF_SCHEMA.exists():
        schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
        jsonschema.validate(log, schema, cls=jsonschema.Draft4Validator)


def test_sarif_validation_rejects_a_broken_log() -> None:
    """The validation above can fail: a log without a version is refused, by
    the official schema where it is at hand and by the structural check."""
    bad = sarif_of(str(BROKEN))
    del bad["version"]
    with pytest.raises((AssertionError, KeyError)):
        check_sarif_structure(bad)
    if SARIF_SCHEMA.exists():
        schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
        assert not jsonschema.Draft4Validator(schema).is_valid(bad)


def test_sarif_regions_match_text_positions() -> None:
    log = sarif_of(str(BROKEN))
    text = run("check", "--format", "json", str(BROKEN))
    expected = [(d["line"], d["column"], d["code"]) for d in json.loads(text.stdout)["diagnostics"]]
    got = [(r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"]["startColumn"], r["ruleId"])
           for r in log["runs"][0]["results"]]
    assert got == expected


def test_sarif_fingerprints_survive_unrelated_edits(tmp_path: Path) -> None:
    original = BROKEN.read_text(encoding="utf-8")
    (tmp_path / "a.adflow").write_text(original, encoding="utf-8")
    # Comment and blank lines above move every finding down.
    shifted = "# a new comment\n\n# and another\n" + original.replace(
        "lead_form", '# the form\n\nlead_form', 1)
    (tmp_path / "b.adflow").write_text(shifted, encoding="utf-8")

    def prints(name: str) -> tuple[list[str], list[int]]:
        results = sarif_of(name, cwd=tmp_path)["runs"][0]["results"]
        return ([r["partialFingerprints"]["adflowPlace/v1"] for r in results],
                [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results])

    before, lines_before = prints("a.adflow")
    after, lines_after = prints("b.adflow")
    assert lines_before != lines_after
    assert sorted(before) == sorted(after)
    assert any("lead_form:" in p and "/step:" in p for p in before)


def test_sarif_uris_are_relative_and_output_is_deterministic(tmp_path: Path) -> None:
    out = tmp_path / "report.sarif"
    first = run("check", "--format", "sarif", "--output", str(out), "samples/broken", cwd=ROOT)
    assert first.returncode == 1
    assert "errors" in first.stderr  # the summary stays on the terminal
    text = out.read_text(encoding="utf-8")
    run("check", "--format", "sarif", "--output", str(out), "samples/broken", cwd=ROOT)
    assert out.read_text(encoding="utf-8") == text
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in json.loads(text)["runs"][0]["results"]}
    assert uris == {"samples/broken/flow_mistakes.adflow", "samples/broken/syntax_mistakes.adflow"}


def test_github_workflow_commands() -> None:
    result = run("check", "--format", "github", str(BROKEN))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines and all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    first = lines[0]
    assert f"file={BROKEN}," in first and ",line=" in first and ",col=" in first
    message = first.split("::", 2)[2]
    assert message[:4] in {l.split("title=")[1][:4] for l in lines}
    assert "\n" not in message and "%0A" in result.stdout  # multi-line text is escaped


def test_github_warning_and_property_escaping(tmp_path: Path) -> None:
    path = tmp_path / "a,b:c.adflow"
    path.write_text("page acme 1\n", encoding="utf-8")
    result = run("check", "--format", "github", str(path))
    assert result.returncode == 0
    assert result.stdout.startswith("::warning file=")
    assert "a%2Cb%3Ac.adflow" in result.stdout and "R003 " in result.stdout


def test_junit_one_case_per_file_and_rule(tmp_path: Path) -> None:
    clean = SAMPLES / "ctm_welcome_messages.adflow"  # no findings at all
    result = run("check", "--format", "junit", str(BROKEN), str(clean))
    assert result.returncode == 1
    root = ET.fromstring(result.stdout)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [str(BROKEN), str(clean)]
    rules = json.loads(run("rules", "--format", "json").stdout)
    for suite in suites:
        names = [c.get("name") for c in suite.findall("testcase")]
        assert len(names) == len(set(names)) == len(rules)
    failing = {c.get("name").split()[0]: c.find("failure").text
               for c in suites[0].findall("testcase") if c.find("failure") is not None}
    assert "F003" in failing and "jumps back to itself" in failing["F003"]
    assert not [c for c in suites[1].findall("testcase") if c.find("failure") is not None]
    assert int(root.get("failures")) == len(failing)


def test_unknown_format_is_a_usage_error() -> None:
    result = run("check", "--format", "xml", str(BROKEN))
    assert result.returncode == 2 and "invalid choice" in result.stderr


def test_parallel_run_gives_the_same_report(tmp_path: Path) -> None:
    for i in range(20):
        (tmp_path / f"f{i:02}.adflow").write_text(BROKEN.read_text(encoding="utf-8"), "utf-8")
    serial = run("check", "--format", "json", "-j", "1", str(tmp_path))
    parallel = run("check", "--format", "json", "-j", "2", str(tmp_path))
    assert serial.returncode == parallel.returncode == 1
    assert serial.stdout == parallel.stdout
    assert json.loads(serial.stdout)["summary"]["files"] == 20
