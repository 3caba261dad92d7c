"""Which optimization goals an objective and a destination type take
(CAMPAIGN_REFERENCE's mapping table), and the verdict rule A002 judges by."""

from __future__ import annotations

from ..lean import NamedTuple

TYPE_CHECKING = False  # typing is for mypy alone: importing it costs a quick check 4 ms
if TYPE_CHECKING:
    from typing import Literal

    Verdict = Literal["ok", "uncertain", "invalid", "unknown"]


class GoalRow(NamedTuple):
    objective: str
    destination: str
    goals: frozenset[str]
    source: str
    certain: bool  # False: the sources disagree, so matching only this row is a warning


def _rows(objectives: tuple[str, ...], destination: str, goals: str, source: str,
          certain: bool = True) -> tuple[GoalRow, ...]:
    return tuple(GoalRow(o, destination, frozenset(goals.split()), source, certain)
                 for o in objectives)


_MAP = "Meta's Ad Campaign reference (objective mapping table)"
# Rows of the same Meta table, as recalled: only
# on destinations that are not judged, so a mistake can hide a finding but
# never invent one.
_MAP_EXTRA = "Ad Campaign reference mapping table (recalled rows)"
_IG_MORE = "inferred from the Messenger row (Meta's Click-to-Instagram guide lists more goals)"
_INFERRED = ("inferred: an SDK goal made for messaging, in none of Meta's tables; "
             "warn rather than fail")
_ENGAGEMENT = ("OUTCOME_ENGAGEMENT",)
_SALES = ("OUTCOME_SALES",)
_TRAFFIC = ("OUTCOME_TRAFFIC",)
_LEADS = ("OUTCOME_LEADS",)

GOAL_TABLE: tuple[GoalRow, ...] = (
    # Click-to-Messenger.
    *_rows(_ENGAGEMENT, "MESSENGER", "CONVERSATIONS LINK_CLICKS LEAD_GENERATION", _MAP),
    *_rows(_SALES, "MESSENGER", "CONVERSATIONS", _MAP),
    *_rows(_SALES, "MESSENGER", "OFFSITE_CONVERSIONS", f"{_MAP}, uncertain", certain=False),
    *_rows(_TRAFFIC, "MESSENGER", "LINK_CLICKS REACH IMPRESSIONS", _MAP),
    *_rows(_TRAFFIC, "MESSENGER", "CONVERSATIONS",
           "Meta's Click-to-Messenger guide (also for Click-to-Subscribe)"),
    # Messenger Ads for Leads: the CTM guide's API examples send MESSENGER;
    # the mapping table's LEAD_FROM_MESSENGER is not in the SDK's enum, so it
    # is the uncertain one (A002's warning then advises MESSENGER).
    *_rows(_LEADS, "MESSENGER", "LEAD_GENERATION QUALITY_LEAD",
           "Meta's Click-to-Messenger guide (Messenger ads for leads)"),
    *_rows(_LEADS, "LEAD_FROM_MESSENGER", "LEAD_GENERATION QUALITY_LEAD",
           "Meta's Ad Campaign mapping table only; the Click-to-Messenger guide and the SDK "
           "send MESSENGER",
           certain=False),
    *_rows(_LEADS, "ON_AD", "LEAD_GENERATION QUALITY_LEAD", _MAP),
    # Click-to-Instagram Direct.
    *_rows(_ENGAGEMENT + _SALES + _TRAFFIC, "INSTAGRAM_DIRECT", "CONVERSATIONS LINK_CLICKS",
           "Meta's Ads that Click to Instagram guide"),
    # The IG guide lists "others" it does not name: Messenger's, as warnings.
    *_rows(_ENGAGEMENT, "INSTAGRAM_DIRECT", "LEAD_GENERATION",
           _IG_MORE, certain=False),
    *_rows(_SALES, "INSTAGRAM_DIRECT", "OFFSITE_CONVERSIONS",
           _IG_MORE, certain=False),
    *_rows(_TRAFFIC, "INSTAGRAM_DIRECT", "REACH IMPRESSIONS",
           _IG_MORE, certain=False),
    *_rows(_LEADS, "INSTAGRAM_DIRECT", "LEAD_GENERATION QUALITY_LEAD",
           "inferred from the Messenger lead rows", certain=False),
    *_rows(_LEADS, "LEAD_FROM_IG_DIRECT", "LEAD_GENERATION QUALITY_LEAD",
           "Meta's Ad Set Destination Type page; goals inferred from LEAD_FROM_MESSENGER",
           certain=False),
    # Messaging-specific goals of the SDK enum, by name only.
    *_rows(_SALES, "MESSENGER", "MESSAGING_PURCHASE_CONVERSION", _INFERRED, certain=False),
    *_rows(_SALES, "INSTAGRAM_DIRECT", "MESSAGING_PURCHASE_CONVERSION", _INFERRED,
           certain=False),
    *_rows(_ENGAGEMENT + _LEADS, "MESSENGER", "MESSAGING_APPOINTMENT_CONVERSION", _INFERRED,
           certain=False),
    *_rows(_ENGAGEMENT + _LEADS, "INSTAGRAM_DIRECT", "MESSAGING_APPOINTMENT_CONVERSION",
           _INFERRED, certain=False),
    *_rows(_ENGAGEMENT, "INSTAGRAM_DIRECT", "MESSAGING_DEEP_CONVERSATION_AND_FOLLOW",
           _INFERRED, certain=False),
    # Non-messaging destinations: rows only confirm; no destination below is
    # judged (see JUDGED_DESTINATIONS), so a goal missing here is "unknown".
    *_rows(_TRAFFIC, "WEBSITE", "LINK_CLICKS LANDING_PAGE_VIEWS IMPRESSIONS REACH",
           _MAP_EXTRA),
    *_rows(_SALES, "WEBSITE",
           "OFFSITE_CONVERSIONS VALUE LINK_CLICKS LANDING_PAGE_VIEWS IMPRESSIONS REACH",
           _MAP_EXTRA),
    *_rows(_LEADS + _ENGAGEMENT, "WEBSITE",
           "OFFSITE_CONVERSIONS LINK_CLICKS LANDING_PAGE_VIEWS IMPRESSIONS REACH", _MAP_EXTRA),
    *_rows(_ENGAGEMENT, "ON_POST", "POST_ENGAGEMENT IMPRESSIONS REACH", _MAP_EXTRA),
    *_rows(_ENGAGEMENT, "ON_EVENT", "EVENT_RESPONSES POST_ENGAGEMENT IMPRESSIONS REACH",
           _MAP_EXTRA),
    *_rows(_ENGAGEMENT, "ON_VIDEO", "THRUPLAY", _MAP_EXTRA),
    *_rows(_ENGAGEMENT, "ON_PAGE", "PAGE_LIKES", _MAP_EXTRA),
    *_rows(_LEADS, "PHONE_CALL", "QUALITY_CALL", _MAP_EXTRA),
)

# Destinations valid with a single objective (DESTINATION_TYPE_PAGE; Meta error 1815715
# for ON_AD under OUTCOME_ENGAGEMENT).
ONLY_WITH_OBJECTIVE = {"ON_AD": "OUTCOME_LEADS", "ON_POST": "OUTCOME_ENGAGEMENT",
                       "ON_VIDEO": "OUTCOME_ENGAGEMENT", "ON_PAGE": "OUTCOME_ENGAGEMENT",
                       "ON_EVENT": "OUTCOME_ENGAGEMENT"}
# Destination types only a mapping table names, and the one Meta's guides
# and SDK send for the same ads: A002 advises it.
SENT_DESTINATION_FOR = {"LEAD_FROM_MESSENGER": "MESSENGER",
                        "LEAD_FROM_IG_DIRECT": "INSTAGRAM_DIRECT"}
# Destinations whose rows are complete (the messaging rows of CAMPAIGN_REFERENCE's table): a
# combination in no row is invalid. Elsewhere the table only confirms.
JUDGED_DESTINATIONS = frozenset({"MESSENGER", "LEAD_FROM_MESSENGER", "INSTAGRAM_DIRECT",
                                 "LEAD_FROM_IG_DIRECT", "ON_AD"})


def goal_combination(objective: str, destination: str, goal: str) -> Verdict:
    """"ok": in a certain row; "uncertain": only in rows the sources disagree
    on (a warning); "invalid": the destination needs another objective, or
    the destination is judged and no row has the goal; "unknown": the table
    does not speak for this destination (no finding)."""
    only = ONLY_WITH_OBJECTIVE.get(destination)
    if only is not None and only != objective:
        return "invalid"
    rows = [r for r in GOAL_TABLE
            if r.objective == objective and r.destination == destination and goal in r.goals]
    if any(r.certain for r in rows):
        return "ok"
    if rows:
        return "uncertain"
    return "invalid" if destination in JUDGED_DESTINATIONS else "unknown"


def goals_for(objective: str, destination: str) -> frozenset[str]:
    """Every goal some row lists for the pair (certain or not)."""
    return frozenset(g for r in GOAL_TABLE
                     if r.objective == objective and r.destination == destination
                     for g in r.goals)
