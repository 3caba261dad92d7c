"""The registry: every rule adflow knows, in one explicit list."""

from __future__ import annotations

from . import flow, hygiene, refs, syntax, meta
from .base import Rule

ALL_RULES: list[Rule] = [*syntax.RULES, *refs.RULES, *flow.RULES, *meta.RULES, *hygiene.RULES]
BY_CODE: dict[str, Rule] = {r.code: r for r in ALL_RULES}
CHECKS: list[Rule] = [r for r in ALL_RULES if r.check is not None]
