"""The shape of the codebase: imports flow one way, rules live alone in
compiler/rules/, and the package is clean under `mypy --strict` and ruff.

The import graph is read from the source (every `import`, also those inside
functions and under TYPE_CHECKING: a type-only arrow still ties two modules
together), with module names from pyproject.toml's `package-dir`."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@cache
def modules() -> dict[str, Path]:
    """Every module of the package by its import name, as setuptools maps
    folders to packages (`adflow.compiler` is compiler/, ...)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    folders: dict[str, str] = config["tool"]["setuptools"]["package-dir"]
    out: dict[str, Path] = {}
    for package, folder in folders.items():
        for path in sorted((ROOT / folder).glob("*.py")):
            name = package if path.stem == "__init__" else f"{package}.{path.stem}"
            out[name] = path
    return out


def imported(name: str, path: Path) -> Iterator[str]:
    """The package's modules that the module `name` imports."""
    known = modules()
    package = name if path.stem == "__init__" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            targets = [base, *(f"{base}.{a.name}" for a in node.names)]
        else:
            continue
        yield from (t for t in targets if t in known and t != name)


@cache
def graph() -> dict[str, frozenset[str]]:
    return {name: frozenset(imported(name, path)) for name, path in modules().items()}


def circles(edges: dict[str, frozenset[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_the_import_graph_is_read_whole() -> None:
    # The checks below mean nothing if the walk missed the package.
    edges = graph()
    assert len(edges) > 60
    assert "adflow.compiler.bodies.model" in edges["adflow.compiler.pipeline"]
    assert "adflow.compiler.front.source" in edges["adflow.compiler.bodies.model"]
    assert circles({"a": frozenset({"b"}), "b": frozenset({"a"}), "c": frozenset()}) == [
        ["a", "b"]]


def test_no_import_circles() -> None:
    assert circles(graph()) == []


def test_no_emitter_imports_the_rules() -> None:
    """Emitters read the model (and compiler/bodies/queries.py), never a rule."""
    wrong = {name: sorted(t for t in targets if t.startswith("adflow.compiler.rules"))
             for name, targets in graph().items() if name.startswith("adflow.emitters")}
    assert {name: t for name, t in wrong.items() if t} == {}


def test_commands_share_one_module_and_never_import_each_other_or_the_cli() -> None:
    commands = "adflow.compiler.cli.commands."
    wrong = {name: sorted(t for t in targets
                          if t == "adflow.compiler.cli.main"
                          or (t.startswith(commands) and t != commands + "_shared"))
             for name, targets in graph().items() if name.startswith(commands)}
    assert {name: t for name, t in wrong.items() if t} == {}


def test_only_rules_in_the_rules_folder_and_one_file_per_code_letter() -> None:
    import importlib

    from adflow.compiler.rules import ALL_RULES

    files_of: dict[str, set[str]] = {}
    for name in modules():
        if name.startswith("adflow.compiler.rules.") and name.rpartition(".")[2] != "base":
            held = importlib.import_module(name).RULES  # a file here holds rules
            assert held, name
            for r in held:
                files_of.setdefault(r.code[0], set()).add(name.rpartition(".")[2])
    assert {letter: files for letter, files in files_of.items() if len(files) != 1} == {}
    assert set(files_of) == {r.code[0] for r in ALL_RULES}


def test_ruff_is_clean() -> None:
    # ruff is a test dependency, installed beside this Python.
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or "ruff"
    done = subprocess.run([ruff, "check", "--no-cache", "--output-format", "concise", "."],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict_is_clean() -> None:
    """mypy reads the package by the module names setuptools gives its files
    (pyproject.toml's package-dir), so no symlink tree is needed."""
    from mypy import build
    from mypy.main import process_options
    from mypy.modulefinder import BuildSource

    sources = [BuildSource(str(path), name) for name, path in modules().items()]
    _, options = process_options(["--config-file", str(ROOT / "pyproject.toml"),
                                  str(modules()["adflow.compiler.cli.main"])])
    options.cache_dir = str(ROOT / ".mypy_cache")
    result = build.build(sources, options)
    assert result.errors == []


def test_codes_raised_by_the_front_ends_say_where() -> None:
    """A code with no check of its own names the files that report it: each
    named file reports it, and each module that imports it is named."""
    import io
    import tokenize

    from adflow.compiler.rules import ALL_RULES

    emitted = [r for r in ALL_RULES if r.check is None]
    assert emitted and all(r.raised_in for r in emitted)
    importers: dict[str, set[str]] = {}
    for name, path in modules().items():
        if ".rules" in name:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and ".rules." in f".{node.module}.":
                for alias in node.names:
                    importers.setdefault(alias.name, set()).add(
                        path.relative_to(ROOT).as_posix())
    for r in emitted:
        for file in r.raised_in:
            text = (ROOT / file).read_text(encoding="utf-8")
            tokens = tokenize.generate_tokens(io.StringIO(text).readline)
            assert any(t.string in (r.code, f'"{r.code}"') for t in tokens
                       if t.type in (tokenize.NAME, tokenize.STRING)), (r.code, file)
        assert importers.get(r.code, set()) <= set(r.raised_in), r.code
