"""What Meta deprecated, from which version or day, and the rule that reports
it (the Graph API changelogs)."""

from __future__ import annotations

from ..lean import NamedTuple
from .sources import CTM_GUIDE, changelog
from .versions import at_least


class Deprecation(NamedTuple):
    since: tuple[int, int] | None  # first API version affected; None: every version
    what: str
    code: str  # the adflow rule that reports it
    source: str
    on: str | None = None  # the day it took effect (YYYY-MM-DD), when that is what matters
    certain: bool = True  # False: announced, but whether ads are affected is unclear


# Keyed by a stable name; `deprecated()` also takes the rule code.
DEPRECATIONS: dict[str, Deprecation] = {
    "lead_forms_via_api": Deprecation(
        (24, 0), "creating Messenger Ads for Leads through the API is deprecated "
                 "(Ads Manager still can)", "D001", changelog("v24.0")),
    "standard_enhancements": Deprecation(
        (22, 0), "the standard-enhancements bundle is deprecated and Meta refuses it on create "
                 "(error 100/3858504); opt in to each creative feature instead", "D002",
        changelog("v22.0") + " (Meta error 3858082, 3858504)"),
    "marketing_messages": Deprecation(
        None, "Messenger marketing (notification) messages, which Click-to-Subscribe relies "
              "on, were announced discontinued", "D003", CTM_GUIDE,
        on="2026-02-10", certain=False),
    "instagram_actor_id": Deprecation(
        None, "instagram_actor_id no longer works in any API version; use instagram_user_id",
        "C011", changelog("v22.0") + " (gone from every version on 9 Sep 2025)",
        on="2025-09-09"),
    "adset_budget_sharing": Deprecation(
        (24, 0), "a campaign without a campaign budget must send "
                 "is_adset_budget_sharing_enabled", "A006", changelog("v24.0")),
}
MARKETING_MESSAGES_RETIRED = "2026-02-10"  # (uncertain for ads: a warning)


def deprecation(key: str) -> Deprecation:
    """By name ("lead_forms_via_api") or rule code ("D001"); KeyError if neither."""
    found = DEPRECATIONS.get(key)
    if found is None:
        found = next((d for d in DEPRECATIONS.values() if d.code == key), None)
    if found is None:
        raise KeyError(key)
    return found


def deprecated(key: str, version: str) -> bool:
    """Whether the deprecation `key` (name or code) applies to `version`.
    Date-based ones apply to every version; a malformed version to none."""
    since = deprecation(key).since
    if since is None:
        return True
    return at_least(version, since)
