"""docs/rules/: one Markdown page per code, generated from the rules' docstrings
and kept current; `adflow explain` by code or by name."""

from __future__ import annotations

import subprocess
from pathlib import Path

from adflow.compiler.ruledocs import examples, title
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
