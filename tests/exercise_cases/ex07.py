"""Answers to exercise set ex07 that its checks must judge: wrong ones and other right ones."""

from course.engine import Value
from course.losses import mse


def decay_loop(zero_grads: bool = True, sign: float = -1.0, summed: bool = False,
               schedule: str = "linear", loss_after_update: bool = False):
    """A decaying-learning-rate loop for exercise 07.1 with the chosen bugs (none: right)."""

    def train_decay(model, xs, ys, steps, lr0):
        params, losses = model.parameters(), []
        for k in range(steps):
            if schedule == "linear":
                lr = lr0 * (1 - 0.9 * k / (steps - 1))
            elif schedule == "constant":
                lr = lr0
            elif schedule == "off by one":  # never reaches lr0 / 10
                lr = lr0 * (1 - 0.9 * k / steps)
            else:  # "to zero"
                lr = lr0 * (1 - k / (steps - 1))
            loss = mse([model(x) for x in xs], ys, reduction="sum" if summed else "mean")
            if zero_grads:
                model.zero_grad()
            loss.backward()
            for p in params:
                p.data += sign * lr * p.grad
            if loss_after_update:
                loss = mse([model(x) for x in xs], ys)
            losses.append(loss.data)
        return losses

    return train_decay


def decay_by_interpolation(model, xs, ys, steps, lr0):
    """Right too: the rate as a mix of lr0 and lr0 / 10, the grads zeroed after the update."""
    losses = []
    for k in range(steps):
        t = k / (steps - 1)
        rate = (1 - t) * lr0 + t * (lr0 / 10)
        preds = [model(x) for x in xs]
        loss = sum((pred - y) ** 2 for pred, y in zip(preds, ys)) * (1 / len(ys))
        loss.backward()
        for p in model.parameters():
            p.data = p.data - rate * p.grad
            p.grad = 0
        losses.append(loss)  # Values instead of numbers: the check reads their .data
    return losses


def decay_returns_nothing(model, xs, ys, steps, lr0):
    decay_loop()(model, xs, ys, steps, lr0)


def mae_summed(preds, targets):
    return sum(abs(p - y) for p, y in zip(preds, targets))


def mae_squared(preds, targets):
    return sum((p - y) ** 2 for p, y in zip(preds, targets)) / len(preds)


def mae_signed(preds, targets):
    return sum(p - y for p, y in zip(preds, targets)) / len(preds)


def mae_from_data(preds, targets):
    return Value(sum(abs(p.data - y) for p, y in zip(preds, targets)) / len(preds))


def mae_detached(preds, targets):
    """A Value of the right size whose graph does not reach the predictions."""
    return sum(Value(abs(p.data - y)) for p, y in zip(preds, targets)) / len(preds)


def mae_float(preds, targets):
    return sum(abs(p.data - y) for p, y in zip(preds, targets)) / len(preds)


def mae_by_choice(preds, targets):
    """Right too: the miss or its negative, chosen by the sign of its number."""
    total = Value(0.0)
    for p, y in zip(preds, targets):
        miss = p - y
        total = total + (miss if miss.data > 0 else -miss)
    return total * (1.0 / len(preds))


def mae_by_relu(preds, targets):
    """Right too: |d| = relu(d) + relu(-d)."""
    sizes = [(p - y).relu() + (y - p).relu() for p, y in zip(preds, targets)]
    return sum(sizes) / len(sizes)


def plain_step(params, lr, lam):
    for p in params:
        p.data -= lr * p.grad


def half_decay(params, lr, lam):
    for p in params:
        p.data -= lr * (p.grad + lam * p.data)


def decay_without_lr(params, lr, lam):
    for p in params:
        p.data -= lr * p.grad + 2 * lam * p.data


def decay_away_from_zero(params, lr, lam):
    for p in params:
        p.data -= lr * (p.grad - 2 * lam * p.data)


def uphill_decay(params, lr, lam):
    for p in params:
        p.data += lr * (p.grad + 2 * lam * p.data)


def decay_new_numbers(params, lr, lam):
    return [p.data - lr * (p.grad + 2 * lam * p.data) for p in params]


def decay_from_start(params, lr, lam, _start={}):  # noqa: B006 -- the slip is the point
    """Wrong: remembers each parameter's first value and decays that one at every call."""
    for p in params:
        first = _start.setdefault(id(p), p.data)
        p.data -= lr * (p.grad + 2 * lam * first)


def shrink_then_step(params, lr, lam):
    """Right too: shrink by 1 - 2 lr lam, then the plain step."""
    for p in params:
        p.data = p.data * (1 - 2 * lr * lam) - lr * p.grad


# exercise id -> [(a wrong answer, a piece of text its verdict must contain), ...]
def step_with_the_package(params, lr, lam):
    """Right numbers, but the update is course.optim.SGD's, not written."""
    from course.optim import SGD

    SGD(params, lr=lr, weight_decay=2 * lam).step()


WRONG = {
    "07.1": [(decay_loop(zero_grads=False), "piling up"),
             (decay_loop(sign=+1.0), "uphill"),
             (decay_loop(summed=True), "4 times too big"),
             (decay_loop(schedule="constant"), "did not decay"),
             (decay_loop(schedule="off by one"), "lr0 / 10 at k = steps − 1"),
             (decay_loop(schedule="to zero"), "falls to 0 at the last step"),
             (decay_loop(loss_after_update=True), "before its update"),
             (decay_returns_nothing, "return the list of the 20 losses")],
    "07.2": [(mae_summed, "sum of the 3 sizes"),
             (mae_squared, "mean squared error"),
             (mae_signed, "cancel out"),
             (mae_from_data, "does not reach the predictions"),
             (mae_detached, "does not reach the predictions"),
             (mae_float, "should return a Value")],
    "07.3": [(step_with_the_package, "calls the package's `course.optim.SGD`"),
             (plain_step, "weight decay is missing"),
             (half_decay, "slope of λ · p² is 2 · λ · p"),
             (decay_without_lr, "not multiplied by the learning rate"),
             (decay_away_from_zero, "away from 0"),
             (uphill_decay, "uphill"),
             (decay_new_numbers, "in place"),
             (decay_from_start, "current value")],
}

# exercise id -> other correct answers (a different way to the same result must pass)
ALSO_CORRECT = {
    "07.1": [decay_loop(), decay_by_interpolation],
    "07.2": [mae_by_choice, mae_by_relu],
    "07.3": [shrink_then_step],
}

# what the solutions use from their notebook, besides math and Value
NAMESPACE = {}
