"""The JSON Schemas for request bodies (the *.schema.json files beside this
module), run by the check pipeline on every body: a body of the wrong shape
(possible from JSON payloads and `raw` fields) is a diagnostic, S008, in
`check` exactly as in `compile`; the sandbox judges bodies with them too.
A cache hit never imports this module.

An open world: what the schemas know is checked; a member they do not know
is a warning when it is close to a known name (did you mean ...?) and
otherwise an info that it was not checked, never an error. Each value that
breaks its schema gets one finding, in the words of the field and its path
(`object_story_spec.link_data.call_to_action`), never the validator's.

Validity is decided by a predicate compiled once per endpoint (`fits`).
The findings come from jsonschema, which is imported and run only for a
body the predicate rejects: the fast validator decides, the reference one
explains, and tests hold the two to the same verdicts."""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Iterable, Sequence

from ...bodies.model import ENDPOINTS, Request
from ...findings.diagnostics import Diagnostic, Severity
from ...findings.suggest import replace
from ...front.source import Source, Span, pointer
from ...records import record
from ...rules.syntax import S008
from .fits import Check, compile_schema

TYPE_CHECKING = False  # typing is for mypy alone: importing it costs a quick check 4 ms
if TYPE_CHECKING:
    from typing import Any


@functools.cache
def schema(endpoint: str) -> Any:
    # Beside this module, read directly: importlib.resources alone costs half
    # a `python -c pass` to import.
    path = os.path.join(os.path.dirname(__file__), f"{endpoint}.schema.json")
    with open(path, encoding="utf-8") as f:
        return json.load(f)


@functools.cache
def validator(endpoint: str) -> Any:
    """The reference validator, whose errors are put into words."""
    import jsonschema

    return jsonschema.Draft202012Validator(schema(endpoint))


@functools.cache
def fast_validator(endpoint: str) -> Check:
    return compile_schema(schema(endpoint))


def is_valid(endpoint: str, body: Any) -> bool:
    """Whether the body fits; a value too deep to walk counts as not valid
    here, so that jsonschema has the last word on it."""
    try:
        return fast_validator(endpoint)(body)
    except RecursionError:
        return False


@record(frozen=True)
class Finding:
    """One way a body breaks its schema: where (a JSON pointer), what, and
    how sure adflow is (an unknown member is no error)."""

    ptr: str
    message: str
    severity: Severity = Severity.ERROR
    help: str | None = None
    key: str | None = None  # an unknown member's, which the finding points at
    meant: str | None = None  # the known name that key surely means: a fix


def findings(endpoint: str, body: Any, at: tuple[str, ...] = ()) -> list[Finding]:
    """One finding per value that breaks the endpoint's schema, and one per
    member the schema does not know, in pointer order; `at` is where the
    body sits in the request (an ad's inline creative: ("creative",))."""
    if is_valid(endpoint, body):
        return []
    by_value: dict[tuple[str | int, ...], list[Any]] = {}
    unknown: list[tuple[tuple[str | int, ...], Any]] = []
    out: list[Finding] = []
    for error in validator(endpoint).iter_errors(body):
        path = (*at, *error.absolute_path)
        if "propertyNames" in error.schema_path:  # a key no body may have: the token
            key = str(error.instance)
            out.append(Finding(pointer(*path, key), f"{key} does not belong in a body: the token "
                               "comes from the environment (META_ACCESS_TOKEN) at run time",
                               key=key))
        elif error.validator == "additionalProperties":
            unknown.append((path, error))
        else:
            by_value.setdefault(path, []).append(error)
    said = {f.ptr for f in out}
    for path, error in unknown:
        out.extend(f for f in _unknown_members(path, error) if f.ptr not in said)
    for path, errors in by_value.items():
        out.append(_one(path, errors))
    return sorted(out, key=lambda f: (f.ptr, f.severity.rank))


def schema_errors(endpoint: str, body: Any) -> list[tuple[str, str]]:
    """(JSON pointer, message) for each error (not the infos and warnings
    about unknown members): what the sandbox refuses a body for."""
    return [(f.ptr, f.message) for f in findings(endpoint, body)
            if f.severity is Severity.ERROR]


def schema_diagnostics(request: Request, source: Source | None = None, *,
                       alone: bool = False) -> list[Diagnostic]:
    """S008 for the ways one request's body breaks its endpoint's schema; an
    ad's inline creative is held to the creative's schema. With the source,
    a finding about an unknown member points at its key, and a clear
    misspelling of a known name gets a fix. A message names the request by
    its key unless the body is `alone` in its file (a key such as
    `creative.0` was never written there)."""
    endpoint = ENDPOINTS[request.kind]
    found = findings(endpoint, request.view)
    inline = request.view.get("creative") if request.kind == "ad" else None
    if isinstance(inline, dict) and "creative_id" not in inline:
        from ...bodies.wire import normalise

        view = normalise("adcreatives", inline).view
        found += findings("adcreatives", view, ("creative",))
    out = []
    for f in found:
        span, fix = request.span_at(f.ptr), None
        if f.key is not None and source is not None and request.has_span(f.ptr):
            key = _key_span(source, span, f.key)
            if key is not None:
                span = key
                fix = replace(source, span, f.key, f.meant) if f.meant else None
        message = f.message if alone else f"{request.key}: {f.message}"
        out.append(S008.diag(span, message, help=f.help,
                             severity=f.severity, name=request.place(f.ptr), fix=fix))
    return out


def _key_span(source: Source, value: Span, key: str) -> Span | None:
    """The span of `"key":` written just before the value at `value` (in
    JSON as written, not inside JSON text), or None."""
    end = source.offset(value.line, value.column)
    written = source.text[max(0, end - len(key) - 100):end]
    found = re.search(re.escape(json.dumps(key)) + r"\s*:\s*$", written)
    if found is None:
        return None
    start = end - len(written) + found.start()
    return source.span(start, start + len(json.dumps(key)))


def dotted(path: Sequence[str | int]) -> str:
    """A value's path as people write it: `link_data.call_to_action.value`,
    `quick_replies[0]`; the markers (`$json`: JSON sent as text, `$ref`: the id
    of a request in the file) are no part of it."""
    out = ""
    for part in path:
        if part in ("$json", "$ref"):
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "the body"


def _unknown_members(path: tuple[str | int, ...], error: Any) -> Iterable[Finding]:
    from ...findings.suggest import suggest

    known = error.schema.get("properties", {})
    instance = error.instance if isinstance(error.instance, dict) else {}
    where = dotted(path)
    if not known and error.schema.get("title"):  # a shape adflow does not model at all
        yield Finding(pointer(*path), f"{where} is {error.schema['title']}: not checked",
                      Severity.INFO)
        return
    # `x-unknown-refused` marks an object whose unknown keys Meta refuses, with
    # the evidence; elsewhere an unknown key is Meta's business, not adflow's.
    refused = error.schema.get("x-unknown-refused")
    for key in instance:
        if key in known:
            continue
        ptr = pointer(*path, key)
        found = suggest(key, known)
        if found is not None:
            sure = found.certain and found.name not in instance
            said = f"{where} has no member '{key}'" + (f": {refused}" if refused else "")
            yield Finding(ptr, said, Severity.ERROR if refused else Severity.WARNING,
                          found.help, key, found.name if sure else None)
        elif refused:  # an object Meta closes: its error, not "not checked"
            yield Finding(ptr, f"{where} has no member '{key}': {refused}", Severity.ERROR,
                          key=key)
        else:
            yield Finding(ptr, f"{dotted((*path, key))} is not checked: adflow does not "
                               f"model it", Severity.INFO, key=key)


# When one value breaks several keywords, the one that says most: a wrong
# type first (nothing else matters then), then what is missing.
_FIRST = ("type", "const", "enum", "required", "anyOf", "oneOf", "not", "false")


def _one(path: tuple[str | int, ...], errors: list[Any]) -> Finding:
    errors = sorted(errors, key=lambda e: _FIRST.index(e.validator)
                    if e.validator in _FIRST else len(_FIRST))
    first = errors[0]
    where = dotted(path)
    if first.validator == "required":
        missing = sorted({m for e in errors if e.validator == "required"
                          for m in _missing(e)})
        return Finding(pointer(*path), f"{where} needs {_and(missing)}")
    message, hint = _words(where, first)
    return Finding(pointer(*path), message, Severity.ERROR, hint)


def _missing(error: Any) -> list[str]:
    present = error.instance if isinstance(error.instance, dict) else {}
    return [name for name in error.validator_value if name not in present]


def _and(names: Sequence[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


_TYPES = {"string": "text", "integer": "a whole number", "number": "a number",
          "object": "an object", "array": "a list", "boolean": "true or false", "null": "null"}
_PATTERNS = {"^[0-9]+$": "an id: its digits as text, e.g. \"1234567890\"",
             "^[0-9]+_[0-9]+$": "a post id: PAGEID_POSTID, digits as text",
             "^\\s*[\\[{]": "JSON text (an object or a list)",
             "^\\s*-?[0-9]*\\.?[0-9]+\\s*$": "a number, or its digits as text",
             "\\S": "text that is not blank", "^\\S+$": "one word, not blank",
             "^\\s*https://[^\\s/?#]+\\S*\\s*$": "an absolute https URL",
             "^[^\\s/:?#@]+\\.[^\\s/:?#@]+$":
                 "a domain alone, e.g. shop.example: no https://, no path or query",
             "^[A-Z][A-Z_]*$": "a name in upper case", "^[A-Z][A-Z0-9_]*$": "a name in upper case",
             "^(lead_form|campaign|adset|creative|ad)\\.[A-Za-z_][A-Za-z0-9_]*(\\[[A-Za-z_][A-Za-z0-9_]*\\])?$":
                 "the key of a request in this file (campaign.NAME ...)"}
_REFERENCE = re.compile(r"\^([a-z_]+)\\\.")  # `^campaign\.`: a reference to a campaign


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "null"


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


def _words(where: str, error: Any) -> tuple[str, str | None]:
    """The message, and where there is one the help, for one error."""
    kind, expected, value = error.validator, error.validator_value, error.instance
    if kind == "type":
        types = [str(t) for t in (expected if isinstance(expected, list) else [expected])]
        return (f"{where} should be {' or '.join(_TYPES.get(t, t) for t in types)}, "
                f"not {_kind(value)}", None)
    if kind == "const":
        return f"{where} should be {_shown(expected)}, not {_shown(value)}", None
    if kind == "enum":
        from ...findings.suggest import did_you_mean

        names = [str(v) for v in expected]
        shown = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
        if isinstance(value, (list, dict)):
            return f"{where} should be one value ({shown}), not {_kind(value)}", None
        hint = did_you_mean(value, names) if isinstance(value, str) else None
        return (f"{where} is {_shown(value)}, not one of the values it takes ({shown})",
                hint)
    if kind == "pattern":
        ref = _REFERENCE.fullmatch(expected)
        if ref:
            return f"{where} should refer to a {ref.group(1).replace('_', ' ')} of this file", None
        if expected in _PATTERNS:
            return f"{where} should be {_PATTERNS[expected]}", None
        if "[0-9]{4}-[0-9]{2}-[0-9]{2}" in expected:
            return f"{where} should be a date and time, e.g. 2026-12-31T23:59:00+0000", None
        return f"{where} should be text of the form {expected}", None
    if kind in ("minLength", "maxLength"):
        if kind == "minLength" and expected == 1:
            return f"{where} is empty", None
        bound = "at least" if kind == "minLength" else "at most"
        return f"{where} has {len(value):,} characters; {bound} {expected:,}", None
    if kind in ("minItems", "maxItems"):
        if kind == "maxItems" and expected == 0:
            return f"{where} should be empty", None
        bound = "at least" if kind == "minItems" else "at most"
        items = "item" if len(value) == 1 else "items"
        return f"{where} has {len(value):,} {items}; {bound} {expected:,}", None
    if kind == "dependentRequired":
        for name, needs in expected.items():
            missing = [n for n in needs if name in value and n not in value]
            if missing:
                return f"{where} has '{name}', which needs {_and(missing)}", None
    if kind in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        return f"{where} is {_shown(value)}, out of range ({kind} {expected})", None
    if kind == "minProperties":
        return f"{where} is empty", None
    if kind == "uniqueItems":
        return f"{where} repeats an item", None
    if kind == "anyOf" and {"type": "string", "pattern": "^[0-9]+$"} in expected:
        return (f"{where} should be an id: its digits as text (\"1234567890\") or a whole "
                f"number, not {_shown(value)}"), None
    if kind in ("anyOf", "oneOf") and all(set(s) == {"required"} for s in expected):
        names = [n for s in expected for n in s["required"]]
        return f"{where} needs one of {_and(names).replace(' and ', ' or ')}", None
    comment = error.schema.get("$comment") if isinstance(error.schema, dict) else None
    if kind == "not" or error.schema is False:
        return f"{where} is not accepted" + (f": {comment}" if comment else ""), None
    return f"{where} does not fit the endpoint's schema ({kind})", None
