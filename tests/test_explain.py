"""Every rule's documentation is executable: its Bad example fires its code
through the real check pipeline and its Good example does not."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from adflow.compiler.findings import ruledocs
from adflow.compiler.findings.ruledocs import Example
from adflow.compiler.pipeline import check_file
from adflow.compiler.project.config import Config
from adflow.compiler.rules import ALL_RULES, BY_CODE
from conftest import ADFLOW

# Input conditions no snippet can show (bytes, size limits): tested below with
# generated inputs instead of examples.
NOT_A_SNIPPET = {"S003", "S004"}
ACCOUNT = "account act_1234567890\n"
PAGE = "page acme 111222333444\n"
_STEP = re.compile(r"^\s*(?:question|confirmation|disqualify)\s+(\w+)", re.MULTILINE)


def examples(doc: str) -> dict[str, Example]:
    """'Bad' / 'Good' -> the example, as `adflow explain` and docs/rules/ show it."""
    return ruledocs.examples(doc)[1]


def as_file(example: Example) -> tuple[str, str]:
    """An example as a whole file: (suffix, text), in what its header says
    it is (ruledocs.WRAPPERS)."""
    snippet = example.snippet
    match example.wrapper:
        case "file":
            return ".adflow", snippet
        case "objects":
            return ".adflow", ACCOUNT + snippet
        case "objects on acme":
            return ".adflow", ACCOUNT + PAGE + snippet
        case "steps":
            return ".adflow", in_a_lead_form(snippet)
        case "JSON file":
            return ".json", snippet
        case "JSON step":
            return ".json", json.dumps({"step_list": [json.loads(snippet)]})
    raise ValueError(f"an example header names no wrapper of {sorted(ruledocs.WRAPPERS)}: "
                     f"{example.wrapper!r}")


def in_a_lead_form(steps: str) -> str:
    """Steps (or settings) in a minimal valid lead form: an intro to the
    first step, and the `thanks` and `sorry` steps they go to."""
    names = _STEP.findall(steps)
    lines = [PAGE.strip(), "lead_form quote on acme {", '  template_name "Quote"']
    if "privacy_url" not in steps:
        lines.append('  privacy_url "https://acme.example/privacy"')
    lines.append('  reminder "Still there?"')
    lines.append(f'  intro "Hi!" -> {names[0] if names else "thanks"}')
    lines.extend("  " + line for line in steps.splitlines())
    if "thanks" not in names:
        lines.append('  confirmation thanks "Thanks!"')
    if "sorry" in steps and "sorry" not in names:
        lines.append('  disqualify sorry "Sorry."')
    lines.append("}")
    return "\n".join(lines) + "\n"


def codes_of(tmp_path: Path, example: Example, code: str = "") -> set[str]:
    suffix, text = as_file(example)
    path = tmp_path / f"example{suffix}"
    path.write_text(text, encoding="utf-8")
    # Every lead form fires D001 (a deprecation of the default API version),
    # and fragments put in a form seldom ask for a phone or an email (F018):
    # only their own examples are about them.
    config = Config(ignore=tuple(c for c in ("D001", "F018") if c != code))
    return {d.code for d in check_file(path, config).diagnostics}


DOCUMENTED = [r for r in ALL_RULES if r.code not in NOT_A_SNIPPET]


def test_every_rule_is_documented_with_examples() -> None:
    for r in DOCUMENTED:
        got = examples(r.doc)
        assert set(got) == {"Bad", "Good"}, f"{r.code} needs a Bad and a Good example"
        assert r.doc.split("\n\n")[0].strip(), f"{r.code} needs a description"
        for label, example in got.items():
            assert example.wrapper in ruledocs.WRAPPERS, \
                f"{r.code}: say what the {label} example is: {label} (file):, " \
                f"{label} (steps):, ... (one of {sorted(ruledocs.WRAPPERS)})"


@pytest.mark.parametrize("code", [r.code for r in DOCUMENTED])
def test_bad_example_fires_and_good_does_not(code: str, tmp_path: Path) -> None:
    got = examples(BY_CODE[code].doc)
    bad = codes_of(tmp_path, got["Bad"], code)
    assert code in bad, f"{code}'s Bad example does not fire it (got {sorted(bad)})"
    good = codes_of(tmp_path, got["Good"], code)
    assert code not in good, f"{code}'s Good example fires it"


def test_wrapped_fragment_is_itself_clean(tmp_path: Path) -> None:
    """The wrapper adds nothing that fires: a Good step line gives a clean file."""
    step = Example('question city "What city?" -> thanks\n', "steps")
    assert codes_of(tmp_path, step) == set()


def test_input_conditions_without_snippets(tmp_path: Path) -> None:
    nul = tmp_path / "nul.adflow"
    nul.write_bytes(b"page acme 1\0\n")
    assert "S003" in {d.code for d in check_file(nul, Config()).diagnostics}
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100 + "]" * 100, encoding="utf-8")
    assert "S004" in {d.code for d in check_file(deep, Config()).diagnostics}


def test_explain_prints_the_examples() -> None:
    result = subprocess.run([ADFLOW, "explain", "f003"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0
    assert "F003" in result.stdout and "Bad:" in result.stdout and "Good:" in result.stdout
    assert "(objects on acme)" not in result.stdout  # what the tests wrap it in is theirs
    fragment = subprocess.run([ADFLOW, "explain", "F009"], capture_output=True, text=True,
                              timeout=60)
    assert "Bad (inside a lead form):\n" in fragment.stdout
    assert "Good (inside a lead form):\n" in fragment.stdout and "(steps)" not in fragment.stdout
    unknown = subprocess.run([ADFLOW, "explain", "Z999"], capture_output=True, text=True,
                             timeout=60)
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr


def test_rules_json_carries_the_docs() -> None:
    result = subprocess.run([ADFLOW, "rules", "--format", "json"], capture_output=True,
                            text=True, timeout=60)
    rows = json.loads(result.stdout)
    assert [r["code"] for r in rows] == [r.code for r in ALL_RULES]
    assert all(r["doc"] == BY_CODE[r["code"]].doc for r in rows)


def test_explain_of_a_graph_error_file_without_a_plan_explains_the_error(tmp_path: Path) -> None:
    error = tmp_path / "error.json"
    error.write_text(json.dumps({"error": {
        "message": "Invalid parameter", "type": "OAuthException", "code": 100,
        "error_subcode": 1815573, "error_user_msg": "The parameter is not supported",
        "error_data": {"blame_field_specs": [["targeting", "geo_locations"]]},
        "fbtrace_id": "Abc"}}), encoding="utf-8")
    result = subprocess.run([ADFLOW, "explain", "error.json"], capture_output=True, text=True,
                            timeout=60, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == ("Graph API error 100/1815573: Invalid parameter "
                        "(The parameter is not supported)")
    assert "  code 100: Invalid parameter (Meta's Marketing API error-reference)" in lines
    assert "  retry: no, retrying cannot help" in lines
    assert any(line.startswith("  subcode 1815573: the parameter is not supported")
               for line in lines)
    assert "  blamed field: targeting.geo_locations" in lines
    assert lines[-1].startswith("  --plan maps it to a line: adflow explain error.json --plan ")
    # JSON that is no Graph error is said to be so (exit 2), not "unknown code".
    (tmp_path / "other.json").write_text('{"data": []}', encoding="utf-8")
    other = subprocess.run([ADFLOW, "explain", "other.json"], capture_output=True, text=True,
                           timeout=60, cwd=tmp_path)
    assert other.returncode == 2
    assert "other.json is not a Graph API error response" in other.stderr
