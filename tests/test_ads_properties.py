"""Hypothesis: generated valid ad files check without errors, compile to
bodies that validate against the schemas, and compile to the same bytes twice."""

from __future__ import annotations

from adflow.compiler.front.source import Source
from adflow.compiler.pipeline import check_source
from adflow.emitters.requests import render_plan
from hypothesis import given
from hypothesis import strategies as st

text = st.text(st.characters(codec="utf-8", exclude_characters='"\\\n\r{}',
                             exclude_categories=("Cc", "Cf", "Cs")), min_size=1, max_size=30)
quoted = text.map(lambda s: '"' + s + '"')

# (objective, destination, goal) rows that are certain in the goal table.
COMBOS = [("OUTCOME_ENGAGEMENT", "MESSENGER", "CONVERSATIONS"),
          ("OUTCOME_SALES", "MESSENGER", "CONVERSATIONS"),
          ("OUTCOME_TRAFFIC", "MESSENGER", "LINK_CLICKS"),
          ("OUTCOME_TRAFFIC", "MESSENGER", "IMPRESSIONS")]


@st.composite
def welcomes(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["none", "text", "ice", "call", "templates"]))
    if kind == "text":
        return f"  welcome text {draw(quoted)}"
    if kind == "ice":
        pairs = draw(st.lists(st.tuples(quoted, quoted), min_size=1, max_size=4))
        body = "\n".join(f"    {a} => {b}" for a, b in pairs)
        return f"  welcome ice_breakers {draw(quoted)} {{\n{body}\n  }}"
    if kind == "call":
        return f"  welcome call_prompt {draw(quoted)} prompt {draw(quoted)}"
    if kind == "templates":
        n = draw(st.integers(1, 5))
        lines = [f"    message {draw(quoted)}" for _ in range(n)]
        return "  welcome templates {\n" + "\n".join(lines) + "\n  }"
    return ""


@st.composite
def ad_files(draw: st.DrawFn) -> str:
    objective, destination, goal = draw(st.sampled_from(COMBOS))
    budget = draw(st.integers(1, 10**9))
    countries = draw(st.lists(st.sampled_from(["US", "CA", "GB", "DE", "NL", "BR", "JP"]),
                              min_size=1, max_size=4, unique=True))
    media = draw(st.sampled_from([
        'image hash "abc123" link "https://acme.example/a.jpg"',
        'image url "https://acme.example/a.jpg"',
        'video 123456789 thumbnail "https://acme.example/t.jpg"']))
    cta = draw(st.sampled_from(["MESSAGE_PAGE", "LEARN_MORE"]))
    return "\n".join([
        "api v25.0", "account act_1234567890", "page acme 111222333444", "",
        "campaign c {", f"  name {draw(quoted)}", f"  objective {objective}",
        "  special_ad_categories [NONE]", "  adset_budget_sharing false", "}",
        "adset s in c {", f"  optimization_goal {goal}", f"  destination {destination}",
        f"  daily_budget {budget}", "  promoted_page acme",
        "  targeting {", f"    countries [{', '.join(countries)}]", "  }", "}",
        "creative k {", "  page acme", f"  {media}", f"  message {draw(quoted)}",
        f"  call_to_action {cta} -> MESSENGER", draw(welcomes()), "}",
        "ad a {", "  adset s", "  creative k", "}", ""])


@given(ad_files())
def test_generated_ad_files_compile_and_validate(text_: str) -> None:
    result = check_source(Source("gen.adflow", text_))
    errors = [d for d in result.diagnostics if d.severity.value == "error"]
    assert errors == [], errors
    assert result.document is not None
    first = render_plan(result.document)  # raises if a body breaks its schema
    again = check_source(Source("gen.adflow", text_)).document
    assert again is not None and render_plan(again) == first
