"""A: campaigns, ad sets and ads, everything a user would otherwise learn
from a rejected `POST /act_{id}/campaigns|adsets|ads`."""

from __future__ import annotations

from collections.abc import Iterator

from ..bodies.model import ENDPOINTS, Document, Request
from ..bodies.queries import adsets_of, campaign_of, enum, get
from ..facts.adsets import (
    AGE_MAX,
    ALL_DESTINATION_TYPES,
    BUDGET_PARAMETERS,
    COUNTRY_CODES,
    GENDERS,
    INSTANT_FORM_DESTINATION,
    LEAD_GOALS,
    MESSAGING_BILLING_EVENT,
    MESSAGING_DESTINATIONS,
    MONEY_PARAMETERS,
    OPTIMIZATION_GOALS,
    PLATFORM_FOR_DESTINATION,
    SPEND_CAP_BELOW_MINIMUM_ANYWHERE,
    WHATSAPP_DESTINATIONS,
)
from ..facts.campaigns import (
    ADVANTAGE_FLAG_SINCE,
    BID_STRATEGIES,
    BID_STRATEGIES_NEEDING_BID,
    BID_STRATEGIES_WITHOUT_BID,
    LEGACY_REPLACEMENT,
    NEW_CAMPAIGN_OBJECTIVES,
    OBJECTIVES,
    REPORTED_STATUSES,
    RESTRICTED_TARGETING_CATEGORIES,
    SETTABLE_STATUSES,
    SPECIAL_AD_CATEGORIES,
    SUPERSEDED_CATEGORIES,
)
from ..facts.deprecations import deprecated
from ..facts.goals import GOAL_TABLE, ONLY_WITH_OBJECTIVE, SENT_DESTINATION_FOR, goal_combination
from ..facts.parameters import DOCUMENTED_EXTRA_PARAMETERS, POST_PARAMETERS
from ..facts.sources import (
    ADSET_REFERENCE,
    ADVANTAGE_AUDIENCE_PAGE,
    BID_STRATEGY_PAGE,
    CAMPAIGN_BUDGET_PAGE,
    CAMPAIGN_REFERENCE,
    CTIG_GUIDE,
    CTM_GUIDE,
    CTWA_GUIDE,
    DESTINATION_TYPE_PAGE,
    SPECIAL_AD_CATEGORY_PAGE,
    TARGETING_PAGE,
    changelog,
)
from ..facts.versions import at_least
from ..findings.diagnostics import Diagnostic, Note
from ..findings.suggest import add_line, did_you_mean, replace
from ..front.source import pointer
from .base import (
    ERROR,
    INFO,
    WARNING,
    added,
    advice,
    as_json,
    body_key,
    body_keys,
    body_member,
    put,
    report,
    rule,
    set_to,
    unknown_value,
)

TYPE_CHECKING = False  # typing is for mypy alone: importing it costs a quick check 4 ms
if TYPE_CHECKING:
    from typing import Any


def _closest(value: Any, known: frozenset[str]) -> str | None:
    return did_you_mean(str(value), known)


def _note(request: Request, ptr: str, text: str) -> Note:
    return Note(text, request.span_at(ptr))


@rule("A001", "objective", ERROR, "an unknown objective, or a legacy one for a new campaign",
      evidence=(CAMPAIGN_REFERENCE,))
def A001(document: Document) -> Iterator[Diagnostic]:
    """New campaigns take an outcome-based objective (OUTCOME_*); the legacy
    ones (MESSAGES, LINK_CLICKS, CONVERSIONS ...) are still in Meta's SDK
    but rejected for new campaigns. Meta's Click-to-Messenger guide itself
    misspells OUTCOME_ENGAGMENET and OUTCOME_LEAD.

    Bad (objects):
        campaign spring {
          objective MESSAGES
          special_ad_categories [NONE]
        }

    Good (objects):
        campaign spring {
          objective OUTCOME_ENGAGEMENT
          special_ad_categories [NONE]
        }
    """
    for campaign in document.of_kind("campaign"):
        objective = enum(campaign.view.get("objective"))
        if objective is None:
            yield report(A001, campaign, "", f"campaign '{campaign.name}' has no objective",
                         help=advice(document, dsl="add e.g. objective OUTCOME_LEADS",
                                     json=added(body_member("campaign", "objective",
                                                            "OUTCOME_LEADS"))
                                     + " (or another OUTCOME_* objective)"))
        elif objective in LEGACY_REPLACEMENT or (
                objective in OBJECTIVES and objective not in NEW_CAMPAIGN_OBJECTIVES):
            new = LEGACY_REPLACEMENT.get(objective)
            yield report(A001, campaign, "/objective",
                         f"{objective} is a legacy objective: new campaigns are rejected with it",
                         help=advice(document, dsl=f"use {new or 'an OUTCOME_* objective'}",
                                     json=set_to("objective", new) if new else
                                     'set "objective" to an OUTCOME_* objective'),
                         # Unsafe: the outcome objective optimises differently.
                         fix=new and replace(document.source, campaign.span_at("/objective"),
                                             objective, new, safe=False))
        elif objective not in OBJECTIVES:
            yield report(A001, campaign, "/objective", f"unknown objective {objective!r}",
                         **unknown_value(document, campaign, "/objective", objective,
                                         NEW_CAMPAIGN_OBJECTIVES, open_list=True))


@rule("A002", "goal-combination", ERROR,
      "objective x destination_type x optimization_goal is in no table (some tables: warning)",
      evidence=("Graph API error 100/2490408: the optimization goal is not available for the "
                "campaign's objective", "Graph API error 100/1815715: the destination is not "
                "allowed for the objective", CAMPAIGN_REFERENCE, DESTINATION_TYPE_PAGE))
def A002(document: Document) -> Iterator[Diagnostic]:
    """Each objective allows certain destinations and optimization goals
    (Meta error 100/2490408; ON_AD with OUTCOME_ENGAGEMENT is 1815715). A
    combination in no table is an error; one that only some of Meta's pages
    list is a warning. An unknown goal or destination close to a known one is
    an error (a typo); one close to none is a warning, since Meta's enum may
    be newer than adflow's list (likewise for objectives, special ad
    categories and bid strategies).

    Bad (objects):
        campaign spring {
          objective OUTCOME_TRAFFIC
          special_ad_categories [NONE]
        }
        adset us in spring {
          optimization_goal QUALITY_LEAD
          destination MESSENGER
        }

    Good (objects):
        campaign spring {
          objective OUTCOME_TRAFFIC
          special_ad_categories [NONE]
        }
        adset us in spring {
          optimization_goal LINK_CLICKS
          destination MESSENGER
        }
    """
    for adset in document.of_kind("adset"):
        goal = enum(adset.view.get("optimization_goal"))
        destination = enum(adset.view.get("destination_type"))
        if goal is None:
            yield report(A002, adset, "", f"ad set '{adset.name}' has no optimization_goal")
            continue
        if goal not in OPTIMIZATION_GOALS:
            found = unknown_value(document, adset, "/optimization_goal", goal,
                                  OPTIMIZATION_GOALS, open_list=True)
            if goal == "CONVERSIONS":
                found["help"] = "CONVERSIONS is not an optimization goal; " + advice(
                    document, dsl="use CONVERSATIONS",
                    json=set_to("optimization_goal", "CONVERSATIONS"))
            yield report(A002, adset, "/optimization_goal", f"unknown optimization goal {goal!r}",
                         **found)
            continue
        if destination is not None and destination not in ALL_DESTINATION_TYPES:
            yield report(A002, adset, "/destination_type",
                         f"unknown destination type {destination!r}",
                         **unknown_value(document, adset, "/destination_type", destination,
                                         ALL_DESTINATION_TYPES, open_list=True))
            continue
        campaign = campaign_of(document, adset)
        objective = enum(campaign.view.get("objective")) if campaign else None
        if (campaign is None or objective not in NEW_CAMPAIGN_OBJECTIVES
                or destination is None):
            continue
        verdict = goal_combination(objective, destination, goal)
        if verdict in ("ok", "unknown"):
            continue
        allowed = sorted({g for row in GOAL_TABLE if row.objective == objective
                          and row.destination == destination for g in row.goals})
        note = _note(campaign, "/objective", f"the campaign's objective is {objective}")
        if verdict == "uncertain":
            source = next(r.source for r in GOAL_TABLE if r.objective == objective
                          and r.destination == destination and goal in r.goals)
            sent = SENT_DESTINATION_FOR.get(destination)
            instead = sent if sent and goal_combination(objective, sent, goal) == "ok" \
                else None
            yield report(A002, adset, "/destination_type" if instead else "/optimization_goal",
                         f"{goal} with destination {destination} under {objective} is listed by "
                         f"only some of Meta's pages ({source})", severity=WARNING, notes=[note],
                         help=advice(document, dsl=f"destination {instead}",
                                     json=set_to(body_key("adset", "destination"), instead))
                         if instead else None)
        else:
            yield report(A002, adset, "/optimization_goal",
                         f"{objective} with destination {destination} does not take "
                         f"optimization goal {goal}", notes=[note],
                         help=_allowed_goals(document, destination, allowed))


def _allowed_goals(document: Document, destination: str, allowed: list[str]) -> str:
    """A002's help: the goals this objective and destination take, or the
    objective the destination needs."""
    if allowed:
        return advice(document, dsl=f"allowed here: {', '.join(allowed)}",
                      json=set_to("optimization_goal", *allowed))
    needed = ONLY_WITH_OBJECTIVE.get(destination)
    return advice(document, dsl=f"destination {destination} needs "
                                + (f"objective {needed}" if needed else "another objective"),
                  json=f"{as_json(body_key('adset', 'destination'))}: {as_json(destination)} "
                       "needs " + (f'"objective": {as_json(needed)}' if needed
                                   else 'another "objective"'))


def _messaging(adset: Request) -> bool:
    return enum(adset.view.get("destination_type")) in MESSAGING_DESTINATIONS


@rule("A003", "messaging-billing", ERROR, "a messaging ad set does not bill on IMPRESSIONS",
      evidence=(CTM_GUIDE, CTIG_GUIDE, CTWA_GUIDE))
def A003(document: Document) -> Iterator[Diagnostic]:
    """Ad sets whose destination opens a conversation (MESSENGER,
    INSTAGRAM_DIRECT, WHATSAPP ...) must bill on IMPRESSIONS.

    Bad (objects):
        adset us in spring {
          destination MESSENGER
          billing_event LINK_CLICKS
        }

    Good (objects):
        adset us in spring {
          destination MESSENGER
          billing_event IMPRESSIONS
        }
    """
    for adset in document.of_kind("adset"):
        billing = adset.view.get("billing_event")
        if _messaging(adset) and billing != MESSAGING_BILLING_EVENT:
            yield report(A003, adset, "/billing_event",
                         f"messaging ad set '{adset.name}' bills on {billing}; it must bill "
                         "on IMPRESSIONS",
                         help=advice(document, dsl="billing_event IMPRESSIONS",
                                     json=put(adset.view, body_keys("adset", "billing_event"),
                                              MESSAGING_BILLING_EVENT)))


@rule("A004", "promoted-page", ERROR, "a messaging or lead ad set has no promoted page",
      evidence=("Graph API error 100/1885154: an ad set with a promoted object is required",
                CTM_GUIDE, CTWA_GUIDE))
def A004(document: Document) -> Iterator[Diagnostic]:
    """Messaging and lead ad sets name the Page people talk to in
    promoted_object.page_id, which cannot be changed later (Meta error
    1885154).

    Bad (objects):
        page acme 111222333444
        campaign spring {
          objective OUTCOME_ENGAGEMENT
          special_ad_categories [NONE]
        }
        adset us in spring {
          destination MESSENGER
          optimization_goal CONVERSATIONS
          targeting {
            countries [US]
          }
        }

    Good (objects):
        page acme 111222333444
        campaign spring {
          objective OUTCOME_ENGAGEMENT
          special_ad_categories [NONE]
        }
        adset us in spring {
          destination MESSENGER
          optimization_goal CONVERSATIONS
          promoted_page acme
          targeting {
            countries [US]
          }
        }
    """
    for adset in document.of_kind("adset"):
        lead = enum(adset.view.get("optimization_goal")) in LEAD_GOALS or \
            adset.view.get("destination_type") == INSTANT_FORM_DESTINATION
        if (_messaging(adset) or lead) and not get(adset.view, "promoted_object", "page_id"):
            yield report(A004, adset, "/promoted_object",
                         f"ad set '{adset.name}' needs a promoted page",
                         help=advice(document, dsl="add promoted_page PAGE",
                                     json=added(body_member("adset", "promoted_page", "PAGE_ID"),
                                                adset.view))
                         + " (it cannot be changed later)")


def _money_problem(value: Any) -> str | None:
    if isinstance(value, float) and value.is_integer():
        return f"{value!r} is written as a decimal; write the whole number {int(value)}"
    if isinstance(value, bool) or not isinstance(value, int):
        shown = f"{value!r}"
        return (f"{shown} is not a whole number of minor units" if isinstance(value, (int, float))
                else f"{shown} is not a number")
    if value <= 0:
        return f"{value} is not positive"
    return None


@rule("A005", "budget", ERROR, "a budget or bid that is not a positive integer in minor units, "
      "both budgets, a lifetime budget without an end, or a spend cap under $100 anywhere",
      evidence=(ADSET_REFERENCE, CAMPAIGN_REFERENCE))
def A005(document: Document) -> Iterator[Diagnostic]:
    """Money is a positive integer in the account currency's minor unit (2000
    is $20.00); only one of daily_budget and lifetime_budget; a lifetime
    budget needs an end time. 2000.0, a whole number written as a decimal
    (as typed connectors read budgets back), is only a warning. A campaign's
    spend_cap is at least $100 or the local equivalent: adflow does not know
    the currency, so it refuses a cap under 1,000 minor units, which is under
    $100 in every currency.

    Bad (objects):
        adset us in spring {
          daily_budget 20.50
          lifetime_budget 100000
        }

    Good (objects):
        adset us in spring {
          daily_budget 2050
        }
    """
    for request in document.requests:
        if request.kind not in ("campaign", "adset"):
            continue
        body = request.view
        for key in MONEY_PARAMETERS:
            if key in body:
                problem = _money_problem(body[key])
                if problem:
                    # A whole number written as a decimal (a typed connector's read-back
                    # shows 2000.0) is not known to be refused: uncertain, so a warning.
                    whole = isinstance(body[key], float) and body[key].is_integer()
                    yield report(A005, request, pointer(key), f"{key}: {problem}",
                                 help="money is an integer in minor units: USD 2000 = $20.00",
                                 severity=WARNING if whole else None)
                elif key == "spend_cap" and body[key] < SPEND_CAP_BELOW_MINIMUM_ANYWHERE:
                    yield report(A005, request, "/spend_cap",
                                 f"spend_cap {body[key]} is below Meta's minimum of $100 (or the "
                                 "local equivalent) in any currency",
                                 help="spend_cap is in minor units: USD 10000 = $100.00")
        if "daily_budget" in body and "lifetime_budget" in body:
            yield report(A005, request, "/lifetime_budget",
                         f"{request.kind} '{request.name}' has both a daily and a lifetime budget",
                         notes=[_note(request, "/daily_budget", "the daily budget")])
        end = "end_time" if request.kind == "adset" else "stop_time"
        if "lifetime_budget" in body and not body.get(end):
            yield report(A005, request, "/lifetime_budget",
                         f"a lifetime budget needs {end}",
                         help=advice(document, dsl=f'add {end} "2026-12-31T23:59:00+0000"',
                                     json=body_member(request.kind, end,
                                                      "2026-12-31T23:59:00+0000")))


def _budget(request: Request) -> str | None:
    return next((k for k in BUDGET_PARAMETERS if k in request.view), None)


@rule("A006", "budget-level", ERROR,
      "budget on both campaign and ad set; (v24+) no campaign budget and no "
      "is_adset_budget_sharing_enabled",
      evidence=("Graph API error 100/1885621: a budget on both the campaign and its ad set",
                "Marketing API v24.0 changelog: \"Must specify True or False in "
                "is_adset_budget_sharing_enabled field\" " + changelog("v24.0"),
                CAMPAIGN_BUDGET_PAGE))
def A006(document: Document) -> Iterator[Diagnostic]:
    """A budget lives on the campaign or on its ad sets, never both (Meta
    error 1885621). Since v24.0 a campaign without a campaign budget
    (daily_budget or lifetime_budget) must send
    is_adset_budget_sharing_enabled, true or false, whether or not its ad
    sets are in the same file: Meta answers "Must specify True or False in
    is_adset_budget_sharing_enabled field".

    Bad (objects):
        campaign spring {
          objective OUTCOME_LEADS
          special_ad_categories [NONE]
          daily_budget 5000
        }
        adset us in spring {
          daily_budget 2000
        }

    Good (objects):
        campaign spring {
          objective OUTCOME_LEADS
          special_ad_categories [NONE]
          adset_budget_sharing false
        }
        adset us in spring {
          daily_budget 2000
        }
    """
    sharing_required = deprecated("adset_budget_sharing", document.api_version)
    for campaign in document.of_kind("campaign"):
        with_budget = [a for a in adsets_of(document, campaign) if _budget(a)]
        campaign_budget = _budget(campaign)
        for adset in with_budget:
            if campaign_budget:
                yield report(A006, adset, pointer(_budget(adset) or ""),
                             f"ad set '{adset.name}' has a budget, but so does its campaign",
                             notes=[_note(campaign, pointer(campaign_budget),
                                          "the campaign's budget")],
                             help="keep one: campaign budget, or ad-set budgets")
        if (sharing_required and not campaign_budget
                and "is_adset_budget_sharing_enabled" not in campaign.view):
            notes = [_note(a, pointer(_budget(a) or ""), f"ad set '{a.name}' holds a budget")
                     for a in with_budget[:1]]
            yield report(A006, campaign, "",
                         f"campaign '{campaign.name}' has no campaign budget, so since v24.0 "
                         "Meta requires is_adset_budget_sharing_enabled (\"Must specify True "
                         "or False in is_adset_budget_sharing_enabled field\")", notes=notes,
                         help=advice(document, dsl="add adset_budget_sharing false",
                                     json=body_member("campaign", "adset_budget_sharing", False))
                         + " (or true), or give the campaign a " + advice(
                             document, dsl="daily_budget", json='"daily_budget"'),
                         # false keeps each ad set's budget its own, as written.
                         fix=add_line(document.source, campaign.span,
                                      "adset_budget_sharing false",
                                      "add adset_budget_sharing false"))


@rule("A007", "special-ad-categories", ERROR,
      "special_ad_categories missing, NONE mixed in, or a category without countries",
      evidence=(SPECIAL_AD_CATEGORY_PAGE, CAMPAIGN_REFERENCE))
def A007(document: Document) -> Iterator[Diagnostic]:
    """Every campaign declares special_ad_categories: [NONE] when none
    applies. NONE is not mixed with categories, a real category needs
    special_ad_category_country, and CREDIT is superseded by
    FINANCIAL_PRODUCTS_SERVICES (a warning).

    Bad (objects):
        campaign spring {
          objective OUTCOME_LEADS
          special_ad_categories [NONE, HOUSING]
        }

    Good (objects):
        campaign spring {
          objective OUTCOME_LEADS
          special_ad_categories [HOUSING]
          special_ad_category_country [US]
        }
    """
    for campaign in document.of_kind("campaign"):
        categories = campaign.view.get("special_ad_categories")
        if categories is None:
            yield report(A007, campaign, "", f"campaign '{campaign.name}' has no "
                         "special_ad_categories",
                         help=advice(document, dsl="add special_ad_categories [NONE]",
                                     json=body_member("campaign", "special_ad_categories",
                                                      ["NONE"])),
                         # Unsafe: only the author knows the ad is in no special category.
                         fix=add_line(document.source, campaign.span,
                                      "special_ad_categories [NONE]",
                                      "add special_ad_categories [NONE]"))
            continue
        if not isinstance(categories, list):
            yield report(A007, campaign, "/special_ad_categories",
                         "special_ad_categories must be a list")
            continue
        for i, category in enumerate(map(enum, categories)):
            if category not in SPECIAL_AD_CATEGORIES:
                yield report(A007, campaign, f"/special_ad_categories/{i}",
                             f"unknown special ad category {category!r}",
                             **unknown_value(document, campaign, f"/special_ad_categories/{i}",
                                             category, SPECIAL_AD_CATEGORIES,
                                             open_list=True))
            elif category in SUPERSEDED_CATEGORIES:
                new = SUPERSEDED_CATEGORIES[category]
                yield report(A007, campaign, f"/special_ad_categories/{i}",
                             f"{category} is superseded by {new}", severity=WARNING,
                             fix=replace(document.source,
                                         campaign.span_at(f"/special_ad_categories/{i}"),
                                         category, new))
        real = [enum(c) for c in categories if c != "NONE"]
        if "NONE" in categories and real:
            yield report(A007, campaign, "/special_ad_categories",
                         "NONE cannot be combined with other special ad categories")
        if real and not campaign.view.get("special_ad_category_country"):
            yield report(A007, campaign, "/special_ad_categories",
                         f"special ad category {real[0]} needs special_ad_category_country",
                         help=advice(document, dsl="add special_ad_category_country [US]",
                                     json=body_member("campaign", "special_ad_category_country",
                                                      ["US"])))


@rule("A008", "status", ERROR, "a status that cannot be set; (info) created ACTIVE",
      evidence=(CAMPAIGN_REFERENCE, ADSET_REFERENCE))
def A008(document: Document) -> Iterator[Diagnostic]:
    """status is one of ACTIVE, PAUSED, ARCHIVED, DELETED. PENDING_REVIEW and
    the like are statuses Meta reports, not ones a request may set (Meta's
    Click-to-Messenger guide calls status an array: it is one value). Creating objects ACTIVE
    spends money before anyone reviewed them: adflow creates PAUSED and
    activates as a separate step (info).

    Bad (objects):
        ad spring_ad {
          adset us
          creative image
          status PENDING_REVIEW
        }

    Good (objects):
        ad spring_ad {
          adset us
          creative image
          status PAUSED
        }
    """
    for request in document.requests:
        if "status" not in request.view or request.kind == "lead_form":
            continue
        status = enum(request.view["status"])
        if status in REPORTED_STATUSES:
            yield report(A008, request, "/status",
                         f"{status} is a status Meta reports; it cannot be set",
                         help=advice(document, dsl="create PAUSED",
                                     json=set_to("status", "PAUSED")) + ", then activate")
        elif status not in SETTABLE_STATUSES:
            found = unknown_value(document, request, "/status", status, SETTABLE_STATUSES)
            found["help"] = found["help"] or "one of ACTIVE, PAUSED, ARCHIVED, DELETED"
            yield report(A008, request, "/status", f"unknown status {status!r}", **found)
        elif status == "ACTIVE" and request.has_span("/status"):
            yield report(A008, request, "/status",
                         f"{request.kind} '{request.name}' is created ACTIVE: it can spend "
                         "before review", severity=INFO,
                         help=advice(document, dsl="create PAUSED",
                                     json=set_to("status", "PAUSED"))
                         + " and activate when ready (the curl bundle's --activate)")


@rule("A009", "targeting", ERROR, "targeting without a location or with an unknown country; "
      "(warning) publisher platforms that exclude the messaging destination",
      evidence=(TARGETING_PAGE,))
def A009(document: Document) -> Iterator[Diagnostic]:
    """Targeting needs a location (geo_locations) with ISO 3166 country
    codes. A messaging destination whose publisher_platforms leave out its
    own app (Instagram Direct without instagram) is likely a mistake.

    Bad (objects):
        adset us in spring {
          destination MESSENGER
          targeting {
            countries [USA]
          }
        }

    Good (objects):
        adset us in spring {
          destination MESSENGER
          targeting {
            countries [US]
          }
        }
    """
    for adset in document.of_kind("adset"):
        targeting = adset.view.get("targeting")
        if not isinstance(targeting, dict):
            yield report(A009, adset, "/targeting", f"ad set '{adset.name}' has no targeting",
                         help=advice(document, dsl="add targeting { countries [US] }",
                                     json=added(body_member("adset", "targeting.countries",
                                                            ["US"]), adset.view)))
            continue
        geo = targeting.get("geo_locations")
        if not isinstance(geo, dict) or not any(geo.get(k) for k in geo):
            yield report(A009, adset, "/targeting", "targeting has no location",
                         help=advice(document, dsl="add countries [..] to targeting",
                                     json=added(body_member("adset", "targeting.countries",
                                                            ["US"]), adset.view)))
        countries = get(targeting, "geo_locations", "countries")
        if isinstance(countries, list):
            for i, code in enumerate(map(enum, countries)):
                if code not in COUNTRY_CODES:
                    ptr = f"/targeting/geo_locations/countries/{i}"
                    found = unknown_value(document, adset, ptr, code, COUNTRY_CODES)
                    if found["fix"] is None:  # two letters are close to many codes
                        found["help"] = "use ISO 3166 alpha-2 codes, e.g. US, CA, GB"
                    yield report(A009, adset, ptr, f"unknown country code {code!r}", **found)
        platforms = targeting.get("publisher_platforms")
        needed = PLATFORM_FOR_DESTINATION.get(str(adset.view.get("destination_type")))
        if isinstance(platforms, list) and needed and needed not in map(enum, platforms):
            yield report(A009, adset, "/targeting/publisher_platforms",
                         f"destination {adset.view['destination_type']} opens {needed}, which "
                         "publisher_platforms leaves out", severity=WARNING)


@rule("A010", "bid-and-pixel", WARNING,
      "pixel_id on a goal other than QUALITY_LEAD; a bid above the daily budget")
def A010(document: Document) -> Iterator[Diagnostic]:
    """In a messaging or lead ad set, a pixel in promoted_object only helps
    QUALITY_LEAD optimization (elsewhere, e.g. a website sales ad set, the
    pixel is what it optimizes with); a bid above the daily budget can never
    be spent as written.

    Bad (objects):
        adset us in spring {
          optimization_goal LEAD_GENERATION
          pixel 998877
          daily_budget 1000
          bid_amount 5000
        }

    Good (objects):
        adset us in spring {
          optimization_goal QUALITY_LEAD
          pixel 998877
          daily_budget 5000
          bid_amount 150
        }
    """
    for adset in document.of_kind("adset"):
        goal = enum(adset.view.get("optimization_goal"))
        lead_or_messaging = goal in LEAD_GOALS or enum(adset.view.get(
            "destination_type")) in MESSAGING_DESTINATIONS | {INSTANT_FORM_DESTINATION}
        if get(adset.view, "promoted_object", "pixel_id") and goal != "QUALITY_LEAD" \
                and lead_or_messaging:
            yield report(A010, adset, "/promoted_object/pixel_id",
                         f"a pixel only helps QUALITY_LEAD optimization, not {goal}")
        bid, daily = adset.view.get("bid_amount"), adset.view.get("daily_budget")
        if isinstance(bid, int) and isinstance(daily, int) and not isinstance(bid, bool) \
                and bid > daily > 0:
            yield report(A010, adset, "/bid_amount",
                         f"bid_amount {bid} is above the daily budget {daily}",
                         notes=[_note(adset, "/daily_budget", "the daily budget")])


@rule("A011", "unknown-parameter", WARNING, "a field that is not a POST parameter of its endpoint")
def A011(document: Document) -> Iterator[Diagnostic]:
    """Fields passed with `raw` (or found in a payload) are compared with
    the POST parameters of the endpoint in Meta's SDK; an unknown one is
    usually a typo that Meta would reject or silently ignore.

    Bad (objects):
        campaign spring {
          objective OUTCOME_LEADS
          special_ad_categories [NONE]
          raw pacing_typ ["standard"]
        }

    Good (objects):
        campaign spring {
          objective OUTCOME_LEADS
          special_ad_categories [NONE]
          raw pacing_type ["standard"]
        }
    """
    for request in document.requests:
        endpoint = ENDPOINTS[request.kind]
        known = POST_PARAMETERS[endpoint] | DOCUMENTED_EXTRA_PARAMETERS.get(
            endpoint, frozenset())
        for key in request.view:
            if key not in known and key != "access_token":  # X001's
                yield report(A011, request, pointer(key),
                             f"'{key}' is not a parameter of POST /{endpoint}",
                             help=_closest(key, known))


@rule("A012", "bid-required", ERROR, "a bid strategy that needs bid_amount without one, or a "
      "bid_amount with LOWEST_COST_WITHOUT_CAP",
      evidence=(BID_STRATEGY_PAGE, "Graph API error 100/1815858: bid_amount with "
                "bid_strategy LOWEST_COST_WITHOUT_CAP is refused"))
def A012(document: Document) -> Iterator[Diagnostic]:
    """LOWEST_COST_WITH_BID_CAP and COST_CAP need a bid_amount;
    LOWEST_COST_WITHOUT_CAP bids automatically, so Meta refuses a bid_amount
    beside it (subcode 1815858).

    Bad (objects):
        adset us in spring {
          bid_strategy COST_CAP
        }

    Good (objects):
        adset us in spring {
          bid_strategy COST_CAP
          bid_amount 150
        }
    """
    for adset in document.of_kind("adset"):
        strategy = enum(adset.view.get("bid_strategy"))
        if strategy is not None and strategy not in BID_STRATEGIES:
            yield report(A012, adset, "/bid_strategy", f"unknown bid strategy {strategy!r}",
                         **unknown_value(document, adset, "/bid_strategy", strategy,
                                         BID_STRATEGIES, open_list=True))
        elif strategy in BID_STRATEGIES_NEEDING_BID and "bid_amount" not in adset.view:
            yield report(A012, adset, "/bid_strategy", f"{strategy} needs a bid_amount")
        elif strategy in BID_STRATEGIES_WITHOUT_BID and "bid_amount" in adset.view:
            yield report(A012, adset, "/bid_amount",
                         f"{strategy} bids automatically: Meta refuses a bid_amount beside it "
                         "(error 100/1815858)",
                         notes=[_note(adset, "/bid_strategy", "the bid strategy")],
                         help=advice(document,
                                     dsl="remove bid_amount, or use LOWEST_COST_WITH_BID_CAP or "
                                         "COST_CAP",
                                     json='remove "bid_amount", or ' + set_to(
                                         "bid_strategy", "LOWEST_COST_WITH_BID_CAP", "COST_CAP")))


@rule("A013", "whatsapp-destination", ERROR,
      "a promoted WhatsApp number on an ad set whose destination is not WhatsApp",
      evidence=(CTWA_GUIDE,))
def A013(document: Document) -> Iterator[Diagnostic]:
    """A Click-to-WhatsApp ad set names the number in
    promoted_object.whatsapp_phone_number and sends people there with
    destination_type WHATSAPP (Meta's "Ads that Click to WhatsApp" page; the
    multi-destination MESSAGING_..._WHATSAPP types include it). With another
    destination, or none, the ad does not open WhatsApp.

    Bad (objects):
        page acme 111222333444
        adset us in spring {
          optimization_goal CONVERSATIONS
          promoted_page acme
          raw promoted_object {"whatsapp_phone_number": "+15551234567"}
        }

    Good (objects):
        page acme 111222333444
        adset us in spring {
          optimization_goal CONVERSATIONS
          destination WHATSAPP
          promoted_page acme
          raw promoted_object {"whatsapp_phone_number": "+15551234567"}
        }
    """
    for adset in document.of_kind("adset"):
        if get(adset.view, "promoted_object", "whatsapp_phone_number") is None:
            continue
        destination = enum(adset.view.get("destination_type"))
        if destination not in WHATSAPP_DESTINATIONS:
            yield report(A013, adset, "/destination_type" if destination else "/promoted_object",
                         f"ad set '{adset.name}' promotes a WhatsApp number but its destination "
                         f"is {destination or 'not set'}",
                         help=advice(document, dsl="destination WHATSAPP",
                                     json=put(adset.view, body_keys("adset", "destination"),
                                              "WHATSAPP")))


@rule("A014", "campaign-bid-strategy", ERROR,
      "bid_strategy on a campaign that has no campaign budget",
      evidence=("Graph API error 100/1885737: a campaign's bid_strategy needs a campaign budget",
                CAMPAIGN_BUDGET_PAGE))
def A014(document: Document) -> Iterator[Diagnostic]:
    """A bid strategy on the campaign goes with a campaign budget (Advantage
    campaign budget): without daily_budget or lifetime_budget on the
    campaign, Meta refuses it (subcode 1885737). With ad-set budgets, each
    ad set carries its own bid_strategy.

    Bad (objects):
        campaign spring {
          objective OUTCOME_ENGAGEMENT
          special_ad_categories [NONE]
          adset_budget_sharing false
          bid_strategy COST_CAP
        }

    Good (objects):
        campaign spring {
          objective OUTCOME_ENGAGEMENT
          special_ad_categories [NONE]
          daily_budget 5000
          bid_strategy COST_CAP
        }
    """
    for campaign in document.of_kind("campaign"):
        if campaign.view.get("bid_strategy") is not None and not _budget(campaign):
            yield report(A014, campaign, "/bid_strategy",
                         f"campaign '{campaign.name}' has a bid_strategy but no campaign budget: "
                         "Meta refuses it (error 100/1885737)",
                         help=advice(document, dsl="give the campaign a daily_budget, or set "
                                                   "bid_strategy on its ad sets",
                                     json='give the campaign a "daily_budget", or set '
                                          '"bid_strategy" on its ad sets'))


def _age(targeting: dict[str, Any], key: str) -> int | None:
    value = targeting.get(key)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _narrowed(targeting: dict[str, Any]) -> list[str]:
    """The demographic controls a targeting spec narrows: an age_max under
    65 (65 is "65 and older"), genders leaving one out."""
    found = []
    age_max = _age(targeting, "age_max")
    if age_max is not None and age_max < AGE_MAX:
        found.append("age_max")
    genders = targeting.get("genders")
    if isinstance(genders, list) and genders and not GENDERS.issubset(
            int(g) if isinstance(g, str) and g.isdigit() else g for g in genders):
        found.append("genders")
    return found


@rule("A020", "advantage-audience-flag", ERROR,
      "(v23+) an ad set that narrows age or gender without saying whether Advantage+ audience "
      "is on",
      evidence=("Graph API error 100 \"Advantage Audience Flag Required\" when an ad set is "
                "created from v23.0 with custom age or gender targeting and no "
                "targeting_automation.advantage_audience (reported from live calls by a "
                "Messaging Ads builder: https://github.com/ChatbotXIO/ChatbotX/pull/1061)",
                ADVANTAGE_AUDIENCE_PAGE))
def A020(document: Document) -> Iterator[Diagnostic]:
    """From v23.0 a new ad set says whether Advantage+ audience may widen its
    audience: targeting_automation.advantage_audience 1 (on) or 0 (off). An
    ad set whose targeting narrows age (an age_max under 65) or gender and
    leaves the flag out is refused with "Advantage Audience Flag Required":
    Meta will not silently turn those controls into suggestions. Countries
    and a minimum age alone are constraints Advantage+ audience keeps, so
    they need no flag.

    Bad (objects):
        adset women in spring {
          targeting {
            countries [VN]
            age_max 44
            genders [2]
          }
        }

    Good (objects):
        adset women in spring {
          targeting {
            countries [VN]
            age_max 44
            genders [2]
            advantage_audience 0
          }
        }
    """
    if not at_least(document.api_version, ADVANTAGE_FLAG_SINCE):
        return
    for adset in document.of_kind("adset"):
        targeting = adset.view.get("targeting")
        if not isinstance(targeting, dict) or get(targeting, "targeting_automation",
                                                  "advantage_audience") is not None:
            continue
        narrowed = _narrowed(targeting)
        if not narrowed:
            continue
        first, *more = narrowed
        yield report(A020, adset, f"/targeting/{first}",
                     f"ad set '{adset.name}' narrows {_listed(narrowed)} but does not say "
                     f"whether Advantage+ audience is on: since {ADVANTAGE_FLAG_SINCE} Meta "
                     "refuses it (\"Advantage Audience Flag Required\")",
                     notes=[_note(adset, f"/targeting/{m}", f"{m} narrows it too")
                            for m in more],
                     help=advice(document, dsl="add advantage_audience 0 to targeting",
                                 json=added(body_member("adset", "targeting.advantage_audience",
                                                        0), adset.view))
                     + " (0 keeps the audience as written; 1 lets Meta widen it)")


@rule("A021", "special-category-targeting", ERROR,
      "an ad set of a housing, employment or credit campaign that narrows age or gender, or "
      "targets ZIP codes (United States)",
      evidence=(SPECIAL_AD_CATEGORY_PAGE, TARGETING_PAGE))
def A021(document: Document) -> Iterator[Diagnostic]:
    """A campaign in the HOUSING, EMPLOYMENT or CREDIT (now
    FINANCIAL_PRODUCTS_SERVICES) category whose ads concern the United
    States (special_ad_category_country or the ad set's countries name US)
    cannot narrow its audience by age or gender, nor target ZIP codes: its ad
    sets keep age_min 18, age_max 65 and every gender.

    Bad (objects):
        adset renters in rentals {
          targeting {
            countries [US]
            genders [2]
          }
        }
        campaign rentals {
          special_ad_categories [HOUSING]
          special_ad_category_country [US]
        }

    Good (objects):
        adset renters in rentals {
          targeting {
            countries [US]
          }
        }
        campaign rentals {
          special_ad_categories [HOUSING]
          special_ad_category_country [US]
        }
    """
    for adset in document.of_kind("adset"):
        campaign = campaign_of(document, adset)
        targeting = adset.view.get("targeting")
        if campaign is None or not isinstance(targeting, dict):
            continue
        categories = campaign.view.get("special_ad_categories")
        restricted = [enum(c) for c in categories if enum(c) in
                      RESTRICTED_TARGETING_CATEGORIES] if isinstance(categories, list) else []
        places = [*(campaign.view.get("special_ad_category_country") or []),
                  *(get(targeting, "geo_locations", "countries") or [])]
        if not restricted or "US" not in map(enum, places):
            continue
        narrowed = [key for key in ("age_min",) if (_age(targeting, key) or 18) > 18]
        narrowed += _narrowed(targeting)
        if get(targeting, "geo_locations", "zips"):
            narrowed.append("geo_locations/zips")
        if not narrowed:
            continue
        first, *more = narrowed
        names = [n.rsplit("/", 1)[-1] for n in narrowed]
        yield report(A021, adset, f"/targeting/{first}",
                     f"ad set '{adset.name}' narrows {_listed(names)}, which a {restricted[0]} "
                     "campaign may not where the United States is concerned",
                     notes=[_note(adset, f"/targeting/{m}", f"{m.rsplit('/', 1)[-1]} too")
                            for m in more],
                     help="reach everyone 18-65+: leave out " + advice(
                         document, dsl=_listed(names),
                         json=_listed([as_json(n) for n in names])))


def _listed(names: list[str]) -> str:
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


RULES = [A001, A002, A003, A004, A005, A006, A007, A008, A009, A010, A011, A012, A013, A014,
         A020, A021]
