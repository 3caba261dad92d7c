"""`make bench`'s markets row: a 200-line spec made for 50 markets (texts from
two gettext catalogues) against the same objects written out by hand in one
file. Expansion should cost nothing of its own: the goal is at most 1.2x the
CPU time of compiling the hand-written file."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

MARKETS = 50
# 50 countries, in order: the markets' keys sort as the hand-written file lists them.
COUNTRIES = (
    "AR", "AT", "AU", "BE", "BG", "BR", "CA", "CH", "CL", "CO", "CZ", "DE", "DK",
    "EC", "EE", "ES", "FI", "FR", "GB", "GR", "HR", "HU", "IE", "IL", "IN", "IT",
    "JP", "KR", "LT", "LU", "LV", "MX", "MY", "NL", "NO", "NZ", "PE", "PH", "PL",
    "PT", "RO", "RS", "SE", "SG", "SI", "SK", "TH", "TR", "US", "UY",
)
LANGUAGES = ("es", "pt")
ROUNDS = 9
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _translated(text: str, language: str) -> str:
    return f"{text} ({language})"


def _texts(unit: list[str]) -> list[str]:
    """The texts people read in a unit: every string but names and URLs."""
    found = []
    for line in unit:
        for text in _STRING.findall(line):
            if not text.startswith(("http", "Quote ")) and text not in found:
                found.append(text)
    return found


def _catalogue(texts: list[str], language: str) -> str:
    entries = [f'msgid ""\nmsgstr ""\n"Language: {language}\\n"\n'
               '"Content-Type: text/plain; charset=utf-8\\n"\n']
    entries += [f'msgid "{t}"\nmsgstr "{_translated(t, language)}"\n' for t in texts]
    return "\n".join(entries)


def _market(i: int) -> tuple[str, str, str, int]:
    """(key, country, language, daily budget) of market i."""
    country = COUNTRIES[i]
    return country.lower(), country, LANGUAGES[i % len(LANGUAGES)], 1000 + 100 * i


def _by_hand(header: list[str], unit: list[str], texts: set[str]) -> str:
    """What the markets stand for, written out: each market's form, creative,
    ad set and ad under the one campaign, names suffixed, texts translated."""
    campaign_at = next(n for n, line in enumerate(unit) if line.startswith("campaign "))
    campaign = unit[campaign_at:campaign_at + 6]
    per_market = unit[:campaign_at] + unit[campaign_at + 6:]
    lines = list(header) + campaign
    for i in range(MARKETS):
        key, country, language, budget = _market(i)

        def text(m: re.Match[str], language: str = language, key: str = key) -> str:
            value = m.group(1)
            if value in texts:
                return f'"{_translated(value, language)}"'
            return f'"{value}_{key}"' if value.startswith("Quote ") else m.group(0)

        for line in per_market:
            line = re.sub(r"\b(form0|image0|set0|ad0)\b", rf"\1_{key}", line)
            line = line.replace("countries [NL, BE]", f"countries [{country}]")
            line = line.replace("daily_budget 5000", f"daily_budget {budget}")
            lines.append(_STRING.sub(text, line))
    return "\n".join(lines) + "\n"


def _with_markets(header: list[str], unit: list[str]) -> str:
    lines = list(header)
    for i in range(MARKETS):
        key, country, language, budget = _market(i)
        lines += [f"market {key} {{", f"  locale {language}", f"  countries [{country}]",
                  f"  daily_budget {budget}", f'  translations "{language}.po"', "}", ""]
    return "\n".join(lines + unit) + "\n"


def _requests(plan: Path) -> list[dict[str, Any]]:
    """A plan's requests without their sources, keys as the hand-written file spells them."""
    text = re.sub(r"\[([a-z]+)\]", r"_\1", plan.read_text(encoding="utf-8"))
    return [{k: v for k, v in r.items() if k not in ("source", "source_map")}
            for r in json.loads(text)["requests"]]


def markets(b: Any) -> None:
    """The row: `b` is bench.py's Bench (its temporary folder)."""
    from bench import HEADER, interleaved_runs, median, row, unit

    folder: Path = b.root / "markets"
    folder.mkdir()
    template = unit(0)
    texts = _texts(template)
    for language in LANGUAGES:
        (folder / f"{language}.po").write_text(_catalogue(texts, language), encoding="utf-8")
    spec = folder / "markets.adflow"
    spec.write_text(_with_markets(HEADER, template), encoding="utf-8")
    hand = folder / "by_hand.adflow"
    hand.write_text(_by_hand(HEADER, template, set(texts)), encoding="utf-8")
    # Interleaved rounds: five runs of one file, then five of the other,
    # swung the ratio from 0.8x to 1.4x.
    runs = interleaved_runs({path.name: [b.adflow, "compile", str(path), "--emit", "json",
                                         "-o", str(path.with_suffix(".plan.json"))]
                             for path in (spec, hand)}, ROUNDS, warm=False)
    assert all(r.status == 0 for done in runs.values() for r in done), "a file did not compile"
    cpu = {path: median(runs[path.name]) for path in (spec, hand)}
    # The same objects: the plans differ only in how keys name the market.
    made, written = (_requests(path.with_suffix(".plan.json")) for path in (spec, hand))
    assert made == written, "the markets and the hand-written file differ"
    ratio = cpu[spec] / cpu[hand]
    row(f"{MARKETS} markets over a {len(template)}-line spec, CPU",
        f"{cpu[spec]:.2f} s vs {cpu[hand]:.2f} s", "<= 1.2x the same by hand", f"{ratio:.2f}x",
        ratio <= 1.2)
