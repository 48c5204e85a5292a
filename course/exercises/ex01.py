"""Exercises of notebook 01, one weight learned by hand: what the learning rate does.

The model predicts ``w * x``, the loss is ``(w*x - y)**2`` and every step of gradient descent
multiplies the error by the same factor, ``1 - 2*x**2*lr`` (``1 - 8*lr`` for x = 2).
"""

from __future__ import annotations

from course.exercises.checking import Case, Exercise, Incorrect, expect_number, fmt
from course.single_weight import classify_descent, single_weight_descent

LR_TOLERANCE = 0.002  # answers read off a table or a slider are accepted this close


def run_regime(lr: float, x: float, y: float, steps: int = 10) -> str:
    """What ten steps from w = 1 do at this learning rate: "crawls", "diverges", ..."""
    ws = single_weight_descent(lr, steps, x=x, y=y)
    return classify_descent([w * x - y for w in ws])


def expect_learning_rate(answer: object, name: str) -> float:
    lr = expect_number(answer, name)
    if lr <= 0:
        raise Incorrect(f"`{name}` is {fmt(lr)}: a learning rate is a positive number.",
                        Case(name, "a positive number", fmt(lr)))
    return lr


def known_mistake(lr: float, mistakes: dict[float, str]) -> str:
    """The explanation of a common wrong answer, if ``lr`` is one of them."""
    for wrong, explanation in mistakes.items():
        if abs(lr - wrong) <= LR_TOLERANCE:
            return " " + explanation
    return ""


# ----------------------------------------------------------------------------------------------
# 01.1 Where the oscillation starts
# ----------------------------------------------------------------------------------------------


def _test_oscillation_start(answer: object) -> str:
    lr = expect_learning_rate(answer, "lr_oscillation_starts")
    if abs(lr - 1 / 8) <= LR_TOLERANCE:
        return (
            "Right: the factor 1 − 8·lr is 0 at lr = 1/8 = 0.125. Above that it is negative, "
            "so every step jumps over w = 3 to the other side."
        )
    if lr > 1 / 8:
        advice = "At this learning rate the run already oscillates: the start is lower."
    else:
        advice = "At this learning rate the error keeps its sign: the start is higher."
    advice += known_mistake(lr, {
        0.25: "0.25 is where the oscillation stops shrinking (the factor is −1).",
    })
    raise Incorrect(
        f"`lr_oscillation_starts = {fmt(lr)}`. {advice}",
        Case(f"10 steps from w = 1 with lr = {fmt(lr)}",
             "the smallest lr whose run jumps over w = 3",
             f"factor 1 − 8·lr = {fmt(1 - 8 * lr)}: the run {run_regime(lr, 2.0, 6.0)}"),
    )


q1 = Exercise(
    "01.1",
    "where the oscillation starts",
    "lr_oscillation_starts",
    _test_oscillation_start,
    hints=[
        "Oscillating means that the error w − 3 changes sign from one step to the next.",
        "Every step multiplies the error by 1 − 8·lr. A number multiplied by a negative factor "
        "changes sign.",
        "Find the learning rate where 1 − 8·lr stops being positive: solve 1 − 8·lr = 0.",
    ],
    solution="""
        # every step multiplies the error w - 3 by 1 - 8*lr, which turns negative above lr = 1/8
        lr_oscillation_starts = 1 / 8
    """,
)


# ----------------------------------------------------------------------------------------------
# 01.2 One step, with another input
# ----------------------------------------------------------------------------------------------


def _test_one_step(answer: object) -> str:
    lr = expect_learning_rate(answer, "lr_one_step_x3")
    w1 = single_weight_descent(lr, 1, x=3.0, y=6.0)[1]
    if abs(w1 - 2.0) <= 0.01:
        return (
            f"Right: with x = 3 the gradient is 18·(w − 2), so each step multiplies the error by "
            f"1 − 18·lr, which is 0 at lr = 1/18 ≈ 0.0556. One step from w = 1 lands on "
            f"w = {w1:.4f}."
        )
    advice = known_mistake(lr, {
        0.125: "0.125 lands in one step for x = 2. With x = 3 the gradient is steeper.",
    })
    raise Incorrect(
        f"One step with lr = {fmt(lr)} lands at w = {fmt(w1)}, not on w = 2.{advice}",
        Case(f"one step from w = 1 with lr = {fmt(lr)} (x = 3, y = 6)", "w = 2", f"w = {fmt(w1)}"),
    )


q2 = Exercise(
    "01.2",
    "one step to the answer, with x = 3",
    "lr_one_step_x3",
    _test_one_step,
    hints=[
        "Redo section 5 with x = 3 and y = 6: grad = 2·(w·x − y)·x = 2·(3w − 6)·3 = 18·(w − 2).",
        "Put it in the update: w_new − 2 = (1 − 18·lr)·(w − 2).",
        "One step lands exactly on w = 2 when the factor 1 − 18·lr is 0.",
    ],
    solution="""
        # grad = 2 * (w*x - y) * x = 18 * (w - 2): each step multiplies w - 2 by 1 - 18*lr
        lr_one_step_x3 = 1 / 18
    """,
)


# ----------------------------------------------------------------------------------------------
# 01.3 Where the run starts to diverge, with another input
# ----------------------------------------------------------------------------------------------


def _test_divergence(answer: object) -> str:
    lr = expect_learning_rate(answer, "lr_diverges_above_x3")
    if abs(lr - 1 / 9) <= LR_TOLERANCE:
        return (
            "Right: the factor 1 − 18·lr is −1 at lr = 2/18 = 1/9 ≈ 0.111. Above that, every "
            "jump lands farther from w = 2 than the one before."
        )
    side = "The run still converges here: the limit is higher." if lr < 1 / 9 else (
        "The run already diverges here: the limit is lower.")
    side += known_mistake(lr, {0.25: "0.25 is the limit for x = 2."})
    raise Incorrect(
        f"`lr_diverges_above_x3 = {fmt(lr)}`. {side}",
        Case(f"10 steps from w = 1 with lr = {fmt(lr)} (x = 3, y = 6)",
             "the largest lr that does not diverge",
             f"factor 1 − 18·lr = {fmt(1 - 18 * lr)}: the run {run_regime(lr, 3.0, 6.0)}"),
    )


q3 = Exercise(
    "01.3",
    "where the run diverges, with x = 3",
    "lr_diverges_above_x3",
    _test_divergence,
    hints=[
        "With x = 3 every step multiplies the error w − 2 by 1 − 18·lr (exercise 01.2).",
        "The error grows when that factor is below −1: each jump lands farther away.",
        "Solve 1 − 18·lr = −1.",
    ],
    solution="""
        # the factor 1 - 18*lr reaches -1 at lr = 2/18; below -1 every jump is longer than the last
        lr_diverges_above_x3 = 2 / 18
    """,
)
