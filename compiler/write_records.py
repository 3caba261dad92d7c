"""Writes `records_made.py`: the `__init__` of every record class in the
package, compiled with the package instead of at every start.

`record` writes each class's `__init__` as source text and compiled it with
`exec`: forty-nine compiles, a tenth of a quick check's time. Python keeps
the compiled form of a module (its .pyc), so the same source text, written
into a module here, costs nothing to compile at run time. `record` looks a
class's source text up in `records_made.WRITTEN` and compiles only what is
not there (a class written since, or one outside the package).

`make records` runs this module; tests/test_lean_start.py fails when
records_made.py is not what it writes.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import sys
from pathlib import Path

from . import generated
from .records import _frozen_setattr, init_source

TARGET = Path(__file__).with_name("records_made.py")
# The names an __init__ reads besides its parameters (records.init_source).
_READ = re.compile(r"\b(_MISSING|_setattr|_default_\w+|_factory_\w+)\b")
PACKAGES = ("adflow.compiler", "adflow.emitters")


def record_classes() -> list[type]:
    """Every record class the package's modules define, in a fixed order."""
    found: dict[str, type] = {}
    for package in PACKAGES:
        root = importlib.import_module(package)
        for info in pkgutil.walk_packages(root.__path__, f"{package}."):
            if info.name.endswith("__main__"):
                continue
            module = importlib.import_module(info.name)
            for value in vars(module).values():
                if (isinstance(value, type) and "__value_fields__" in value.__dict__
                        and value.__module__ == module.__name__):
                    found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[name] for name in sorted(found)]


def sources() -> list[str]:
    """The distinct __init__ sources of the package's records, sorted."""
    out = set()
    for cls in record_classes():
        frozen = cls.__dict__.get("__setattr__") is _frozen_setattr
        source, _ = init_source(list(cls.__dict__["__value_fields__"]), frozen,
                                hasattr(cls, "__post_init__"))
        out.add(source)
    return sorted(out)


def written() -> str:
    """What records_made.py should hold."""
    lines = [
        '"""The `__init__` of every record class in the package, compiled with',
        "it (see compiler/write_records.py, which writes this file: `make",
        'records`). Do not edit."""',
        "",
        "# mypy: ignore-errors",
        "# ruff: noqa",
        "",
    ]
    table = []
    for index, source in enumerate(sources()):
        lines += ["", f"def _{index}(g):"]
        lines += [f"    {name} = g[{name!r}]" for name in sorted(set(_READ.findall(source)))]
        lines += [f"    {line}" for line in source.rstrip("\n").split("\n")]
        lines += ["    return __init__", ""]
        table.append(f"    {source!r}: _{index},")
    lines += ["", "WRITTEN = {", *table, "}"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    return generated.main("adflow.compiler.write_records", __doc__ or "",
                          lambda: {TARGET: written()}, argv)


if __name__ == "__main__":
    sys.exit(main())
