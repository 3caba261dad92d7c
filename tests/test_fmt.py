"""`adflow fmt`: canonical, idempotent, comment-preserving and safe."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from adflow.compiler.editor import fmt
from adflow.compiler.editor.fmt import FormatError, format_source, format_text
from adflow.compiler.front.source import Source
from conftest import ADFLOW, SAMPLES
from hypothesis import given
from hypothesis import strategies as st

CLEAN_SAMPLES = sorted(SAMPLES.glob("*.adflow"))
MESSY = """

# header comment
api   v25.0
page acme    111222333444
lead_form quote on acme {


      template_name "Quote"   # kept, at its column
  privacy_url "https://acme.example/privacy"
    reminder "Still there?"
  # before the intro
  intro "Hi! # not a comment" ->   interest
  question interest "Interested?" {
  "Yes"->thanks
      "Not now" -> sorry
  }
  confirmation thanks "Thanks!"
  disqualify sorry "Sorry."

}
campaign c {
  special_ad_categories [ NONE ,ISSUES_ELECTIONS_POLITICS ]
  raw promoted_object {"page_id" :"1",
     "x": [1, 2]}
}
"""
EXPECTED = """# header comment
api v25.0
page acme 111222333444
lead_form quote on acme {
  template_name "Quote"       # kept, at its column
  privacy_url "https://acme.example/privacy"
  reminder "Still there?"
  # before the intro
  intro "Hi! # not a comment" -> interest
  question interest "Interested?" {
    "Yes"     -> thanks
    "Not now" -> sorry
  }
  confirmation thanks "Thanks!"
  disqualify sorry "Sorry."
}
campaign c {
  special_ad_categories [NONE, ISSUES_ELECTIONS_POLITICS]
  raw promoted_object { "page_id": "1",
    "x": [1, 2] }
}
"""


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ADFLOW, "fmt", *args], capture_output=True, text=True, timeout=60)


def test_canonical_layout() -> None:
    assert format_source(Source("m.adflow", MESSY)) == EXPECTED


def test_idempotent_and_comments_kept() -> None:
    once = format_text(MESSY)
    assert format_text(once) == once
    comments = [m for m in re.findall(r"#[^\n\"]*", MESSY) if "not a comment" not in m]
    assert [c.rstrip() for c in comments] == [c for c in re.findall(r"#[^\n\"]*", once)
                                              if "not a comment" not in c]


@pytest.mark.parametrize("path", CLEAN_SAMPLES, ids=lambda p: p.name)
def test_samples_are_formatted(path: Path) -> None:
    result = run("--check", str(path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_and_diff_change_nothing(tmp_path: Path) -> None:
    messy = tmp_path / "m.adflow"
    messy.write_text(MESSY, encoding="utf-8")
    tidy = tmp_path / "t.adflow"
    tidy.write_text(EXPECTED, encoding="utf-8")
    result = run("--check", str(tmp_path))
    assert result.returncode == 1
    assert result.stdout == f"would reformat {messy}\n"
    diff = run("--diff", str(messy))
    assert diff.returncode == 1 and "+    \"Yes\"     -> thanks" in diff.stdout
    assert messy.read_text(encoding="utf-8") == MESSY
    written = run(str(tmp_path))
    assert written.returncode == 0 and messy.read_text(encoding="utf-8") == EXPECTED
    assert run("--check", str(tmp_path)).returncode == 0


def test_crlf_is_a_change(tmp_path: Path) -> None:
    path = tmp_path / "w.adflow"
    path.write_bytes(EXPECTED.replace("\n", "\r\n").encode())
    assert run("--check", str(path)).returncode == 1
    assert run(str(path)).returncode == 0
    assert path.read_bytes() == EXPECTED.encode()


def test_syntax_errors_are_not_formatted(tmp_path: Path) -> None:
    path = tmp_path / "b.adflow"
    text = "campaign c {\n  objective = X\n}\n"
    path.write_text(text, encoding="utf-8")
    result = run(str(path))
    assert result.returncode == 1 and "S001" in result.stderr and "Traceback" not in result.stderr
    assert path.read_text(encoding="utf-8") == text


def test_safe_mode_refuses_a_change_of_meaning(monkeypatch: pytest.MonkeyPatch) -> None:
    """Were the layout ever wrong, the model comparison catches it."""
    monkeypatch.setattr(fmt, "format_text", lambda text: text.replace("Quote", "Quota"))
    with pytest.raises(FormatError, match="change the meaning"):
        fmt.format_source(Source("m.adflow", EXPECTED))


_SPACE = st.sampled_from([" ", "  ", "\t", "   "])


@given(st.data())
def test_reflowed_samples_format_back(data: st.DataObject) -> None:
    """Random spacing and indentation on a sample: fmt gives the sample back."""
    original = CLEAN_SAMPLES[data.draw(st.integers(0, len(CLEAN_SAMPLES) - 1))].read_text("utf-8")
    lines = []
    for line in original.split("\n"):
        if line.lstrip().startswith("#") or not line.strip():
            lines.append(line)
            continue
        code, sep, comment = line.partition("  #")
        parts = re.findall(r'"(?:[^"\\]|\\.)*"|\S+', code)
        lines.append(data.draw(_SPACE) * data.draw(st.integers(0, 3))
                     + "".join(p + data.draw(_SPACE) for p in parts).rstrip()
                     + (sep + comment if sep else ""))
    messy = "\n".join(lines)
    if data.draw(st.booleans()):
        messy = "\n\n" + messy.replace("\n\n", "\n\n\n") + "\n\n"
    formatted = format_source(Source("x.adflow", messy))
    assert format_text(formatted) == formatted
    assert re.sub(r" +#", " #", formatted) == re.sub(r" +#", " #", original)
