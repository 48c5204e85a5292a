"""Exercises of notebook 09, training in practice: pick a learning rate, reach a dev accuracy.

The data and the runs these exercises are about come from functions of this module
(``lr_sweep``, ``loss_after_training``, ``moons_split``), so the notebook and the checker
always look at exactly the same numbers.
"""

from __future__ import annotations

import functools
import math
from typing import NamedTuple

import numpy as np

from course import losses
from course.data import make_moons, to_pm1, train_dev_test_split
from course.exercises.checking import Case, Exercise, Incorrect, call_student, expect_number, fmt
from course.nn import MLP
from course.training import accuracy, fit

# ----------------------------------------------------------------------------------------------
# 09.1 A learning rate from a sweep
# ----------------------------------------------------------------------------------------------

SWEEP_LRS = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
SWEEP_STEPS = 40
SWEEP_BATCH = 10
GOOD_ENOUGH = 2.0  # accepted: a final loss at most this many times the sweep's lowest


@functools.cache
def sweep_data() -> tuple[np.ndarray, np.ndarray]:
    """The 100 moons points every run of the sweep trains on."""
    return make_moons(100, noise=0.1, seed=0)


def loss_after_training(lr: float) -> float:
    """Train MLP(2, [8, 8, 1], relu) with SGD at ``lr`` for 40 mini-batch steps; its hinge loss
    on all 100 points afterwards (inf if training diverged)."""
    X, y = sweep_data()
    model = MLP(2, [8, 8, 1], activation="relu", seed=0)
    history = fit(model, X, y, loss="hinge", lr=lr, steps=SWEEP_STEPS, batch_size=SWEEP_BATCH)
    if history.diverged:
        return math.inf
    loss = losses.hinge(model.forward_batch(X.tolist()), to_pm1(y)).data
    return loss if math.isfinite(loss) else math.inf


@functools.cache
def lr_sweep() -> tuple[list[float], list[float]]:
    """The sweep of exercise 09.1: (learning rates, loss after training with each)."""
    return list(SWEEP_LRS), [loss_after_training(lr) for lr in SWEEP_LRS]


def _test_chosen_lr(answer: object) -> str:
    lr = expect_number(answer, "chosen_lr")
    if lr <= 0:
        raise Incorrect(f"`chosen_lr` is {fmt(lr)}: a learning rate is a positive number.",
                        Case("chosen_lr", "a positive number", fmt(lr)))
    _, sweep_losses = lr_sweep()
    limit = GOOD_ENOUGH * min(sweep_losses)
    loss = loss_after_training(lr)
    shown = f"40 steps with lr = {fmt(lr)}"
    if loss <= limit:
        return (f"Right: with lr = {fmt(lr)} the loss after 40 steps is {loss:.3f}, within "
                f"{GOOD_ENOUGH:g}× the lowest loss of the sweep ({min(sweep_losses):.3f}).")
    if math.isinf(loss):
        advice = "Training diverged: the steps are far too large."
    elif lr > SWEEP_LRS[int(np.argmin(sweep_losses))]:
        advice = "The loss is worse than near the best learning rate: the steps overshoot."
    else:
        advice = "The loss is still high after 40 steps: the steps are too small to get far."
    raise Incorrect(advice, Case(shown, f"a loss of at most {limit:.3f} (2 × the lowest)",
                                 "inf (diverged)" if math.isinf(loss) else f"{loss:.3f}"))


q1 = Exercise(
    "09.1",
    "a learning rate from the sweep",
    "chosen_lr",
    _test_chosen_lr,
    hints=[
        "Find the lowest point of the sweep. Then look right of it: how far can the learning rate "
        "grow before the loss gets clearly worse?",
        "A good rule: the largest learning rate whose loss stays within 2× the lowest loss. "
        "`largest_stable_lr(lrs, sweep_losses)` applies it, and `plot_lr_finder(lrs, "
        "sweep_losses)` draws it as a green line.",
        "Any learning rate whose loss after 40 steps is at most 2× the lowest of the sweep is "
        "accepted, also one between the points of the sweep.",
    ],
    solution="""
        # the largest lr whose loss stays within 2x the lowest one of the sweep
        # (largest_stable_lr(lrs, sweep_losses) gives the same number)
        chosen_lr = 1.0
    """,
)


# ----------------------------------------------------------------------------------------------
# 09.2 A model that reaches 90 % on the dev set
# ----------------------------------------------------------------------------------------------

DEV_TARGET = 0.9


@functools.cache
def _split() -> tuple[np.ndarray, ...]:
    X, y = make_moons(300, noise=0.1, seed=1)
    return train_dev_test_split(X, y, (0.6, 0.2, 0.2), seed=0)


class Split(NamedTuple):
    """A training set and a dev set: ``data.X_train``, ``data.y_train``, ``data.X_dev``, ..."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_dev: np.ndarray
    y_dev: np.ndarray


def moons_split() -> Split:
    """The data of exercise 09.2: 180 training and 60 dev points of 300 moons points.

    The remaining 60 are the test set, kept back for an honest final score.
    """
    X_train, y_train, X_dev, y_dev, _, _ = _split()
    return Split(X_train.copy(), y_train.copy(), X_dev.copy(), y_dev.copy())


def _test_trained_model(answer: object) -> str:
    if not callable(getattr(answer, "parameters", None)):
        raise Incorrect("`trained_model` should be a trained network, such as an MLP.",
                        Case("trained_model", "a trained MLP", type(answer).__name__))
    data = moons_split()
    call_student(answer, data.X_dev[0].tolist(), shown="trained_model([x, y])")
    dev_accuracy = call_student(accuracy, answer, data.X_dev, data.y_dev,
                                shown="accuracy(trained_model, data.X_dev, data.y_dev)")
    correct, total = round(dev_accuracy * len(data.y_dev)), len(data.y_dev)
    if dev_accuracy >= DEV_TARGET:
        return (f"Right: {dev_accuracy:.1%} of the dev points ({correct} of {total}) are "
                f"classified correctly.")
    raise Incorrect(
        "Not accurate enough yet. Look at the training loss: still falling? Train longer or "
        "with a larger learning rate. A straight-line boundary tops out near 82%: the network "
        "needs a hidden layer.",
        Case("accuracy(trained_model, data.X_dev, data.y_dev)", f"at least {DEV_TARGET:.0%}",
             f"{dev_accuracy:.1%} ({correct} of {total})"),
    )


q2 = Exercise(
    "09.2",
    "90 % on the dev set",
    "trained_model",
    _test_trained_model,
    hints=[
        "Start from `MLP(2, [8, 8, 1], activation=\"relu\")` and `fit` with the hinge loss, "
        "mini-batches of 20 and about 150 steps.",
        "`accuracy(trained_model, data.X_dev, data.y_dev)` says where you are. To watch the dev "
        "accuracy during training, pass `X_dev=data.X_dev, y_dev=data.y_dev` to `fit` and plot "
        "`history.dev_acc` (slower).",
        "If the dev accuracy stays near 85%, the learning rate is probably too small: try "
        "values from a sweep, like 0.3.",
    ],
    solution="""
        trained_model = MLP(2, [8, 8, 1], activation="relu", seed=0)
        history = fit(trained_model, data.X_train, data.y_train, loss="hinge", lr=0.3,
                      steps=150, batch_size=20)
    """,
)
