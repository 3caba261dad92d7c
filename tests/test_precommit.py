"""The pre-commit hooks, run by the real `pre-commit try-repo` in a fresh git
repository: a broken file fails adflow-check, a fixed one passes; adflow-fmt
rewrites a messy file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

PRE_COMMIT = str(Path(sys.executable).with_name("pre-commit"))
BROKEN = 'page acme 1\nlead_form quote on acme {\n  intro "Hi!" -> citty\n}\n'
FIXED = """page acme 1
lead_form quote on acme {
  template_name "Quote"
  privacy_url "https://acme.example/privacy"
  reminder "Still there?"
  intro "Hi!" -> thanks
  confirmation thanks "Thanks!"
}
"""
_COPY_IGNORE = shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info", "__pycache__",
                                      ".pytest_cache", ".hypothesis")


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"})


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This checkout as committed-and-uncommitted files, in a repository of its own
    (try-repo sees only tracked files; our own git state is left alone)."""
    repo = tmp_path_factory.mktemp("hooks") / "adflow"
    shutil.copytree(ROOT, repo, ignore=_COPY_IGNORE)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "hooks under test")
    return repo


def try_repo(hook_repo: Path, work: Path, hook: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PRE_COMMIT, "try-repo", str(hook_repo), hook, "--all-files"],
                          cwd=work, capture_output=True, text=True, timeout=900,
                          env={**os.environ, "PRE_COMMIT_COLOR": "never"})


def test_hooks_fail_broken_and_pass_fixed(hook_repo: Path, tmp_path: Path) -> None:
    work = tmp_path / "user"
    work.mkdir()
    git(work, "init", "-q")
    form = work / "quote.adflow"
    form.write_text(BROKEN, encoding="utf-8")
    git(work, "add", "quote.adflow")
    failed = try_repo(hook_repo, work, "adflow-check")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "F004" in failed.stdout and "Failed" in failed.stdout

    form.write_text(FIXED, encoding="utf-8")
    git(work, "add", "quote.adflow")
    passed = try_repo(hook_repo, work, "adflow-check")
    assert passed.returncode == 0, passed.stdout + passed.stderr

    form.write_text(FIXED.replace("  template_name", "      template_name"), encoding="utf-8")
    git(work, "add", "quote.adflow")
    formatted = try_repo(hook_repo, work, "adflow-fmt")
    assert formatted.returncode == 1  # files were modified by this hook
    assert form.read_text(encoding="utf-8") == FIXED
    git(work, "add", "quote.adflow")
    assert try_repo(hook_repo, work, "adflow-fmt").returncode == 0
