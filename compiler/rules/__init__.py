"""The registry: every rule adflow knows, in one explicit list."""

from __future__ import annotations

from . import ads, creatives, deprecations, flow, refs, security, suppressions, syntax
from .base import Rule

ALL_RULES: list[Rule] = [*syntax.RULES, *refs.RULES, *flow.RULES, *ads.RULES,
                         *creatives.RULES, *deprecations.RULES, *security.RULES,
                         *suppressions.RULES]
BY_CODE: dict[str, Rule] = {r.code: r for r in ALL_RULES}
CHECKS: list[Rule] = [r for r in ALL_RULES if r.check is not None]
