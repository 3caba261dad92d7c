"""Record classes for the modules a check imports, without the `dataclasses`
module: importing it (it imports `inspect`) and building forty classes with
it cost a quick check more than a `python -c pass`.

`record` writes a class's `__init__`, `__repr__`, `__eq__` and `__hash__`
from its annotated fields as `dataclasses.dataclass` does (the same
arguments, defaults, `field(...)`, `__post_init__`, frozen and slots, a
base record's fields and `__post_init__`): its source text, compiled with
the package when a class of the package has it (`records_made.py`, written
by `write_records.py`), else by `exec`; mypy reads it as a dataclass
(`dataclass_transform`).
Use its `replace` for `dataclasses.replace`.
"""

from __future__ import annotations

import operator
from collections.abc import Callable

from .lean import dataclass_transform
from .records_made import WRITTEN as _WRITTEN

TYPE_CHECKING = False  # typing is for mypy alone: importing it costs a quick check 4 ms
if TYPE_CHECKING:
    from typing import Any, TypeVar

    T = TypeVar("T")

_MISSING: Any = object()


class FrozenInstanceError(AttributeError):
    """Assigning to a field of a frozen value."""


class Field:
    __slots__ = ("name", "default", "default_factory", "init", "repr", "compare")

    def __init__(self, default: Any, default_factory: Any, init: bool, repr: bool,
                 compare: bool) -> None:
        self.name = ""
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.compare = compare


def field(*, default: Any = _MISSING, default_factory: Callable[[], Any] = _MISSING,
          init: bool = True, repr: bool = True, compare: bool = True) -> Any:
    return Field(default, default_factory, init, repr, compare)


@dataclass_transform(field_specifiers=(field,))
def record(cls: type[T] | None = None, /, *, frozen: bool = False,
          slots: bool = False) -> Any:
    def wrap(cls: type[T]) -> type[T]:
        return _build(cls, frozen, slots)

    return wrap if cls is None else wrap(cls)


def fields(cls_or_value: Any) -> tuple[Field, ...]:
    found: tuple[Field, ...] = cls_or_value.__value_fields__
    return found


def replace(obj: T, /, **changes: Any) -> T:
    """A copy of `obj` with `changes`, as `dataclasses.replace`."""
    for f in fields(obj):
        if not f.init:
            if f.name in changes:
                raise ValueError(f"field {f.name} is declared with init=False")
        elif f.name not in changes:
            changes[f.name] = getattr(obj, f.name)
    return type(obj)(**changes)


def init_source(found: list[Field], frozen: bool,
                post_init: bool) -> tuple[str, dict[str, Any]]:
    """The source of a record's `__init__` and the names it reads (the
    defaults, the factories): `exec` makes the method of the two."""
    glob: dict[str, Any] = {"_MISSING": _MISSING, "_setattr": object.__setattr__}
    params, body = [], []
    for f in found:
        if f.default_factory is not _MISSING:
            glob[f"_factory_{f.name}"] = f.default_factory
        if f.default is not _MISSING:
            glob[f"_default_{f.name}"] = f.default
        if f.init:
            if f.default_factory is not _MISSING:
                params.append(f"{f.name}=_MISSING")
                given = f"_factory_{f.name}() if {f.name} is _MISSING else {f.name}"
            else:
                params.append(f.name + (f"=_default_{f.name}" if f.default is not _MISSING
                                        else ""))
                given = f.name
        elif f.default_factory is not _MISSING:
            given = f"_factory_{f.name}()"
        elif f.default is not _MISSING:
            given = f"_default_{f.name}"
        else:
            continue
        body.append(f"_setattr(self, {f.name!r}, {given})" if frozen
                    else f"self.{f.name} = {given}")
    if post_init:  # its own or a base's, as dataclasses
        body.append("self.__post_init__()")
    source = (f"def __init__(self, {', '.join(params)}):\n"
              + "".join(f"  {line}\n" for line in body or ["pass"]))
    return source, glob


def _build(cls: type[T], frozen: bool, slots: bool) -> type[T]:
    own = cls.__dict__
    # A base record's fields come first, as a dataclass's do; one given again
    # keeps its place.
    by_name: dict[str, Field] = {f.name: f for base in reversed(cls.__mro__[1:])
                                 for f in base.__dict__.get("__value_fields__", ())}
    names = list(own.get("__annotations__", {}))
    for name in names:
        default = own.get(name, _MISSING)
        f = default if isinstance(default, Field) else Field(default, _MISSING, True, True, True)
        f.name = name
        by_name[name] = f
    found = list(by_name.values())
    made: dict[str, Any] = {}
    if "__init__" not in own:  # the one method written per class: it runs per object
        source, glob = init_source(found, frozen, hasattr(cls, "__post_init__"))
        written: Callable[[dict[str, Any]], Any] | None = _WRITTEN.get(source)
        if written is not None:  # compiled ahead, with the package: nothing to compile
            made["__init__"] = written(glob)
        else:
            exec(source, glob, made)
        made["__init__"].__qualname__ = f"{cls.__qualname__}.__init__"
    made["_compared"] = staticmethod(_getter([f.name for f in found if f.compare]))
    made["_shown"] = tuple(f.name for f in found if f.repr)
    made["__repr__"] = _repr
    made["__eq__"] = _eq
    if frozen:
        made.update(__hash__=_hash, __setattr__=_frozen_setattr, __delattr__=_frozen_delattr)
    if frozen and slots:  # pickle (process pools) cannot set a frozen slot itself
        made.update(__getstate__=_getstate, __setstate__=_setstate)
    made = {k: v for k, v in made.items() if k not in own}
    made["__value_fields__"] = tuple(found)
    made["__match_args__"] = tuple(f.name for f in found if f.init)
    if not frozen and "__hash__" not in own:
        made["__hash__"] = None  # equal by value yet changeable: unhashable, as dataclasses
    if not slots:
        for name, attr in made.items():
            setattr(cls, name, attr)
        for f in found:  # a field(...) is no class attribute; a plain default stays one
            if isinstance(own.get(f.name), Field):
                if f.default is _MISSING:
                    delattr(cls, f.name)
                else:
                    setattr(cls, f.name, f.default)
        return cls
    # Slots need a new class; its defaults live in __init__ (a class attribute
    # of the same name would shadow the slot).
    attrs = {k: v for k, v in own.items() if k not in names and k not in _PER_CLASS}
    attrs.update(made)
    inherited = {slot for base in cls.__mro__[1:] for slot in base.__dict__.get("__slots__", ())}
    attrs["__slots__"] = tuple(name for name in names if name not in inherited)
    metaclass: Any = type(cls)
    new: type[T] = metaclass(cls.__name__, cls.__bases__, attrs)
    new.__qualname__ = cls.__qualname__
    return new


_PER_CLASS = ("__dict__", "__weakref__")


# The methods every record shares; they read the class's field names.

def _getter(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    if len(names) == 1:
        name = names[0]
        return lambda obj: (getattr(obj, name),)
    return operator.attrgetter(*names) if names else lambda obj: ()


def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._shown)
    return f"{type(self).__qualname__}({shown})"


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return self._compared(self) == self._compared(other)


def _hash(self: Any) -> int:
    return hash(self._compared(self))


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _getstate(self: Any) -> tuple[Any, ...]:
    return tuple(getattr(self, f.name) for f in self.__value_fields__)


def _setstate(self: Any, state: tuple[Any, ...]) -> None:
    for f, item in zip(self.__value_fields__, state, strict=True):
        object.__setattr__(self, f.name, item)
