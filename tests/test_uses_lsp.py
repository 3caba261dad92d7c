"""The language server with `use "FILE"`: the edited file's diagnostics take
the used file's definitions, and go to definition opens the used file."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

SHARED = """\
page acme 111222333444

creative quote_image {
  page acme
  image hash "9f1c2e" link "https://acme.example/q.jpg"
  call_to_action MESSAGE_PAGE -> MESSENGER
  welcome text "Hi!"
}
"""

SPEC = """\
use "shared/pages.adflow"
account act_1234567890

ad quote_ad {
  adset 1234
  creative quote_image
}
"""


def written(folder: Path) -> tuple[Path, Path]:
    """The used file and the file that uses it, on disk."""
    (folder / "shared").mkdir()
    shared = folder / "shared" / "pages.adflow"
    shared.write_text(SHARED, encoding="utf-8")
    spec = folder / "spec.adflow"
    spec.write_text(SPEC, encoding="utf-8")
    return shared, spec


@pytest.mark.asyncio
async def test_go_to_definition_opens_the_used_file(client: LanguageClient,
                                                     tmp_path: Path) -> None:
    shared, spec = written(tmp_path)
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(
        uri=spec.as_uri(), language_id="adflow", version=1, text=SPEC)))
    while True:
        params = await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        if params.uri == spec.as_uri():
            break
    # The creative is defined in the used file: no R001 here.
    assert not [d for d in params.diagnostics if d.code == "R001"], params.diagnostics
    where = await client.text_document_definition_async(lsp.DefinitionParams(
        lsp.TextDocumentIdentifier(spec.as_uri()), lsp.Position(5, 13)))
    assert isinstance(where, lsp.Location)
    assert Path(where.uri.removeprefix("file://")).resolve() == shared.resolve()
    assert where.range == lsp.Range(lsp.Position(2, 9), lsp.Position(2, 20))
    # A name defined nowhere has no definition.
    nowhere = await client.text_document_definition_async(lsp.DefinitionParams(
        lsp.TextDocumentIdentifier(spec.as_uri()), lsp.Position(4, 9)))
    assert nowhere is None


@pytest.mark.asyncio
async def test_rename_of_a_name_a_used_file_defines_edits_both_files(
        client: LanguageClient, tmp_path: Path) -> None:
    shared, spec = written(tmp_path)
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(
        uri=spec.as_uri(), language_id="adflow", version=1, text=SPEC)))
    ident = lsp.TextDocumentIdentifier(spec.as_uri())
    ready = await client.text_document_prepare_rename_async(lsp.PrepareRenameParams(
        ident, lsp.Position(5, 13)))
    assert ready == lsp.Range(lsp.Position(5, 11), lsp.Position(5, 22))
    edit = await client.text_document_rename_async(lsp.RenameParams(
        ident, lsp.Position(5, 13), "hello_image"))
    assert edit is not None and edit.changes is not None
    by_file = {Path(uri.removeprefix("file://")).resolve(): edits
               for uri, edits in edit.changes.items()}
    assert [e.range for e in by_file[spec.resolve()]] == [
        lsp.Range(lsp.Position(5, 11), lsp.Position(5, 22))]
    assert [e.range for e in by_file[shared.resolve()]] == [
        lsp.Range(lsp.Position(2, 9), lsp.Position(2, 20))]
    assert all(e.new_text == "hello_image" for edits in by_file.values() for e in edits)
