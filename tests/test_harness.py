"""The test suite's own shape: what test modules share lives in conftest.py
(the CLI runner, the sandbox, the bundle run), never in another test module."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


def imported_test_modules(source: str) -> list[tuple[int, str]]:
    """The test modules (test_*, tests.*) a file imports, with their lines;
    imports inside functions count too."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        found += [(node.lineno, name) for name in names
                  if name.split(".")[-1].startswith("test_") or name.startswith("tests.")]
    return sorted(found)


def test_the_scan_sees_every_form_of_import() -> None:
    source = ("import json, test_a\nfrom test_b import x\ndef f():\n    from tests.c import y\n"
              "from conftest import ROOT\nimport tests.test_d\n")
    assert imported_test_modules(source) == [
        (1, "test_a"), (2, "test_b"), (4, "tests.c"), (6, "tests.test_d")]


def test_no_test_module_imports_another() -> None:
    offences = [f"{path.name}:{line}: imports {name}"
                for path in sorted(TESTS.glob("*.py"))
                for line, name in imported_test_modules(path.read_text(encoding="utf-8"))]
    assert offences == [], "share it through conftest.py instead:\n" + "\n".join(offences)


def test_make_test_runs_everything_and_test_fast_leaves_out_the_markers() -> None:
    """`make test` (which CI runs) selects nothing away; `make test-fast`
    leaves out exactly the markers pyproject.toml registers."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    markers = {line.split(":")[0] for line in config["tool"]["pytest"]["ini_options"]["markers"]}
    assert markers == {"tools", "slow"}
    assert "--strict-markers" in config["tool"]["pytest"]["ini_options"]["addopts"]
    recipes = makefile_recipes()
    assert recipes["test"] == ["$(BIN)/python -m pytest -q"]
    assert recipes["test-fast"] == ['$(BIN)/python -m pytest -q -m "not tools and not slow"']
    assert "make test\n" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def makefile_recipes() -> dict[str, list[str]]:
    """Each Makefile target's recipe lines (without the tab)."""
    recipes: dict[str, list[str]] = {}
    target = None
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        if line.startswith("\t") and target is not None:
            recipes[target].append(line[1:])
        elif ":" in line and not line.startswith(("#", " ", ".")) and "=" not in line.split(":")[0]:
            target = line.split(":")[0].strip()
            recipes[target] = []
        elif not line.startswith("\t"):
            target = None
    return recipes


def test_a_test_that_never_ends_fails_within_the_timeout(tmp_path: Path) -> None:
    """A language server that raised used to leave its test waiting for
    diagnostics forever; pytest-timeout ends such a test as a failure."""
    (tmp_path / "test_waits.py").write_text("import time\n\ndef test_waits():\n"
                                            "    time.sleep(60)\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "-o", "timeout=1", str(tmp_path / "test_waits.py")],
                          capture_output=True, text=True, timeout=50, check=False, cwd=tmp_path)
    assert done.returncode == 1, done.stdout
    assert "Timeout" in done.stdout
    configured = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert 0 < configured["tool"]["pytest"]["ini_options"]["timeout"] <= 900
