"""Reading a block into a request body: the handlers derived from the field
tables (`fields`), and the code of the members that need more than a value.

Nothing a user writes is dropped: a member that cannot be placed is a
diagnostic. What adflow sends for a field left out is the table's default.
"""

from __future__ import annotations

from ..facts.lead_forms import LEAD_FORM_STEP_FIELDS
from ..findings.diagnostics import Edit, Fix, Note
from ..findings.suggest import hint, suggest
from ..front import ast
from ..front.source import Span
from ..rules.flow import F008, F023
from ..rules.syntax import S006, S007
from . import fields
from .fields import (
    BESIDE_POST,
    CREATIVE,
    MEDIA_TEXTS,
    PRODUCT_EXTENSIONS,
    STEP_MODIFIERS,
    STEP_TYPES,
    Field,
)
from .readers import (
    Args,
    Body,
    Ctx,
    Handler,
    Path,
    head_text,
    ident_value,
    nested,
    plain,
    read_block,
    reference,
    scalar,
    word,
)
from .welcome import build_welcome

TYPE_CHECKING = False  # typing is for mypy alone: importing it costs a quick check 4 ms
if TYPE_CHECKING:
    from typing import Any

    from .readers import Resolving


def handlers(rows: dict[str, Field], custom: dict[str, Handler] | None = None
             ) -> dict[str, Handler]:
    """The handler of each row: derived from its kind, or its CUSTOM code."""
    out: dict[str, Handler] = {}
    for head, row in rows.items():
        if row.kind == fields.CUSTOM:
            out[head] = (custom or {})[head]
        elif row.kind == fields.ID:
            out[head] = ident_value(row.keys)
        elif row.kind == fields.REF:
            out[head] = reference(row.keys, row.refs)
        elif row.kind == fields.BLOCK:
            assert row.block is not None
            out[head] = nested(handlers(row.block), row.keys, head)
        elif row.values == fields.BOOLEAN:
            out[head] = scalar(row.keys, "boolean")
        else:
            out[head] = scalar(row.keys, row.kind)
    return out


def send_defaults(rows: dict[str, Field], body: Body) -> None:
    """The table's defaults of fields the block left out (the name and the
    status the resolver sends last, for every kind)."""
    for row in rows.values():
        if row.default is fields.NO_DEFAULT or row.default is fields.IDENTIFIER \
                or row is fields.STATUS:
            continue
        node = body.data
        for key in row.keys[:-1]:
            node = node.setdefault(key, {})
        node.setdefault(row.keys[-1], row.default)


# -- lead forms ------------------------------------------------------------------

_LEAD_FORM = handlers(fields.LEAD_FORM)


class _Step:
    def __init__(self, member: ast.Member, index: int, kind: str) -> None:
        self.member = member
        self.id = str(index)
        self.kind = kind
        self.name: ast.Ident | None = None
        self.message: ast.Str | None = None
        self.modifiers: list[ast.Arg] = []
        self.arrows: list[ast.Arrow] = []

    @property
    def label(self) -> str:
        if self.name is not None:
            return self.name.text
        return "intro" if self.kind == "intro" else f"step {self.id}"


def build_lead_form(r: Resolving, decl: ast.ObjectDecl, body: Body) -> dict[str, str]:
    """Fields, then steps numbered "0", "1", ... in the order written."""
    where = f"lead_form '{decl.name.text}'"
    members: list[ast.Member | ast.Raw] = []
    written: list[tuple[ast.Member, str]] = []
    for m in decl.block.members:
        kind = _step_kind(r, m, where)
        if kind is None or isinstance(m, ast.Raw):
            members.append(m)
        else:
            written.append((m, kind))
    read_block(r, ast.Block(tuple(members), decl.block.span), body,
               Ctx(where, keywords=tuple(STEP_TYPES)), _LEAD_FORM)
    steps = [_Step(m, i, kind) for i, (m, kind) in enumerate(written)]
    ids: dict[str, str] = {}
    first: dict[str, ast.Ident] = {}
    for step in steps:
        _read_step_args(r, step)
        if step.name is not None:
            if step.name.text in first:
                r.diagnostics.append(F008.diag(
                    step.name.span, f"two steps are named '{step.name.text}'",
                    notes=[Note("first step of that name", first[step.name.text].span)],
                    name=f"lead_form:{decl.name.text}/step:{step.name.text}"))
                continue
            first[step.name.text] = step.name
            ids[step.name.text] = step.id
    ids.setdefault("intro", next((s.id for s in steps if s.kind == "intro" and s.name is None), ""))
    ids = {k: v for k, v in ids.items() if v}
    if steps or "step_list" not in body.data:  # else a `raw step_list` stands (adflow import)
        body.set(("step_list",), [], decl.block.span)
    for index, step in enumerate(steps):
        _emit_step(r, step, index, ids, body)
    return {s.id: s.label for s in steps}


def _step_kind(r: Resolving, m: ast.Member | ast.Raw, where: str) -> str | None:
    """The step keyword a member starts with, also when misspelt (`qustion`,
    `Question`): reported once, then read as the step it was meant to be, so
    the arrows into it and the steps after it are not reported too."""
    if isinstance(m, ast.Raw) or not isinstance(m.head, ast.Ident) or m.head.text in _LEAD_FORM:
        return None
    if m.head.text in STEP_TYPES:
        return m.head.text
    found = suggest(m.head.text, [*_LEAD_FORM, *STEP_TYPES])
    if found is None or not found.clear or found.name not in STEP_TYPES:
        return None  # left to read_block, which reports it with the fields' names
    r.unknown(where, m.head, [*_LEAD_FORM, *STEP_TYPES])
    return found.name


def _read_step_args(r: Resolving, step: _Step) -> None:
    args = list(step.member.args)
    if args and isinstance(args[0], ast.Ident) and len(args) > 1 and isinstance(args[1], ast.Str):
        step.name = args.pop(0)  # type: ignore[assignment]
    if args and isinstance(args[0], ast.Str):
        step.message = args.pop(0)  # type: ignore[assignment]
    elif step.kind != "intro" and step.name is None and args and isinstance(args[0], ast.Ident):
        step.name = args.pop(0)  # type: ignore[assignment]
    for arg in args:
        if isinstance(arg, ast.Arrow):
            step.arrows.append(arg)
        else:
            step.modifiers.append(arg)


def _emit_step(r: Resolving, step: _Step, index: int, ids: dict[str, str], body: Body) -> None:
    m = step.member
    base: Path = ("step_list", index)
    out: dict[str, Any] = {"step_id": step.id, "step_type": STEP_TYPES[step.kind]}
    body.data["step_list"].append(out)
    body.note(base, m.span)
    body.note(base + ("step_id",), step.name.span if step.name else m.head.span)
    body.note(base + ("step_type",), m.head.span)
    if step.message is not None:  # a missing message is F014's to report
        out["message"] = step.message.value
        body.note(base + ("message",), step.message.span)
    reply = "NONE"
    mods = iter(step.modifiers)
    skip_word: ast.Arg | None = None
    for mod in mods:
        text = word(mod) if isinstance(mod, ast.Ident) else None
        if text == "required" or text == "optional":
            if skip_word is not None and word(skip_word) != text:
                r.error(F023, mod.span, f"'{text}' contradicts '{word(skip_word)}' on this "
                        "question", notes=[Note(f"'{word(skip_word)}' is here", skip_word.span)],
                        help="keep one of them: `required` (it must be answered) or "
                             "`optional` (it may be skipped)")
                continue
            skip_word = mod
            out["allow_to_skip"] = text == "optional"
            body.note(base + ("allow_to_skip",), mod.span)
        elif text == "validate":
            out["answer_validation_enabled"] = True
            body.note(base + ("answer_validation_enabled",), mod.span)
        elif text == "prefill":
            value = next(mods, None)
            if value is None or word(value) is None:
                r.error(S007, mod.span, "prefill takes a type: CITY, EMAIL or PHONE")
                continue
            reply = "PREFILL"
            out["prefill_type"] = word(value)
            body.note(base + ("prefill_type",), value.span)
            body.note(base + ("reply_type",), mod.span)
        else:
            shown = word(mod) or "this value"
            found = hint(shown, STEP_MODIFIERS, mod.span) if isinstance(mod, ast.Ident) else {}
            r.error(S006, mod.span, f"unknown step option '{shown}'",
                    help=found.get("help") or "step options: " + ", ".join(STEP_MODIFIERS),
                    fix=found.get("fix"))
    targets: list[tuple[ast.Arrow, int | None]] = [(a, None) for a in step.arrows]
    if m.block is not None:
        answers: list[str] = []
        body.note(base + ("answers",), m.block.span)
        per_answer: list[tuple[ast.Arrow, int | None]] = []
        for j, answer in enumerate(m.block.members):
            if isinstance(answer, ast.Raw) or not isinstance(answer.head, ast.Str):
                head = answer.name if isinstance(answer, ast.Raw) else answer.head
                r.error(S007, head.span, "an answer is a quoted string, optionally `-> step`")
                continue
            answers.append(answer.head.value)
            body.note(base + ("answers", len(answers) - 1), answer.head.span)
            for arg in answer.args:
                if isinstance(arg, ast.Arrow):
                    per_answer.append((arg, j))
                else:
                    r.error(S007, arg.span, "after an answer only `-> step` may follow")
        if answers:
            reply = "QUICK_REPLIES"  # a `prefill` beside answers is then F009's to report
            out["answers"] = answers
        if per_answer:
            if targets:
                r.error(S007, targets[0][0].span,
                        "give either one arrow for the step or one per answer, not both")
            targets = per_answer
    out["reply_type"] = reply
    if targets:
        next_ids: list[str] = []
        for arrow, _ in targets:
            target = arrow.target
            if not isinstance(target, ast.Ident):
                r.error(S007, target.span, "a next step is named, e.g. -> city")
                continue
            next_ids.append(ids.get(target.text, target.text))
            body.note(base + ("next_step_ids", len(next_ids) - 1), target.span)
        body.note(base + ("next_step_ids",), targets[0][0].span)
        out["next_step_ids"] = next_ids
    ordered = {k: out[k] for k in LEAD_FORM_STEP_FIELDS if k in out}
    out.clear()
    out.update(ordered)


# -- campaigns, ad sets, ads ----------------------------------------------------------

_CAMPAIGN = handlers(fields.CAMPAIGN)
_ADSET = handlers(fields.ADSET)
_AD = handlers(fields.AD)


def build_campaign(r: Resolving, decl: ast.ObjectDecl, body: Body) -> None:
    read_block(r, decl.block, body, Ctx(f"campaign '{decl.name.text}'"), _CAMPAIGN)
    send_defaults(fields.CAMPAIGN, body)


def build_adset(r: Resolving, decl: ast.ObjectDecl, body: Body) -> None:
    if decl.parent is not None:
        campaign = r.ref(decl.parent, ("campaign",))
        if campaign is not None:
            body.set(("campaign_id",), campaign, decl.parent.span)
    read_block(r, decl.block, body, Ctx(f"adset '{decl.name.text}'"), _ADSET)
    send_defaults(fields.ADSET, body)


def build_ad(r: Resolving, decl: ast.ObjectDecl, body: Body) -> None:
    read_block(r, decl.block, body, Ctx(f"ad '{decl.name.text}'"), _AD)
    send_defaults(fields.AD, body)
    for needed in ("adset", "creative"):
        if needed not in {head_text(m) for m in decl.block.members if isinstance(m, ast.Member)}:
            r.error(S007, decl.name.span, f"ad '{decl.name.text}' has no {needed}",
                    help=f"add `{needed} NAME` inside the block")


# -- creatives ----------------------------------------------------------------------
# Members that describe the media go under object_story_spec.<media>_data;
# creatives made from an existing post (`post`, `instagram_post`) have no
# object_story_spec and take the call to action at the top level.

def _data(ctx: Ctx) -> Path:
    if ctx.state["standalone"]:
        return ()
    return ("object_story_spec", ctx.state["media"])


def _media_text(r: Resolving, m: ast.Member, body: Body, ctx: Ctx) -> None:
    got = Args(r, m).string()
    if got is None:
        return
    link_key, video_key = MEDIA_TEXTS[head_text(m)]
    key = link_key if ctx.state["media"] == "link_data" else video_key
    if key is None or ctx.state["standalone"]:
        r.error(S007, m.head.span, f"'{head_text(m)}' does not apply to this creative's media")
        return
    body.set(_data(ctx) + (key,), got[0], got[1])


def _page(r: Resolving, m: ast.Member, body: Body, ctx: Ctx) -> None:
    arg = Args(r, m).one()
    if not isinstance(arg, (ast.Ident, ast.Num, ast.Str)):
        return
    page = r.ref(arg, ("page",))
    if page is None:
        return
    if ctx.state["standalone"] == "post":
        r.error(S007, m.head.span,
                "a creative from an existing post takes its page from the post id")
    elif ctx.state["standalone"]:
        body.set((BESIDE_POST["page"],), page, arg.span)
    else:
        body.set(CREATIVE["page"].keys, page, arg.span)


def _instagram(r: Resolving, m: ast.Member, body: Body, ctx: Ctx) -> None:
    arg = Args(r, m).one()
    if not isinstance(arg, (ast.Ident, ast.Num, ast.Str)):
        return
    account = r.ref(arg, ("instagram",))
    if account is not None:
        path = (BESIDE_POST["instagram"],) if ctx.state["standalone"] else (
            CREATIVE["instagram"].keys)
        body.set(path, account, arg.span)


def _image(r: Resolving, m: ast.Member, body: Body, ctx: Ctx) -> None:
    keys = fields.IMAGE_OPTIONS
    first = m.args[0] if m.args else None
    if isinstance(first, ast.Str):  # `image "..."`: name what the value is
        member = "url" if first.value.lower().startswith(("https://", "http://")) else "hash"
        at = Span(first.span.file, first.span.line, first.span.column, first.span.line,
                  first.span.column)
        r.error(S007, first.span, "image takes `name value` pairs: " + ", ".join(
                f"{k} ..." for k in keys),
                help=f'write `image {member} "{first.value}"`',
                fix=Fix(f"write '{member}' before the value", (Edit(at, f"{member} "),),
                        "unsafe"))
        return
    for key, (value, span) in Args(r, m).pairs(keys).items():
        if key not in keys:
            r.error(S006, span, f"unknown image option '{key}'",
                    help="image options: " + ", ".join(keys))
            continue
        body.set(_data(ctx) + (keys[key],), value, span)


def _video(r: Resolving, m: ast.Member, body: Body, ctx: Ctx) -> None:
    args = Args(r, m)
    if not args.items or isinstance(args.items[0], (ast.Arrow, ast.Pair, ast.ListValue)):
        r.error(S007, m.span, "video takes the video's id: video 123456789 [thumbnail URL]")
        return
    first = args.items.pop(0)
    body.set(_data(ctx) + CREATIVE["video"].keys, r.literal_id(first), first.span)  # type: ignore[arg-type]
    keys = fields.VIDEO_OPTIONS
    for key, (value, span) in args.pairs(keys).items():
        if key not in keys:
            r.error(S006, span, f"unknown video option '{key}'",
                    help="video options: thumbnail, thumbnail_id, thumbnail_source")
            continue
        body.set(_data(ctx) + (keys[key],), str(value), span)


def _call_to_action(r: Resolving, m: ast.Member, body: Body, ctx: Ctx) -> None:
    """`call_to_action TYPE [-> DESTINATION] [link URL]`"""
    items = list(m.args)
    if not items or word(items[0]) is None:
        r.error(S007, m.span,
                "call_to_action takes a type, e.g. call_to_action MESSAGE_PAGE -> MESSENGER")
        return
    base = _data(ctx) + CREATIVE["call_to_action"].keys
    body.set(base + ("type",), word(items[0]), items[0].span)
    body.note(base, m.span)
    rest = items[1:]
    if rest and isinstance(rest[0], ast.Arrow):
        arrow = rest.pop(0)
        assert isinstance(arrow, ast.Arrow)
        body.set(base + ("value", "app_destination"), plain(arrow.target), arrow.target.span)
    while rest:
        key = rest.pop(0)
        if word(key) == "link" and rest and isinstance(rest[0], ast.Str):
            value = rest.pop(0)
            body.set(base + ("value", "link"), value.value, value.span)  # type: ignore[union-attr]
        else:
            r.error(S007, key.span, "after the type: `-> DESTINATION` and `link URL` may follow")
            break


def _welcome(r: Resolving, m: ast.Member, body: Body, ctx: Ctx) -> None:
    build_welcome(r, m, body, ctx, _data(ctx))


def _product_extensions(r: Resolving, m: ast.Member, body: Body, ctx: Ctx) -> None:
    if m.block is None:
        r.error(S007, m.span, "product_extensions takes a block { product_set ID  products [...] }")
        return
    body.set(CREATIVE["product_extensions"].keys, "OPT_IN", m.head.span)
    read_block(r, m.block, body, Ctx("product_extensions", (), ctx.state), _PRODUCT_EXTENSIONS)


def _products(r: Resolving, m: ast.Member, body: Body, ctx: Ctx) -> None:
    got = Args(r, m).words()
    if got is None:
        return
    ids = [str(v) for v in got[0]]
    # Beside the media in object_story_spec, as the seed's image and video
    # examples nest it; at the top level beside object_story_id.
    path = PRODUCT_EXTENSIONS["products"].keys
    if not ctx.state["standalone"]:
        path = ("object_story_spec", *path)
    body.set(path, [{"product_id": i, "product_source": "MANUAL",
                     "product_decision": "ACCEPT"} for i in ids], got[1])


def _multi_photo_to_video(r: Resolving, m: ast.Member, body: Body, ctx: Ctx) -> None:
    if m.args:
        r.error(S007, m.args[0].span, "multi_photo_to_video takes no value: it opts in")
    body.set(PRODUCT_EXTENSIONS["multi_photo_to_video"].keys, "OPT_IN", m.head.span)


_PRODUCT_EXTENSIONS = handlers(PRODUCT_EXTENSIONS, {
    "products": _products, "multi_photo_to_video": _multi_photo_to_video})

_CREATIVE = handlers(CREATIVE, {
    "page": _page, "instagram": _instagram, "image": _image, "video": _video,
    **{word: _media_text for word in MEDIA_TEXTS},
    "call_to_action": _call_to_action, "welcome": _welcome,
    "product_extensions": _product_extensions})


def build_creative(r: Resolving, decl: ast.ObjectDecl, body: Body) -> None:
    heads = [head_text(m) for m in decl.block.members if isinstance(m, ast.Member)]
    standalone = next((post for post in ("post", "instagram_post") if post in heads), "")
    media = "video_data" if "video" in heads else "link_data"
    read_block(r, decl.block, body, Ctx(f"creative '{decl.name.text}'",
                                        state={"media": media, "standalone": standalone}),
               _CREATIVE)


BUILDERS = {
    "campaign": build_campaign,
    "adset": build_adset,
    "creative": build_creative,
    "ad": build_ad,
}
