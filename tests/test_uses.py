"""`use "other.adflow"`: definitions shared across files, names resolved
across them, cycles and unknown names reported where they are named, and
check, compile and plan following."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

from adflow.compiler.pipeline import FileResult, check_file
from babel.messages.pofile import read_po
from conftest import ADFLOW

SHARED = """\
# adflow: ignore-file[D001]
api v25.0
account act_1234567890
page acme 111222333444

lead_form quote on acme {
  template_name "Quote"
  privacy_url "https://acme.example/privacy"
  reminder "Still there?"
  intro "Hi! Want a quote?" -> phone
  question phone "What number can we call you on?" prefill PHONE required validate -> thanks
  confirmation thanks "Thanks!"
}

creative quote_image {
  page acme
  image hash "9f1c2e" link "https://acme.example/q.jpg"
  message "Get a quote"
  call_to_action MESSAGE_PAGE -> MESSENGER
  welcome lead_form quote
}

creative spare_image {
  page acme
  image hash "9f1c2e" link "https://acme.example/q.jpg"
  call_to_action MESSAGE_PAGE -> MESSENGER
  welcome text "Hi"
}
"""

SPEC = """\
use "shared/forms.adflow"  # adflow: ignore[D001]
api v25.0
account act_1234567890

campaign leads {
  objective OUTCOME_LEADS
  special_ad_categories [NONE]
  adset_budget_sharing false
}
adset quote_us in leads {
  optimization_goal QUALITY_LEAD
  destination MESSENGER
  daily_budget 2500
  promoted_page acme
  targeting { countries [US] }
}
ad quote_ad {
  adset quote_us
  creative quote_image
}
"""


def project(tmp_path: Path, spec: str = SPEC, shared: str = SHARED) -> Path:
    (tmp_path / "shared").mkdir(exist_ok=True)
    (tmp_path / "shared" / "forms.adflow").write_text(shared, encoding="utf-8")
    path = tmp_path / "spec.adflow"
    path.write_text(spec, encoding="utf-8")
    return path


def found(result: FileResult) -> list[tuple[str, int, str]]:
    return [(d.code, d.span.line, d.message) for d in result.diagnostics]


def test_names_resolve_across_files_and_what_is_used_is_made(tmp_path: Path) -> None:
    result = check_file(project(tmp_path))
    assert found(result) == []
    assert result.document is not None
    # The form and creative the ad needs, not the spare creative nobody names.
    assert [r.key for r in result.document.requests] == [
        "lead_form.quote", "campaign.leads", "adset.quote_us", "creative.quote_image",
        "ad.quote_ad"]
    creative = result.document.get("creative.quote_image")
    assert creative is not None and creative.path == "act_1234567890/adcreatives"
    assert creative.span.file == str(tmp_path / "shared" / "forms.adflow")


def test_compile_and_plan_follow(tmp_path: Path) -> None:
    spec = project(tmp_path)
    plan = subprocess.run([ADFLOW, "compile", str(spec)], capture_output=True, text=True,
                          check=False)
    assert plan.returncode == 0, plan.stderr
    requests = json.loads(plan.stdout)["requests"]
    assert requests[0]["source"]["file"].endswith("shared/forms.adflow")
    state = tmp_path / "create.sh.state"
    state.write_text("", encoding="utf-8")
    shown = subprocess.run([ADFLOW, "plan", str(spec), "--state", str(state)],
                           capture_output=True, text=True, check=False)
    assert shown.returncode == 0, shown.stderr
    assert "Plan: 5 to create" in shown.stdout


def test_an_unknown_name_is_reported_where_it_is_written(tmp_path: Path) -> None:
    result = check_file(project(tmp_path, SPEC.replace("creative quote_image",
                                                       "creative quote_imag")))
    # (the suppression on the use line now has nothing to suppress: N001)
    assert [(c, line) for c, line, _ in found(result) if c != "N001"] == [("R001", 19)]


def test_a_finding_in_a_used_file_is_reported_at_the_use_line(tmp_path: Path) -> None:
    result = check_file(project(tmp_path, shared=SHARED.replace('  reminder "Still there?"\n', "")))
    (code, line, message), = found(result)
    assert (code, line) == ("F014", 1)
    assert message.endswith(f"(in {tmp_path / 'shared' / 'forms.adflow'}:6:11)")
    d = result.diagnostics[0]
    assert d.fix is None  # a fix would edit this file at the other file's place
    assert d.notes[0].span is not None and d.notes[0].span.line == 6
    # The exit status counts it: compile refuses.
    run = subprocess.run([ADFLOW, "compile", str(tmp_path / "spec.adflow")],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 1 and "F014" in run.stderr


def test_a_cycle_is_reported_at_the_use_that_closes_it(tmp_path: Path) -> None:
    (tmp_path / "a.adflow").write_text('use "b.adflow"\npage p 1\n', encoding="utf-8")
    (tmp_path / "b.adflow").write_text('page q 2\nuse "a.adflow"\n', encoding="utf-8")
    result = check_file(tmp_path / "a.adflow")
    r008 = [d for d in result.diagnostics if d.code == "R008"]
    # Closed in b.adflow, which a.adflow's first line brings in: reported there.
    assert [(d.span.line, d.span.column) for d in r008] == [(1, 1)]
    assert r008[0].message == ("'a.adflow' is being read already: a cycle of `use` "
                               f"(in {tmp_path / 'b.adflow'}:2:5)")
    # A file that uses itself.
    (tmp_path / "c.adflow").write_text('use "c.adflow"\n', encoding="utf-8")
    (itself,) = check_file(tmp_path / "c.adflow").diagnostics
    assert (itself.code, itself.span.line, itself.span.column) == ("R008", 1, 5)


def test_a_missing_or_broken_file_is_r008_where_it_is_named(tmp_path: Path) -> None:
    (tmp_path / "broken.adflow").write_text("page {\n", encoding="utf-8")
    path = tmp_path / "spec.adflow"
    path.write_text('page p 1\nuse "nowhere.adflow"\nuse "broken.adflow"\nlead_form f on p {\n}\n',
                    encoding="utf-8")
    r008 = [(line, message) for code, line, message in found(check_file(path))
            if code == "R008"]
    assert r008 == [(2, "cannot read 'nowhere.adflow': No such file or directory"),
                    (3, "'broken.adflow' has syntax errors")]


def test_a_name_no_file_can_have_is_r008_not_a_crash(tmp_path: Path) -> None:
    """A NUL written as an escape (Hypothesis found the crash) and an empty name."""
    path = tmp_path / "spec.adflow"
    path.write_text('page p 1\nuse "a\\u0000b"\nuse ""\n', encoding="utf-8")
    r008 = [(line, message) for code, line, message in found(check_file(path))
            if code == "R008"]
    assert r008 == [(2, "cannot read the file 'a\x00b': a file name cannot hold a NUL character"),
                    (3, "cannot read the file '': the file name is empty")]


def test_a_link_loop_is_r008_not_a_crash(tmp_path: Path) -> None:
    """A file or catalogue that is a link to itself cannot be read, like a
    missing one (pathlib's resolve raised RuntimeError on it: an internal error)."""
    (tmp_path / "loop.adflow").symlink_to("loop.adflow")
    (tmp_path / "loop.po").symlink_to("loop.po")
    path = tmp_path / "spec.adflow"
    path.write_text('page p 1\nuse "loop.adflow"\nmarket nl {\n  locale nl_NL\n'
                    '  countries [NL]\n  translations "loop.po"\n}\n', encoding="utf-8")
    r008 = [(line, message) for code, line, message in found(check_file(path))
            if code == "R008"]
    assert r008 == [(2, "cannot read 'loop.adflow': Too many levels of symbolic links"),
                    (6, "cannot read the catalogue 'loop.po': Too many levels of symbolic links")]


def test_a_name_defined_here_and_in_a_used_file_is_an_error_here(tmp_path: Path) -> None:
    spec = SPEC + "creative quote_image {\n  page acme\n}\n"
    result = check_file(project(tmp_path, spec))
    r002 = [d for d in result.diagnostics if d.code == "R002"]
    assert [d.span.line for d in r002] == [spec.split("\n").index("creative quote_image {") + 1]
    assert r002[0].notes[0].span is not None
    assert r002[0].notes[0].span.file.endswith("forms.adflow")


def test_uses_reach_through_files_and_two_paths_to_one_file_are_one(tmp_path: Path) -> None:
    (tmp_path / "pages.adflow").write_text("page acme 111222333444\n", encoding="utf-8")
    (tmp_path / "one.adflow").write_text('use "pages.adflow"\n', encoding="utf-8")
    (tmp_path / "two.adflow").write_text('use "pages.adflow"\n', encoding="utf-8")
    path = tmp_path / "spec.adflow"
    path.write_text('use "one.adflow"\nuse "two.adflow"\n'
                    'lead_form f on acme {\n  template_name "F"\n}\n', encoding="utf-8")
    result = check_file(path)
    assert not [d for d in result.diagnostics if d.code.startswith("R")], found(result)
    assert result.document is not None
    assert result.document.requests[0].path == "111222333444/messenger_lead_forms"


def test_a_changed_used_file_is_not_answered_from_the_cache(tmp_path: Path) -> None:
    spec = project(tmp_path)
    cache = tmp_path / "cache"
    assert check_file(spec, cache_dir=cache).errors == 0
    project(tmp_path, shared=SHARED.replace('  reminder "Still there?"\n', ""))
    assert check_file(spec, cache_dir=cache).errors == 1


def test_the_catalogue_names_the_file_each_text_is_written_in(tmp_path: Path) -> None:
    spec = project(tmp_path, SPEC + 'creative own {\n  page acme\n  message "Get a quote"\n'
                   '  welcome text "Hello"\n}\n')
    run = subprocess.run([ADFLOW, "catalogue", str(spec)], capture_output=True, text=True,
                         check=False)
    assert run.returncode == 0, run.stderr
    shared = str(tmp_path / "shared" / "forms.adflow")
    template = {m.id: m.locations for m in read_po(io.BytesIO(run.stdout.encode())) if m.id}
    # One entry per text, every place it is written, in this file or the used one.
    assert template["Get a quote"] == [(shared, 18), (str(spec), 23)]
    assert template["Hi! Want a quote?"] == [(shared, 10)]
    assert template["Hello"] == [(str(spec), 24)]
