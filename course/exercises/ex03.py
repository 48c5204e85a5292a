"""Exercises of notebook 03, building Value: predict a gradient, backward() without recursion."""

from __future__ import annotations

import sys
from collections.abc import Callable

from course.engine import Value
from course.exercises.checking import (
    Case,
    Exercise,
    Incorrect,
    StudentError,
    central_difference,
    expect_function,
    expect_number,
    fmt,
    is_close,
)
from course.exercises.shortcuts import call_without_shortcuts

# ----------------------------------------------------------------------------------------------
# 03.1 Predict a gradient before backward()
# ----------------------------------------------------------------------------------------------


def _test_prediction(answer: object) -> str:
    value = expect_number(answer, "predicted_a_grad")
    if is_close(value, 24.0):
        return (
            "Right: c = b·b = (a + a)·(a + a) = 4a², whose slope is 8a = 24 at a = 3. Through the "
            "graph: b gets 2·b = 12 from b·b, and a gets 12 from each of its two uses in a + a."
        )
    explanation = {
        12.0: "12 is ∂c/∂b. a reaches c through b = a + a, which uses a twice: a gets 12 from "
        "each use.",
        6.0: "6 is b itself. Write c in terms of a first.",
        36.0: "36 is c itself, not its slope.",
    }.get(value, "Write c in terms of a alone, then take the slope.")
    raise Incorrect(explanation, Case("a.grad after c.backward(), a = 3", "24", fmt(value)))


q1 = Exercise(
    "03.1",
    "predict a.grad before backward()",
    "predicted_a_grad",
    _test_prediction,
    hints=[
        "Write c in terms of a alone: b = a + a = 2a, so c = b·b = (2a)² = 4a².",
        "The slope of 4a² is 8a.",
        "Or through the graph: c.grad = 1; b is used twice in b·b, so b.grad = b + b = 12; a is "
        "used twice in a + a, so it receives 12 twice.",
    ],
    solution="""
        # c = b * b = (a + a) * (a + a) = 4 * a**2, so dc/da = 8 * a = 24 at a = 3
        predicted_a_grad = 24.0
    """,
)


# ----------------------------------------------------------------------------------------------
# 03.2 backward() without recursion: a topological order built with a stack
# ----------------------------------------------------------------------------------------------

CHAIN_LENGTH = 10_000  # ten times deeper than Python lets a recursive walk go
RECURSION_ROOM = 500  # nested calls the student's code may make while the check runs it


class Node:
    """A bare graph node, with no methods: what the checker hands to ``backward_with_stack``."""

    __slots__ = ("data", "grad", "label", "children", "local_grads")

    def __init__(self, data: float, label: str, children: tuple, local_grads: tuple) -> None:
        self.data = data
        self.grad = 0.0
        self.label = label
        self.children = children
        self.local_grads = local_grads

    def __repr__(self) -> str:
        return f"Node(data={self.data:.6g}, grad={self.grad:.6g}, label={self.label!r})"


def bare_copy(root: Value) -> tuple[Node, dict[str, Node]]:
    """The graph of ``root`` rebuilt from Nodes; returns the new root and the labelled leaves."""
    copies: dict[Value, Node] = {}
    for value in root.topological_order():  # children first, so each child is copied already
        children = tuple(copies[child] for child in value.children)
        copies[value] = Node(value.data, value.label, children, tuple(value.local_grads))
    leaves = {node.label: node for node in copies.values() if node.label and not node.children}
    return copies[root], leaves


def _square_by_reuse(a):
    return a * a


def _double_twice(a):
    b = a + a
    return b + b


def _running_example(a, b, c, f):
    return (a * b + c) * f


def _diamond(a, b):
    u = a * b
    v = u + a
    return u * v


def _long_chain(x):
    for _ in range(CHAIN_LENGTH):
        x = x + 0.5
    return x


# (how the graph is shown, the function that builds it, its leaves and their values)
GRAPHS = [
    ("y = a * a, a = 3", _square_by_reuse, {"a": 3.0}),
    ("c = b + b with b = a + a, a = 3", _double_twice, {"a": 3.0}),
    ("L = (a*b + c) * f, a = 2, b = -3, c = 10, f = -2", _running_example,
     {"a": 2.0, "b": -3.0, "c": 10.0, "f": -2.0}),
    ("w = u * v with u = a * b, v = u + a, a = 1.5, b = -2", _diamond, {"a": 1.5, "b": -2.0}),
    (f"x + 0.5 + 0.5 + ... ({CHAIN_LENGTH:,} additions), x = 0.5", _long_chain, {"x": 0.5}),
]


def _measured_slope(build: Callable, inputs: dict[str, float], name: str) -> float:
    """d(output)/d(input ``name``), measured by nudging that input (plain floats)."""
    def output(t: float) -> float:
        return build(**{**inputs, name: t})

    return central_difference(output, inputs[name])


def _test_backward_with_stack(answer: object) -> str:
    expect_function(answer, "backward_with_stack")
    for shown, build, inputs in GRAPHS:
        root, leaves = bare_copy(build(*[Value(x, label=n) for n, x in inputs.items()]))
        _run_without_deep_recursion(answer, root, shown)
        if root.grad != 1.0:
            raise Incorrect("Start the backward pass with the root's own gradient: "
                            "`root.grad = 1.0` (d root / d root).",
                            Case(shown, "root.grad = 1", f"root.grad = {fmt(root.grad)}"))
        for name in inputs:
            measured = _measured_slope(build, inputs, name)
            got = leaves[name].grad
            if not is_close(got, measured, tolerance=1e-5):
                raise Incorrect(
                    f"{name}.grad is wrong. Too large: a node passed its gradient on before "
                    f"every node that uses it had added its share. Too small: a node passed "
                    f"its gradient on before it had received all of it. Is every node after "
                    f"all of its children in your order, and do you walk the order backwards?",
                    Case(shown, f"{name}.grad = {fmt(measured)} (measured by nudging {name})",
                         f"{name}.grad = {fmt(got)}"),
                )
    return (
        f"Right: every leaf gets the slope measured by nudging it, where a value is used "
        f"twice, on a diamond, and on a chain {CHAIN_LENGTH:,} operations deep, with no "
        f"recursion."
    )


def _call_depth() -> int:
    """How many calls are running right now, this one included."""
    depth, frame = 0, sys._getframe()
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    return depth


def _run_without_deep_recursion(backward_with_stack: Callable, root: Node, shown: str) -> None:
    """Run the student's backward pass with room for only RECURSION_ROOM nested calls.

    The limit is lowered for the call (and restored after), so a recursive walk fails on the
    long chain even if the notebook raised Python's recursion limit earlier.
    """
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(min(limit, _call_depth() + RECURSION_ROOM))
    try:
        call_without_shortcuts(
            backward_with_stack, root, shown="backward_with_stack(root)",
            shortcuts={"Value.topological_order": Value.topological_order},
            task="The exercise asks you to build the order yourself, with a stack of "
                 "(node, children_done) pairs.")
    except StudentError as failure:
        advice = ""
        if isinstance(failure.error, RecursionError):
            advice = (" A recursive walk needs one nested call per node: build the order with "
                      "a stack of (node, children_done) pairs instead, as section 5 describes.")
        elif isinstance(failure.error, AttributeError):
            advice = (" The nodes handed to backward_with_stack have only data, grad, label, "
                      "children and local_grads, no methods: walk the graph in your own code.")
        raise Incorrect(
            failure.message + advice, Case(shown, "leaf grads", failure.case.got)
        ) from None
    finally:
        sys.setrecursionlimit(limit)


q2 = Exercise(
    "03.2",
    "backward() without recursion",
    "backward_with_stack",
    _test_backward_with_stack,
    hints=[
        "Two parts. First a list `order` of every node, each after all of its children, built "
        "without recursion. Then `root.grad = 1.0` and, walking `reversed(order)`, "
        "`child.grad += local * node.grad` for each child of each node.",
        "For the order, keep a list `stack` of pairs, starting with `[(root, False)]`, and a "
        "set `visited`. Pop a pair: `(node, True)` means its children are placed, so append "
        "the node to `order`; `(node, False)` for a node not yet visited means: mark it "
        "visited, push `(node, True)`, then push `(child, False)` for each child.",
        "Push the children after `(node, True)`: a stack hands back the last thing pushed "
        "first, so all of the children come off (and are placed) before `(node, True)` does. "
        "The part after the order is `backward_in_order` of section 5.",
    ],
    solution='''
        def backward_with_stack(root):
            """Set root.grad = 1 and fill in d(root)/d(node) for every node root depends on."""
            # 1. a topological order (children before the nodes that use them) with a stack
            order, visited, stack = [], set(), [(root, False)]
            while stack:
                node, children_done = stack.pop()
                if children_done:
                    order.append(node)  # all of its children are placed by now
                elif node not in visited:
                    visited.add(node)
                    stack.append((node, True))  # comes off again after all of its children
                    for child in node.children:
                        stack.append((child, False))
            # 2. the chain rule from the root back: each node passes its grad on once, complete
            root.grad = 1.0
            for node in reversed(order):
                for child, local in zip(node.children, node.local_grads):
                    child.grad += local * node.grad
    ''',
)
