"""A quick start: what a check of a clean file imports and builds, and the
record classes that stand in for dataclasses on that path, held to what
dataclasses do."""

from __future__ import annotations

import dataclasses
import inspect
import json
import pickle
import subprocess
from pathlib import Path
from typing import Any

import pytest
from adflow.compiler import records
from adflow.compiler.cli import main as cli
from adflow.compiler.rules import ALL_RULES
from adflow.compiler.rules.base import cleandoc

ROOT = Path(__file__).resolve().parent.parent
# Costly to import, and needed by no check of a clean file (typing: 4 ms;
# jsonschema_rs: a third of a JSON body's check, see facts/endpoints/fits.py;
# pathlib, with what it imports: 5 ms, see project/paths.py).
NOT_NEEDED = ["dataclasses", "inspect", "importlib.resources", "lark", "typing", "datetime",
              "ast", "jsonschema", "jsonschema_rs", "pathlib"]


def imported_by_check(path: Path, bare_python: tuple[list[str], dict[str, str]],
                      cwd: Path | None = None) -> list[str]:
    code = ("import sys\nfrom adflow.compiler.cli.main import main\n"
            f"status = main(['check', '--no-cache', {str(path)!r}])\n"
            f"print(status, [m for m in {NOT_NEEDED!r} if m in sys.modules])")
    python, env = bare_python
    done = subprocess.run([*python, "-c", code], capture_output=True, text=True,
                          check=True, cwd=cwd, env=env)
    status, _, modules = done.stdout.strip().splitlines()[-1].partition(" ")
    assert status == "0"
    found: list[str] = json.loads(modules.replace("'", '"'))
    return found


@pytest.mark.parametrize("sample", ["samples/seed_lead_form.adflow",
                                    "samples/payloads/adset_body.json"])
def test_a_clean_check_imports_only_what_it_needs(
        sample: str, tmp_path: Path, bare_python: tuple[list[str], dict[str, str]]) -> None:
    """In a project whose pyproject.toml is another tool's, as most are."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "shop"\n\n[tool.ruff]\n'
                                             'line-length = 100\n')
    copy = tmp_path / Path(sample).name
    copy.write_bytes((ROOT / sample).read_bytes())
    assert imported_by_check(copy, bare_python, cwd=tmp_path) == []


def test_only_the_command_named_first_gets_a_parser() -> None:
    sub = next(a for a in cli.build_parser("check", others=False)._actions
               if isinstance(a, cli.argparse._SubParsersAction))
    assert list(sub.choices) == ["check"]


def test_help_before_a_command_still_lists_every_command(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["-h", "check"]) == 0
    out = capsys.readouterr().out
    assert all(f"    {name}" in out for name in cli.COMMANDS)


def test_cleandoc_is_inspects() -> None:
    docs = [r.doc for r in ALL_RULES] + [r.check.__doc__ or "" for r in ALL_RULES if r.check]
    docs += ["", "\n\n", "  one\n    two\n\tthree\n\n", "x\n \n  y  \n   z"]
    for doc in docs:
        assert cleandoc(doc) == inspect.cleandoc(doc)


# The same class twice: a dataclass and a record.
def fresh(make: Any, **options: Any) -> Any:
    @make(**options)
    class Point:
        """A point."""

        x: int
        y: str = "a"
        tags: tuple[str, ...] = (records.field if make is records.record else dataclasses.field)(
            default_factory=tuple)
        hidden: int = (records.field if make is records.record else dataclasses.field)(
            default=0, repr=False, compare=False)

    return Point


@pytest.mark.parametrize("options", [{}, {"frozen": True}, {"frozen": True, "slots": True},
                                     {"slots": True}])
def test_a_record_behaves_as_a_dataclass(options: dict[str, bool]) -> None:
    made = {}
    for make, replace in ((dataclasses.dataclass, dataclasses.replace),
                          (records.record, records.replace)):
        cls = fresh(make, **options)
        a, b = cls(1), cls(1, "a", (), hidden=5)
        changed = replace(a, y="b")
        frozen = None
        try:
            a.x = 3
        except AttributeError as exc:
            frozen = type(exc).__name__
        made[make] = [repr(a), a == b, a != cls(2), a == (1, "a"), repr(changed),
                      cls.__hash__ is None, hash(a) == hash(b) if cls.__hash__ else None,
                      frozen is not None, getattr(cls, "__slots__", None),
                      cls.__match_args__, cls(x=4, tags=("t",)) == cls(4, "a", ("t",))]
    assert made[records.record] == made[dataclasses.dataclass]


Pickled = records.record(frozen=True, slots=True)(type("Pickled", (), {
    "__annotations__": {"a": "int", "b": "str"}, "__module__": __name__}))


def test_a_frozen_slots_record_goes_through_pickle() -> None:
    """Process pools send findings (frozen, slotted) between processes."""
    value = Pickled(1, "b")
    assert pickle.loads(pickle.dumps(value)) == value


def test_post_init_runs() -> None:
    @records.record(frozen=True)
    class Text:
        text: str
        size: int = records.field(init=False, repr=False, compare=False)

        def __post_init__(self) -> None:
            object.__setattr__(self, "size", len(self.text))

    assert Text("abc").size == 3 and repr(Text("a")).endswith("Text(text='a')")
    with pytest.raises(ValueError):
        records.replace(Text("a"), size=2)


@pytest.mark.parametrize("options", [{}, {"frozen": True}, {"frozen": True, "slots": True}])
def test_a_record_takes_the_fields_of_the_record_it_extends(options: dict[str, bool]) -> None:
    """As a dataclass does: the language server's file piece extends Source."""
    made = {}
    for make, replace in ((dataclasses.dataclass, dataclasses.replace),
                          (records.record, records.replace)):
        base = fresh(make, **options)

        @make(**options)
        class Child(base):  # type: ignore[valid-type, misc]
            extra: int = 7
            y: str = "b"  # a field of the base given again keeps its place

        value = Child(1, "c", extra=2)
        made[make] = [repr(value), Child.__match_args__, value == Child(1, "c", (), 0, 2),
                      repr(replace(value, extra=3)), repr(Child(5))]
    assert made[records.record] == made[dataclasses.dataclass]


def test_a_record_runs_the_post_init_it_inherits() -> None:
    for make in (dataclasses.dataclass, records.record):
        @make(frozen=True)
        class Base:
            text: str

            def __post_init__(self) -> None:
                object.__setattr__(self, "text", self.text.upper())

        @make(frozen=True)
        class Child(Base):
            line: int = 1

        assert Child("a", 2).text == "A", make


def test_lean_namedtuple_makes_what_typing_makes() -> None:
    """lean's stand-in, which Python runs, against typing's, which mypy reads."""
    import typing

    from adflow.compiler import lean

    def make(base: Any) -> Any:
        class Point(base):  # type: ignore[misc, valid-type]
            """A point."""

            x: int
            y: int = 0

            def norm(self) -> int:
                return abs(self.x) + abs(self.y)

        return Point

    ours, theirs = make(lean.NamedTuple), make(typing.NamedTuple)
    for cls in (ours, theirs):
        point = cls(3, -4)
        assert point == (3, -4) and point.norm() == 7 and cls(1) == (1, 0)
        assert point._replace(y=1) == (3, 1) and point._asdict() == {"x": 3, "y": -4}
    assert ours._fields == theirs._fields and ours._field_defaults == theirs._field_defaults
    assert ours.__doc__ == theirs.__doc__ and repr(ours(1, 2)) == repr(theirs(1, 2))
    assert not hasattr(ours(1, 2), "__dict__")
    from adflow.compiler.facts.limits import WELCOME_TEXT  # a lean one, as workers send it

    assert pickle.loads(pickle.dumps(WELCOME_TEXT)) == WELCOME_TEXT


def test_help_is_as_wide_as_argparse_would_make_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    for columns in ("57", "140", "", "nonsense"):
        monkeypatch.setenv("COLUMNS", columns)
        cli._help_width.cache_clear()
        assert cli._help_width() == shutil.get_terminal_size().columns - 2


def test_records_made_is_what_write_records_writes() -> None:
    """`make records` after changing a record class (or the test fails)."""
    from adflow.compiler import write_records

    assert write_records.TARGET.read_text(encoding="utf-8") == write_records.written()


def test_every_record_of_the_package_gets_its_init_compiled_ahead() -> None:
    from adflow.compiler import write_records

    classes = write_records.record_classes()
    assert len(classes) > 40
    for cls in classes:
        assert cls.__init__.__code__.co_filename.endswith("records_made.py"), cls
        assert cls.__init__.__qualname__ == f"{cls.__qualname__}.__init__"
