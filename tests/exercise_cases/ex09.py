"""Answers to exercise set ex09 that its checks must judge: wrong ones and other right ones."""

from course.exercises import ex09
from course.nn import MLP
from course.show import largest_stable_lr
from course.training import fit


def untrained_model():
    return MLP(2, [4, 1], activation="relu", seed=0)


# exercise id -> [(a wrong answer, a piece of text its verdict must contain), ...]
WRONG = {
    "09.1": [(10.0, "overshoot"), (0.001, "too small")],
    "09.2": [(untrained_model(), "accuracy(trained_model, data.X_dev, data.y_dev)")],
}

# exercise id -> other correct answers (a different way to the same result must pass)
ALSO_CORRECT = {
    "09.1": [0.3],
}

# what the solutions use from their notebook, besides math and Value
NAMESPACE = {
    "fit": fit, "largest_stable_lr": largest_stable_lr, "ex": ex09, "data": ex09.moons_split(),
}
