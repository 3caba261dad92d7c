"""One bad and one good fixture per rule code under tests/fixtures/<CODE>/.

A bad fixture marks each expected finding with `# expect: CODE[, CODE]` on
the line it must be reported at; the test asserts the exact set of
(code, line) pairs, so a missing, extra or misplaced finding fails. A good
fixture must check with no findings at all.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from adflow.compiler.pipeline import check_source
from adflow.compiler.rules import ads, creatives, deprecations, flow, refs, security
from adflow.compiler.source import Source

FIXTURES = Path(__file__).parent / "fixtures"
_EXPECT = re.compile(r"#\s*expect:\s*([A-Z0-9, ]+)")


def expected_pairs(path: Path) -> set[tuple[str, int]]:
    """From `# expect:` comments, or for JSON (no comments) from the
    `expect.txt` beside it: one `CODE LINE` a line."""
    if path.suffix == ".json":
        rows = (path.parent / "expect.txt").read_text(encoding="utf-8").split("\n")
        return {(code, int(line)) for code, line in (r.split() for r in rows if r.strip())}
    text = path.read_text(encoding="utf-8")
    pairs = set()
    # split("\n"), not splitlines(): adflow breaks lines at LF only (X005)
    for number, line in enumerate(text.split("\n"), start=1):
        m = _EXPECT.search(line)
        if m:
            pairs |= {(code.strip(), number) for code in m.group(1).split(",") if code.strip()}
    return pairs


def found_pairs(path: Path) -> set[tuple[str, int]]:
    text = path.read_text(encoding="utf-8")
    result = check_source(Source(str(path), text))
    return {(d.code, d.span.line) for d in result.diagnostics}


CASES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


@pytest.mark.parametrize("code", CASES)
def test_bad_fixture_fires_exactly(code: str) -> None:
    bad = next((FIXTURES / code).glob("bad.*"))
    expected = expected_pairs(bad)
    assert any(c == code for c, _ in expected), "the bad fixture must expect its own code"
    assert found_pairs(bad) == expected


@pytest.mark.parametrize("code", CASES)
def test_good_fixture_does_not_fire(code: str) -> None:
    """A good fixture never fires its code; a fragment that needs context
    another rule asks for (an ad set without targeting, say) marks that
    finding with `# expect:` too, so nothing else goes unnoticed."""
    good = next((FIXTURES / code).glob("good.*"))
    expected = expected_pairs(good) if good.suffix != ".json" else set()
    assert all(c != code for c, _ in expected)
    assert found_pairs(good) == expected


def test_every_checked_rule_has_fixtures() -> None:
    """Each rule a check reports, and the syntax codes a .adflow file can
    trigger, has a fixture pair. (S002-S005 concern whole inputs and are
    tested in test_inputs.py; S008 in test_cli.py; N001 in test_suppress.py.)"""
    need = {r.code for r in [*flow.RULES, *refs.RULES, *ads.RULES, *creatives.RULES,
                             *deprecations.RULES, *security.RULES]}
    need |= {"S001", "S006", "S007", "S009"}
    missing = sorted(need - set(CASES))
    assert not missing, f"rules without fixtures: {missing}"
