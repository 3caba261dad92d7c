"""What a newcomer meets in the first hour: `make demo`, the README's
commands and its language examples."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from conftest import ADFLOW, ROOT


def make(*args: str) -> subprocess.CompletedProcess[str]:
    """A Makefile target without its set-up (done already: this is its venv)."""
    return subprocess.run(["make", "--no-print-directory", "-o", "setup", "-o", "system-deps",
                           "-o", ".venv/.installed-stamp", f"ADFLOW={ADFLOW}", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_demo_shows_the_broken_samples_findings_as_expected_not_as_a_failure() -> None:
    done = make("demo-broken")
    assert done.returncode == 0, done.stderr
    out = done.stdout + done.stderr
    assert "F003" in out  # the findings themselves are shown
    assert "Error" not in out and "(ignored)" not in out, out
    assert "expected" in done.stdout


def test_demo_broken_step_fails_when_the_broken_samples_stop_failing() -> None:
    """The step checks that the broken samples fail: a clean run is a demo bug."""
    done = make("demo-broken", "BROKEN=samples/seed_lead_form.adflow")
    assert done.returncode != 0
    assert "expected exit status 1" in done.stderr


def test_readme_says_how_to_run_adflow_after_make_demo() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## A short tour")[0]
    assert ".venv/bin/adflow" in setup
    assert ". .venv/bin/activate" in setup
    assert (ROOT / ".venv/bin/activate").is_file()


def test_every_command_the_readme_lists_exists() -> None:
    """Each `adflow WORD` in a sh block of the README is a real command."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", readme, re.S)
    named = {m.group(1) for block in blocks
             for m in re.finditer(r"^(?:\.venv/bin/)?adflow ([a-z]+)", block, re.M)}
    assert named, "the README shows no adflow commands"
    helped = subprocess.run([ADFLOW, "--help"], capture_output=True, text=True, check=True).stdout
    missing = {word for word in named if not re.search(rf"\b{word}\b", helped)}
    assert not missing, f"the README names commands adflow does not have: {sorted(missing)}"


def readme_examples() -> list[tuple[str, set[str]]]:
    """Each ```adflow block of the README, with the codes the paragraph
    right after it says `adflow check` reports on it (none: it is clean)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    out = []
    for m in re.finditer(r"```adflow\n(.*?)```\n", readme, re.S):
        after = readme[m.end():].lstrip("\n").split("\n\n", 1)[0]
        said = set(re.findall(r"\b[A-Z]\d{3}\b", after)) if "adflow check" in after else set()
        out.append((m.group(1), said))
    return out


def test_the_readmes_examples_check_as_the_text_says() -> None:
    from adflow.compiler.front.source import Source
    from adflow.compiler.pipeline import check_source

    examples = readme_examples()
    assert examples, "the README has no adflow example"
    for number, (text, said) in enumerate(examples, start=1):
        result = check_source(Source(f"README example {number}", text))
        found = {d.code for d in result.diagnostics}
        assert found == said, (number, sorted(found), sorted(said))


def tour_commands() -> list[str]:
    """The command list of the README's tour (its first ```sh block after
    "## A short tour"), one command a line, comments kept."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    tour = readme.split("## A short tour", 1)[1]
    block = re.search(r"```sh\n(.*?)```", tour, re.S)
    assert block, "the tour shows no commands"
    return [line for line in block.group(1).splitlines() if line.strip()]


def shell(line: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """One line as a newcomer types it into bash, with adflow on PATH (the
    activated .venv the README asks for)."""
    import os

    env = {**os.environ, "PATH": f"{Path(ADFLOW).parent}{os.pathsep}{os.environ['PATH']}",
           "NO_COLOR": "1"}
    env.pop("GRAPH_API_URL", None)
    return subprocess.run(["bash", "-c", line], cwd=cwd, env=env, text=True,
                          capture_output=True, stdin=subprocess.DEVNULL, timeout=120)


def newcomers_folder(tmp_path: Path) -> Path:
    """The samples, and the README's first example saved as form.adflow."""
    import shutil

    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    (tmp_path / "form.adflow").write_text(readme_examples()[0][0], encoding="utf-8")
    return tmp_path


def run_tour(folder: Path) -> None:
    """The tour's commands in order, each as it must end: exit 0, or 1 where
    its comment says it fails on purpose; the saved form is never overwritten.
    `adflow sandbox` serves until stopped (test_the_readmes_sandbox_run)."""
    form = folder / "form.adflow"
    saved = form.read_bytes()
    for line in tour_commands():
        command, _, comment = line.partition("  #")
        if command.startswith("adflow sandbox"):
            continue
        done = shell(command, folder)
        allowed = {0, 1} if "on purpose" in comment else {0}
        assert done.returncode in allowed, (command, done.returncode, done.stderr[-2000:])
        assert form.read_bytes() == saved, f"{command!r} overwrote form.adflow"


def test_the_tours_commands_run_in_order_as_written(tmp_path: Path) -> None:
    """None needs a file no earlier step made, none fails unannounced."""
    run_tour(newcomers_folder(tmp_path))


def sandbox_blocks() -> list[list[str]]:
    """The README's ```sh blocks that run the bundle against the sandbox."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return [[line for line in block.splitlines() if line.strip()]
            for block in re.findall(r"```sh\n(.*?)```", readme, re.S)
            if "http://127.0.0.1:PORT" in block]


def test_the_readmes_sandbox_run_works_as_written(tmp_path: Path) -> None:
    """After the tour: the sandbox in a second terminal, the bundle run
    against the URL it printed, an edit, the plan, the bundle again. The
    sandbox itself shows the line to type."""
    import select

    folder = newcomers_folder(tmp_path)
    run_tour(folder)
    first, again = sandbox_blocks()
    sandbox = subprocess.Popen([ADFLOW, "sandbox", "--port", "0"], cwd=folder, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert sandbox.stdout is not None and sandbox.stderr is not None
        assert select.select([sandbox.stdout], [], [], 20)[0], "the sandbox did not start"
        url = sandbox.stdout.readline().removeprefix("listening on ").strip()
        assert select.select([sandbox.stderr], [], [], 20)[0], "the sandbox says nothing more"
        note = sandbox.stderr.readline()
        assert first[0].replace("http://127.0.0.1:PORT", url) in note, note

        outputs = []
        for number, line in enumerate(first + ["EDIT"] + again):
            if line == "EDIT":  # what the prose asks: change the text of `thanks`
                form = folder / "form.adflow"
                text = form.read_text(encoding="utf-8")
                form.write_text(text.replace("We'll call you within a day.",
                                             "We'll call you today."), encoding="utf-8")
                continue
            command = line.partition("  #")[0].replace("http://127.0.0.1:PORT", url)
            done = shell(command, folder)
            assert done.returncode == 0, (number, command, done.stdout, done.stderr)
            outputs.append(done.stdout)
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=10)
        for stream in (sandbox.stdout, sandbox.stderr):
            if stream is not None:
                stream.close()
    plans = [out for out in outputs if out.startswith(("Plan:", "-/+", "~", "+"))]
    assert [p.splitlines()[-1] for p in plans] == [
        "Plan: 0 to create, 0 to update, 0 to replace, 1 unchanged, 0 orphaned.",
        "Plan: 0 to create, 0 to update, 1 to replace, 0 unchanged, 0 orphaned.",
        "Plan: 0 to create, 0 to update, 0 to replace, 1 unchanged, 0 orphaned."], outputs


def test_the_readmes_pre_commit_steps_make_git_commit_run_the_hooks(tmp_path: Path) -> None:
    """A fresh repository, the README's local configuration, then the shell
    lines the README shows next: from then on `git commit` runs the hooks,
    refusing a broken form and taking it once fixed."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    part = readme.split("repo: local", 1)[1].split("Or let pre-commit install", 1)[0]
    config = "repos:\n  - repo: local" + part.split("```", 1)[0]
    steps = re.search(r"```sh\n(.*?)```", part, re.S)
    assert steps, "the README shows no commands to turn the hooks on"
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    assert shell("git init -q", tmp_path).returncode == 0
    (tmp_path / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    for line in steps.group(1).splitlines():
        command = line.partition("  #")[0].strip()
        if command:
            done = shell(command, tmp_path)
            assert done.returncode == 0, (command, done.stdout, done.stderr)
    form = tmp_path / "quote.adflow"
    form.write_text('page acme 1\nlead_form quote on acme {\n  intro "Hi!" -> citty\n}\n',
                    encoding="utf-8")
    refused = shell(" ".join([*git, "add", "-A", "&&", *git, "commit", "-qm", "form"]), tmp_path)
    said = refused.stdout + refused.stderr  # git shows the hooks on stderr
    assert refused.returncode == 1 and "F004" in said, said
    form.write_text((ROOT / "samples" / "seed_lead_form.adflow").read_text(encoding="utf-8"),
                    encoding="utf-8")
    taken = shell(" ".join([*git, "add", "-A", "&&", *git, "commit", "-qm", "form"]), tmp_path)
    assert taken.returncode == 0, taken.stdout + taken.stderr


def test_explains_help_says_it_also_reads_a_saved_graph_api_error() -> None:
    """The README sends a newcomer to `adflow explain error.json --plan
    plan.json`; `adflow --help` must not say explain takes only a code."""
    helped = subprocess.run([ADFLOW, "--help"], capture_output=True, text=True, check=True).stdout
    line = next(li for li in helped.splitlines() if li.strip().startswith("explain"))
    assert "Graph API error" in line, line


def test_explain_without_a_blamed_field_lists_the_keys_to_choose_from(tmp_path: Path) -> None:
    """Meta's error often blames no field: the note says which --key values
    the plan has, so the newcomer need not open the plan to find them."""
    import json

    (tmp_path / "form.adflow").write_text(readme_examples()[0][0], encoding="utf-8")
    (tmp_path / "error.json").write_text(json.dumps({"error": {
        "message": "Invalid parameter", "type": "OAuthException", "code": 100,
        "error_subcode": 1487079, "fbtrace_id": "A1"}}), encoding="utf-8")
    assert shell("adflow compile form.adflow -o plan.json", tmp_path).returncode == 0
    done = shell("adflow explain error.json --plan plan.json", tmp_path)
    assert done.returncode == 2 and "--key lead_form.quote" in done.stderr, done.stderr
    chosen = shell("adflow explain error.json --plan plan.json --key lead_form.quote", tmp_path)
    assert chosen.returncode == 0 and chosen.stdout.startswith("form.adflow:5:"), chosen


# Tools only the test suite drives (not `make demo`): a newcomer's machine
# may lack every one of them.
TEST_ONLY_TOOLS = ("shellcheck", "dot", "chromium", "node", "npm", "nvim")


def test_make_demo_needs_no_tool_only_the_tests_use(tmp_path: Path) -> None:
    """The README: `make demo` needs Python and make; the Debian tools are for
    the tests. A machine without them (and no root to install them) still
    gets the whole demo, the bundle against the sandbox included."""
    import os

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for folder in os.environ["PATH"].split(os.pathsep):
        if not os.path.isdir(folder):
            continue
        for name in os.listdir(folder):
            target = Path(folder) / name
            if name not in TEST_ONLY_TOOLS and not (bin_dir / name).exists() and \
                    os.access(target, os.X_OK) and target.is_file():
                (bin_dir / name).symlink_to(target)
    (bin_dir / "id").unlink(missing_ok=True)
    (bin_dir / "id").write_text("#!/bin/sh\necho 1000\n", encoding="utf-8")  # not root
    (bin_dir / "id").chmod(0o755)
    done = subprocess.run(["make", "--no-print-directory", "-o", ".venv/.installed-stamp",
                           f"ADFLOW={ADFLOW}", "SAMPLES=samples/seed_lead_form.adflow", "demo"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PATH": str(bin_dir)})
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "done: 5 request(s) sent" in done.stdout


def test_a_missing_required_option_says_what_it_is(tmp_path: Path) -> None:
    """`adflow plan form.adflow` without --state: the error says what the
    state file is and that a new one is fine, not only that it is required."""
    (tmp_path / "form.adflow").write_text(readme_examples()[0][0], encoding="utf-8")
    done = shell("adflow plan form.adflow", tmp_path)
    assert done.returncode == 2
    last = done.stderr.strip().splitlines()[-1]
    assert "--state" in last and "create.sh.state" in last, done.stderr


def test_the_one_line_helps_agree_with_the_readmes_tour() -> None:
    """Where the tour says a command also plays welcome messages (or reads a
    saved error), `adflow --help` says so too."""
    from adflow.compiler.cli.main import COMMANDS

    for line in tour_commands():
        command, _, comment = line.partition("  #")
        word = command.split()[1]
        if "welcome message" in comment:
            assert "welcome message" in COMMANDS[word], (word, COMMANDS[word])


def test_the_readmes_ci_job_checks_a_fresh_repository_as_written(tmp_path: Path) -> None:
    """The workflow's `run:` steps after the install, in a fresh repository
    holding a form and unrelated JSON: the report is written for the upload
    step, and a broken form fails the job while its report is still written."""
    import json

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    workflow = next(b for b in re.findall(r"```yaml\n(.*?)```", readme, re.S)
                    if "upload-sarif" in b)
    steps = [m.group(1) for m in re.finditer(r"(?m)^\s+- run: (.*)$", workflow)
             if "pip install" not in m.group(1)]
    report = re.search(r"sarif_file: (\S+)", workflow)
    assert steps and report
    assert shell("git init -q", tmp_path).returncode == 0
    (tmp_path / "package.json").write_text('{"name": "site"}\n', encoding="utf-8")
    (tmp_path / "form.adflow").write_text(readme_examples()[0][0], encoding="utf-8")
    for broken, expected in ((False, 0), (True, 1)):
        if broken:
            (tmp_path / "bad.adflow").write_text('page p 1\nlead_form f on p {\n}\n',
                                                 encoding="utf-8")
        codes = [shell(step, tmp_path).returncode for step in steps]
        assert codes[-1] == expected, (broken, codes)
        sarif = json.loads((tmp_path / report.group(1)).read_text(encoding="utf-8"))
        found = {r["ruleId"] for r in sarif["runs"][0]["results"]}
        assert "D001" in found and ("F014" in found) == broken, found


def test_metas_own_curl_examples_work_against_the_sandbox() -> None:
    """Meta's Marketing API pages write their examples as `curl -F 'name=...'
    -F 'access_token=...'` (multipart/form-data): a newcomer pasting one
    against the sandbox gets the object, not "an access token is required"."""
    import json
    import select

    sandbox = subprocess.Popen([ADFLOW, "sandbox", "--port", "0"], text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        assert sandbox.stdout is not None
        assert select.select([sandbox.stdout], [], [], 20)[0], "the sandbox did not start"
        url = sandbox.stdout.readline().removeprefix("listening on ").strip()
        created = subprocess.run(
            ["curl", "-sS", "-X", "POST", "-F", "name=Café ¿sí?",
             "-F", "objective=OUTCOME_ENGAGEMENT", "-F", "status=PAUSED",
             "-F", 'special_ad_categories=["NONE"]',
             "-F", "is_adset_budget_sharing_enabled=false", "-F", "access_token=x",
             f"{url}/v25.0/act_1234567890/campaigns"],
            capture_output=True, text=True, timeout=30)
        answer = json.loads(created.stdout)
        assert "id" in answer, answer
        read = subprocess.run(["curl", "-sS", "-G", "-d", "fields=name,objective", "-d",
                               "access_token=x", f"{url}/v25.0/{answer['id']}"],
                              capture_output=True, text=True, timeout=30)
        assert json.loads(read.stdout)["name"] == "Café ¿sí?", read.stdout
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=10)
        if sandbox.stdout is not None:
            sandbox.stdout.close()
