"""Whether a body fits its schema: each endpoint schema compiled once into
one predicate, a closure per schema object.

JSON Schema 2020-12 as far as the endpoint schemas use it, with jsonschema's
meaning of every keyword (the reference validator, which explains a body
this rejects): a wrong type is no concern of a keyword for another type,
`1` equals `1.0` but never `true`, `pattern` searches, `format` and the
content keywords only annotate. A keyword outside that set is refused when
its part of the schema is compiled, so none is ever silently ignored.

Why not a validator library: the quickest to import (jsonschema-rs) cost a
check of one body a third of its time, for five small schemas that are ours
and change only with the facts. tests/test_fast_schemas.py holds every
verdict equal to jsonschema's, on every body the project knows and on
Hypothesis-made variations of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

TYPE_CHECKING = False  # typing is for mypy alone: importing it costs a quick check 4 ms
if TYPE_CHECKING:
    from typing import Any

Check = Callable[["Any"], bool]

# Read by people and tools, never by validation (2020-12 makes the content
# keywords annotations; the reference validator asserts no format).
_ANNOTATIONS = frozenset({"$schema", "$comment", "$defs", "title", "description", "default",
                          "examples", "format", "contentMediaType", "contentSchema",
                          "contentEncoding"})


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_TYPES: dict[str, Check] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": _number,
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool))
    or (isinstance(v, float) and v.is_integer()),
}


def equal(one: Any, two: Any) -> bool:
    """JSON equality as jsonschema has it: numbers by value, booleans apart."""
    if isinstance(one, str) or isinstance(two, str):
        return bool(one == two)
    if isinstance(one, list) and isinstance(two, list):
        return len(one) == len(two) and all(map(equal, one, two))
    if isinstance(one, dict) and isinstance(two, dict):
        return one.keys() == two.keys() and all(equal(one[k], two[k]) for k in one)
    if isinstance(one, bool) or isinstance(two, bool):
        return one is two
    return bool(one == two)


def compile_schema(schema: Any, lazy: bool = True) -> Check:
    """The predicate of `schema`, whose `$ref`s name its own `$defs`. Lazy,
    the parts inside arrays and objects are compiled when first used (an
    unknown keyword there is refused then); tests compile all at once."""
    defs = schema.get("$defs", {}) if isinstance(schema, dict) else {}
    compiled: dict[str, Check] = {}

    def ref(target: str) -> Check:
        name = target.removeprefix("#/$defs/")
        if name == target or name not in defs:
            raise ValueError(f"$ref {target!r}: only #/$defs/NAME of the same schema")

        def check(value: Any) -> bool:  # looked up when run: a definition may refer to itself
            if name not in compiled:
                compiled[name] = node(defs[name])
            return compiled[name](value)

        return check

    def node(s: Any) -> Check:
        if s is True or s == {}:
            return lambda value: True
        if s is False:
            return lambda value: False
        checks = [keyword(name, argument, s) for name, argument in s.items()
                  if name not in _ANNOTATIONS and not name.startswith("x-")
                  and name not in ("then", "else")]
        if len(checks) == 1:
            return checks[0]

        def every(value: Any) -> bool:
            for check in checks:  # noqa: SIM110 (all() over a generator costs more, per value)
                if not check(value):
                    return False
            return True

        return every

    def keyword(name: str, arg: Any, s: dict[str, Any]) -> Check:
        if name == "type":
            kinds = [_TYPES[t] for t in (arg if isinstance(arg, list) else [arg])]
            return lambda v: any(kind(v) for kind in kinds)
        if name == "enum":
            texts = frozenset(a for a in arg if isinstance(a, str))
            others = [a for a in arg if not isinstance(a, str)]
            return lambda v: v in texts if isinstance(v, str) else any(equal(a, v) for a in others)
        if name == "const":
            return lambda v: equal(arg, v)
        if name == "$ref":
            return ref(arg)
        if name == "not":
            negated = node(arg)
            return lambda v: not negated(v)
        if name in ("anyOf", "allOf"):
            parts = [node(a) for a in arg]
            combine = any if name == "anyOf" else all
            return lambda v: combine(part(v) for part in parts)
        if name == "if":
            test, then, other = node(arg), node(s.get("then", True)), node(s.get("else", True))
            return lambda v: then(v) if test(v) else other(v)
        if name in _STRING:
            return _STRING[name](arg)
        if name in _NUMBER:
            limit = _NUMBER[name]
            return lambda v: not _number(v) or limit(v, arg)
        if name in _ARRAY:
            return _ARRAY[name](arg, inner)
        if name in _OBJECT:
            return _OBJECT[name](arg, s, inner)
        raise ValueError(f"schema keyword {name!r} is not supported")

    def inner(sub: Any) -> Check:
        return _on_first_use(node, sub) if lazy else node(sub)

    return node(schema)


def _strings(test: Callable[[str], bool]) -> Check:
    return lambda v: not isinstance(v, str) or test(v)


def _lists(test: Callable[[list[Any]], bool]) -> Check:
    return lambda v: not isinstance(v, list) or test(v)


def _objects(test: Callable[[dict[str, Any]], bool]) -> Check:
    return lambda v: not isinstance(v, dict) or test(v)


def _pattern(arg: str) -> Check:
    # Compiled on first use, by re's cache: a body meets few of the patterns.
    return _strings(lambda v: re.search(arg, v) is not None)


_STRING: dict[str, Callable[[Any], Check]] = {
    "minLength": lambda n: _strings(lambda v: len(v) >= n),
    "maxLength": lambda n: _strings(lambda v: len(v) <= n),
    "pattern": _pattern,
}
_NUMBER: dict[str, Callable[[Any, Any], bool]] = {
    "minimum": lambda v, n: v >= n,
    "maximum": lambda v, n: v <= n,
    "exclusiveMinimum": lambda v, n: v > n,
    "exclusiveMaximum": lambda v, n: v < n,
}


def _unique(items: list[Any]) -> bool:
    return not any(equal(a, b) for i, a in enumerate(items) for b in items[i + 1:])


def _items(arg: Any, node: Callable[[Any], Check]) -> Check:
    each = node(arg)
    return _lists(lambda v: all(map(each, v)))


def _contains(arg: Any, node: Callable[[Any], Check]) -> Check:
    each = node(arg)
    return _lists(lambda v: any(map(each, v)))


_ARRAY: dict[str, Callable[[Any, Callable[[Any], Check]], Check]] = {
    "items": _items,
    "contains": _contains,
    "minItems": lambda n, _: _lists(lambda v: len(v) >= n),
    "maxItems": lambda n, _: _lists(lambda v: len(v) <= n),
    "uniqueItems": lambda on, _: _lists(_unique) if on else (lambda v: True),
}


def _on_first_use(node: Callable[[Any], Check], schema: Any) -> Check:
    """`node(schema)`, compiled when first called: a body has few of the
    members a schema knows, and compiling all of them was most of the work."""
    compiled: list[Check] = []

    def check(value: Any) -> bool:
        if not compiled:
            compiled.append(node(schema))
        return compiled[0](value)

    return check


def _properties(arg: dict[str, Any], s: dict[str, Any], node: Callable[[Any], Check]) -> Check:
    each = {key: node(sub) for key, sub in arg.items()}

    def members(v: Any) -> bool:
        if isinstance(v, dict):
            for key, value in v.items():
                check = each.get(key)
                if check is not None and not check(value):
                    return False
        return True

    return members


def _additional(arg: Any, s: dict[str, Any], node: Callable[[Any], Check]) -> Check:
    if "patternProperties" in s:
        raise ValueError("schema keyword 'patternProperties' is not supported")
    known, each = frozenset(s.get("properties", ())), node(arg)
    return _objects(lambda v: all(each(v[key]) for key in v if key not in known))


def _property_names(arg: Any, s: dict[str, Any], node: Callable[[Any], Check]) -> Check:
    each = node(arg)
    return _objects(lambda v: all(map(each, v)))


def _dependent_schemas(arg: dict[str, Any], s: dict[str, Any],
                       node: Callable[[Any], Check]) -> Check:
    each = [(key, node(sub)) for key, sub in arg.items()]
    return _objects(lambda v: all(check(v) for key, check in each if key in v))


def _dependent_required(arg: dict[str, list[str]], s: dict[str, Any],
                        node: Callable[[Any], Check]) -> Check:
    return _objects(lambda v: all(name in v for key, names in arg.items() if key in v
                                  for name in names))


_OBJECT: dict[str, Callable[[Any, dict[str, Any], Callable[[Any], Check]], Check]] = {
    "properties": _properties,
    "additionalProperties": _additional,
    "propertyNames": _property_names,
    "dependentSchemas": _dependent_schemas,
    "dependentRequired": _dependent_required,
    "required": lambda names, s, _: _objects(lambda v: all(n in v for n in names)),
    "minProperties": lambda n, s, _: _objects(lambda v: len(v) >= n),
    "maxProperties": lambda n, s, _: _objects(lambda v: len(v) <= n),
}
