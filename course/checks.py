"""Argument checks for the whole course, with one rule and one way of saying it.

* A wrong **type** (a string where a number belongs, a method where a list belongs) raises a
  ``TypeError``; the right type with a wrong **value** (a negative learning rate, 0 neurons)
  raises a ``ValueError``.
* Every message names the argument, shows what was given and says what to give instead.

Each check returns the value in the form the caller keeps (an ``int``, a ``float``, a list),
so a caller writes ``self.lr = positive(lr, "lr")`` and is done.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence

import numpy as np

from course.engine import Value

# Sizes past which a pure-Python scalar engine stops being a teaching tool. Each parameter and
# each data point is its own Python object, and one training step builds several graph nodes
# per parameter per example: a million of either already takes minutes per step and gigabytes
# of memory.
MAX_PARAMETERS = 1_000_000
MAX_POINTS = 1_000_000
SIZE_REASON = (
    "the course's engine works one number at a time in Python: more would take minutes per "
    "step and gigabytes of memory"
)


# ----------------------------------------------------------------------------------------------
# Describing what was given
# ----------------------------------------------------------------------------------------------


def describe(value: object) -> str:
    """``float 0.5``, ``str '10'``, ``float64 1.0``: the type, then a short repr."""
    shown = repr(value.item() if isinstance(value, np.generic) else value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return f"{type(value).__name__} {shown}"


def _number_hint(value: object, name: str) -> str:
    """What to write instead, for the usual ways of passing a number wrongly."""
    key = name.split()[0]  # "n (the number of points)" -> "n"
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return ""
        return f": write the number without quotes, {key}={value.strip()}"
    if isinstance(value, Value):
        return f": use its number, {key}=v.data"
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return ": a bool is not a number here"
    if hasattr(value, "__len__"):
        return ": give a single number"
    return ""


# ----------------------------------------------------------------------------------------------
# Numbers
# ----------------------------------------------------------------------------------------------


def whole_number(
    value: object,
    name: str,
    *,
    low: int | None = None,
    high: int | None = None,
    high_reason: str = "",
) -> int:
    """``value`` as an int if it is a whole number in [low, high] (either bound optional).

    A float such as 10.0 is refused (TypeError) rather than rounded: a count that arrives as
    a float usually comes from a division that was meant to be ``//``.
    """
    wanted = "a whole number"
    if low is not None and high is not None:
        wanted += f" from {low:,} to {high:,}"
    elif low is not None:
        wanted += f" >= {low:,}"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        hint = _number_hint(value, name)
        if isinstance(value, float) and value.is_integer():
            hint = f": write {int(value)} (an int), or compute it with // instead of /"
        raise TypeError(f"{name} must be {wanted}, got {describe(value)}{hint}")
    value = int(value)
    if high is not None and value > high:
        reason = f" ({high_reason})" if high_reason else ""
        raise ValueError(f"{name} must be at most {high:,}{reason}; got {value:,}")
    if low is not None and value < low:
        raise ValueError(f"{name} must be {wanted}, got {value:,}")
    return value


def real_number(
    value: object,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """``value`` as a float if it is a finite real number within the bounds.

    ``low_open``/``high_open`` exclude the bound itself (``low=0, low_open=True``: > 0).
    nan and inf are always refused: no setting of the course means "infinitely much".
    """
    wanted = _range_text(low, high, low_open, high_open)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        hint = _number_hint(value, name)
        raise TypeError(f"{name} must be {wanted}, got {describe(value)}{hint}")
    number = float(value)
    too_low = low is not None and (number <= low if low_open else number < low)
    too_high = high is not None and (number >= high if high_open else number > high)
    if not math.isfinite(number) or too_low or too_high:
        raise ValueError(f"{name} must be {wanted}, got {value!r}")
    return number


def _range_text(low: float | None, high: float | None, low_open: bool, high_open: bool) -> str:
    if low is not None and high is not None:
        left, right = "(" if low_open else "[", ")" if high_open else "]"
        return f"a number in {left}{low:g}, {high:g}{right}"
    if low is not None:
        if low == 0:
            return "a positive, finite number" if low_open else "a finite number >= 0"
        return f"a finite number {'>' if low_open else '>='} {low:g}"
    if high is not None:
        return f"a finite number {'<' if high_open else '<='} {high:g}"
    return "a finite number"


def positive(value: object, name: str) -> float:
    """A finite number > 0: a learning rate, an epsilon, a decay factor."""
    return real_number(value, name, low=0, low_open=True)


def non_negative(value: object, name: str) -> float:
    """A finite number >= 0: a noise level, a weight decay, an L2 strength."""
    return real_number(value, name, low=0)


def fraction(value: object, name: str, *, include_one: bool = False) -> float:
    """A number in [0, 1), or [0, 1] with ``include_one``: a probability, a momentum."""
    return real_number(value, name, low=0, high=1, high_open=not include_one)


def one_of(value: object, name: str, choices: Sequence[str]) -> str:
    """``value`` if it is one of the names in ``choices``; otherwise list them."""
    if isinstance(value, str) and value in choices:
        return value
    valid = ", ".join(repr(c) for c in choices)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a name, one of {valid}; got {describe(value)}")
    near = [c for c in choices if c.lower() == value.strip().lower()]
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    raise ValueError(f"unknown {name} {value!r}{hint}; choose one of {valid}")


# ----------------------------------------------------------------------------------------------
# Parameters: the list of Values an optimizer, a penalty or a drawing works on
# ----------------------------------------------------------------------------------------------


def parameters(params: object, name: str = "params") -> list[Value]:
    """``params`` as a non-empty list of Values, read once (a generator works too).

    The commonest slip is handing over the model, or its ``parameters`` method without the
    brackets; both get a message that says to call ``model.parameters()``.
    """
    if getattr(params, "__name__", None) == "parameters" and callable(params):
        raise TypeError(
            f"{name} got the method `parameters` itself, not the list it returns: call it, "
            "with brackets: model.parameters()"
        )
    if callable(getattr(params, "parameters", None)):
        raise TypeError(
            f"{name} takes the list of parameters, not the {type(params).__name__} itself: "
            "pass model.parameters()"
        )
    if isinstance(params, Value):
        raise TypeError(f"{name} takes a list of Values; for a single Value write [v]")
    if not isinstance(params, Iterable) or isinstance(params, str):
        raise TypeError(
            f"{name} takes a list of Values such as model.parameters(), got {describe(params)}"
        )
    params = list(params)
    if not params:
        raise ValueError(f"{name} got no parameters (an empty list): pass model.parameters()")
    for i, p in enumerate(params):
        if not isinstance(p, Value):
            raise TypeError(
                f"{name} must hold Values (they carry the gradients); item {i} is "
                f"{describe(p)}: pass model.parameters()"
            )
    return params


# ----------------------------------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------------------------------


def row_list(rows: Sequence[int], limit: int = 5) -> str:
    """``rows 3, 17 and 40`` (at most ``limit`` numbers, then "... (12 in all)")."""
    shown = [str(int(r)) for r in rows[:limit]]
    more = f", ... ({len(rows)} in all)" if len(rows) > limit else ""
    if len(shown) == 1:
        return f"row {shown[0]}"
    if more:
        return f"rows {', '.join(shown)}{more}"
    return f"rows {', '.join(shown[:-1])} and {shown[-1]}"


def examples(X: object, name: str) -> np.ndarray:
    """X as a 2-D float array, one row per example, with every entry a finite number."""
    try:
        X = np.asarray(X, dtype=np.float64)
    except TypeError as error:
        raise TypeError(f"{name} must hold plain numbers, one row per example: {error}") from None
    except ValueError:
        raise ValueError(f"{name} must be a table of numbers whose rows all have the same "
                         "length, one row per example") from None
    if X.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array, one row per example, got shape "
                         f"{X.shape}; for a single example x use [x]")
    return finite_rows(X, name)


def labels(y: object, name: str) -> np.ndarray:
    """y as a 1-D NumPy array of finite numbers, one label per example."""
    y = np.asarray(y)
    if y.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a list or 1-D array of numbers (class labels), got "
                        f"{describe(y.tolist())}")
    if y.ndim != 1:
        raise ValueError(f"{name} must be 1-D, one label per example, got shape {y.shape}; "
                         "for a column of labels use y.ravel()")
    return finite_rows(y, name)


def finite_rows(X: np.ndarray, name: str) -> np.ndarray:
    """``X`` unchanged if every entry is a finite number; else name the rows with nan or inf."""
    bad = ~np.isfinite(X)
    if bad.ndim > 1:
        bad = bad.any(axis=tuple(range(1, bad.ndim)))
    if bad.any():
        rows = np.flatnonzero(bad)
        keep = f"np.isfinite({name})" + (".all(axis=1)" if X.ndim > 1 else "")
        raise ValueError(
            f"{name} has nan or inf in {row_list(rows)} (counting from 0): fix or drop those "
            f"rows first, e.g. keep = {keep}"
        )
    return X
