"""One bad and one good fixture per rule code under tests/fixtures/<CODE>/.

A fixture is about the rule its folder names, like ruff's one-rule fixtures
and sqlfluff's `rule:` cases: it checks that rule's findings and the front
end's (the S and R codes the parser and resolver report, which mean the
fixture itself is broken), never another rule's, so a change to one rule
touches its own fixtures only. The samples' golden files
(tests/test_samples.py) are where all rules meet.

A bad fixture marks each expected finding with `# expect: CODE[, CODE]` on
the line it must be reported at; the test asserts the exact set of
(code, line) pairs of those codes, so a missing, extra or misplaced finding
fails. A good fixture must check with none of them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from adflow.compiler import rules
from adflow.compiler.front.source import Source
from adflow.compiler.pipeline import check_source
from adflow.compiler.rules import ads, creatives, deprecations, flow, refs, security, syntax

FIXTURES = Path(__file__).parent / "fixtures"
_EXPECT = re.compile(r"#\s*expect:\s*([A-Z0-9, ]+)")
# The front end's codes (S and R codes no check reports: the reader, parser
# and resolver raise them) mean the fixture itself is broken: every fixture
# checks them. Not S008: the schema step reports it after the rules, and only
# where none of them reported an error.
FRONT_END = {r.code for r in [*syntax.RULES, *refs.RULES] if r.check is None} - {syntax.S008.code}


def concerns(code: str, found: str) -> bool:
    """Whether a finding is one the fixture for `code` checks."""
    return found == code or found in FRONT_END


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


def found_pairs(path: Path, code: str) -> set[tuple[str, int]]:
    """The findings the fixture for `code` checks, from the whole pipeline."""
    result = check_source(Source(str(path), path.read_text(encoding="utf-8")))
    return {(d.code, d.span.line) for d in result.diagnostics if concerns(code, d.code)}


def fixture(code: str, kind: str) -> Path:
    return next((FIXTURES / code).glob(f"{kind}.*"))


def expected_and_found(code: str, kind: str) -> tuple[set[tuple[str, int]], set[tuple[str, int]]]:
    """For a "bad" or "good" fixture. A JSON fixture's expect.txt is the bad one's."""
    path = fixture(code, kind)
    expected = expected_pairs(path) if kind == "bad" or path.suffix != ".json" else set()
    return expected, found_pairs(path, code)


CASES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


def holds(code: str, kind: str) -> bool:
    expected, found = expected_and_found(code, kind)
    return expected == found


def failing() -> set[tuple[str, str]]:
    """The fixtures whose expectations do not hold, as (code, kind)."""
    return {(code, kind) for code in CASES for kind in ("bad", "good") if not holds(code, kind)}


@pytest.mark.parametrize("code", CASES)
def test_fixtures_expect_only_their_own_and_front_end_codes(code: str) -> None:
    for kind in ("bad", "good"):
        expected, _ = expected_and_found(code, kind)
        others = sorted(c for c, _ in expected if not concerns(code, c))
        assert not others, f"{fixture(code, kind)} expects other rules' codes {others}"


@pytest.mark.parametrize("code", CASES)
def test_bad_fixture_fires_exactly(code: str) -> None:
    expected, found = expected_and_found(code, "bad")
    assert any(c == code for c, _ in expected), "the bad fixture must expect its own code"
    assert found == expected


@pytest.mark.parametrize("code", CASES)
def test_good_fixture_does_not_fire(code: str) -> None:
    """A good fixture never fires its code, nor (unless marked with
    `# expect:`, as a bad one is) a front-end one."""
    expected, found = expected_and_found(code, "good")
    assert all(c != code for c, _ in expected)
    assert found == expected


def test_every_checked_rule_has_fixtures() -> None:
    """Each rule a check reports, and the syntax codes a .adflow file can
    trigger, has a fixture pair. (S002-S005 concern whole inputs and are
    tested in test_inputs.py; S008 in test_cli.py; N001 in test_suppress.py.)"""
    need = {r.code for r in [*flow.RULES, *refs.RULES, *ads.RULES, *creatives.RULES,
                             *deprecations.RULES, *security.RULES]}
    need |= {"S001", "S006", "S007", "S009"}
    missing = sorted(need - set(CASES))
    assert not missing, f"rules without fixtures: {missing}"


@pytest.mark.parametrize("off", ["F018", "A002", "A009"])
def test_switching_a_rule_off_fails_its_own_fixtures_only(
        off: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rules other fixtures once expected most: with one of them out
    of the registry, only its own bad fixture notices."""
    assert failing() == set()
    monkeypatch.setattr(rules, "CHECKS", [r for r in rules.CHECKS if r.code != off])
    assert failing() == {(off, "bad")}


def test_each_fixture_holds_with_its_own_rule_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """All any change to the other rules leaves a fixture: the front end and
    its own rule's check (a front-end code's folder gets no check at all)."""
    everything = rules.CHECKS
    for code in CASES:
        monkeypatch.setattr(rules, "CHECKS", [r for r in everything if r.code == code])
        for kind in ("bad", "good"):
            assert holds(code, kind), (code, kind)


def test_a_fixture_with_a_syntax_error_fails(tmp_path: Path) -> None:
    """S codes are checked in every fixture: a typo in one is not ignored
    as another rule's business."""
    good = fixture("A005", "good")
    broken = tmp_path / good.name
    broken.write_text(good.read_text(encoding="utf-8").replace("daily_budget 2050",
                                                               "daily_budget = 2050"),
                      encoding="utf-8")
    assert expected_pairs(broken) == expected_pairs(good)
    assert ("S001", 3) in found_pairs(broken, "A005")
    assert found_pairs(broken, "A005") != expected_pairs(broken)
