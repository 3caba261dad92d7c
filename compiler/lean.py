"""What the modules a check imports need of `typing` at run time, without
importing it: typing costs a quick check 4 ms, a tenth of its own work.

Annotations need nothing (every module has `from __future__ import
annotations`); names used only in them are imported by each module under
its own `TYPE_CHECKING = False` / `if TYPE_CHECKING:`, which mypy reads as
true. The few pieces that run are here: mypy sees typing's own, Python the
stand-ins, which do at run time what typing's do.
"""

from __future__ import annotations

import collections

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
    from typing import cast as cast
    from typing import dataclass_transform as dataclass_transform
    from typing import overload as overload
else:

    def cast(kind, value):
        return value

    def overload(function):
        return function

    def dataclass_transform(**marks):
        return overload

    class _NamedTupleType(type):
        """`class Token(NamedTuple)` with annotated fields, made as
        `typing.NamedTuple` makes it: by `collections.namedtuple`, then the
        class body's methods and docstring put on the new class."""

        def __new__(cls, name, bases, namespace):
            if bases == ():  # NamedTuple itself
                return super().__new__(cls, name, bases, namespace)
            names = list(namespace.get("__annotations__", {}))
            made = collections.namedtuple(name, names, module=namespace["__module__"],
                                          defaults=[namespace[n] for n in names if n in namespace])
            for key, value in namespace.items():
                if key not in names and key not in ("__module__", "__dict__", "__weakref__"):
                    setattr(made, key, value)
            return made

    class NamedTuple(metaclass=_NamedTupleType):
        pass
