"""Every rule's documentation is executable: its Bad example fires its code
through the real check pipeline and its Good example does not."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from adflow.compiler.pipeline import check_file
from adflow.compiler.config import Config
from adflow.compiler.rules import ALL_RULES, BY_CODE

from conftest import ADFLOW

# Input conditions no snippet can show (bytes, size limits): tested below with
# generated inputs instead of examples.
NOT_A_SNIPPET = {"S003", "S004"}
TOP_LEVEL = {"api", "account", "page", "instagram", "lead_form", "campaign", "adset",
             "creative", "ad"}
_EXAMPLE = re.compile(r"^(Bad|Good)(?: \((JSON)\))?:\n((?:    .*\n?|\n)+)", re.MULTILINE)
_STEP = re.compile(r"^\s*(?:question|confirmation|disqualify)\s+(\w+)", re.MULTILINE)


def examples(doc: str) -> dict[str, tuple[str, bool]]:
    """'Bad' / 'Good' -> (snippet, is JSON)."""
    out = {}
    for m in _EXAMPLE.finditer(doc + "\n"):
        lines = [line[4:] for line in m.group(3).split("\n")]  # LF only, as adflow (X005)
        text = "\n".join(lines).strip() + "\n"
        out[m.group(1)] = (text, bool(m.group(2)) or text.lstrip().startswith(("{", "[")))
    return out


def as_file(snippet: str, is_json: bool, code: str = "") -> tuple[str, str]:
    """A snippet as a whole file: (suffix, text). Fragments of a lead form are
    put into a minimal valid form; top-level snippets get an account."""
    if is_json:
        try:
            value = json.loads(snippet)
        except ValueError:  # an example of invalid JSON
            return ".json", snippet
        if isinstance(value, dict) and "step_type" in value:
            return ".json", json.dumps({"step_list": [value]})
        return ".json", snippet
    first = snippet.split()[0] if snippet.split() else ""
    if first in TOP_LEVEL and code.startswith("R"):
        return ".adflow", snippet  # names and references are the point: add none
    if first in TOP_LEVEL:
        head = "" if "account" in snippet else "account act_1234567890\n"
        if re.search(r"\bon acme\b|\bpage acme\b", snippet) and "page acme " not in snippet:
            head += "page acme 111222333444\n"
        return ".adflow", head + snippet
    steps = _STEP.findall(snippet)
    lines = ["page acme 111222333444", "lead_form quote on acme {", '  template_name "Quote"']
    if "privacy_url" not in snippet:
        lines.append('  privacy_url "https://acme.example/privacy"')
    lines.append('  reminder "Still there?"')
    lines.append(f'  intro "Hi!" -> {steps[0] if steps else "thanks"}')
    lines.extend("  " + line for line in snippet.splitlines())
    if "thanks" not in steps:
        lines.append('  confirmation thanks "Thanks!"')
    if "sorry" in snippet and "sorry" not in steps:
        lines.append('  disqualify sorry "Sorry."')
    lines.append("}")
    return ".adflow", "\n".join(lines) + "\n"


def codes_of(tmp_path: Path, snippet: str, is_json: bool, code: str = "") -> set[str]:
    suffix, text = as_file(snippet, is_json, code)
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


@pytest.mark.parametrize("code", [r.code for r in DOCUMENTED])
def test_bad_example_fires_and_good_does_not(code: str, tmp_path: Path) -> None:
    got = examples(BY_CODE[code].doc)
    bad = codes_of(tmp_path, *got["Bad"], code)
    assert code in bad, f"{code}'s Bad example does not fire it (got {sorted(bad)})"
    good = codes_of(tmp_path, *got["Good"], code)
    assert code not in good, f"{code}'s Good example fires it"


def test_wrapped_fragment_is_itself_clean(tmp_path: Path) -> None:
    """The wrapper adds nothing that fires: a Good step line gives a clean file."""
    assert codes_of(tmp_path, 'question city "What city?" -> thanks\n', False) == set()


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
    unknown = subprocess.run([ADFLOW, "explain", "Z999"], capture_output=True, text=True,
                             timeout=60)
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr


def test_rules_json_carries_the_docs() -> None:
    result = subprocess.run([ADFLOW, "rules", "--format", "json"], capture_output=True,
                            text=True, timeout=60)
    rows = json.loads(result.stdout)
    assert [r["code"] for r in rows] == [r.code for r in ALL_RULES]
    assert all(r["doc"] == BY_CODE[r["code"]].doc for r in rows)
