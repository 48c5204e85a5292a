"""Answers to exercise set ex09 that its checks must judge: wrong ones and other right ones."""

import math

import numpy as np

from course.exercises import ex09
from course.nn import MLP
from course.optim import Adam
from course.show import largest_stable_lr
from course.training import accuracy, fit


def untrained(X, y, seed):
    return MLP(2, [4, 1], activation="relu", seed=seed)


def trained_on_dev(X, y, seed):
    """Ignores the points it is given and fits the dev set: the dev score would be worthless."""
    dev = ex09.moons_split()
    model = MLP(2, [8, 8, 1], activation="relu", seed=seed)
    fit(model, dev.X_dev, dev.y_dev, loss="bce", lr=1.0, steps=200, batch_size=20, seed=seed)
    return model


def forgets_to_return(X, y, seed):
    model = MLP(2, [8, 8, 1], activation="relu", seed=seed)
    fit(model, X, y, loss="bce", lr=1.0, steps=5, batch_size=20, seed=seed)


def body_train_longer(X, y, seed):
    """Section 1's train() with 200 steps: 98.3 % with seed 0, but 81.7 % with seed 1."""
    model = MLP(2, [8, 8, 1], activation="relu", output_activation="linear", seed=seed)
    fit(model, X, y, loss="bce", lr=1.0, steps=200, batch_size=16, seed=seed)
    return model


def one_seed_only(X, y, seed):
    """A setting that works, but seed 0 whatever it is asked: one run, three times."""
    model = MLP(2, [8, 8, 1], activation="relu", seed=0)
    fit(model, X, y, loss="bce", optimizer=Adam(model.parameters(), lr=0.03), steps=150,
        batch_size=16)
    return model


def without_seed(X, y):
    model = MLP(2, [8, 8, 1], activation="relu", seed=0)
    fit(model, X, y, loss="bce", lr=1.0, steps=100, batch_size=20)
    return model


def sgd_longer_larger_batches(X, y, seed):
    """Section 1's train() with plain SGD: 200 steps of 20 work for every seed."""
    model = MLP(2, [8, 8, 1], activation="relu", output_activation="linear", seed=seed)
    fit(model, X, y, loss="bce", lr=1.0, steps=200, batch_size=20, seed=seed)
    return model


def whole_sweep_then_rule(loss_after, lrs):
    """Section 2's way: every rate, then the largest within 1.5 x the lowest loss."""
    losses = [loss_after(lr) for lr in lrs]
    lowest = min(losses)
    return max(lr for lr, loss in zip(lrs, losses) if loss <= 1.5 * lowest)


def whole_sweep_package(loss_after, lrs):
    return largest_stable_lr(lrs, [loss_after(lr) for lr in lrs], factor=1.5)


def stops_when_the_loss_rises(loss_after, lrs):
    tried, previous = [], math.inf
    for lr in lrs:
        loss = loss_after(lr)
        if not math.isfinite(loss) or loss > previous:
            break
        tried.append((lr, loss))
        previous = loss
    lowest = min(loss for _, loss in tried)
    return max(lr for lr, loss in tried if loss <= 1.5 * lowest)


def misses_nan(loss_after, lrs):
    tried, lowest = [], math.inf
    for lr in lrs:
        loss = loss_after(lr)
        if loss > 2 * lowest:  # nan > anything is False: a nan does not stop this sweep
            break
        tried.append((lr, loss))
        lowest = min(lowest, loss)
    return max(lr for lr, loss in tried if loss <= 1.5 * lowest)


def lowest_loss_rate(loss_after, lrs):
    tried, lowest = [], math.inf
    for lr in lrs:
        loss = loss_after(lr)
        if not math.isfinite(loss) or loss > 2 * lowest:
            break
        tried.append((lr, loss))
        lowest = min(lowest, loss)
    return min(tried, key=lambda pair: pair[1])[0]


def trains_twice_per_rate(loss_after, lrs):
    tried, lowest = [], math.inf
    for lr in lrs:
        if not math.isfinite(loss_after(lr)) or loss_after(lr) > 2 * lowest:
            break
        tried.append((lr, loss_after(lr)))
        lowest = min(lowest, tried[-1][1])
    return max(lr for lr, loss in tried if loss <= 1.5 * lowest)


def sweep_with_index(loss_after, lrs):
    """A while loop, the choice by the package's rule on the rates before the stop."""
    losses, i = [], 0
    while i < len(lrs):
        loss = loss_after(lrs[i])
        if not np.isfinite(loss) or (losses and loss > 2 * min(losses)):
            break
        losses.append(loss)
        i += 1
    return largest_stable_lr(lrs[: len(losses)], losses, factor=1.5)


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
def cosine_of_the_package(lr0, total_steps, lr_min):
    """Right numbers, but course.optim's own cosine schedule."""
    from course import optim

    return optim.cosine(lr0, total_steps, lr_min)


WRONG = {
    "09.1": [
        (1.0, "not a learning rate read off"),
        (whole_sweep_then_rule, "as the whole sweep of section 2 did"),
        (whole_sweep_package, "`largest_stable_lr` choose from a whole sweep"),
        (stops_when_the_loss_rises, "a loss that rises a little is noise"),
        (misses_nan, "Every comparison with nan is False"),
        (lowest_loss_rate, "has the lowest loss; the rule takes the largest rate"),
        (trains_twice_per_rate, "Call `loss_after` once per rate"),
    ],
    "09.2": [
        (untrained, "at least 90%"),
        (body_train_longer, "Not with every seed: with seed 1"),
        (one_seed_only, "trains the same network whatever the seed"),
        (without_seed, "takes three arguments"),
        (trained_on_dev, "does not learn from the points it is given"),
        (forgets_to_return, "should return the network"),
        (MLP(2, [4, 1], activation="relu", seed=0), "this is a network"),
    ],
    "09.3": [
        (cosine_of_the_package, "calls the package's `course.optim.cosine`"),
        (cosine_not_clamped, "stays at lr_min"),
        (cosine_without_lr_min, "Check the formula"),
        (linear_instead, "Check the formula"),
        (cosine_value, "should return a schedule"),
    ],
}

# exercise id -> other correct answers (a different way to the same result must pass)
ALSO_CORRECT = {
    "09.1": [sweep_with_index],
    "09.2": [sgd_longer_larger_batches],
    "09.3": [cosine_with_numpy],
}

# what the solutions use from their notebook, besides math and Value
NAMESPACE = {
    "fit": fit, "MLP": MLP, "Adam": Adam, "accuracy": accuracy, "ex": ex09,
    "data": ex09.moons_split(),
}
