"""`adflow lsp` driven over stdio as an editor drives it (pytest-lsp): open a
file with a backward jump after an emoji and an OUTCOME_LEAD typo, complete,
hover, go to a step, rename it, format, apply a quick fix, edit until clean."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest
import pytest_lsp
from conftest import ADFLOW
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient

DOC = """api v25.0
account act_1234567890
page acme 111222333444

lead_form quote on acme {
  template_name "Quote"
  privacy_url "https://acme.example/privacy"
  reminder "Still there?"
  intro "Hi!" -> city
  question city "🦷 急诊 city?" prefill CITY required -> city
  confirmation thanks "Thanks!"
}

campaign   spring {
  objective OUTCOME_LEAD
  special_ad_categories [NONE]
  adset_budget_sharing false
}
"""


def _offset(text: str, position: lsp.Position) -> int:
    """A code-point offset from an LSP position (0-based line, UTF-16 character)."""
    lines = text.split("\n")
    line = lines[position.line]
    units = line.encode("utf-16-le")[:position.character * 2].decode("utf-16-le")
    return sum(len(x) + 1 for x in lines[:position.line]) + len(units)


def _apply(text: str, edits: list[lsp.TextEdit]) -> str:
    ordered = sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character),
                     reverse=True)
    for edit in ordered:
        text = (text[:_offset(text, edit.range.start)] + edit.new_text
                + text[_offset(text, edit.range.end):])
    return text


def _position(text: str, needle: str, after: int = 0, nth: int = 0) -> lsp.Position:
    """The LSP position `after` code points into the nth occurrence of `needle`."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    at += after
    line = text.count("\n", 0, at)
    line_start = text.rfind("\n", 0, at) + 1
    return lsp.Position(line, len(text[line_start:at].encode("utf-16-le")) // 2)


class Editor:
    """The client's copy of the document, kept in step with the server."""

    def __init__(self, client: LanguageClient, path: Path, text: str) -> None:
        self.client = client
        self.uri = path.as_uri()
        self.text = text
        self.version = 1
        self.published: list[int | None] = []  # the versions diagnostics came for

    def ident(self) -> lsp.TextDocumentIdentifier:
        return lsp.TextDocumentIdentifier(uri=self.uri)

    async def open(self) -> list[lsp.Diagnostic]:
        self.client.text_document_did_open(lsp.DidOpenTextDocumentParams(
            lsp.TextDocumentItem(uri=self.uri, language_id="adflow", version=self.version,
                                 text=self.text)))
        return await self.diagnostics()

    async def change(self, edits: list[lsp.TextEdit]) -> list[lsp.Diagnostic]:
        self.send(edits)
        return await self.diagnostics()

    def send(self, edits: list[lsp.TextEdit]) -> None:
        """Send the edits as incremental changes, one by one, last first."""
        ordered = sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character),
                         reverse=True)
        for edit in ordered:
            self.version += 1
            self.text = _apply(self.text, [edit])
            self.client.text_document_did_change(lsp.DidChangeTextDocumentParams(
                lsp.VersionedTextDocumentIdentifier(version=self.version, uri=self.uri),
                [lsp.TextDocumentContentChangePartial(range=edit.range, text=edit.new_text)]))

    async def diagnostics(self) -> list[lsp.Diagnostic]:
        while True:  # debounced: wait for the check of the latest version
            params = await self.client.wait_for_notification(
                lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
            if params.uri == self.uri:
                self.published.append(params.version)
            if params.uri == self.uri and params.version == self.version:
                return list(params.diagnostics)


@pytest.mark.slow
@pytest.mark.asyncio
async def test_an_editor_session(client: LanguageClient, tmp_path: Path) -> None:
    editor = Editor(client, tmp_path / "quote.adflow", DOC)
    found = await editor.open()
    by_code = {d.code: d for d in found}

    # The backward jump, after an emoji (two UTF-16 units) and two CJK
    # characters (one unit each), on the 10th line.
    jump = by_code["F003"]
    line = DOC.split("\n")[9]
    target = line.rindex("city")
    assert jump.range.start == lsp.Position(9, target + 1)  # the emoji counts twice
    assert jump.range.end == lsp.Position(9, target + 1 + len("city"))
    assert jump.severity == lsp.DiagnosticSeverity.Error and jump.source == "adflow"
    # Hovering a finding tells what `adflow explain` says about its code.
    explained = await client.text_document_hover_async(lsp.HoverParams(
        text_document=editor.ident(), position=jump.range.start))
    assert explained is not None
    assert "`adflow explain F003`" in explained.contents.value  # type: ignore[union-attr]
    typo = by_code["A001"]
    assert "OUTCOME_LEAD" in typo.message
    assert typo.range.start == _position(DOC, "OUTCOME_LEAD")

    # Completion after `objective `: the objectives new campaigns take come first.
    completion = await client.text_document_completion_async(lsp.CompletionParams(
        editor.ident(), _position(editor.text, "OUTCOME_LEAD")))
    assert completion is not None
    labels = [item.label for item in completion.items]  # type: ignore[union-attr]
    assert "OUTCOME_LEADS" in labels[:6] and "LEAD_GENERATION" in labels
    assert all(label.startswith("OUTCOME_") for label in labels[:6])

    # Hover on a field: what it means and the Graph API field it becomes.
    hover = await client.text_document_hover_async(lsp.HoverParams(
        editor.ident(), _position(editor.text, "privacy_url", 3)))
    assert hover is not None
    text = hover.contents.value  # type: ignore[union-attr]
    assert "privacy policy" in text and "`messenger_lead_forms privacy_url`" in text

    # Go to the step an arrow names.
    where = await client.text_document_definition_async(lsp.DefinitionParams(
        editor.ident(), _position(editor.text, "-> city", 4)))
    assert isinstance(where, lsp.Location)
    assert where.range.start == _position(editor.text, "city \"")

    # Rename the step: its definition and both arrows.
    renamed = await client.text_document_rename_async(lsp.RenameParams(
        editor.ident(), _position(editor.text, "city \""), "town"))
    assert renamed is not None and renamed.changes is not None
    edits = renamed.changes[editor.uri]
    assert len(edits) == 3
    await editor.change(edits)
    assert "-> town" in editor.text and "question town" in editor.text
    assert "🦷 急诊 city?" in editor.text  # the text of the question is not a name

    # Format: the fmt result, as edits.
    formatting = await client.text_document_formatting_async(lsp.DocumentFormattingParams(
        text_document=editor.ident(),
        options=lsp.FormattingOptions(tab_size=2, insert_spaces=True)))
    assert formatting
    found = await editor.change(formatting)
    assert "campaign spring {" in editor.text

    # The quick fix for the typo, which the check found with the finding.
    typo = next(d for d in found if d.code == "A001")
    assert isinstance(typo.data, dict) and typo.data["fix"]["applicability"] == "safe"
    actions = await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=editor.ident(), range=typo.range,
        context=lsp.CodeActionContext(diagnostics=[typo])))
    assert actions
    quick = next(a for a in actions if isinstance(a, lsp.CodeAction)
                 and a.kind == lsp.CodeActionKind.QuickFix)
    assert quick.edit is not None and quick.edit.changes is not None
    # "Fix all safe" is offered too; its edit, made when it is chosen, is
    # what `adflow check --fix` would write.
    every = next(a for a in actions if isinstance(a, lsp.CodeAction)
                 and a.kind == "source.fixAll.adflow")
    resolved = await client.code_action_resolve_async(every)
    assert resolved.edit is not None and resolved.edit.changes is not None
    fixed_path = tmp_path / "fixed.adflow"
    fixed_path.write_text(editor.text, encoding="utf-8")
    subprocess.run([ADFLOW, "check", "--fix", "--no-cache", str(fixed_path)],
                   capture_output=True, timeout=60)
    all_fixed = _apply(editor.text, resolved.edit.changes[editor.uri])
    assert all_fixed == fixed_path.read_text(encoding="utf-8")
    assert "objective OUTCOME_LEADS\n" in all_fixed
    found = await editor.change(quick.edit.changes[editor.uri])
    assert "objective OUTCOME_LEADS\n" in editor.text
    assert "A001" not in {d.code for d in found}

    # The last error: the question jumps back to itself. Point it forward.
    found = await editor.change([lsp.TextEdit(lsp.Range(
        _position(editor.text, "-> town", 3, nth=1), _position(editor.text, "-> town", 7, nth=1)),
        "thanks")])
    errors = [d for d in found if d.severity == lsp.DiagnosticSeverity.Error]
    assert errors == [], errors


@pytest.mark.slow
@pytest.mark.asyncio
async def test_outline_and_references(client: LanguageClient, tmp_path: Path) -> None:
    editor = Editor(client, tmp_path / "flow.adflow", DOC)
    await editor.open()
    symbols = await client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(text_document=editor.ident()))
    assert symbols is not None
    tops = [(s.name, s.detail) for s in symbols]  # type: ignore[union-attr]
    assert tops == [("acme", "page"), ("quote", "lead_form"), ("spring", "campaign")]
    form = symbols[1]
    assert isinstance(form, lsp.DocumentSymbol) and form.children is not None
    assert [c.name for c in form.children] == ["intro", "city", "thanks"]
    assert form.range.start.line == 4 and form.range.end.line == 11  # through its `}`
    refs = await client.text_document_references_async(lsp.ReferenceParams(
        text_document=editor.ident(), position=_position(editor.text, "acme", nth=1),
        context=lsp.ReferenceContext(include_declaration=True)))
    assert refs is not None
    assert sorted(r.range.start.line for r in refs) == [2, 4]


@pytest.mark.slow
def test_without_pygls_it_says_how_to_install(tmp_path: Path) -> None:
    """A Python that cannot import pygls: `adflow lsp` exits 2 with the remedy."""
    blocker = tmp_path / "pygls"
    blocker.mkdir()
    (blocker / "__init__.py").write_text("raise ImportError('blocked', name='pygls')\n")
    done = subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
                           "from adflow.compiler.cli.main import main; sys.exit(main(['lsp']))",
                           str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "pip install 'adflow[lsp]'" in done.stderr
    assert "Traceback" not in done.stderr


def test_check_does_not_import_the_server() -> None:
    done = subprocess.run([sys.executable, "-c", "import sys; from adflow.compiler.cli.main import "
                           "main; main(['check', '--help']); "
                           "print('pygls' in sys.modules, 'lsprotocol' in sys.modules)"],
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.strip().endswith("False False")


def _fix(line: int, column: int, end_column: int, content: str,
         applicability: str = "safe") -> dict[str, object]:
    """A fix in the shape `--format json` gives (1-based, code-point columns)."""
    return {"applicability": applicability, "message": f"use {content}",
            "edits": [{"line": line, "column": column, "end_line": line,
                       "end_column": end_column, "content": content}]}


def test_fix_edits_become_utf16_ranges() -> None:
    from adflow.compiler.editor.lsp import quick_fixes

    text = 'question x "🦷" prefill phone\nobjective OUTCOME_LEAD\n'
    column = text.index("phone") + 1  # code points
    phone = _fix(1, column, column + 5, "PHONE")
    diagnostic = lsp.Diagnostic(range=lsp.Range(start=lsp.Position(0, column),
                                                end=lsp.Position(0, column + 5)),
                                message="wrong case", source="adflow", data={"fix": phone})
    [action] = quick_fixes("file:///t.adflow", text, [diagnostic])
    assert action.kind == lsp.CodeActionKind.QuickFix and action.is_preferred
    [edit] = action.edit.changes["file:///t.adflow"]  # type: ignore[union-attr,index]
    assert edit.range.start == lsp.Position(0, column)  # column - 1 code points, + 1 for the emoji
    assert edit.new_text == "PHONE"
    unsafe = _fix(2, 11, 23, "OUTCOME_LEADS", "unsafe")
    [risky] = quick_fixes("file:///t.adflow", text, [lsp.Diagnostic(
        range=diagnostic.range, message="x", source="adflow", data={"fix": unsafe})])
    assert not risky.is_preferred  # offered, but not applied by a "fix preferred" key
    other = lsp.Diagnostic(range=diagnostic.range, message="x", source="other",
                           data={"fix": phone})
    assert quick_fixes("file:///t.adflow", text, [other]) == []


def test_diagnostics_link_to_the_rule_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from adflow.compiler.editor import lsp as server
    from adflow.compiler.findings.diagnostics import Note
    from adflow.compiler.front.source import Span
    from adflow.compiler.rules import BY_CODE

    text = 'question loop "🦷 急诊?" -> loop\n'
    column = text.rindex("loop") + 1
    finding = BY_CODE["F003"].diag(Span("t.adflow", 1, column, 1, column + 4), "jumps back",
                                   help="point it forward",
                                   notes=[Note("the step", Span("t.adflow", 1, 10, 1, 14))])
    monkeypatch.setattr(server, "RULE_DOCS", tmp_path)
    plain = server.to_lsp_diagnostic(finding, text.split("\n"), "file:///t.adflow")
    assert plain.code_description is None  # no page to link to
    (tmp_path / "F003.md").write_text("# F003\n", encoding="utf-8")
    linked = server.to_lsp_diagnostic(finding, text.split("\n"), "file:///t.adflow")
    assert linked.code == "F003" and linked.source == "adflow"
    assert linked.code_description is not None
    assert linked.code_description.href == (tmp_path / "F003.md").as_uri()
    assert linked.message == "jumps back\nhelp: point it forward"
    assert linked.range.start == lsp.Position(0, column)  # the emoji is two UTF-16 units
    assert linked.related_information is not None
    assert linked.related_information[0].location.range.start == lsp.Position(0, 9)


@pytest.mark.slow
@pytest.mark.asyncio
async def test_the_file_configuration_applies_and_a_save_reloads_it(
        client: LanguageClient, tmp_path: Path) -> None:
    editor = Editor(client, tmp_path / "quote.adflow", DOC)
    assert "A001" in {d.code for d in await editor.open()}
    (tmp_path / "adflow.toml").write_text('ignore = ["A001"]\n', encoding="utf-8")
    client.text_document_did_save(lsp.DidSaveTextDocumentParams(text_document=editor.ident()))
    found = await editor.diagnostics()
    assert "A001" not in {d.code for d in found} and "F003" in {d.code for d in found}


@pytest.mark.slow
@pytest.mark.asyncio
async def test_a_broken_configuration_is_shown_not_swallowed(
        client: LanguageClient, tmp_path: Path) -> None:
    (tmp_path / "adflow.toml").write_text('selec = ["A"]\n', encoding="utf-8")
    editor = Editor(client, tmp_path / "quote.adflow", DOC)
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(
        uri=editor.uri, language_id="adflow", version=1, text=DOC)))
    message = await client.wait_for_notification(lsp.WINDOW_SHOW_MESSAGE)
    assert message.type == lsp.MessageType.Error
    assert "selec" in message.message and "adflow.toml" in message.message


@pytest.mark.slow
@pytest.mark.asyncio
async def test_typing_is_checked_once_it_pauses(client: LanguageClient, tmp_path: Path) -> None:
    """Keystrokes in quick succession give one check, of the last version."""
    editor = Editor(client, tmp_path / "quote.adflow", DOC)
    await editor.open()
    end = _position(editor.text, "OUTCOME_LEAD", 12)
    for _ in range(5):
        await asyncio.sleep(0.01)
        editor.send([lsp.TextEdit(lsp.Range(start=end, end=end), "S")])
    found_now = await editor.diagnostics()
    assert editor.published == [1, 6]
    assert "OUTCOME_LEADSSSSS" in next(d.message for d in found_now if d.code == "A001")


@pytest.mark.asyncio
async def test_check_soon_waits_for_a_pause() -> None:
    """The debounce itself: five changes within the pause give one check."""
    from adflow.compiler.editor import lsp as server_module

    server = server_module.AdflowServer()
    checked: list[str] = []

    async def check(uri: str) -> None:
        checked.append(uri)

    server.check = check  # type: ignore[method-assign]
    for _ in range(5):
        server.check_soon("file:///a.adflow")
        await asyncio.sleep(server_module.DEBOUNCE_SECONDS / 10)
    assert checked == []
    await asyncio.sleep(server_module.DEBOUNCE_SECONDS * 2)
    assert checked == ["file:///a.adflow"]


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[ADFLOW, "lsp"]))
async def bare_client(lsp_client: LanguageClient, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A client that cannot resolve code actions later."""
    await lsp_client.initialize_session(lsp.InitializeParams(
        capabilities=lsp.ClientCapabilities(), root_uri=tmp_path.as_uri()))
    yield
    await lsp_client.shutdown_session()


@pytest.mark.slow
@pytest.mark.asyncio
async def test_fix_all_comes_with_its_edit_for_clients_that_cannot_resolve(
        bare_client: LanguageClient, tmp_path: Path) -> None:
    editor = Editor(bare_client, tmp_path / "quote.adflow", DOC)
    found = await editor.open()
    typo = next(d for d in found if d.code == "A001")
    actions = await bare_client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=editor.ident(), range=typo.range,
        context=lsp.CodeActionContext(diagnostics=[typo])))
    assert actions is not None
    every = next(a for a in actions if isinstance(a, lsp.CodeAction)
                 and a.kind == "source.fixAll.adflow")
    assert every.edit is not None and every.edit.changes is not None
    assert "objective OUTCOME_LEADS\n" in _apply(editor.text, every.edit.changes[editor.uri])
