"""Check backward() against central finite differences: the tests' one way of measuring a slope.

The slope of f at a point can be measured without any calculus: nudge the input up and down
by a small h and see how much f changes, (f(x + h) - f(x - h)) / (2h). If backpropagation is
right, it agrees with that measurement for every input.
"""

import math
from collections.abc import Callable, Sequence

import pytest

from course.engine import Value


def central_difference(f: Callable[[float], float], x: float, h: float = 1e-6) -> float:
    """The slope of the plain function ``f`` at ``x``, measured by central differences."""
    return (f(x + h) - f(x - h)) / (2 * h)


def value_slope(f: Callable[[Value], Value], x: float, h: float = 1e-6) -> float:
    """The slope of ``f`` (Value -> Value) at ``x``, measured on fresh leaves, without backward."""
    return central_difference(lambda t: f(Value(t)).data, x, h)


def numerical_grad(f: Callable[[], Value], values: Sequence[Value], h: float = 1e-6) -> list[float]:
    """d f / d v for each v in ``values``, by central differences on ``v.data``.

    ``f`` takes no arguments and rebuilds its result from the current ``.data`` of the values
    each time it is called. Each value is put back exactly as it was.
    """
    slopes = []
    for v in values:
        original = v.data

        def f_of(t: float, v: Value = v) -> float:
            v.data = t
            return f().data

        slopes.append(central_difference(f_of, original, h))
        v.data = original
    return slopes


def log_slope(f: Callable[[], Value], v: Value, h: float = 1e-5) -> float:
    """d ln|f| / d ln|v|: how many percent f moves when v moves by one percent.

    Measured by central differences in log space (v scaled by e**t), so it works the same for
    numbers near 1e-250 and near 1e250, where a fixed step h would be lost or far too large.
    """
    original = v.data

    def log_f(t: float) -> float:
        v.data = original * math.exp(t)
        return math.log(abs(f().data))

    slope = central_difference(log_f, 0.0, h)
    v.data = original
    return slope


def assert_grads_match(
    f: Callable[[], Value], values: Sequence[Value], rel: float = 1e-5, abs_: float = 1e-5
) -> None:
    """Assert that backward() gives every value the gradient that finite differences measure."""
    for v in values:
        v.grad = 0.0
    f().backward()
    analytic = [v.grad for v in values]
    numeric = numerical_grad(f, values)
    for i, (a, n) in enumerate(zip(analytic, numeric)):
        assert a == pytest.approx(n, rel=rel, abs=abs_), f"value {i}: backward {a}, numeric {n}"
