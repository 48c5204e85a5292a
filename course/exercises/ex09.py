"""Exercises of notebook 09, training in practice: a learning rate from a sweep, a training
function that reaches 90 % on the dev set from the training points alone, a cosine schedule.

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
from course.exercises.checking import (
    Case,
    Exercise,
    Incorrect,
    call_student,
    expect_function,
    expect_number,
    fmt,
    is_close,
    type_name,
)
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
FLIPPED_TARGET = 0.75  # the same function, trained on flipped labels


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


def _trained_by(answer: object, X: np.ndarray, y: np.ndarray, shown: str):
    """Call the student's ``train_model(X, y)`` and check that it returned a network."""
    model = call_student(answer, X.copy(), y.copy(), shown=shown)
    if not callable(getattr(model, "parameters", None)):
        raise Incorrect("`train_model` should return the network it trained (end with "
                        "`return model`).", Case(shown, "a trained MLP", type(model).__name__))
    call_student(model, X[0].tolist(), shown="model([x, y])")
    return model


def _test_train_model(answer: object) -> str:
    if callable(getattr(answer, "parameters", None)):
        raise Incorrect(
            "`train_model` should be a function that builds and trains a network and returns "
            "it; this is a network. Put the building and the `fit` call inside "
            "`def train_model(X, y):`.",
            Case("train_model", "a function (X, y) -> trained network", type_name(answer)))
    expect_function(answer, "train_model")
    data = moons_split()
    model = _trained_by(answer, data.X_train, data.y_train,
                        "train_model(data.X_train, data.y_train)")
    dev_accuracy = call_student(accuracy, model, data.X_dev, data.y_dev,
                                shown="accuracy(model, data.X_dev, data.y_dev)")
    correct, total = round(dev_accuracy * len(data.y_dev)), len(data.y_dev)
    if dev_accuracy < DEV_TARGET:
        raise Incorrect(
            "Not accurate enough yet. Is the training loss still falling at the end? Train "
            "longer or with a larger learning rate. A straight-line boundary tops out near 85%: "
            "the network needs a hidden layer.",
            Case("accuracy(train_model(data.X_train, data.y_train), data.X_dev, data.y_dev)",
                 f"at least {DEV_TARGET:.0%}", f"{dev_accuracy:.1%} ({correct} of {total})"),
        )
    # Trained on the points it was given? With every training label flipped, a function that
    # learns from its arguments must learn the flipped classes; one that reads other data does not.
    flipped = _trained_by(answer, data.X_train, 1 - data.y_train,
                          "train_model(data.X_train, 1 - data.y_train)")
    flipped_accuracy = accuracy(flipped, data.X_dev, 1 - data.y_dev)
    if flipped_accuracy < FLIPPED_TARGET:
        raise Incorrect(
            "Your function does not learn from the points it is given: trained on the training "
            "points with every label flipped, its network should predict the flipped classes, "
            "and it does not. Train on `X` and `y`, the function's own arguments, never on "
            "`data` or on the dev points.",
            Case("train_model(data.X_train, 1 - data.y_train), scored on the flipped dev labels",
                 f"at least {FLIPPED_TARGET:.0%}", f"{flipped_accuracy:.1%}"),
        )
    return (f"Right: trained on the 180 training points alone, your network classifies "
            f"{dev_accuracy:.1%} of the dev points ({correct} of {total}) correctly.")


q2 = Exercise(
    "09.2",
    "90 % on the dev set, trained on the training set",
    "train_model",
    _test_train_model,
    hints=[
        "Inside the function: build `MLP(2, [8, 8, 1], activation=\"relu\", seed=0)`, call "
        "`fit(model, X, y, loss=\"bce\", ...)` with the function's own `X` and `y`, and "
        "`return model`.",
        "Try your function in a cell: `accuracy(train_model(data.X_train, data.y_train), "
        "data.X_dev, data.y_dev)`. If it stays near 85%, the network has not learned the curve "
        "yet: more steps or a larger learning rate (a sweep says how large).",
        "Learning rate 1, 100 steps and batches of 20 are enough.",
    ],
    solution="""
        def train_model(X, y):
            model = MLP(2, [8, 8, 1], activation="relu", seed=0)
            fit(model, X, y, loss="bce", lr=1.0, steps=100, batch_size=20)
            return model

    """,
)


# ----------------------------------------------------------------------------------------------
# 09.3 A cosine schedule
# ----------------------------------------------------------------------------------------------

# (lr0, total_steps, lr_min) and the steps each schedule is asked about
COSINE_CASES = [
    ((1.0, 100, 0.0), [0, 1, 25, 50, 75, 99, 100, 150]),
    ((0.3, 10, 0.03), [0, 3, 5, 9, 10, 11, 1000]),
    ((2.0, 7, 0.5), [0, 1, 2, 3, 4, 5, 6, 7, 8]),
]
COSINE_TRAIN_STEPS = 30


def expected_cosine(lr0: float, total_steps: int, lr_min: float, step: int) -> float:
    """The cosine schedule's learning rate at ``step`` (flat at lr_min after total_steps)."""
    k = min(step, total_steps)
    return lr_min + 0.5 * (lr0 - lr_min) * (1 + math.cos(math.pi * k / total_steps))


def _test_cosine_schedule(answer: object) -> str:
    expect_function(answer, "cosine_schedule")
    for (lr0, total, lr_min), steps in COSINE_CASES:
        made = f"cosine_schedule({fmt(lr0)}, {total}, {fmt(lr_min)})"
        schedule = call_student(answer, lr0, total, lr_min, shown=made)
        if not callable(schedule):
            raise Incorrect(
                "`cosine_schedule` should return a schedule: a function of the step number "
                "(define `def schedule(step): ...` inside it and `return schedule`).",
                Case(made, "a function step -> learning rate", type_name(schedule)))
        for step in steps:
            shown = f"{made}({step})"
            got = expect_number(call_student(schedule, step, shown=shown), shown)
            expected = expected_cosine(lr0, total, lr_min, step)
            if not is_close(got, expected, 1e-9):
                if step > total:
                    advice = f"After step {total} the learning rate stays at lr_min."
                elif step in (0, total):
                    advice = "The schedule starts at lr0 and ends at lr_min at step total_steps."
                else:
                    advice = "Check the formula: half of (lr0 - lr_min) times (1 + cos(pi k / T))."
                raise Incorrect(advice, Case(shown, fmt(expected), fmt(got)))
    X, y = sweep_data()
    model = MLP(2, [8, 8, 1], activation="relu", seed=0)
    schedule = call_student(answer, 1.0, COSINE_TRAIN_STEPS, 0.1,
                            shown=f"cosine_schedule(1.0, {COSINE_TRAIN_STEPS}, 0.1)")
    history = call_student(
        lambda: fit(model, X, y, loss="hinge", schedule=schedule, steps=COSINE_TRAIN_STEPS,
                    batch_size=SWEEP_BATCH),
        shown=f"fit(model, X, y, schedule=cosine_schedule(1.0, {COSINE_TRAIN_STEPS}, 0.1), ...)",
    )
    return (f"Right: your schedules match the cosine formula at every step asked, and fit used "
            f"one: the learning rate went from {history.lr[0]:g} to {history.lr[-1]:.3g} in "
            f"{COSINE_TRAIN_STEPS} steps, and the hinge loss of the batches from "
            f"{history.train_loss[0]:.3f} to {history.train_loss[-1]:.3f}.")


q3 = Exercise(
    "09.3",
    "a cosine schedule",
    "cosine_schedule",
    _test_cosine_schedule,
    hints=[
        "`cosine_schedule` returns a function: inside it, `def schedule(step): ...`, and at the "
        "end `return schedule` (without calling it). `my_linear_decay` in section 3 has the "
        "same shape.",
        "In `schedule`, first `k = min(step, total_steps)`, so that steps past the end stay at "
        "lr_min. Then the formula, with `math.cos` and `math.pi`.",
        "`return lr_min + 0.5 * (lr0 - lr_min) * (1 + math.cos(math.pi * k / total_steps))`.",
    ],
    solution="""
        def cosine_schedule(lr0, total_steps, lr_min):
            def schedule(step):
                k = min(step, total_steps)
                return lr_min + 0.5 * (lr0 - lr_min) * (1 + math.cos(math.pi * k / total_steps))
            return schedule
    """,
)
