"""Lead-form flows and the object graph as Mermaid or Graphviz DOT.

Both formats are drawn from one neutral description (nodes, edges, groups)
so they always show the same thing. Output depends only on the document and
its diagnostics, in the order written: the same input gives the same bytes,
and a change to the form shows as a small diff in review.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from adflow.compiler.bodies.model import Document, Request
from adflow.compiler.findings.diagnostics import Diagnostic, Severity
from adflow.compiler.front.source import pointer
from adflow.compiler.tools.flowgraph import FlowGraph, flow_graph

FORMATS = ("mermaid", "dot")
MESSAGE_CHARS = 40  # of a step's message shown on its node


@dataclass(frozen=True)
class Node:
    id: str
    title: str
    text: str
    kind: str  # intro, question, confirmation, disqualify, missing, object, page
    codes: tuple[str, ...] = ()
    worst: Severity | None = None


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str = ""
    bad: bool = False  # a backward jump or an arrow to no step


@dataclass
class Group:
    id: str
    title: str
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # findings about the whole form


def findings_by_step(graph: FlowGraph, diagnostics: Iterable[Diagnostic]
                     ) -> tuple[dict[int, list[Diagnostic]], list[Diagnostic]]:
    """The diagnostics about each step of a form (by index), and those about
    the form as a whole, matched through their semantic place."""
    form_place = graph.request.place()
    index_of = {graph.request.place(pointer("step_list", s.position)): s.index
                for s in reversed(graph.steps)}
    per_step: dict[int, list[Diagnostic]] = {}
    whole: list[Diagnostic] = []
    for d in diagnostics:
        # A name goes on to the field (lead_form:q/step:city/next_step_ids/0).
        step = next((index_of[p] for p in index_of if d.concerns(p)), None)
        if step is not None:
            per_step.setdefault(step, []).append(d)
        elif d.concerns(form_place):
            whole.append(d)
    return per_step, whole


def worst(found: Sequence[Diagnostic]) -> Severity | None:
    return max((d.severity for d in found), key=lambda s: s.rank, default=None)


def short(text: str, limit: int = MESSAGE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def form_group(graph: FlowGraph, number: int, diagnostics: Sequence[Diagnostic]) -> Group:
    per_step, whole = findings_by_step(graph, diagnostics)
    group = Group(f"form{number}", f"lead form {graph.name}")
    group.notes = [f"{d.code} {d.message}" for d in whole]

    def node_id(index: int) -> str:
        return f"f{number}_s{index}"

    for step in graph.steps:
        found = per_step.get(step.index, [])
        title = step.name if step.type == "QUESTION" else f"{step.type.lower()} {step.name}"
        if step.type == "INTRO":
            title = "intro"
        group.nodes.append(Node(node_id(step.index), title, short(step.message), step.kind,
                                tuple(sorted({d.code for d in found})), worst(found)))
    for edge in graph.edges:
        if edge.target is None:
            missing = f"f{number}_missing{len([n for n in group.nodes if n.kind == 'missing'])}"
            group.nodes.append(Node(missing, f"? {edge.target_id}", "no such step", "missing"))
            group.edges.append(Edge(node_id(edge.source), missing, edge.label, bad=True))
        else:
            group.edges.append(Edge(node_id(edge.source), node_id(edge.target), edge.label,
                                    bad=edge.backward))
    return group


def _page_ids(request: Request) -> list[str]:
    """The pages an object belongs to, as written in its path or body."""
    found: list[str] = []
    if request.kind == "lead_form":
        found.append(request.path.split("/")[0])
    story = request.view.get("object_story_spec")
    if isinstance(story, dict) and isinstance(story.get("page_id"), (str, int)):
        found.append(str(story["page_id"]))
    promoted = request.view.get("promoted_object")
    if isinstance(promoted, dict) and isinstance(promoted.get("page_id"), (str, int)):
        found.append(str(promoted["page_id"]))
    return list(dict.fromkeys(found))


def object_group(document: Document, diagnostics: Sequence[Diagnostic]) -> Group:
    group = Group("objects", "objects (arrows: what each object needs first)")
    ids = {r.key: f"o{k}" for k, r in enumerate(document.requests)}
    pages: dict[str, str] = {}
    for request in document.requests:
        for page in _page_ids(request):
            if page not in pages:
                pages[page] = f"p{len(pages)}"
                group.nodes.append(Node(pages[page], "page", page, "page"))
    for request in document.requests:
        found = [d for d in diagnostics if d.concerns(request.place())]
        group.nodes.append(Node(ids[request.key], request.kind.replace("_", " "), request.name,
                                "object", tuple(sorted({d.code for d in found})), worst(found)))
    for request in document.requests:
        for page in _page_ids(request):
            group.edges.append(Edge(pages[page], ids[request.key]))
        for need in request.needs:
            if need in ids:
                group.edges.append(Edge(ids[need], ids[request.key]))
    return group


def groups_for(document: Document, diagnostics: Sequence[Diagnostic],
               forms: Sequence[Request], with_objects: bool) -> list[Group]:
    out = [form_group(flow_graph(form), k, diagnostics) for k, form in enumerate(forms)]
    if with_objects:
        out.append(object_group(document, diagnostics))
    return out


# -- Mermaid ------------------------------------------------------------------------------------

_MERMAID_SHAPES = {"intro": ('(["', '"])'), "question": ('["', '"]'),
                   "confirmation": ('[["', '"]]'), "disqualify": ('{{"', '"}}'),
                   "missing": ('>"', '"]'), "object": ('["', '"]'), "page": ('[("', '")]')}
_MERMAID_CLASSES = (
    "classDef intro fill:#e7f0ff,stroke:#0866ff,color:#0b1f44",
    "classDef question fill:#ffffff,stroke:#65676b,color:#1c1e21",
    "classDef confirmation fill:#e6f4ea,stroke:#1e8e3e,color:#0d3d1a",
    "classDef disqualify fill:#fdecea,stroke:#c5221f,color:#5c0f0d",
    "classDef missing fill:#fff4e5,stroke:#c5221f,color:#5c0f0d,stroke-dasharray:4 3",
    "classDef object fill:#f0f2f5,stroke:#65676b,color:#1c1e21",
    "classDef page fill:#e7f0ff,stroke:#0866ff,color:#0b1f44",
    "classDef error stroke:#c5221f,stroke-width:3px",
    "classDef warning stroke:#e37400,stroke-width:3px",
)


def _mermaid_text(text: str) -> str:
    # Mermaid entity codes keep quotes and brackets from ending the label.
    for char, code in (("&", "#amp;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(char, code)
    return text


def _label(node: Node) -> tuple[str, str]:
    """(title, second line), the codes of its findings on the title."""
    title = node.title + (f" ⚠ {' '.join(node.codes)}" if node.codes else "")
    return title, node.text


def render_mermaid(groups: Sequence[Group]) -> str:
    lines = ["flowchart TD"]
    links: list[int] = []
    count = 0
    flagged: dict[str, list[str]] = {}  # severity -> nodes; a node takes one ::: class
    for group in groups:
        lines.append(f'  subgraph {group.id}["{_mermaid_text(group.title)}"]')
        lines.append("    direction TB")
        for note in group.notes:
            lines.append(f"    %% {note}")
        for node in group.nodes:
            opening, closing = _MERMAID_SHAPES[node.kind]
            title, text = _label(node)
            body = _mermaid_text(title) + (f"<br/><i>{_mermaid_text(text)}</i>" if text else "")
            lines.append(f"    {node.id}{opening}{body}{closing}:::{node.kind}")
            if node.worst is not None and node.worst.rank >= Severity.WARNING.rank:
                flagged.setdefault(node.worst.value, []).append(node.id)
        for edge in group.edges:
            arrow = "-.->" if edge.bad else "-->"
            label = f'|"{_mermaid_text(edge.label)}"|' if edge.label else ""
            lines.append(f"    {edge.source} {arrow}{label} {edge.target}")
            if edge.bad:
                links.append(count)
            count += 1
        lines.append("  end")
    lines.extend("  " + c for c in _MERMAID_CLASSES)
    for severity in ("error", "warning"):
        if severity in flagged:
            lines.append(f"  class {','.join(flagged[severity])} {severity}")
    for index in links:
        lines.append(f"  linkStyle {index} stroke:#c5221f,stroke-width:2px")
    return "\n".join(lines) + "\n"


# -- DOT ----------------------------------------------------------------------------------------

_DOT_STYLE = {
    "intro": 'shape=box, style="rounded,filled", fillcolor="#e7f0ff", color="#0866ff"',
    "question": 'shape=box, style="rounded,filled", fillcolor="#ffffff", color="#65676b"',
    "confirmation": 'shape=box, style="filled", peripheries=2, fillcolor="#e6f4ea", '
                    'color="#1e8e3e"',
    "disqualify": 'shape=hexagon, style="filled", fillcolor="#fdecea", color="#c5221f"',
    "missing": 'shape=note, style="dashed,filled", fillcolor="#fff4e5", color="#c5221f"',
    "object": 'shape=box, style="filled", fillcolor="#f0f2f5", color="#65676b"',
    "page": 'shape=cylinder, style="filled", fillcolor="#e7f0ff", color="#0866ff"',
}
_DOT_SEVERITY = {"error": 'penwidth=3, color="#c5221f"', "warning": 'penwidth=3, color="#e37400"'}


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def render_dot(groups: Sequence[Group]) -> str:
    lines = ["digraph adflow {", "  rankdir=TB;",
             '  node [fontname="Helvetica", fontsize=11];',
             '  edge [fontname="Helvetica", fontsize=10];']
    for group in groups:
        lines.append(f"  subgraph cluster_{group.id} {{")
        title = "\\n".join(_dot_text(t) for t in [group.title, *group.notes])
        lines.append(f'    label="{title}";')
        for node in group.nodes:
            title, text = _label(node)
            label = _dot_text(title) + (f"\\n{_dot_text(text)}" if text else "")
            style = _DOT_STYLE[node.kind]
            if node.worst is not None and node.worst.value in _DOT_SEVERITY:
                style += ", " + _DOT_SEVERITY[node.worst.value]
            lines.append(f'    {node.id} [label="{label}", {style}];')
        for edge in group.edges:
            attrs = [f'label="{_dot_text(edge.label)}"'] if edge.label else []
            if edge.bad:
                attrs.append('style=dashed, color="#c5221f", constraint=false')
            suffix = f" [{', '.join(attrs)}]" if attrs else ""
            lines.append(f"    {edge.source} -> {edge.target}{suffix};")
        lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_graph(document: Document, diagnostics: Sequence[Diagnostic], fmt: str = "mermaid",
                 forms: Sequence[Request] | None = None) -> str:
    """Every lead form and the object graph; only the given forms if any."""
    chosen = list(document.of_kind("lead_form")) if forms is None else list(forms)
    groups = groups_for(document, diagnostics, chosen, with_objects=forms is None)
    return render_mermaid(groups) if fmt == "mermaid" else render_dot(groups)
