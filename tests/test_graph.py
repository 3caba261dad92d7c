"""`adflow graph` and `adflow paths`: golden output for the samples, the
diagnostics drawn on the flow, escaping, and the command-line contract."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import GOLDEN, ROOT, SAMPLES, Adflow, check_golden

SAMPLE_FILES = sorted(SAMPLES.glob("*.adflow"))
WITH_FORMS = [p for p in SAMPLE_FILES if "lead_form " in p.read_text(encoding="utf-8")]
BROKEN = SAMPLES / "broken" / "flow_mistakes.adflow"


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


def without_rules(path: Path, tmp_path: Path) -> Path:
    """A copy of the sample, at the same place under `tmp_path`, beside a
    configuration that selects only the front end's codes (S, R). The graph
    and paths goldens pin the drawing, not the rules: what every rule finds
    in a sample is pinned once, by its diagnostics golden (test_samples.py),
    and the drawing of findings by the tests below."""
    copy = tmp_path / relative(path)
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "adflow.toml").write_text('select = ["S", "R"]\n', encoding="utf-8")
    return tmp_path


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["mermaid", "dot"])
@pytest.mark.parametrize("path", [*SAMPLE_FILES, BROKEN], ids=lambda p: p.name)
def test_graph_matches_golden(path: Path, fmt: str, update_golden: bool, tmp_path: Path,
                              adflow: Adflow) -> None:
    result = adflow("graph", relative(path), "--format", fmt, cwd=without_rules(path, tmp_path))
    assert result.returncode == 0, result.stderr
    suffix = "mmd" if fmt == "mermaid" else "dot"
    check_golden(GOLDEN / "graphs" / f"{path.stem}.{suffix}", result.stdout, update_golden)


@pytest.mark.parametrize("path", [*WITH_FORMS, BROKEN], ids=lambda p: p.name)
def test_paths_match_golden(path: Path, update_golden: bool, tmp_path: Path,
                            adflow: Adflow) -> None:
    result = adflow("paths", relative(path), cwd=without_rules(path, tmp_path))
    assert result.returncode == 0, result.stderr
    check_golden(GOLDEN / "paths" / f"{path.stem}.txt", result.stdout, update_golden)


@pytest.mark.slow
def test_graph_is_stable_and_written_with_output(tmp_path: Path, adflow: Adflow) -> None:
    sample = relative(SAMPLES / "branching_flow.adflow")
    out = tmp_path / "flow.mmd"
    assert adflow("graph", sample, "-o", str(out), cwd=ROOT).returncode == 0
    assert out.read_text(encoding="utf-8") == adflow("graph", sample, cwd=ROOT).stdout


def test_every_step_and_answer_is_on_the_flow(adflow: Adflow) -> None:
    text = adflow("graph", relative(SAMPLES / "branching_flow.adflow"), "--form", "move_quote",
                  "--format", "dot", cwd=ROOT).stdout
    for step in ("size", "house_type", "when", "phone", "email", "thanks", "too_small"):
        assert re.search(rf'label="[^"]*\b{step}\b', text), step
    assert 'label="Studio / 2-3 rooms"' in text and 'label="Just a piano"' in text
    assert "cluster_objects" not in text  # --form: the flow alone


def test_object_graph_links_objects_in_creation_order(adflow: Adflow) -> None:
    text = adflow("graph", relative(SAMPLES / "seed_lead_form.adflow"), "--format", "dot",
                  cwd=ROOT).stdout
    labels = dict(re.findall(r'^\s+(o\d+|p\d+) \[label="([^"]*)"', text, re.MULTILINE))
    edges = re.findall(r"^\s+(o\d+|p\d+) -> (o\d+|p\d+);", text, re.MULTILINE)
    kind = {k: v.split("\\n")[0].split(" ⚠")[0] for k, v in labels.items()}
    named = {(kind[a], kind[b]) for a, b in edges}
    assert {("lead form", "creative"), ("campaign", "adset"), ("adset", "ad"),
            ("creative", "ad"), ("page", "lead form")} <= named


def test_mistakes_are_drawn_on_the_steps(adflow: Adflow) -> None:
    text = adflow("graph", relative(BROKEN), "--form", "broken", cwd=ROOT).stdout
    lines = text.splitlines()

    def node(name: str) -> str:
        return next(line for line in lines if re.search(rf'\["{name}\b|\b{name}<br/>', line))

    assert "F003" in node("loop")  # jumps back to itself
    assert "F005" in node("interest")  # answers and next steps differ
    missing = [line for line in lines if "? citty" in line]  # an arrow to no step
    assert missing and "no such step" in missing[0]
    # Backward and broken arrows are dashed and red.
    assert re.search(r"f0_s\d+ -\.-> f0_s\d+", text)
    assert "linkStyle" in text and "class " in text and " error" in text


@pytest.mark.tools
def test_labels_cannot_break_out(tmp_path: Path, adflow: Adflow) -> None:
    form = tmp_path / "hostile.adflow"
    form.write_text(
        'api v23.0\npage acme 111222333444\nlead_form f on acme {\n'
        '  template_name "T"\n  privacy_url "https://acme.example/privacy"\n  reminder "R"\n'
        '  intro "Hi \\"there\\"]] --> x; end <b>" -> q\n'
        '  question q "Q?" {\n    "A\\"] --> evil" -> email\n    "B\\\\" -> email\n  }\n'
        '  question email "Email?" prefill EMAIL -> thanks\n'
        '  confirmation thanks "Thanks!\\n}"\n}\n', encoding="utf-8")
    mermaid = adflow("graph", str(form), "--form", "f", cwd=ROOT).stdout
    assert '"]] -->' not in mermaid and "<b>" not in mermaid
    assert "#quot;" in mermaid and "#lt;b#gt;" in mermaid
    dot = adflow("graph", str(form), "--form", "f", "--format", "dot", cwd=ROOT).stdout
    assert 'A\\"] --> evil' in dot and "B\\\\" in dot
    # Graphviz reads it as the same graph: one label per edge, no node made of a label.
    rendered = subprocess.run(["dot", "-Tplain"], input=dot, capture_output=True, text=True,
                              timeout=60)
    assert rendered.returncode == 0, rendered.stderr
    lines = rendered.stdout.splitlines()
    assert sum(line.startswith("node ") for line in lines) == 4  # intro, q, email, thanks
    assert sum(line.startswith("edge ") for line in lines) == 3


@pytest.mark.tools
def test_dot_output_renders_with_graphviz() -> None:
    """Every golden DOT graph (and so every sample's) is valid for Graphviz."""
    goldens = sorted((GOLDEN / "graphs").glob("*.dot"))
    assert len(goldens) == len(SAMPLE_FILES) + 1
    for golden in goldens:
        result = subprocess.run(["dot", "-Tsvg"], input=golden.read_text(encoding="utf-8"),
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0 and "<svg" in result.stdout, (golden, result.stderr)
        assert "Warning" not in result.stderr and "Error" not in result.stderr, result.stderr


def test_paths_counts_and_answers(adflow: Adflow) -> None:
    text = adflow("paths", relative(SAMPLES / "branching_flow.adflow"), cwd=ROOT).stdout
    assert text.startswith("lead form move_quote: 5 paths, the longest asks 5 questions\n")
    assert 'size ["Just a piano"] -> too_small' in text
    assert text.count("ends: CONFIRMATION") == 4 and text.count("ends: DISQUALIFY") == 1


@pytest.mark.slow
def test_paths_max_questions_flag(adflow: Adflow) -> None:
    sample = relative(SAMPLES / "branching_flow.adflow")
    assert "F019" not in adflow("paths", sample, cwd=ROOT).stdout
    flagged = adflow("paths", sample, "--max-questions", "4", cwd=ROOT).stdout
    assert "F019 at line" in flagged and "the 5th question, over the limit of 4" in flagged
    bad = adflow("paths", sample, "--max-questions", "0", cwd=ROOT)
    assert bad.returncode == 2 and "at least 1" in bad.stderr


@pytest.mark.slow
def test_max_questions_flag_keeps_the_configuration(tmp_path: Path, adflow: Adflow) -> None:
    """The flag moves F019's limit only: an ignored code stays ignored."""
    form = tmp_path / "form.adflow"
    form.write_text((SAMPLES / "branching_flow.adflow").read_text(encoding="utf-8"),
                    encoding="utf-8")
    assert "F019" in adflow("paths", str(form), "--max-questions", "4", cwd=ROOT).stdout
    (tmp_path / "adflow.toml").write_text('ignore = ["F019"]\n', encoding="utf-8")
    assert "F019" not in adflow("paths", str(form), "--max-questions", "4", cwd=ROOT).stdout


def test_paths_lists_the_forms_findings_under_its_paths(adflow: Adflow) -> None:
    lines = adflow("paths", relative(BROKEN), cwd=ROOT).stdout.splitlines()
    finding = re.compile(r"  (error|warning) [A-Z]\d{3} at line \d+: \S")
    first = next(i for i, line in enumerate(lines) if finding.match(line))
    assert "ends: DISQUALIFY" in lines[first - 1]  # after the paths
    assert all(finding.match(line) for line in lines[first:])
    assert any(line.startswith("  error F003 at line 18:") for line in lines[first:])


def test_f018_in_paths_listing(adflow: Adflow) -> None:
    bad = (ROOT / "tests" / "fixtures" / "F018" / "bad.adflow")
    text = adflow("paths", str(bad), cwd=ROOT).stdout
    assert "warning F018 at line 13: confirmation 'thanks' is reached without" in text
    assert 'intro -> interest ["Later"] -> thanks' in text


@pytest.mark.slow
@pytest.mark.parametrize("command", ["graph", "paths"])
def test_command_line_errors(command: str, tmp_path: Path, adflow: Adflow) -> None:
    sample = relative(SAMPLES / "seed_lead_form.adflow")
    unknown = adflow(command, sample, "--form", "nope", cwd=ROOT)
    assert unknown.returncode == 2 and "no lead form named 'nope'; the file has: quote" in (
        unknown.stderr)
    missing = adflow(command, "missing.adflow", cwd=ROOT)
    assert missing.returncode == 2 and "no such file" in missing.stderr
    broken = tmp_path / "broken.adflow"
    broken.write_text("lead_form {\n", encoding="utf-8")
    result = adflow(command, str(broken), cwd=ROOT)
    assert result.returncode == 1 and "S001" in result.stderr
    for out in (unknown, missing, result):
        assert "Traceback" not in out.stderr


def test_paths_without_a_lead_form_lists_the_welcome_messages_paths(adflow: Adflow) -> None:
    result = adflow("paths", relative(SAMPLES / "click_to_subscribe.adflow"), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ("welcome message of creative opt_in (subscribe): 1 path\n"
                             '  1. greeting -> "Get messages" -> end\n')
