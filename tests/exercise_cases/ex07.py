"""Answers to exercise set ex07 that its checks must judge: wrong ones and other right ones."""

from course.losses import mse
from course.nn import MLP


def loop(zero_grads: bool, sign: float, zero_after_backward: bool = False):
    """A training loop with the chosen bugs, for exercise 07.1."""

    def train_loop(model, xs, ys, steps, lr):
        params, losses = model.parameters(), []
        for _ in range(steps):
            loss = mse([model(x) for x in xs], ys)
            if zero_grads:
                model.zero_grad()
            loss.backward()
            if zero_after_backward:
                model.zero_grad()
            for p in params:
                p.data += sign * lr * p.grad
            losses.append(loss.data)
        return losses

    return train_loop


# exercise id -> [(a wrong answer, a piece of text its verdict must contain), ...]
WRONG = {
    "07.1": [(loop(zero_grads=False, sign=-1.0), "piling up"),
             (loop(zero_grads=True, sign=+1.0), "Subtract lr * grad"),
             (loop(zero_grads=False, sign=+1.0), "Subtract lr * grad"),
             (loop(True, -1.0, zero_after_backward=True), "never changed")],
    "07.2": [(-16.0, "−16 is the gradient of one backward()")],
}

# exercise id -> other correct answers (a different way to the same result must pass)
ALSO_CORRECT = {
    "07.1": [loop(zero_grads=True, sign=-1.0)],
}

# what the solutions use from their notebook, besides math and Value
NAMESPACE = {"MLP": MLP, "mse": mse}
