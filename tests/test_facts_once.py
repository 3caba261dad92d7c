"""Each fact about the Graph API is kept once, in compiler/facts/: no other
module of the package writes a second copy of one of its enums, and the
tables other modules key by Meta's values (labels, sample answers) know
exactly the values the facts do."""

from __future__ import annotations

import ast
import importlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from adflow.compiler.bodies.fields import BOOLEAN, STEP_TYPES
from adflow.compiler.facts.adsets import ALL_DESTINATION_TYPES
from adflow.compiler.facts.creatives import ALL_CALL_TO_ACTION_TYPES
from adflow.compiler.facts.lead_forms import LEAD_FORM_PREFILL_TYPES, LEAD_FORM_STEP_TYPES
from adflow.compiler.facts.parameters import BOOLEAN_TEXT
from adflow.compiler.tools.flowgraph import END_IN_APP, STEP_KINDS
from adflow.compiler.tools.simulate import SAMPLE_PREFILL
from adflow.emitters.preview import CTA_LABELS, DESTINATIONS, PREFILL_HINTS
from conftest import ROOT

FACTS = ROOT / "compiler" / "facts"
META_VALUE = re.compile(r"[A-Z][A-Z0-9_]*")


def _strings(value: Any) -> frozenset[str] | None:
    if (isinstance(value, (frozenset, tuple)) and len(value) >= 2
            and all(isinstance(v, str) for v in value)):
        return frozenset(value)
    return None


def fact_collections() -> dict[str, frozenset[str]]:
    """Every collection of strings the facts hold, by name: sets and tuples,
    the entries of tables, a table's values, and its keys when they are Meta's
    values (tables keyed by endpoint or object kind use adflow's names)."""
    out: dict[str, frozenset[str]] = {}
    for path in sorted(FACTS.glob("*.py")):
        module = importlib.import_module(f"adflow.compiler.facts.{path.stem}")
        for name, value in vars(module).items():
            if name.startswith("_"):
                continue
            if (found := _strings(value)) is not None:
                out[f"{path.stem}.{name}"] = found
            if not isinstance(value, dict):
                continue
            keys = frozenset(k for k in value if isinstance(k, str))
            if len(keys) >= 2 and all(META_VALUE.fullmatch(k) for k in keys):
                out[f"{path.stem}.{name} (keys)"] = keys
            values = _strings(tuple(value.values()))
            if values is not None and len(values) >= 2:
                out[f"{path.stem}.{name} (values)"] = values
            for key, entry in value.items():
                if (found := _strings(entry)) is not None:
                    out[f"{path.stem}.{name}[{key}]"] = found
    return out


def literal_collections(tree: ast.AST) -> Iterator[tuple[int, frozenset[str]]]:
    """(line, values) of each set, tuple or list written out of two or more
    strings. A dict's keys are not one: a table keyed by values is tested below."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.Set, ast.Tuple, ast.List)) and len(node.elts) >= 2 and all(
                isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts):
            yield node.lineno, frozenset(e.value for e in node.elts if isinstance(e, ast.Constant))


def copies(source: str, facts: dict[str, frozenset[str]]) -> list[str]:
    """Where `source` writes a fact again: a collection equal to one of the
    facts, or some of the values of an enum of Meta's values (UPPER_CASE)."""
    found = []
    for line, values in literal_collections(ast.parse(source)):
        names = [name for name, fact in facts.items() if values == fact
                 or (values <= fact and all(META_VALUE.fullmatch(v) for v in fact))]
        if names:
            found.append(f"line {line}: {sorted(values)} is in {', '.join(names)}")
    return found


def package_modules() -> list[Path]:
    paths = [*(ROOT / "compiler").rglob("*.py"), *(ROOT / "emitters").rglob("*.py")]
    return sorted(p for p in paths if p.parent != FACTS)


def test_the_facts_hold_meta_enums() -> None:
    facts = fact_collections()
    assert facts["lead_forms.LEAD_FORM_TERMINAL_STEP_TYPES"] == {"CONFIRMATION", "DISQUALIFY"}
    assert facts["creatives.APP_OF_BUTTON (keys)"] == {
        "MESSAGE_PAGE", "INSTAGRAM_MESSAGE", "WHATSAPP_MESSAGE"}
    assert "parameters.POST_PARAMETERS (keys)" not in facts  # endpoints: adflow's names


@pytest.mark.parametrize("source, expected", [
    ('CTA = frozenset({"MESSAGE_PAGE", "INSTAGRAM_MESSAGE", "WHATSAPP_MESSAGE"})',
     "creatives.APP_OF_BUTTON (keys)"),
    ('if step.type in ("INTRO", "QUESTION"): pass', "lead_forms.LEAD_FORM_STEP_TYPES"),
    ('PARENTS = ("link_data", "video_data", "photo_data", "text_data")',
     "creatives.STORY_MEDIA_KEYS"),
])
def test_a_second_copy_is_found(source: str, expected: str) -> None:
    found = copies(source, fact_collections())
    assert len(found) == 1 and expected in found[0]


def test_words_that_only_look_like_a_fact_are_not_copies() -> None:
    facts = fact_collections()
    assert copies('STATES = ("create", "update")', facts) == []
    assert copies('KEYS = ("daily_budget", "name")', facts) == []  # parameter names, not a set
    assert copies('LABELS = {"INTRO": "start", "QUESTION": "ask"}', facts) == []  # a table


@pytest.mark.parametrize("path", package_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_keeps_a_fact_of_its_own(path: Path) -> None:
    assert copies(path.read_text(encoding="utf-8"), fact_collections()) == []


def test_tables_keyed_by_meta_values_know_the_facts_values() -> None:
    assert set(STEP_KINDS) == LEAD_FORM_STEP_TYPES
    assert set(STEP_TYPES.values()) == LEAD_FORM_STEP_TYPES
    assert set(SAMPLE_PREFILL) == LEAD_FORM_PREFILL_TYPES
    assert set(PREFILL_HINTS) == LEAD_FORM_PREFILL_TYPES
    assert set(CTA_LABELS) <= ALL_CALL_TO_ACTION_TYPES
    assert set(DESTINATIONS) <= ALL_DESTINATION_TYPES
    assert set(END_IN_APP) <= ALL_DESTINATION_TYPES
    assert set(BOOLEAN_TEXT) == BOOLEAN
