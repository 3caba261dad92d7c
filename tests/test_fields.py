"""The field tables (compiler/bodies/fields.py): each row gives both directions, the
member read into the body and the body written back as that member."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from adflow.compiler.bodies import fields
from adflow.compiler.bodies.fields import Field
from adflow.compiler.bodies.model import Document
from adflow.compiler.bodies.resolve import resolve
from adflow.compiler.front.dsl import parse_file
from adflow.compiler.front.source import Source
from adflow.compiler.importer import import_document
from adflow.compiler.pipeline import check_source

# A value of each kind as a file writes it, and as the body then carries it.
SAMPLES: dict[str, tuple[str, Any]] = {
    fields.STRING: ('"Spring sale"', "Spring sale"),
    fields.LIST: ("[AB, CD]", ["AB", "CD"]),
    fields.VALUE: ("7", 7),
    fields.ID: ("123456", "123456"),
    fields.REF: ("123456", "123456"),  # an existing object's id
}
# Where each table's block is written, `{}` standing for its members.
WRAPPERS = {
    "lead_form": "lead_form x on 111222333444 {{\n{}\n}}",
    "campaign": "account act_1\ncampaign x {{\n{}\n}}",
    "adset": "account act_1\nadset x in 1 {{\n{}\n}}",
    "targeting": "account act_1\nadset x in 1 {{\ntargeting {{\n{}\n}}\n}}",
    "creative": "account act_1\ncreative x {{\n{}\n}}",
    "product_extensions": "account act_1\ncreative x {{\nproduct_extensions {{\n{}\n}}\n}}",
    "ad": "account act_1\nad x {{\n{}\n}}",
}
KIND_OF = {"targeting": "adset", "product_extensions": "creative"}
PREFIX = {"targeting": ("targeting",)}
PLAIN = [(block, row) for block, rows in fields.BLOCKS.items() for row in rows.values()
         if row.kind in SAMPLES]


def compiled(text: str) -> Document:
    tree, errors = parse_file(Source("t.adflow", text))
    assert tree is not None and not errors, errors
    return resolve(tree, "t.adflow")[0]


def at(body: dict[str, Any], path: tuple[str, ...]) -> Any:
    for key in path:
        body = body[key]
    return body


def test_every_table_has_rows_of_every_plain_kind() -> None:
    # The round trip below is only as good as the kinds it covers.
    assert {row.kind for _, row in PLAIN} == set(SAMPLES)
    assert len(PLAIN) >= 40


@pytest.mark.parametrize("block, row", PLAIN, ids=[f"{b}.{r.head}" for b, r in PLAIN])
def test_each_plain_row_reads_into_its_path_and_is_written_back_as_itself(
        block: str, row: Field) -> None:
    written, value = SAMPLES[row.kind]
    document = compiled(WRAPPERS[block].format(f"{row.head} {written}"))
    request = document.requests[0]
    assert request.kind == KIND_OF.get(block, block)
    assert at(request.body, PREFIX.get(block, ()) + row.keys) == value

    text = import_document(document, "t.json")
    lines = [line.strip() for line in text.splitlines()]
    assert any(line.split(" ", 1)[0] == row.head for line in lines), text
    top = (PREFIX.get(block, ()) + row.keys)[0]
    assert not any(line.startswith(f"raw {top} ") for line in lines), text  # not passed raw
    again = compiled(text).requests[0]
    assert again.body == request.body


@pytest.mark.parametrize("kind, rows", fields.TABLES.items())
def test_a_default_is_sent_when_the_field_is_left_out_and_not_written_back(
        kind: str, rows: dict[str, Field]) -> None:
    document = compiled(WRAPPERS[kind].format(""))
    body = document.requests[0].body
    defaults = {row.path: row.default for row in rows.values()
                if row.default is not fields.NO_DEFAULT}
    for path, default in defaults.items():
        assert body[path] == ("x" if default is fields.IDENTIFIER else default)
    text = import_document(document, "t.json")
    members = {line.strip().split(" ", 1)[0] for line in text.splitlines()}
    assert not members & {row.head for row in rows.values()}, text


# -- a field added by one row: Advantage+ audience -----------------------------------------
# Meta's "Advantage+ audience" page: from v23.0 a new ad set's targeting carries
# targeting_automation.advantage_audience, 1 (Meta may widen the audience) or 0
# (it may not); Meta's error reference lists "Advantage Audience Flag Required" among the
# errors a linter can prevent.

ADVANTAGE = """\
# imported from t.json by adflow import
api v25.0
account act_1234567890
page page_111222333444 111222333444

campaign spring {
  objective OUTCOME_ENGAGEMENT
  special_ad_categories [NONE]
  adset_budget_sharing false
}

adset spring_us in spring {
  optimization_goal CONVERSATIONS
  destination MESSENGER
  daily_budget 2000
  promoted_page page_111222333444
  targeting {
    countries [US]
    advantage_audience 0
  }
}
"""


def test_advantage_audience_goes_into_targeting_automation() -> None:
    result = check_source(Source("t.adflow", ADVANTAGE))
    assert [d.code for d in result.diagnostics] == []
    assert result.document is not None
    adset = result.document.requests[1].body
    assert adset["targeting"] == {"geo_locations": {"countries": ["US"]},
                                  "targeting_automation": {"advantage_audience": 0}}


def test_advantage_audience_round_trips_dsl_body_dsl() -> None:
    document = compiled(ADVANTAGE)
    assert import_document(document, "t.json") == ADVANTAGE


def test_an_imported_readback_says_advantage_audience_in_the_language() -> None:
    """An ad set as Meta reads it back: the flag becomes a member of the
    targeting block; only what the language lacks (location_types) stays raw."""
    path = Path(__file__).parent / "corpus" / "adset_readback_single.json"
    result = check_source(Source(path.name, path.read_text(encoding="utf-8")))
    assert result.document is not None
    lines = import_document(result.document, path.name).splitlines()
    block = lines[lines.index("  targeting {"):]
    assert block[:6] == ["  targeting {", "    countries [US]", "    age_min 18",
                         "    age_max 65", "    advantage_audience 0", "  }"]
    raw = next(line for line in lines if line.startswith("  raw targeting "))
    assert "location_types" in raw and "targeting_automation" not in raw
