"""Did you mean ...? The one place that picks the name a user probably
meant, for keywords, fields, enum values, steps and objects alike; and the
few kinds of edit that fixes are made of (write a name, add or remove a
member's line).

A candidate is looked for in tiers, and the first tier that finds one wins:
the same word in another letter case (`phone` -> `PHONE`), then a word the
written one begins or ends (`LEADS` -> `OUTCOME_LEADS`, `OUTCOME_LEAD` ->
`OUTCOME_LEADS`), then a close spelling (difflib, compared case-insensitively).
A suggestion is *clear* when its tier found only one candidate: only a clear
suggestion gets a fix. The fix is safe (`--fix` applies it) when the
suggestion is also *certain*: another letter case, a cut or extended word, or
a spelling at most a letter or two away. A looser likeness (`stop_time` ->
`start_time`) may be another word altogether: its fix is unsafe.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..front.source import Source, Span
from ..records import record
from .diagnostics import Edit, Fix

# Prefix and suffix matches need this many letters: `AD` is in too many names.
_MIN_AFFIX = 4
_CUTOFF = 0.6
# A close spelling is clear when the runner-up is this much further away.
_MARGIN = 0.1
# ... and certain this close (`qustion` -> `question` is 0.93).
_CERTAIN = 0.8


@record(frozen=True)
class Suggestion:
    name: str
    clear: bool
    case_only: bool  # the same word in another letter case
    score: float = 1.0  # the spelling's likeness; 1 for the case and prefix/suffix tiers

    @property
    def certain(self) -> bool:
        return self.clear and self.score >= _CERTAIN

    @property
    def help(self) -> str:
        if self.case_only:
            case = ("upper case" if self.name.isupper() else
                    "lower case" if self.name.islower() else "this spelling")
            return f"use {case}: {self.name}"
        return f"did you mean '{self.name}'?"


def suggest(word: str, candidates: Iterable[str]) -> Suggestion | None:
    """The candidate `word` most probably meant, or None."""
    names = sorted(set(candidates))
    if not word or word in names:
        return None
    folded = word.casefold()
    same = [n for n in names if n.casefold() == folded]
    if same:
        return Suggestion(same[0], len(same) == 1, True)
    if len(folded) >= _MIN_AFFIX:
        affix = [n for n in names if _affix(folded, n.casefold())]
        if affix:
            return Suggestion(affix[0], len(affix) == 1, False)
    import difflib  # only when a word is unknown: it costs start-up time

    scored = sorted(((difflib.SequenceMatcher(None, folded, n.casefold()).ratio(), n)
                     for n in names), key=lambda pair: (-pair[0], pair[1]))
    if not scored or scored[0][0] < _CUTOFF:
        return None
    best, name = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    return Suggestion(name, best - runner_up >= _MARGIN, False, best)


def _affix(word: str, name: str) -> bool:
    """`name` is `word` with a little more at the end (`OUTCOME_LEAD` ->
    `OUTCOME_LEADS`) or a little less, or `word` is one of its `_`-parts at
    either end (`LEADS` -> `OUTCOME_LEADS`)."""
    if len(name) > len(word):
        return (name.startswith(word) and len(name) - len(word) <= 2) or \
            name.endswith("_" + word) or name.startswith(word + "_")
    return word.startswith(name) and len(word) - len(name) <= 2 and len(name) >= _MIN_AFFIX


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """The help line for an unknown `word`, or None."""
    found = suggest(word, candidates)
    return found.help if found else None


def rename(span: Span, old: str, new: str, *, safe: bool = True) -> Fix:
    """The fix writing `new` over the token `old` at `span`."""
    return Fix(f"replace '{old}' with '{new}'", (Edit(span, new),), "safe" if safe else "unsafe")


def replace(source: Source | None, span: Span, old: str, new: str, *,
            safe: bool = True) -> Fix | None:
    """Like `rename`, after checking that `span` holds `old`, bare or quoted
    (so the same fix works in .adflow and .json files); None when it does
    not (the span is wider, e.g. a whole list)."""
    if source is None:
        return None
    written = source.text[source.offset(span.line, span.column):
                          source.offset(span.end_line, span.end_column)]
    if written == old:
        return rename(span, old, new, safe=safe)
    if written == f'"{old}"':
        return rename(span, written, f'"{new}"', safe=safe)
    return None


def replace_inside(source: Source | None, span: Span, old: str, new: str, *,
                   safe: bool = True) -> Fix | None:
    """The fix writing `new` over `old` where it occurs once inside `span`
    (a token inside a string); None when it occurs there not exactly once."""
    if source is None:
        return None
    start = source.offset(span.line, span.column)
    written = source.text[start:source.offset(span.end_line, span.end_column)]
    if written.count(old) != 1:
        return None
    at = start + written.index(old)
    return Fix(f"replace '{old}' with '{new}'", (Edit(source.span(at, at + len(old)), new),),
               "safe" if safe else "unsafe")


def hint(word: str, candidates: Iterable[str], span: Span, source: Source | None = None, *,
         safe: bool = True) -> dict[str, object]:
    """`help` and `fix` keywords for a diagnostic about the unknown `word`
    written at `span`: the fix only for a clear suggestion. Without a source
    the span is trusted to be the word itself (the resolver's tokens)."""
    found = suggest(word, candidates)
    if found is None:
        return {"help": None, "fix": None}
    fix = None
    if found.clear:
        safe = safe and found.certain
        fix = (replace(source, span, word, found.name, safe=safe) if source is not None
               else rename(span, word, found.name, safe=safe))
    return {"help": found.help, "fix": fix}


def add_line(source: Source | None, block: Span, line: str, message: str) -> Fix | None:
    """An unsafe fix adding `line` as the last member of the block that ends
    at `block` (its closing brace alone on a line), indented like the members."""
    if source is None or source.path.lower().endswith(".json"):
        return None
    closing = source.line_text(block.end_line)
    if not closing.strip().startswith("}") or block.end_line == block.line:
        return None
    brace_indent = closing[: len(closing) - len(closing.lstrip())]
    above = source.line_text(block.end_line - 1)
    indent = above[: len(above) - len(above.lstrip())] if above.strip() and \
        block.end_line - 1 > block.line else brace_indent + "  "
    where = Span(block.file, block.end_line, 1, block.end_line, 1)
    return Fix(message, (Edit(where, f"{indent}{line}\n"),), "unsafe")


def delete_line(source: Source | None, span: Span, head: str, message: str) -> Fix | None:
    """An unsafe fix removing the member `head ...` written on the line of
    `span`, when it stands alone on that line; a trailing comment stays."""
    if source is None or source.path.lower().endswith(".json"):
        return None
    line = source.line_text(span.line)
    code, comment = _split_comment(line)
    if not code.strip().startswith(head + " ") or any(c in code for c in "{}"):
        return None
    if comment:  # the comment stays, on a line of its own
        indent = line[: len(line) - len(line.lstrip())]
        return Fix(message, (Edit(Span(span.file, span.line, 1, span.line, len(line) + 1),
                                  indent + comment),), "unsafe")
    return Fix(message, (Edit(Span(span.file, span.line, 1, span.line + 1, 1), ""),), "unsafe")


def _split_comment(line: str) -> tuple[str, str]:
    """A line's code and its trailing `# comment` (a `#` in a string is text)."""
    quoted = False
    i = 0
    while i < len(line):
        c = line[i]
        if c == "\\" and quoted:
            i += 2
            continue
        if c == '"':
            quoted = not quoted
        elif c == "#" and not quoted:
            return line[:i], line[i:]
        i += 1
    return line, ""


def rename_key(source: Source | None, value: Span, old: str, new: str) -> Fix | None:
    """An unsafe fix renaming the key `old` (bare after `raw`, or quoted in
    JSON) written last before `value` on its line."""
    if source is None:
        return None
    line = source.line_text(value.line)[: value.column - 1]
    for written, content in ((f'"{old}"', f'"{new}"'), (old, new)):
        at = line.rfind(written)
        if at != -1:
            span = Span(value.file, value.line, at + 1, value.line, at + 1 + len(written))
            return Fix(f"replace {old} with {new}", (Edit(span, content),), "unsafe")
    return None
