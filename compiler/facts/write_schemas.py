"""Writes the facts into the request schemas (endpoints/*.schema.json), so that
each value is kept once: here in Python, never again by hand in JSON.

A schema object names where a keyword's value comes from with `x-facts`:
`{"x-facts": {"enum": "adsets.COUNTRY_CODES"}, "enum": [...]}` fills `enum`
from COUNTRY_CODES in compiler/facts/adsets.py (a frozenset sorted, a tuple in
its order), `{"x-facts": {"maxLength": "limits.WELCOME_TEXT"}}` fills
`maxLength` with the limit's value, and `campaigns.EXECUTION_OPTIONS[ads]`
takes one entry of a table. Validators ignore `x-` keywords.

`make schemas` runs this module; tests/test_schemas.py fails when a schema
file differs from what it writes. Nothing on the check path imports it: the
files it writes are read as they are.
"""

from __future__ import annotations

import importlib
import json
import re
import sys
from pathlib import Path
from typing import Any

from .. import generated
from .limits import Limit

ENDPOINTS_DIR = Path(__file__).with_name("endpoints")
MARK = "x-facts"
_NAME = re.compile(r"(?P<module>[a-z_]+)\.(?P<name>[A-Z][A-Z0-9_]*)(?:\[(?P<key>[a-z_]+)\])?")


def fact(reference: str) -> Any:
    """The value `module.NAME` or `module.NAME[key]` names, as JSON takes it."""
    found = _NAME.fullmatch(reference)
    if found is None:
        raise ValueError(f"{MARK}: not a fact's name: {reference!r}")
    module = importlib.import_module(f"{__package__}.{found['module']}")
    value = getattr(module, found["name"])
    if found["key"] is not None:
        value = value[found["key"]]
    if isinstance(value, Limit):
        return value.value
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def filled(node: Any) -> Any:
    """The schema with every marked keyword set from the facts."""
    if isinstance(node, list):
        return [filled(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: filled(value) for key, value in node.items()}
    for keyword, reference in node.get(MARK, {}).items():
        out[keyword] = fact(reference)
    return out


def text(schema: Any) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def written(path: Path) -> str:
    """What the schema file at `path` should hold."""
    return text(filled(json.loads(path.read_text(encoding="utf-8"))))


def schema_files() -> list[Path]:
    return sorted(ENDPOINTS_DIR.glob("*.schema.json"))


def main(argv: list[str] | None = None) -> int:
    return generated.main("adflow.compiler.facts.write_schemas", __doc__ or "",
                          lambda: {path: written(path) for path in schema_files()}, argv)


if __name__ == "__main__":
    sys.exit(main())
