"""Draw the computation graph of a Value, and step through its backward pass one node at a time.

``draw_graph(loss)`` shows every Value as a box (label, data, grad) and every operation as a
small oval between the Values it combines and the Value it produces.

``backward_steps(loss)`` replays what ``loss.backward()`` does, one node at a time, without
touching the real gradients; ``draw_backward_step(loss, steps, k)`` draws the graph as it is
at step ``k``: which node passes its gradient on, along which edges, and how much.

Nodes are named by their position in ``root.topological_order()`` ("v0", "v1", ..., and
"op3" for the operation that produced v3), never by ``id()``: the same expression always gives
the same drawing, byte for byte, so notebooks show identical output on every run.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import graphviz

from course.engine import Value

# Okabe-Ito colours stay distinguishable with every common colour-vision deficiency. Fills are
# light tints so that black text on them stays easy to read.
PARAMETER_FILL = "#CCE3F0"  # light blue (Okabe-Ito blue #0072B2)
INPUT_FILL = "#FAF3B8"  # light yellow (Okabe-Ito yellow #F0E442)
COMPUTED_FILL = "#FFFFFF"
BORDER = "#555555"
HIGHLIGHT = "#D55E00"  # Okabe-Ito vermillion: the node being processed, the gradient flowing
NOT_YET = "#999999"  # grads that no gradient has reached yet
FONT = "Helvetica,Arial,sans-serif"
ROLE_FILLS = {"parameter": PARAMETER_FILL, "input": INPUT_FILL, "computed": COMPUTED_FILL}

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
    max_nodes: int = 150,
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
    text = f"{_fmt(flow.local_grad)} × {_fmt(flow.upstream)} = {_fmt(flow.contribution)}"
    return {**_highlight_style(edge=True), "label": text, "fontcolor": HIGHLIGHT}


# ----------------------------------------------------------------------------------------------
# What each node shows
# ----------------------------------------------------------------------------------------------


def _roles(order: list[Value], params: Iterable[Value] | None) -> list[str]:
    """ "parameter", "input" (a leaf that is not a parameter) or "computed", for each node."""
    param_set = _as_param_set(params)
    roles = []
    for node in order:
        if node in param_set:
            roles.append("parameter")
        elif node.children:
            roles.append("computed")
        else:
            roles.append("input")
    return roles


def _as_param_set(params: Iterable[Value] | None) -> set[Value]:
    """The parameters as a set (used only to ask "is this one a parameter?")."""
    if params is None:
        return set()
    if isinstance(params, Value):
        params = [params]
    param_list = list(params)
    for p in param_list:
        if not isinstance(p, Value):
            raise TypeError(
                f"params must be Values (for example model.parameters()), "
                f"got a {type(p).__name__}: {p!r}"
            )
    return set(param_list)


def _value_label(node: Value, grad_cell: str, fill: str, is_root: bool, is_current: bool) -> str:
    """HTML-like Graphviz label: a one-row table [label | data | grad]."""
    name = f"<b>{html.escape(node.label)}</b>" if node.label else ""
    if is_root:
        name += '<br/><font point-size="10">output</font>' if name else "<b>output</b>"
    cells = f"<td>{name}</td>" if name else ""
    cells += f"<td>data {_fmt(node.data)}</td><td>{grad_cell}</td>"
    if is_current:
        border, color = "3", HIGHLIGHT
    elif is_root:
        border, color = "3", "#000000"
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
    text = f"grad {_fmt(grad)}"
    return f"<b>{text}</b>" if final else text


def _fmt(x: float) -> str:
    """A number with 4 significant digits, as in the node boxes ("2", "-0.5", "1.234e-05")."""
    if x == 0:
        x = 0.0  # no "-0"
    return f"{x:.4g}"


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


def _legend_box(text: str, fill: str = "#FFFFFF", border: str = BORDER, escape: bool = True) -> str:
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
    _check_is_value(root)
    order = root.topological_order()
    if len(order) > max_nodes:
        raise ValueError(
            f"This graph has {len(order)} Values, more than max_nodes={max_nodes}: the drawing "
            f"would be unreadable. Draw a smaller piece (for example one neuron's output "
            f"instead of the whole loss), or pass max_nodes={len(order)} to draw it anyway."
        )
    return order


def _check_is_value(root: object) -> None:
    """Raise a TypeError that says what to pass instead, unless ``root`` is a Value."""
    if isinstance(root, Value):
        return
    hint = ""
    if isinstance(root, (list, tuple)):
        hint = " To draw one of several outputs, pick one, for example outs[0]."
    elif isinstance(root, (int, float)):
        hint = " A plain number has no graph: build the expression from Values."
    raise TypeError(f"Expected a Value to draw, got {type(root).__name__}: {root!r}.{hint}")


# ----------------------------------------------------------------------------------------------
# Stepping through the backward pass
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GradientFlow:
    """Gradient sent along one edge: ``child.grad += local_grad * upstream``.

    ``node`` and ``child`` are indices in ``root.topological_order()``; ``slot`` says which of
    the node's children it is (0 = first), so ``a + a`` has two flows into the same child.
    """

    node: int
    slot: int
    child: int
    local_grad: float  # d node / d child
    upstream: float  # the node's own grad
    contribution: float  # local_grad * upstream, added to the child's grad


@dataclass(frozen=True)
class BackwardStep:
    """The state of a backward pass right after one node has passed its gradient on.

    All lists are aligned with ``root.topological_order()``.
    ``grads[i]`` is None while no gradient has reached node i yet.
    ``final[i]`` is True once every node that uses node i has been processed: nothing
    more will be added to its grad.
    """

    node: int  # the node processed in this step
    grads: tuple[float | None, ...]
    final: tuple[bool, ...]
    flows: tuple[GradientFlow, ...]  # empty for a leaf: it has nothing to pass on


def backward_steps(root: Value) -> list[BackwardStep]:
    """Replay ``root.backward()`` one node at a time, from the output back to the leaves.

    Step 0 is the output, seeded with grad 1; then every node in reverse topological order,
    leaves included (a leaf's step passes nothing on). After the last step the grads are those
    ``backward()`` gives on a freshly built graph. The Values' own ``.grad`` are not touched:
    the replay keeps its grads in a list of its own.
    """
    _check_is_value(root)
    order = root.topological_order()
    index = {node: i for i, node in enumerate(order)}
    grads: list[float | None] = [None] * len(order)
    uses_left = _count_uses(order, index)
    grads[-1] = 1.0  # the seed: d root / d root = 1 (the root is last in topological order)
    steps = []
    for i in reversed(range(len(order))):
        flows = _pass_gradient_on(order[i], i, index, grads)
        for flow in flows:
            uses_left[flow.child] -= 1
        final = tuple(count == 0 for count in uses_left)
        steps.append(BackwardStep(node=i, grads=tuple(grads), final=final, flows=flows))
    return steps


def _count_uses(order: list[Value], index: dict[Value, int]) -> list[int]:
    """For each node, how many times other nodes use it as a child (``a + a`` counts twice)."""
    uses = [0] * len(order)
    for node in order:
        for child in node.children:
            uses[index[child]] += 1
    return uses


def _pass_gradient_on(
    node: Value, i: int, index: dict[Value, int], grads: list[float | None]
) -> tuple[GradientFlow, ...]:
    """The chain rule for one node: add local_grad * grad to each child's grad, in order."""
    flows = []
    for slot, (child, local) in enumerate(zip(node.children, node.local_grads)):
        c = index[child]
        contribution = local * grads[i]
        grads[c] = contribution if grads[c] is None else grads[c] + contribution
        flows.append(GradientFlow(i, slot, c, local, grads[i], contribution))
    return tuple(flows)


def draw_backward_step(
    root: Value,
    steps: Sequence[BackwardStep],
    k: int,
    rankdir: str = "LR",
    params: Iterable[Value] | None = None,
    max_nodes: int = 150,
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
    dot.attr(label=_caption(title, [_describe_step(order, step)], legend))
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


def _describe_step(order: list[Value], step: BackwardStep) -> str:
    """One sentence saying what happens at this step."""
    node = order[step.node]
    grad = _fmt(step.grads[step.node])
    name = node_name(node)
    name = name[:1].upper() + name[1:]  # it starts the sentence
    if not step.flows:
        return f"{name} is a leaf: its grad {grad} is final, there is nothing to pass on."
    if step.node == len(order) - 1:
        start = f"{name} starts with grad 1 (d output / d output)"
    else:
        start = f"{name} has its final grad {grad}"
    return f"{start} and sends local grad × {grad} to each of its inputs."


def node_name(node: Value, quote: str = "'") -> str:
    """How a node is called in a sentence: its label, or the operation that made it."""
    if node.label:
        return f"{quote}{node.label}{quote}"
    if node.op:
        return f"the {quote}{node.op}{quote} result"
    return f"the input {_fmt(node.data)}"
