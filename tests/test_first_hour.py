"""What a newcomer meets in the first hour: `make demo`, the README's
commands and its language examples."""

from __future__ import annotations

import re
import subprocess

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
    from adflow.compiler.pipeline import check_source
    from adflow.compiler.source import Source

    examples = readme_examples()
    assert examples, "the README has no adflow example"
    for number, (text, said) in enumerate(examples, start=1):
        result = check_source(Source(f"README example {number}", text))
        found = {d.code for d in result.diagnostics}
        assert found == said, (number, sorted(found), sorted(said))
