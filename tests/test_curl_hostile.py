"""Hostile copy through the curl bundle: whatever a marketer writes in names,
messages and welcome texts reaches the (sandboxed) Graph API byte for byte,
and nothing in it runs as a command."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from adflow.compiler.front.source import Source
from adflow.compiler.pipeline import check_source
from adflow.emitters.curl import render_curl
from adflow.emitters.requests import build_plan
from hypothesis import given, settings
from hypothesis import strategies as st
from test_curl_bundle import assert_plan_sent_once, run_bundle
from test_sandbox import Sandbox

CANARY = Path(tempfile.gettempdir()) / "adflow-hostile-canary"

# Shell, curl and heredoc hazards, and text that is awkward for terminals and JSON.
HAZARDS = [
    "'", '"', "\\", "$(touch " + str(CANARY) + ")", "`touch " + str(CANARY) + "`",
    "'; touch " + str(CANARY) + "; '", '"; touch ' + str(CANARY) + '; "', "${PATH}", "$HOME",
    "\n", "\r\n", "\r", "\t", "EOF", "\nEOF\n", "\nJSON\n", "\nPLAN\n", "@/etc/passwd",
    "<\n/etc/passwd", ";type=text/html", "%", "%s%n", "%0a", "\nAuthorization: x\n",
    "-H X-Injected: 1", "😀", "שלום עולם", "مرحبا", "\u2028", "\u2029", "\u00a0", "!!", "*",
]

hostile_text = st.lists(
    st.one_of(st.sampled_from(HAZARDS),
              st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="{}"),
                      max_size=4)),
    min_size=1, max_size=5).map(lambda parts: "x" + "".join(parts))


def dsl_string(text: str) -> str:
    """A DSL string literal holding exactly `text`."""
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif code < 0x20 or 0x7F <= code < 0xA0 or code in (0x2028, 0x2029) or code > 0xFFFF:
            out.append("".join(f"\\u{unit:04x}" for unit in _utf16(char)))
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _utf16(char: str) -> list[int]:
    data = char.encode("utf-16-be")
    return [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2)]


def program(texts: list[str]) -> str:
    name, message, welcome, step, form = (dsl_string(t) for t in texts)
    return f"""api v25.0
account act_1234567890
page acme 111222333444

lead_form quote on acme {{
  template_name {form}
  privacy_url "https://acme.example/privacy"
  reminder {message}
  intro {step} -> city
  question city {step} prefill CITY optional -> thanks
  confirmation thanks {step}
}}

campaign chat {{
  name {name}
  objective OUTCOME_ENGAGEMENT
  special_ad_categories [NONE]
  adset_budget_sharing false
}}

adset chat_us in chat {{
  name {name}
  optimization_goal CONVERSATIONS
  destination MESSENGER
  daily_budget 2500
  promoted_page acme
  targeting {{
    countries [US]
  }}
}}

creative text_image {{
  name {name}
  page acme
  image hash "9f1c2e" link "https://acme.example/spring.jpg"
  message {message}
  call_to_action LEARN_MORE -> MESSENGER
  welcome text {welcome}
}}

ad chat_ad {{
  name {name}
  adset chat_us
  creative text_image
}}
"""


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    with Sandbox(tmp_path_factory.mktemp("hostile")) as running:
        yield running


def test_dsl_string_round_trips_through_the_compiler() -> None:
    text = "a\"b\\c\nd\r\u2028😀"
    result = check_source(Source("t.adflow", program([text] * 5)))
    assert result.document is not None and not result.errors
    assert result.document.get("campaign.chat").body["name"] == text  # type: ignore[union-attr]


@settings(max_examples=max(5, settings().max_examples // 4))
@given(texts=st.lists(hostile_text, min_size=5, max_size=5))
def test_hostile_text_arrives_intact_and_runs_nothing(sandbox: Sandbox, texts: list[str]) -> None:
    result = check_source(Source("hostile.adflow", program(texts)))
    assert result.document is not None and not result.errors, result.diagnostics
    CANARY.unlink(missing_ok=True)
    before = len(sandbox.entries())
    with tempfile.TemporaryDirectory() as folder:
        bundle = Path(folder) / "bundle.sh"
        bundle.write_text(render_curl(result.document), encoding="utf-8")
        done = run_bundle(bundle, sandbox.url)
    assert done.returncode == 0, done.stderr
    assert_plan_sent_once(build_plan(result.document), sandbox.entries()[before:])
    assert not CANARY.exists()


@pytest.mark.parametrize("key", ["x$(touch " + str(CANARY) + ")", "a b", "-x", "a;b", "k\n",
                                 "ü", 7])
def test_a_plan_key_that_is_not_a_plain_name_is_refused(key: object, tmp_path: Path) -> None:
    import json
    import subprocess

    from conftest import ADFLOW, SAMPLES

    plan = json.loads(subprocess.run([ADFLOW, "compile", str(SAMPLES / "seed_lead_form.adflow"),
                                      "--emit", "json"], capture_output=True, text=True,
                                     timeout=60, check=True).stdout)
    plan["requests"][1]["key"] = key
    for request in plan["requests"][2:]:  # what referred to the campaign follows its key
        text = json.dumps(request["body"]).replace('"campaign.quote_leads"', json.dumps(key))
        request["body"] = json.loads(text)
    source = tmp_path / "plan.json"
    source.write_text(json.dumps(plan, indent=2))
    line = next(n for n, text in enumerate(source.read_text().splitlines(), 1)
                if text.strip().startswith('"key"') and json.dumps(key) in text)
    done = subprocess.run([ADFLOW, "compile", str(source), "--emit", "curl", "-o",
                           str(tmp_path / "create.sh")], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 1, done.stderr
    assert f"plan.json:{line}:" in done.stderr and "S007" in done.stderr
    assert "not a plain name" in done.stderr
    assert not (tmp_path / "create.sh").exists() and not CANARY.exists()


def _seed_plan() -> dict[str, object]:
    import json
    import subprocess

    from conftest import ADFLOW, SAMPLES

    plan: dict[str, object] = json.loads(subprocess.run(
        [ADFLOW, "compile", str(SAMPLES / "seed_lead_form.adflow"), "--emit", "json"],
        capture_output=True, text=True, timeout=60, check=True).stdout)
    return plan


def _compile_refused(plan: dict[str, object], member: str, value: object,
                     tmp_path: Path, code: str = "S007") -> None:
    """Compiling `plan` is refused with `code` on the line holding `member`."""
    import json
    import subprocess

    from conftest import ADFLOW

    source = tmp_path / "plan.json"
    source.write_text(json.dumps(plan, indent=2))
    line = next(n for n, text in enumerate(source.read_text().splitlines(), 1)
                if text.strip().startswith(f'"{member}": {json.dumps(value)}'))
    done = subprocess.run([ADFLOW, "compile", str(source), "--emit", "curl", "-o",
                           str(tmp_path / "create.sh")], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 1, done.stderr
    assert f"plan.json:{line}:" in done.stderr and code in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "create.sh").exists() and not CANARY.exists()


@pytest.mark.parametrize(("path", "code"), [
    # a token in the URL's query is read as a parameter, and refused as one
    ("act_1234567890/campaigns?access_token=x", "X001"),
    ("v25.0/act_1/../../act_9/campaigns", "S007"),
    ("https://evil.example/act_1234567890/campaigns", "S007"),
    ("act_1234567890/campaigns\n", "S007"), ("act_1234567890/campaigns#x", "S007"),
    ("act_12'$(touch " + str(CANARY) + ")'/campaigns", "S007"),
    ("act_١٢٣/campaigns", "S007"), ("me/campaigns", "S007")])
def test_a_request_path_that_is_not_node_and_edge_is_refused(path: str, code: str,
                                                             tmp_path: Path) -> None:
    # The bundle sends to API_VERSION/PATH: a path that is not NODE/EDGE would
    # reach another endpoint, or stop the bundle half way with exit 2.
    plan = _seed_plan()
    requests = plan["requests"]
    assert isinstance(requests, list)
    requests[1]["path"] = path
    _compile_refused(plan, "path", path, tmp_path, code)


@pytest.mark.parametrize("version", ["v25.0/../act_9", "v25.0?a=b", "v25.0'$(touch "
                                     + str(CANARY) + ")'", "v25.0\u2028", "25", "v٢٥.0"])
def test_a_plan_api_version_that_is_not_one_is_refused(version: str, tmp_path: Path) -> None:
    plan = _seed_plan()
    plan["api_version"] = version
    _compile_refused(plan, "api_version", version, tmp_path)


@pytest.mark.parametrize("path", ["/act_1234567890/campaigns", "v25.0/act_1234567890/campaigns",
                                  "/v25.0/act_1234567890/campaigns"])
def test_a_request_path_as_the_docs_write_it_is_read_as_node_and_edge(path: str) -> None:
    import json

    request = {"method": "POST", "path": path, "body": {
        "name": "c", "objective": "OUTCOME_TRAFFIC", "special_ad_categories": ["NONE"],
        "is_adset_budget_sharing_enabled": False}}
    result = check_source(Source("request.json", json.dumps(request)))
    assert result.document is not None
    assert [r["path"] for r in build_plan(result.document)["requests"]] == [
        "act_1234567890/campaigns"]


def test_the_bundle_refuses_an_api_version_that_is_not_one(tmp_path: Path) -> None:
    # The compiler never writes one; a bundle edited by hand must not send there either.
    from conftest import SAMPLES
    from test_curl_bundle import compile_bundle

    bundle = compile_bundle(SAMPLES / "seed_lead_form.adflow", tmp_path)[0]
    text = bundle.read_text()
    assert "readonly API_VERSION='v25.0'\n" in text
    bundle.write_text(text.replace("readonly API_VERSION='v25.0'\n",
                                   "readonly API_VERSION='v25.0/../act_9'\n"))
    done = run_bundle(bundle, "http://127.0.0.1:9")
    assert done.returncode == 2, done.stderr
    assert "API version" in done.stderr
