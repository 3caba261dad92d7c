"""docs/reference.md, the language reference: current with compiler/bodies/fields.py,
and its examples and words are the language's."""

from __future__ import annotations

import re

import pytest
from adflow.compiler.bodies import fields
from adflow.compiler.front.source import Source
from adflow.compiler.pipeline import check_source
from adflow.compiler.tools.reference import PREAMBLE, page
from conftest import ROOT

PAGE = ROOT / "docs" / "reference.md"
REGENERATE = "python -m adflow.compiler.tools.reference -o docs/reference.md"


def test_the_page_is_current() -> None:
    assert PAGE.is_file(), f"docs/reference.md is missing: {REGENERATE}"
    assert PAGE.read_text(encoding="utf-8") == page(), f"docs/reference.md is stale: {REGENERATE}"


@pytest.mark.parametrize("table", sorted(fields.BLOCKS), ids=str)
def test_every_member_of_every_table_is_on_the_page(table: str) -> None:
    text = page()
    for row in fields.BLOCKS[table].values():
        assert f"| `{row.head}` |" in text, (table, row.head)
        if row.help:
            assert row.help.replace("|", "\\|") in text, (table, row.head)


def test_a_row_added_to_the_table_shows_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """What another engineer adds to fields.py (e.g. WhatsApp members) is picked up."""
    extra = fields.Field("whatsapp_number", "whatsapp.number", fields.STRING,
                         help="The WhatsApp number the chat opens with.")
    monkeypatch.setitem(fields.CREATIVE, extra.head, extra)
    assert "| `whatsapp_number` |" in page() and "The WhatsApp number" in page()


def test_the_pages_examples_check_without_errors() -> None:
    examples = re.findall(r"```adflow\n(.*?)```", page(), re.S)
    assert len(examples) >= 3
    for number, text in enumerate(examples, start=1):
        source = text if text == PREAMBLE else PREAMBLE + text
        result = check_source(Source(f"reference example {number}", source))
        errors = [f"{d.code} {d.message}" for d in result.diagnostics
                  if d.severity.value == "error"]
        assert not errors, (number, errors)


def test_the_hand_written_words_are_the_languages() -> None:
    """Step words, step options, welcome forms and the subscribe block's
    words all appear, so a renamed word cannot leave the page behind."""
    text = page()
    for word in [*fields.STEP_TYPES, *fields.STEP_MODIFIERS, *fields.WELCOME_FORMS,
                 *fields.SUBSCRIBE_ELEMENT, *fields.SUBSCRIBE_BUTTON, *fields.IMAGE_OPTIONS]:
        assert f"`{word}" in text or f" {word} " in text, word
    assert "=>" in text and "ice breakers" in text


def test_the_readme_links_the_reference() -> None:
    assert "(docs/reference.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
