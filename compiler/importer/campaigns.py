"""Campaigns, ad sets and ads as DSL: their field tables say it all."""

from __future__ import annotations

from ..bodies import fields
from .block import MISSING, Block, Refs, write_rows


def write_campaign(refs: Refs, obj: Block) -> str:
    write_rows(refs, obj, fields.CAMPAIGN)
    return f"campaign {obj.name}"


def write_adset(refs: Refs, obj: Block) -> str:
    campaign = obj.peek("campaign_id")
    parent = refs.ref_text(campaign, ("campaign",)) if campaign is not MISSING else None
    if parent is not None:
        obj.drop("campaign_id")
    else:
        obj.lines.append("# the body names no campaign this file can refer to: 0 stands in"
                         if campaign is MISSING else "# campaign_id is sent as written below")
        obj.explained.add("campaign_id")
        parent = "0"
    write_rows(refs, obj, fields.ADSET)
    return f"adset {obj.name} in {parent}"


def write_ad(refs: Refs, obj: Block) -> str:
    write_rows(refs, obj, fields.AD)
    return f"ad {obj.name}"
