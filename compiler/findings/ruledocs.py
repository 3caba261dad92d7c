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
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from ..rules.base import Rule

# An example's header says what its snippet is, so that the tests can make it
# a whole file (tests/test_explain.py `as_file`): `Bad (steps):`. Readers are
# told only what they need to read it: None when it reads as a file.
WRAPPERS: dict[str, str | None] = {
    "file": None,  # a whole .adflow file, as written
    "objects": None,  # top-level objects; the test adds the ad account
    "objects on acme": None,  # the same, using page acme, which the test adds too
    "steps": "inside a lead form",  # steps and settings of a lead form on acme
    "JSON file": "JSON",  # a whole .json file, as written
    "JSON step": "a step of a JSON lead form",  # one object of a step_list
}
_EXAMPLE = re.compile(r"^(Bad|Good)(?: \(([^)\n]*)\))?:\n((?:    .*\n?|\n)+)", re.MULTILINE)
_HEADER = re.compile(r"^(Bad|Good) \(([^)\n]*)\):$", re.MULTILINE)


class Example(NamedTuple):
    snippet: str
    wrapper: str  # what the snippet is, from its header: a key of WRAPPERS ("" if none)

    @property
    def language(self) -> str:
        return "json" if self.wrapper.startswith("JSON") else "adflow"


def examples(doc: str) -> tuple[str, dict[str, Example]]:
    """The prose before the examples, and 'Bad' / 'Good' -> its example."""
    found = {}
    for m in _EXAMPLE.finditer(doc + "\n"):
        lines = [line[4:] for line in m.group(3).split("\n")]  # LF only, as adflow (X005)
        found[m.group(1)] = Example("\n".join(lines).strip("\n") + "\n", m.group(2) or "")
    first = _EXAMPLE.search(doc + "\n")
    prose = (doc[:first.start()] if first else doc).strip()
    return prose, found


def title(kind: str, wrapper: str) -> str:
    """'Bad' or 'Good' as a reader sees it: with what the snippet is in when
    it does not read as a file of its own."""
    said = WRAPPERS.get(wrapper, wrapper)
    return f"{kind} ({said})" if said else kind


def readable(doc: str) -> str:
    """A docstring for the terminal (`adflow explain`): example headers as
    `title` says them."""
    return _HEADER.sub(lambda m: title(m.group(1), m.group(2)) + ":", doc)


def sources() -> dict[str, str]:
    """Code -> the file that implements the rule, relative to the repository."""
    from .. import rules

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
    for kind in ("Bad", "Good"):
        if kind in found:
            example = found[kind]
            out += [f"## {title(kind, example.wrapper)}", "", f"```{example.language}",
                    example.snippet.rstrip("\n"), "```", ""]
    if "Bad" in found and "Good" in found:
        bad, good = (found[k].snippet.rstrip("\n").split("\n") for k in ("Bad", "Good"))
        diff = difflib.unified_diff(bad, good, "bad", "good", lineterm="", n=1)
        out += ["## How to fix", "", "From the bad example to the good one:", "", "```diff",
                *list(diff)[2:], "```", ""]
    if rule.evidence:
        out += ["## Evidence", "", "What makes Meta reject it, or the requirement it rests on:", "",
                *(f"- {evidence_markdown(e)}" for e in rule.evidence), ""]
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


_URL = re.compile(r"https://[^\s)\"']+")


def urls(evidence: tuple[str, ...]) -> list[str]:
    """The public URLs an evidence list names, in order."""
    return [u.rstrip(".,;") for e in evidence for u in _URL.findall(e)]


def primary_url(evidence: tuple[str, ...]) -> str | None:
    """The first public page behind a rule (SARIF's helpUri), if any."""
    found = urls(evidence)
    return found[0] if found else None


def evidence_markdown(item: str) -> str:
    """One evidence item with its URLs as links."""
    return _URL.sub(lambda m: f"<{m.group(0)}>", item)


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
