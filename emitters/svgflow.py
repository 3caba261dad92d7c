"""A lead-form flow laid out in layers, for drawing as inline SVG.

Walkable edges only go forward (to a later step), so the graph they make is
acyclic and index order is a topological order: one pass gives each step its
layer, the longest distance from a step nobody walks to (the INTRO, and any
unreachable step) over walkable edges. Steps in a layer are ordered by index.
An edge that spans several layers passes through a narrow "lane" slot in each
layer between, so it never runs through a box. Backward edges and arrows to no
step are drawn apart (dashed red) along the right-hand side.

The result is plain numbers and strings; the template escapes every string.
"""

from __future__ import annotations

from dataclasses import dataclass

from adflow.compiler.findings.diagnostics import Diagnostic, Severity
from adflow.compiler.tools.flowgraph import FlowGraph

from .graph import findings_by_step, short, worst

NODE_W = 210
NODE_H = 58
LANE_W = 22  # the slot a long edge takes in a layer it passes through
GAP_X = 36
GAP_Y = 64
MARGIN = 24
BACK_SPACE = 52  # room on the right for backward edges
MESSAGE_CHARS = 29
LABEL_CHARS = 24
CHAR_W = 6.4  # of the 11px label font, a generous average


@dataclass(frozen=True)
class SvgNode:
    index: int  # the step index; -1 for a missing target
    x: float
    y: float
    title: str
    text: str
    full: str  # the whole message, for the tooltip
    kind: str  # intro, question, confirmation, disqualify, missing
    codes: str
    severity: str  # "", or the worst finding's severity


@dataclass(frozen=True)
class SvgEdge:
    d: str  # the path, numbers only
    bad: bool
    label: str
    label_x: float
    label_y: float
    label_w: float


@dataclass(frozen=True)
class SvgFlow:
    width: float
    height: float
    nodes: tuple[SvgNode, ...]
    edges: tuple[SvgEdge, ...]
    node_w: float = NODE_W
    node_h: float = NODE_H


def num(value: float) -> str:
    """A coordinate in the same text on every platform."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def layers(graph: FlowGraph) -> dict[int, int]:
    """Each step's layer: the longest walk to it over walkable edges."""
    layer = {s.index: 0 for s in graph.steps}
    for step in graph.steps:  # index order is topological for walkable edges
        for edge in graph.forward(step.index):
            assert edge.target is not None
            layer[edge.target] = max(layer[edge.target], layer[step.index] + 1)
    return layer


def layout(graph: FlowGraph, diagnostics: list[Diagnostic]) -> SvgFlow:
    per_step, _ = findings_by_step(graph, diagnostics)
    layer = layers(graph)
    # A slot is (sort key, width, what): a step, or a lane of a long edge.
    rows: dict[int, list[tuple[tuple[int, int, int], float, tuple[str, int]]]] = {}
    for step in graph.steps:
        rows.setdefault(layer[step.index], []).append(
            ((step.index, 0, 0), NODE_W, ("step", step.index)))
    long_edges: list[int] = []
    missing_at: dict[int, int] = {}  # edge number -> layer of its "?" box
    for k, edge in enumerate(graph.edges):
        if edge.walkable:
            assert edge.target is not None
            for between in range(layer[edge.source] + 1, layer[edge.target]):
                # Just after its source in the order, so lanes stay near it.
                rows.setdefault(between, []).append(
                    ((edge.source, 1, k), LANE_W, ("lane", k)))
            if layer[edge.target] - layer[edge.source] > 1:
                long_edges.append(k)
        elif edge.target is None:
            at = layer[edge.source] + 1
            missing_at[k] = at
            rows.setdefault(at, []).append(((edge.source, 2, k), NODE_W, ("missing", k)))
    depth = max(rows, default=0) + 1
    widths = {r: sum(w for _, w, _ in row) + GAP_X * (len(row) - 1) for r, row in rows.items()}
    inner = max(widths.values(), default=NODE_W)
    has_back = any(e.backward or e.target is None for e in graph.edges)
    width = inner + 2 * MARGIN + (BACK_SPACE if has_back else 0)
    height = depth * NODE_H + (depth - 1) * GAP_Y + 2 * MARGIN

    where: dict[tuple[str, int], tuple[float, float, float]] = {}  # left x, top y, width
    for r, row in sorted(rows.items()):
        x = MARGIN + (inner - widths[r]) / 2
        y = float(MARGIN + r * (NODE_H + GAP_Y))
        for _, w, what in sorted(row, key=lambda slot: slot[0]):
            where[what] = (x, y, w)
            x += w + GAP_X

    nodes: list[SvgNode] = []
    for step in graph.steps:
        x, y, _ = where[("step", step.index)]
        found = per_step.get(step.index, [])
        title = "intro" if step.type == "INTRO" else step.name
        if step.type in ("CONFIRMATION", "DISQUALIFY"):
            title = f"{'✓' if step.type == 'CONFIRMATION' else '✕'} {step.name}"
        sev = worst(found)
        nodes.append(SvgNode(step.index, x, y, short(title, 22), short(step.message,
                             MESSAGE_CHARS), step.message, step.kind,
                             " ".join(sorted({d.code for d in found})),
                             sev.value if sev is not None else ""))
    for k in missing_at:
        x, y, _ = where[("missing", k)]
        nodes.append(SvgNode(-1, x, y, short(f"? {graph.edges[k].target_id}", 22),
                             "no such step", f"no step {graph.edges[k].target_id}",
                             "missing", "", Severity.ERROR.value))

    edges: list[SvgEdge] = []
    # What a label must not cover.
    placed: list[tuple[float, float, float, float]] = [
        (n.x, n.y, float(NODE_W), float(NODE_H)) for n in nodes]
    backs = 0
    for k, edge in enumerate(graph.edges):
        sx, sy, _ = where[("step", edge.source)]
        start = (sx + NODE_W / 2, sy + NODE_H)
        label = short(edge.label, LABEL_CHARS)
        if edge.walkable or edge.target is None:
            if edge.target is None:
                tx, ty, _ = where[("missing", k)]
                points = [start]
            else:
                tx, ty, _ = where[("step", edge.target)]
                points = [start]
                for _ in range(layer[edge.source] + 1, layer[edge.target]):
                    lx, ly, lw = where[("lane", k)]
                    points += [(lx + lw / 2, ly), (lx + lw / 2, ly + NODE_H)]
            points.append((tx + NODE_W / 2, ty))
            d = _curve(points)
            bend = (start, points[1])
        else:
            # Backward, or to itself: an orthogonal detour through the gap
            # under the source, up the right margin and into the target's top,
            # so it crosses no box.
            tx, ty, _ = where[("step", edge.target)]
            lane = MARGIN + inner + 14 + 12 * (backs % 3)
            below = sy + NODE_H + 12 + 6 * (backs % 3)
            above = ty - 10 - 5 * (backs % 3)
            out_x, in_x = sx + NODE_W - 24, tx + 28  # clear of the code badges
            backs += 1
            d = _orthogonal([(out_x, sy + NODE_H), (out_x, below), (lane, below), (lane, above),
                             (in_x, above), (in_x, ty)])
            bend = ((out_x, below), (lane, below))
        lx, ly, w = _place_label(label, bend, edge.walkable, placed)
        edges.append(SvgEdge(d, not edge.walkable, label, lx, ly, w))
    return SvgFlow(width, height, tuple(nodes), tuple(edges))


def _bezier(a: tuple[float, float], b: tuple[float, float], t: float) -> tuple[float, float]:
    """A point of the S-curve from a to b drawn by _curve (control points at mid-height)."""
    mid = (a[1] + b[1]) / 2
    u = 1 - t
    x = u ** 3 * a[0] + 3 * u * u * t * a[0] + 3 * u * t * t * b[0] + t ** 3 * b[0]
    y = u ** 3 * a[1] + 3 * u * u * t * mid + 3 * u * t * t * mid + t ** 3 * b[1]
    return x, y


def _place_label(label: str, bend: tuple[tuple[float, float], tuple[float, float]],
                 curved: bool, placed: list[tuple[float, float, float, float]]
                 ) -> tuple[float, float, float]:
    """Where on its first bend a label fits without covering a box or another
    label: halfway first, then further along or nearer the start."""
    if not label:
        return 0.0, 0.0, 0.0
    w, h = len(label) * CHAR_W + 10, 18.0
    candidates: list[tuple[float, float]] = []
    for t in (0.5, 0.72, 0.3, 0.88, 0.14):
        if curved:
            candidates.append(_bezier(bend[0], bend[1], t))
        else:  # a straight run
            candidates.append((bend[0][0] + (bend[1][0] - bend[0][0]) * t, bend[0][1]))
    for x, y in candidates:
        box = (x - w / 2, y - h / 2, w, h)
        if not any(_overlap(box, other) for other in placed):
            placed.append(box)
            return x, y, w
    x, y = candidates[0]
    placed.append((x - w / 2, y - h / 2, w, h))
    return x, y, w


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _toward(here: tuple[float, float], there: tuple[float, float],
            radius: float) -> tuple[float, float]:
    """The point `radius` from `here` toward `there` (at most halfway)."""
    dx, dy = there[0] - here[0], there[1] - here[1]
    length = max(abs(dx) + abs(dy), 1e-9)
    r = min(radius, length / 2)
    return here[0] + dx / length * r, here[1] + dy / length * r


def _orthogonal(points: list[tuple[float, float]], radius: float = 8) -> str:
    """Straight runs through the points, with rounded corners."""
    parts = [f"M{num(points[0][0])},{num(points[0][1])}"]
    for prev, here, after in zip(points, points[1:], points[2:], strict=False):
        # Stop short of the corner, then curve round it.
        a, b = _toward(here, prev, radius), _toward(here, after, radius)
        parts.append(f"L{num(a[0])},{num(a[1])} Q{num(here[0])},{num(here[1])} "
                     f"{num(b[0])},{num(b[1])}")
    parts.append(f"L{num(points[-1][0])},{num(points[-1][1])}")
    return " ".join(parts)


def _curve(points: list[tuple[float, float]]) -> str:
    """Vertical S-curves through the points: (start, [lane top, lane bottom]..., end)."""
    (x0, y0), rest = points[0], points[1:]
    parts = [f"M{num(x0)},{num(y0)}"]
    for i, (x1, y1) in enumerate(rest):
        if i % 2 == 1:  # straight down through a lane
            parts.append(f"L{num(x1)},{num(y1)}")
        else:
            mid = (y0 + y1) / 2
            parts.append(f"C{num(x0)},{num(mid)} {num(x1)},{num(mid)} {num(x1)},{num(y1)}")
        x0, y0 = x1, y1
    return " ".join(parts)
