"""Fuzzing the JSON payload path, and hostile inputs on both paths.

Grammar-based fuzzing of the DSL lives in test_flow_properties.py. Here:
random JSON values, structural mutations of real payloads and plans (the
samples and what `compile` makes of them) and random byte edits of them.
Invariants: nothing raises out of `check` or the plan emitter, every span
lies inside the source, and compiling is deterministic.
`make fuzz` runs these with the "fuzz" Hypothesis profile (10,000 examples).
"""

from __future__ import annotations

import copy
import json
import subprocess
import time
from pathlib import Path
from typing import Any

from adflow.compiler.front.limits import DEFAULT_LIMITS
from adflow.compiler.front.source import InputError, Source, decode
from adflow.compiler.pipeline import FileResult, Limits, check_file, check_source
from adflow.emitters.requests import render_plan
from conftest import ADFLOW, SAMPLES
from hypothesis import given
from hypothesis import strategies as st
from test_flow_properties import assert_spans_inside

PAYLOADS = sorted((SAMPLES / "payloads").glob("*.json"))
DSL_SAMPLES = sorted(SAMPLES.glob("*.adflow"))  # the clean ones, which compile


def _plan_of(path: Path) -> str:
    result = check_file(path)
    assert result.document is not None and not result.errors, path
    return render_plan(result.document)


# Valid JSON inputs to start from: the payload samples and the plans of the DSL samples.
SEEDS: dict[str, str] = {
    **{p.name: p.read_text(encoding="utf-8") for p in PAYLOADS},
    **{p.stem + ".plan.json": _plan_of(p) for p in DSL_SAMPLES},
}

# Keys and values adflow's readers and rules look at, so random JSON gets past
# "unknown document" and into the rules more often than not.
_KEYS = ["step_list", "step_id", "step_type", "reply_type", "next_step_ids", "answers",
         "prefill_type", "allow_to_skip", "answer_validation_enabled", "message",
         "privacy_url", "reminder_text", "template_name", "format", "requests", "api_version",
         "method", "path", "body", "key", "objective", "special_ad_categories",
         "optimization_goal", "billing_event", "destination_type", "promoted_object",
         "object_story_spec", "link_data", "page_welcome_message", "call_to_action",
         "adset_id", "creative", "targeting", "daily_budget", "$ref", "$json", "name"]
_WORDS = ["INTRO", "QUESTION", "CONFIRMATION", "DISQUALIFY", "NONE", "PREFILL",
          "QUICK_REPLIES", "CITY", "EMAIL", "PHONE", "0", "1", "2", "adflow.plan/1", "v25.0",
          "v1.0", "act_1/campaigns", "1/messenger_lead_forms", "OUTCOME_LEADS", "MESSENGER",
          '{"type": "VISUAL_EDITOR"}', "[", "", "https://x.example/privacy", "\u202e"]

_scalars = (st.none() | st.booleans() | st.integers(-(2**70), 2**70)
            | st.floats(allow_nan=False, allow_infinity=False)
            | st.sampled_from(_WORDS) | st.text(max_size=10))
json_values = st.recursive(
    _scalars,
    lambda inner: (st.lists(inner, max_size=5)
                   | st.dictionaries(st.sampled_from(_KEYS) | st.text(max_size=6), inner,
                                     max_size=6)),
    max_leaves=30)


def check_text(name: str, text: str) -> FileResult:
    result = check_source(Source(name, text))
    assert_spans_inside(result, text)
    return result


def check_bytes(name: str, data: bytes) -> FileResult | None:
    """What check_file does, without a disk: None when the bytes are not text."""
    try:
        source = decode(name, data)
    except InputError as exc:
        assert exc.code in {"S003", "S004"} and exc.span.line >= 1
        return None
    return check_text(name, source.text)


def assert_compiles_deterministically(name: str, text: str) -> None:
    """Two independent runs on the same text emit the same plan, if any."""
    first = check_text(name, text)
    if first.document is None or first.errors:
        return  # compile refuses it with diagnostics
    plan = render_plan(first.document)
    second = check_source(Source(name, text))
    assert second.document is not None
    assert render_plan(second.document) == plan
    json.loads(plan)  # the plan is JSON


def _containers(value: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths of every dict and list in a JSON value."""
    found = []
    if isinstance(value, (dict, list)):
        found.append(at)
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            found += _containers(item, (*at, key))
    return found


@st.composite
def mutated_seeds(draw: st.DrawFn) -> tuple[str, str]:
    """A seed with a few values replaced, keys dropped or added: still JSON,
    mostly still the same kind of document, so the rules see odd values."""
    name = draw(st.sampled_from(sorted(SEEDS)))
    value = json.loads(SEEDS[name])
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.sampled_from(_containers(value)))
        node = value
        for key in where:
            node = node[key]
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        op = draw(st.sampled_from(["replace", "drop", "add", "duplicate"]))
        if op == "replace" and keys:
            node[draw(st.sampled_from(keys))] = draw(json_values)
        elif op == "drop" and keys:
            del node[draw(st.sampled_from(keys))]
        elif op == "duplicate" and keys and isinstance(node, list):
            node.append(copy.deepcopy(node[draw(st.sampled_from(keys))]))
        elif isinstance(node, dict):
            node[draw(st.sampled_from(_KEYS))] = draw(json_values)
        else:
            node.append(draw(json_values))
    indent = draw(st.sampled_from([None, 2]))
    return name, json.dumps(value, indent=indent, ensure_ascii=draw(st.booleans()))


_BYTE_PIECES = [b'"', b"{", b"}", b"[", b"]", b",", b":", b"\\", b"\\u", b"\\ud800", b'\\ud800"',
                b"\xff", b"\xc3", b"\x00", b"\r", b"\r\n", b"\xef\xbb\xbf", b"1e999", b"-",
                b"null", b"'", b"\xe2\x80\xae", b"#", b"\t"]


@st.composite
def byte_edited_seeds(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(SEEDS)))
    data = SEEDS[name].encode()
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        piece = draw(st.sampled_from(_BYTE_PIECES) | st.binary(min_size=1, max_size=3))
        op = draw(st.sampled_from(["delete", "insert", "swap"]))
        if op == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 40)):]
        elif op == "insert":
            data = data[:at] + piece + data[at:]
        else:
            data = data[:at] + piece + data[at + len(piece):]
    return name, data


@given(json_values)
def test_random_json_values_never_raise(value: Any) -> None:
    text = json.dumps(value)
    assert_compiles_deterministically("random.json", text)


@given(mutated_seeds())
def test_mutated_payloads_and_plans_never_raise(case: tuple[str, str]) -> None:
    name, text = case
    assert_compiles_deterministically(name, text)


@given(byte_edited_seeds())
def test_byte_edits_of_payloads_and_plans_never_raise(case: tuple[str, bytes]) -> None:
    name, data = case
    check_bytes(name, data)


def test_seeds_are_clean_and_plans_round_trip() -> None:
    """The fuzzers start from inputs without errors; a compiled plan checked as
    JSON finds no error the DSL did not."""
    for name, text in SEEDS.items():
        assert not check_text(name, text).errors, name


def test_compile_cli_is_deterministic(tmp_path: Path) -> None:
    for sample in DSL_SAMPLES:
        runs = [subprocess.run([ADFLOW, "compile", str(sample), "--emit", "json"],
                               capture_output=True, timeout=60) for _ in range(2)]
        assert runs[0].returncode == 0 and runs[0].stdout == runs[1].stdout, sample
        assert runs[0].stdout.decode() == SEEDS[sample.stem + ".plan.json"]


# -- hostile inputs: each must come back quickly with a diagnostic ----------

SECONDS = 5.0  # a sanity bound in CPU time, not a benchmark


def timed_codes(name: str, text: str, limits: Limits = DEFAULT_LIMITS) -> list[str]:
    started = time.process_time()
    result = check_source(Source(name, text), limits)
    assert time.process_time() - started < SECONDS, name
    assert_spans_inside(result, text)
    return [d.code for d in result.diagnostics]


DEEP = 5000
DEEP_INPUTS = {
    "deep_list.adflow":
        "campaign c {\n  special_ad_categories " + "[" * DEEP + "]" * DEEP + "\n}\n",
    "deep_raw.adflow": "campaign c {\n  raw x " + "[" * DEEP + "]" * DEEP + "\n}\n",
    "deep_blocks.adflow": "campaign c {\n" + "  targeting {\n" * DEEP + "}\n" * DEEP + "}\n",
    "deep_array.json": "[" * DEEP + "]" * DEEP,
    "deep_object.json": '{"a": ' * DEEP + "1" + "}" * DEEP,
}


def test_5000_deep_nesting_is_s004_not_a_recursion_error() -> None:
    for name, text in DEEP_INPUTS.items():
        assert timed_codes(name, text) == ["S004"], name


def test_a_configured_depth_cannot_reach_the_recursion_limit() -> None:
    """Even a limit set absurdly high stops before Python's recursion limit."""
    for name, text in DEEP_INPUTS.items():
        assert timed_codes(name, text, Limits(max_depth=10**6)) == ["S004"], name


def test_unclosed_brackets_are_reported_quickly() -> None:
    for name, text in {"open.adflow": "campaign c {\n  raw x " + "[" * DEEP + "\n",
                       "open.json": "{" * DEEP, "close.json": "]" * DEEP}.items():
        assert timed_codes(name, text), name


def test_10_mb_file_is_s004_quickly(tmp_path: Path) -> None:
    line = 'campaign c {\n  objective OUTCOME_LEADS\n}\n'
    text = line * (10 * 1024 * 1024 // len(line) + 1)
    path = tmp_path / "huge.adflow"
    path.write_text(text)
    started = time.process_time()
    [d] = check_file(path).diagnostics
    assert d.code == "S004" and "over the limit" in d.message
    # The same text handed over without a file is stopped too.
    assert timed_codes("huge.adflow", text) == ["S004"]
    assert time.process_time() - started < SECONDS
    cli = subprocess.run([ADFLOW, "check", str(path)], capture_output=True, text=True,
                         timeout=60)
    assert cli.returncode == 1 and "S004" in cli.stdout and "Traceback" not in cli.stderr


def test_a_long_single_line_and_a_long_string_check_quickly() -> None:
    long_string = 'campaign c {\n  name "' + "x" * 2_000_000 + '"\n}\n'
    assert "S004" not in timed_codes("s.adflow", long_string)
    one_line = "account act_1 " + "x " * 1_000_000
    assert timed_codes("l.adflow", one_line)


def test_json_positions_survive_bom_crlf_and_cr() -> None:
    """test_inputs.py covers the DSL; the JSON reader keeps positions too,
    including on the first line, where a byte-order mark sits."""
    text = '{"step_list": [],\n "privacy_url": 7,\n "x": [1,]}\n'
    found = set()
    for data in (text.encode(), b"\xef\xbb\xbf" + text.encode(),
                 text.replace("\n", "\r\n").encode(), text.replace("\n", "\r").encode()):
        result = check_bytes("p.json", data)
        assert result is not None
        found.add(tuple((d.code, d.span.line, d.span.column) for d in result.diagnostics))
    assert found == {(("S002", 3, 10),)}
    bom_first_line = check_bytes("b.adflow", b"\xef\xbb\xbfaccount act_1 extra\n")
    assert bom_first_line is not None
    assert [(d.line, d.column) for d in (x.span for x in bom_first_line.diagnostics)] == [(1, 15)]


def test_mixed_line_endings_count_every_break() -> None:
    result = check_bytes("m.adflow", b"account act_1\r\npage p 1\rpage q 2\ncampaign c {\r\n"
                                     b"  objectve OUTCOME_LEADS\r}\r\n")
    assert result is not None
    assert ("S006", 5, 3) in {(d.code, d.span.line, d.span.column) for d in result.diagnostics}


def test_regressions_found_by_fuzzing() -> None:
    """Each of these once raised out of `check`."""
    form = json.loads(SEEDS["seed_lead_form.json"])
    broken = copy.deepcopy(form)
    broken["privacy_url"] = "https://[acme.example/privacy"  # urlsplit: invalid IPv6 URL
    broken["step_list"][0]["step_type"] = []  # unhashable enum value
    broken["step_list"][3]["prefill_type"] = []
    codes = {d.code for d in check_text("f.json", json.dumps(broken)).diagnostics}
    assert {"F015", "F017"} <= codes
    plan = json.loads(SEEDS["branching_flow.plan.json"])
    plan["requests"].insert(0, None)  # a request that is not an object
    assert "S005" in {d.code for d in check_text("p.json", json.dumps(plan)).diagnostics}
