"""Check backward() against central finite differences.

The slope of f at a point can be measured without any calculus: nudge one input up and down
by a small h and see how much f changes, (f(x + h) - f(x - h)) / (2h). If backpropagation is
right, it agrees with that measurement for every input.
"""

from collections.abc import Callable, Sequence

import pytest

from course.engine import Value


def numerical_grad(f: Callable[[], Value], values: Sequence[Value], h: float = 1e-6) -> list[float]:
    """d f / d v for each v in ``values``, by central differences on ``v.data``.

    ``f`` takes no arguments and rebuilds its result from the current ``.data`` of the values
    each time it is called. Each value is put back exactly as it was.
    """
    slopes = []
    for v in values:
        original = v.data
        v.data = original + h
        up = f().data
        v.data = original - h
        down = f().data
        v.data = original
        slopes.append((up - down) / (2 * h))
    return slopes


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
