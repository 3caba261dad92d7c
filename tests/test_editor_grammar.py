"""The TextMate grammar of editors/vscode, run by the engine VS Code uses
(vscode-textmate with Oniguruma, from npm): its unit assertions, and its
scopes on every sample compared with what adflow's own parser reads."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from adflow.compiler.bodies.fields import STEP_TYPES
from adflow.compiler.front import ast
from adflow.compiler.front.dsl import parse_file
from adflow.compiler.front.source import read
from conftest import ROOT, SAMPLES

VSCODE = ROOT / "editors" / "vscode"
CLEAN = sorted(SAMPLES.glob("*.adflow"))
ALL = CLEAN + sorted((SAMPLES / "broken").glob("*.adflow"))
Token = tuple[int, int, int, list[str]]  # 0-based line, UTF-16 start and end, scopes


@pytest.fixture(scope="module")
def node_modules() -> Path:
    """The grammar test tools, installed from the lock file as `make setup` does."""
    if shutil.which("npm") is None:
        pytest.fail("npm is needed for the grammar tests (Debian package nodejs/npm)")
    if not (VSCODE / "node_modules" / "vscode-tmgrammar-test").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=VSCODE,
                       check=True, timeout=600)
    return VSCODE / "node_modules"


@pytest.fixture(scope="module")
def tokens(node_modules: Path) -> dict[str, list[Token]]:
    done = subprocess.run(["node", "tests/tokenize.js", *map(str, ALL)], cwd=VSCODE,
                          capture_output=True, text=True, check=True, timeout=120)
    return {k: [tuple(t) for t in v] for k, v in json.loads(done.stdout).items()}  # type: ignore[misc]


def test_unit_assertions_hold(node_modules: Path) -> None:
    done = subprocess.run([str(node_modules / ".bin" / "vscode-tmgrammar-test"),
                           "tests/*.test.adflow"], cwd=VSCODE, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "run successfuly" in done.stdout


def _utf16(line: str, column: int) -> int:
    """A 1-based code-point column as the 0-based UTF-16 offset TextMate reports."""
    return len(line[:column - 1].encode("utf-16-le")) // 2


def _scopes_at(toks: list[Token], text: str, span: ast.Span) -> list[str]:
    line_text = text.split("\n")[span.line - 1]
    start = _utf16(line_text, span.column)
    for line, begin, end, scopes in toks:
        if line == span.line - 1 and begin <= start < end:
            return scopes
    raise AssertionError(f"no token at {span}")


def _expected(file: ast.File) -> Iterator[tuple[ast.Span, str]]:
    """(span, a scope the grammar must give it) for every node worth colouring."""
    for decl in file.decls:
        if isinstance(decl, ast.PageDecl):
            yield decl.name.span, f"entity.name.type.{decl.kind}.adflow"
        elif isinstance(decl, ast.ObjectDecl):
            yield decl.name.span, f"entity.name.type.{decl.kind}.adflow"
            if isinstance(decl.parent, ast.Ident):
                yield decl.parent.span, "variable.other.reference.adflow"
            yield from _block(decl.block, decl.kind == "lead_form")


def _block(block: ast.Block, in_lead_form: bool) -> Iterator[tuple[ast.Span, str]]:
    for member in block.members:
        if isinstance(member, ast.Raw):
            yield member.name.span, "support.type.property-name.adflow"
            continue
        head = member.head
        step = in_lead_form and isinstance(head, ast.Ident) and head.text in STEP_TYPES
        if isinstance(head, ast.Str):
            yield head.span, "string.quoted.double.adflow"
        elif step:
            yield head.span, "keyword.control.step.adflow"
        else:
            yield head.span, "support.type.property-name.adflow"
        for i, arg in enumerate(member.args):
            if step and i == 0 and isinstance(arg, ast.Ident) and head.text != "intro":
                yield arg.span, "entity.name.function.step.adflow"
            elif isinstance(arg, ast.Arrow):
                yield arg.span, "keyword.operator.arrow.adflow"
                if in_lead_form:
                    yield arg.target.span, "entity.name.function.step.reference.adflow"
            else:
                yield from _value(arg)
        if member.block is not None:
            yield from _block(member.block, in_lead_form)


def _value(value: ast.Arg) -> Iterator[tuple[ast.Span, str]]:
    if isinstance(value, ast.Str):
        yield value.span, "string.quoted.double.adflow"
    elif isinstance(value, ast.Num):
        yield value.span, "constant.numeric.adflow"
    elif isinstance(value, ast.Ident) and value.text.isupper():
        yield value.span, "constant.other.enum.adflow"
    elif isinstance(value, ast.ListValue):
        for item in value.items:
            yield from _value(item)
    elif isinstance(value, ast.Pair):
        yield value.span, "keyword.operator.pair.adflow"


@pytest.mark.parametrize("path", CLEAN, ids=lambda p: p.name)
def test_scopes_agree_with_the_parser(path: Path, tokens: dict[str, list[Token]]) -> None:
    source = read(path)
    tree, diagnostics = parse_file(source)
    assert tree is not None, diagnostics
    toks = tokens[str(path)]
    checked = 0
    for span, scope in _expected(tree):
        scopes = _scopes_at(toks, source.text, span)
        assert scope in scopes, f"{span}: expected {scope}, got {scopes}"
        checked += 1
    assert checked > 20
    lines = source.text.split("\n")
    for line, _begin, _end, scopes in toks:
        assert not any(s.startswith("invalid.") for s in scopes), (path, line + 1, scopes)
        if "comment.line.number-sign.adflow" in scopes:  # a comment starts with '#'
            comment_start = min(b for ln, b, e, s in toks
                                if ln == line and "comment.line.number-sign.adflow" in s)
            assert lines[line][comment_start] == "#", (path, line + 1)


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_every_comment_line_is_a_comment(path: Path, tokens: dict[str, list[Token]]) -> None:
    """Whole-line comments in every sample (broken ones too) are scoped as comments."""
    lines = path.read_text(encoding="utf-8").split("\n")
    toks = tokens[str(path)]
    for n, text in enumerate(lines):
        if text.lstrip().startswith("#"):
            column = len(text) - len(text.lstrip())
            scopes = next(s for line, b, e, s in toks if line == n and b <= column < e)
            assert "comment.line.number-sign.adflow" in scopes, (path, n + 1)


def test_the_extension_manifest_fits_together() -> None:
    manifest = json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))
    [language] = manifest["contributes"]["languages"]
    assert language["id"] == "adflow" and language["extensions"] == [".adflow"]
    [grammar] = manifest["contributes"]["grammars"]
    scope = json.loads((VSCODE / grammar["path"]).read_text(encoding="utf-8"))["scopeName"]
    assert grammar["language"] == "adflow" and grammar["scopeName"] == scope == "source.adflow"
    configuration = json.loads((VSCODE / language["configuration"]).read_text(encoding="utf-8"))
    assert configuration["comments"] == {"lineComment": "#"}
    assert {"open": '"', "close": '"', "notIn": ["string", "comment"]} in \
        configuration["autoClosingPairs"]
    default = manifest["contributes"]["configuration"]["properties"]["adflow.server.command"]
    assert default["default"] == ["adflow", "lsp"]
    assert "vscode-languageclient" in manifest["dependencies"]
    # The client is plain JavaScript, run as it is: no build step.
    subprocess.run(["node", "--check", str(VSCODE / manifest["main"])], check=True, timeout=60)
