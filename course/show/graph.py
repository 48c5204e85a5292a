"""Draw the computation graph of a Value, and its backward pass one step at a time.

``draw_graph(loss)`` shows every Value as a box (label, data, grad) and every operation as a
small oval between the Values it combines and the Value it produces.

``draw_backward_step(loss, steps, k)`` draws the graph as it is at step ``k`` of
``steps = backward_steps(loss)`` (the replay lives in ``course/show/backward.py``): which node
passes its gradient on, along which edges, and how much.

Nodes are named by their position in ``root.topological_order()`` ("v0", "v1", ..., and
"op3" for the operation that produced v3), never by ``id()``: the same expression always gives
the same drawing, byte for byte, so notebooks show identical output on every run.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

import graphviz

from course.checks import parameters
from course.engine import Value
from course.show.backward import (
    BackwardStep,
    GradientFlow,
    backward_steps,
    flow_text,
    node_name,
    nodes_in_order,
    number_text,
    step_sentence,
)
from course.show.palette import (
    BLACK,
    GREY,
    HIGHLIGHT,
    LIGHT_BLUE,
    LIGHT_GREY,
    LIGHT_YELLOW,
    WHITE,
)

# Fills are light tints, so that black text on them stays easy to read.
PARAMETER_FILL = LIGHT_BLUE
INPUT_FILL = LIGHT_YELLOW
COMPUTED_FILL = WHITE
BORDER = GREY
NOT_YET = LIGHT_GREY  # grads that no gradient has reached yet
FONT = "Helvetica,Arial,sans-serif"
MAX_DRAWN_NODES = 150  # a larger drawing is unreadable
ROLE_FILLS = {"parameter": PARAMETER_FILL, "input": INPUT_FILL, "computed": COMPUTED_FILL}

__all__ = [  # backward_steps and friends are importable from here too, as they used to be
    "BackwardStep", "GradientFlow", "backward_steps", "draw_backward_step", "draw_graph",
    "node_name",
]

NO_BACKWARD_NOTE = (  # two short lines, so the note does not stretch the legend below it
    "grad = 0 everywhere: no backward pass has run yet.",
    "Call .backward() on the output first, then draw again.",
)


# ----------------------------------------------------------------------------------------------
# Drawing the graph
# ----------------------------------------------------------------------------------------------


def draw_graph(
    root: Value,
    rankdir: str = "LR",
    max_nodes: int = MAX_DRAWN_NODES,
    title: str | None = None,
    params: Iterable[Value] | None = None,
) -> graphviz.Digraph:
    """Draw the graph that computed ``root``: each Value with its data and grad.

    ``params`` (for example ``model.parameters()``) are coloured as parameters; the other
    leaves are inputs or constants. ``rankdir="TB"`` draws top to bottom instead of left to
    right. Graphs with more than ``max_nodes`` Values raise a ValueError: draw a smaller piece.
    In a notebook, the returned Digraph shows itself as a picture.
    """
    order = _nodes_to_draw(root, max_nodes)
    grads = [_grad_cell(node.grad) for node in order]
    notes = [] if any(node.grad != 0.0 for node in order) else list(NO_BACKWARD_NOTE)
    roles = _roles(order, params)
    dot = _new_digraph(rankdir)
    dot.attr(label=_caption(title, notes, _legend(roles, params is not None)))
    _add_values(dot, order, roles, grads)
    _add_operations(dot, order, flows=())
    return dot


class GraphDrawing(graphviz.Digraph):
    """A graphviz Digraph whose text form is the same every run (no memory address).

    Notebooks show the picture; the text form is what a saved notebook also keeps.
    """

    def __repr__(self) -> str:
        return "<computation graph drawing>"


def _new_digraph(rankdir: str) -> graphviz.Digraph:
    """An empty Digraph with the shared look: font, direction, caption on top."""
    if rankdir not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f'rankdir must be "LR", "TB", "RL" or "BT", got {rankdir!r}')
    dot = GraphDrawing(name="computation_graph")  # a fixed name: the SVG title
    # ordering="in": a node's inputs are placed in the order of its children (a, then b)
    dot.attr(rankdir=rankdir, ordering="in", labelloc="t", fontname=FONT, fontsize="12")
    dot.attr("node", fontname=FONT, fontsize="12")
    dot.attr("edge", fontname=FONT, fontsize="11", color=BORDER, arrowsize="0.7")
    return dot


def _add_values(
    dot: graphviz.Digraph,
    order: list[Value],
    roles: list[str],
    grads: list[str],
    current: int | None = None,
) -> None:
    """One box per Value: [label | data | grad], filled by role, the output drawn bold."""
    root = len(order) - 1  # the root comes last in topological order
    for i, node in enumerate(order):
        label = _value_label(node, grads[i], ROLE_FILLS[roles[i]], i == root, i == current)
        dot.node(f"v{i}", label=label, shape="plain")  # "plain": the box is the table itself


def _add_operations(
    dot: graphviz.Digraph, order: list[Value], flows: Sequence[GradientFlow]
) -> None:
    """One oval per operation, with an edge from each child (in order) and one to the result.

    ``flows`` are the edges a gradient is flowing back along right now: drawn thick, in
    the highlight colour, pointing back towards the child, labelled with their contribution.
    """
    index = {node: i for i, node in enumerate(order)}
    flowing = {(flow.node, flow.slot): flow for flow in flows}
    active = {flow.node for flow in flows}
    for i, node in enumerate(order):
        if not node.children:
            continue
        op_style = _highlight_style() if i in active else {}
        dot.node(f"op{i}", label=node.op, shape="ellipse", width="0.5", height="0.3",
                 margin="0.04,0.02", fontsize="14", **op_style)
        for slot, child in enumerate(node.children):
            flow = flowing.get((i, slot))
            edge_style = _flow_style(flow) if flow else {}
            dot.edge(f"v{index[child]}", f"op{i}", **edge_style)
        dot.edge(f"op{i}", f"v{i}", **(_highlight_style(edge=True) if i in active else {}))


def _highlight_style(edge: bool = False) -> dict[str, str]:
    """Graphviz attributes that make a node or an edge stand out in the highlight colour."""
    style = {"color": HIGHLIGHT, "penwidth": "2.5"}
    if edge:
        style["dir"] = "back"  # the arrow points the way the gradient goes: backwards
    return style


def _flow_style(flow: GradientFlow) -> dict[str, str]:
    """A child's edge while the gradient flows along it: local grad x grad = contribution."""
    return {**_highlight_style(edge=True), "label": flow_text(flow), "fontcolor": HIGHLIGHT}


# ----------------------------------------------------------------------------------------------
# What each node shows
# ----------------------------------------------------------------------------------------------


def _roles(order: list[Value], params: Iterable[Value] | None) -> list[str]:
    """ "parameter", "input" (a leaf that is not a parameter) or "computed", for each node."""
    param_set = parameter_set(params)
    roles = []
    for node in order:
        if node in param_set:
            roles.append("parameter")
        elif node.children:
            roles.append("computed")
        else:
            roles.append("input")
    return roles


def parameter_set(params: Iterable[Value] | None) -> set[Value]:
    """The parameters to colour as such, as a set (used only to ask "is this one a parameter?").

    A drawing is forgiving where an optimizer is not: one Value, or an empty list, is fine.
    """
    if params is None or (isinstance(params, (list, tuple)) and not params):
        return set()
    return set(parameters([params] if isinstance(params, Value) else params, "params"))


def _value_label(node: Value, grad_cell: str, fill: str, is_root: bool, is_current: bool) -> str:
    """HTML-like Graphviz label: a one-row table [label | data | grad]."""
    name = f"<b>{html.escape(node.label)}</b>" if node.label else ""
    if is_root:
        name += '<br/><font point-size="10">output</font>' if name else "<b>output</b>"
    cells = f"<td>{name}</td>" if name else ""
    cells += f"<td>data {number_text(node.data)}</td><td>{grad_cell}</td>"
    if is_current:
        border, color = "3", HIGHLIGHT
    elif is_root:
        border, color = "3", BLACK
    else:
        border, color = "0", BORDER
    return (
        f'<<table border="{border}" color="{color}" cellborder="1" cellspacing="0" '
        f'cellpadding="4" bgcolor="{fill}"><tr>{cells}</tr></table>>'
    )


def _grad_cell(grad: float | None, final: bool = False) -> str:
    """The grad part of a node's box: "grad ?" in grey when nothing has arrived yet,
    in bold once no further contribution can come."""
    if grad is None:
        return f'<font color="{NOT_YET}">grad ?</font>'
    text = f"grad {number_text(grad)}"
    return f"<b>{text}</b>" if final else text


# ----------------------------------------------------------------------------------------------
# The caption: title, notes and the colour legend
# ----------------------------------------------------------------------------------------------


def _legend(roles: list[str], params_given: bool) -> list[str]:
    """One legend box per role present in the drawing, filled like the nodes it describes."""
    input_meaning = "input / constant" if params_given else "leaf (pass params= to mark parameters)"
    meanings = {"parameter": "parameter", "input": input_meaning, "computed": "computed"}
    return [_legend_box(meanings[role], ROLE_FILLS[role]) for role in meanings if role in roles]


def _step_legend() -> list[str]:
    """The extra legend boxes of a backward step drawing."""
    return [
        _legend_box("current node", border=HIGHLIGHT),
        _legend_box(f"{_grad_cell(None)}: no gradient yet", escape=False),
        _legend_box("<b>bold grad</b>: final", escape=False),
    ]


def _legend_box(text: str, fill: str = WHITE, border: str = BORDER, escape: bool = True) -> str:
    """A legend entry: a table cell that looks like the nodes it describes."""
    width = "3" if border == HIGHLIGHT else "1"
    content = html.escape(text) if escape else text
    return f'<td border="{width}" color="{border}" bgcolor="{fill}">{content}</td>'


def _caption(title: str | None, notes: list[str], legend: list[str]) -> str:
    """HTML-like graph label: an optional bold title, notes, then a row of legend boxes."""
    rows = []
    if title:
        rows.append(f'<font point-size="14"><b>{html.escape(title)}</b></font>')
    rows += [f'<font color="{HIGHLIGHT}">{html.escape(note)}</font>' for note in notes]
    span = len(legend)
    text_rows = "".join(f'<tr><td colspan="{span}">{row}</td></tr>' for row in rows)
    return (
        f'<<table border="0" cellspacing="4" cellpadding="3">'
        f'{text_rows}<tr>{"".join(legend)}</tr></table>>'
    )


# ----------------------------------------------------------------------------------------------
# Checking the input
# ----------------------------------------------------------------------------------------------


def _nodes_to_draw(root: object, max_nodes: int) -> list[Value]:
    """The graph's nodes in topological order, after checking it is a Value of drawable size."""
    return nodes_in_order(root, max_nodes, "the drawing would be unreadable", "Draw")


# ----------------------------------------------------------------------------------------------
# One step of the backward pass
# ----------------------------------------------------------------------------------------------


def draw_backward_step(
    root: Value,
    steps: Sequence[BackwardStep],
    k: int,
    rankdir: str = "LR",
    params: Iterable[Value] | None = None,
    max_nodes: int = MAX_DRAWN_NODES,
) -> graphviz.Digraph:
    """Draw the graph as it is at step ``k`` of ``steps = backward_steps(root)``.

    The node being processed has a thick border in the highlight colour; the edges its
    gradient flows back along are thick arrows labelled local grad x grad = contribution.
    Grads no gradient has reached yet show as a grey "?"; final grads are bold.
    """
    order = _nodes_to_draw(root, max_nodes)
    step = _pick_step(steps, k, len(order))
    grads = [_grad_cell(g, final) for g, final in zip(step.grads, step.final)]
    roles = _roles(order, params)
    dot = _new_digraph(rankdir)
    title = f"Backward pass, step {k % len(steps) + 1} of {len(steps)}"
    legend = _legend(roles, params is not None) + _step_legend()
    sentence = step_sentence(order, step)
    dot.attr(label=_caption(title, [sentence[:1].upper() + sentence[1:]], legend))
    _add_values(dot, order, roles, grads, current=step.node)
    _add_operations(dot, order, flows=step.flows)
    return dot


def _pick_step(steps: Sequence[BackwardStep], k: int, n_nodes: int) -> BackwardStep:
    """``steps[k]``, after checking that the steps belong to a graph of this size."""
    if len(steps) != n_nodes or any(len(step.grads) != n_nodes for step in steps):
        raise ValueError(
            f"These steps are for a graph of {len(steps)} nodes but this one has {n_nodes}: "
            f"compute them from the same root with backward_steps(root)."
        )
    if not -len(steps) <= k < len(steps):
        raise IndexError(
            f"k={k} is out of range: there are {len(steps)} steps, 0 to {len(steps) - 1}."
        )
    return steps[k]
