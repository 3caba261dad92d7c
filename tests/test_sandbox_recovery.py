"""Recovery after the curl bundle's exit 3, practised against the sandbox:
the look-up URL the bundle prints (`GET .../{edge}?fields=id,name`) is
answered, so a user can find the object it may have created and go on with
`--assume-created KEY=ID`."""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLES, TOKEN, Sandbox, compile_bundle, run_bundle

pytestmark = pytest.mark.tools

LOOKUP = re.compile(r"or GET (http://\S+\?fields=id,name)")


def look_up(url: str) -> dict[str, Any]:
    request = urllib.request.Request(url, headers={"Authorization": f"OAuth {TOKEN}"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        value: dict[str, Any] = json.loads(answer.read())
        return value


# The seed's requests in order: 1 the lead form (a page's edge), 2 the
# campaign, 3 the ad set, 4 the creative, 5 the ad.
@pytest.mark.parametrize(("number", "key"), [(1, "lead_form.quote"), (3, "adset.quote_us"),
                                             (5, "ad.quote_ad")])
def test_a_dropped_create_is_found_with_the_printed_look_up(number: int, key: str,
                                                            tmp_path: Path) -> None:
    bundle, plan = compile_bundle(SAMPLES / "seed_lead_form.adflow", tmp_path)
    request = plan["requests"][number - 1]
    assert request["key"] == key
    with Sandbox(tmp_path, "--fail", f"{number}:drop") as sandbox:
        stopped = run_bundle(bundle, sandbox.url)
        assert stopped.returncode == 3, stopped.stderr
        found = LOOKUP.search(stopped.stderr)
        assert found, stopped.stderr
        listed = look_up(found.group(1))["data"]
        name = request["body"].get("name")
        matches = [row["id"] for row in listed if name is None or row.get("name") == name]
        assert len(matches) == 1, listed
        resumed = run_bundle(bundle, sandbox.url, "--assume-created", f"{key}={matches[0]}")
        assert resumed.returncode == 0, resumed.stderr
        entries = sandbox.entries()
    created = [e for e in entries if e["method"] == "POST" and "id" in e["response"]]
    assert len(created) == len(plan["requests"])  # nothing was created twice
