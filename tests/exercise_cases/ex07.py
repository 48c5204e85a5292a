"""Answers to exercise set ex07 that its checks must judge: wrong ones and other right ones."""

from course.engine import Value
from course.losses import mse


def loop(zero_grads: bool = True, sign: float = -1.0, zero_after_backward: bool = False,
         summed: bool = False, loss_after_update: bool = False, zero_once: bool = False):
    """A training loop for exercise 07.1 with the chosen bugs (none: a right answer)."""

    def train_loop(model, xs, ys, steps, lr):
        params, losses = model.parameters(), []
        for step in range(steps):
            loss = mse([model(x) for x in xs], ys, reduction="sum" if summed else "mean")
            if zero_grads and not (zero_once and step > 0):
                model.zero_grad()
            loss.backward()
            if zero_after_backward:
                model.zero_grad()
            for p in params:
                p.data += sign * lr * p.grad
            if loss_after_update:
                loss = mse([model(x) for x in xs], ys)
            losses.append(loss.data)
        return losses

    return train_loop


def zeroing_at_the_end(model, xs, ys, steps, lr):
    """Right too: the gradients start at 0, and each step sets them back to 0 after its update."""
    losses = []
    for _ in range(steps):
        preds = [model(x) for x in xs]
        loss = sum((pred - y) ** 2 for pred, y in zip(preds, ys)) * (1 / len(ys))
        loss.backward()
        for p in model.parameters():
            p.data -= lr * p.grad
            p.grad = 0
        losses.append(loss)  # Values instead of numbers: the check reads their .data
    return losses


def returns_nothing(model, xs, ys, steps, lr):
    loop()(model, xs, ys, steps, lr)


def sum_of_squares(preds, targets):
    return sum((p - y) ** 2 for p, y in zip(preds, targets))


def mean_of_sizes(preds, targets):
    return sum(abs((p - y).data) for p, y in zip(preds, targets)) / len(preds) + 0 * preds[0]


def divided_by_four(preds, targets):
    return sum((p - y) ** 2 for p, y in zip(preds, targets)) / 4


def from_data(preds, targets):
    return Value(sum((p.data - y) ** 2 for p, y in zip(preds, targets)) / len(preds))


def returns_a_float(preds, targets):
    return sum((p.data - y) ** 2 for p, y in zip(preds, targets)) / len(preds)


def mse_by_hand(preds, targets):
    """Right too: a loop, and the targets subtracted the other way round."""
    total = Value(0.0)
    for p, y in zip(preds, targets):
        total = total + (y - p) * (y - p)
    return total * (1.0 / len(preds))


def uphill_step(params, lr):
    for p in params:
        p.data += lr * p.grad


def step_without_lr(params, lr):
    for p in params:
        p.data -= p.grad


def new_numbers(params, lr):
    return [p.data - lr * p.grad for p in params]


def step_and_zero(params, lr):
    """Right too: the step, then zeroing the gradients (the next backward() starts from 0)."""
    for p in params:
        p.data = p.data - lr * p.grad
        p.grad = 0.0


# exercise id -> [(a wrong answer, a piece of text its verdict must contain), ...]
WRONG = {
    "07.1": [(loop(zero_grads=False), "piling up"),
             (loop(sign=+1.0), "Subtract lr * grad"),
             (loop(zero_grads=False, sign=+1.0), "Subtract lr * grad"),
             (loop(zero_after_backward=True), "did not move"),
             (loop(summed=True), "3 times too big"),
             (loop(loss_after_update=True), "before the update"),
             (loop(zero_once=True), "piling up"),
             (returns_nothing, "return the list of the 40 losses")],
    "07.2": [(sum_of_squares, "sum of the 3 squares"),
             (mean_of_sizes, "square each miss"),
             (divided_by_four, "Square each miss"),
             (from_data, "does not reach the predictions"),
             (returns_a_float, "should return a Value")],
    "07.3": [(uphill_step, "Subtract lr * grad"),
             (step_without_lr, "times the right one"),
             (new_numbers, "Change each `p.data` in place")],
}

# exercise id -> other correct answers (a different way to the same result must pass)
ALSO_CORRECT = {
    "07.1": [loop(), zeroing_at_the_end],
    "07.2": [mse_by_hand],
    "07.3": [step_and_zero],
}

# what the solutions use from their notebook, besides math and Value
NAMESPACE = {}
