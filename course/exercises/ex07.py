"""Exercises of notebook 07: a learning rate that decays, another loss, another update step.

Each exercise reuses an idea of the notebook in a form the notebook does not write out. Every
check runs the student's code on cases of its own and compares what it did with numbers computed
here: for the loop, every single step (was it -lr_k · grad, with the step's own gradient and the
step's own learning rate?); for the loss, its value, its measured slope and the gradient
backward() sends; for the update, hand-computed steps.
"""

from __future__ import annotations

from course.engine import Value
from course.exercises.checking import (
    Case,
    Exercise,
    Incorrect,
    backprop_gradients,
    call_student,
    central_difference,
    expect_function,
    expect_losses,
    expect_value_node,
    fmt,
    is_close,
)
from course.exercises.shortcuts import call_without_shortcuts
from course.losses import mse
from course.nn import MLP
from course.optim import SGD

# The four examples of notebook 07.
XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
YS = [1.0, -1.0, -1.0, 1.0]
TOLERANCE = 1e-9  # the same sums in another order agree to about 1e-15


def _numbers(params: list[Value]) -> list[float]:
    return [p.data for p in params]


def _same(got: list[float], expected: list[float]) -> bool:
    return len(got) == len(expected) and all(
        is_close(g, e, TOLERANCE) for g, e in zip(got, expected))


def _step_multiple(start: list[float], after: list[float], step: list[float]) -> float | None:
    """c if the parameters moved by c times ``step``, None if they did not move along it."""
    moved = [a - s for a, s in zip(after, start)]
    size = sum(d * d for d in step)
    c = sum(m * d for m, d in zip(moved, step)) / size
    if all(abs(m - c * d) <= TOLERANCE * max(1.0, abs(s)) for m, d, s in zip(moved, step, start)):
        return c
    return None


def _listed(numbers: list[float]) -> str:
    return "[" + ", ".join(fmt(x) for x in numbers) + "]"


# ----------------------------------------------------------------------------------------------
# 07.1 A training loop whose learning rate decays
# ----------------------------------------------------------------------------------------------

DECAY_STEPS = 20
DECAY_LR0 = 0.5


def decayed_lr(lr0: float, step: int, steps: int) -> float:
    """The learning rate of step ``step`` of ``steps``: lr0 at the first, lr0/10 at the last."""
    return lr0 * (1 - 0.9 * step / (steps - 1))


class _Watched:
    """A network that notes its parameters' numbers at every forward pass, for the checker."""

    def __init__(self, model: MLP) -> None:
        self.model = model
        self.states: list[list[float]] = []

    def __call__(self, x: list[float]) -> Value:
        state = _numbers(self.model.parameters())
        if not self.states or state != self.states[-1]:
            self.states.append(state)
        return self.model(x)

    def parameters(self) -> list[Value]:
        return self.model.parameters()

    def __getattr__(self, name: str) -> object:  # layers, zero_grad(), ...
        return getattr(self.model, name)


def _gradient_at(numbers: list[float]) -> list[float]:
    """The gradient of the mean squared error of the notebook's network at these numbers."""
    model = MLP(3, [4, 4, 1], seed=0)
    for p, number in zip(model.parameters(), numbers):
        p.data = number
    mse([model(x) for x in XS], YS).backward()
    return [p.grad for p in model.parameters()]


def _step_advice(k: int, c: float | None, lr_k: float, moved: list[float],
                 piled: list[float]) -> str:
    """What a step k that moved the parameters by ``moved`` says about the student's loop."""
    where = f"Step {k}"
    if c is None:
        for lr in (lr_k, DECAY_LR0):
            if _same(moved, [-lr * g for g in piled]):
                return (f"{where} used the sum of the gradients of steps 0 to {k}: backward() adds "
                        f"to p.grad (`+=`), so the gradients are piling up. Set every grad to 0 "
                        f"before each backward().")
        return (f"{where} did not move the parameters along -grad. Each one should change by "
                f"`-lr_k * p.grad`, with the gradient of this step's mean squared error.")
    if is_close(c, 0.0, 1e-6):
        return f"{where} did not move the parameters. Is the update missing?"
    if c < 0:
        return (f"{where} went uphill: subtract lr_k * p.grad (`p.data -= lr_k * p.grad`) "
                f"instead of adding it.")
    if is_close(c, lr_k * len(YS), 1e-6):
        return (f"{where} was {len(YS)} times too big, one time per example: average the squared "
                f"misses (divide their sum by the number of examples).")
    if k > 0 and is_close(c, DECAY_LR0, 1e-6):
        return (f"{where} used the learning rate lr0 = {fmt(DECAY_LR0)}: it did not decay. "
                f"Compute lr_k from the step number k inside the loop.")
    if is_close(c, DECAY_LR0 * (1 - k / (DECAY_STEPS - 1)), 1e-6):
        return (f"{where} used a learning rate of {fmt(c)}: yours falls to 0 at the last step. "
                f"It should end at lr0 / 10, so it loses 0.9 · lr0 in all, not lr0.")
    return (f"{where} used a learning rate of {fmt(c)}; it should be lr_k = lr0 · (1 − 0.9 · k / "
            f"(steps − 1)) = {fmt(lr_k)}: lr0 at k = 0, lr0 / 10 at k = steps − 1.")


def _test_train_decay(answer: object) -> str:
    expect_function(answer, "train_decay")
    shown = f"train_decay(MLP(3, [4, 4, 1], seed=0), xs, ys, steps={DECAY_STEPS}, lr0={DECAY_LR0})"
    watched = _Watched(MLP(3, [4, 4, 1], seed=0))
    start_loss = mse([watched.model(x) for x in XS], YS).data
    for p in watched.parameters():  # as the network is handed over: every grad 0
        p.grad = 0.0
    returned = call_student(answer, watched, XS, YS, DECAY_STEPS, DECAY_LR0, shown=shown)
    if not isinstance(returned, (list, tuple)):
        raise Incorrect(
            f"train_decay should return the list of the {DECAY_STEPS} losses, one per step "
            f"(`losses.append(loss.data)` inside the loop, `return losses` after it).",
            Case(shown, f"a list of {DECAY_STEPS} numbers", repr(returned)))
    losses = expect_losses(returned, shown, DECAY_STEPS)

    final = _numbers(watched.parameters())
    states = watched.states + ([final] if final != watched.states[-1] else [])
    piled = [0.0] * len(final)
    for k in range(DECAY_STEPS):
        lr_k = decayed_lr(DECAY_LR0, k, DECAY_STEPS)
        if k + 1 >= len(states):
            raise Incorrect(_step_advice(k, 0.0, lr_k, [], piled),
                            Case(shown, f"{DECAY_STEPS} steps that move the parameters",
                                 f"{len(states) - 1} that do"))
        before, after = states[k], states[k + 1]
        grad = _gradient_at(before)
        piled = [a + g for a, g in zip(piled, grad)]
        expected = [b - lr_k * g for b, g in zip(before, grad)]
        if not _same(after, expected):
            moved = [a - b for a, b in zip(after, before)]
            c = _step_multiple(before, after, [-g for g in grad])
            raise Incorrect(_step_advice(k, c, lr_k, moved, piled),
                            Case(f"{shown}, step {k} (lr_k = {fmt(lr_k)})",
                                 f"the first weight moves to {fmt(expected[0])}",
                                 fmt(after[0])))
    if not is_close(losses[0], start_loss, TOLERANCE):
        raise Incorrect(
            "Every step is right, but losses[0] is not the loss of the first step's forward pass "
            "(before its update). Append `loss.data` of each step's own loss.",
            Case(shown, f"losses[0] = {fmt(start_loss)}", fmt(losses[0])))
    end_loss = mse([watched.model(x) for x in XS], YS).data
    if not end_loss < start_loss:
        raise Incorrect("The loss did not fall.", Case(shown, f"below {fmt(start_loss)}",
                                                      fmt(end_loss)))
    return (f"Right: all {DECAY_STEPS} steps were -lr_k · grad with fresh gradients, the "
            f"learning rate going from {fmt(DECAY_LR0)} down to {fmt(DECAY_LR0 / 10)}, and the "
            f"loss fell from {start_loss:.4f} to {end_loss:.4f}.")


q1 = Exercise(
    "07.1",
    "a learning rate that decays",
    "train_decay",
    _test_train_decay,
    hints=[
        "Start from section 6's loop. The only new line computes this step's learning rate, "
        "at the top of `for k in range(steps):`.",
        "At k = 0 the learning rate is lr0, at k = steps - 1 it is lr0 / 10: "
        "`lr_k = lr0 * (1 - 0.9 * k / (steps - 1))`.",
        "Then the four steps as before (forward and mean squared error, zero every grad, "
        "`loss.backward()`, update), with `p.data -= lr_k * p.grad`; append `loss.data` each "
        "step and return the list.",
    ],
    solution='''
        def train_decay(model, xs, ys, steps, lr0):
            """Gradient descent on the MSE, the learning rate falling from lr0 to lr0 / 10."""
            params = model.parameters()
            losses = []
            for k in range(steps):
                lr_k = lr0 * (1 - 0.9 * k / (steps - 1))  # lr0 at k = 0, lr0 / 10 at the last k
                preds = [model(x) for x in xs]
                loss = sum((pred - y) ** 2 for pred, y in zip(preds, ys)) / len(ys)
                for p in params:
                    p.grad = 0.0
                loss.backward()
                for p in params:
                    p.data -= lr_k * p.grad
                losses.append(loss.data)
            return losses
    ''',
)


# ----------------------------------------------------------------------------------------------
# 07.2 The mean absolute error
# ----------------------------------------------------------------------------------------------

MAE_CASES = [  # (predictions, targets): different lengths, and misses of both signs
    ([0.5, -0.25, 1.5], [1.0, -1.0, 0.0]),
    ([0.4250, 0.1582, 0.2487, 0.4009], YS),
    ([0.2], [1.0]),
]


def _sign(x: float) -> float:
    return 1.0 if x > 0 else -1.0


def _measured_slope(answer: object, numbers: list[float], targets: list[float], i: int,
                    shown: str) -> float:
    """The slope of the student's loss in prediction i, measured by nudging it both ways."""
    def loss_at(t: float) -> float:
        preds = [Value(t) if j == i else Value(q) for j, q in enumerate(numbers)]
        return getattr(call_student(answer, preds, list(targets), shown=shown), "data",
                       float("nan"))

    return central_difference(loss_at, numbers[i])


def _test_mae_loss(answer: object) -> str:
    expect_function(answer, "mae_loss")
    for numbers, targets in MAE_CASES:
        n = len(numbers)
        shown = f"mae_loss([{', '.join(f'Value({p:g})' for p in numbers)}], {targets})"
        preds = [Value(p) for p in numbers]
        out = call_student(answer, preds, list(targets), shown=shown)
        expect_value_node(out, shown)
        misses = [p - y for p, y in zip(numbers, targets)]
        expected = sum(abs(m) for m in misses) / n
        if not is_close(out.data, expected, TOLERANCE):
            if n > 1 and is_close(out.data, sum(abs(m) for m in misses), TOLERANCE):
                advice = (f"That is the sum of the {n} sizes of the misses. The mean divides it "
                          f"by the number of examples, `len(preds)`.")
            elif is_close(out.data, sum(m * m for m in misses) / n, TOLERANCE):
                advice = ("That is the mean squared error. This loss takes the size of each "
                          "miss, |pred − y|, without squaring it.")
            elif is_close(out.data, sum(misses) / n, TOLERANCE):
                advice = ("That is the mean of the misses with their signs, so a miss above "
                          "and one below cancel out. Take the size of each miss: |pred − y|.")
            else:
                advice = "Take the size of each miss, |pred − y|, add them, divide by N."
            raise Incorrect(advice, Case(shown, fmt(expected), fmt(out.data)))

        grads = backprop_gradients(out)
        for i, (p, y) in enumerate(zip(preds, targets)):
            measured = _measured_slope(answer, numbers, targets, i, shown)
            want = _sign(numbers[i] - y) / n
            where = f"{shown}, d(loss)/d(preds[{i}])"
            if not is_close(measured, want, 1e-6):
                raise Incorrect("The value is right here, but its slope, measured by nudging "
                                "this prediction, is not sign(pred − y) / N.",
                                Case(where, fmt(want), fmt(measured)))
            got = grads.get(id(p), 0.0)
            if not is_close(got, want, TOLERANCE):
                raise Incorrect(
                    "The value is right, but the gradient does not reach the predictions: build "
                    "the loss from the prediction Values themselves (`pred - y`), not from "
                    "their `.data`, so that backward() can go through it.",
                    Case(where, fmt(want), fmt(got)))
    return ("Right: the mean of the sizes of the misses, a Value whose gradient sends "
            "sign(pred − y)/N to every prediction: the same push for a small miss as for a "
            "large one.")


q2 = Exercise(
    "07.2",
    "the mean absolute error",
    "mae_loss",
    _test_mae_loss,
    hints=[
        "For each pair, the miss `pred - y` is a Value. Its size is the miss itself when "
        "`miss.data > 0`, and `-miss` otherwise: both are Values, so the graph is kept.",
        "With notebook 04's relu, in one line for either sign: `miss.relu() + (-miss).relu()` "
        "(one of the two is 0).",
        "Add the sizes up with `sum(...)` and divide by `len(preds)`; return that Value.",
    ],
    solution='''
        def mae_loss(preds, targets):
            """The mean of |pred - target| over the examples, as a Value."""
            misses = [pred - y for pred, y in zip(preds, targets)]
            sizes = [m.relu() + (-m).relu() for m in misses]  # |m|: one of the two is 0
            return sum(sizes) / len(sizes)
    ''',
)


# ----------------------------------------------------------------------------------------------
# 07.3 A step with weight decay
# ----------------------------------------------------------------------------------------------

WD_DATA = [1.0, -2.0, 0.5, 3.0]
SGD_SHORTCUT = {"course.optim.SGD": SGD}  # SGD(..., weight_decay=...) is the answer
SGD_TASK = "The exercise asks you to write the update yourself: p.data -= ... for each parameter."
WD_GRADS = [0.5, -1.0, 0.0, 2.0]
WD_LR = 0.1
WD_LAMBDA = 0.05


def _wd_step(data: list[float], grads: list[float], lr: float, lam: float) -> list[float]:
    return [d - lr * (g + 2 * lam * d) for d, g in zip(data, grads)]


def _wd_advice(start: list[float], after: list[float]) -> str:
    """What went wrong, judged by which common slip gives these numbers."""
    lr, lam = WD_LR, WD_LAMBDA
    slips = [
        ([d - lr * g for d, g in zip(start, WD_GRADS)],
         "That is a plain step: the weight decay is missing. Add 2 · λ · p to each gradient."),
        (_wd_step(start, WD_GRADS, lr, lam / 2),
         "The decay is half as large as it should be: the slope of λ · p² is 2 · λ · p."),
        ([d - lr * g - 2 * lam * d for d, g in zip(start, WD_GRADS)],
         "The decay term is not multiplied by the learning rate: the whole of "
         "(grad + 2 · λ · p) is multiplied by lr."),
        ([d - lr * (g - 2 * lam * d) for d, g in zip(start, WD_GRADS)],
         "The decay pushes the parameters away from 0: add 2 · λ · p to the gradient, "
         "do not subtract it."),
        ([d + lr * (g + 2 * lam * d) for d, g in zip(start, WD_GRADS)],
         "The step went uphill: subtract lr · (grad + 2 · λ · p) instead of adding it."),
    ]
    if after == start:
        return ("The parameters did not move. Change each `p.data` in place (`p.data -= ...`): "
                "a new list of numbers leaves the parameters as they were.")
    for numbers, advice in slips:
        if _same(after, numbers):
            return advice
    return "Each parameter should become p − lr · (grad + 2 · λ · p)."


def _test_decay_step(answer: object) -> str:
    expect_function(answer, "decay_step")
    params = [Value(d) for d in WD_DATA]
    for p, g in zip(params, WD_GRADS):
        p.grad = g
    shown = (f"decay_step(params, lr={WD_LR}, lam={WD_LAMBDA}) with data {WD_DATA} and "
             f"grads {WD_GRADS}")
    call_without_shortcuts(answer, params, WD_LR, WD_LAMBDA, shown=shown,
                           shortcuts=SGD_SHORTCUT, task=SGD_TASK)
    expected = _wd_step(WD_DATA, WD_GRADS, WD_LR, WD_LAMBDA)
    after = _numbers(params)
    if not _same(after, expected):
        raise Incorrect(_wd_advice(WD_DATA, after),
                        Case(shown, f"data {_listed(expected)}", f"data {_listed(after)}"))

    # With no gradient at all, every parameter shrinks towards 0 by the same factor, each step.
    params = [Value(d) for d in WD_DATA]
    shown = f"decay_step(params, lr=0.5, lam=0.1) twice, data {WD_DATA}, grads 0"
    for _ in range(2):
        for p in params:
            p.grad = 0.0
        call_without_shortcuts(answer, params, 0.5, 0.1, shown=shown,
                               shortcuts=SGD_SHORTCUT, task=SGD_TASK)
    expected = [d * 0.9 * 0.9 for d in WD_DATA]
    if not _same(_numbers(params), expected):
        raise Incorrect("With every gradient 0, each step should multiply every parameter by "
                        "1 − 2 · lr · λ = 0.9: the decay uses the parameter's current value.",
                        Case(shown, f"data {_listed(expected)}",
                             f"data {_listed(_numbers(params))}"))

    # A network: the same step as course.optim.SGD with weight_decay = 2 λ.
    model, reference = MLP(3, [4, 4, 1], seed=0), MLP(3, [4, 4, 1], seed=0)
    for net in (model, reference):
        mse([net(x) for x in XS], YS).backward()
    call_student(answer, model.parameters(), 0.2, 0.01,
                 shown="decay_step(model.parameters(), lr=0.2, lam=0.01)")
    SGD(reference.parameters(), lr=0.2, weight_decay=0.02).step()
    if not _same(_numbers(model.parameters()), _numbers(reference.parameters())):
        raise Incorrect("On a network the step differs from p − lr · (grad + 2 · λ · p).",
                        Case("decay_step(model.parameters(), lr=0.2, lam=0.01)",
                             fmt(reference.parameters()[0].data), fmt(model.parameters()[0].data)))
    return ("Right: each parameter moved by −lr · (grad + 2 · λ · p), in place. The extra term is "
            "the gradient of λ · p²: it pulls every weight a little towards 0 at each step.")


q3 = Exercise(
    "07.3",
    "a step with weight decay",
    "decay_step",
    _test_decay_step,
    hints=[
        "Adding λ · p² to the loss for every parameter adds its slope, 2 · λ · p, to each "
        "gradient. Loop over the parameters and work that out for each one.",
        "The step is the usual one with that gradient: "
        "`p.data -= lr * (p.grad + 2 * lam * p.data)`.",
    ],
    solution='''
        def decay_step(params, lr, lam):
            """One gradient step on the loss plus lam * p**2 for every parameter, in place."""
            for p in params:
                p.data -= lr * (p.grad + 2 * lam * p.data)
    ''',
)
