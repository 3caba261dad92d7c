"""Creatives as DSL: the page and media, the call to action, the welcome
message, product extensions; made from an existing post, no media."""

from __future__ import annotations

from ..bodies import fields
from ..bodies.fields import (
    BESIDE_POST,
    CREATIVE,
    IMAGE_OPTIONS,
    MEDIA_TEXTS,
    PRODUCT_EXTENSIONS,
    VIDEO_OPTIONS,
)
from ..records import replace
from .block import MISSING, Block, Refs, write_row
from .text import DIGITS, NAME, RESERVED, dsl_string, number, scalar_text
from .welcome import write_welcome

# `page` and `instagram` are CUSTOM rows (where they go depends on the media),
# written as references: under object_story_spec, or at the top beside a post.
_PAGE = replace(CREATIVE["page"], kind=fields.REF)
_INSTAGRAM = replace(CREATIVE["instagram"], kind=fields.REF)
_POST_PAGE = replace(_PAGE, path=BESIDE_POST["page"])
_POST_INSTAGRAM = replace(_INSTAGRAM, path=BESIDE_POST["instagram"])


def write_creative(refs: Refs, obj: Block) -> str:
    write_row(refs, obj, CREATIVE["name"])
    has_story = obj.peek("object_story_spec") is not MISSING or "object_story_spec" in obj.rest
    standalone = ""
    if not has_story:
        for post in (CREATIVE["post"], CREATIVE["instagram_post"]):
            if isinstance(obj.peek(*post.keys), str):
                standalone = post.head
                write_row(refs, obj, post)
                break
    if standalone:
        if standalone == "instagram_post":
            write_row(refs, obj, _POST_PAGE)
        write_row(refs, obj, _POST_INSTAGRAM)
        _call_to_action(obj, ())
    elif isinstance(obj.peek("object_story_spec"), dict):
        story = ("object_story_spec",)
        write_row(refs, obj, _PAGE)
        write_row(refs, obj, _INSTAGRAM)
        video = obj.peek(*story, "video_data", "video_id")
        # The language puts media fields under video_data when a video is written.
        media = "video_data" if isinstance(video, str) and DIGITS.fullmatch(video) else "link_data"
        if media == "video_data":
            _video_media(refs, obj, story + (media,))
        elif isinstance(obj.peek(*story, media), dict):
            _link_media(refs, obj, story + (media,))
        write_welcome(refs, obj, media)
    _product_extensions(refs, obj, standalone)
    write_row(refs, obj, CREATIVE["standard_enhancements"])
    return f"creative {obj.name}"


def _texts(refs: Refs, obj: Block, data: tuple[str, ...], video: bool) -> None:
    for word, keys in MEDIA_TEXTS.items():
        key = keys[1] if video else keys[0]
        if key is not None:
            write_row(refs, obj, fields.Field(word, key, fields.STRING), data)


def _link_media(refs: Refs, obj: Block, data: tuple[str, ...]) -> None:
    options = {word: key for word, key in IMAGE_OPTIONS.items()
               if word != "link" and isinstance(obj.peek(*data, key), str)}  # `link` says link
    if options:
        obj.lines.append("image " + " ".join(f"{word} {dsl_string(obj.peek(*data, key))}"
                                             for word, key in options.items()))
        for key in options.values():
            obj.drop(*data, key)
    _texts(refs, obj, data, video=False)
    _call_to_action(obj, data)


def _video_media(refs: Refs, obj: Block, data: tuple[str, ...]) -> None:
    parts = ["video", obj.peek(*data, "video_id")]
    obj.drop(*data, "video_id")
    for word, key in VIDEO_OPTIONS.items():
        value = obj.peek(*data, key)
        if isinstance(value, str):
            parts += [word, dsl_string(value)]
            obj.drop(*data, key)
    obj.lines.append(" ".join(parts))
    _texts(refs, obj, data, video=True)
    _call_to_action(obj, data)


def _call_to_action(obj: Block, data: tuple[str, ...]) -> None:
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
        text = dest if isinstance(dest, str) and NAME.fullmatch(dest) and dest not in RESERVED \
            else (dsl_string(dest) if isinstance(dest, str) else number(dest))
        if text is None:
            return
        parts.append(f"-> {text}")
    if "link" in value:
        if not isinstance(value["link"], str):
            return
        parts += ["link", dsl_string(value["link"])]
    obj.lines.append(" ".join(str(p) for p in parts))
    obj.drop(*path)


def _product_extensions(refs: Refs, obj: Block, standalone: str) -> None:
    enroll = CREATIVE["product_extensions"].keys  # ... product_extensions.enroll_status
    if obj.peek(*enroll[:-1]) != {enroll[-1]: "OPT_IN"}:
        return
    obj.drop(*enroll[:-1])
    obj.lines.append("product_extensions {")
    write_row(refs, obj, PRODUCT_EXTENSIONS["product_set"])
    path = PRODUCT_EXTENSIONS["products"].keys
    if not standalone:
        path = ("object_story_spec", *path)
    products = obj.peek(*path)
    manual = {"product_source": "MANUAL", "product_decision": "ACCEPT"}
    if isinstance(products, list) and all(
            isinstance(p, dict) and isinstance(p.get("product_id"), str)
            and p == {"product_id": p["product_id"], **manual} for p in products):
        ids = [p["product_id"] if DIGITS.fullmatch(p["product_id"]) else dsl_string(p["product_id"])
               for p in products]
        obj.lines.append("products [" + ", ".join(ids) + "]")
        obj.drop(*path)
    photos = PRODUCT_EXTENSIONS["multi_photo_to_video"].keys
    if obj.peek(*photos[:-1]) == {photos[-1]: "OPT_IN"}:
        obj.lines.append("multi_photo_to_video")
        obj.drop(*photos[:-1])
    obj.lines.append("}")
