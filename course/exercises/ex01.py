"""Exercises of notebook 01, one weight learned by hand: what the learning rate does.

The model predicts ``w * x``, the loss is ``(w*x - y)**2`` and every step of gradient descent
multiplies the error by the same factor, ``1 - 2*x**2*lr`` (``1 - 8*lr`` for x = 2).
"""

from __future__ import annotations

from course.exercises.checking import (
    Case,
    Exercise,
    Incorrect,
    call_student,
    expect_function,
    expect_number,
    fmt,
)
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
# 01.1 Does this run oscillate? For any input
# ----------------------------------------------------------------------------------------------

# (input x, learning rate as a multiple of the one where the factor 1 - 2*x**2*lr is 0);
# x = 2 first, so that an answer written for x = 2 only passes those and then fails.
OSCILLATION_CASES = [(x, ratio) for x in (2.0, 0.5, 1.0, 4.0, 10.0)
                     for ratio in (0.5, 0.9, 1.1, 1.5, 2.5)]


def first_errors(lr: float, x: float, steps: int = 3) -> str:
    """The errors w - w_best of the first steps from w = 1, with y = 3*x (best weight 3)."""
    return ", ".join(fmt(round(w - 3, 6) + 0.0) for w in single_weight_descent(
        lr, steps, x=x, y=3 * x))


def _oscillation_mistake(x: float, ratio: float) -> str:
    """What a common wrong answer got wrong, from the first case it fails."""
    if x != 2.0:  # the cases with x = 2 come first, so the answer passed them all
        return " It is right for x = 2: with another input the gradient, and the factor, change."
    if ratio in (1.1, 1.5):
        return (" The run converges here, but it jumps over the best weight at every step: "
                "that counts as oscillating.")
    return ""


def _test_oscillates(answer: object) -> str:
    expect_function(answer, "oscillates")
    for x, ratio in OSCILLATION_CASES:
        lr = ratio / (2 * x * x)
        shown = f"oscillates({fmt(lr)}, {fmt(x)})"
        got = call_student(answer, lr, x, shown=shown)
        if not isinstance(got, bool):
            raise Incorrect(f"`{shown}` returned {got!r}: it should return True or False.",
                            Case(shown, "True or False", repr(got)))
        expected = ratio > 1
        if got != expected:
            mistake = _oscillation_mistake(x, ratio)
            raise Incorrect(
                f"`{shown}` returned {got}, but from w = 1 the error w − 3 (with y = {fmt(3 * x)}) "
                f"goes {first_errors(lr, x)}: it "
                f"{'changes' if expected else 'keeps'} its sign at every step.{mistake}",
                Case(shown, str(expected), f"{got}; errors {first_errors(lr, x)}"),
            )
    return (
        "Right: with input x the gradient is 2·x²·(w − w_best), so each step multiplies the "
        "error by 1 − 2·x²·lr, whatever the target y. The run oscillates when that factor is "
        "negative: the larger the input, the smaller the learning rate where that starts."
    )


q1 = Exercise(
    "01.1",
    "does this run oscillate?",
    "oscillates",
    _test_oscillates,
    hints=[
        "Oscillating means that the error w − w_best changes sign at every step. Redo the "
        "algebra of section 5 with a letter x instead of 2, and y = x·w_best.",
        "grad = 2·(w·x − y)·x = 2·x²·(w − w_best), so w_new − w_best = (1 − 2·x²·lr)·(w − w_best).",
        "A number multiplied by a negative factor changes sign: return whether 1 − 2·x²·lr < 0.",
    ],
    solution="""
        def oscillates(lr, x):
            # every step multiplies the error w - w_best by this factor
            factor = 1 - 2 * x**2 * lr
            # a negative factor flips the sign of the error: w jumps over w_best
            return factor < 0
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
