"""Inline suppressions: on a line, before a statement (its whole block), for
the whole file; and N001 for those that hide nothing."""

from __future__ import annotations

import subprocess
from pathlib import Path

from adflow.compiler.findings.suppress import find
from adflow.compiler.front.source import Source
from adflow.compiler.pipeline import check_file
from adflow.compiler.project.config import Config
from conftest import ADFLOW
from hypothesis import given
from hypothesis import strategies as st

FORM = """api v23.0
page acme 111222333444
lead_form quote on acme {{
  template_name "Quote"
  privacy_url "https://acme.example/privacy"
  reminder "Still there?"
  intro "Hi!" -> interest
  {before}question interest "Interested?" validate {{
    "Yes" -> email{inline}
    "No" -> email
  }}
  question email "Your email?" prefill EMAIL -> thanks
  confirmation thanks "Thanks!"
}}
"""


def found(tmp_path: Path, text: str) -> list[tuple[str, int]]:
    path = tmp_path / "s.adflow"
    path.write_text(text, encoding="utf-8")
    return [(d.code, d.span.line) for d in check_file(path, Config()).diagnostics]


def test_unsuppressed_form_warns(tmp_path: Path) -> None:
    assert found(tmp_path, FORM.format(before="", inline="")) == [("F010", 8)]


def test_comment_before_a_statement_covers_its_block(tmp_path: Path) -> None:
    text = FORM.format(before="# adflow: ignore[F010]\n  ", inline="")
    assert found(tmp_path, text) == []


def test_comment_on_a_line_covers_that_line_only(tmp_path: Path) -> None:
    text = FORM.format(before="", inline="  # adflow: ignore[F010]")
    # F010 is on the question's line, not this answer's line: nothing hidden.
    assert found(tmp_path, text) == [("F010", 8), ("N001", 9)]
    on_line = FORM.replace('validate {{', 'validate {{  # adflow: ignore[F010]')
    assert found(tmp_path, on_line.format(before="", inline="")) == []


def test_prefix_and_bare_ignore(tmp_path: Path) -> None:
    assert found(tmp_path, FORM.format(before="# adflow: ignore[F]\n  ", inline="")) == []
    assert found(tmp_path, FORM.format(before="# adflow: ignore\n  ", inline="")) == []


def test_ignore_file(tmp_path: Path) -> None:
    text = "page acme 1\npage spare 2\n# adflow: ignore-file[R003]\n"
    assert found(tmp_path, text) == []
    assert found(tmp_path, "page acme 1\n# adflow: ignore-file[R003, F001]\n") == []


def test_unused_suppression_is_n001(tmp_path: Path) -> None:
    text = "# adflow: ignore[F001]\npage acme 1  # adflow: ignore[R003]\n"
    assert found(tmp_path, text) == [("N001", 1)]
    # A misspelt code hides nothing, and says so.
    assert found(tmp_path, "page acme 1  # adflow: ignore[R030]\n") == [("R003", 1), ("N001", 1)]


def test_directive_inside_a_string_is_text(tmp_path: Path) -> None:
    text = FORM.format(before="", inline="").replace('"Thanks!"', '"# adflow: ignore[F010]"')
    assert found(tmp_path, text) == [("F010", 8)]


def test_n001_can_be_configured_away_and_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "s.adflow"
    path.write_text("account act_1  # adflow: ignore[F001]\n", encoding="utf-8")
    run = subprocess.run([ADFLOW, "check", str(path)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and "N001" in run.stdout and "warning" in run.stdout
    run = subprocess.run([ADFLOW, "check", "--ignore", "N001", str(path)], capture_output=True,
                         text=True, timeout=60)
    assert "N001" not in run.stdout


@given(st.lists(st.sampled_from(["page a 1", "# note", "", "# adflow: ignore[R003]",
                                 "campaign c {", "}", "  objective X  # adflow: ignore[F]"]),
                max_size=12))
def test_suppression_ranges_are_well_formed(lines: list[str]) -> None:
    source = Source("x.adflow", "\n".join(lines) + "\n")
    total = len(lines) + 1
    for s in find(source):
        assert s.first_line <= s.last_line or (s.first_line, s.last_line) == (0, -1)
        assert s.first_line >= 0 and s.last_line <= total


def test_a_comment_line_covers_the_next_statement_even_without_strings(tmp_path: Path) -> None:
    """The statement after the comment starts at its first token, a name
    too, not at the first string or bracket further down."""
    text = '# adflow: ignore[R003]\npage spare 2\npage other "3"\n'
    assert [(s.first_line, s.last_line) for s in find(Source("s.adflow", text))] == [(2, 2)]
    assert found(tmp_path, text) == [("R003", 3)]


def test_a_directive_after_an_unterminated_string_is_part_of_it() -> None:
    """As Lark reads it: the string runs to the line's end, comment and all."""
    assert find(Source("s.adflow", 'page a "1  # adflow: ignore[S001]\n')) == []
