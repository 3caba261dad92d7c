"""Whole-input handling: JSON payloads, encodings, line endings, limits."""

from __future__ import annotations

import json
from pathlib import Path

from adflow.compiler.front.source import Source
from adflow.compiler.pipeline import Limits, check_file, check_source

ROOT = Path(__file__).resolve().parent.parent
SEED_JSON = ROOT / "samples" / "payloads" / "seed_lead_form.json"


def pairs(result) -> set[tuple[str, int]]:  # type: ignore[no-untyped-def]
    return {(d.code, d.span.line) for d in result.diagnostics}


def test_seed_lead_form_json_checks_with_only_the_validation_warning() -> None:
    result = check_file(SEED_JSON)
    # validation on quick replies (as Meta's example has it), and the v24+
    # deprecation of creating lead forms through the API
    assert pairs(result) == {("F010", 21), ("D001", 1)}
    assert {d.severity.value for d in result.diagnostics} == {"warning"}


def test_json_findings_point_into_the_json(tmp_path: Path) -> None:
    body = json.loads(SEED_JSON.read_text())
    body["step_list"][2]["next_step_ids"] = "1"  # city jumps back to interest
    path = tmp_path / "form.json"
    text = json.dumps(body, indent=2)
    path.write_text(text)
    result = check_file(path)
    [f003] = [d for d in result.diagnostics if d.code == "F003"]
    line = text.splitlines()[f003.span.line - 1]
    assert '"next_step_ids": "1"' in line
    assert line[f003.span.column - 1:].startswith('"1"')


def test_next_step_ids_as_integers_and_strings_are_equivalent(tmp_path: Path) -> None:
    body = json.loads(SEED_JSON.read_text())
    body["step_list"][1]["next_step_ids"] = ["2", "6", "2"]
    body["step_list"][0]["next_step_ids"] = [1]
    path = tmp_path / "form.json"
    path.write_text(json.dumps(body))
    assert {d.code for d in check_file(path).diagnostics} == {"F010", "D001"}


def test_invalid_json_is_s002_with_position(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{\n  "privacy_url": "https://x.example",\n}\n')
    [d] = check_file(path).diagnostics
    assert (d.code, d.span.line, d.span.column) == ("S002", 3, 1)
    assert "trailing comma" in (d.help or "")


def test_single_quoted_json_is_s002(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("[{'message': {'text': 'hi'}}]")
    [d] = check_file(path).diagnostics
    assert d.code == "S002" and "double quotes" in (d.help or "")


def test_unknown_json_document_is_s005(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text('{"hello": "world"}')
    [d] = check_file(path).diagnostics
    assert d.code == "S005"


def test_nul_byte_and_bad_utf8_are_s003(tmp_path: Path) -> None:
    nul = tmp_path / "nul.adflow"
    nul.write_bytes(b"account act_1\ncam\x00paign")
    [d] = check_file(nul).diagnostics
    assert (d.code, d.span.line, d.span.column) == ("S003", 2, 4)
    latin = tmp_path / "latin.adflow"
    latin.write_bytes(b'account act_1\n# caf\xe9\n')
    [d] = check_file(latin).diagnostics
    assert (d.code, d.span.line, d.span.column) == ("S003", 2, 6)


def test_size_and_depth_limits_are_s004(tmp_path: Path) -> None:
    big = tmp_path / "big.adflow"
    big.write_text("# x\n" * 1000)
    [d] = check_file(big, limits=Limits(max_bytes=100)).diagnostics
    assert d.code == "S004"
    deep = "[" * 5000 + "]" * 5000
    [d] = check_source(Source("deep.json", deep)).diagnostics
    assert d.code == "S004" and d.span.column == Limits().max_depth + 1


def test_bom_crlf_and_cr_give_the_same_positions(tmp_path: Path) -> None:
    text = ("account act_1\ncampaign spring {\n  objectve OUTCOME_LEADS\n"
            "  objective OUTCOME_LEADS\n  special_ad_categories [NONE]\n"
            "  adset_budget_sharing false\n}\n")
    found = set()
    for name, data in {
        "lf": text.encode(),
        "bom": b"\xef\xbb\xbf" + text.encode(),
        "crlf": text.replace("\n", "\r\n").encode(),
        "cr": text.replace("\n", "\r").encode(),
    }.items():
        path = tmp_path / f"{name}.adflow"
        path.write_bytes(data)
        [d] = check_file(path).diagnostics
        found.add((d.code, d.span.line, d.span.column, d.span.end_column))
    assert found == {("S006", 3, 3, 11)}
