"""Exercises of notebook 04, more operations: a new operation (cube), and a sigmoid that never
overflows. Each is checked by comparing the gradient backward() gives with a measured slope."""

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
    is_close,
)


def _check_slope(operation: Callable, name: str, out: object, v: Value, x: float,
                 shown: str) -> None:
    """The grad backpropagation gives v must equal the slope of the operation's own forward pass.

    Measuring the student's own function (not a formula) lets any correct graph pass: one node
    with its local gradient, or the same function built from smaller operations.
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
# 04.1 A new operation: cube
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
        _check_slope(answer, "cube", out, v, x, shown)
    return (
        f"Right: on {len(CUBE_INPUTS)} inputs between −3 and 3, cube's value is v³ and the "
        f"gradient backward() sends to v matches the slope measured by nudging v."
    )


q1 = Exercise(
    "04.1",
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
        return call_student(sigmoid, v, shown=shown)
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
