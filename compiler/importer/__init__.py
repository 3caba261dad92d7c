"""`adflow import`: Graph API JSON (bodies, requests, plans) as idiomatic DSL.

Each body is written with the language's own members where they give back
exactly the same value; whatever they cannot say goes through `raw NAME
<json>`. The result is then compiled and compared with the input, body by
body: a top-level field whose value came out different is written raw on
the next round, so the output is lossless by construction, not by hope.

The members are the field tables' rows (`compiler/bodies/fields.py`), written by
`block.write_rows`; one module per object kind writes what needs code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from ..bodies.model import Document, Request
from ..bodies.resolve import resolve
from ..editor.fmt import format_text
from ..findings.diagnostics import Diagnostic
from ..front.dsl import parse_file
from ..front.source import Source, pointer
from ..rules.syntax import S006
from .block import Block, Refs, canonical, prune
from .campaigns import write_ad, write_adset, write_campaign
from .creatives import write_creative
from .lead_forms import write_lead_form
from .text import NAME, ImportFailure, dsl_json, dsl_string

__all__ = ["ImportFailure", "dsl_string", "import_document", "unimportable"]

_MAX_ROUNDS = 6
WRITERS: dict[str, Callable[[Refs, Block], str]] = {
    "lead_form": write_lead_form,
    "campaign": write_campaign,
    "adset": write_adset,
    "creative": write_creative,
    "ad": write_ad,
}


class Importer(Refs):
    """Writes the whole file, compiles it and writes raw, round by round,
    each top-level field that did not come back the same."""

    def __init__(self, document: Document, origin: str) -> None:
        super().__init__(document)
        self.origin = origin

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
        obj = Block(request, name, forced)
        header = WRITERS[request.kind](self, obj)
        # A forced field is written whole, even an empty object.
        rest = {k: (v if k in forced else prune(v)) for k, v in obj.rest.items()}
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
            for key, keys in wrong.items():
                if not keys <= forced.setdefault(key, set()):
                    forced[key] |= keys
                    grew = True
            if not grew:
                break
        raise ImportFailure("the imported file does not compile back to the same bodies")


def unimportable(document: Document) -> list[Diagnostic]:
    """Fields no `raw NAME` can name (`"]"`, `"a-b"`, `"\\n"`): importing the
    rest would lose them, so they are reported (S006) and nothing is written."""
    found = []
    for request in document.requests:
        for key in request.body:
            if not NAME.fullmatch(key):
                found.append(S006.diag(
                    request.span_at(pointer(key)),
                    f"field {json.dumps(key, ensure_ascii=False)} cannot be written in adflow",
                    help="`raw NAME <json>` takes a name of letters, digits and _; "
                         "Graph API fields are such names"))
    return found


def import_document(document: Document, origin: str) -> str:
    """The DSL for a JSON document, checked to compile back to its bodies."""
    return Importer(document, origin).run()
