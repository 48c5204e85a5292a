"""Exercises of notebook 07, the training loop: fix a broken loop, and gradients that pile up."""

from __future__ import annotations

import numbers

from course.exercises.checking import (
    Case,
    Exercise,
    Incorrect,
    call_student,
    expect_function,
    expect_number,
    fmt,
    is_close,
)
from course.losses import mse
from course.nn import MLP

# The four examples of notebook 07, and the run the checker asks for.
XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
YS = [1.0, -1.0, -1.0, 1.0]
STEPS = 40
LR = 0.2
GOOD_LOSS = 0.02  # a correct loop gets below 0.006 in 40 steps; both bugs stay far above this

# ----------------------------------------------------------------------------------------------
# 07.1 Fix the broken training loop
# ----------------------------------------------------------------------------------------------


def _loss_curve(returned: object, shown: str) -> list[float]:
    """The list of losses that train_loop returned, as floats (Values are accepted too)."""
    if not isinstance(returned, (list, tuple)) or len(returned) != STEPS:
        size = f"{len(returned)} items" if isinstance(returned, (list, tuple)) else repr(returned)
        raise Incorrect(
            f"train_loop should return the list of the {STEPS} losses, one per step "
            f"(`losses.append(loss.data)` inside the loop, `return losses` after it).",
            Case(shown, f"a list of {STEPS} numbers", size),
        )
    curve = [getattr(loss, "data", loss) for loss in returned]
    for i, loss in enumerate(curve):
        if isinstance(loss, bool) or not isinstance(loss, numbers.Real):
            raise Incorrect("Every item of the returned list should be a loss (a number).",
                            Case(f"{shown}[{i}]", "a number", repr(loss)))
    return [float(loss) for loss in curve]


def _diagnosis(curve: list[float]) -> str:
    """Which bug the shape of the loss curve points to."""
    first, last, lowest = curve[0], curve[-1], min(curve)
    if all(is_close(loss, first, tolerance=1e-9) for loss in curve):
        return ("The loss never changed: the parameters did not move. Are the gradients zeroed "
                "after backward() instead of before it, or is the update missing?")
    if last > first and lowest < first / 2:
        return (f"The loss fell to {fmt(lowest)} and then climbed back to {fmt(last)}: gradients "
                f"from earlier steps are piling up. Set every grad to 0 before backward().")
    if last > first:
        return (f"The loss grew from {fmt(first)} to {fmt(last)}: the update climbs uphill. "
                f"Subtract lr * grad instead of adding it.")
    return ("The loss falls, but not far enough: check that every parameter is updated at every "
            "step, with the learning rate it is given.")


def _test_train_loop(answer: object) -> str:
    expect_function(answer, "train_loop")
    model = MLP(3, [4, 4, 1], seed=0)
    shown = f"train_loop(MLP(3, [4, 4, 1], seed=0), xs, ys, steps={STEPS}, lr={LR})"
    curve = _loss_curve(call_student(answer, model, XS, YS, STEPS, LR, shown=shown), shown)
    final = mse([model(x) for x in XS], YS).data
    if final < GOOD_LOSS:
        return (f"Right: the loss fell from {curve[0]:.3g} to {final:.3g} in {STEPS} steps. "
                f"Zero, backward, then step downhill: the order matters.")
    raise Incorrect(
        _diagnosis(curve),
        Case(shown, f"a final loss below {GOOD_LOSS}", f"losses {fmt(curve[0])} … {fmt(final)}"),
    )


q1 = Exercise(
    "07.1",
    "fix the broken training loop",
    "train_loop",
    _test_train_loop,
    hints=[
        "Run `broken_train_loop` and read its losses: do they go up from the start, or fall "
        "first and rise later? Each pattern points to a different bug.",
        "`backward()` adds to every grad. Without setting them to 0 before each `backward()`, "
        "every step uses the sum of all the gradients so far.",
        "The update must go downhill: `p.data -= lr * p.grad`. The loop of section 5 has the "
        "four steps in the right order.",
    ],
    solution='''
        def train_loop(model, xs, ys, steps, lr):
            """Train model on (xs, ys) with plain gradient descent; the loss at every step."""
            params = model.parameters()
            losses = []
            for step in range(steps):
                loss = mse([model(x) for x in xs], ys)  # 1. forward pass
                for p in params:  # 2. zero the gradients (this line was missing)
                    p.grad = 0.0
                loss.backward()  # 3. backward pass
                for p in params:  # 4. update: downhill, so minus (it was +=)
                    p.data -= lr * p.grad
                losses.append(loss.data)
            return losses
    ''',
)


# ----------------------------------------------------------------------------------------------
# 07.2 What a second backward() does
# ----------------------------------------------------------------------------------------------


def _test_second_backward(answer: object) -> str:
    value = expect_number(answer, "grad_after_two_backwards")
    if is_close(value, -32.0):
        return ("Right: each backward() adds dloss/dw = −16 to w.grad, so after two it holds −32. "
                "That is why the loop zeroes the gradients before every backward().")
    advice = {
        -16.0: "−16 is the gradient of one backward(). The second one does not replace it.",
        0.0: "backward() does not reset a leaf's grad: it adds to it.",
        256.0: "The gradients are added, not multiplied.",
    }.get(value, "One backward() gives −16 (notebook 01). What does the second one do to it?")
    raise Incorrect(advice, Case("w.grad after loss.backward() twice, w = 1", "-32", fmt(value)))


q2 = Exercise(
    "07.2",
    "what a second backward() does",
    "grad_after_two_backwards",
    _test_second_backward,
    hints=[
        "One backward() gives w.grad = 2·(w·x − y)·x = 2·(2 − 6)·2 = −16, as in notebook 01.",
        "`backward()` adds to the grad of a leaf (`+=`): it does not start again from 0.",
    ],
    solution="""
        grad_after_two_backwards = 2 * -16.0  # each backward() adds dloss/dw = -16 to w.grad
    """,
)
