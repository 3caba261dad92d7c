"""`adflow lsp`: the language server, over stdio (pygls 2, lsprotocol).

Diagnostics come from the one check pipeline (`check_file` with the editor's
buffer as the file's bytes: configuration, suppressions and all), formatting from `fmt`,
and everything about names and words from `editor`. This module only turns
those into LSP messages: positions become 0-based lines and UTF-16
characters here and nowhere else.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from . import __version__, editor
from .config import Config, ConfigError, Finder
from .diagnostics import Diagnostic, Severity
from .pipeline import FileResult
from .source import Source, Span, normalize_newlines

# A pause in typing this long re-checks the file; keystrokes in between only
# move the timer.
DEBOUNCE_SECONDS = 0.15
FIX_ALL = "source.fixAll.adflow"
_SEVERITY = {Severity.ERROR: lsp.DiagnosticSeverity.Error,
             Severity.WARNING: lsp.DiagnosticSeverity.Warning,
             Severity.INFO: lsp.DiagnosticSeverity.Information}
_COMPLETION_KIND = {"keyword": lsp.CompletionItemKind.Keyword,
                    "field": lsp.CompletionItemKind.Field,
                    "value": lsp.CompletionItemKind.EnumMember,
                    "step": lsp.CompletionItemKind.Function,
                    "reference": lsp.CompletionItemKind.Reference}
_SYMBOL_KIND = {"page": lsp.SymbolKind.Constant, "instagram": lsp.SymbolKind.Constant,
                "lead_form": lsp.SymbolKind.Class, "campaign": lsp.SymbolKind.Module,
                "adset": lsp.SymbolKind.Namespace, "creative": lsp.SymbolKind.Object,
                "ad": lsp.SymbolKind.Struct, "step": lsp.SymbolKind.Function}
# The rule pages (`adflow rules --format markdown -o docs/rules/`), when this
# is a checkout that has them.
RULE_DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules"


def lint_text(path: str, text: str, config: Config | None = None) -> FileResult:
    """The findings `adflow check` would report for this text at `path`."""
    from .pipeline import check_file

    return check_file(Path(path), config, data=text.encode("utf-8"))


class Checked:
    """The last check of one open document."""

    def __init__(self, version: int | None, text: str, result: FileResult) -> None:
        self.version = version
        self.text = text
        self.result = result


def recheck(path: str, text: str, uri: str,
            finder: Finder) -> tuple[FileResult, list[lsp.Diagnostic]]:
    """What the server does after an edit: check the text, convert the findings."""
    result = lint_text(path, text, finder.for_file(Path(path)))
    lines = text.split("\n")
    return result, [to_lsp_diagnostic(d, lines, uri) for d in result.diagnostics]


class AdflowServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("adflow", __version__,
                         text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.checked: dict[str, Checked] = {}
        self.pending: dict[str, asyncio.TimerHandle] = {}
        self.outlines: dict[str, tuple[str, editor.Outline]] = {}
        # Configuration files, found once per folder; looked for again after
        # any save, which is how an edited adflow.toml reaches the server.
        self.finder = Finder()
        # Checks run one at a time beside the event loop, so completion and
        # hover answer while a large file is being checked.
        self.checker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="adflow-check")

    # -- documents ---------------------------------------------------------------------

    def text(self, uri: str) -> str:
        return normalize_newlines(self.workspace.get_text_document(uri).source)

    def path(self, uri: str) -> str:
        return to_fs_path(uri) or uri

    def outline(self, uri: str) -> editor.Outline:
        text = self.text(uri)
        cached = self.outlines.get(uri)
        if cached is None or cached[0] != text:
            cached = (text, editor.outline(self.path(uri), text))
            self.outlines[uri] = cached
        return cached[1]

    async def check(self, uri: str) -> None:
        """Check the document as it is now and publish what was found, unless
        it changed meanwhile (a newer check is then on its way)."""
        self.pending.pop(uri, None)
        document = self.workspace.get_text_document(uri)
        version, text = document.version, normalize_newlines(document.source)
        loop = asyncio.get_running_loop()
        try:
            result, diagnostics = await loop.run_in_executor(
                self.checker, recheck, self.path(uri), text, uri, self.finder)
        except ConfigError as exc:
            self.window_show_message(lsp.ShowMessageParams(
                type=lsp.MessageType.Error, message=f"adflow: {exc}"))
            return
        except Exception as exc:  # a bug in adflow, never the user's fault
            self.window_show_message(lsp.ShowMessageParams(
                type=lsp.MessageType.Error,
                message=f"adflow: internal error: {type(exc).__name__}: {exc}. This is a bug "
                        "in adflow, not a problem with your file; please report it."))
            return
        if self.workspace.get_text_document(uri).version != version:
            return
        self.checked[uri] = Checked(version, text, result)
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
            uri=uri, version=version, diagnostics=diagnostics))

    def check_soon(self, uri: str) -> None:
        timer = self.pending.pop(uri, None)
        if timer is not None:
            timer.cancel()
        loop = asyncio.get_running_loop()
        self.pending[uri] = loop.call_later(
            DEBOUNCE_SECONDS, lambda: loop.create_task(self.check(uri)))

    def resolves_edits(self) -> bool:
        """Whether the client asks for a code action's edit when it is chosen."""
        code_action = self.client_capabilities.text_document and \
            self.client_capabilities.text_document.code_action
        support = code_action.resolve_support if code_action else None
        return support is not None and "edit" in support.properties

    def fix_all(self, action: lsp.CodeAction) -> lsp.CodeAction:
        """The edit of "fix all safe": what `adflow check --fix` would write."""
        from . import fixes

        uri = action.data["uri"] if isinstance(action.data, dict) else ""
        text = self.text(uri)
        path = self.path(uri)
        fixed, _, _ = fixes.fix_source(Source(path, text),
                                       fixes.checker(self.finder.for_file(Path(path))),
                                       unsafe=False)
        action.edit = lsp.WorkspaceEdit(changes={uri: text_edits(
            text.split("\n"), editor.line_edits(text, fixed))})
        return action

    def model(self, uri: str) -> Any:
        """The checked model, if it was made from the text the editor has now."""
        checked = self.checked.get(uri)
        if checked is None or checked.text != self.text(uri):
            return None
        return checked.result.document


# -- conversions --------------------------------------------------------------------------------

def to_lsp_position(lines: list[str], line: int, column: int) -> lsp.Position:
    if line > len(lines):
        return lsp.Position(len(lines) - 1, len(lines[-1].encode("utf-16-le")) // 2)
    return lsp.Position(line - 1, editor.utf16_column(lines[line - 1], column))


def to_lsp_range(lines: list[str], span: Span) -> lsp.Range:
    return lsp.Range(to_lsp_position(lines, span.line, span.column),
                     to_lsp_position(lines, span.end_line, span.end_column))


def from_lsp_position(lines: list[str], position: lsp.Position) -> tuple[int, int]:
    line = min(position.line, len(lines) - 1)
    return line + 1, editor.column_of_utf16(lines[line], position.character)


def to_lsp_diagnostic(d: Diagnostic, lines: list[str], uri: str) -> lsp.Diagnostic:
    message = d.message + (f"\nhelp: {d.help}" if d.help else "")
    page = RULE_DOCS / f"{d.code}.md"
    related = [lsp.DiagnosticRelatedInformation(lsp.Location(uri, to_lsp_range(lines, n.span)),
                                                n.message)
               for n in d.notes if n.span is not None and n.span.file == d.span.file]
    fix = d.fix.to_json() if d.fix is not None else None
    return lsp.Diagnostic(
        range=to_lsp_range(lines, d.span), message=message, severity=_SEVERITY[d.severity],
        code=d.code, source="adflow",
        code_description=lsp.CodeDescription(href=from_fs_path(str(page)) or str(page))
        if page.is_file() else None,
        related_information=related or None,
        data={"fix": fix} if fix else None)


def text_edits(lines: list[str], edits: list[tuple[Span, str]]) -> list[lsp.TextEdit]:
    return [lsp.TextEdit(to_lsp_range(lines, span), content) for span, content in edits]


# -- the server ----------------------------------------------------------------------------------

def make_server() -> AdflowServer:
    server = AdflowServer()

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: AdflowServer, params: lsp.DidOpenTextDocumentParams) -> None:
        await ls.check(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: AdflowServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.check_soon(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: AdflowServer, params: lsp.DidSaveTextDocumentParams) -> None:
        ls.finder = Finder()
        await ls.check(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: AdflowServer, params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        timer = ls.pending.pop(uri, None)
        if timer is not None:
            timer.cancel()
        ls.checked.pop(uri, None)
        ls.outlines.pop(uri, None)
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri,
                                                                          diagnostics=[]))

    @server.feature(lsp.TEXT_DOCUMENT_COMPLETION,
                    lsp.CompletionOptions(trigger_characters=[" ", ">", "[", ","]))
    def completion(ls: AdflowServer, params: lsp.CompletionParams) -> lsp.CompletionList:
        out = ls.outline(params.text_document.uri)
        line, column = from_lsp_position(out.lines, params.position)
        items = [lsp.CompletionItem(label=c.label, kind=_COMPLETION_KIND[c.kind],
                                    detail=c.detail or None, sort_text=f"{i:04}")
                 for i, c in enumerate(editor.complete(out, line, column))]
        return lsp.CompletionList(is_incomplete=False, items=items)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: AdflowServer, params: lsp.HoverParams) -> lsp.Hover | None:
        uri = params.text_document.uri
        out = ls.outline(uri)
        line, column = from_lsp_position(out.lines, params.position)
        text = editor.hover(out, line, column, ls.model(uri))
        parts = [text] if text else []
        checked = ls.checked.get(uri)
        if checked is not None and checked.text == ls.text(uri):
            parts += [_explain(d) for d in checked.result.diagnostics
                      if d.span.line <= line <= d.span.end_line and
                      (d.span.line, d.span.column) <= (line, column) <=
                      (d.span.end_line, d.span.end_column)]
        if not parts:
            return None
        return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown, "\n\n---\n\n".join(parts)))

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: AdflowServer, params: lsp.DefinitionParams) -> lsp.Location | None:
        uri = params.text_document.uri
        out = ls.outline(uri)
        span = editor.definition(out, *from_lsp_position(out.lines, params.position))
        return lsp.Location(uri, to_lsp_range(out.lines, span)) if span else None

    @server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
    def references(ls: AdflowServer, params: lsp.ReferenceParams) -> list[lsp.Location]:
        uri = params.text_document.uri
        out = ls.outline(uri)
        spans = editor.references(out, *from_lsp_position(out.lines, params.position),
                                  include_declaration=params.context.include_declaration)
        return [lsp.Location(uri, to_lsp_range(out.lines, s)) for s in spans]

    @server.feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
    def prepare_rename(ls: AdflowServer, params: lsp.PrepareRenameParams) -> lsp.Range | None:
        out = ls.outline(params.text_document.uri)
        span = editor.name_span(out, *from_lsp_position(out.lines, params.position))
        return to_lsp_range(out.lines, span) if span else None

    @server.feature(lsp.TEXT_DOCUMENT_RENAME)
    def rename(ls: AdflowServer, params: lsp.RenameParams) -> lsp.WorkspaceEdit:
        uri = params.text_document.uri
        out = ls.outline(uri)
        try:
            edits = editor.rename(out, *from_lsp_position(out.lines, params.position),
                                  params.new_name)
        except editor.RenameError as exc:
            raise ValueError(str(exc)) from None  # pygls answers with an error response
        return lsp.WorkspaceEdit(changes={uri: text_edits(out.lines, edits)})

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def document_symbol(ls: AdflowServer,
                        params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol]:
        out = ls.outline(params.text_document.uri)

        def symbol(s: editor.Symbol, children: list[lsp.DocumentSymbol]) -> lsp.DocumentSymbol:
            return lsp.DocumentSymbol(
                name=s.name, kind=_SYMBOL_KIND[s.kind],
                detail=(s.step_kind if s.kind == "step" else s.kind),
                range=to_lsp_range(out.lines, s.extent),
                selection_range=to_lsp_range(out.lines, s.span), children=children or None)

        return [symbol(top, [symbol(step, []) for step in steps])
                for top, steps in editor.document_symbols(out)]

    @server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
    def formatting(ls: AdflowServer,
                   params: lsp.DocumentFormattingParams) -> list[lsp.TextEdit] | None:
        from .fmt import FormatError, format_source

        uri = params.text_document.uri
        text = ls.text(uri)
        try:
            formatted = format_source(Source(ls.path(uri), text))
        except FormatError as exc:
            ls.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Warning,
                                                         message=str(exc)))
            return None
        lines = text.split("\n")
        return text_edits(lines, editor.line_edits(text, formatted))

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(
        code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL], resolve_provider=True))
    def code_action(ls: AdflowServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        uri = params.text_document.uri
        text = ls.text(uri)
        actions = quick_fixes(uri, text, params.context.diagnostics)
        checked = ls.checked.get(uri)
        if checked is not None and checked.text == text and any(
                d.fix is not None and d.fix.applicability == "safe"
                for d in checked.result.diagnostics):
            # Fixing the whole file checks it again after every fix: done
            # when the action is chosen (resolved), not each time it is offered.
            action = lsp.CodeAction(title="adflow: fix all safe", kind=FIX_ALL,
                                    data={"uri": uri})
            actions.append(action if ls.resolves_edits() else ls.fix_all(action))
        return actions

    @server.feature(lsp.CODE_ACTION_RESOLVE)
    def code_action_resolve(ls: AdflowServer, action: lsp.CodeAction) -> lsp.CodeAction:
        return ls.fix_all(action) if action.kind == FIX_ALL else action

    return server


def quick_fixes(uri: str, text: str,
                diagnostics: Sequence[lsp.Diagnostic]) -> list[lsp.CodeAction]:
    """A quick fix for each of adflow's diagnostics that carries a fix (in
    `data`, as `to_lsp_diagnostic` put it and the client sends it back)."""
    lines = text.split("\n")
    actions = []
    for d in diagnostics:
        fix = d.data.get("fix") if isinstance(d.data, dict) else None
        if d.source != "adflow" or not fix:
            continue
        actions.append(lsp.CodeAction(
            title=fix["message"], kind=lsp.CodeActionKind.QuickFix, diagnostics=[d],
            is_preferred=fix.get("applicability") == "safe",
            edit=lsp.WorkspaceEdit(changes={uri: text_edits(lines, editor.fix_edits(fix))})))
    return actions


def _explain(d: Diagnostic) -> str:
    """What `adflow explain CODE` says, shortened to its summary and the finding's help."""
    from .rules import BY_CODE

    rule = BY_CODE.get(d.code)
    text = f"**{d.code}**" + (f" ({rule.name}): {rule.summary}" if rule else "")
    if d.help:
        text += f"\n\nhelp: {d.help}"
    return text + f"\n\n`adflow explain {d.code}` tells more."


def serve() -> None:
    make_server().start_io()
