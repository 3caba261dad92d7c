"""Lead forms as DSL: the table's fields, then the steps, named after what
they ask and written with arrows."""

from __future__ import annotations

import re
from typing import Any

from ..bodies import fields
from .block import MISSING, Block, Refs, write_rows
from .text import DIGITS, Names, dsl_string, scalar_text, snake

_STEP_WORDS = {step_type: word for word, step_type in fields.STEP_TYPES.items()}
_STEP_KEYS = frozenset(fields.STEP_KEYS)
_STOP_WORDS = frozenset({
    "a", "an", "the", "is", "are", "do", "does", "you", "your", "we", "our", "in", "on", "of",
    "to", "for", "and", "or", "what", "which", "how", "would", "will", "can", "be", "it", "this",
    "that", "with", "us", "me", "my", "i", "hi", "hello", "live", "like", "any", "have", "has"})


def write_lead_form(refs: Refs, obj: Block) -> str:
    page_id = obj.request.path.split("/", 1)[0]
    if DIGITS.fullmatch(page_id) and page_id != "0":
        page = refs.bind(refs.pages, "page", page_id)
    else:
        obj.lines.append("# the JSON does not say which page: 0 stands in for its id")
        page = "0"
    write_rows(refs, obj, fields.LEAD_FORM)
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
        if not isinstance(step, dict) or not set(step) <= _STEP_KEYS:
            return False
        if step.get("step_id") != str(index) or not isinstance(step.get("step_type"), str) \
                or step["step_type"] not in _STEP_WORDS:
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
        if targets is not MISSING and not (isinstance(targets, list) and targets and all(
                isinstance(t, str) and t in ids for t in targets)):
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
    for step, name in zip(steps, names, strict=True):
        word = _STEP_WORDS[step["step_type"]]
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
