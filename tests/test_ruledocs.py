"""docs/rules/: one Markdown page per code, generated from the rules' docstrings
and kept current; `adflow explain` by code or by name."""

from __future__ import annotations

import subprocess
from pathlib import Path

from adflow.compiler.findings.ruledocs import examples, title
from adflow.compiler.rules import ALL_RULES, BY_CODE
from conftest import ADFLOW, ROOT

DOCS = ROOT / "docs" / "rules"


def adflow(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ADFLOW, *args], capture_output=True, text=True, cwd=cwd, timeout=60,
                          env={"PATH": "/usr/bin:/bin"})


def test_checked_in_pages_are_current(tmp_path: Path) -> None:
    result = adflow("rules", "--format", "markdown", "-o", str(tmp_path / "rules"))
    assert result.returncode == 0, result.stderr
    fresh = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "rules").iterdir()}
    checked_in = {p.name: p.read_text(encoding="utf-8") for p in DOCS.iterdir()}
    assert sorted(fresh) == sorted(checked_in), \
        "run: adflow rules --format markdown -o docs/rules/"
    stale = [name for name in fresh if fresh[name] != checked_in[name]]
    assert not stale, f"{stale} differ; run: adflow rules --format markdown -o docs/rules/"


def test_every_page_says_what_why_bad_good_fix_and_source() -> None:
    for rule in ALL_RULES:
        page = (DOCS / f"{rule.code}.md").read_text(encoding="utf-8")
        assert page.startswith(f"# {rule.code}: {rule.name}\n"), rule.code
        assert "## What it finds" in page and "## Source" in page and "compiler/rules/" in page
        prose, found = examples(rule.doc)
        assert "## Why" in page and prose.splitlines()[0] in page, rule.code
        for kind, example in found.items():
            shown = f"## {title(kind, example.wrapper)}\n\n```{example.language}\n"
            assert shown + f"{example.snippet}```" in page, (rule.code, kind)
        if found:
            assert "## How to fix" in page and "```diff" in page, rule.code
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    assert all(f"[{r.code}]({r.code}.md)" in index for r in ALL_RULES)


def test_the_fix_is_the_difference_between_bad_and_good() -> None:
    page = (DOCS / "F003.md").read_text(encoding="utf-8")
    fix = page.split("## How to fix")[1].split("```diff\n")[1].split("```")[0]
    assert '-  question city "What city?" -> city\n' in fix
    assert '+  question city "What city?" -> thanks\n' in fix


def test_the_writer_removes_pages_of_codes_that_are_gone(tmp_path: Path) -> None:
    (tmp_path / "Z999.md").write_text("old\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("mine\n", encoding="utf-8")
    assert adflow("rules", "--format", "markdown", "-o", str(tmp_path)).returncode == 0
    assert not (tmp_path / "Z999.md").exists() and (tmp_path / "notes.md").exists()
    result = adflow("rules", "--format", "markdown")
    assert result.returncode == 2 and "-o FOLDER" in result.stderr


def test_readme_links_the_rule_pages() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](docs/rules/" in readme


def test_explain_accepts_rule_names() -> None:
    by_code = adflow("explain", "F003")
    by_name = adflow("explain", "backward-jump")
    assert by_name.returncode == 0 and by_name.stdout == by_code.stdout
    assert by_name.stdout.startswith("F003 (backward-jump, error)")
    assert adflow("explain", "Backward-Jump").stdout == by_code.stdout
    for rule in ALL_RULES:
        assert BY_CODE[rule.code].name == rule.name
    typo = adflow("explain", "backward-jmp")
    assert typo.returncode == 2 and "did you mean 'backward-jump'?" in typo.stderr
    assert len({r.name for r in ALL_RULES}) == len(ALL_RULES)  # names are unambiguous


# -- evidence: an error is Meta's rejection, a documented requirement or a changelog entry -------

_EVIDENCE_KINDS = ("https://", "Graph API error", "Graph API v", "Marketing API v",
                   "adflow language: ")


def test_every_rule_that_can_report_an_error_names_its_evidence() -> None:
    import inspect

    for rule in ALL_RULES:
        source = inspect.getsource(rule.check) if rule.check else ""
        can_err = rule.severity.value == "error" or "severity=ERROR" in source
        if can_err:
            assert rule.evidence, f"{rule.code}: an error needs evidence, or make it a warning"
        for item in rule.evidence:
            assert item.startswith(_EVIDENCE_KINDS), (rule.code, item)
            assert "http://" not in item, (rule.code, item)
            if item.startswith("adflow language: "):
                assert (ROOT / item.removeprefix("adflow language: ")).is_file(), item
            if item.startswith(("Graph API v", "Marketing API v")):
                assert "https://" in item, f"{rule.code}: a changelog entry names its page"


def test_evidence_is_shown_on_the_page_and_by_explain() -> None:
    page = (DOCS / "A006.md").read_text(encoding="utf-8")
    assert "## Evidence" in page and "Graph API error 100/1885621" in page
    assert "<https://developers.facebook.com/docs/graph-api/changelog/version24.0>" in page
    shown = adflow("explain", "A006").stdout
    assert "\nEvidence:\n  - Graph API error 100/1885621" in shown
    assert "Evidence:" not in adflow("explain", "N001").stdout


def test_nothing_in_the_repository_cites_a_document_outside_it() -> None:
    """Facts and docs cite public URLs or files of this repository, never a
    private notebook or a path beside the checkout."""
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.split()
    outside = ("domain.md", "domain §", "../shared", "shared/docs", "../seed", "seed/000_")
    cited = []
    for name in files:
        path = ROOT / name
        if path.suffix in (".png", ".ico", ".gz") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        cited += [f"{name}: {o}" for o in outside if o in text and name != "tests/test_ruledocs.py"]
    assert not cited, cited
