"""Loading the emitters' Jinja2 templates (package data), all with one set of
environment settings: undefined names are errors, and blocks leave no stray
blank lines, so output is exactly what the template spells out."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from typing import Any

import jinja2


def load_template(name: str, *, autoescape: bool,
                  filters: dict[str, Callable[..., Any]]) -> jinja2.Template:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=autoescape,
                             keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(filters)
    text = resources.files("adflow.emitters.templates").joinpath(name).read_text("utf-8")
    return env.from_string(text)
