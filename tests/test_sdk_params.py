"""adflow against Meta's own generated client (facebook-business 25.0.3):
every enum value adflow accepts is in the SDK's enum (or a documented extra),
and every top-level key adflow emits is a POST parameter of its endpoint."""

from __future__ import annotations

from pathlib import Path

import pytest
from adflow.compiler.bodies.model import ENDPOINTS
from adflow.compiler.facts import facts
from adflow.compiler.pipeline import check_file
from conftest import SAMPLES
from facebook_business.adobjects.adcreativelinkdatacalltoaction import (
    AdCreativeLinkDataCallToAction,
)
from facebook_business.adobjects.adset import AdSet
from facebook_business.adobjects.campaign import Campaign
from test_facts_sdk import sdk_params


def sdk_enum(holder: type) -> set[str]:
    return {v for k, v in vars(holder).items() if not k.startswith("_") and isinstance(v, str)}


@pytest.mark.parametrize("ours, holder, extras", [
    (facts.OBJECTIVES, Campaign.Objective, set()),
    (facts.SPECIAL_AD_CATEGORIES, Campaign.SpecialAdCategories, set()),
    (facts.SETTABLE_STATUSES, Campaign.Status, set()),
    (facts.OPTIMIZATION_GOALS, AdSet.OptimizationGoal, set()),
    (facts.BILLING_EVENTS, AdSet.BillingEvent, set()),
    (facts.BID_STRATEGIES, AdSet.BidStrategy, set()),
    (facts.ALL_DESTINATION_TYPES, AdSet.DestinationType, facts.DESTINATION_TYPES_DOCUMENTED),
    (facts.ALL_CALL_TO_ACTION_TYPES, AdCreativeLinkDataCallToAction.Type,
     facts.CALL_TO_ACTION_TYPES_DOCUMENTED),
], ids=["objective", "special_ad_categories", "status", "optimization_goal", "billing_event",
        "bid_strategy", "destination_type", "call_to_action"])
def test_accepted_enum_values_are_the_sdks(ours: frozenset[str], holder: type,
                                           extras: frozenset[str]) -> None:
    assert set(ours) - set(extras) <= sdk_enum(holder)
    assert not (set(extras) & sdk_enum(holder)), "an 'extra' the SDK has after all"


@pytest.mark.parametrize("endpoint", sorted(facts.POST_PARAMETERS))
def test_parameter_table_is_the_sdks(endpoint: str) -> None:
    assert facts.POST_PARAMETERS[endpoint] == set(sdk_params(endpoint))


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.adflow")), ids=lambda p: p.name)
def test_emitted_top_level_keys_are_post_parameters(path: Path) -> None:
    document = check_file(path).document
    assert document is not None
    for request in document.requests:
        endpoint = ENDPOINTS[request.kind]
        allowed = set(sdk_params(endpoint)) | facts.DOCUMENTED_EXTRA_PARAMETERS.get(endpoint, set())
        assert set(request.body) <= allowed, (request.key, set(request.body) - allowed)


def test_goal_table_uses_known_values() -> None:
    for row in facts.GOAL_TABLE:
        assert row.objective in facts.NEW_CAMPAIGN_OBJECTIVES
        assert row.destination in facts.ALL_DESTINATION_TYPES
        assert row.goals <= facts.OPTIMIZATION_GOALS
