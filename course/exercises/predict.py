"""Predict, then run: write a guess in one cell, and the next cell shows it beside the answer.

At a key cell a notebook asks you to predict what it will compute (a gradient before
``backward()``, the loss after one step, what a learning rate does). You write your guess in a
small cell of its own::

    guess = ...  # your guess

and the next cell computes the real value and calls :func:`reveal`::

    reveal(guess, a.grad, what="a.grad")

which shows ``Your guess: -5 · Actual: -6 · off by 1 (the actual value is smaller)``, or
``close`` when the guess is within ``tolerance``. It never stops the notebook: a guess left as
``...`` (or ``None``) shows the answer, and a guess of the wrong kind says what to write instead.

What can be predicted: a number, a list of numbers (a layer's outputs), or a word (``"dev"``,
``True``), compared exactly (words ignore case and surrounding spaces).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

from course.exercises.verdicts import Note, show
from course.show import palette

# (symbol, colour, background), as the verdicts of the exercises use them
CLOSE_STYLE = ("✓", palette.GREEN, palette.PALE_GREEN)
OFF_STYLE = ("≠", palette.DARK_YELLOW, palette.PALE_YELLOW)
NO_GUESS_STYLE = ("○", palette.BLUE, palette.PALE_BLUE)

RELATIVE_TOLERANCE = 0.05  # a guess within 5 % of the answer is close ...
ABSOLUTE_TOLERANCE = 0.01  # ... and so is one within 0.01 of an answer near 0


def reveal(
    guess: object, actual: object, what: str = "the answer", tolerance: float | None = None
) -> None:
    """Show your guess beside the actual value, and how close it was.

    ``tolerance`` is how far a number may be from the answer and still count as close; by
    default 5 % of the answer (at least 0.01). Nothing you write as a guess raises an error.
    """
    show(compare(guess, actual, what, tolerance))


def compare(
    guess: object, actual: object, what: str = "the answer", tolerance: float | None = None
) -> Note:
    """The box :func:`reveal` shows: ✓ close, ≠ off by ..., or ○ no guess written."""
    if not isinstance(what, str):
        raise TypeError(f"what= names the predicted value as text, e.g. 'a.grad'; got {what!r}")
    kind = _kind_of(actual)
    _check_tolerance(tolerance)
    answer = _shown(actual)
    if guess is ... or guess is None:
        return Note(what, f"No guess written: the answer is {answer}.", NO_GUESS_STYLE)
    start = f"Your guess: {_shown(guess)} · Actual: {answer} · "
    problem = _kind_problem(guess, actual, kind)
    if problem:
        return Note(what, start + problem, OFF_STYLE)
    if kind == "word":
        if _word(guess) == _word(actual):
            return Note(what, start + "right", CLOSE_STYLE)
        return Note(what, start + "not this time", OFF_STYLE)
    guesses, answers = (guess, actual) if kind == "numbers" else ([guess], [actual])
    gaps = [_gap(g, a) for g, a in zip(guesses, answers)]
    allowed = [_allowed(a, tolerance) for a in answers]
    if all(gap == 0 for gap in gaps):
        return Note(what, start + "exactly right", CLOSE_STYLE)
    if all(gap <= limit for gap, limit in zip(gaps, allowed)):
        return Note(what, start + f"close (off by {_number(max(gaps))})", CLOSE_STYLE)
    if kind == "numbers":
        worst = max(range(len(gaps)), key=lambda i: gaps[i])
        return Note(what, start + f"off by up to {_number(gaps[worst])} "
                    f"(at position {worst})", OFF_STYLE)
    side = "larger" if actual > guess else "smaller"
    return Note(what, start + f"off by {_number(gaps[0])} (the actual value is {side})",
                OFF_STYLE)


# ----------------------------------------------------------------------------------------------
# Kinds of answers, and guesses of the wrong kind
# ----------------------------------------------------------------------------------------------


def _is_number(x: object) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _is_numbers(x: object) -> bool:
    return (isinstance(x, Sequence) and not isinstance(x, str)
            and all(_is_number(item) for item in x))


def _kind_of(actual: object) -> str:
    """"number", "numbers" or "word": what the notebook asks to predict."""
    if _is_number(actual):
        return "number"
    if _is_numbers(actual):
        return "numbers"
    if isinstance(actual, (str, bool)):
        return "word"
    raise TypeError(
        f"reveal() compares a guess with a number, a list of numbers, a string or a bool; the "
        f"actual value is {_a(actual)}: pass its number (e.g. a.grad, not a)"
    )


def _check_tolerance(tolerance: object) -> None:
    if tolerance is None:
        return
    if not _is_number(tolerance):
        raise TypeError(f"tolerance= is a number, e.g. 0.1; got {tolerance!r}")
    if not tolerance >= 0:
        raise ValueError(f"tolerance= must be 0 or more; got {tolerance!r}")


def _a(value: object) -> str:
    """'a float', 'an int': the type of a value, as a sentence names it."""
    name = type(value).__name__
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


def _kind_problem(guess: object, actual: object, kind: str) -> str:
    """What to write instead, when the guess cannot be compared with the answer ("" if it can)."""
    if kind == "number" and not _is_number(guess):
        return (f"not compared: your guess is {_a(guess)}; "
                f"write a number, e.g. `guess = 0.5`")
    if kind == "numbers":
        if not _is_numbers(guess):
            return (f"not compared: your guess is {_a(guess)}; write a list of "
                    f"{len(actual)} numbers, e.g. `guess = [{', '.join(['0.5'] * len(actual))}]`")
        if len(guess) != len(actual):
            return (f"not compared: your guess has {len(guess)} numbers, the answer has "
                    f"{len(actual)}")
    if kind == "word" and type(guess) is not type(actual):
        example = "True" if isinstance(actual, bool) else '"…"'
        return (f"not compared: your guess is {_a(guess)}; write "
                f"{_a(actual)}, e.g. `guess = {example}`")
    return ""


# ----------------------------------------------------------------------------------------------
# Comparing and showing numbers
# ----------------------------------------------------------------------------------------------


def _gap(guess: float, actual: float) -> float:
    if guess == actual:  # also two equal infinities
        return 0.0
    try:
        gap = abs(float(guess) - float(actual))
    except OverflowError:  # an integer too large for a float
        return math.inf
    return gap if not math.isnan(gap) else math.inf


def _allowed(actual: float, tolerance: float | None) -> float:
    if tolerance is not None:
        return float(tolerance)
    return max(ABSOLUTE_TOLERANCE, RELATIVE_TOLERANCE * abs(_gap(actual, 0)))


def _number(x: float) -> str:
    try:
        return f"{float(x):.4g}"
    except OverflowError:  # an integer too large for a float
        return "a huge integer"


def _word(x: str | bool) -> str | bool:
    return x.strip().lower() if isinstance(x, str) else x


def _shown(x: object) -> str:
    """A value as the reveal line shows it: numbers with 4 significant digits."""
    if _is_number(x):
        return _number(x)
    if _is_numbers(x) and len(x) <= 20:
        return "[" + ", ".join(_number(item) for item in x) + "]"
    text = repr(x)
    return text if len(text) <= 60 else text[:57] + "…"
