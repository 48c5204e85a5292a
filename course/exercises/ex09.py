"""Exercises of notebook 09, training in practice: a learning-rate sweep that stops when the
loss blows up, a training function that reaches 90 % on the dev set from the training points
alone with every seed, a cosine schedule.

The data and the runs these exercises are about come from functions of this module
(``lr_sweep``, ``loss_after_training``, ``moons_split``), so the notebook and the checker
always look at exactly the same numbers.
"""

from __future__ import annotations

import functools
import inspect
import math
import numbers
from typing import NamedTuple

import numpy as np

from course import losses, optim
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
from course.exercises.shortcuts import call_without_shortcuts
from course.nn import MLP
from course.training import accuracy, fit

# ----------------------------------------------------------------------------------------------
# 09.1 A sweep that stops when the loss blows up
# ----------------------------------------------------------------------------------------------

SWEEP_LRS = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
SWEEP_STEPS = 40
SWEEP_BATCH = 10
STOP_FACTOR = 2.0  # the sweep stops at the first loss more than this many times the lowest so far
CHOICE_FACTOR = 1.5  # section 2's rule: the largest rate within this many times the lowest loss


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
    """The sweep of exercise 09.1 run in full: (learning rates, loss after training with each)."""
    return list(SWEEP_LRS), [loss_after_training(lr) for lr in SWEEP_LRS]


def expected_sweep(losses_: list[float]) -> tuple[int, int | None, int]:
    """The rule of exercise 09.1 on a sweep's losses, smallest rate first: (how many runs it
    makes, the index of the run that stops it or None, the index of the rate it chooses)."""
    lowest = math.inf
    for i, loss in enumerate(losses_):
        if not math.isfinite(loss) or loss > STOP_FACTOR * lowest:
            runs, stop = i + 1, i
            break
        lowest = min(lowest, loss)
    else:
        runs, stop = len(losses_), None
    kept = range(runs if stop is None else stop)
    return runs, stop, max(i for i in kept if losses_[i] <= CHOICE_FACTOR * lowest)


# Made-up sweeps, smallest rate first: (learning rates, the loss a run at each would give).
SWEEP_CASES = [
    # stops at 10 (0.7 > 2 x 0.3); 1000 happens to score low, but a sweep never gets there
    ([0.001, 0.01, 0.1, 1.0, 10.0, 100.0, 1000.0], [0.9, 0.6, 0.3, 0.4, 0.7, math.inf, 0.2]),
    # a nan stops it like inf: training broke down
    ([0.01, 0.03, 0.1, 0.3, 1.0, 3.0], [1.0, 0.8, 0.5, math.nan, 0.45, 0.5]),
    # the lowest loss comes first; a loss that rises a little does not stop the sweep
    ([0.1, 0.3, 1.0, 3.0, 10.0], [0.5, 0.6, 0.74, 1.2, 0.1]),
    # 1.5 x the lowest (0.6) decides, not the stopping factor 2
    ([0.01, 0.1, 1.0, 10.0, 100.0], [0.8, 0.4, 0.5, 0.7, 0.85]),
    # never blows up: every rate is tried
    ([0.001, 0.01, 0.1, 1.0], [0.9, 0.7, 0.5, 0.45]),
]


class _Runs:
    """``loss_after`` for the check: the loss of each rate from a table, and a record of the
    rates asked for (by index), in order."""

    def __init__(self, lrs: list[float], losses_: list[float]) -> None:
        self.lrs, self.losses, self.asked = lrs, losses_, []

    def __call__(self, lr: float) -> float:
        for i, rate in enumerate(self.lrs):
            if isinstance(lr, numbers.Real) and is_close(float(lr), rate, 1e-9):
                self.asked.append(i)
                return self.losses[i]
        raise ValueError(f"loss_after is asked about the rates of lrs only; {lr!r} is not one "
                         f"of them")


def _losses_text(lrs: list[float], losses_: list[float]) -> str:
    return ", ".join(f"{fmt(lr)}: {fmt(loss)}" for lr, loss in zip(lrs, losses_))


def _why_it_stops(losses_: list[float], stop: int) -> str:
    loss = losses_[stop]
    if not math.isfinite(loss):
        return f"its loss is {fmt(loss)} (training broke down)"
    lowest = min(losses_[:stop])
    return f"its loss {fmt(loss)} is more than {STOP_FACTOR:g} × the lowest so far ({fmt(lowest)})"


def _run_sweep(answer: object, lrs: list[float], losses_: list[float]) -> tuple[float, _Runs]:
    """Call the student's find_lr on one sweep; check which runs it made and what it chose."""
    runs = _Runs(lrs, losses_)
    shown = f"find_lr(loss_after, lrs), with lr: loss {_losses_text(lrs, losses_)}"
    chosen = call_student(answer, runs, list(lrs), shown=shown)
    count, stop, choice = expected_sweep(losses_)
    expected_runs = list(range(count))
    asked = runs.asked
    asked_text = ", ".join(fmt(lrs[i]) for i in asked) or "none"
    case = Case(shown, f"runs at {', '.join(fmt(lrs[i]) for i in expected_runs)}",
                f"runs at {asked_text}")
    if len(set(asked)) < len(asked):
        raise Incorrect("Call `loss_after` once per rate: each call trains a network, and the "
                        "point of the exercise is to train no more often than needed. Keep the "
                        "loss it returns in a variable.", case)
    if asked != list(range(len(asked))):
        raise Incorrect("Go through `lrs` in order, smallest first, and call `loss_after(lr)` "
                        "once for each rate you try.", case)
    if len(asked) > count:
        if math.isnan(losses_[stop]):
            shortcut = ("Every comparison with nan is False, `nan > 2 * lowest` too, so test "
                        "`not math.isfinite(loss)` as well. ")
        elif len(asked) == len(lrs):
            shortcut = ("Your function trained at every rate, as the whole sweep of section 2 "
                        "did, and then chose (as section 2's rule and `largest_stable_lr` choose "
                        "from a whole sweep). ")
        else:
            shortcut = "Your function went on after that rate. "
        raise Incorrect(
            f"The sweep should stop at lr = {fmt(lrs[stop])}: {_why_it_stops(losses_, stop)}. "
            f"{shortcut}The runs after the stop are wasted: past the best rate, larger steps "
            f"only overshoot more. Leave the loop (`break`) at the first such loss.", case)
    if len(asked) < count:
        last = asked[-1] if asked else None
        if last is None:
            raise Incorrect("`find_lr` should train at the rates of `lrs`: call "
                            "`loss_after(lr)` for each one it tries.", case)
        if len(asked) == 1:
            why = "the first rate, whose loss is the lowest so far"
        else:
            lowest = min(losses_[i] for i in asked[:-1])
            why = (f"whose loss {fmt(losses_[last])} is finite and not more than "
                   f"{STOP_FACTOR:g} × the lowest so far ({fmt(lowest)}): a loss that rises a "
                   f"little is noise, not yet a blow-up")
        raise Incorrect(
            f"Your sweep stopped after lr = {fmt(lrs[last])}, {why}. Stop only at a loss that "
            f"is not finite or more than {STOP_FACTOR:g} × the lowest so far.", case)
    got = expect_number(chosen, "find_lr(loss_after, lrs)")
    if not is_close(got, lrs[choice], 1e-9):
        tried = range(count if stop is None else stop)
        lowest = min(losses_[i] for i in tried)
        best = min(tried, key=lambda i: losses_[i])
        if is_close(got, lrs[best], 1e-9):
            advice = (f"lr = {fmt(got)} has the lowest loss; the rule takes the largest rate "
                      f"whose loss is at most {CHOICE_FACTOR:g} × the lowest: larger steps learn "
                      f"faster, as long as they train about as well.")
        elif stop is not None and is_close(got, lrs[stop], 1e-9):
            advice = "The rate that stopped the sweep is never the answer: its run blew up."
        else:
            advice = (f"Return the largest rate before the stop whose loss is at most "
                      f"{CHOICE_FACTOR:g} × the lowest ({CHOICE_FACTOR:g} × {fmt(lowest)} = "
                      f"{fmt(CHOICE_FACTOR * lowest)}).")
        raise Incorrect(advice, Case(shown, f"lr = {fmt(lrs[choice])}", f"lr = {fmt(got)}"))
    return got, runs


def _test_find_lr(answer: object) -> str:
    if isinstance(answer, numbers.Real) and not isinstance(answer, bool):
        raise Incorrect(
            "`find_lr` should be a function that runs the sweep, not a learning rate read off "
            "a plot: `def find_lr(loss_after, lrs): ...`.",
            Case("find_lr", "a function (loss_after, lrs) -> learning rate", type_name(answer)))
    expect_function(answer, "find_lr")
    for lrs, losses_ in SWEEP_CASES:
        _run_sweep(answer, lrs, losses_)
    lrs, sweep_losses = lr_sweep()
    chosen, runs = _run_sweep(answer, lrs, sweep_losses)
    stop = expected_sweep(sweep_losses)[1]
    return (f"Right: on the moons sweep your function trained at {len(runs.asked)} of the "
            f"{len(lrs)} rates and stopped at lr = {fmt(lrs[stop])}: "
            f"{_why_it_stops(sweep_losses, stop)}. It chose lr = {fmt(chosen)}. On the made-up "
            f"sweeps, too, it stopped and chose as the rule says, also at a nan.")


q1 = Exercise(
    "09.1",
    "a sweep that stops when the loss blows up",
    "find_lr",
    _test_find_lr,
    hints=[
        "Loop `for lr in lrs:` and call `loss = loss_after(lr)` once per rate. Keep the lowest "
        "loss so far (start it at `math.inf`), and two lists: the rates tried and their losses.",
        "The stop, tested before you keep the rate: `if not math.isfinite(loss) or loss > 2 * "
        "lowest: break`. The rate that stops the sweep is never the answer, and neither is any "
        "rate after it.",
        "After the loop, section 2's rule on what you kept: `max(lr for lr, loss in zip(tried, "
        "losses) if loss <= 1.5 * lowest)`.",
    ],
    solution="""
        def find_lr(loss_after, lrs):
            tried, losses = [], []
            lowest = math.inf
            for lr in lrs:  # smallest first, one training run each
                loss = loss_after(lr)
                if not math.isfinite(loss) or loss > 2 * lowest:
                    break  # blown up: larger rates only overshoot more
                tried.append(lr)
                losses.append(loss)
                lowest = min(lowest, loss)
            return max(lr for lr, loss in zip(tried, losses) if loss <= 1.5 * lowest)
    """,
)


# ----------------------------------------------------------------------------------------------
# 09.2 A model that reaches 90 % on the dev set, whatever the seed
# ----------------------------------------------------------------------------------------------

DEV_TARGET = 0.9
SEEDS = (0, 1, 2)  # the notebook's seeds: a setting must reach the target with each
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


def _trained_by(answer: object, X: np.ndarray, y: np.ndarray, seed: int, shown: str):
    """Call the student's ``train_model(X, y, seed)`` and check that it returned a network."""
    model = call_student(answer, X.copy(), y.copy(), seed, shown=shown)
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
            "`def train_model(X, y, seed):`.",
            Case("train_model", "a function (X, y, seed) -> trained network", type_name(answer)))
    expect_function(answer, "train_model")
    try:
        inspect.signature(answer).bind(None, None, 0)
    except TypeError:
        raise Incorrect(
            "`train_model` takes three arguments, `train_model(X, y, seed)`: the check calls it "
            "with seeds 0, 1 and 2, and the seed should pick the starting weights "
            "(`MLP(..., seed=seed)`) and the order of the batches (`fit(..., seed=seed)`).",
            Case("train_model(data.X_train, data.y_train, 0)", "a trained network",
                 "a function that does not take (X, y, seed)")) from None
    except ValueError:  # no signature to read (a builtin): let the calls below decide
        pass
    data = moons_split()
    models, accuracies = [], []
    for seed in SEEDS:
        model = _trained_by(answer, data.X_train, data.y_train, seed,
                            f"train_model(data.X_train, data.y_train, {seed})")
        models.append(model)
        accuracies.append(call_student(accuracy, model, data.X_dev, data.y_dev,
                                       shown="accuracy(model, data.X_dev, data.y_dev)"))
    total = len(data.y_dev)
    each = ", ".join(f"seed {s}: {a:.1%}" for s, a in zip(SEEDS, accuracies))
    weights = [[p.data for p in model.parameters()] for model in models]
    if all(w == weights[0] for w in weights[1:]):
        raise Incorrect(
            "Your function trains the same network whatever the seed, so the three runs are "
            "one run three times. Pass `seed` on: `MLP(..., seed=seed)` for the starting "
            "weights and `fit(..., seed=seed)` for the order of the batches.",
            Case("train_model(data.X_train, data.y_train, seed) for seeds 0, 1, 2",
                 "three different networks", "the same parameters each time"))
    if min(accuracies) < DEV_TARGET:
        worst = SEEDS[int(np.argmin(accuracies))]
        if max(accuracies) >= DEV_TARGET:
            advice = (f"Not with every seed: with seed {worst} your network stays below "
                      f"{DEV_TARGET:.0%}. One run is one sample (section 1): a setting that "
                      f"reaches the target with one seed and not with another was lucky. ")
        else:
            advice = "Not accurate enough yet, with none of the three seeds. "
        raise Incorrect(
            advice + "Is the training loss still falling at the end? Then the network has not "
            "yet bent its boundary round the tips of the moons: train on more points (more "
            "steps, or larger batches). A straight-line boundary tops out near 85%: the "
            "network needs a hidden layer.",
            Case("accuracy(train_model(data.X_train, data.y_train, seed), data.X_dev, "
                 "data.y_dev)", f"at least {DEV_TARGET:.0%} for seeds 0, 1 and 2", each),
        )
    # Trained on the points it was given? With every training label flipped, a function that
    # learns from its arguments must learn the flipped classes; one that reads other data does not.
    flipped = _trained_by(answer, data.X_train, 1 - data.y_train, 0,
                          "train_model(data.X_train, 1 - data.y_train, 0)")
    flipped_accuracy = accuracy(flipped, data.X_dev, 1 - data.y_dev)
    if flipped_accuracy < FLIPPED_TARGET:
        raise Incorrect(
            "Your function does not learn from the points it is given: trained on the training "
            "points with every label flipped, its network should predict the flipped classes, "
            "and it does not. Train on `X` and `y`, the function's own arguments, never on "
            "`data` or on the dev points.",
            Case("train_model(data.X_train, 1 - data.y_train, 0), scored on the flipped dev "
                 "labels", f"at least {FLIPPED_TARGET:.0%}", f"{flipped_accuracy:.1%}"),
        )
    correct = [round(a * total) for a in accuracies]
    return (f"Right: trained on the 180 training points alone, your networks classify "
            f"{', '.join(f'{c}' for c in correct)} of the {total} dev points correctly with seeds "
            f"0, 1 and 2 ({each}): a setting that does not depend on a lucky seed.")


q2 = Exercise(
    "09.2",
    "90 % on the dev set, with every seed",
    "train_model",
    _test_train_model,
    hints=[
        "Start from section 1's `train`: inside the function build `MLP(2, [8, 8, 1], "
        "activation=\"relu\", seed=seed)`, call `fit(model, X, y, loss=\"bce\", lr=1.0, "
        "batch_size=16, steps=..., seed=seed)` with the function's own `X`, `y` and `seed`, and "
        "`return model`.",
        "Try all three seeds in a cell: `[accuracy(train_model(data.X_train, data.y_train, s), "
        "data.X_dev, data.y_dev) for s in (0, 1, 2)]`. A seed that stays well below 90 % has "
        "not learned the tips of the moons yet. More steps help, and so do larger batches: every "
        "step then sees more points, and the steps are less noisy.",
        "Plain SGD at learning rate 1 needs 200 steps with batches of 20 to reach 90 % with "
        "each of the three seeds (200 steps of 16 are not enough: one seed gets 81.7 %). Adam "
        "at learning rate 0.03, as in section 7, gets there in 150 steps of 16.",
    ],
    solution="""
        def train_model(X, y, seed):
            model = MLP(2, [8, 8, 1], activation="relu", seed=seed)
            fit(model, X, y, loss="bce", optimizer=Adam(model.parameters(), lr=0.03), steps=150,
                batch_size=16, seed=seed)
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


# course.optim has its own cosine schedule: the exercise is to write one
OPTIM = {"course.optim": optim}
COSINE_TASK = "The exercise asks you to write the schedule yourself, from the formula."


def _test_cosine_schedule(answer: object) -> str:
    expect_function(answer, "cosine_schedule")
    for (lr0, total, lr_min), steps in COSINE_CASES:
        made = f"cosine_schedule({fmt(lr0)}, {total}, {fmt(lr_min)})"
        schedule = call_without_shortcuts(answer, lr0, total, lr_min, shown=made,
                                          shortcuts=OPTIM, task=COSINE_TASK)
        if not callable(schedule):
            raise Incorrect(
                "`cosine_schedule` should return a schedule: a function of the step number "
                "(define `def schedule(step): ...` inside it and `return schedule`).",
                Case(made, "a function step -> learning rate", type_name(schedule)))
        for step in steps:
            shown = f"{made}({step})"
            got = expect_number(call_without_shortcuts(schedule, step, shown=shown,
                                                       shortcuts=OPTIM, task=COSINE_TASK), shown)
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
