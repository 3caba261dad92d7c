"""`adflow check --format sarif|github|junit|json` through the console script."""

from __future__ import annotations

import json
import os
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from adflow.compiler.pipeline import check_file
from conftest import ADFLOW, PINNED_DAY, ROOT, SAMPLES

BROKEN = SAMPLES / "broken" / "flow_mistakes.adflow"
# The official schema (OASIS, errata 01), kept with the tests so they never skip it.
SARIF_SCHEMA = ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json"
# Microsoft's SARIF multitool, from tools/sarif/package-lock.json (`make test` installs it).
MULTITOOL = (ROOT / "tools" / "sarif" / "node_modules" / "@microsoft" / "sarif-multitool-linux"
             / "Sarif.Multitool")


def validate_sarif(log: dict) -> None:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(log, schema, cls=jsonschema.Draft4Validator)


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
        assert res["partialFingerprints"]["adflowPlace/v2"]


def test_sarif_is_valid_against_the_official_schema() -> None:
    log = sarif_of(str(BROKEN), str(SAMPLES / "broken" / "syntax_mistakes.adflow"))
    check_sarif_structure(log)
    assert log["runs"][0]["results"], "the broken samples must produce results"
    validate_sarif(log)


def test_sarif_validation_rejects_a_broken_log() -> None:
    """The validation above can fail: a log without a version is refused, by
    the official schema where it is at hand and by the structural check."""
    bad = sarif_of(str(BROKEN))
    del bad["version"]
    with pytest.raises((AssertionError, KeyError)):
        check_sarif_structure(bad)
    with pytest.raises(jsonschema.ValidationError):
        validate_sarif(bad)


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
        return ([r["partialFingerprints"]["adflowPlace/v2"] for r in results],
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


# Two bad arrows in one step, two unknown countries on one ad set (A009 twice).
TWINS = """api v23.0
account act_1234567890
page acme 111222333444
lead_form quote on acme {
  template_name "Quote"
  privacy_url "https://acme.example/privacy"
  reminder "Still there?"
  intro "Hi!" -> interest
  question interest "Interested?" {
    "Yes" -> nowhere
    "No" -> elsewhere
  }
  confirmation thanks "Thanks!"
}
campaign spring {
  objective OUTCOME_ENGAGEMENT
  special_ad_categories [NONE]
}
adset us in spring {
  destination MESSENGER
  optimization_goal CONVERSATIONS
  billing_event IMPRESSIONS
  daily_budget 1000
  targeting {
    countries [USA, GBR]
  }
}
"""


def test_sarif_fingerprints_tell_apart_findings_in_one_place(tmp_path: Path) -> None:
    (tmp_path / "twins.adflow").write_text(TWINS, encoding="utf-8")
    twins = sarif_of("twins.adflow", cwd=tmp_path)["runs"][0]["results"]
    by_code: dict[str, list[str]] = {}
    for r in twins:
        by_code.setdefault(r["ruleId"], []).append(r["partialFingerprints"]["adflowPlace/v2"])
    # The field path tells them apart, not only the order they come in.
    assert sorted(by_code["F004"]) == [
        f"lead_form:quote/step:interest/next_step_ids/{i}#F004#1" for i in (0, 1)]
    assert sorted(by_code["A009"]) == [
        f"adset:us/targeting/geo_locations/countries/{i}#A009#1" for i in (0, 1)]
    results = sarif_of("twins.adflow", str(BROKEN), cwd=tmp_path)["runs"][0]["results"]
    prints = [(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
               r["partialFingerprints"]["adflowPlace/v2"]) for r in results]
    assert len(set(prints)) == len(prints)  # no two alerts merged into one


def test_sarif_occurrence_index_separates_findings_in_the_same_field() -> None:
    from adflow.compiler.findings.diagnostics import Diagnostic, Severity
    from adflow.compiler.findings.report import fingerprints
    from adflow.compiler.front.source import Span

    span = Span("f.adflow", 1, 1, 1, 2)
    same = [Diagnostic("X001", Severity.ERROR, f"token {i}", span, name="campaign:c/name")
            for i in range(2)]
    nameless = [Diagnostic("S001", Severity.ERROR, "bad", span) for _ in range(2)]
    assert fingerprints(same + nameless) == [
        "campaign:c/name#X001#1", "campaign:c/name#X001#2", "f.adflow:bad#S001#1",
        "f.adflow:bad#S001#2"]


def test_sarif_run_metadata_and_security_rules(tmp_path: Path) -> None:
    log = sarif_of(str(BROKEN.relative_to(ROOT)), cwd=ROOT)
    (run_,) = log["runs"]
    driver = run_["tool"]["driver"]
    assert "informationUri" not in driver
    assert driver["semanticVersion"] == driver["version"]
    assert run_["invocations"] == [{"executionSuccessful": True, "exitCode": 1}]
    assert run_["originalUriBaseIds"] == {"%SRCROOT%": {"uri": ROOT.as_uri() + "/"}}
    for r in run_["results"]:
        location = r["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location["uriBaseId"] == "%SRCROOT%" and not location["uri"].startswith("/")
    rules = {r["id"]: r for r in driver["rules"]}
    for code in ("X001", "X004"):
        assert rules[code]["properties"]["tags"] == ["security"]
        assert 0 < float(rules[code]["properties"]["security-severity"]) <= 10
    assert not [c for c, r in rules.items()
                if "tags" in r.get("properties", {}) and c not in ("X001", "X004")]
    # Every rule's evidence is listed whole in its properties.
    assert rules["A006"]["properties"]["evidence"][0].startswith("Graph API error 100/1885621")
    assert not [c for c, r in rules.items() if r["defaultConfiguration"]["level"] == "error"
                and not r.get("properties", {}).get("evidence")]
    for code, r in rules.items():
        assert r["help"]["markdown"].startswith(f"# {code}: ")
    assert "## Bad" in rules["F003"]["help"]["markdown"]
    # Plain-text help reads as `adflow explain` does: no example wrapper names.
    assert "\nBad:\n" in rules["F003"]["help"]["text"]
    assert not [c for c, r in rules.items() if "(objects" in r["help"]["text"]]
    clean = sarif_of(str(SAMPLES / "ctm_welcome_messages.adflow"))
    assert clean["runs"][0]["invocations"][0]["exitCode"] == 0


def test_sarif_help_uris_point_at_the_evidence_or_the_rule_pages(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """helpUri is the public source behind a rule (the first URL of its
    evidence); a rule without one links its page in docs/rules/ when the
    package metadata names a home. The log stays valid SARIF."""
    from adflow.compiler.findings import report
    from adflow.compiler.findings.ruledocs import primary_url
    from adflow.compiler.pipeline import check_file
    from adflow.compiler.rules import ALL_RULES

    base = "https://example.org/adflow/blob/v0.1.0/docs/rules"
    monkeypatch.setattr(report, "docs_url", lambda: base)
    log = json.loads(report.render_sarif([check_file(BROKEN)], ALL_RULES, exit_code=1))
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["helpUri"] for r in rules] == [primary_url(r.evidence) or f"{base}/{r.code}.md"
                                             for r in ALL_RULES]
    by_code = {r["id"]: r for r in rules}
    assert by_code["A003"]["helpUri"].startswith("https://developers.facebook.com/docs/")
    assert by_code["N001"]["helpUri"] == f"{base}/N001.md"
    assert all((ROOT / "docs" / "rules" / f"{r.code}.md").is_file() for r in ALL_RULES)
    validate_sarif(log)
    monkeypatch.setattr(report, "docs_url", lambda: None)
    log = json.loads(report.render_sarif([check_file(BROKEN)], ALL_RULES))
    assert [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"] if "helpUri" in r] == \
        [r.code for r in ALL_RULES if primary_url(r.evidence)]


def test_github_workflow_commands() -> None:
    result = run("check", "--format", "github", str(BROKEN))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines and all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    first = lines[0]
    assert f"file={BROKEN}," in first and ",line=" in first and ",col=" in first
    message = first.split("::", 2)[2]
    assert message[:4] in {x.split("title=")[1][:4] for x in lines}
    assert "\n" not in message and "%0A" in result.stdout  # multi-line text is escaped


def test_github_warning_and_property_escaping(tmp_path: Path) -> None:
    path = tmp_path / "a,b:c.adflow"
    path.write_text("page acme 1\n", encoding="utf-8")
    result = run("check", "--format", "github", str(path))
    assert result.returncode == 0
    assert result.stdout.startswith("::warning file=")
    assert "a%2Cb%3Ac.adflow" in result.stdout and "R003 " in result.stdout


def junit_of(*args: str, cwd: Path | None = None) -> tuple[int, ET.Element]:
    result = run("check", "--format", "junit", *args, cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, ET.fromstring(result.stdout)


def test_junit_one_case_per_finding_and_one_per_clean_file() -> None:
    clean = SAMPLES / "ctm_welcome_messages.adflow"  # no findings at all
    status, root = junit_of(str(BROKEN), str(clean))
    assert status == 1
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [str(BROKEN), str(clean)]
    findings = json.loads(run("check", "--format", "json", str(BROKEN)).stdout)["diagnostics"]
    cases = suites[0].findall("testcase")
    assert [c.get("name").split()[0] for c in cases] == [d["code"] for d in findings]
    assert all(c.get("classname") == str(BROKEN) for c in cases)
    (passing,) = suites[1].findall("testcase")
    assert passing.get("name") == "no findings" and len(passing) == 0
    # Errors fail; warnings (D001 here) pass, their message kept in system-out.
    failing = [c for c in cases if c.find("failure") is not None]
    assert len(failing) == sum(d["severity"] == "error" for d in findings) > 0
    warned = [c for c in cases if c.get("name").startswith("D001")]
    assert warned and warned[0].find("failure") is None
    assert "deprecated" in warned[0].find("system-out").text
    assert root.get("tests") == str(len(findings) + 1)
    assert root.get("failures") == str(len(failing))
    assert [s.get("tests") for s in suites] == [str(len(findings)), "1"]


def test_junit_failures_follow_fail_on() -> None:
    _, strict = junit_of("--fail-on", "warning", str(BROKEN))
    assert all(c.find("failure") is not None for c in strict.iter("testcase"))
    status, never = junit_of("--fail-on", "never", str(BROKEN))
    assert status == 0 and never.get("failures") == "0"
    assert not list(never.iter("failure")) and len(list(never.iter("testcase"))) > 1


def test_junit_is_valid_xml_for_any_file_name(tmp_path: Path) -> None:
    name = "bad\x01name\x1b[31m & <x> \"q\" \udcff.adflow"
    path = tmp_path / name
    path.write_bytes(b'page acme 1\ncampaign c {\n  name "a\x07b"\n}\n')
    # --no-cache: the result cache cannot yet store a name that is not UTF-8.
    result = subprocess.run([ADFLOW, "check", "--no-cache", "--format", "junit", path.name],
                            cwd=tmp_path,
                            capture_output=True, timeout=60,
                            env={"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": PINNED_DAY})
    assert result.returncode == 1, result.stderr
    root = ET.fromstring(result.stdout)  # raises on a character XML 1.0 forbids
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "bad\\x01name\\x1b[31m & <x> \"q\" \\xff.adflow"
    assert len(suite.findall("testcase")) >= 2


def test_xml_text_keeps_what_xml_allows() -> None:
    from adflow.compiler.findings.report import xml_text

    assert xml_text("tab\there\nnew é ☃ \U0001f600") == "tab\there\nnew é ☃ \U0001f600"
    assert xml_text("\x00\x0b\ufffe\ud800") == "\\x00\\x0b\\ufffe\\ud800"


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


# -- names a file system allows, and Microsoft's own SARIF validator ----------------------------

NOT_UTF8 = b"caf\xff \x1b[31m.adflow"  # a Latin-1 byte, a space, an escape sequence


def test_every_format_stays_valid_for_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    os.chdir(tmp_path)  # a bytes name is made relative to the current folder
    try:
        with open(NOT_UTF8, "wb") as f:
            f.write(b"page acme 1\n")  # R003: one finding
    finally:
        os.chdir(ROOT)
    name = os.fsdecode(NOT_UTF8)
    outputs = {}
    for fmt in ("text", "concise", "json", "sarif", "github", "junit"):
        result = subprocess.run([ADFLOW, "check", "--no-cache", "--format", fmt, "."],
                                capture_output=True, cwd=tmp_path, timeout=60,
                                env={"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": PINNED_DAY})
        assert result.returncode == 0, (fmt, result.stderr)
        outputs[fmt] = result.stdout.decode("utf-8")  # valid UTF-8, or this raises
        assert "\x1b" not in outputs[fmt], fmt  # the escape sequence never reaches a terminal
    assert json.loads(outputs["json"])["diagnostics"][0]["file"] == name  # the bytes come back
    log = json.loads(outputs["sarif"])
    validate_sarif(log)
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "caf%FF%20%1B%5B31m.adflow"
    assert "caf\\xff \\x1b[31m.adflow:1:6: R003" in outputs["text"]
    assert outputs["concise"].startswith("caf\\xff \\x1b[31m.adflow:1:6: R003")
    assert "file=caf\\xff \\x1b[31m.adflow," in outputs["github"]
    ET.fromstring(outputs["junit"])


# Azure DevOps rules that ask for the Azure pipeline's build (its definition
# and phase ids and names, in automationDetails), which only a run inside one
# could give: adflow writes the same log wherever it runs.
AZURE_BUILD_ONLY = {"GHAzDO1019", "GHAzDO1020"}


def multitool(log: dict, folder: Path) -> list[tuple[str, str, str]]:
    """(rule, level, message) of every error and warning the SARIF multitool
    raises on `log`, with its SARIF, Azure DevOps and GitHub rules."""
    assert MULTITOOL.is_file(), "run `make test` (or make setup-sarif) to install it"
    folder.mkdir()
    (folder / "adflow.sarif").write_text(json.dumps(log), encoding="utf-8")
    done = subprocess.run([str(MULTITOOL), "validate", "adflow.sarif", "--output", "out.sarif",
                           "--log", "ForceOverwrite", "--rule-kind", "Sarif;Ado;Gh",
                           "--level", "Error;Warning"], capture_output=True, text=True,
                          cwd=folder, timeout=300,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(folder),
                               "DOTNET_CLI_TELEMETRY_OPTOUT": "1",
                               "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT": "1"})
    assert done.returncode == 0 and "1 files scanned" in done.stdout, done.stdout + done.stderr
    found = json.loads((folder / "out.sarif").read_text(encoding="utf-8"))
    return [(r["ruleId"], r.get("level", "warning"), json.dumps(r["message"]))
            for r in found["runs"][0]["results"] if r["ruleId"] not in AZURE_BUILD_ONLY]


def test_the_sarif_multitool_finds_nothing_to_fix(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from adflow.compiler.findings import report
    from adflow.compiler.rules import ALL_RULES

    broken = [check_file(p) for p in sorted((SAMPLES / "broken").glob("*.adflow"))]
    # As a release whose metadata names its home page (informationUri).
    monkeypatch.setattr(report, "information_url", lambda: "https://example.org/adflow")
    log = json.loads(report.render_sarif(broken, ALL_RULES, exit_code=1))
    assert log["runs"][0]["tool"]["driver"]["fullName"] == "adflow " + log["runs"][0][
        "tool"]["driver"]["version"]
    assert log["runs"][0]["automationDetails"] == {"id": "adflow/"}
    assert multitool(log, tmp_path / "release") == []
    # The multitool does find what it should: the same log without them.
    del log["runs"][0]["automationDetails"], log["runs"][0]["tool"]["driver"]["fullName"]
    assert {rule for rule, _, _ in multitool(log, tmp_path / "without")} == {
        "GHAzDO1014", "GHAzDO1018"}


def test_the_sarif_multitool_accepts_the_console_scripts_log(tmp_path: Path) -> None:
    """What `adflow check --format sarif` writes here, for a name that is
    not UTF-8 too. This checkout's metadata names no home page (no made-up
    address), so the one warning left is the missing informationUri."""
    from adflow.compiler.findings import report

    folder = tmp_path / "forms"
    folder.mkdir()
    (folder / os.fsdecode(b"caf\xff.adflow")).write_bytes((BROKEN).read_bytes())
    log = sarif_of(".", cwd=folder)
    found = multitool(log, tmp_path / "validate")
    expected = [] if report.information_url() else ["SARIF2005"]
    assert [rule for rule, _, _ in found] == expected, found
