"""A request whose parameters are in its URL's query compiles to the same
bytes whatever Python's string hashing (PYTHONHASHSEED) happens to be: the
source map lists the parameters in the order the query writes them."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT

REQUEST = ROOT / "tests" / "corpus" / "f_request_explorer_campaign_query_params.json"


def compiled(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run([sys.executable, "-m", "adflow.compiler.cli.main", "compile",
                           str(REQUEST)], capture_output=True, text=True, env=env, check=True)
    return done.stdout


def test_a_query_compiles_to_the_same_bytes_under_any_hash_seed() -> None:
    outputs = {compiled(seed) for seed in ("1", "2", "3", "4")}
    assert len(outputs) == 1
    source_map = outputs.pop().split('"source_map"', 1)[1]
    order = [source_map.index(f'"/{name}"') for name in
             ("name", "objective", "status", "special_ad_categories",
              "is_adset_budget_sharing_enabled")]
    assert order == sorted(order)
