"""Rule documentation as Markdown, one page per code, made from the rule's
docstring (what, why, a bad and a good example, the fix between them) and
where the rule is implemented. `adflow rules --format markdown -o docs/rules/`
writes the pages checked in under docs/rules/; SARIF's `help.markdown` is the
same page."""

from __future__ import annotations

import difflib
import importlib
import pkgutil
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .rules.base import Rule

# The examples of a docstring, as tests/test_explain.py runs them.
_EXAMPLE = re.compile(r"^(Bad|Good)( \(JSON\))?:\n((?:    .*\n?|\n)+)", re.MULTILINE)
# Pages the writer owns in a folder: stale ones (a code removed) go.


def examples(doc: str) -> tuple[str, dict[str, tuple[str, str]]]:
    """The prose before the examples, and 'Bad' / 'Good' -> (snippet, language)."""
    found = {}
    for m in _EXAMPLE.finditer(doc + "\n"):
        snippet = "\n".join(line[4:] for line in m.group(3).splitlines()).strip("\n") + "\n"
        is_json = bool(m.group(2)) or snippet.lstrip().startswith(("{", "["))
        found[m.group(1)] = (snippet, "json" if is_json else "adflow")
    first = _EXAMPLE.search(doc + "\n")
    prose = (doc[:first.start()] if first else doc).strip()
    return prose, found


def sources() -> dict[str, str]:
    """Code -> the file that implements the rule, relative to the repository."""
    from . import rules

    out = {}
    for info in pkgutil.iter_modules(rules.__path__):
        module = importlib.import_module(f"{rules.__name__}.{info.name}")
        for rule in getattr(module, "RULES", []):
            out[rule.code] = f"compiler/rules/{info.name}.py"
    return out


def page(rule: Rule, source: str | None = None) -> str:
    prose, found = examples(rule.doc)
    out = [f"# {rule.code}: {rule.name}", "",
           f"Default severity: **{rule.severity.value}**", "",
           "## What it finds", "", _sentence(rule.summary), ""]
    if prose:
        out += ["## Why", "", prose, ""]
    for kind, title in (("Bad", "Bad"), ("Good", "Good")):
        if kind in found:
            snippet, language = found[kind]
            out += [f"## {title}", "", f"```{language}", snippet.rstrip("\n"), "```", ""]
    if "Bad" in found and "Good" in found:
        diff = difflib.unified_diff(found["Bad"][0].splitlines(), found["Good"][0].splitlines(),
                                    "bad", "good", lineterm="", n=1)
        out += ["## How to fix", "", "From the bad example to the good one:", "", "```diff",
                *list(diff)[2:], "```", ""]
    out += ["## Source", ""]
    if rule.raised_in:
        files = " and ".join(", ".join(f"`{f}`" for f in rule.raised_in).rsplit(", ", 1))
        out.append(f"Reported while reading the file, in {files}; documented in `{source}`."
                   if source else f"Reported while reading the file, in {files}.")
    elif source:
        out.append(f"Implemented in `{source}`.")
    out.append(f"`adflow explain {rule.code}` (or `adflow explain {rule.name}`) shows this "
               "documentation in the terminal.")
    if found:
        out.append(f"The test suite runs the examples above: the bad one is reported as "
                   f"{rule.code}, the good one is not.")
    out.append("")
    return "\n".join(out)


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def index(rules: list[Rule]) -> str:
    out = ["# adflow rules", "",
           "One page per diagnostic code, generated from the rules' documentation by",
           "`adflow rules --format markdown -o docs/rules/` (a test keeps them current).", "",
           "| code | name | severity | what it finds |", "|---|---|---|---|"]
    for r in rules:
        summary = r.summary.replace("|", "\\|")
        out.append(f"| [{r.code}]({r.code}.md) | {r.name} | {r.severity.value} | {summary} |")
    return "\n".join(out) + "\n"


def pages(rules: list[Rule]) -> dict[str, str]:
    """File name -> text, for the whole folder."""
    where = sources()
    out = {f"{r.code}.md": page(r, where.get(r.code)) for r in rules}
    out["README.md"] = index(rules)
    return out
