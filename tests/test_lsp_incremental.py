"""The language server's re-check after an edit (compiler/editor/incremental.py):
whatever the edits, what it finds is what a check of the text from scratch
finds; and it does check again only what an edit touched."""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import threading
from pathlib import Path
from typing import IO, Any

import pytest
from adflow.compiler import records
from adflow.compiler.editor import lsp as server_module
from adflow.compiler.editor.incremental import WHOLE_FILE, Rechecker, groups
from adflow.compiler.editor.lsp import lint_text, recheck
from adflow.compiler.front.limits import DEFAULT_LIMITS
from adflow.compiler.front.source import Source
from adflow.compiler.pipeline import check_source
from adflow.compiler.project.config import Config, Finder
from adflow.compiler.rules import CHECKS
from adflow.compiler.rules.security import TEXT_RULES
from conftest import ADFLOW, ROOT, SAMPLES
from hypothesis import given
from hypothesis import strategies as st

FILES = sorted([*SAMPLES.glob("**/*.adflow"), *(ROOT / "tests" / "fixtures").glob("*/*.adflow")])
TEXTS = {f.relative_to(ROOT).as_posix(): f.read_text(encoding="utf-8") for f in FILES}


def _unit(i: int) -> str:
    """A lead form with its creative, campaign, ad set and ad: one group."""
    return f"""
lead_form form{i} on p {{
  template_name "Quote {i}"
  privacy_url "https://example.com/privacy"
  reminder "Still there?"
  intro "Hi!" -> q0
  question q0 "Which city?" {{
    "Here" -> phone
    "There" -> phone
  }}
  question phone "Your number?" prefill PHONE required validate -> done
  confirmation done "Thanks!"
}}
creative image{i} {{
  page p
  image url "https://example.com/a.jpg" link "https://example.com"
  message "Get a quote in Messenger"
  call_to_action MESSAGE_PAGE -> MESSENGER
  welcome lead_form form{i}
}}
campaign camp{i} {{
  objective OUTCOME_LEADS
  special_ad_categories [NONE]
  adset_budget_sharing false
}}
adset set{i} in camp{i} {{
  optimization_goal QUALITY_LEAD
  destination MESSENGER
  daily_budget 5000
  promoted_page p
  targeting {{
    countries [NL, BE]
  }}
}}
ad ad{i} {{
  adset set{i}
  creative image{i}
}}
"""


# Several groups in one file: what the group findings are kept for.
TEXTS["groups"] = "api v25.0\naccount act_1\npage p 111222333444\n" + "".join(
    _unit(i) for i in range(3))
# What a person types, and what an edit may bring along: a brace, a quote,
# an arrow, a comment, a declaration's keyword at the start of a line (also
# inside a block), a suppression.
TYPED = ["x", "1", " ", "\n", "\n\n", "}", "{", '"', "-> ", "#", "_", "[", "]", "ad",
         "page q 999\n", "\npage acme 1", "# adflow: ignore\n", "api v19.0\n", "\u202e",
         "\u2028"]
WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[0-9]+")
KEYWORDS = ["api", "account", "page", "instagram", "lead_form", "campaign", "adset",
            "creative", "ad"]


def same_as_from_scratch(path: str, text: str, rechecker: Rechecker,
                         config: Config | None = None) -> None:
    config = config or Config()
    again = lint_text(path, text, config, rechecker).diagnostics
    scratch = lint_text(path, text, config).diagnostics
    assert again == scratch, (text, rechecker.stats)


@st.composite
def edit(draw: st.DrawFn, text: str, history: list[str]) -> str:
    """One edit of `text`: typing, deleting, a word for another (a name
    renamed, a reference to something else), lines deleted, copied or
    swapped, a declaration moved, or back to an earlier text (undo)."""
    kind = draw(st.sampled_from(["type", "delete", "word", "decl", "decl", "line", "move",
                                 "shift", "shift", "undo"]))
    at = draw(st.integers(0, len(text)))
    if kind == "type":
        return text[:at] + draw(st.sampled_from(TYPED)) + text[at:]
    if kind == "delete":
        return text[:at] + text[at + draw(st.integers(1, 8)):]
    if kind == "word":
        words = list(WORD.finditer(text))
        if not words:
            return text
        old = draw(st.sampled_from(words))
        new = draw(st.sampled_from(sorted({w.group() for w in words}) + ["zz"]))
        return text[:old.start()] + new + text[old.end():]
    if kind == "undo":
        return draw(st.sampled_from(history))
    lines = text.split("\n")
    if kind == "shift":
        # A blank or comment line added or removed: what follows moves.
        i = draw(st.integers(0, len(lines) - 1))
        if lines[i].strip() in ("", "# moved") and draw(st.booleans()):
            del lines[i]
        else:
            lines.insert(i, draw(st.sampled_from(["", "# moved"])))
        return "\n".join(lines)
    if kind == "decl":
        # A declaration's first line: its keyword, its name or id another,
        # or the line gone (the objects that use it now read something else).
        heads = [n for n, line in enumerate(lines) if line.split(" ")[0] in KEYWORDS]
        if not heads:
            return text
        n = draw(st.sampled_from(heads))
        words = lines[n].split(" ")
        if draw(st.booleans()) and len(words) > 1:
            w = draw(st.integers(0, min(2, len(words) - 1)))
            choices = KEYWORDS if w == 0 else sorted(set(WORD.findall(text))) + ["zz", "42"]
            words[w] = draw(st.sampled_from(choices))
            lines[n] = " ".join(words)
        else:
            del lines[n]
        return "\n".join(lines)
    i = draw(st.integers(0, len(lines) - 1))
    if kind == "line":
        how = draw(st.sampled_from(["delete", "copy", "swap"]))
        if how == "delete":
            del lines[i]
        elif how == "copy":
            lines.insert(i, lines[i])
        elif i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        return "\n".join(lines)
    # A declaration (its lines up to the next one) moved elsewhere, or copied.
    starts = [n for n, line in enumerate(lines) if line[:1].isalpha()] + [len(lines)]
    if len(starts) < 2:
        return text
    k = draw(st.integers(0, len(starts) - 2))
    block = lines[starts[k]:starts[k + 1]]
    if draw(st.booleans()):
        del lines[starts[k]:starts[k + 1]]
    j = draw(st.integers(0, len(lines)))
    return "\n".join(lines[:j] + block + lines[j:])


@given(st.data())
def test_any_edits_give_what_a_check_from_scratch_gives(data: st.DataObject) -> None:
    name = data.draw(st.one_of(st.just("groups"), st.sampled_from(sorted(TEXTS))), label="file")
    text = TEXTS[name]
    rechecker = Rechecker()
    same_as_from_scratch(name, text, rechecker)
    history = [text]
    for _ in range(data.draw(st.integers(1, 6), label="edits")):
        text = data.draw(edit(text, history), label="text")
        history.append(text)
        same_as_from_scratch(name, text, rechecker)


# Edits that change what an unchanged piece of text means (a line
# replaced by one of as many lines, so the pieces after it stay where they
# were): the objects and groups that depend on it must be checked again.
MEANING = """api v25.0
account act_1
page p 111
campaign spring {
  objective OUTCOME_LEADS
  special_ad_categories [NONE]
}
adset s in sprin {
  optimization_goal LEAD_GENERATION
  destination ON_AD
  promoted_page p
  targeting {
    countries [NL]
  }
}
"""
CHANGES = {
    "the account gone": ("account act_1", "# no account"),
    "an older API version": ("api v25.0", "api v23.0"),
    "the name an unknown one is near renamed": ("campaign spring {", "campaign autumn {"),
    "a page's id": ("page p 111", "page p 222"),
    "a page of another kind": ("page p 111", "instagram p 111"),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_what_an_unchanged_object_reads_is_read_again(change: str) -> None:
    old, new = CHANGES[change]
    rechecker = Rechecker()
    same_as_from_scratch("a.adflow", MEANING, rechecker)
    same_as_from_scratch("a.adflow", MEANING.replace(old, new), rechecker)
    same_as_from_scratch("a.adflow", MEANING, rechecker)


def test_an_edit_in_one_object_checks_that_object_again() -> None:
    text = (SAMPLES / "click_to_whatsapp.adflow").read_text(encoding="utf-8") + UNIT
    rechecker = Rechecker()
    lint_text("a.adflow", text, Config(), rechecker)
    assert rechecker.stats["parsed"] > 3
    # A character typed in the lone campaign: one piece parsed, one object
    # lowered, its group (itself) judged again.
    edited = text.replace('campaign solo {\n  objective OUTCOME_LEADS',
                          'campaign solo {\n  objective OUTCOME_LEADZ')
    found = lint_text("a.adflow", edited, Config(), rechecker).diagnostics
    assert rechecker.stats == {"parsed": 1, "lowered": 1, "judged": 1}
    assert any(d.code == "A001" and "OUTCOME_LEADZ" in d.message for d in found)
    assert found == lint_text("a.adflow", edited, Config()).diagnostics


def test_objects_that_only_moved_are_moved_not_checked_again() -> None:
    """A line added at the top moves every object: none is parsed, lowered
    or judged again, and every finding is where a check from scratch puts it."""
    text = "account act_1\n" + (SAMPLES / "broken" / "flow_mistakes.adflow").read_text(
        encoding="utf-8") + UNIT.replace("[NONE]", "[NONE]\n  adset_budget_sharing false\n"
                                         "  raw name 5")  # S008, from the request schemas
    rechecker = Rechecker()
    before = lint_text("a.adflow", text, Config(), rechecker).diagnostics
    assert len(before) > 3 and any(d.code == "S008" for d in before)
    same_as_from_scratch("a.adflow", "# a comment\n" + text, rechecker)
    assert rechecker.stats == {"parsed": 1, "lowered": 0, "judged": 0}


def test_an_object_is_lowered_again_when_a_name_it_uses_changes() -> None:
    """The ad set's text is unchanged, but the page it promotes gets another
    id: it is lowered again, the objects that do not use the page are not."""
    text = ("account act_1\npage p 111\npage other 222\n" + UNIT +
            "adset s in solo {\n  optimization_goal LEAD_GENERATION\n"
            "  destination ON_AD\n  daily_budget 5000\n  promoted_page p\n"
            "  targeting {\n    countries [NL]\n  }\n}\n"
            "campaign more {\n  objective OUTCOME_LEADS\n  special_ad_categories [NONE]\n}\n")
    rechecker = Rechecker()
    lint_text("a.adflow", text, Config(), rechecker)
    edited = text.replace("page p 111", "page p 333")
    found = lint_text("a.adflow", edited, Config(), rechecker)
    assert rechecker.stats == {"parsed": 1, "lowered": 1, "judged": 1}
    adset = next(r for r in found.document.requests if r.kind == "adset")  # type: ignore[union-attr]
    assert adset.body["promoted_object"] == {"page_id": "333"}


def test_a_syntax_error_is_checked_whole_and_the_rest_kept_for_the_fix() -> None:
    text = (SAMPLES / "seed_lead_form.adflow").read_text(encoding="utf-8") + UNIT
    rechecker = Rechecker()
    lint_text("a.adflow", text, Config(), rechecker)
    broken = text.replace("campaign solo {", "campaign solo {{")
    same_as_from_scratch("a.adflow", broken, rechecker)
    assert rechecker.stats == {"whole": 1}
    same_as_from_scratch("a.adflow", text, rechecker)
    assert rechecker.stats == {"parsed": 0, "lowered": 0, "judged": 0}


def test_another_configuration_is_a_fresh_start() -> None:
    text = "account act_1\n" + UNIT
    rechecker = Rechecker()
    same_as_from_scratch("a.adflow", text, rechecker)
    same_as_from_scratch("a.adflow", text, rechecker, Config(api_version="v19.0"))
    assert rechecker.stats["parsed"] == 2


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_rules_see_no_further_than_their_group(path: Path) -> None:
    """A rule not in WHOLE_FILE finds on the whole model exactly what it
    finds on each group of linked objects alone: what lets a group's
    findings be kept while other groups change. A new rule that looks
    across groups fails here and belongs in WHOLE_FILE."""
    document = check_source(Source(str(path), path.read_text(encoding="utf-8"))).document
    if document is None:
        return
    for rule in CHECKS:
        if rule.code in WHOLE_FILE:
            continue
        whole = sorted(rule.run(document, DEFAULT_LIMITS), key=lambda d: d.sort_key())
        parts = sorted((d for group in groups(document.requests)
                        for d in rule.run(records.replace(document, requests=group),
                                          DEFAULT_LIMITS)), key=lambda d: d.sort_key())
        assert parts == whole, rule.code


def test_whole_file_rules_are_needed() -> None:
    """Each rule in WHOLE_FILE does look across groups on some file: the
    list holds no rule that could be judged per group."""
    differ = set()
    for path in FILES:
        document = check_source(Source(str(path), path.read_text(encoding="utf-8"))).document
        for rule in (r for r in CHECKS if document is not None and r.code in WHOLE_FILE):
            whole = list(rule.run(document, DEFAULT_LIMITS))
            parts = [d for group in groups(document.requests)
                     for d in rule.run(records.replace(document, requests=group),
                                       DEFAULT_LIMITS)]
            if sorted(whole, key=lambda d: d.sort_key()) != sorted(parts,
                                                                    key=lambda d: d.sort_key()):
                differ.add(rule.code)
    text_rules = {rule.code for rule in TEXT_RULES}
    assert differ == WHOLE_FILE - text_rules
    assert text_rules <= WHOLE_FILE  # they read the text: once, not once per group


def test_the_pause_before_a_check_follows_its_cost() -> None:
    server = server_module.AdflowServer()
    uri = "file:///a.adflow"
    assert server.debounce(uri) == server_module.DEBOUNCE_SECONDS  # not checked yet
    low, high = server_module.DEBOUNCE_BOUNDS
    server.cost[uri] = 0.001
    assert server.debounce(uri) == low
    server.cost[uri] = 0.1
    assert server.debounce(uri) == pytest.approx(0.1 * server_module.DEBOUNCE_PER_COST)
    server.cost[uri] = 5.0
    assert server.debounce(uri) == high


# A campaign alone in its group (no ad set uses it).
UNIT = """
campaign solo {
  objective OUTCOME_LEADS
  special_ad_categories [NONE]
}
"""


class Stdio:
    """`adflow lsp` spoken to as an editor does, over its stdin and stdout."""

    def __init__(self) -> None:
        self.process = subprocess.Popen([ADFLOW, "lsp"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert self.process.stdin is not None and self.process.stdout is not None
        self.stdin: IO[bytes] = self.process.stdin
        self.inbox: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True).start()

    def _read(self, stream: IO[bytes]) -> None:
        while True:
            length = 0
            while (line := stream.readline()) not in (b"\r\n", b"\n"):
                if not line:
                    return
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            self.inbox.put(json.loads(stream.read(length)))

    def send(self, method: str, params: Any, msg_id: int | None = None) -> None:
        message = {"jsonrpc": "2.0", "method": method, "params": params,
                   **({"id": msg_id} if msg_id is not None else {})}
        body = json.dumps(message).encode()
        self.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.stdin.flush()

    def diagnostics(self, uri: str, version: int) -> list[Any]:
        while True:
            message = self.inbox.get(timeout=60)
            params = message.get("params") or {}
            if message.get("method") == "textDocument/publishDiagnostics" and \
                    params.get("uri") == uri and params.get("version") == version:
                found: list[Any] = params["diagnostics"]
                return found

    def close(self) -> None:
        self.send("exit", None)
        try:
            self.process.wait(10)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()


def _apply(text: str, line: int, column: int, end_line: int, end_column: int,
           new: str) -> str:
    """An LSP change applied (the texts here are ASCII: characters are UTF-16 units)."""
    lines = text.split("\n")
    start = sum(len(x) + 1 for x in lines[:line]) + column
    end = sum(len(x) + 1 for x in lines[:end_line]) + end_column
    return text[:start] + new + text[end:]


def test_what_the_server_publishes_after_edits_is_a_check_from_scratch(tmp_path: Path) -> None:
    """Over stdio: edits sent one after another (a line break, typing, a
    page's id, a line deleted), each a version; the diagnostics published
    for the last are those of the final text checked from scratch."""
    from pygls.protocol import default_converter

    path = tmp_path / "doc.adflow"
    uri = path.as_uri()
    text = (SAMPLES / "broken" / "flow_mistakes.adflow").read_text(encoding="utf-8") + MEANING
    server = Stdio()
    try:
        server.send("initialize", {"processId": os.getpid(), "rootUri": tmp_path.as_uri(),
                                   "capabilities": {}}, msg_id=1)
        server.send("initialized", {})
        server.send("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "adflow", "version": 1, "text": text}})
        server.diagnostics(uri, 1)
        at = text.split("\n").index("page p 111")
        edits = [(0, 0, 0, 0, "\n"), (at + 1, 7, at + 1, 10, "222"),
                 (3, 0, 4, 0, ""), (at, 0, at, 0, "# moved\n")]
        for version, edit in enumerate(edits, start=2):
            (line, column), (end_line, end_column) = edit[:2], edit[2:4]
            server.send("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {
                    "start": {"line": line, "character": column},
                    "end": {"line": end_line, "character": end_column}}, "text": edit[4]}]})
            text = _apply(text, *edit)
        published = server.diagnostics(uri, len(edits) + 1)
    finally:
        server.close()
    _, expected = recheck(str(path), text, uri, Finder())
    assert published == default_converter().unstructure(expected)
    assert "page p 222" in text and any(d["code"] == "F004" for d in published)


# A market makes every object again per market and a used file brings its
# own objects: edits in a file with either must still give a check from
# scratch (the file is then checked whole).
REACHING = {
    "a market's budget": ("daily_budget 4000", "daily_budget 4500"),
    "a market's country": ("countries [CO]", "countries [CO, PE]"),
    "a translation": ('"A house" => "Uma casa"', '"A house" => "Um sobrado"'),
    "a market removed": ("market co {", "market_co {"),
}


@pytest.mark.parametrize("change", REACHING, ids=list(REACHING))
def test_edits_in_a_file_with_markets_give_a_check_from_scratch(change: str) -> None:
    old, new = REACHING[change]
    path = "samples/markets.adflow"
    text = TEXTS[path]
    assert old in text
    rechecker = Rechecker()
    same_as_from_scratch(path, text, rechecker)
    same_as_from_scratch(path, text.replace(old, new), rechecker)
    same_as_from_scratch(path, text, rechecker)


def test_an_edit_in_a_file_that_uses_another_gives_a_check_from_scratch(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "shared.adflow").write_text(
        "page acme 111222333444\ncampaign spring {\n  objective OUTCOME_LEADS\n"
        "  special_ad_categories [NONE]\n}\n", encoding="utf-8")
    text = ('api v25.0\naccount act_1\nuse "shared.adflow"\n'
            "adset s in spring {\n  optimization_goal LEAD_GENERATION\n  destination ON_AD\n"
            "  promoted_page acme\n  targeting {\n    countries [NL]\n  }\n}\n")
    rechecker = Rechecker()
    same_as_from_scratch("main.adflow", text, rechecker)
    for edited in (text.replace("in spring", "in sprin"), text.replace("[NL]", "[NL, BE]"), text):
        same_as_from_scratch("main.adflow", edited, rechecker)
