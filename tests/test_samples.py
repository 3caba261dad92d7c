"""Golden diagnostics for every sample, rebuilt with `pytest --update-golden`:
the one place that pins what all the rules together report on a sample (a
rule's fixtures pin only its own code: tests/test_rule_fixtures.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from adflow.compiler.pipeline import check_file
from conftest import GOLDEN, ROOT, SAMPLES, check_golden

ALL = sorted(p for p in SAMPLES.rglob("*") if p.suffix in (".adflow", ".json"))


def golden_of(sample: Path) -> Path:
    return GOLDEN / "diagnostics" / (str(sample.relative_to(SAMPLES)).replace("/", "__") + ".json")


@pytest.mark.parametrize("path", ALL, ids=lambda p: str(p.relative_to(SAMPLES)))
def test_sample_diagnostics_match_golden(path: Path, update_golden: bool) -> None:
    result = check_file(path, display=str(path.relative_to(ROOT)))
    actual = json.dumps([d.to_json() for d in result.diagnostics], indent=2,
                        ensure_ascii=False) + "\n"
    check_golden(golden_of(path), actual, update_golden)


def test_each_golden_belongs_to_a_sample() -> None:
    """One golden per sample: none left from a sample renamed or removed."""
    stale = set((GOLDEN / "diagnostics").iterdir()) - {golden_of(p) for p in ALL}
    assert not stale, f"goldens of no sample: {sorted(p.name for p in stale)}"


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.adflow")), ids=lambda p: p.name)
def test_top_level_samples_have_no_errors(path: Path) -> None:
    assert check_file(path).errors == 0


def test_broken_samples_do_have_errors() -> None:
    for path in sorted((SAMPLES / "broken").glob("*")):
        assert check_file(path).errors > 0, path
