"""What `adflow check DIR` walks into, in a real git repository: .gitignore at
every level (and .git/info/exclude), .adflowignore, the configured `exclude`
globs, JSON that is not a Graph API payload, FIFOs, and nothing found."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import ADFLOW, PINNED_DAY

FORM = "page acme 1\n"  # one finding (R003, a warning) in any file


def check(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ADFLOW, "check", "--format", "json", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": PINNED_DAY})


def checked(cwd: Path, *args: str) -> list[str]:
    result = check(cwd, *args)
    assert result.returncode in (0, 1), result.stderr
    return sorted({d["file"] for d in json.loads(result.stdout)["diagnostics"]})


def write(root: Path, relative: str, text: str = FORM) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    write(root, "forms/quote.adflow")
    write(root, "vendor/lib.adflow")
    write(root, "forms/generated/out.adflow")
    write(root, "forms/generated/keep.adflow")
    write(root, "forms/scratch.adflow")
    write(root, "drafts/wip.adflow")
    write(root, "local/mine.adflow")
    write(root, ".gitignore", "vendor/\n*.log\n!\n")  # git passes over the lone "!"
    write(root, "forms/.gitignore", "generated/*\n!generated/keep.adflow\nscratch.adflow\n")
    write(root, ".adflowignore", "drafts/\n")
    write(root, ".git/info/exclude", "local/\n")
    return root


def git_check_ignore(root: Path, paths: list[str]) -> set[str]:
    result = subprocess.run(["git", "check-ignore", *paths], cwd=root, capture_output=True,
                            text=True)
    return set(result.stdout.split())


def test_walks_see_what_git_sees(repo: Path) -> None:
    assert checked(repo, ".") == ["forms/generated/keep.adflow", "forms/quote.adflow"]
    # The same verdicts as git itself, for every file but the .adflowignore'd one.
    candidates = ["forms/quote.adflow", "vendor/lib.adflow", "forms/generated/out.adflow",
                  "forms/generated/keep.adflow", "forms/scratch.adflow", "local/mine.adflow"]
    assert git_check_ignore(repo, candidates) == {
        "vendor/lib.adflow", "forms/generated/out.adflow", "forms/scratch.adflow",
        "local/mine.adflow"}


def test_a_walk_from_a_subfolder_keeps_the_ignore_files_above(repo: Path) -> None:
    assert checked(repo / "forms", ".") == ["generated/keep.adflow", "quote.adflow"]
    assert checked(repo / "forms", "generated") == ["generated/keep.adflow"]


def test_files_named_explicitly_are_checked_even_if_ignored(repo: Path) -> None:
    assert checked(repo, "vendor/lib.adflow") == ["vendor/lib.adflow"]


def test_force_exclude_applies_the_walk_rules_to_named_files(repo: Path) -> None:
    write(repo, "package.json", '{"name": "x"}\n')
    write(repo, "adflow.toml", 'extend-exclude = ["forms/quote.adflow"]\n')
    named = ["vendor/lib.adflow", "forms/quote.adflow", "drafts/wip.adflow", "package.json",
             "forms/generated/keep.adflow"]
    assert checked(repo, "--force-exclude", *named) == ["forms/generated/keep.adflow"]
    # Everything named was passed over on purpose: nothing to do, not a mistake.
    result = check(repo, "--force-exclude", *named[:4])
    assert result.returncode == 0 and json.loads(result.stdout)["summary"]["files"] == 0


def test_outside_a_repository_gitignore_does_not_count_but_adflowignore_does(
        tmp_path: Path) -> None:
    write(tmp_path, "a/x.adflow")
    write(tmp_path, "b/y.adflow")
    write(tmp_path, ".gitignore", "a/\n")
    write(tmp_path, ".adflowignore", "b/\n")
    assert checked(tmp_path / "a", "..") == ["../a/x.adflow"]


def test_exclude_and_extend_exclude_from_the_configuration(repo: Path) -> None:
    write(repo, ".hidden/h.adflow")
    write(repo, "adflow.toml", 'extend-exclude = ["forms/quote.adflow"]\n')
    assert checked(repo, ".") == ["forms/generated/keep.adflow"]
    write(repo, "adflow.toml", 'exclude = []\n')  # no defaults: hidden folders are walked
    assert checked(repo, ".") == [".hidden/h.adflow", "forms/generated/keep.adflow",
                                  "forms/quote.adflow"]
    write(repo, "adflow.toml", 'exclude = [".*/", "/forms/*.adflow"]\n')  # * stops at a slash
    assert checked(repo, ".") == ["forms/generated/keep.adflow"]


def test_json_that_is_not_a_payload_is_passed_over_in_walks(tmp_path: Path) -> None:
    write(tmp_path, "package.json", '{"name": "site", "version": "1.0.0", "scripts": {}}\n')
    write(tmp_path, "tsconfig.json",
          '{\n  // comments are allowed here\n  "compilerOptions": {}\n}\n')
    write(tmp_path, "data/list.json", '[1, 2, 3]\n')
    # Shapes adflow reads (compiler/jsonsrc.py): a bare body, a request, a
    # list of requests, a plan; and a payload being edited that does not parse.
    write(tmp_path, "p/campaign.json", '{"name": "c", "objective": "OUTCOME_LEADS", '
                                       '"special_ad_categories": ["NONE"], "access_token": "x"}')
    write(tmp_path, "p/request.json", json.dumps({"method": "POST", "path": "act_1/campaigns",
                                                  "body": {"name": "c", "access_token": "x"}}))
    write(tmp_path, "p/list.json", json.dumps([{"path": "act_1/campaigns",
                                                "body": {"name": "c", "access_token": "x"}}]))
    write(tmp_path, "p/broken.json", '{"step_list": [,]}')
    assert checked(tmp_path, ".") == ["p/broken.json", "p/campaign.json", "p/list.json",
                                      "p/request.json"]
    # Named explicitly, a file that is not a payload is reported (S005).
    result = check(tmp_path, "package.json")
    assert result.returncode == 1
    assert [d["code"] for d in json.loads(result.stdout)["diagnostics"]] == ["S005"]


def test_fifos_are_never_opened_in_walks(tmp_path: Path) -> None:
    write(tmp_path, "a.adflow")
    os.mkfifo(tmp_path / "pipe.adflow")
    os.mkfifo(tmp_path / "pipe.json")
    from adflow.compiler.files import discover

    assert discover([str(tmp_path)]) == [tmp_path / "a.adflow"]  # would block on open()


def test_nothing_found_is_a_usage_error(tmp_path: Path) -> None:
    write(tmp_path, "notes.txt", "hello\n")
    write(tmp_path, "package.json", '{"name": "x"}\n')
    result = check(tmp_path, ".")
    assert result.returncode == 2
    assert result.stderr == "adflow: error: no .adflow or Graph API JSON files found\n"


def test_default_excluded_agrees_with_its_patterns() -> None:
    from adflow.compiler.files import DEFAULT_EXCLUDE, default_excluded
    from pathspec import GitIgnoreSpec

    spec = GitIgnoreSpec.from_lines(DEFAULT_EXCLUDE)
    for name in (".git", ".venv", "node_modules", "build", "dist", "__pycache__", "forms",
                 "builds", "a.adflow", ".x.adflow"):
        for is_dir in (True, False):
            assert default_excluded(Path("top", name), is_dir, Path("top")) == spec.match_file(
                name + ("/" if is_dir else "")), (name, is_dir)
