"""The result cache stores and returns diagnostics exactly."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from adflow.compiler.pipeline import check_file
from adflow.compiler.project.cache import ResultCache
from conftest import SAMPLES


def test_round_trip_is_exact(tmp_path: Path) -> None:
    path = SAMPLES / "broken" / "flow_mistakes.adflow"
    diagnostics = check_file(path).diagnostics
    assert any(d.notes for d in diagnostics) and any(d.help for d in diagnostics)
    cache = ResultCache(tmp_path / "c")
    key = cache.key(str(path), path.read_bytes())
    assert cache.get(key) is None
    cache.put(key, diagnostics)
    assert cache.get(key) == diagnostics
    assert (tmp_path / "c" / "CACHEDIR.TAG").exists()


def test_key_depends_on_content_name_and_fingerprint(tmp_path: Path) -> None:
    a, b = ResultCache(tmp_path, "cfg1"), ResultCache(tmp_path, "cfg2")
    assert a.key("f", b"x") != a.key("f", b"y")
    assert a.key("f", b"x") != a.key("g", b"x")
    assert a.key("f", b"x") != b.key("f", b"x")


def test_damaged_entry_is_a_miss(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    key = cache.key("f", b"x")
    cache.put(key, [])
    (tmp_path / key[:2] / f"{key}.json").write_text("{not json")
    assert cache.get(key) is None


@pytest.mark.parametrize("planted", [
    "{}", "[]", "[1]", "null", '"x"', '{"key": "KEY"}', '{"key": "KEY", "diagnostics": {}}',
    '{"key": "KEY", "diagnostics": [1]}', '{"key": "KEY", "diagnostics": [{}]}',
    '{"key": "other", "diagnostics": []}',
    '{"key": "KEY", "diagnostics": [{"code": "F003", "severity": "fatal", "message": "m", '
    '"file": "f", "line": 1, "column": 1, "end_line": 1, "end_column": 2}]}',
    '{"key": "KEY", "diagnostics": [{"code": "F003", "severity": "error", "message": "m", '
    '"file": "f", "line": "1", "column": 1, "end_line": 1, "end_column": 2}]}',
    "[" * 100_000,
])
def test_an_entry_adflow_did_not_write_is_a_miss(tmp_path: Path, planted: str) -> None:
    cache = ResultCache(tmp_path)
    key = cache.key("f", b"x")
    cache.put(key, [])
    (tmp_path / key[:2] / f"{key}.json").write_text(planted.replace("KEY", key))
    assert cache.get(key) is None


def test_a_fifo_in_the_cache_is_a_miss_not_a_hang(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    key = cache.key("f", b"x")
    cache.put(key, [])
    entry = tmp_path / key[:2] / f"{key}.json"
    entry.unlink()
    os.mkfifo(entry)
    assert cache.get(key) is None


def test_a_file_saved_during_a_check_never_stores_a_stale_answer(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The key and the findings come from one read of the file: a save
    between two reads stored the new file's findings under the old file's
    key, so the old (broken) text was later answered as clean."""
    broken = (SAMPLES / "broken" / "flow_mistakes.adflow").read_bytes()
    clean = (SAMPLES / "seed_lead_form.adflow").read_bytes()
    path = tmp_path / "f.adflow"
    path.write_bytes(broken)
    key = ResultCache.key

    def saved_meanwhile(self: ResultCache, display: str, data: bytes) -> str:
        path.write_bytes(clean)  # the editor saves while adflow checks
        return key(self, display, data)

    monkeypatch.setattr(ResultCache, "key", saved_meanwhile)
    first = check_file(path, cache_dir=tmp_path / "cache")
    assert first.errors > 0  # what was read is what was checked
    monkeypatch.setattr(ResultCache, "key", key)
    path.write_bytes(broken)
    again = check_file(path, cache_dir=tmp_path / "cache")
    assert again.document is None  # a hit
    assert again.diagnostics == first.diagnostics


@pytest.mark.slow
def test_check_answers_an_unchanged_file_from_the_cache(tmp_path: Path) -> None:
    import subprocess

    from conftest import ADFLOW

    source = (SAMPLES / "broken" / "flow_mistakes.adflow").read_text()
    (tmp_path / "f.adflow").write_text(source)

    def check(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([ADFLOW, "check", "f.adflow", *extra], cwd=tmp_path,
                              capture_output=True, text=True, timeout=60)

    first = check()
    entries = list((tmp_path / ".adflow_cache").rglob("*.json"))
    assert len(entries) == 1
    # Plant a different answer: only a cache hit can return it.
    entries[0].write_text(json.dumps({"key": entries[0].stem, "diagnostics": []}))
    assert check().stdout.startswith("1 file checked: 0 errors")
    assert check("--no-cache").stdout == first.stdout
    (tmp_path / "f.adflow").write_text(source + "\n")  # changed: checked afresh
    assert "F003" in check().stdout
    assert check("--cache-dir", "elsewhere").stdout == first.stdout
    assert (tmp_path / "elsewhere" / "CACHEDIR.TAG").exists()


def test_a_cache_hit_imports_neither_parser_nor_rules(
        tmp_path: Path, bare_python: tuple[list[str], dict[str, str]]) -> None:
    """What keeps a re-check cheap in pre-commit: the answer comes before
    Lark, the rules or the schemas are even imported."""
    import subprocess

    (tmp_path / "f.adflow").write_text((SAMPLES / "seed_lead_form.adflow").read_text())
    python, env = bare_python

    def imported() -> set[str]:
        # As the console script starts it (`-m` would import runpy's contextlib).
        run = subprocess.run([*python, "-X", "importtime", "-c", "import sys\nfrom adflow."
                              "compiler.cli.main import main\nsys.exit(main())",
                              "check", "f.adflow"], cwd=tmp_path, capture_output=True,
                             text=True, timeout=60, env=env)
        assert run.returncode == 0, run.stderr
        return {line.split("|")[-1].strip() for line in run.stderr.splitlines()
                if line.startswith("import time:")}

    first = imported()
    # The miss parses and checks, and writes its entry without tempfile
    # (which brings shutil, lzma, bz2 and random: 5 ms).
    assert {"adflow.compiler.front.descent", "adflow.compiler.rules"} <= first
    assert not {"tempfile", "shutil", "random"} & first
    hit = imported()
    assert not {"lark", "adflow.compiler.rules", "adflow.compiler.front.parser", "jsonschema",
                "adflow.compiler.facts.endpoints", "adflow.compiler.front.descent",
                "multiprocessing", "datetime", "typing", "shutil", "_hashlib",
                # pathlib brings urllib.parse and ipaddress: 5 ms, a sixth of a hit.
                "pathlib", "contextlib", "heapq"} & hit


def test_a_file_name_that_is_no_utf8_round_trips_through_the_cache(tmp_path: Path) -> None:
    name = os.fsdecode(b"a\xff.adflow")  # kept as a surrogate by the file system encoding
    path = tmp_path / name
    path.write_bytes((SAMPLES / "broken" / "flow_mistakes.adflow").read_bytes())
    first = check_file(path, cache_dir=tmp_path / "cache")
    again = check_file(path, cache_dir=tmp_path / "cache")
    assert first.document is not None and again.document is None  # the second was a hit
    assert again.diagnostics == first.diagnostics and first.errors > 0


def test_the_code_fingerprint_walk_never_follows_a_folder_link(tmp_path: Path) -> None:
    """A link back up the tree (a loop) is passed over, as rglob passes it."""
    from adflow.compiler.project.cache import _sources

    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "flow.py").write_text("")
    (tmp_path / "rules" / "up").symlink_to(tmp_path, target_is_directory=True)
    assert [Path(p).name for p, _, _ in _sources([str(tmp_path)])] == ["flow.py"]
