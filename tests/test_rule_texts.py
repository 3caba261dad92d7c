"""What users read speaks of Meta's behaviour and documentation: no rule
text (summary, documentation, message, help, note) cites this project's
notes, and no example teaches something another rule reports."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from adflow.compiler.facts.versions import VERSIONS
from adflow.compiler.front.source import Source
from adflow.compiler.pipeline import check_file, check_source
from adflow.compiler.rules import ALL_RULES
from adflow.compiler.rules.base import Rule
from conftest import SAMPLES, as_file, examples

TESTS = Path(__file__).parent
PROJECT_NOTES = re.compile(r"\bseed\b|domain ?§|domain\.md|issue \d", re.IGNORECASE)


@pytest.mark.parametrize("rule", ALL_RULES, ids=[r.code for r in ALL_RULES])
def test_rule_documentation_cites_meta_not_project_notes(rule: Rule) -> None:
    for text in (rule.summary, rule.doc):
        assert not PROJECT_NOTES.search(text), PROJECT_NOTES.search(text)


def every_input() -> list[Path]:
    roots = [TESTS / "fixtures", TESTS / "corpus", SAMPLES]
    return sorted(p for root in roots if root.exists() for p in root.rglob("*")
                  if p.suffix in (".adflow", ".json") and p.name != "expect.json")


@pytest.mark.slow
def test_every_finding_on_every_input_cites_meta_not_project_notes() -> None:
    seen = 0
    for path in every_input():
        for d in check_file(path).diagnostics:
            texts = [d.message, d.help or "", *(n.message for n in d.notes)]
            for text in texts:
                assert not PROJECT_NOTES.search(text), (path, d.code, text)
            seen += 1
    assert seen > 100  # the inputs do produce findings to read


def test_no_example_uses_a_version_expired_by_the_newest_release(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """On the day the newest known version came out, no example other than
    D004's own Bad one may target an expired version (D001's Good example
    once did, and so taught a D004 warning)."""
    newest = max(v.released for v in VERSIONS.values())
    day = datetime.fromisoformat(newest).replace(tzinfo=UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(day.timestamp())))
    for rule in ALL_RULES:
        for label, example in examples(rule.doc).items():
            if rule.code == "D004" and label == "Bad":
                continue
            suffix, text = as_file(example)
            found = check_source(Source(f"example{suffix}", text)).diagnostics
            assert "D004" not in {d.code for d in found}, (rule.code, label)


def test_d001_is_said_once_per_file_with_what_to_do() -> None:
    form = """lead_form {name} on acme {{
  template_name "Quote"
  privacy_url "https://acme.example/privacy"
  reminder "Still there?"
  intro "Hi!" -> email
  question email "Your email?" prefill EMAIL -> thanks
  confirmation thanks "Thanks!"
}}
"""
    text = "api v25.0\npage acme 111222333444\n" + "".join(
        form.format(name=n) for n in ("quote", "callback", "survey"))
    found = [d for d in check_source(Source("f.adflow", text)).diagnostics if d.code == "D001"]
    assert len(found) == 1
    assert found[0].span.line == 3  # the first lead form
    assert "3 lead forms" in found[0].message
    assert "Ads Manager" in (found[0].help or "") and "ignore-file[D001]" in (found[0].help or "")
