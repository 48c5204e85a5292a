"""Exercises of notebook 07, the training loop: the loop, the loss and the update step, by you.

Every check runs the student's code on networks of its own and compares what it did with
gradient descent computed here: the parameters after one step (is the step downhill, and of
the right size?), after two steps (were the gradients zeroed in between?), and the loss after
a whole run.
"""

from __future__ import annotations

import math

from course.engine import Value
from course.exercises.checking import (
    Case,
    Exercise,
    Incorrect,
    backprop_gradients,
    call_student,
    expect_function,
    expect_losses,
    expect_value_node,
    fmt,
    is_close,
)
from course.losses import mse
from course.nn import MLP
from course.optim import SGD

# The four examples of notebook 07, and the run the checker asks for.
XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
YS = [1.0, -1.0, -1.0, 1.0]
STEPS = 40
LR = 0.2
GOOD_LOSS = 0.02  # gradient descent gets below 0.006 in 40 steps; each classic bug stays above

# A second, smaller problem: a loop must work for any network and any number of examples.
SMALL_XS = [[1.0, -2.0], [0.5, 1.5], [-1.0, 0.0]]
SMALL_YS = [0.5, -0.5, 1.0]
SMALL_LR = 0.3
TOLERANCE = 1e-9  # the same sums in another order agree to about 1e-15


def _small_model() -> MLP:
    return MLP(2, [3, 1], seed=1)


def _small_shown(steps: int, name: str = "train_loop") -> str:
    return f"{name}(MLP(2, [3, 1], seed=1), xs, ys, steps={steps}, lr={SMALL_LR}) on 3 examples"


def _numbers(params: list[Value]) -> list[float]:
    return [p.data for p in params]


def _descend(model: MLP, xs: list, ys: list, steps: int, lr: float, zero: bool = True) -> None:
    """Gradient descent on the mean squared error, done by the checker (zeroing or not)."""
    optimizer = SGD(model.parameters(), lr=lr)
    for _ in range(steps):
        loss = mse([model(x) for x in xs], ys)
        if zero:
            optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def _same(got: list[float], expected: list[float]) -> bool:
    return all(is_close(g, e, TOLERANCE) for g, e in zip(got, expected))


def _step_multiple(start: list[float], after: list[float], step: list[float]) -> float | None:
    """c if the parameters moved by c times ``step`` (c = 1 is right), None if not along it."""
    moved = [a - s for a, s in zip(after, start)]
    size = sum(d * d for d in step)
    c = sum(m * d for m, d in zip(moved, step)) / size
    if all(abs(m - c * d) <= TOLERANCE * max(1.0, abs(s)) for m, d, s in zip(moved, step, start)):
        return c
    return None


def _step_advice(c: float | None, n_examples: int) -> str:
    """What a first step that is c times the right one says about the student's code."""
    if c is None:
        return ("The parameters did not move in the direction of -lr * grad. Each one should "
                "change by exactly `-lr * p.grad`, with the gradient of the mean squared error.")
    if is_close(c, 0.0, 1e-6):
        return ("The parameters did not move. Is the update missing, or are the gradients set "
                "to 0 after backward() instead of before it?")
    if c < 0:
        return ("The step went uphill: the loss grows. Subtract lr * grad (`p.data -= lr * "
                "p.grad`) instead of adding it.")
    if is_close(c, n_examples, 1e-6):
        return (f"The step was {n_examples} times too big, one time per example: the loss adds "
                f"the squares up. Average them: divide the sum by the number of examples.")
    return (f"The step was {fmt(c)} times the right one. Each parameter moves by `lr * p.grad`, "
            f"once per step, with the learning rate it was given.")


# ----------------------------------------------------------------------------------------------
# 07.1 The training loop
# ----------------------------------------------------------------------------------------------


def _run_loop(answer: object, model: MLP, xs: list, ys: list, steps: int, lr: float,
              shown: str) -> list[float]:
    """The losses the student's train_loop returns, checked to be a list of one per step."""
    returned = call_student(answer, model, xs, ys, steps, lr, shown=shown)
    if not isinstance(returned, (list, tuple)) or len(returned) != steps:
        size = f"{len(returned)} items" if isinstance(returned, (list, tuple)) else repr(returned)
        raise Incorrect(
            f"train_loop should return the list of the {steps} losses, one per step "
            f"(`losses.append(loss.data)` inside the loop, `return losses` after it).",
            Case(shown, f"a list of {steps} numbers", size),
        )
    return expect_losses(returned, shown, steps)


def _test_train_loop(answer: object) -> str:
    expect_function(answer, "train_loop")
    shown = f"train_loop(MLP(3, [4, 4, 1], seed=0), xs, ys, steps={STEPS}, lr={LR})"
    model = MLP(3, [4, 4, 1], seed=0)
    curve = _run_loop(answer, model, XS, YS, STEPS, LR, shown)

    # One step on another network: downhill, by exactly lr * grad of the mean squared error.
    small = _small_model()
    start = _numbers(small.parameters())
    first_loss = mse([small(x) for x in SMALL_XS], SMALL_YS)
    first_loss.backward()
    step = [-SMALL_LR * p.grad for p in small.parameters()]
    small = _small_model()
    losses = _run_loop(answer, small, SMALL_XS, SMALL_YS, 1, SMALL_LR, _small_shown(1))
    after = _numbers(small.parameters())
    expected = [s + d for s, d in zip(start, step)]
    if not _same(after, expected):
        raise Incorrect(_step_advice(_step_multiple(start, after, step), len(SMALL_YS)),
                        Case(_small_shown(1), f"the first weight moves to {fmt(expected[0])}",
                             fmt(after[0])))
    if not is_close(losses[0], first_loss.data, TOLERANCE):
        raise Incorrect(
            "The step is right, but the loss returned for it is not the loss of that step's "
            "forward pass (before the update). Append `loss.data` of the step's own loss.",
            Case(_small_shown(1), f"losses[0] = {fmt(first_loss.data)}", fmt(losses[0])))

    # Two steps: the second one must use only the second step's gradient.
    right, piled = _small_model(), _small_model()
    _descend(right, SMALL_XS, SMALL_YS, 2, SMALL_LR)
    _descend(piled, SMALL_XS, SMALL_YS, 2, SMALL_LR, zero=False)
    small = _small_model()
    _run_loop(answer, small, SMALL_XS, SMALL_YS, 2, SMALL_LR, _small_shown(2))
    after, expected = _numbers(small.parameters()), _numbers(right.parameters())
    if not _same(after, expected):
        if _same(after, _numbers(piled.parameters())):
            advice = ("The first step is right, the second is not: its gradient still holds the "
                      "first step's, because backward() adds to p.grad (`+=`). The gradients "
                      "are piling up: set every grad to 0 before each backward().")
        else:
            advice = ("The first step is right, the second is not. Every step must do the same "
                      "four things: forward pass and loss, zero the gradients, backward(), "
                      "update.")
        raise Incorrect(advice, Case(_small_shown(2), f"the first weight at {fmt(expected[0])}",
                                     fmt(after[0])))

    # The whole run: every step like the first two, and the loss far down.
    reference = MLP(3, [4, 4, 1], seed=0)
    _descend(reference, XS, YS, STEPS, LR)
    final = mse([model(x) for x in XS], YS).data
    if not _same(_numbers(model.parameters()), _numbers(reference.parameters())) \
            or final >= GOOD_LOSS:
        raise Incorrect(
            "The first two steps are right, but after 40 the parameters differ from gradient "
            "descent's. Does every step zero the gradients, run backward() and update?",
            Case(shown, f"a final loss below {GOOD_LOSS}", fmt(final)))
    return (f"Right: the loss fell from {curve[0]:.3g} to {final:.3g} in {STEPS} steps, and "
            f"each step moved every parameter by exactly -lr * grad. Forward, zero, backward, "
            f"update: that is all training is.")


q1 = Exercise(
    "07.1",
    "your training loop",
    "train_loop",
    _test_train_loop,
    hints=[
        "Inside `for step in range(steps):` do the four steps of section 6 in order, and "
        "`losses.append(loss.data)`; after the loop, `return losses`.",
        "The loss: `preds = [model(x) for x in xs]`, then "
        "`sum((pred - y) ** 2 for pred, y in zip(preds, ys)) / len(ys)`.",
        "Before `loss.backward()`, set `p.grad = 0.0` for every `p` in `model.parameters()`; "
        "after it, `p.data -= lr * p.grad` for every `p`.",
    ],
    solution='''
        def train_loop(model, xs, ys, steps, lr):
            """Train model on (xs, ys); return the loss of every step."""
            params = model.parameters()
            losses = []
            for step in range(steps):
                preds = [model(x) for x in xs]  # 1. forward pass and loss
                loss = sum((pred - y) ** 2 for pred, y in zip(preds, ys)) / len(ys)
                for p in params:  # 2. zero the gradients
                    p.grad = 0.0
                loss.backward()  # 3. backward pass
                for p in params:  # 4. update: a small step downhill
                    p.data -= lr * p.grad
                losses.append(loss.data)
            return losses
    ''',
)


# ----------------------------------------------------------------------------------------------
# 07.2 The mean squared error as a function
# ----------------------------------------------------------------------------------------------

LOSS_CASES = [  # (predictions, targets): different lengths, so a fixed divisor shows
    ([0.5, -0.25, 1.5], [1.0, -1.0, 0.0]),
    ([0.2], [1.0]),
    ([0.4250, 0.1582, 0.2487, 0.4009], YS),
]


def _test_mse_loss(answer: object) -> str:
    expect_function(answer, "mse_loss")
    for numbers, targets in LOSS_CASES:
        preds = [Value(p) for p in numbers]
        shown = f"mse_loss([{', '.join(f'Value({p:g})' for p in numbers)}], {targets})"
        out = call_student(answer, preds, list(targets), shown=shown)
        expect_value_node(out, shown)
        n = len(numbers)
        squares = [(p - y) ** 2 for p, y in zip(numbers, targets)]
        expected = sum(squares) / n
        if not is_close(out.data, expected, TOLERANCE):
            if n > 1 and is_close(out.data, sum(squares), TOLERANCE):
                advice = (f"That is the sum of the {n} squares. The mean divides it by the "
                          f"number of examples, `len(preds)`.")
            elif is_close(out.data, sum(abs(p - y) for p, y in zip(numbers, targets)) / n,
                          TOLERANCE):
                advice = "That is the mean of the misses' sizes: square each miss instead."
            else:
                advice = "Square each miss (prediction minus target), add them, divide by N."
            raise Incorrect(advice, Case(shown, fmt(expected), fmt(out.data)))
        grads = backprop_gradients(out)
        for i, (p, y) in enumerate(zip(preds, targets)):
            want = 2 * (p.data - y) / n
            got = grads.get(id(p), 0.0)
            if not is_close(got, want, TOLERANCE):
                raise Incorrect(
                    "The value is right, but the gradient does not reach the predictions: build "
                    "the loss from the prediction Values themselves (`pred - y`), not from "
                    "their `.data`, so that backward() can go through it.",
                    Case(f"{shown}, d(loss)/d(preds[{i}])", fmt(want), fmt(got)))
    return ("Right: the mean of the squared misses, a Value whose gradient sends 2·(pred − y)/N "
            "to every prediction.")


q2 = Exercise(
    "07.2",
    "the mean squared error as a function",
    "mse_loss",
    _test_mse_loss,
    hints=[
        "Pair each prediction with its target: `zip(preds, targets)`.",
        "For each pair, `(pred - y) ** 2` is a Value. Add them up with `sum(...)`.",
        "Divide the sum by the number of examples, `len(preds)`, and return that Value.",
    ],
    solution='''
        def mse_loss(preds, targets):
            """The mean of (pred - target)**2 over the examples, as a Value."""
            squares = [(pred - y) ** 2 for pred, y in zip(preds, targets)]
            return sum(squares) / len(squares)
    ''',
)


# ----------------------------------------------------------------------------------------------
# 07.3 The update step
# ----------------------------------------------------------------------------------------------

STEP_DATA = [1.0, -2.0, 0.5, 3.0]
STEP_GRADS = [0.5, -1.0, 0.0, 2.0]
STEP_LR = 0.1


def _test_sgd_step(answer: object) -> str:
    expect_function(answer, "sgd_step")
    params = [Value(d) for d in STEP_DATA]
    for p, g in zip(params, STEP_GRADS):
        p.grad = g
    shown = f"sgd_step(params, lr={STEP_LR}) with data {STEP_DATA} and grads {STEP_GRADS}"
    call_student(answer, params, STEP_LR, shown=shown)
    step = [-STEP_LR * g for g in STEP_GRADS]
    after = _numbers(params)
    expected = [d + s for d, s in zip(STEP_DATA, step)]
    if not _same(after, expected):
        if after == STEP_DATA:
            advice = ("The parameters did not move. Change each `p.data` in place "
                      "(`p.data -= ...`): a new list of numbers leaves the parameters as "
                      "they were.")
        else:
            advice = _step_advice(_step_multiple(STEP_DATA, after, step), 1)
        raise Incorrect(advice, Case(shown, f"data [{', '.join(fmt(e) for e in expected)}]",
                                     f"data [{', '.join(fmt(a) for a in after)}]"))

    # A real network: one step at a small learning rate must lower the loss.
    model = _small_model()
    loss = mse([model(x) for x in SMALL_XS], SMALL_YS)
    loss.backward()
    call_student(answer, model.parameters(), 0.05, shown="sgd_step(model.parameters(), lr=0.05)")
    lower = mse([model(x) for x in SMALL_XS], SMALL_YS).data
    if not lower < loss.data:
        raise Incorrect("After one step on a network the loss did not go down.",
                        Case("loss after sgd_step(model.parameters(), lr=0.05)",
                             f"below {fmt(loss.data)}", fmt(lower)))
    if not all(math.isfinite(p.data) for p in model.parameters()):
        raise Incorrect("A step left a parameter that is not a finite number.",
                        Case("sgd_step(model.parameters(), lr=0.05)", "finite parameters", "nan"))
    return (f"Right: every parameter moved by −lr · grad, and one step on a network took its loss "
            f"from {loss.data:.4f} to {lower:.4f}. The minus sign is what makes it downhill.")


q3 = Exercise(
    "07.3",
    "the update step",
    "sgd_step",
    _test_sgd_step,
    hints=[
        "Loop over the parameters; each one is a Value with `.data` and `.grad`.",
        "Downhill is against the gradient: the new `p.data` is `p.data - lr * p.grad`.",
    ],
    solution='''
        def sgd_step(params, lr):
            """One step of gradient descent: every parameter a small step downhill."""
            for p in params:
                p.data -= lr * p.grad
    ''',
)
