"""Exercises of notebook 04, more operations: a new operation (softplus) as one node with its own
local gradient, and a sigmoid that never overflows. Each is checked by comparing the gradient
backward() gives with a measured slope."""

from __future__ import annotations

import math
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
    expect_value_node,
    fmt,
    graph_order,
    is_close,
)
from course.exercises.shortcuts import call_without_shortcuts


def _check_slope(operation: Callable, name: str, out: object, v: Value, x: float,
                 shown: str) -> None:
    """The grad backpropagation gives v must equal the slope of the operation's own forward pass.

    Measuring the student's own function (not a formula) lets any correct graph pass: one node
    with its local gradient, or (where the exercise allows it, as in 04.2) the same function
    built from smaller operations.
    """
    grads = backprop_gradients(out)
    if id(v) not in grads:
        raise Incorrect(
            "The result does not record v as its child, so no gradient can reach v: "
            "pass `children=(v,)` and one local gradient, `local_grads=(...,)`.",
            Case(f"{shown}.children", "(v,)", repr(getattr(out, "children", None))),
        )

    def forward(t: float) -> float:
        return call_student(operation, Value(t), shown=f"{name}(Value({t:g}))").data

    measured = central_difference(forward, x)
    got = grads[id(v)]
    if math.isnan(got):
        raise Incorrect(
            f"backward() through your {name} gives v the gradient nan: somewhere in the graph "
            f"an inf (a result too large for a float) was multiplied by 0. Compute the value "
            f"so that no step overflows, and give the local gradient as a formula in it.",
            Case(f"d {name}(v)/dv at v = {x:g}", f"{fmt(measured)} (measured by nudging v)",
                 "nan (from backward())"),
        )
    if not is_close(got, measured, tolerance=1e-5):
        raise Incorrect(
            f"backward() through your {name} gives v a gradient that differs from the slope "
            f"measured by nudging v: check the local gradient.",
            Case(f"d {name}(v)/dv at v = {x:g}", f"{fmt(measured)} (measured by nudging v)",
                 f"{fmt(got)} (from backward())"),
        )


# ----------------------------------------------------------------------------------------------
# 04.1 A new operation: softplus, as one node with its own local gradient
# ----------------------------------------------------------------------------------------------

SOFTPLUS_INPUTS = [2.0, -1.5, 0.0, 0.5] + [round(random.Random(3).uniform(-3, 3), 4)
                                           for _ in range(4)]


def _softplus(x: float) -> float:
    """The reference value ln(1 + e^x) (the inputs are small: e^x cannot overflow)."""
    return math.log1p(math.exp(x))


def _operations_between(out: object, v: Value) -> list[str]:
    """The names of the operations in out's graph above v, from v outwards, each once."""
    order = graph_order(out, leave_out=[v])
    names = [getattr(node, "op", "") or "?" for node in order if getattr(node, "children", ())]
    return list(dict.fromkeys(names))


def _describe_children(children: tuple, v: Value) -> str:
    shown = ["v" if child is v
             else f"a `{getattr(child, 'op', '')}` node" if getattr(child, "children", ())
             else f"a constant Value({fmt(getattr(child, 'data', child))})"
             for child in children]
    return "(" + ", ".join(shown) + ("," if len(shown) == 1 else "") + ")"


def _expect_one_node(out: object, v: Value, name: str, shown: str) -> None:
    """Incorrect unless out is a single node whose only child is v."""
    children = tuple(out.children)
    if len(children) == 1 and children[0] is v:
        return
    if not children:
        raise Incorrect(
            "The result does not record v as its child, so no gradient can reach v: "
            "pass `children=(v,)` and one local gradient, `local_grads=(...,)`.",
            Case(f"{shown}.children", "(v,)", "()"),
        )
    operations = _operations_between(out, v)
    if len(operations) > 1 or any(child is not v and getattr(child, "children", ())
                                  for child in children):
        raise Incorrect(
            f"Your {name} is built from the graph's own operations ({', '.join(operations)}), "
            f"so backward() would chain their local gradients, not one of yours. The exercise "
            f"asks for {name} as ONE node, `Value(..., children=(v,), local_grads=(...,))`, "
            f"whose local gradient you work out.",
            Case(f"{shown}.children", "(v,): one node whose only child is v",
                 _describe_children(children, v)),
        )
    raise Incorrect(
        f"Your {name} should be one node whose only child is v: `children=(v,)`, with one "
        f"local gradient in `local_grads`.",
        Case(f"{shown}.children", "(v,)", _describe_children(children, v)),
    )


def _test_softplus(answer: object) -> str:
    expect_function(answer, "softplus")
    for x in SOFTPLUS_INPUTS:
        shown = f"softplus(Value({x:g}))"
        v = Value(x)
        out = call_student(answer, v, shown=shown)
        expect_value_node(out, shown)
        expected = _softplus(x)
        if not is_close(out.data, expected, tolerance=1e-9):
            raise Incorrect(f"`{shown}.data` should be ln(1 + e^{x:g}).",
                            Case(f"{shown}.data", fmt(expected), fmt(out.data)))
        _expect_one_node(out, v, "softplus", shown)
        _check_slope(answer, "softplus", out, v, x, shown)
    return (
        f"Right: on {len(SOFTPLUS_INPUTS)} inputs between −3 and 3, softplus is one node whose "
        f"only child is v, its value is ln(1 + e^v), and the gradient backward() sends to v "
        f"matches the slope measured by nudging v. That slope, e^v / (1 + e^v), is the sigmoid "
        f"of v: exercise 04.2."
    )


q1 = Exercise(
    "04.1",
    "a new operation: softplus",
    "softplus",
    _test_softplus,
    hints=[
        "`softplus(v)` is one operation with one child, `v`: compute the number ln(1 + e^x) "
        "from x = v.data with `math.exp` and `math.log`, then return "
        "`Value(that number, children=(v,), local_grads=(...,), op=\"softplus\")`.",
        "The local gradient is the derivative of ln(1 + e^a) with respect to a. By the chain "
        "rule it is the derivative of ln u at u = 1 + e^a (that is 1/u, as for `log`) times "
        "the derivative of 1 + e^a (that is e^a, as for `exp`).",
        "d ln(1 + e^a)/da = e^a / (1 + e^a), so with `e = math.exp(v.data)`: "
        "`local_grads=(e / (1 + e),)`.",
    ],
    solution='''
        def softplus(v):
            """ln(1 + e^v) as one node of the graph: one child, v, and one local gradient."""
            e = math.exp(v.data)
            # d ln(1 + e^a)/da = 1/(1 + e^a) * e^a: log's local gradient times exp's
            return Value(math.log(1 + e), children=(v,), local_grads=(e / (1 + e),), op="softplus")
    ''',
)


# ----------------------------------------------------------------------------------------------
# 04.2 sigmoid, for every input: no overflow at large negative v
# ----------------------------------------------------------------------------------------------

# Beyond about 709, e^x is too large for a float: -1000 is where 1 / (1 + e^-x) breaks.
SIGMOID_INPUTS = [0.0, 1.5, -2.0, 0.25, 8.0, -30.0, 40.0, -1000.0, 1000.0]


def _sigmoid(x: float) -> float:
    """The reference value, computed in a way that never overflows."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    return math.exp(x) / (1.0 + math.exp(x))


def _test_sigmoid(answer: object) -> str:
    expect_function(answer, "sigmoid")
    for x in SIGMOID_INPUTS:
        shown = f"sigmoid(Value({x:g}))"
        v = Value(x)
        out = _call_sigmoid(answer, v, shown)
        expect_value_node(out, shown)
        expected = _sigmoid(x)
        if not is_close(out.data, expected, tolerance=1e-9):
            raise Incorrect(f"`{shown}.data` should be 1 / (1 + e^-({x:g})).",
                            Case(f"{shown}.data", fmt(expected), fmt(out.data)))
        _check_slope(answer, "sigmoid", out, v, x, shown)
    return (
        f"Right: on {len(SIGMOID_INPUTS)} inputs from −1000 to 1000, sigmoid's value is right "
        f"and the gradient backward() sends to v matches the slope measured by nudging v, "
        f"with no overflow at v = −1000."
    )


def _call_sigmoid(sigmoid: Callable, v: Value, shown: str) -> object:
    try:
        return call_without_shortcuts(sigmoid, v, shown=shown,
                                      shortcuts={"Value.sigmoid": Value.sigmoid},
                                      task="The exercise asks you to write sigmoid yourself, "
                                           "from exp and arithmetic.")
    except StudentError as failure:
        if isinstance(failure.error, OverflowError):
            raise Incorrect(
                f"`{shown}` raised OverflowError: {failure.error}. math.exp overflows above "
                f"about 709, and e^-v is e^1000 here. For negative v, write the same number as "
                f"e^v / (1 + e^v): then exp only ever sees a number ≤ 0.",
                failure.case,
            ) from None
        raise


q2 = Exercise(
    "04.2",
    "sigmoid without overflow",
    "sigmoid",
    _test_sigmoid,
    hints=[
        "One node, as in `tanh`: compute s = σ(v.data) as a float, then return "
        "`Value(s, children=(v,), local_grads=(...,), op=\"sigmoid\")`. Its local gradient "
        "is s·(1 − s).",
        "1 / (1 + e^-x) overflows for x = −1000: e^1000 is too large for a float. Multiply "
        "top and bottom by e^x and the same number reads e^x / (1 + e^x), which is safe for "
        "negative x.",
        "Use 1 / (1 + e^-x) for x ≥ 0 and e^x / (1 + e^x) for x < 0: either way exp sees "
        "−|x| ≤ 0, so `e = math.exp(-abs(x))` serves both.",
    ],
    solution='''
        def sigmoid(v):
            """1 / (1 + e^-v) as one node of the graph, for any v however large or negative."""
            x = v.data
            e = math.exp(-abs(x))  # e^-|x| lies between 0 and 1: it never overflows
            s = 1.0 / (1.0 + e) if x >= 0 else e / (1.0 + e)  # e/(1+e) = 1/(1+e^-x) for x < 0
            # d(sigmoid)/da = sigmoid * (1 - sigmoid)
            return Value(s, children=(v,), local_grads=(s * (1.0 - s),), op="sigmoid")
    ''',
)
