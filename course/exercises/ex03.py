"""Exercises of notebook 03, building Value: predict a gradient, add an operation, fix backward."""

from __future__ import annotations

import random
from collections.abc import Callable

from course.engine import Value
from course.exercises.checking import (
    Case,
    Exercise,
    Incorrect,
    StudentError,
    backprop_gradients,
    call_student,
    central_difference,
    expect_function,
    expect_number,
    expect_value_node,
    fmt,
    is_close,
)

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
# 03.2 A new operation: cube
# ----------------------------------------------------------------------------------------------

CUBE_INPUTS = [2.0, -1.5, 0.0, 0.5] + [round(random.Random(3).uniform(-3, 3), 4)
                                       for _ in range(4)]


def _test_cube(answer: object) -> str:
    expect_function(answer, "cube")
    for x in CUBE_INPUTS:
        shown = f"cube(Value({x:g}))"
        v = Value(x)
        out = call_student(answer, v, shown=shown)
        expect_value_node(out, shown)
        if not is_close(out.data, x**3):
            raise Incorrect(f"`{shown}.data` should be {x:g}³.",
                            Case(f"{shown}.data", fmt(x**3), fmt(out.data)))
        _check_cube_slope(answer, out, v, x, shown)
    return (
        f"Right: on {len(CUBE_INPUTS)} inputs between −3 and 3, cube's value is v³ and the "
        f"gradient backward() sends to v matches the slope measured by nudging v."
    )


def _check_cube_slope(cube: Callable, out: object, v: Value, x: float, shown: str) -> None:
    """The grad that backpropagation gives v must equal the slope of cube's own forward pass."""
    grads = backprop_gradients(out)
    if id(v) not in grads:
        raise Incorrect(
            "The result does not record v as its child, so no gradient can reach v: "
            "pass `children=(v,)` and one local gradient, `local_grads=(...,)`.",
            Case(f"{shown}.children", "(v,)", repr(getattr(out, "children", None))),
        )

    def forward(t: float) -> float:
        return call_student(cube, Value(t), shown=f"cube(Value({t:g}))").data

    measured = central_difference(forward, x)
    if not is_close(grads[id(v)], measured, tolerance=1e-5):
        raise Incorrect(
            "backward() through your cube gives v a gradient that differs from the slope "
            "measured by nudging v: check the local gradient (the derivative of v³).",
            Case(f"d cube(v)/dv at v = {x:g}", f"{fmt(measured)} (measured by nudging v)",
                 f"{fmt(grads[id(v)])} (from local_grads)"),
        )


q2 = Exercise(
    "03.2",
    "a new operation: cube",
    "cube",
    _test_cube,
    hints=[
        "`cube(v)` is one operation with one child, `v`: the result is "
        "`Value(v.data**3, children=(v,), local_grads=(...,), op=\"cube\")`.",
        "The local gradient is the derivative of a³ at a = v.data.",
        "d(a³)/da = 3a², so `local_grads=(3 * v.data**2,)`.",
    ],
    solution='''
        def cube(v):
            """v**3 as one node of the graph: one child, v, and one local gradient."""
            # d(a**3)/da = 3 * a**2
            return Value(v.data**3, children=(v,), local_grads=(3 * v.data**2,), op="cube")
    ''',
)


# ----------------------------------------------------------------------------------------------
# 03.3 backward() that is right when a value is used twice
# ----------------------------------------------------------------------------------------------


class Node:
    """A bare graph node, with no methods: what the checker hands to ``backward_fixed``."""

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
    for _ in range(3000):
        x = x + 1.0
    return x


# (how the graph is shown, the function that builds it, its leaves and their values)
REUSE_GRAPHS = [
    ("y = a * a, a = 3", _square_by_reuse, {"a": 3.0}),
    ("c = b + b with b = a + a, a = 3", _double_twice, {"a": 3.0}),
    ("L = (a*b + c) * f, a = 2, b = -3, c = 10, f = -2", _running_example,
     {"a": 2.0, "b": -3.0, "c": 10.0, "f": -2.0}),
    ("w = u * v with u = a * b, v = u + a, a = 1.5, b = -2", _diamond, {"a": 1.5, "b": -2.0}),
    ("x + 1 + 1 + ... + 1 (3000 additions), x = 0.5", _long_chain, {"x": 0.5}),
]


def _measured_slope(build: Callable, inputs: dict[str, float], name: str) -> float:
    """d(output)/d(input ``name``), measured by nudging that input (plain floats)."""
    def output(t: float) -> float:
        return build(**{**inputs, name: t})

    return central_difference(output, inputs[name])


def _test_backward_fixed(answer: object) -> str:
    expect_function(answer, "backward_fixed")
    for shown, build, inputs in REUSE_GRAPHS:
        root, leaves = bare_copy(build(*[Value(x, label=n) for n, x in inputs.items()]))
        _run_backward(answer, root, shown)
        for name in inputs:
            measured = _measured_slope(build, inputs, name)
            got = leaves[name].grad
            if not is_close(got, measured, tolerance=1e-5):
                raise Incorrect(
                    f"{name}.grad is wrong. If it is too large, a node passed its gradient on "
                    f"before all the nodes that use it had added theirs.",
                    Case(shown, f"{name}.grad = {fmt(measured)} (measured by nudging {name})",
                         f"{name}.grad = {fmt(got)}"),
                )
    return (
        "Right: every leaf gets the slope measured by nudging it, also where a value is used "
        "twice, and on a chain of 3000 additions."
    )


def _run_backward(backward_fixed: Callable, root: Node, shown: str) -> None:
    try:
        call_student(backward_fixed, root, shown="backward_fixed(root)")
    except StudentError as failure:
        advice = ""
        if isinstance(failure.error, RecursionError):
            advice = (" A recursive walk needs one nested call per node: walk the graph with a "
                      "stack instead, as `topological_order` does in section 5.")
        elif isinstance(failure.error, AttributeError):
            advice = (" The nodes handed to backward_fixed have only data, grad, label, children "
                      "and local_grads, no methods: walk the graph in your own code.")
        raise Incorrect(
            failure.message + advice, Case(shown, "leaf grads", failure.case.got)
        ) from None


q3 = Exercise(
    "03.3",
    "backward that is right when a value is used twice",
    "backward_fixed",
    _test_backward_fixed,
    hints=[
        "`backward_naive` passes a node's gradient on before every node that uses it has added "
        "its share. A node must wait until its grad is complete.",
        "List the nodes in topological order (each after its children), then walk that list "
        "backwards: when a node's turn comes, its grad is complete.",
        "Build the order with a stack instead of recursion (section 5, `topological_order`), so "
        "that a chain of thousands of nodes works too. Then set `root.grad = 1` and, for each "
        "node from the end of the list, add `local * node.grad` to each child's grad.",
    ],
    solution='''
        def backward_fixed(root):
            """Set root.grad = 1 and fill in d(root)/d(node) for every node root depends on."""
            # 1. a topological order, children before the nodes that use them, with a stack
            order, visited, stack = [], set(), [(root, False)]
            while stack:
                node, children_done = stack.pop()
                if children_done:
                    order.append(node)
                elif node not in visited:
                    visited.add(node)
                    stack.append((node, True))
                    for child in reversed(node.children):
                        stack.append((child, False))
            # 2. the chain rule, from the root back: each node passes its grad on only once
            root.grad = 1.0
            for node in reversed(order):
                for child, local in zip(node.children, node.local_grads):
                    child.grad += local * node.grad
    ''',
)
