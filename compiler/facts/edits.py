"""Change management: what Meta lets you edit in place, the error it answers
otherwise, and what it renames when a field is read back."""

from __future__ import annotations

# Source: each object's `#update` parameter list in Meta's SDK codegen specs
# (facebook-business-sdk-codegen api_specs/specs/*.json, v25). A top-level
# body field not listed here cannot be changed in place: `adflow plan` marks
# the object `replace` (a new one is created and whatever referred to the old
# one is pointed at it).

EDITABLE_FIELDS: dict[str, frozenset[str]] = {
    # special_ad_categories is "uncertain" in the notes: replacing is always safe.
    "campaign": frozenset({"name", "status", "daily_budget", "lifetime_budget", "spend_cap",
                           "bid_strategy", "start_time", "stop_time", "adlabels"}),
    # optimization_goal, billing_event and destination_type are on the update
    # list but may lock once the ad set delivers; targeting is replaced whole.
    "adset": frozenset({"name", "status", "daily_budget", "lifetime_budget", "bid_amount",
                        "bid_strategy", "start_time", "end_time", "adlabels", "targeting",
                        "optimization_goal", "billing_event", "destination_type"}),
    # Anything else answers code 100 / subcode 1815573.
    "creative": frozenset({"name", "status", "adlabels"}),
    "ad": frozenset({"name", "status", "creative", "tracking_specs", "conversion_domain",
                     "adlabels"}),
    "lead_form": frozenset(),  # Messenger lead forms have no update endpoint
}
# The error Meta answers for an edit it refuses (editing a creative).
UNEDITABLE_ERROR = (100, 1815573, "The parameter is not supported")

# Reading back (`GET /{id}?fields=`) for drift: keys Meta renames on the way
# back, per (kind, top-level field). Other differences the comparison
# tolerates, from the same notes: numbers come back as strings (budgets),
# arrays in any order, objects with keys adflow never sent, JSON text fields
# (page_welcome_message) as text to parse.
READ_BACK_RENAMES: dict[tuple[str, str], dict[str, str]] = {
    ("ad", "creative"): {"creative_id": "id"},  # creative{id}
}
# Fields Meta types "numeric string" in its references (CAMPAIGN_REFERENCE,
# ADSET_REFERENCE): sent as numbers, read back as text ("2000").
READ_AS_TEXT: dict[str, tuple[str, ...]] = {
    "campaign": ("daily_budget", "lifetime_budget", "spend_cap"),
    "adset": ("daily_budget", "lifetime_budget"),
}
