"""Nothing the user wrote is lost, and hostile input gets a diagnostic,
never a crash: atomic writes, -o naming the input, Unicode line breaks and
lone surrogates, crashes as diagnostics, and control characters that never
reach the terminal."""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
from pathlib import Path

import pytest
from adflow.compiler.cli.main import main
from adflow.compiler.front.source import InputError, Source, read
from adflow.compiler.pipeline import check_source
from adflow.compiler.project import files
from conftest import ADFLOW, SAMPLES

SEED = (SAMPLES / "seed_lead_form.adflow").read_text(encoding="utf-8")
CAMPAIGN_END = "  adset_budget_sharing false\n"


def seed_with(line: str) -> str:
    """The seed sample with one more line in its campaign block."""
    assert CAMPAIGN_END in SEED
    return SEED.replace(CAMPAIGN_END, CAMPAIGN_END + line + "\n", 1)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def codes_at(text: str, name: str = "x.adflow") -> set[tuple[str, int, int]]:
    result = check_source(Source(name, text))
    return {(d.code, d.span.line, d.span.column) for d in result.diagnostics}


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# -- 1. one atomic writer ----------------------------------------------------------------------


@pytest.mark.tools
def test_fmt_under_a_file_size_limit_leaves_the_file_intact(tmp_path: Path) -> None:
    """`(ulimit -f 1; adflow fmt f.adflow)` used to cut a 2 KB file to 1,024 bytes."""
    path = tmp_path / "f.adflow"
    messy = SEED.replace("\n  ", "\n      ") + "".join(f"# note {i:03}\n" for i in range(20))
    path.write_text(messy, encoding="utf-8")
    path.chmod(0o640)
    assert path.stat().st_size > 2048
    done = subprocess.run(["bash", "-c", f'ulimit -f 1; exec "{ADFLOW}" fmt f.adflow'],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "cannot write f.adflow" in done.stderr and "Traceback" not in done.stderr
    assert path.read_text(encoding="utf-8") == messy
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []
    # Without the limit it is formatted, and keeps its mode.
    subprocess.run([ADFLOW, "fmt", "f.adflow"], cwd=tmp_path, check=True, capture_output=True)
    assert path.read_text(encoding="utf-8") != messy
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_a_write_that_fails_midway_keeps_the_original_and_no_temp(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "out.txt"
    path.write_text("the original\n")

    def fail(fd: int) -> None:  # the disk fills (or the process dies) before the data is safe
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(OSError):
        files.write_atomic(path, "the new text, " * 1000)
    assert path.read_text() == "the original\n"
    assert leftovers(tmp_path) == []


def test_write_atomic_keeps_the_mode_follows_links_and_uses_the_umask(tmp_path: Path) -> None:
    kept = tmp_path / "kept.txt"
    kept.write_text("old")
    kept.chmod(0o600)
    files.write_atomic(kept, "new")
    assert kept.read_text() == "new" and stat.S_IMODE(kept.stat().st_mode) == 0o600
    link = tmp_path / "link.txt"
    link.symlink_to(kept.name)
    files.write_atomic(link, b"through the link")
    assert link.is_symlink() and kept.read_text() == "through the link"
    old = os.umask(0o027)
    try:
        files.write_atomic(tmp_path / "new.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


def _commands_writing(tmp_path: Path) -> dict[str, list[str]]:
    form = tmp_path / "form.adflow"
    form.write_text(SEED, encoding="utf-8")
    plan = tmp_path / "plan.json"
    assert main(["compile", str(form), "-o", str(plan)]) == 0
    return {
        "check": ["check", str(form), "-o"],
        "compile": ["compile", str(form), "-o"],
        "compile-curl": ["compile", str(form), "--emit", "curl", "-o"],
        "graph": ["graph", str(form), "-o"],
        "paths": ["paths", str(form), "-o"],
        "preview": ["preview", str(form), "-o"],
        "import": ["import", str(plan), "-o"],
    }


@pytest.mark.parametrize("command", ["check", "compile", "compile-curl", "graph", "paths",
                                     "preview", "import", "simulate"])
def test_every_output_is_written_atomically(command: str, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """A failure at the last moment (the rename) leaves what was there before."""
    if command == "simulate":
        form = tmp_path / "form.adflow"
        form.write_text(SEED, encoding="utf-8")
        folder = tmp_path / "transcripts"
        assert main(["simulate", str(form), "--all-paths", "-o", str(folder)]) == 0
        out = folder / "quote.path-1.txt"
        argv = ["simulate", str(form), "--all-paths", "-o", str(folder)]
    else:
        out = tmp_path / "out.txt"
        argv = _commands_writing(tmp_path)[command] + [str(out)]
    out.write_text("what was there before\n")
    capsys.readouterr()

    def fail(src: object, dst: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "replace", fail)
    status, _, err = run(argv, capsys)
    assert status == 2 and "cannot write" in err and "internal error" not in err
    assert out.read_text() == "what was there before\n"
    assert leftovers(out.parent) == []


@pytest.mark.slow
def test_the_caches_are_written_by_the_atomic_writer(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from adflow.compiler.front import parser
    from adflow.compiler.project.cache import ResultCache

    written: list[str] = []
    real = files.write_atomic
    monkeypatch.setattr(files, "write_atomic",
                        lambda path, data, **kw: (written.append(Path(path).name),
                                                  real(path, data, **kw)))
    monkeypatch.setattr(parser, "write_atomic", files.write_atomic)
    ResultCache(tmp_path / "cache").put("ab" * 32, [])
    parser._save_atomically(parser.build_parser(), tmp_path / "parser.pickle")
    # The cache folder's markers, the entry, the parser.
    assert written == [".gitignore", "CACHEDIR.TAG", f"{'ab' * 32}.json", "parser.pickle"]
    assert parser.Lark.load((tmp_path / "parser.pickle").open("rb")) is not None


# -- 2. -o naming the input --------------------------------------------------------------------


@pytest.mark.parametrize("how", ["same", "symlink", "hardlink"])
@pytest.mark.parametrize("command", ["check", "compile", "compile-curl", "graph", "paths",
                                     "preview", "import"])
def test_output_naming_the_input_is_refused(command: str, how: str, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    argv = _commands_writing(tmp_path)[command]
    source = Path(argv[1])
    before = source.read_bytes()
    target = tmp_path / f"alias{source.suffix}"
    if how == "same":
        target = source
    elif how == "symlink":
        target.symlink_to(source)
    else:
        os.link(source, target)
    capsys.readouterr()
    status, out, err = run(argv + [str(target)], capsys)
    assert status == 2, err
    assert "is the input file" in err and "refusing to overwrite it" in err
    assert source.read_bytes() == before


def test_simulate_never_writes_a_transcript_over_its_input(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    form = folder / "quote.path-1.txt"  # the name the first transcript would get
    form.write_text(SEED, encoding="utf-8")
    status, _, err = run(["simulate", str(form), "--all-paths", "-o", str(folder)], capsys)
    assert status == 2 and "refusing to overwrite it" in err
    assert form.read_text(encoding="utf-8") == SEED


# -- 11. line breaks adflow does not read, lone surrogates ------------------------------------


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85", "\x0b", "\x1c", "\x1d", "\x1e"])
def test_a_unicode_line_break_is_x005_not_one_long_comment(char: str) -> None:
    text = SEED.replace("\n", char)  # every line break, as the reproduction does
    found = codes_at(text)
    first_break = text.index(char)
    assert ("X005", 1, first_break + 1) in found
    assert sum(code == "X005" for code, _, _ in found) == SEED.count("\n")


def test_a_line_break_character_inside_a_string_is_text() -> None:
    text = SEED.replace('"Quote request"', '"Quote\u2028request"')
    assert not any(code == "X005" for code, _, _ in codes_at(text))


@pytest.mark.parametrize("literal, column", [(r'"\uD83D\uD83D\uDE00"', 18), (r'"\ud800"', 18),
                                             (r'"a\uDE00"', 19), (r'"\ud800x"', 18)])
def test_a_lone_surrogate_escape_in_the_dsl_is_s007(literal: str, column: int) -> None:
    text = SEED.replace('"Quote request"', literal)
    result = check_source(Source("x.adflow", text))
    assert ("S007", 8, column) in {(d.code, d.span.line, d.span.column)
                                   for d in result.diagnostics}
    assert result.document is not None
    name = next(result.document.of_kind("lead_form")).body["template_name"]
    assert "\0" not in name and "\ufffd" in name
    name.encode("utf-8")  # a value that can be written


def test_a_lone_surrogate_in_json_is_s007_in_every_command(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "c.json"
    path.write_text('{"objective": "OUTCOME_LEADS", "special_ad_categories": [],\n'
                    ' "name": "spring\\ud800"}\n')
    result = check_source(Source(str(path), path.read_text()))
    assert ("S007", 2, 10) in {(d.code, d.span.line, d.span.column) for d in result.diagnostics}
    for argv in (["check", str(path)], ["compile", str(path)], ["import", str(path)]):
        status, out, err = run(argv, capsys)
        assert status == 1 and "S007" in out + err, argv
    status, _, err = run(["graph", str(path)], capsys)
    assert status in (0, 1) and "internal error" not in err


# -- 12. crashes that are diagnostics ----------------------------------------------------------

DIGITS = "7" * 4400
DEEP_WELCOME = json.dumps({"name": "c", "object_story_spec": {
    "page_id": "111222333444", "link_data": {
        "page_welcome_message": "[" * 50_000 + "]" * 50_000,
        "call_to_action": {"type": "MESSAGE_PAGE"}}}})
HOSTILE = {
    "dsl-digits.adflow": seed_with(f"  daily_budget {DIGITS}"),
    "raw-digits.adflow": seed_with(f"  raw foo {DIGITS}"),
    "raw-007.adflow": seed_with("  raw x 007"),
    "raw-1e400.adflow": seed_with("  raw foo 1e400"),
    "raw-underflow.adflow": seed_with("  raw foo 1e-400"),
    "dsl-1e400.adflow": seed_with("  daily_budget 1e400"),
    "brackets.adflow": "]" * 300 + "\n" + seed_with("  raw foo " + "[" * 290 + "]" * 290),
    "lsep.adflow": SEED.replace("\n", "\u2028"),
    "surrogates.adflow": SEED.replace('"Quote request"', r'"\uD83D\uD83D\uDE00"'),
    "esc.adflow": SEED.replace('"Quote request"', '"\x1b]52;c;aGk=\x07\x1b[2J"'),
    "digits.json": '{"objective": "OUTCOME_LEADS", "name": "x", "daily_budget": ' + DIGITS + "}",
    "inf.json": '{"objective": "OUTCOME_LEADS", "name": "x", "daily_budget": 1e400}',
    "lone.json": '{"objective": "OUTCOME_LEADS", "name": "x\\ud800"}',
    "keys.json": '{"objective": "OUTCOME_LEADS", "name": "x", "]": 1, "\\n": 2, "a-b": 3}',
    "welcome.json": DEEP_WELCOME,
    "welcome-inf.json": DEEP_WELCOME.replace("[" * 50_000 + "]" * 50_000, '{\\"a\\": 1e400}'),
}
COMMANDS = [["check"], ["compile"], ["compile", "--emit", "curl"], ["graph"], ["paths"],
            ["preview"], ["import"], ["fmt", "--check"], ["simulate", "--all-paths"]]


@pytest.mark.slow
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: "-".join(c))
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_is_a_diagnostic_never_a_crash(
        name: str, command: list[str], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / name
    path.write_text(HOSTILE[name], encoding="utf-8")
    status, out, err = run([command[0], str(path), *command[1:]], capsys)
    assert "internal error" not in err
    # 2 only for what is a usage error here: a file with no lead form to walk.
    assert status in (0, 1) or "lead form" in err, (status, err)
    assert "Infinity" not in out and "\x1b" not in err
    if command[0] in ("check", "paths", "simulate"):  # text for people, not a file format
        assert "\x1b" not in out


@pytest.mark.parametrize("line, column, words", [
    (f"  daily_budget {DIGITS}", 16, "4,400 digits, over the limit of 4,300"),
    (f"  raw foo {DIGITS}", 11, "4,400 digits"),
    ("  raw x 007", 9, "leading zeros"),
    ("  raw foo 1e400", 11, "too large"),
    ("  daily_budget 1e400", 16, "too large"),
    ("  raw foo [1, -1e999]", 15, "too large"),
    ("  raw foo 1e-400", 11, "sent as 0"),
])
def test_numbers_meta_cannot_receive_are_s007_with_a_position(
        line: str, column: int, words: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    text = seed_with(line)
    number = text[:text.index(line)].count("\n") + 1
    result = check_source(Source("x.adflow", text))
    [d] = [d for d in result.diagnostics if d.code == "S007"]
    assert (d.span.line, d.span.column) == (number, column) and words in d.message
    path = tmp_path / "x.adflow"
    path.write_text(text, encoding="utf-8")
    status, out, _ = run(["compile", str(path)], capsys)
    assert status == 1 and "Infinity" not in out and out == ""


def test_json_numbers_meta_cannot_receive_are_s007(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    for value, words in ((DIGITS, "4,400 digits"), ("1e400", "too large"),
                         ("-1E+999", "too large")):
        text = '{"objective": "OUTCOME_LEADS",\n "daily_budget": ' + value + "}"
        [d] = [d for d in check_source(Source("c.json", text)).diagnostics if d.code == "S007"]
        assert (d.span.line, d.span.column) == (2, 18) and words in d.message
        path = tmp_path / "c.json"
        path.write_text(text)
        for command in ("compile", "import"):
            status, out, err = run([command, str(path)], capsys)
            assert status == 1 and "S007" in err and out == ""  # never Infinity, nor a stand-in


def test_unmatched_closers_do_not_lift_the_nesting_limit() -> None:
    found = codes_at(HOSTILE["brackets.adflow"])
    assert any(code == "S004" for code, _, _ in found)


def test_deep_json_in_a_welcome_message_is_s004(tmp_path: Path) -> None:
    result = check_source(Source("c.json", DEEP_WELCOME))
    [d] = [d for d in result.diagnostics if d.code == "S004"]
    assert "page_welcome_message" in d.message and d.span.column == DEEP_WELCOME.index('"[[') + 1


def test_import_of_fields_no_raw_can_name_is_s006(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "keys.json"
    path.write_text(HOSTILE["keys.json"])
    out_file = tmp_path / "keys.adflow"
    status, _, err = run(["import", str(path), "-o", str(out_file)], capsys)
    assert status == 1 and not out_file.exists()
    assert err.count("S006") == 3 and 'field "]" cannot be written' in err
    assert 'field "\\n"' in err  # the key as JSON writes it, not a raw line break


@pytest.mark.parametrize("where, words", [("missing/out.json", "No such file or directory"),
                                          (".", "Is a directory"),
                                          ("/dev/full", "No space left on device")])
def test_output_that_cannot_be_written_is_a_usage_error(
        where: str, words: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    Path("f.adflow").write_text(SEED, encoding="utf-8")
    for argv in (["compile", "f.adflow"], ["check", "f.adflow"], ["graph", "f.adflow"]):
        status, _, err = run(argv + ["-o", where], capsys)
        assert status == 2 and f"cannot write {where}: {words}" in err, err


@pytest.mark.tools
@pytest.mark.parametrize("redirect, words", [(">&-", "it is closed"),
                                             (">/dev/full", "No space left on device")])
@pytest.mark.parametrize("command", ["check", "compile", "paths"])
def test_stdout_that_cannot_be_written_is_a_usage_error(
        redirect: str, words: str, command: str, tmp_path: Path) -> None:
    (tmp_path / "f.adflow").write_text(SEED, encoding="utf-8")
    done = subprocess.run(["bash", "-c", f'"{ADFLOW}" {command} f.adflow {redirect}'],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert done.stderr == f"adflow: error: cannot write to standard output: {words}\n"


def test_reading_counts_the_bytes_read_not_the_size_reported() -> None:
    """/dev/zero reports size 0 and never ends: the read stops past the limit."""
    with pytest.raises(InputError) as caught:
        read(Path("/dev/zero"), max_bytes=1000)
    assert caught.value.code == "S004" and "limit of 1,000 bytes" in caught.value.message


@pytest.mark.slow
def test_devices_and_fifos_are_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "forms"
    folder.mkdir()
    (folder / "form.adflow").write_text(SEED, encoding="utf-8")
    os.mkfifo(folder / "pipe.adflow")  # nobody writes to it: reading would block forever
    done = subprocess.run([ADFLOW, "check", str(folder)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0 and "1 file checked" in done.stdout, done.stderr
    for argv in (["check", str(folder / "pipe.adflow")], ["check", "/dev/zero"],
                 ["fmt", str(folder / "pipe.adflow")], ["compile", str(folder / "pipe.adflow")]):
        done = subprocess.run([ADFLOW, *argv], capture_output=True, text=True, timeout=60)
        assert done.returncode == 2 and "is not a regular file" in done.stderr, argv


# -- 13. control characters never reach the terminal -------------------------------------------

OSC52 = "\x1b]52;c;aGVsbG8=\x07"  # sets the clipboard in terminals that allow it
CLEAR = "\x1b[2J"


def test_check_shows_control_characters_escaped(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    text = SEED.replace("required validate {", f"required validate {{  # {OSC52}{CLEAR}")
    path = tmp_path / f"form{CLEAR}.adflow"
    path.write_text(text, encoding="utf-8")
    status, out, _ = run(["check", "--color", "never", str(path)], capsys)
    assert "\x1b" not in out and "\x07" not in out
    assert "# \\x1b]52;c;aGVsbG8=\\x07\\x1b[2J" in out
    assert "form\\x1b[2J.adflow:14:80: F010" in out


def test_the_caret_stays_under_the_finding_after_escapes() -> None:
    from adflow.compiler.findings.report import render_text

    text = f'account act_1 {CLEAR}\n'
    result = check_source(Source("x.adflow", text))
    lines = render_text([result], colour=False).splitlines()
    shown, caret = lines[1], lines[2]
    assert shown == " 1 | account act_1 \\x1b[2J"
    assert caret.index("^") == shown.index("\\x1b") and caret.count("^") == len("\\x1b")


def test_a_message_quoting_user_text_is_escaped(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "c.json"
    key = json.dumps(OSC52)[1:-1]  # the key as JSON escapes, decoded into the message
    path.write_text('{"objective": "OUTCOME_LEADS", "special_ad_categories": [],\n'
                    f' "{key}": 1}}\n')
    status, out, _ = run(["check", "--color", "never", str(path)], capsys)
    assert "A011 '\\x1b]52;c;aGVsbG8=\\x07' is not a parameter" in out
    assert "\x1b" not in out


def test_simulate_shows_control_characters_escaped(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    text = SEED.replace('"What city do you live in?"', f'"{OSC52}What city?{CLEAR}"')
    path = tmp_path / "form.adflow"
    path.write_text(text, encoding="utf-8")
    status, out, err = run(["simulate", str(path), "--answers",
                            f"Yes,Austin{CLEAR},+1 555 010 0000,a@b.example"], capsys)
    assert status == 0, err
    assert "\x1b" not in out + err and "\x07" not in out
    assert "bot  \\x1b]52;c;aGVsbG8=\\x07What city?\\x1b[2J" in out
    assert "you  Austin\\x1b[2J" in out
    status, out, err = run(["simulate", str(path), "--all-paths"], capsys)
    assert "\x1b" not in out and "\\x1b]52" in out


@pytest.mark.tools
def test_output_to_a_device_or_pipe_is_written_in_place(tmp_path: Path) -> None:
    """/dev/stdout on a pipe resolves to no path: it cannot be replaced, only written."""
    (tmp_path / "f.adflow").write_text(SEED, encoding="utf-8")
    piped = f'"{ADFLOW}" compile f.adflow -o /dev/stdout | head -c 40'
    done = subprocess.run(["bash", "-c", piped], cwd=tmp_path, capture_output=True, text=True,
                          timeout=60)
    assert done.stdout.startswith('{\n  "format": "adflow.plan/1"'), done.stderr
    done = subprocess.run([ADFLOW, "compile", "f.adflow", "-o", "/dev/null"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and Path("/dev/null").is_char_device()


def test_fmt_names_files_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / f"a{CLEAR}.adflow").write_text(SEED.replace("\n  ", "\n    "), encoding="utf-8")
    status, out, err = run(["fmt", "--check", str(tmp_path)], capsys)
    assert status == 1 and "\x1b" not in out + err
    assert out == f"would reformat {tmp_path}/a\\x1b[2J.adflow\n"


def test_the_temporary_file_of_an_atomic_write_is_new_and_private(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Made as tempfile.mkstemp makes it: a name nobody planted (a link
    there is never followed), readable by its owner alone until renamed."""
    from adflow.compiler.project import files

    target = tmp_path / "plan.json"
    monkeypatch.setattr(files.os, "urandom", lambda n: b"\0" * n)
    planted = tmp_path / f".plan.json.{'00' * 6}.tmp"
    victim = tmp_path / "victim"
    victim.write_text("keep")
    planted.symlink_to(victim)
    with pytest.raises(FileExistsError):
        files.write_atomic(target, "{}\n")
    assert victim.read_text() == "keep" and not target.exists()
    planted.unlink()
    fd, name = files._temporary(str(tmp_path), "plan.json")
    os.close(fd)
    assert stat.S_IMODE(os.stat(name).st_mode) == 0o600
