"""`adflow import`: Graph API JSON (bodies, requests, plans) as idiomatic DSL.

Each body is written with the language's own members where they give back
exactly the same value; whatever they cannot say goes through `raw NAME
<json>`. The result is then compiled and compared with the input, body by
body: a top-level field whose value came out different is written raw on
the next round, so the output is lossless by construction, not by hope.
"""

from __future__ import annotations

import copy
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import facts
from .fmt import format_text
from .wire import loads_embedded
from .diagnostics import Diagnostic
from .model import Document, Request
from .source import pointer
from .source import Source

MISSING: Any = object()
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DIGITS = re.compile(r"[0-9]+")
# Words the grammar or the lead-form steps read specially: never used as names.
RESERVED = frozenset({
    "api", "account", "page", "instagram", "lead_form", "campaign", "adset", "creative", "ad",
    "raw", "in", "on", "true", "false", "null", "intro", "question", "confirmation",
    "disqualify", "required", "optional", "validate", "prefill"})
_STOP_WORDS = frozenset({
    "a", "an", "the", "is", "are", "do", "does", "you", "your", "we", "our", "in", "on", "of",
    "to", "for", "and", "or", "what", "which", "how", "would", "will", "can", "be", "it", "this",
    "that", "with", "us", "me", "my", "i", "hi", "hello", "live", "like", "any", "have", "has"})
_MAX_ROUNDS = 6


class ImportFailure(Exception):
    """The DSL written could not be made to give the input back (an adflow bug)."""


# -- writing values ---------------------------------------------------------------

def dsl_string(text: str) -> str:
    """A DSL string literal: the escapes the lexer knows, and \\uXXXX for any
    character that is not printable (so no control or bidi character is
    written raw)."""
    out = ['"']
    for ch in text:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch.isprintable():
            out.append(ch)
        else:
            code = ord(ch)
            if code > 0xFFFF:  # a surrogate pair, as JSON writes it
                code -= 0x10000
                out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
            else:
                out.append(f"\\u{code:04x}")
    out.append('"')
    return "".join(out)


def _number(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        text = repr(value)
        return text if re.fullmatch(r"-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?", text) else None
    return None


def dsl_json(value: Any) -> str:
    """One line of JSON for `raw`, with DSL string escapes."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{dsl_string(k)}: {dsl_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(dsl_json(v) for v in value) + "]"
    if isinstance(value, str):
        return dsl_string(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    number = _number(value)
    if number is None:  # NaN or infinity: not JSON, so never in a parsed body
        raise ImportFailure(f"cannot write {value!r} as JSON")
    return number


def scalar_text(value: Any) -> str | None:
    """A member value that reads back as `value`: enum-like words bare,
    other strings quoted, numbers and booleans as they are."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        bare = _NAME.fullmatch(value) and value not in RESERVED
        return value if bare else dsl_string(value)
    return _number(value)


def value_text(value: Any) -> str | None:
    if isinstance(value, list):
        items = [scalar_text(v) for v in value]
        if any(item is None for item in items):
            return None
        return "[" + ", ".join(items) + "]"  # type: ignore[arg-type]
    return scalar_text(value)


def snake(text: str) -> str:
    """A snake_case identifier from a display name ('' when nothing is left)."""
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    words = re.findall(r"[A-Za-z0-9]+", text.lower())
    name = "_".join(words)[:40].strip("_")
    if name and name[0].isdigit():
        name = "n" + name
    return name


class Names:
    """Unique identifiers in one namespace."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, wanted: str, fallback: str) -> str:
        base = wanted if _NAME.fullmatch(wanted or "") and wanted not in RESERVED else fallback
        name, n = base, 2
        while name in self.used or name in RESERVED:
            name, n = f"{base}_{n}", n + 1
        self.used.add(name)
        return name


# -- one object -----------------------------------------------------------------------

@dataclass
class _Object:
    """The DSL of one request under construction: `rest` is what is still to
    be said; what is left of it at the end is written raw."""

    request: Request
    name: str
    forced: set[str]
    rest: dict[str, Any] = field(init=False)
    lines: list[str] = field(default_factory=list)
    explained: set[str] = field(default_factory=set)  # raw fields a comment already explains

    def __post_init__(self) -> None:
        self.rest = copy.deepcopy(self.request.body)

    def peek(self, *path: str) -> Any:
        if path[0] in self.forced:
            return MISSING
        node: Any = self.rest
        for part in path:
            if not isinstance(node, dict) or part not in node:
                return MISSING
            node = node[part]
        return node

    def drop(self, *path: str) -> None:
        node: Any = self.rest
        for part in path[:-1]:
            node = node[part]
        del node[path[-1]]


def _prune(value: Any) -> Any:
    """Drop the dicts that consumption left empty (a dict that was empty in
    the input comes back through the compile-and-compare round, as raw)."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            pruned = _prune(v)
            if pruned != {}:
                out[k] = pruned
        return out
    return value


class Importer:
    def __init__(self, document: Document, origin: str) -> None:
        self.document = document
        self.origin = origin
        self.names = Names()
        self.object_names: dict[str, str] = {}  # request key -> DSL name (the first, if repeated)
        self.index_names: list[str] = []  # DSL name of each request, in order
        for request in document.requests:
            suffix = request.key.split(".", 1)[-1]
            wanted = suffix if not suffix.isdigit() and request.key.startswith(
                request.kind + ".") else snake(request.name)
            self.index_names.append(self.names.take(wanted, request.kind))
            self.object_names.setdefault(request.key, self.index_names[-1])
        self.pages: dict[str, str] = {}  # id -> DSL name, of pages used by what is written
        self.instagram: dict[str, str] = {}

    # -- references --------------------------------------------------------------
    def new_key(self, request: Request) -> str:
        return f"{request.kind}.{self.object_names[request.key]}"

    def ref_text(self, value: Any, kinds: tuple[str, ...]) -> str | None:
        """A name for a `$ref` to an object of the file, else a literal id."""
        if isinstance(value, dict) and set(value) == {"$ref"}:
            target = self.document.get(str(value["$ref"]))
            if target is not None and target.kind in kinds:
                return self.object_names[target.key]
            return None
        if isinstance(value, str) and _DIGITS.fullmatch(value):
            if "page" in kinds:
                return self.bind(self.pages, "page", value)
            if "instagram" in kinds:
                return self.bind(self.instagram, "ig", value)
            return value
        return None

    def bind(self, table: dict[str, str], prefix: str, page_id: str) -> str:
        if page_id not in table:
            table[page_id] = self.names.take(f"{prefix}_{page_id}", prefix)
        return table[page_id]

    def remap(self, value: Any) -> Any:
        """`$ref` markers with the keys the imported file gives its objects."""
        if isinstance(value, dict):
            if set(value) == {"$ref"}:
                target = self.document.get(str(value["$ref"]))
                return {"$ref": self.new_key(target)} if target is not None else value
            return {k: self.remap(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.remap(v) for v in value]
        return value

    # -- the whole file ------------------------------------------------------------
    def render(self, forced: dict[int, set[str]]) -> str:
        self.pages.clear()
        self.instagram.clear()
        for name in list(self.names.used):  # page names are taken afresh each round
            if name not in self.index_names:
                self.names.used.discard(name)
        blocks = [self.object(r, self.index_names[i], forced.setdefault(i, set()))
                  for i, r in enumerate(self.document.requests)]
        head = [f"# imported from {self.origin} by adflow import"]
        if self.document.api_span is not None:
            head.append(f"api {self.document.api_version}")
        head += self.account_lines()
        head += [f"page {name} {pid}" for pid, name in self.pages.items()]
        head += [f"instagram {name} {iid}" for iid, name in self.instagram.items()]
        return format_text("\n".join(head) + "\n\n" + "\n\n".join(blocks) + "\n")

    def account_lines(self) -> list[str]:
        accounts = []
        for request in self.document.requests:
            if request.kind != "lead_form":
                account = request.path.split("/", 1)[0]
                if account not in accounts:
                    accounts.append(account)
        if not accounts:
            return []
        first = accounts[0]
        if not re.fullmatch(r"act_[0-9]+", first):
            return ["# the JSON names no ad account: act_0 stands in for yours",
                    "account act_0"]
        lines = [f"account {first}"]
        if len(accounts) > 1:
            lines.insert(0, "# the JSON posts to several accounts (" + ", ".join(accounts)
                         + "): a file has one, the first")
        return lines

    def object(self, request: Request, name: str, forced: set[str]) -> str:
        obj = _Object(request, name, forced)
        header = WRITERS[request.kind](self, obj)
        if request.kind != "lead_form" and "name" not in forced and obj.rest.get("name") == obj.name:
            del obj.rest["name"]  # the compiler names the object after its identifier
        # A forced field is written whole, even an empty object.
        rest = {k: (v if k in forced else _prune(v)) for k, v in obj.rest.items()}
        rest = {k: v for k, v in rest.items() if k in forced or v != {}}
        raws = [f"raw {key} {dsl_json(self.remap(value))}" for key, value in rest.items()]
        modelled = [k for k in rest if k in forced and k not in obj.explained]
        if modelled:
            obj.lines.append("# sent as written: " + ", ".join(modelled)
                             + " would read back differently in the language's own form")
        elif set(rest) - obj.explained:
            obj.lines.append("# fields the language does not model, sent as written")
        return "\n".join([header + " {", *obj.lines, *raws, "}"])

    # -- checking the result -----------------------------------------------------------
    def mismatches(self, text: str) -> dict[int, set[str]]:
        """Per request (by index), the top-level fields the DSL did not give back."""
        from .dsl import parse_file
        from .resolve import resolve

        tree, _ = parse_file(Source("<import>", text))
        compiled = resolve(tree, "<import>")[0] if tree is not None else None
        out: dict[int, set[str]] = {}
        for index, request in enumerate(self.document.requests):
            key = f"{request.kind}.{self.index_names[index]}"
            got = compiled.get(key) if compiled is not None else None
            if got is None:
                out[index] = set(request.body)
                continue
            wrong = {k for k, v in request.body.items()
                     if k not in got.body or canonical(self.remap(v)) != canonical(got.body[k])}
            if wrong:
                out[index] = wrong
        return out

    def run(self) -> str:
        forced: dict[int, set[str]] = {}
        for _ in range(_MAX_ROUNDS):
            text = self.render(forced)
            wrong = self.mismatches(text)
            if not wrong:
                return text
            grew = False
            for key, fields in wrong.items():
                if not fields <= forced.setdefault(key, set()):
                    forced[key] |= fields
                    grew = True
            if not grew:
                break
        raise ImportFailure("the imported file does not compile back to the same bodies")


def canonical(value: Any) -> str:
    """Strict equality (1 is not 1.0 nor true); JSON-in-string as decoded JSON."""
    return json.dumps(decode_json_strings(value), sort_keys=True, ensure_ascii=False)


def decode_json_strings(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"$json"}:
            return decode_json_strings(value["$json"])
        return {k: (_maybe_json(v) if k == "page_welcome_message" else decode_json_strings(v))
                for k, v in value.items()}
    if isinstance(value, list):
        return [decode_json_strings(v) for v in value]
    return value


def _maybe_json(value: Any) -> Any:
    if isinstance(value, str) and value.strip()[:1] in ("{", "["):
        try:
            return decode_json_strings(loads_embedded(value))
        except ValueError:
            return value
    return decode_json_strings(value)


# -- the writers, one per kind -----------------------------------------------------------
# Each takes what it can say from obj.rest, appends member lines and returns
# the declaration's header.

def _field(obj: _Object, head: str, path: tuple[str, ...], kind: str = "value",
           default: Any = MISSING) -> None:
    value = obj.peek(*path)
    if value is MISSING:
        return
    if default is not MISSING and canonical(value) == canonical(default):
        obj.drop(*path)  # the compiler's default: nothing to write
        return
    text: str | None = None
    if kind == "string":
        text = dsl_string(value) if isinstance(value, str) else None
    elif kind == "list":
        text = value_text(value) if isinstance(value, list) else None
    elif kind == "id":
        text = value if isinstance(value, str) and _DIGITS.fullmatch(value) else None
    else:
        text = value_text(value)
    if text is not None:
        obj.lines.append(f"{head} {text}")
        obj.drop(*path)


def _ref_field(imp: Importer, obj: _Object, head: str, path: tuple[str, ...],
               kinds: tuple[str, ...]) -> None:
    value = obj.peek(*path)
    if value is MISSING:
        return
    text = imp.ref_text(value, kinds)
    if text is not None:
        obj.lines.append(f"{head} {text}")
        obj.drop(*path)


def _name_line(obj: _Object) -> None:
    name = obj.peek("name")
    if isinstance(name, str) and name != obj.name:
        obj.lines.append(f"name {dsl_string(name)}")
        obj.drop("name")


CAMPAIGN_FIELDS = (
    ("objective", ("objective",), "value"), ("special_ad_categories", ("special_ad_categories",), "list"),
    ("special_ad_category_country", ("special_ad_category_country",), "list"),
    ("daily_budget", ("daily_budget",), "value"), ("lifetime_budget", ("lifetime_budget",), "value"),
    ("spend_cap", ("spend_cap",), "value"), ("bid_strategy", ("bid_strategy",), "value"),
    ("adset_budget_sharing", ("is_adset_budget_sharing_enabled",), "value"),
    ("start_time", ("start_time",), "string"), ("stop_time", ("stop_time",), "string"),
)


def write_campaign(imp: Importer, obj: _Object) -> str:
    _name_line(obj)
    for head, path, kind in CAMPAIGN_FIELDS:
        _field(obj, head, path, kind)
    _field(obj, "status", ("status",), default=facts.DEFAULT_STATUS)
    _field(obj, "buying_type", ("buying_type",), default=facts.DEFAULT_BUYING_TYPE)
    return f"campaign {obj.name}"


ADSET_FIELDS = (
    ("optimization_goal", ("optimization_goal",), "value"),
    ("destination", ("destination_type",), "value"),
    ("daily_budget", ("daily_budget",), "value"), ("lifetime_budget", ("lifetime_budget",), "value"),
    ("bid_amount", ("bid_amount",), "value"), ("bid_strategy", ("bid_strategy",), "value"),
    ("start_time", ("start_time",), "string"), ("end_time", ("end_time",), "string"),
    ("pixel", ("promoted_object", "pixel_id"), "id"),
)
TARGETING_FIELDS = (
    ("countries", ("geo_locations", "countries"), "list"), ("devices", ("device_platforms",), "list"),
    ("publishers", ("publisher_platforms",), "list"),
    ("messenger_positions", ("messenger_positions",), "list"),
    ("instagram_positions", ("instagram_positions",), "list"),
    ("facebook_positions", ("facebook_positions",), "list"),
    ("age_min", ("age_min",), "value"), ("age_max", ("age_max",), "value"),
    ("genders", ("genders",), "list"), ("locales", ("locales",), "list"),
)


def write_adset(imp: Importer, obj: _Object) -> str:
    campaign = obj.peek("campaign_id")
    parent = imp.ref_text(campaign, ("campaign",)) if campaign is not MISSING else None
    if parent is not None:
        obj.drop("campaign_id")
    else:
        obj.lines.append("# the body names no campaign this file can refer to: 0 stands in"
                         if campaign is MISSING else "# campaign_id is sent as written below")
        obj.explained.add("campaign_id")
        parent = "0"
    _name_line(obj)
    for head, path, kind in ADSET_FIELDS:
        _field(obj, head, path, kind)
    _ref_field(imp, obj, "promoted_page", ("promoted_object", "page_id"), ("page",))
    targeting = obj.peek("targeting")
    if isinstance(targeting, dict):
        inner = _Object(obj.request, obj.name, set())
        inner.rest = targeting
        for head, path, kind in TARGETING_FIELDS:
            _field(inner, head, path, kind)
        if inner.lines:
            obj.lines += ["targeting {", *inner.lines, "}"]
    _field(obj, "status", ("status",), default=facts.DEFAULT_STATUS)
    _field(obj, "billing_event", ("billing_event",), default=facts.DEFAULT_BILLING_EVENT)
    return f"adset {obj.name} in {parent}"


def write_ad(imp: Importer, obj: _Object) -> str:
    _name_line(obj)
    _ref_field(imp, obj, "adset", ("adset_id",), ("adset",))
    _ref_field(imp, obj, "creative", ("creative", "creative_id"), ("creative",))
    _field(obj, "status", ("status",), default=facts.DEFAULT_STATUS)
    return f"ad {obj.name}"


# -- lead forms ---------------------------------------------------------------------------

LEAD_FORM_FIELDS = (
    ("template_name", ("template_name",), "string"), ("privacy_url", ("privacy_url",), "string"),
    ("reminder", ("reminder_text",), "string"),
    ("stop_question_message", ("stop_question_message",), "string"),
    ("exit_keyphrases", ("exit_keyphrases",), "list"), ("handover_app_id", ("handover_app_id",), "id"),
    ("handover_summary", ("handover_summary",), "value"),
    ("block_send_api", ("block_send_api",), "value"),
)
STEP_WORDS = {"INTRO": "intro", "QUESTION": "question", "CONFIRMATION": "confirmation",
              "DISQUALIFY": "disqualify"}
STEP_KEYS = frozenset({"step_id", "step_type", "message", "reply_type", "prefill_type", "answers",
                       "next_step_ids", "allow_to_skip", "answer_validation_enabled"})


def write_lead_form(imp: Importer, obj: _Object) -> str:
    page_id = obj.request.path.split("/", 1)[0]
    if _DIGITS.fullmatch(page_id) and page_id != "0":
        page = imp.bind(imp.pages, "page", page_id)
    else:
        obj.lines.append("# the JSON does not say which page: 0 stands in for its id")
        page = "0"
    for head, path, kind in LEAD_FORM_FIELDS:
        _field(obj, head, path, kind)
    steps = obj.peek("step_list")
    if steps is not MISSING:
        lines = step_lines(steps)
        if lines is not None:
            obj.lines += lines
            obj.drop("step_list")
        else:
            obj.lines.append("# the steps are sent as written: their ids or fields are not "
                             "the ones the language numbers and writes")
            obj.explained.add("step_list")
    return f"lead_form {obj.name} on {page}"


def _plain_steps(steps: Any) -> bool:
    """Steps the language writes exactly: ids 0, 1, ... in order, known fields,
    reply types that follow from answers and prefill, arrows to known steps."""
    if not isinstance(steps, list) or not steps:
        return False
    ids = {str(i) for i in range(len(steps))}
    for index, step in enumerate(steps):
        if not isinstance(step, dict) or not set(step) <= STEP_KEYS:
            return False
        if step.get("step_id") != str(index) or not isinstance(step.get("step_type"), str) \
                or step["step_type"] not in STEP_WORDS:
            return False
        if not isinstance(step.get("message", ""), str):
            return False
        if not isinstance(step.get("allow_to_skip", True), bool):
            return False
        if step.get("answer_validation_enabled", True) is not True:
            return False
        answers = step.get("answers", MISSING)
        if answers is not MISSING and not (isinstance(answers, list) and answers
                                           and all(isinstance(a, str) for a in answers)):
            return False
        prefill = step.get("prefill_type", MISSING)
        if prefill is not MISSING and not (isinstance(prefill, str) and prefill):
            return False
        expected = ("QUICK_REPLIES" if answers is not MISSING else
                    "PREFILL" if prefill is not MISSING else "NONE")
        if step.get("reply_type") != expected:
            return False
        targets = step.get("next_step_ids", MISSING)
        if targets is not MISSING and not (isinstance(targets, list) and targets
                                           and all(isinstance(t, str) and t in ids for t in targets)):
            return False
    return True


def _step_names(steps: list[dict[str, Any]]) -> list[str]:
    names = Names()
    intros = sum(1 for s in steps if s["step_type"] == "INTRO")
    out = []
    for step in steps:
        if step["step_type"] == "INTRO" and intros == 1:
            out.append("intro")
            continue
        if isinstance(step.get("prefill_type"), str):
            wanted = snake(step["prefill_type"])
        elif step["step_type"] == "CONFIRMATION":
            wanted = "thanks"
        elif step["step_type"] == "DISQUALIFY":
            wanted = "not_qualified"
        else:
            words = [w for w in re.findall(r"[a-z]+", str(step.get("message", "")).lower())
                     if w not in _STOP_WORDS and len(w) > 2]
            wanted = "_".join(words[:2])
        out.append(names.take(wanted, f"step_{step['step_id']}"))
    return out


def step_lines(steps: Any) -> list[str] | None:
    if not _plain_steps(steps):
        return None
    names = _step_names(steps)
    lines: list[str] = []
    for step, name in zip(steps, names):
        word = STEP_WORDS[step["step_type"]]
        parts = [word]
        if name != "intro":
            parts.append(name)
        if "message" in step:
            parts.append(dsl_string(step["message"]))
        if "allow_to_skip" in step:
            parts.append("optional" if step["allow_to_skip"] else "required")
        if step.get("answer_validation_enabled"):
            parts.append("validate")
        if "prefill_type" in step:
            parts += ["prefill", scalar_text(step["prefill_type"]) or ""]
        targets = [names[int(t)] for t in step.get("next_step_ids", [])]
        answers = step.get("answers", [])
        per_answer = bool(answers) and len(targets) == len(answers)
        if not per_answer:
            parts += [f"-> {t}" for t in targets]
        if answers:
            lines.append(" ".join(parts) + " {")
            for i, answer in enumerate(answers):
                lines.append(dsl_string(answer) + (f" -> {targets[i]}" if per_answer else ""))
            lines.append("}")
        else:
            lines.append(" ".join(parts))
    return lines


# -- creatives ------------------------------------------------------------------------------

def write_creative(imp: Importer, obj: _Object) -> str:
    _name_line(obj)
    has_story = obj.peek("object_story_spec") is not MISSING or "object_story_spec" in obj.rest
    standalone = ""
    if not has_story:
        if isinstance(obj.peek("object_story_id"), str):
            standalone = "post"
            _field(obj, "post", ("object_story_id",), "string")
        elif isinstance(obj.peek("source_instagram_media_id"), str):
            standalone = "instagram_post"
            _field(obj, "instagram_post", ("source_instagram_media_id",), "string")
    if standalone:
        if standalone == "instagram_post":
            _ref_field(imp, obj, "page", ("object_id",), ("page",))
        _ref_field(imp, obj, "instagram", ("instagram_user_id",), ("instagram",))
        _call_to_action(obj, ())
    elif isinstance(obj.peek("object_story_spec"), dict):
        story = ("object_story_spec",)
        _ref_field(imp, obj, "page", story + ("page_id",), ("page",))
        _ref_field(imp, obj, "instagram", story + ("instagram_user_id",), ("instagram",))
        video = obj.peek(*story, "video_data", "video_id")
        # The language puts media fields under video_data when a video is written.
        media = "video_data" if isinstance(video, str) and _DIGITS.fullmatch(video) else "link_data"
        if media == "video_data":
            _video_media(obj, story + (media,))
        elif isinstance(obj.peek(*story, media), dict):
            _link_media(obj, story + (media,))
        _welcome(imp, obj, media)
    _product_extensions(obj, standalone)
    _field(obj, "standard_enhancements", ("degrees_of_freedom_spec", "creative_features_spec",
                                          "standard_enhancements", "enroll_status"))
    return f"creative {obj.name}"


def _strings(obj: _Object, base: tuple[str, ...], heads: dict[str, str]) -> None:
    for head, key in heads.items():
        _field(obj, head, base + (key,), "string")


def _link_media(obj: _Object, data: tuple[str, ...]) -> None:
    pairs = [f"{word} {dsl_string(obj.peek(*data, key))}"
             for word, key in (("hash", "image_hash"), ("url", "picture"))
             if isinstance(obj.peek(*data, key), str)]
    if pairs:
        obj.lines.append("image " + " ".join(pairs))
        for key in ("image_hash", "picture"):
            if isinstance(obj.peek(*data, key), str):
                obj.drop(*data, key)
    _strings(obj, data, {"headline": "name", "message": "message", "description": "description",
                         "link": "link"})
    _call_to_action(obj, data)


def _video_media(obj: _Object, data: tuple[str, ...]) -> None:
    parts = ["video", obj.peek(*data, "video_id")]
    obj.drop(*data, "video_id")
    for word, key in (("thumbnail", "image_url"), ("thumbnail_id", "video_thumbnail_id"),
                      ("thumbnail_source", "video_thumbnail_source")):
        value = obj.peek(*data, key)
        if isinstance(value, str):
            parts += [word, dsl_string(value)]
            obj.drop(*data, key)
    obj.lines.append(" ".join(parts))
    _strings(obj, data, {"headline": "title", "message": "message",
                         "description": "link_description"})
    _call_to_action(obj, data)


def _call_to_action(obj: _Object, data: tuple[str, ...]) -> None:
    path = data + ("call_to_action",)
    cta = obj.peek(*path) if path[0] not in obj.forced else MISSING
    if not isinstance(cta, dict) or not isinstance(cta.get("type"), str):
        return
    value = cta.get("value", {})
    if set(cta) - {"type", "value"} or not isinstance(value, dict) or not value and "value" in cta:
        return
    if set(value) - {"app_destination", "link"}:
        return
    parts = ["call_to_action", scalar_text(cta["type"])]
    if "app_destination" in value:
        dest = value["app_destination"]
        text = dest if isinstance(dest, str) and _NAME.fullmatch(dest) and dest not in RESERVED \
            else (dsl_string(dest) if isinstance(dest, str) else _number(dest))
        if text is None:
            return
        parts.append(f"-> {text}")
    if "link" in value:
        if not isinstance(value["link"], str):
            return
        parts += ["link", dsl_string(value["link"])]
    obj.lines.append(" ".join(str(p) for p in parts))
    obj.drop(*path)


def _welcome(imp: Importer, obj: _Object, media: str) -> None:
    data = obj.rest["object_story_spec"].get(media)
    if isinstance(data, dict) and "page_welcome_message" in data:
        line = welcome_line(imp, data["page_welcome_message"])
        if line is not None:
            obj.lines.append(line)
            del data["page_welcome_message"]
            return  # a creative has one welcome
    flow = obj.peek("asset_feed_spec", "additional_data", "partner_app_welcome_message_flow_id")
    if isinstance(flow, str):
        obj.lines.append(f"welcome partner_flow {dsl_string(flow)}")
        obj.drop("asset_feed_spec", "additional_data", "partner_app_welcome_message_flow_id")


def welcome_line(imp: Importer, value: Any) -> str | None:
    """The `welcome` member for a page_welcome_message, when its shape is one
    the language writes; a shape that only looks like one is caught by the
    compile-and-compare round and written raw."""
    if isinstance(value, str):
        return f"welcome text {dsl_string(value)}"
    if not (isinstance(value, dict) and set(value) == {"$json"}):
        return None
    shown = value["$json"]
    try:
        for form, writer in WELCOME_FORMS.items():
            body = writer(imp, shown)
            if body is not None:
                return f"welcome {form} {body}".rstrip()
    except (KeyError, TypeError, IndexError, AttributeError):
        return None
    return None


def _welcome_lead_form(imp: Importer, shown: Any) -> str | None:
    if isinstance(shown, dict) and set(shown) == {"ctm_lead_gen_template_id"}:
        return imp.ref_text(shown["ctm_lead_gen_template_id"], ("lead_form",))
    return None


def _arrow_block(pairs: list[tuple[str, str]]) -> str:
    return "{\n" + "\n".join(f"{dsl_string(a)} => {dsl_string(b)}" for a, b in pairs) + "\n}"


def _welcome_ice_breakers(imp: Importer, shown: Any) -> str | None:
    if not isinstance(shown, dict) or shown.get("text_format", {}).get(
            "customer_action_type") != "ice_breakers":
        return None
    message = shown["text_format"]["message"]
    pairs = [(b["title"], b["response"]) for b in message["ice_breakers"]]
    return dsl_string(message["text"]) + " " + _arrow_block(pairs)


SUBSCRIBE_WORDS = {"title": "title", "subtitle": "subtitle", "image_url": "image", "app_id": "app"}


def _welcome_subscribe(imp: Importer, shown: Any) -> str | None:
    if not isinstance(shown, dict) or shown.get("landing_screen_type") != "marketing_messages":
        return None
    message = shown["image_format"]["message"]
    element = message["attachment"]["payload"]["elements"][0]
    lines = [f"{word} {dsl_string(element[key])}" for key, word in SUBSCRIBE_WORDS.items()
             if key in element]
    for button in element.get("buttons", [])[:1]:
        if "title" in button:
            lines.append(f"button {dsl_string(button['title'])}")
        if "payload" in button:
            lines.append(f"payload {dsl_string(button['payload'])}")
    return dsl_string(message["text"]) + " {\n" + "\n".join(lines) + "\n}"


def _welcome_call_prompt(imp: Importer, shown: Any) -> str | None:
    if not (isinstance(shown, list) and len(shown) == 1 and isinstance(shown[0], dict)
            and shown[0].get("landing_screen_type") == "call_prompt"):
        return None
    message = shown[0]["text_format"]["message"]
    text = dsl_string(message["text"])
    if "call_prompt_data" in message:
        text += " prompt " + dsl_string(message["call_prompt_data"]["call_prompt_message"])
    return text


def _welcome_templates(imp: Importer, shown: Any) -> str | None:
    if not (isinstance(shown, list) and shown and all(
            isinstance(m, dict) and set(m) == {"message"} for m in shown)):
        return None
    lines = []
    for item in shown:
        message = item["message"]
        line = "message " + dsl_string(message["text"])
        if "quick_replies" in message:
            line += " quick_replies " + _arrow_block(
                [(q["title"], q["payload"]) for q in message["quick_replies"]])
        lines.append(line)
    return "{\n" + "\n".join(lines) + "\n}"


WELCOME_FORMS: dict[str, Callable[[Importer, Any], str | None]] = {
    "lead_form": _welcome_lead_form,
    "ice_breakers": _welcome_ice_breakers,
    "subscribe": _welcome_subscribe,
    "call_prompt": _welcome_call_prompt,
    "templates": _welcome_templates,
}


def _product_extensions(obj: _Object, standalone: str) -> None:
    features = ("degrees_of_freedom_spec", "creative_features_spec")
    if obj.peek(*features, "product_extensions") != {"enroll_status": "OPT_IN"}:
        return
    obj.drop(*features, "product_extensions")
    inner: list[str] = []
    product_set = obj.peek("creative_sourcing_spec", "associated_product_set_id")
    if isinstance(product_set, str) and _DIGITS.fullmatch(product_set):
        inner.append(f"product_set {product_set}")
        obj.drop("creative_sourcing_spec", "associated_product_set_id")
    path = ("product_data",) if standalone else ("object_story_spec", "product_data")
    products = obj.peek(*path)
    manual = {"product_source": "MANUAL", "product_decision": "ACCEPT"}
    if isinstance(products, list) and all(
            isinstance(p, dict) and isinstance(p.get("product_id"), str)
            and p == {"product_id": p["product_id"], **manual} for p in products):
        ids = [p["product_id"] if _DIGITS.fullmatch(p["product_id"]) else dsl_string(p["product_id"])
               for p in products]
        inner.append("products [" + ", ".join(ids) + "]")
        obj.drop(*path)
    if obj.peek(*features, "multi_photo_to_video") == {"enroll_status": "OPT_IN"}:
        inner.append("multi_photo_to_video")
        obj.drop(*features, "multi_photo_to_video")
    obj.lines += ["product_extensions {", *inner, "}"]


WRITERS: dict[str, Callable[[Importer, _Object], str]] = {
    "lead_form": write_lead_form,
    "campaign": write_campaign,
    "adset": write_adset,
    "creative": write_creative,
    "ad": write_ad,
}


def unimportable(document: Document) -> list[Diagnostic]:
    """Fields no `raw NAME` can name (`"]"`, `"a-b"`, `"\\n"`): importing the
    rest would lose them, so they are reported (S006) and nothing is written."""
    from .rules.syntax import S006

    found = []
    for request in document.requests:
        for key in request.body:
            if not _NAME.fullmatch(key):
                found.append(S006.diag(
                    request.span_at(pointer(key)),
                    f"field {json.dumps(key, ensure_ascii=False)} cannot be written in adflow",
                    help="`raw NAME <json>` takes a name of letters, digits and _; "
                         "Graph API fields are such names"))
    return found


def import_document(document: Document, origin: str) -> str:
    """The DSL for a JSON document, checked to compile back to its bodies."""
    return Importer(document, origin).run()
