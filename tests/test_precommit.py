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


@pytest.mark.tools
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


# A lead-form body as the Graph API takes it (POST /{page-id}/leadgen_forms,
# Meta's guide), with a token pasted in: X001.
PAYLOAD = {"name": "Quote", "access_token": "EAABsbCS1iHgBAKZCZB1example0token0value",
           "step_list": []}


@pytest.mark.tools
def test_json_hook_checks_payloads_and_passes_over_other_json(hook_repo: Path,
                                                               tmp_path: Path) -> None:
    import json

    work = tmp_path / "user"
    work.mkdir()
    git(work, "init", "-q")
    (work / "package.json").write_text('{"name": "site", "private": true}\n', encoding="utf-8")
    (work / "tsconfig.json").write_text('{"compilerOptions": {"strict": true}}\n',
                                        encoding="utf-8")
    (work / "form.json").write_text(json.dumps(PAYLOAD), encoding="utf-8")
    git(work, "add", "-A")
    failed = try_repo(hook_repo, work, "adflow-check-json")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "form.json" in failed.stdout and "X001" in failed.stdout
    assert "package.json" not in failed.stdout and "tsconfig.json" not in failed.stdout

    # Given only JSON that is not for adflow, the hook's command passes (no
    # second try-repo: each one installs the hooks afresh).
    from conftest import ADFLOW

    quiet = subprocess.run([ADFLOW, "check", "--force-exclude", "package.json", "tsconfig.json"],
                           cwd=work, capture_output=True, text=True, timeout=60)
    assert quiet.returncode == 0, quiet.stderr


@pytest.mark.tools
def test_checks_sharing_one_cache_may_run_in_parallel(tmp_path: Path) -> None:
    """Why the hooks need no require_serial: processes that fill one cache at
    once give the answers a lone process gives, and leave a cache that answers."""
    from conftest import ADFLOW, SAMPLES

    files = sorted(str(p) for p in (SAMPLES / "broken").glob("*.adflow"))
    for i in range(12):
        copy = tmp_path / "forms" / f"f{i}.adflow"
        copy.parent.mkdir(exist_ok=True)
        copy.write_text(Path(files[i % len(files)]).read_text(encoding="utf-8"), encoding="utf-8")
    names = sorted(str(p) for p in (tmp_path / "forms").iterdir())
    env = {"PATH": "/usr/bin:/bin", "PRE_COMMIT": "1", "NO_COLOR": "1"}
    command = [ADFLOW, "check", "--format", "json", "--cache-dir", str(tmp_path / "cache"), *names]
    alone = subprocess.run([*command[:-len(names)], "--no-cache", *names], capture_output=True,
                           text=True, env=env, timeout=120)
    racing = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
              for _ in range(4)]
    outputs = [p.communicate(timeout=120)[0] for p in racing]
    assert outputs == [alone.stdout] * 4
    cached = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert cached.stdout == alone.stdout
    assert not list((tmp_path / "cache").rglob(".tmp-*"))


def readme_configs() -> list[str]:
    """The `.pre-commit-config.yaml` snippets of README.md, as written there."""
    import re

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [block for block in re.findall(r"```yaml\n(.*?)```", text, re.S)
            if block.startswith("repos:")]


def run_hooks(work: Path, text: str) -> subprocess.CompletedProcess[str]:
    (work / "quote.adflow").write_text(text, encoding="utf-8")
    git(work, "add", "-A")
    # PATH as a shell where adflow is installed has it (the local snippet needs that).
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    return subprocess.run([PRE_COMMIT, "run", "--all-files"], cwd=work, capture_output=True,
                          text=True, timeout=900,
                          env={**os.environ, "PATH": path, "PRE_COMMIT_COLOR": "never"})


def user_repo(tmp_path: Path, config: str) -> Path:
    work = tmp_path / "user"
    work.mkdir()
    git(work, "init", "-q")
    (work / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    return work


@pytest.mark.tools
def test_the_readmes_local_hooks_work_as_written(tmp_path: Path) -> None:
    [local] = [c for c in readme_configs() if "repo: local" in c]
    work = user_repo(tmp_path, local)
    failed = run_hooks(work, BROKEN)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "F004" in failed.stdout and "Failed" in failed.stdout
    passed = run_hooks(work, FIXED)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert passed.stdout.count("Passed") == 2  # adflow-check-json: no JSON, "Skipped"


@pytest.mark.tools
def test_the_readmes_remote_hooks_work_with_a_rev_of_the_repository(hook_repo: Path,
                                                                    tmp_path: Path) -> None:
    """The snippet with only its URL and rev replaced: by this checkout's
    clone and the commit `git rev-parse HEAD` names there."""
    import re

    [remote] = [c for c in readme_configs() if "repo: local" not in c]
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=hook_repo, capture_output=True,
                          text=True, check=True).stdout.strip()
    config, urls = re.subn(r"(?m)^(  - repo: )\S+", lambda m: m.group(1) + str(hook_repo), remote)
    config, revs = re.subn(r"(?m)^(    rev: )\S+", lambda m: m.group(1) + head, config)
    assert (urls, revs) == (1, 1)
    work = user_repo(tmp_path, config)
    failed = run_hooks(work, BROKEN)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "F004" in failed.stdout
    passed = run_hooks(work, FIXED)
    assert passed.returncode == 0, passed.stdout + passed.stderr


@pytest.mark.slow
def test_the_readmes_ci_job_installs_adflow_as_written(hook_repo: Path) -> None:
    """The workflow's pip line with only the repository variable filled in
    (pip wants a host in a git+file URL: localhost)."""
    import re

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    [requirement] = re.findall(r'- run: python -m pip install "(adflow @ git\+[^"]+)"', text)
    requirement = requirement.replace("${{ vars.ADFLOW_GIT_URL }}", f"file://localhost{hook_repo}")
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--no-deps",
                           "--disable-pip-version-check", requirement],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Would install adflow-" in done.stdout
