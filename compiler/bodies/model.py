"""The resolved model: the requests a file stands for, in creation order.

Bodies are Graph API JSON exactly as they will be sent, except for two
markers: `{"$ref": KEY}` is the id returned for an earlier request, and
`{"$json": VALUE}` is VALUE sent as compact JSON text. Rules check these
bodies, so the same checks run on DSL files and on JSON payloads; a source
map from JSON pointers to spans puts every finding back where it was written.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping

from ..front.source import Source, Span
from ..records import field, record

TYPE_CHECKING = False  # typing is for mypy alone: importing it costs a quick check 4 ms
if TYPE_CHECKING:
    from typing import Any

    from .wire import Normalised

# Request kinds, in creation order, with the Graph API edge each posts to.
ENDPOINTS: dict[str, str] = {
    "lead_form": "messenger_lead_forms",
    "campaign": "campaigns",
    "adset": "adsets",
    "creative": "adcreatives",
    "ad": "ads",
}
KIND_OF_ENDPOINT = {edge: kind for kind, edge in ENDPOINTS.items()}


@record(frozen=True)
class Request:
    key: str  # unique in the document, e.g. "campaign.spring"
    kind: str  # a key of ENDPOINTS
    name: str  # the name a person knows it by
    path: str  # relative to the versioned base URL, e.g. "act_1/campaigns"
    body: dict[str, Any]
    span: Span  # the whole declaration
    spans: Mapping[str, Span] = field(default_factory=dict)
    # Step ids to step names, so messages can say "city" rather than "2".
    labels: Mapping[str, str] = field(default_factory=dict)
    method: str = "POST"
    # The market it was made for (`bodies.markets`); None: made once.
    market: str | None = None

    def span_at(self, ptr: str) -> Span:
        """The span of the closest written ancestor of a JSON pointer."""
        while True:
            found = self.spans.get(ptr)
            if found is not None:
                return found
            if not ptr:
                return self.span
            ptr = ptr[: ptr.rfind("/")]

    def has_span(self, ptr: str) -> bool:
        return ptr in self.spans

    def label(self, step_id: object) -> str:
        text = str(step_id)
        return self.labels.get(text, text)

    def place(self, ptr: str = "") -> str:
        """The semantic place of a pointer, stable across unrelated edits: the
        object, the step by name rather than position, then the field within
        (`lead_form:quote/step:city/next_step_ids/1`); an object made per
        market is the one written, whatever its market."""
        name = self.name.removesuffix(f"[{self.market}]") if self.market else self.name
        place = f"{self.kind}:{name}"
        parts = ptr.split("/")[1:]
        if len(parts) > 1 and parts[0] == "step_list":
            steps = self.view.get("step_list")
            if isinstance(steps, list) and parts[1].isdigit() and int(parts[1]) < len(steps):
                step = steps[int(parts[1])]
                step_id = step.get("step_id", parts[1]) if isinstance(step, dict) else parts[1]
                place += f"/step:{self.label(step_id)}"
                parts = parts[2:]
        # `$json` marks a value sent as JSON text: how it travels, not where it is
        return "/".join([place, *(p for p in parts if p != "$json")])

    @functools.cached_property
    def normalised(self) -> Normalised:
        from .wire import normalise

        return normalise(ENDPOINTS[self.kind], self.body)

    @property
    def view(self) -> dict[str, Any]:
        """The body as rules and schemas judge it: the wire formats Meta
        accepts (numbers as text, objects as JSON text) decoded (see wire)."""
        return self.normalised.view

    @property
    def needs(self) -> list[str]:
        """Keys of the requests whose ids this body uses, in first-use order."""
        found: list[str] = []
        for ref in iter_refs(self.body):
            if ref not in found:
                found.append(ref)
        return found


def iter_refs(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        if set(value) == {"$ref"} and isinstance(value["$ref"], str):
            yield value["$ref"]
            return
        for item in value.values():
            yield from iter_refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from iter_refs(item)


@record(frozen=True)
class Document:
    """Everything one input file asks for."""

    path: str
    api_version: str
    requests: tuple[Request, ...]
    # Where the version was chosen (None: the default), for D004.
    api_span: Span | None = None
    from_json: bool = False
    # The text it was read from, for rules about the text itself (X004).
    source: Source | None = field(default=None, repr=False, compare=False)
    # The keys of the markets the file declares, sorted (`bodies.markets`),
    # and the texts people read as written, once each, where they were written.
    markets: tuple[str, ...] = ()
    texts: tuple[tuple[str, Span], ...] = field(default=(), repr=False, compare=False)
    # Other files it was read with (catalogues, used files): what the result
    # cache cannot see change.
    includes: tuple[str, ...] = field(default=(), repr=False, compare=False)
    # Each used file (`bodies.uses`), by the name its spans carry, and the
    # `use` line here that brought it in: where its findings are reported.
    uses: tuple[tuple[str, Span], ...] = field(default=(), repr=False, compare=False)

    def of_kind(self, kind: str) -> Iterator[Request]:
        return iter(self._by_kind.get(kind, ()))

    @functools.cached_property
    def _by_kind(self) -> dict[str, list[Request]]:
        # Rules ask for every ad set, ad ... many times: group them once.
        by_kind: dict[str, list[Request]] = {}
        for request in self.requests:
            by_kind.setdefault(request.kind, []).append(request)
        return by_kind

    @functools.cached_property
    def derived(self) -> dict[str, Any]:
        """What helpers (compiler/bodies/queries.py) derive from the requests, kept
        for the document's life: rules ask for the same relations per object."""
        return {}

    def get(self, key: str) -> Request | None:
        return self._by_key.get(key)

    @functools.cached_property
    def _by_key(self) -> dict[str, Request]:
        # Rules look objects up for every ad and step: a scan each time made
        # large files quadratic. The first of a repeated key wins (R002).
        by_key: dict[str, Request] = {}
        for request in self.requests:
            by_key.setdefault(request.key, request)
        return by_key

    def resolve(self, value: Any) -> Request | None:
        """The request a `$ref` marker points at, if it is in this document."""
        if isinstance(value, dict) and set(value) == {"$ref"}:
            return self.get(str(value["$ref"]))
        return None
