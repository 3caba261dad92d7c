"""How much input adflow reads and walks, and F019's default question limit.

Its own small module: the pipeline's cache-hit path needs these numbers
without importing the rules.
"""

from __future__ import annotations

from ..records import record
from .source import DEFAULT_MAX_BYTES

DEFAULT_MAX_DEPTH = 64
# A configured depth is capped here: parse trees and bodies are walked
# recursively, and past about 400 levels Python's recursion limit is hit.
HARD_MAX_DEPTH = 256
# Far above any real form or account file, low enough that rules stay quick.
DEFAULT_MAX_STEPS = 200  # per lead form
DEFAULT_MAX_OBJECTS = 2_000  # requests per file
DEFAULT_MAX_QUESTIONS = 8  # F019: questions on one path


@record(frozen=True)
class Limits:
    max_bytes: int = DEFAULT_MAX_BYTES
    max_depth: int = DEFAULT_MAX_DEPTH
    max_steps: int = DEFAULT_MAX_STEPS
    max_objects: int = DEFAULT_MAX_OBJECTS
    max_questions: int = DEFAULT_MAX_QUESTIONS  # a rule setting, passed to F019


DEFAULT_LIMITS = Limits()
