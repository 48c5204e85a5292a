"""A backward pass replayed one node at a time, and the sentence that says what each step does.

``backward_steps(loss)`` replays what ``loss.backward()`` does, from the output back to the
leaves, without touching the Values' real gradients. ``describe_backward_step`` says in one
line what happens at a step; the drawings (``course/show/graph.py``) put the same sentence
in their caption, and the backward stepper widget under its picture.

Nodes are referred to by their position in ``root.topological_order()``, never by ``id()``,
so the same expression always gives the same steps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from course.engine import Value

MAX_STEPPED_NODES = 1000  # each step keeps one grad per node: n steps x n grads in memory


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


def backward_steps(root: Value, max_nodes: int = MAX_STEPPED_NODES) -> list[BackwardStep]:
    """Replay ``root.backward()`` one node at a time, from the output back to the leaves.

    Step 0 is the output, seeded with grad 1; then every node in reverse topological order,
    leaves included (a leaf's step passes nothing on). After the last step the grads are those
    ``backward()`` gives on a freshly built graph. The Values' own ``.grad`` are not touched:
    the replay keeps its grads in a list of its own. Every step remembers every grad, so a
    graph of more than ``max_nodes`` Values is refused at once (a ValueError).
    """
    why = "every step keeps a grad for every node"
    order = nodes_in_order(root, max_nodes, why, "Step through")
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


def nodes_in_order(root: object, max_nodes: int, why: str, verb: str) -> list[Value]:
    """``root.topological_order()``, after checking that ``root`` is a Value whose graph has at
    most ``max_nodes`` Values. Checked before anything else is computed, so a huge graph is
    refused at once; the ValueError says ``why`` and what to do (``verb`` a smaller piece)."""
    check_is_value(root)
    order = root.topological_order()
    if len(order) > max_nodes:
        raise ValueError(
            f"This graph has {len(order)} Values, more than max_nodes={max_nodes}: {why}. "
            f"{verb} a smaller piece (for example one neuron's output instead of the whole "
            f"loss), or pass max_nodes={len(order)}."
        )
    return order


def check_is_value(root: object) -> None:
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
# Saying what a step does
# ----------------------------------------------------------------------------------------------


def number_text(x: float) -> str:
    """A number with 4 significant digits, as the drawings show it ("2", "-0.5", "1.234e-05")."""
    if x == 0:
        x = 0.0  # no "-0"
    return f"{x:.4g}"


def node_name(node: Value, quote: str = "'") -> str:
    """How a node is called in a sentence: its label, or the operation that made it."""
    if node.label:
        return f"{quote}{node.label}{quote}"
    if node.op:
        return f"the {quote}{node.op}{quote} result"
    return f"the input {number_text(node.data)}"


def flow_text(flow: GradientFlow) -> str:
    """What flows along one edge: "local grad × upstream grad = contribution"."""
    return (f"{number_text(flow.local_grad)} × {number_text(flow.upstream)} = "
            f"{number_text(flow.contribution)}")


def step_sentence(order: Sequence[Value], step: BackwardStep, quote: str = "'") -> str:
    """What one step does, e.g. "'c' (grad 1) passes -3 × 1 = -3 to 'a', 2 × 1 = 2 to 'b'"
    (local gradient × upstream gradient, the order the drawing's edge labels use)."""
    node = order[step.node]
    head = f"{node_name(node, quote)} (grad {number_text(step.grads[step.node])})"
    is_output = step.node == len(order) - 1  # the root comes last in topological order
    if is_output and not step.flows:
        return head + " is the output and a leaf: its grad is 1, there is nothing to pass on."
    if not step.flows:
        return head + " is a leaf: nothing to pass on, its grad is final."
    passes = ", ".join(
        f"{flow_text(flow)} to {node_name(order[flow.child], quote)}" for flow in step.flows
    )
    if is_output:
        return head + " is the output: its grad is d(output)/d(output) = 1; it passes " + passes
    return head + " passes " + passes


def describe_backward_step(order: Sequence[Value], steps: Sequence[BackwardStep], k: int) -> str:
    """One line saying what happens at step ``k`` (0-based) of ``steps = backward_steps(root)``.

    For example "step 2/4: `c` (grad 1) passes -3 × 1 = -3 to `a`, 2 × 1 = 2 to `b`".
    Steps are counted from 1 in the text, as in ``draw_backward_step``'s title.
    ``order`` is ``root.topological_order()``.
    """
    return f"step {k + 1}/{len(steps)}: " + step_sentence(order, steps[k], quote="`")
