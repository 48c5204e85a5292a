"""Exercises of notebook 02: partial derivatives, the chain rule, and slopes measured by nudging."""

from __future__ import annotations

import math
from collections.abc import Callable

from course.exercises.checking import (
    Case,
    Exercise,
    Incorrect,
    call_student,
    expect_function,
    expect_number,
    expect_numbers,
    fmt,
    is_close,
)

# ----------------------------------------------------------------------------------------------
# 02.1 The partial derivatives of a product of three numbers
# ----------------------------------------------------------------------------------------------

A, B, C = 2.0, -3.0, 4.0
PRODUCT_GRADIENT = {"dm/da": B * C, "dm/db": A * C, "dm/dc": A * B}


def _test_product_gradient(answer: object) -> str:
    got = expect_numbers(answer, "gradient_m", 3)
    for (name, expected), value in zip(PRODUCT_GRADIENT.items(), got):
        if not is_close(value, expected):
            raise Incorrect(
                f"{name} is not {fmt(value)}. Keep the other two inputs fixed: then m is a "
                f"constant times this input, and its slope is that constant.",
                Case(f"{name} at a = 2, b = -3, c = 4", fmt(expected), fmt(value)),
            )
    return (
        "Right: (b·c, a·c, a·b) = (−12, 8, −6). The slope with respect to one factor is the "
        "product of the others."
    )


q1 = Exercise(
    "02.1",
    "the partial derivatives of m = a·b·c",
    "gradient_m",
    _test_product_gradient,
    hints=[
        "Nudge one input and keep the other two where they are. With b and c fixed, "
        "m = (b·c)·a is a constant times a.",
        "The slope of (constant × a) with respect to a is the constant: ∂m/∂a = b·c.",
        "The same reasoning gives ∂m/∂b = a·c and ∂m/∂c = a·b. You can check each one with "
        "`numerical_derivative`, as in section 4.",
    ],
    solution="""
        a, b, c = 2.0, -3.0, 4.0
        gradient_m = (b * c, a * c, a * b)  # each slope is the product of the other two inputs
    """,
)


# ----------------------------------------------------------------------------------------------
# 02.2 The chain rule through a square root
# ----------------------------------------------------------------------------------------------

DQ_DA = 2 * 3.0 * (1 / (2 * math.sqrt(3.0**2 + 4.0**2)))  # dp/da x dq/dp = 6 x 0.1 = 0.6
CHAIN_MISTAKES = {
    6.0: "6 is ∂p/∂a, the local gradient of the first box only: multiply it by the upstream "
    "gradient ∂q/∂p.",
    0.1: "0.1 is ∂q/∂p, the local gradient of the square root: multiply it by ∂p/∂a.",
    0.8: "0.8 is ∂q/∂b: the local gradient of p = a² + b² with respect to a is 2a, not 2b.",
    5.0: "5 is q itself, not its slope.",
}


def _test_chain_rule(answer: object) -> str:
    value = expect_number(answer, "dq_da")
    if is_close(value, DQ_DA):
        return (
            "Right: ∂q/∂a = ∂p/∂a × ∂q/∂p = 2a × 1/(2√p) = 6 × 0.1 = 0.6 "
            "(local gradient × upstream gradient)."
        )
    explanation = next(
        (text for wrong, text in CHAIN_MISTAKES.items() if is_close(value, wrong)),
        "Work backwards: first ∂q/∂p for the square root, then multiply by ∂p/∂a.",
    )
    raise Incorrect(explanation, Case("∂q/∂a at a = 3, b = 4", fmt(DQ_DA), fmt(value)))


q2 = Exercise(
    "02.2",
    "the chain rule through a square root",
    "dq_da",
    _test_chain_rule,
    hints=[
        "Two boxes: p = a² + b², then q = √p. Start at the end of the chain.",
        "The square root's local gradient is ∂q/∂p = 1/(2√p), which is 1/(2·5) here. The first "
        "box's local gradient is ∂p/∂a = 2a.",
        "Multiply the two: ∂q/∂a = ∂p/∂a × ∂q/∂p.",
    ],
    solution="""
        a, b = 3.0, 4.0
        p = a**2 + b**2
        dq_dp = 1 / (2 * math.sqrt(p))  # local gradient of q = sqrt(p): the upstream gradient for p
        dp_da = 2 * a  # local gradient of p = a**2 + b**2 with respect to a
        dq_da = dp_da * dq_dp  # local gradient x upstream gradient = 0.6
    """,
)


# ----------------------------------------------------------------------------------------------
# 02.3 Every partial derivative of any function, measured by nudging
# ----------------------------------------------------------------------------------------------


def _running_product(a: float, b: float, c: float) -> float:
    return a * b + c


def _section_5_loss(w: float, b: float) -> float:
    return (3.0 - (1.5 * w + b)) ** 2


def _mixed(x: float, y: float, z: float) -> float:
    return math.exp(x) * y - z**3


# (how the function is shown, the function, the point, its exact gradient there)
GRADIENT_CASES: list[tuple[str, Callable[..., float], tuple[float, ...], list[float]]] = [
    ("a*b + c", _running_product, (2.0, -3.0, 10.0), [-3.0, 2.0, 1.0]),
    ("(3 - (1.5*w + b))**2", _section_5_loss, (0.8, 0.3), [-4.5, -3.0]),
    ("sin(x)", math.sin, (1.0,), [math.cos(1.0)]),
    ("exp(x)*y - z**3", _mixed, (0.5, 2.0, -1.0), [2 * math.exp(0.5), math.exp(0.5), -3.0]),
]


def _test_partial_derivatives(answer: object) -> str:
    expect_function(answer, "partial_derivatives")
    for shown, function, point, exact in GRADIENT_CASES:
        call = f"partial_derivatives({shown}, {point})"
        got = expect_numbers(call_student(answer, function, point, shown=call), call, len(point))
        for i, (value, expected) in enumerate(zip(got, exact)):
            if not is_close(value, expected, tolerance=1e-5):
                raise Incorrect(
                    f"The slope with respect to input {i} is off. Nudge only that input, by +h "
                    f"and by −h, and divide the change of the function by 2h.",
                    Case(call, f"[{', '.join(fmt(e) for e in exact)}]",
                         f"[{', '.join(fmt(g) for g in got)}]"),
                )
    return (
        "Right: your slopes match the exact gradients of all four test functions, to 5 digits "
        "or better."
    )


q3 = Exercise(
    "02.3",
    "every partial derivative, measured by nudging",
    "partial_derivatives",
    _test_partial_derivatives,
    hints=[
        "One input at a time. For input i, make two copies of the point: one with h added to "
        "input i, one with h subtracted.",
        "`up = list(point)` makes a copy you can change: `up[i] += h`. Then `fn(*up)` calls fn "
        "with the numbers of the list as its arguments.",
        "The slope for input i is (fn(*up) − fn(*down)) / (2·h). Collect one slope per input in a "
        "list and return it.",
    ],
    solution='''
        def partial_derivatives(fn, point, h=1e-6):
            """The slope of fn with respect to each input at point, by central differences."""
            slopes = []
            for i in range(len(point)):
                up, down = list(point), list(point)
                up[i] += h
                down[i] -= h
                slopes.append((fn(*up) - fn(*down)) / (2 * h))
            return slopes
    ''',
)
