"""Wire formats Meta accepts, normalised before anything judges a body.

Meta's SDK posts form-encoded parameters (`_top_level_param_json_encode` in
facebook_business/api.py): objects and lists arrive as JSON text, numbers and
booleans as text, and Meta's own examples write `'daily_budget': '1000'`. A
welcome message is JSON text on the wire, but Meta's pages also write it as
an object. Rules and schemas read `Request.view`, the body with all of this
decoded, so each shape is judged once, by what it means; the body itself is
sent as written.

Text that should be JSON but is not (a Python repr such as "{'x': 1}") is
decoded as well as it can be and kept in `Normalised.not_json`, for S009.
"""

from __future__ import annotations

import json
import math
import re
import sys

from ..facts.creatives import STORY_MEDIA_KEYS
from ..facts.parameters import BOOLEAN_PARAMETERS, BOOLEAN_TEXT, JSON_PARAMETERS, NUMBER_PARAMETERS
from ..front.source import pointer
from ..lean import NamedTuple

TYPE_CHECKING = False  # typing is for mypy alone: importing it costs a quick check 4 ms
if TYPE_CHECKING:
    from typing import Any

_JSON_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_JSON_INTEGER = re.compile(r"-?[0-9]+")
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# Embedded JSON (page_welcome_message) is decoded with the json module, which
# recurses: deeper text is left as text rather than risk the stack.
MAX_EMBEDDED_DEPTH = 64
_EMBEDDED_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def number(text: str, strict: bool = True) -> int | float:
    """The value of a number as written, or ValueError saying why it has none
    Meta could receive: more digits than Python converts (4,300), out of a
    double's range (`1e400`), a non-zero that rounds to 0, or (`strict`, for
    JSON) a leading zero."""
    if strict and not _JSON_NUMBER.fullmatch(text):
        raise ValueError(f"{text} is not a JSON number: JSON writes numbers without "
                         "leading zeros")
    if _JSON_INTEGER.fullmatch(text):
        digits = len(text.lstrip("-"))
        limit = sys.get_int_max_str_digits()
        if limit and digits > limit:
            raise ValueError(f"a number with {digits:,} digits, over the limit of {limit:,}")
        return int(text)
    value = float(text)
    shown = text if len(text) <= 30 else text[:27] + "..."
    if not math.isfinite(value):
        raise ValueError(f"{shown} is too large for a number (at most about 1.8e308): "
                         "the Graph API cannot receive it")
    mantissa = re.split("[eE]", text)[0]
    if value == 0 and re.search("[1-9]", mantissa):
        raise ValueError(f"{shown} is too small for a number: it would be sent as 0")
    return value


def lone_surrogate(text: str) -> str | None:
    """The first half of a surrogate pair in `text` whose other half is
    missing, as its escape (`\\ud800`): not a character, not valid UTF-8."""
    m = LONE_SURROGATE.search(text)
    return None if m is None else f"\\u{ord(m.group()):04x}"


class TooDeep(ValueError):
    """Embedded JSON nested past MAX_EMBEDDED_DEPTH."""


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def loads_embedded(text: str) -> Any:
    """JSON carried inside a string (page_welcome_message): ValueError unless
    it is JSON adflow can hold safely: nested at most MAX_EMBEDDED_DEPTH
    deep, numbers Meta can receive, no lone surrogates."""
    if _too_deep(text, _EMBEDDED_TOKENS):
        raise TooDeep(f"JSON nested deeper than the limit of {MAX_EMBEDDED_DEPTH}")
    value = json.loads(text, parse_int=number, parse_float=number,
                       parse_constant=_reject_constant)
    if lone_surrogate(json.dumps(value, ensure_ascii=False)) is not None:
        raise ValueError("a lone surrogate in a string")
    return value


_INTEGER = re.compile(r"-?[0-9]{1,30}")
_DECIMAL = re.compile(r"-?[0-9]{0,30}\.[0-9]{1,30}")
# A Python literal gets the limit JSON text gets; deeper text stays text.
_PYTHON_NESTING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|[\[\]{}]')


class Normalised(NamedTuple):
    view: dict[str, Any]
    # (JSON pointer, the text) for each string that stood for an object or a
    # list but is not JSON text.
    not_json: tuple[tuple[str, str], ...]


def normalise(endpoint: str, body: dict[str, Any]) -> Normalised:
    """`body` as rules should read it; `body` itself is left untouched."""
    not_json: list[tuple[str, str]] = []
    view = dict(body)
    numbers = NUMBER_PARAMETERS.get(endpoint, frozenset())
    booleans = BOOLEAN_PARAMETERS.get(endpoint, frozenset())
    objects = JSON_PARAMETERS.get(endpoint, frozenset())
    for key, value in body.items():
        if not isinstance(value, str):
            if key in objects:
                view[key] = _python_reprs(value, pointer(key), not_json)
            continue
        text = value.strip()
        if key in numbers and _INTEGER.fullmatch(text):
            view[key] = int(text)
        elif key in numbers and _DECIMAL.fullmatch(text):
            view[key] = float(text)
        elif key in booleans and text in BOOLEAN_TEXT:
            view[key] = text == "true"
        elif key in objects and text[:1] in "[{":
            decoded = _decode(text, pointer(key), not_json)
            if decoded is not None:
                view[key] = _python_reprs(decoded, pointer(key), not_json)
    if endpoint == "adcreatives":
        _welcome(view, not_json)
    return Normalised(view, tuple(not_json))


def _decode(text: str, ptr: str, not_json: list[tuple[str, str]], *,
            must_be_json: bool = True) -> Any:
    """JSON text as a value; a Python dict or list too, noted in `not_json`.
    None when it is neither, noted only if `must_be_json` (a greeting may
    well start with a brace: "{{user_first_name}}, hi!")."""
    try:
        return loads_embedded(text)
    except ValueError:  # TooDeep too: nested past the limit, kept as text
        pass
    value = _python_literal(text)
    if value is not None or must_be_json:
        not_json.append((ptr, text))
    return value


def _python_literal(text: str) -> Any:
    """A Python dict or list literal as JSON data (keys as strings), held to
    the same limits as JSON text (depth, numbers, surrogates); else None."""
    if _too_deep(text, _PYTHON_NESTING):
        return None
    import ast  # only for such text: 1 ms of a check's start

    try:
        value = ast.literal_eval(text)
        if not isinstance(value, (dict, list)):
            return None
        return loads_embedded(json.dumps(value, ensure_ascii=False))
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None


def _too_deep(text: str, tokens: re.Pattern[str]) -> bool:
    """Brackets outside strings (`tokens` matches a whole string or one
    bracket) nested past MAX_EMBEDDED_DEPTH: the decoders recurse, so this is
    asked before they run."""
    depth = 0
    for m in tokens.finditer(text):
        c = m.group()
        if c in "[{":
            depth += 1
            if depth > MAX_EMBEDDED_DEPTH:
                return True
        elif c in "]}":
            depth = max(0, depth - 1)
    return False


def _python_reprs(value: Any, ptr: str, not_json: list[tuple[str, str]]) -> Any:
    """Inside an object parameter, a string holding a Python dict or list
    ("{'x': 1}") stood for an object: decode it, and note it. JSON text
    nested there is left to the schemas, which say what each field takes."""
    if isinstance(value, str):
        text = value.strip()
        if text[:1] in "[{" and text[-1:] in "]}":
            try:
                loads_embedded(text)
            except ValueError:
                decoded = _python_literal(text)
                if decoded is not None:
                    not_json.append((ptr, text))
                    return decoded
        return value
    if isinstance(value, dict):
        if set(value) in ({"$ref"}, {"$json"}):
            return value
        changed = {k: _python_reprs(v, ptr + pointer(k), not_json) for k, v in value.items()}
        return changed if any(changed[k] is not value[k] for k in value) else value
    if isinstance(value, list):
        items = [_python_reprs(v, f"{ptr}/{i}", not_json) for i, v in enumerate(value)]
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    return value


def _welcome(view: dict[str, Any], not_json: list[tuple[str, str]]) -> None:
    """page_welcome_message, structured: the `$json` marker whether it was
    written as JSON text or as an object (Meta's pages show both)."""
    story = view.get("object_story_spec")
    if not isinstance(story, dict):
        return
    for media in STORY_MEDIA_KEYS:
        data = story.get(media)
        if not isinstance(data, dict) or "page_welcome_message" not in data:
            continue
        value = data["page_welcome_message"]
        ptr = pointer("object_story_spec", media, "page_welcome_message")
        if isinstance(value, str) and value.strip()[:1] in "[{":
            decoded = _decode(value.strip(), ptr, not_json, must_be_json=False)
            if decoded is None:
                continue
            value = {"$json": decoded}
        elif isinstance(value, (dict, list)) and not (
                isinstance(value, dict) and set(value) in ({"$json"}, {"$ref"})):
            value = {"$json": value}
        else:
            continue
        story = view["object_story_spec"] = dict(story)
        story[media] = {**data, "page_welcome_message": value}
