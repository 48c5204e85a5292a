"""Answers to exercise set ex09 that its checks must judge: wrong ones and other right ones."""

import math

import numpy as np

from course.exercises import ex09
from course.nn import MLP
from course.optim import Adam
from course.show import largest_stable_lr
from course.training import accuracy, fit


def untrained(X, y):
    return MLP(2, [4, 1], activation="relu", seed=0)


def trained_on_dev(X, y):
    """Ignores the points it is given and fits the dev set: the dev score would be worthless."""
    dev = ex09.moons_split()
    model = MLP(2, [8, 8, 1], activation="relu", seed=0)
    fit(model, dev.X_dev, dev.y_dev, loss="bce", lr=1.0, steps=100, batch_size=20)
    return model


def forgets_to_return(X, y):
    model = MLP(2, [8, 8, 1], activation="relu", seed=0)
    fit(model, X, y, loss="bce", lr=1.0, steps=5, batch_size=20)


def tanh_network(X, y):
    model = MLP(2, [16, 1], activation="tanh", output_activation="linear", seed=1)
    fit(model, X, y, loss="hinge", optimizer=Adam(model.parameters(), lr=0.05), steps=150,
        batch_size=20)
    return model


def cosine_not_clamped(lr0, total_steps, lr_min):
    return lambda step: lr_min + 0.5 * (lr0 - lr_min) * (1 + math.cos(math.pi * step / total_steps))


def cosine_without_lr_min(lr0, total_steps, lr_min):
    return lambda step: 0.5 * lr0 * (1 + math.cos(math.pi * min(step, total_steps) / total_steps))


def linear_instead(lr0, total_steps, lr_min):
    return lambda step: lr0 - (lr0 - lr_min) * min(step, total_steps) / total_steps


def cosine_value(lr0, total_steps, lr_min):
    return lr0  # a number, not a schedule


def cosine_with_numpy(lr0, total_steps, lr_min):
    def schedule(step):
        k = np.clip(step, 0, total_steps)
        return float(lr_min + (lr0 - lr_min) * (np.cos(np.pi * k / total_steps) + 1) / 2)
    return schedule


# exercise id -> [(a wrong answer, a piece of text its verdict must contain), ...]
WRONG = {
    "09.1": [(10.0, "overshoot"), (0.001, "too small")],
    "09.2": [
        (untrained, "at least 90%"),
        (trained_on_dev, "does not learn from the points it is given"),
        (forgets_to_return, "should return the network"),
        (MLP(2, [4, 1], activation="relu", seed=0), "this is a network"),
    ],
    "09.3": [
        (cosine_not_clamped, "stays at lr_min"),
        (cosine_without_lr_min, "Check the formula"),
        (linear_instead, "Check the formula"),
        (cosine_value, "should return a schedule"),
    ],
}

# exercise id -> other correct answers (a different way to the same result must pass)
ALSO_CORRECT = {
    "09.1": [0.3],
    "09.2": [tanh_network],
    "09.3": [cosine_with_numpy],
}

# what the solutions use from their notebook, besides math and Value
NAMESPACE = {
    "fit": fit, "MLP": MLP, "accuracy": accuracy, "largest_stable_lr": largest_stable_lr,
    "ex": ex09, "data": ex09.moons_split(),
}
