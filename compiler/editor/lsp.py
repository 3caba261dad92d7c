"""`adflow lsp`: the language server, over stdio (pygls 2, lsprotocol).

Diagnostics come from the one check pipeline (`check_file` with the editor's
buffer as the file's bytes: configuration, suppressions and all), formatting from `fmt`,
and everything about names and words from `editor`. This module only turns
those into LSP messages: positions become 0-based lines and UTF-16
characters here and nowhere else.

The frames on stdin are read here too, not by pygls: a frame too large or
malformed is refused and the session goes on, a request whose parameters do
not fit the LSP types gets an error response, and `exit` ends the process
with the code the LSP specification gives (0 after `shutdown`, else 1).
Only documents the client opened are answered for, never files read from
disk, and all work that grows with the document runs beside the event loop.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, BinaryIO, TypeVar
from urllib.parse import unquote

import cattrs
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams
from pygls.io_ import StdoutWriter
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace import TextDocument

from .. import __version__
from ..findings.diagnostics import Diagnostic, Severity
from ..front.limits import DEFAULT_LIMITS
from ..front.source import Source, Span, normalize_newlines
from ..pipeline import FileResult, input_problem
from ..project.config import Config, ConfigError, Finder
from . import symbols as editor

T = TypeVar("T")

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
# A frame's body is read whole, so one past this is refused unread. A
# document over the input limit still fits (it is answered with S004), with
# room for JSON's escapes.
MAX_FRAME_BYTES = 8 * DEFAULT_LIMITS.max_bytes
# Of a longer header line (junk) only its end is kept, this many bytes.
MAX_HEADER_LINE = 4096
_CONTENT_LENGTH = re.compile(rb"content-length:[ \t]*([^\r\n]*)", re.IGNORECASE)
# The rule pages (`adflow rules --format markdown -o docs/rules/`), when this
# is a checkout that has them.
RULE_DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules"


def lint_text(path: str, text: str, config: Config | None = None) -> FileResult:
    """The findings `adflow check` would report for this text at `path`."""
    from ..pipeline import check_file

    return check_file(Path(path), config, data=text.encode("utf-8"))


def too_large(text: str) -> bool:
    """Whether `check` would refuse this text as input over the size limit
    (S004): then it is neither scanned nor parsed."""
    limit = DEFAULT_LIMITS.max_bytes  # the configuration does not change it
    return len(text) > limit or (len(text) * 4 > limit and len(text.encode("utf-8")) > limit)


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


def refusal(message: str) -> JsonRpcException:
    """An error response for a request understood but not done (a rename to
    a word that is no name): the message is for the person, no traceback."""
    return JsonRpcException(message, code=lsp.LSPErrorCodes.RequestFailed)


class Protocol(LanguageServerProtocol):
    """pygls's protocol, which keeps every handler's future until the session
    ends; this one lets go of each once it is done."""

    def _execute_handler(self, msg_id: Any, handler: Any, callback: Any,
                         args: Any = None, kwargs: Any = None) -> None:
        def done(future: Future[Any]) -> None:
            if self._request_futures.get(msg_id) is future:
                del self._request_futures[msg_id]
            callback(future)

        super()._execute_handler(msg_id, handler, done, args, kwargs)


class AdflowServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("adflow", __version__, protocol_cls=Protocol,
                         text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.checked: dict[str, Checked] = {}
        self.pending: dict[str, asyncio.TimerHandle] = {}
        self.checks: set[asyncio.Task[None]] = set()  # running; each leaves when done
        self.outlines: dict[str, tuple[str, editor.Outline | None]] = {}
        # Configuration files, found once per folder; looked for again after
        # any save, which is how an edited adflow.toml reaches the server.
        self.finder = Finder()
        # Checks (and fixes, formatting) run one at a time beside the event
        # loop; what the editor asks about words and names runs beside it
        # too, on its own thread, so it answers while a large file is checked.
        self.checker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="adflow-check")
        self.reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="adflow-outline")

    # -- documents ---------------------------------------------------------------------

    def document(self, uri: str) -> TextDocument | None:
        """An open document. None for any other: a path the client never
        opened is not read from disk (it may be a FIFO, or /dev/zero)."""
        found: TextDocument | None = self.workspace.text_documents.get(unquote(uri))
        return found

    def text(self, uri: str) -> str | None:
        document = self.document(uri)
        return normalize_newlines(document.source) if document is not None else None

    def path(self, uri: str) -> str:
        """The file a URI names; the URI itself where it names none (untitled:,
        or a path holding a NUL, which no file system takes)."""
        path = to_fs_path(uri)
        return path if path and "\0" not in path else uri

    async def answer(self, uri: str, work: Callable[[editor.Outline], T], nothing: T) -> T:
        """`work` done with the document's outline beside the event loop, or
        `nothing` for a document that is not open or that `check` would not
        read (S004: over the size limit, or nested too deep)."""
        text = self.text(uri)
        if text is None or too_large(text):
            return nothing

        def run() -> T:
            out = self.outline(uri, text)
            return work(out) if out is not None else nothing

        answer = await asyncio.get_running_loop().run_in_executor(self.reader, run)
        if self.document(uri) is None:  # closed meanwhile: its outline is not kept
            self.outlines.pop(uri, None)
        return answer

    def outline(self, uri: str, text: str) -> editor.Outline | None:
        """The outline of this text, None if it is past the input limits
        (made on the reader thread, kept while the text is)."""
        cached = self.outlines.get(uri)
        if cached is None or cached[0] != text:
            path = self.path(uri)
            readable = input_problem(Source(path, text)) is None
            cached = (text, editor.outline(path, text) if readable else None)
            self.outlines[uri] = cached
        return cached[1]

    async def beside(self, work: Callable[[], T]) -> T:
        """Work that checks or rewrites the whole text, on the checker thread."""
        return await asyncio.get_running_loop().run_in_executor(self.checker, work)

    async def check(self, uri: str) -> None:
        """Check the document as it is now and publish what was found, unless
        it changed meanwhile (a newer check is then on its way)."""
        self.pending.pop(uri, None)
        document = self.document(uri)
        if document is None:  # closed meanwhile
            return
        version, text = document.version, normalize_newlines(document.source)
        try:
            result, diagnostics = await self.beside(
                lambda: recheck(self.path(uri), text, uri, self.finder))
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
        now = self.document(uri)
        if now is None or now.version != version:
            return
        self.checked[uri] = Checked(version, text, result)
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
            uri=uri, version=version, diagnostics=diagnostics))

    def check_now(self, uri: str) -> None:
        """Start a check; the task is held until it is done (the loop itself
        keeps only a weak reference), and no longer."""
        task = asyncio.get_running_loop().create_task(self.check(uri))
        self.checks.add(task)
        task.add_done_callback(self.checks.discard)

    def check_soon(self, uri: str) -> None:
        timer = self.pending.pop(uri, None)
        if timer is not None:
            timer.cancel()
        loop = asyncio.get_running_loop()
        self.pending[uri] = loop.call_later(DEBOUNCE_SECONDS, self.check_now, uri)

    def resolves_edits(self) -> bool:
        """Whether the client asks for a code action's edit when it is chosen."""
        code_action = self.client_capabilities.text_document and \
            self.client_capabilities.text_document.code_action
        support = code_action.resolve_support if code_action else None
        return support is not None and "edit" in support.properties

    def fix_all(self, action: lsp.CodeAction, uri: str, text: str) -> lsp.CodeAction:
        """The edit of "fix all safe": what `adflow check --fix` would write."""
        from ..findings import fixes

        path = self.path(uri)
        fixed, _, _ = fixes.fix_source(Source(path, text),
                                       fixes.checker(self.finder.for_file(Path(path))),
                                       unsafe=False)
        action.edit = lsp.WorkspaceEdit(changes={uri: text_edits(
            text.split("\n"), editor.line_edits(text, fixed))})
        return action

    def model(self, uri: str, text: str) -> Any:
        """The checked model, if it was made from this text."""
        checked = self.checked.get(uri)
        if checked is None or checked.text != text:
            return None
        return checked.result.document

    # -- the session -------------------------------------------------------------------

    def start_io(self, stdin: BinaryIO | None = None,
                 stdout: BinaryIO | None = None) -> int:
        """Serve one client on stdin and stdout until it says `exit` (or
        closes stdin); the process's exit code."""
        self.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
        try:
            return asyncio.run(self.session(stdin or sys.stdin.buffer))
        except BrokenPipeError:  # the client is gone
            return 1
        finally:
            for pool in (self.checker, self.reader):
                pool.shutdown(wait=False, cancel_futures=True)

    async def session(self, stdin: BinaryIO) -> int:
        loop = asyncio.get_running_loop()
        inbox: asyncio.Queue[bytes | None] = asyncio.Queue(maxsize=1)

        def deliver(body: bytes | None) -> bool:
            """Hand a body to the loop; wait until it is taken (one at a time)."""
            put = inbox.put(body)
            try:
                handed = asyncio.run_coroutine_threadsafe(put, loop)
            except RuntimeError:  # the session is over
                put.close()
                return False
            try:
                handed.result()
            except Exception:  # the session ended while the body waited (cancelled)
                return False
            return True

        # A daemon thread, reading the file descriptor itself: one blocked on
        # a client that keeps stdin open after `exit` must neither keep the
        # process alive nor hold the lock of sys.stdin's buffer while Python ends.
        threading.Thread(target=read_frames, args=(Input(stdin.fileno()), deliver),
                         daemon=True, name="adflow-lsp-frames").start()
        code = None
        while code is None:
            body = await inbox.get()
            # None: stdin closed without `exit`
            code = self.receive(body) if body is not None else self.exit_code()
        for timer in self.pending.values():
            timer.cancel()
        for task in list(self.checks):
            task.cancel()
        await asyncio.gather(*self.checks, return_exceptions=True)
        return code

    def receive(self, body: bytes) -> int | None:
        """Handle one frame's body; the exit code once it says `exit`."""
        try:
            message = json.loads(body, object_hook=self.protocol.structure_message)
        except Exception as exc:  # not JSON, or parameters that do not fit the LSP types
            self.refuse(body, exc)
            return None
        if not hasattr(message, "jsonrpc"):
            self.refuse(body, JsonRpcException("not a JSON-RPC 2.0 message",
                                               code=lsp.ErrorCodes.InvalidRequest))
            return None
        method = getattr(message, "method", None)
        if method == lsp.EXIT:
            return self.exit_code()
        if self.protocol._shutdown and method is not None and hasattr(message, "id"):
            self.respond_error(message.id, lsp.ErrorCodes.InvalidRequest,
                               f"{method}: the server is shutting down")
            return None
        self.protocol.handle_message(message)
        return None

    def exit_code(self) -> int:
        return 0 if self.protocol._shutdown else 1

    def refuse(self, body: bytes, exc: Exception) -> None:
        """Answer a request that could not be read with an error; note anything
        else on stderr (the editor's log), without a traceback."""
        try:
            data = json.loads(body)
        except Exception:  # not JSON at all (or nested too deep to decode)
            data = None
        if isinstance(data, dict) and isinstance(data.get("method"), str) and \
                isinstance(data.get("id"), int | str) and not isinstance(data["id"], bool):
            code: int = lsp.ErrorCodes.InvalidRequest
            why = str(exc)
            if isinstance(exc, JsonRpcInvalidParams):
                code, why = lsp.ErrorCodes.InvalidParams, _params_problem(exc)
            elif isinstance(exc, JsonRpcException):
                code = exc.code
            self.respond_error(data["id"], code, f"{data['method']}: {why}")
            return
        what = data["method"] if isinstance(data, dict) and isinstance(data.get("method"), str) \
            else "a frame that is not a JSON-RPC 2.0 message"
        why = _params_problem(exc) if isinstance(exc, JsonRpcInvalidParams) else \
            type(exc).__name__
        sys.stderr.write(f"adflow lsp: ignored {what}: {why}\n")

    def respond_error(self, msg_id: int | str, code: int, message: str) -> None:
        self.protocol._send_response(msg_id, error=lsp.ResponseError(code, message))


def _params_problem(exc: JsonRpcException) -> str:
    """What is wrong with a request's parameters, as cattrs found it."""
    cause = exc.__cause__
    problems = cattrs.transform_error(cause) if isinstance(cause, cattrs.BaseValidationError) \
        else []
    return "invalid parameters" + (": " + "; ".join(problems[:3]) if problems else "")



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
    def did_open(ls: AdflowServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls.check_now(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: AdflowServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.check_soon(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: AdflowServer, params: lsp.DidSaveTextDocumentParams) -> None:
        ls.finder = Finder()
        ls.check_now(params.text_document.uri)

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
    async def completion(ls: AdflowServer, params: lsp.CompletionParams) -> lsp.CompletionList:
        def work(out: editor.Outline) -> list[lsp.CompletionItem]:
            line, column = from_lsp_position(out.lines, params.position)
            return [lsp.CompletionItem(label=c.label, kind=_COMPLETION_KIND[c.kind],
                                       detail=c.detail or None, sort_text=f"{i:04}")
                    for i, c in enumerate(editor.complete(out, line, column))]

        nothing: list[lsp.CompletionItem] = []
        items = await ls.answer(params.text_document.uri, work, nothing)
        return lsp.CompletionList(is_incomplete=False, items=items)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    async def hover(ls: AdflowServer, params: lsp.HoverParams) -> lsp.Hover | None:
        uri = params.text_document.uri

        def work(out: editor.Outline) -> lsp.Hover | None:
            line, column = from_lsp_position(out.lines, params.position)
            text = "\n".join(out.lines)
            meaning = editor.hover(out, line, column, ls.model(uri, text))
            parts = [meaning] if meaning else []
            checked = ls.checked.get(uri)
            if checked is not None and checked.text == text:
                parts += [_explain(d) for d in checked.result.diagnostics
                          if d.span.line <= line <= d.span.end_line and
                          (d.span.line, d.span.column) <= (line, column) <=
                          (d.span.end_line, d.span.end_column)]
            if not parts:
                return None
            return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown,
                                               "\n\n---\n\n".join(parts)))

        return await ls.answer(uri, work, None)

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    async def definition(ls: AdflowServer, params: lsp.DefinitionParams) -> lsp.Location | None:
        uri = params.text_document.uri

        def work(out: editor.Outline) -> lsp.Location | None:
            span = editor.definition(out, *from_lsp_position(out.lines, params.position))
            return lsp.Location(uri, to_lsp_range(out.lines, span)) if span else None

        return await ls.answer(uri, work, None)

    @server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
    async def references(ls: AdflowServer, params: lsp.ReferenceParams) -> list[lsp.Location]:
        uri = params.text_document.uri

        def work(out: editor.Outline) -> list[lsp.Location]:
            spans = editor.references(out, *from_lsp_position(out.lines, params.position),
                                      include_declaration=params.context.include_declaration)
            return [lsp.Location(uri, to_lsp_range(out.lines, s)) for s in spans]

        return await ls.answer(uri, work, [])

    @server.feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
    async def prepare_rename(ls: AdflowServer,
                             params: lsp.PrepareRenameParams) -> lsp.Range | None:
        def work(out: editor.Outline) -> lsp.Range | None:
            span = editor.name_span(out, *from_lsp_position(out.lines, params.position))
            return to_lsp_range(out.lines, span) if span else None

        return await ls.answer(params.text_document.uri, work, None)

    @server.feature(lsp.TEXT_DOCUMENT_RENAME)
    async def rename(ls: AdflowServer, params: lsp.RenameParams) -> lsp.WorkspaceEdit:
        uri = params.text_document.uri

        def work(out: editor.Outline) -> lsp.WorkspaceEdit:
            try:
                edits = editor.rename(out, *from_lsp_position(out.lines, params.position),
                                      params.new_name)
            except editor.RenameError as exc:
                raise refusal(str(exc)) from None
            return lsp.WorkspaceEdit(changes={uri: text_edits(out.lines, edits)})

        text = ls.text(uri)
        if text is None:
            raise refusal("the document is not open in the editor")
        if too_large(text):
            raise refusal("the document is over the size limit (S004)")
        return await ls.answer(uri, work, lsp.WorkspaceEdit())

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    async def document_symbol(ls: AdflowServer,
                              params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol]:
        def work(out: editor.Outline) -> list[lsp.DocumentSymbol]:
            def symbol(s: editor.Symbol,
                       children: list[lsp.DocumentSymbol]) -> lsp.DocumentSymbol:
                return lsp.DocumentSymbol(
                    name=s.name, kind=_SYMBOL_KIND[s.kind],
                    detail=(s.step_kind if s.kind == "step" else s.kind),
                    range=to_lsp_range(out.lines, s.extent),
                    selection_range=to_lsp_range(out.lines, s.span), children=children or None)

            return [symbol(top, [symbol(step, []) for step in steps])
                    for top, steps in editor.document_symbols(out)]

        return await ls.answer(params.text_document.uri, work, [])

    @server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
    async def formatting(ls: AdflowServer,
                         params: lsp.DocumentFormattingParams) -> list[lsp.TextEdit] | None:
        from .fmt import FormatError, format_source

        uri = params.text_document.uri
        text = ls.text(uri)
        if text is None or too_large(text):
            return None
        try:
            formatted = await ls.beside(lambda: format_source(Source(ls.path(uri), text)))
        except FormatError as exc:
            ls.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Warning,
                                                         message=str(exc)))
            return None
        return text_edits(text.split("\n"), editor.line_edits(text, formatted))

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(
        code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL], resolve_provider=True))
    async def code_action(ls: AdflowServer,
                          params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        uri = params.text_document.uri
        text = ls.text(uri)
        if text is None or too_large(text):
            return []
        actions = quick_fixes(uri, text, params.context.diagnostics)
        checked = ls.checked.get(uri)
        if checked is not None and checked.text == text and any(
                d.fix is not None and d.fix.applicability == "safe"
                for d in checked.result.diagnostics):
            # Fixing the whole file checks it again after every fix: done
            # when the action is chosen (resolved), not each time it is offered.
            action = lsp.CodeAction(title="adflow: fix all safe", kind=FIX_ALL,
                                    data={"uri": uri})
            if not ls.resolves_edits():
                action = await ls.beside(lambda: ls.fix_all(action, uri, text))
            actions.append(action)
        return actions

    @server.feature(lsp.CODE_ACTION_RESOLVE)
    async def code_action_resolve(ls: AdflowServer, action: lsp.CodeAction) -> lsp.CodeAction:
        uri = action.data.get("uri") if isinstance(action.data, dict) else None
        text = ls.text(uri) if isinstance(uri, str) and action.kind == FIX_ALL else None
        if uri is None or text is None:
            return action
        return await ls.beside(lambda: ls.fix_all(action, uri, text))

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
    from ..rules import BY_CODE

    rule = BY_CODE.get(d.code)
    text = f"**{d.code}**" + (f" ({rule.name}): {rule.summary}" if rule else "")
    if d.help:
        text += f"\n\nhelp: {d.help}"
    return text + f"\n\n`adflow explain {d.code}` tells more."


def serve() -> int:
    """`adflow lsp`: the exit code the LSP specification gives."""
    # pygls logs every refused frame and error response with a traceback;
    # what a person needs reaches the editor as a response or a message.
    logging.getLogger("pygls").setLevel(
        logging.WARNING if os.environ.get("ADFLOW_DEBUG") else logging.CRITICAL)
    return make_server().start_io()


# -- frames ---------------------------------------------------------------------------------------

class Input:
    """A file descriptor read in chunks into a buffer of its own."""

    CHUNK = 1 << 16

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = bytearray()

    def _fill(self, size: int = CHUNK) -> bool:
        chunk = os.read(self.fd, size)
        self.buffer += chunk
        return bool(chunk)

    def _take(self, n: int) -> bytes:
        taken = bytes(self.buffer[:n])
        del self.buffer[:n]
        return taken

    def readline(self, limit: int) -> bytes:
        """A line with its end, or of a longer one its last `limit` bytes (a
        frame's header may follow the unread body of a refused one on the
        same line); b"" at the end."""
        while (end := self.buffer.find(b"\n")) < 0:
            if len(self.buffer) > limit:
                del self.buffer[:-limit]
            if not self._fill():
                return self._take(len(self.buffer))
        line = self._take(end + 1)
        return line[-limit:]

    def read(self, n: int) -> bytes | None:
        """Exactly `n` bytes, or None if the input ends first."""
        while len(self.buffer) < n:
            if not self._fill(max(self.CHUNK, min(n - len(self.buffer), 1 << 22))):
                return None
        return self._take(n)


def read_frames(stream: Input, deliver: Callable[[bytes | None], bool]) -> None:
    """Deliver each frame's body, then None at the end of the stream (or
    when it can no longer be read: closed under the reader)."""
    try:
        for body in frames(stream):
            if not deliver(body):
                return
    except OSError:
        pass
    deliver(None)


def frames(stream: Input) -> Iterator[bytes]:
    """The bodies of the `Content-Length` frames on the stream. A header
    block whose length is missing, malformed or over MAX_FRAME_BYTES is
    refused with a line on stderr, its body unread: reading goes on at the
    next header, so a frame that follows (the next `Content-Length:`, even
    on the same line as unread bytes) is read as usual."""
    length: int | None = None
    problem: str | None = None
    seen = False  # any header (or junk) since the last frame
    while line := stream.readline(MAX_HEADER_LINE):
        if line.strip():
            seen = True
            found = list(_CONTENT_LENGTH.finditer(line))
            if found:
                length, problem = _frame_length(found[-1].group(1).strip())
            continue
        # A blank line ends the headers.
        if length is not None:
            body = stream.read(length)
            if body is None:
                return
            yield body
        elif seen:
            sys.stderr.write(f"adflow lsp: refused a frame: "
                             f"{problem or 'no Content-Length header'}\n")
        length, problem, seen = None, None, False


def _frame_length(value: bytes) -> tuple[int | None, str | None]:
    """A Content-Length value as a length to read, or why it is refused."""
    shown = value[:40].decode("ascii", "replace")
    if not re.fullmatch(rb"[0-9]{1,20}", value):
        return None, f"Content-Length {shown!r} is not a number of bytes"
    length = int(value)
    if length == 0:
        return None, "Content-Length 0: a message is never empty"
    if length > MAX_FRAME_BYTES:
        return None, f"Content-Length {length:,} is over the limit of {MAX_FRAME_BYTES:,} bytes"
    return length, None
