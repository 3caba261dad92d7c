"""What `adflow check DIR` walks into, in a real git repository: .gitignore at
every level (and .git/info/exclude), .adflowignore, the configured `exclude`
globs, JSON that is not a Graph API payload, FIFOs, and nothing found."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from adflow.compiler.project.paths import (
    ancestors,
    joined,
    path_name,
    relative_to,
    stem_of,
    within,
)
from conftest import ADFLOW, PINNED_DAY
from hypothesis import given
from hypothesis import strategies as st

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


@pytest.mark.slow
def test_a_walk_from_a_subfolder_keeps_the_ignore_files_above(repo: Path) -> None:
    assert checked(repo / "forms", ".") == ["generated/keep.adflow", "quote.adflow"]
    assert checked(repo / "forms", "generated") == ["generated/keep.adflow"]


def test_files_named_explicitly_are_checked_even_if_ignored(repo: Path) -> None:
    assert checked(repo, "vendor/lib.adflow") == ["vendor/lib.adflow"]


@pytest.mark.slow
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


@pytest.mark.slow
def test_exclude_and_extend_exclude_from_the_configuration(repo: Path) -> None:
    write(repo, ".hidden/h.adflow")
    write(repo, "adflow.toml", 'extend-exclude = ["forms/quote.adflow"]\n')
    assert checked(repo, ".") == ["forms/generated/keep.adflow"]
    write(repo, "adflow.toml", 'exclude = []\n')  # no defaults: hidden folders are walked
    assert checked(repo, ".") == [".hidden/h.adflow", "forms/generated/keep.adflow",
                                  "forms/quote.adflow"]
    write(repo, "adflow.toml", 'exclude = [".*/", "/forms/*.adflow"]\n')  # * stops at a slash
    assert checked(repo, ".") == ["forms/generated/keep.adflow"]


@pytest.mark.slow
def test_json_that_is_not_a_payload_is_passed_over_in_walks(tmp_path: Path) -> None:
    write(tmp_path, "package.json", '{"name": "site", "version": "1.0.0", "scripts": {}}\n')
    write(tmp_path, "tsconfig.json",
          '{\n  // comments are allowed here\n  "compilerOptions": {}\n}\n')
    write(tmp_path, "data/list.json", '[1, 2, 3]\n')
    # Shapes adflow reads (compiler/front/jsonsrc.py): a bare body, a request, a
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
    from adflow.compiler.project.files import discover

    assert discover([str(tmp_path)]) == [str(tmp_path / "a.adflow")]  # would block on open()


def test_nothing_found_is_a_usage_error(tmp_path: Path) -> None:
    write(tmp_path, "notes.txt", "hello\n")
    write(tmp_path, "package.json", '{"name": "x"}\n')
    result = check(tmp_path, ".")
    assert result.returncode == 2
    assert result.stderr == "adflow: error: no .adflow or Graph API JSON files found\n"


def test_default_excluded_agrees_with_its_patterns() -> None:
    from adflow.compiler.project.files import DEFAULT_EXCLUDE, default_excluded
    from pathspec import GitIgnoreSpec

    spec = GitIgnoreSpec.from_lines(DEFAULT_EXCLUDE)
    for name in (".git", ".venv", "node_modules", "build", "dist", "__pycache__", "forms",
                 "builds", "a.adflow", ".x.adflow"):
        for is_dir in (True, False):
            assert default_excluded(Path("top", name), is_dir, Path("top")) == spec.match_file(
                name + ("/" if is_dir else "")), (name, is_dir)


# -- files that change or cannot be read while a check runs -----------------------------------

# Runs `adflow check` with `discover` wrapped: after the walk, before any file
# is read, `change(files)` alters the tree (as another process might).
RACE = """
import os, sys
from pathlib import Path
from adflow.compiler.cli import main as cli
from adflow.compiler.cli.commands import check

walk = check.discover
def discover(*args, **kwargs):
    files = walk(*args, **kwargs)
    victim = Path(sys.argv[1])
    victim.unlink()
    if sys.argv[2] == "fifo":
        os.mkfifo(victim)
    return files
check.discover = discover
sys.exit(cli.main(sys.argv[3:]))
"""


def race(cwd: Path, victim: str, change: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", RACE, victim, change, "check", "--format",
                           "json", "--no-cache", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": PINNED_DAY})


def many_forms(root: Path, count: int = 20) -> list[str]:
    names = [f"forms/f{i:02}.adflow" for i in range(count)]
    for name in names:
        write(root, name)
    return names


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_replaced_by_a_fifo_after_the_walk_is_reported_not_waited_for(
        tmp_path: Path, jobs: str) -> None:
    names = many_forms(tmp_path)  # enough for a pool of workers with -j 2
    result = race(tmp_path, "forms/f03.adflow", "fifo", "-j", jobs, "forms")
    assert result.returncode == 2
    assert result.stderr == "adflow: error: cannot read forms/f03.adflow: not a regular file\n"
    checked = {d["file"] for d in json.loads(result.stdout)["diagnostics"]}
    assert checked == set(names) - {"forms/f03.adflow"}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_deleted_during_a_check_is_reported_and_the_others_are_checked(
        tmp_path: Path, jobs: str) -> None:
    names = many_forms(tmp_path)
    result = race(tmp_path, "forms/f07.adflow", "delete", "-j", jobs, "forms")
    assert result.returncode == 2
    assert result.stderr == ("adflow: error: cannot read forms/f07.adflow: "
                             "No such file or directory\n")
    report = json.loads(result.stdout)
    assert {d["file"] for d in report["diagnostics"]} == set(names) - {"forms/f07.adflow"}


def test_sarif_says_which_files_could_not_be_read(tmp_path: Path) -> None:
    names = many_forms(tmp_path, 3)
    result = subprocess.run([sys.executable, "-c", RACE, "forms/f01.adflow", "delete", "check",
                             "--format", "sarif", "--no-cache", "forms"], capture_output=True,
                            text=True, cwd=tmp_path, timeout=60,
                            env={"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": PINNED_DAY})
    assert result.returncode == 2
    (run,) = json.loads(result.stdout)["runs"]
    assert run["invocations"] == [{
        "executionSuccessful": False, "exitCode": 2, "toolExecutionNotifications": [{
            "level": "error",
            "message": {"text": "cannot read forms/f01.adflow: No such file or directory"}}]}]
    assert len(run["results"]) == len(names) - 1


def test_read_bytes_never_waits_on_a_fifo(tmp_path: Path) -> None:
    from adflow.compiler.front.source import NotRegularFile, read_bytes

    os.mkfifo(tmp_path / "pipe.adflow")
    with pytest.raises(NotRegularFile, match="pipe.adflow is not a regular file"):
        read_bytes(tmp_path / "pipe.adflow")  # an open() that blocks would hang here


def in_process(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    from adflow.compiler.cli import main as cli

    status = cli.main(["check", "--format", "json", "--no-cache", *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_an_unreadable_folder_is_an_error_like_an_unreadable_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    # Root reads everything, so permission is denied by hand: os.walk lists
    # folders with os.scandir, and adflow opens files with os.open.
    write(tmp_path, "ok/a.adflow")
    write(tmp_path, "locked/b.adflow")
    write(tmp_path, "secret.adflow")
    monkeypatch.chdir(tmp_path)
    scandir, open_ = os.scandir, os.open

    def denied(path: object) -> None:
        raise PermissionError(13, "Permission denied", os.fspath(path))  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", lambda path=".": denied(path)
                        if os.fspath(path).endswith("locked") else scandir(path))
    monkeypatch.setattr(os, "open", lambda path, *a, **k: denied(path)
                        if os.fspath(path).endswith("secret.adflow") else open_(path, *a, **k))
    status, out, err = in_process(capsys, ".")
    assert status == 2
    assert err == ("adflow: error: cannot read ./locked: Permission denied\n"
                   "adflow: error: cannot read secret.adflow: Permission denied\n")
    assert {d["file"] for d in json.loads(out)["diagnostics"]} == {"ok/a.adflow"}
    # Named on the command line, an unreadable file is the same I/O error.
    status, out, err = in_process(capsys, "secret.adflow", "ok/a.adflow")
    assert (status, err) == (2, "adflow: error: cannot read secret.adflow: Permission denied\n")
    assert {d["file"] for d in json.loads(out)["diagnostics"]} == {"ok/a.adflow"}


def test_a_name_that_cannot_be_looked_at_says_why(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Too long a name, or no permission to look: the system's reason, exit 2
    (check: an internal error before; compile: "no such file"). A link to
    itself is missing, as before."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "loop.adflow").symlink_to("loop.adflow")
    status, _, err = in_process(capsys, "a" * 300)
    assert (status, err) == (2, f"adflow: error: cannot read {'a' * 300}: File name too long\n")
    status, _, err = in_process(capsys, "loop.adflow")
    assert (status, err) == (2, "adflow: error: no such file or directory: loop.adflow\n")
    # A command that reads one input file says the same.
    from adflow.compiler.cli import main as cli

    assert cli.main(["compile", "a" * 300]) == 2
    too_long = f"adflow: error: cannot read {'a' * 300}: File name too long\n"
    assert capsys.readouterr().err == too_long


@pytest.mark.slow
def test_links_out_of_the_folder_checked_are_not_followed(tmp_path: Path) -> None:
    write(tmp_path, "outside/secret.adflow", "page leaked 1\n")
    write(tmp_path, "repo/forms/real.adflow")
    (tmp_path / "repo" / "forms" / "link.adflow").symlink_to(tmp_path / "outside" / "secret.adflow")
    (tmp_path / "repo" / "forms" / "inner.adflow").symlink_to("real.adflow")  # in the tree: read
    result = check(tmp_path / "repo", ".")
    assert result.returncode == 0
    assert "leaked" not in result.stdout
    assert {d["file"] for d in json.loads(result.stdout)["diagnostics"]} == {
        "forms/inner.adflow", "forms/real.adflow"}
    assert result.stderr == (
        "adflow: warning: forms/link.adflow not checked: it links to a file outside . (links "
        "are not followed out of the folder checked, as git does not; name the file to check "
        "it)\n")
    # Named on the command line, the link is read: the user chose it; unless
    # --force-exclude (pre-commit) asks for the walk's rules.
    assert checked(tmp_path / "repo", "forms/link.adflow") == ["forms/link.adflow"]
    forced = check(tmp_path / "repo", "--force-exclude", "forms/link.adflow", "forms/real.adflow")
    assert forced.returncode == 0 and "leaked" not in forced.stdout
    assert "forms/link.adflow not checked: it links to a file outside ." in forced.stderr


@pytest.mark.slow
def test_ignore_files_apply_only_below_their_folder_so_walks_stay_linear(
        tmp_path: Path) -> None:
    """Each folder with its own ignore file: the work per path must not grow
    with the number of ignore files met elsewhere in the walk. Counted in
    Python function calls (not time, which a shared machine makes noisy)."""
    from adflow.compiler.project.files import discover

    def calls(folders: int) -> int:
        top = tmp_path / str(folders)
        for i in range(folders):
            write(top, f"d{i}/.adflowignore", "*.tmp\n")
            write(top, f"d{i}/x.adflow")
        discover([str(top)])  # imports and caches warmed up
        count = 0

        def profile(frame: object, event: str, arg: object) -> None:
            nonlocal count
            count += event == "call"
        sys.setprofile(profile)
        try:
            found = discover([str(top)])
        finally:
            sys.setprofile(None)
        assert len(found) == folders
        return count

    small, large = calls(100), calls(400)
    assert large < 5 * small, (small, large)  # linear: about 4 times; quadratic: 16


def test_a_folder_tree_deeper_than_pythons_recursion_limit_is_walked(tmp_path: Path) -> None:
    # os.walk (before Python 3.12) recurses once per level: a tree deeper than
    # the recursion limit (1,000: about 1,000 folders) was an internal error.
    # Here the limit is lowered instead, so the tree can stay small and quick.
    from adflow.compiler.project.files import discover

    folder = tmp_path
    for _ in range(150):
        folder = folder / "d"
        os.mkdir(folder)
    (folder / "deep.adflow").write_text(FORM, encoding="utf-8")
    write(tmp_path, "top.adflow")
    write(tmp_path, "d/d/mid.adflow")
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 100)
    try:
        found = discover([str(tmp_path)], lambda path, is_dir, top: False)
    finally:
        sys.setrecursionlimit(limit)
    assert found == [str(tmp_path / "top.adflow"), str(tmp_path / "d/d/mid.adflow"),
                     str(folder / "deep.adflow")]


def test_an_ignore_pattern_whose_wildcards_would_backtrack_for_ever_is_passed_over(
        tmp_path: Path) -> None:
    # Each `*` in a path segment multiplies the work of matching a long name:
    # eight of them against a 200-character name did not end in an hour.
    write(tmp_path, ".adflowignore", "*a" * 8 + "b\n" + "drafts/\n")
    write(tmp_path, "a" * 200 + ".adflow")
    write(tmp_path, "drafts/wip.adflow")
    assert checked(tmp_path, ".") == ["a" * 200 + ".adflow"]


def test_an_exclude_glob_whose_wildcards_would_backtrack_for_ever_is_a_configuration_error(
        tmp_path: Path) -> None:
    write(tmp_path, "adflow.toml", 'exclude = ["' + "*a" * 8 + 'b"]\n')
    write(tmp_path, "a" * 200 + ".adflow")
    result = check(tmp_path, ".")
    assert result.returncode == 2, result.stderr
    assert "wildcards" in result.stderr


# -- file names as strings (project/paths.py), held to pathlib's answers ---------------------

# Names made of the characters that matter to parsing a path, and others.
NAMES = st.text(st.sampled_from("/.a-b\\ é\udcff"), max_size=12)


@given(NAMES)
def test_a_name_is_written_as_pathlib_writes_it(name: str) -> None:
    assert path_name(name) == str(Path(name))


@given(NAMES)
def test_a_stem_is_pathlibs(name: str) -> None:
    assert stem_of(name) == Path(name).stem


@given(NAMES, NAMES.filter(lambda n: "/" not in n and n not in ("", ".")))
def test_a_name_joined_to_a_folder_is_pathlibs(folder: str, name: str) -> None:
    assert joined(path_name(folder), name) == str(Path(folder) / name)


@given(NAMES)
def test_the_folders_above_are_pathlibs_parents(name: str) -> None:
    absolute = os.path.abspath(name)
    assert list(ancestors(absolute)) == [str(p) for p in Path(absolute).parents]


@given(NAMES, NAMES)
def test_within_is_pathlibs(name: str, folder: str) -> None:
    path, top = Path(os.path.abspath(name)), Path(os.path.abspath(folder))
    assert within(str(path), str(top)) == (path == top or top in path.parents)


@given(NAMES, NAMES)
def test_relative_to_is_pathlibs(name: str, folder: str) -> None:
    path, top = Path(os.path.abspath(name)), Path(os.path.abspath(folder))
    expected = path.relative_to(top).as_posix() if path == top or top in path.parents else None
    assert relative_to(str(path), str(top)) == expected
