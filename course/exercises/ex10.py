"""Exercises of notebook 10, the playground: choose on the dev set, look at the test set once.

10.1 and 10.3 train small networks on a circles split of this module (``circles_split``) with
one fixed recipe (``train_width``), so the notebook and the checker compute the same numbers.
10.2 is a playground setup for the two-armed spiral: the checker trains it from scratch exactly
as the playground does (a ``PlaygroundRun``, the same seed, the same batches). The playground's
held-out points are what the learner tunes on, so they serve as the dev set; the test set is a
fresh draw of the same dataset that the playground never shows, and the check reports it once.
None of the notebook's own setups passes: the spiral needs a learning rate and a width that
the notebook does not show.
"""

from __future__ import annotations

import functools

import numpy as np

from course.data import make_circles, train_dev_test_split
from course.exercises.checking import Case, Exercise, Incorrect, is_close, type_name
from course.exercises.ex09 import Split  # a training set and a dev set
from course.nn import MLP
from course.show.playground import DATASETS, PlaygroundRun, PlaygroundSettings
from course.training import accuracy, fit

DATA_FIELDS = ("dataset", "noise", "train_percent", "seed")
TEST_SEED_OFFSET = 1000  # the fresh test points: the same dataset drawn with another seed


def as_settings(answer: object, name: str) -> PlaygroundSettings:
    """The setup an answer describes: from a Playground, PlaygroundSettings or setup string."""
    if hasattr(answer, "state_string"):
        answer = answer.state_string()
    if isinstance(answer, PlaygroundSettings):
        return answer.check()
    if not isinstance(answer, str):
        raise Incorrect(
            f"`{name}` should be a setup string (copy it from the playground's setup box), a "
            f"Playground or PlaygroundSettings; it is a {type(answer).__name__}.",
            Case(name, "a setup like \"dataset=xor; layers=8; lr=0.3\"", repr(answer)),
        )
    try:
        return PlaygroundSettings.from_string(answer)
    except ValueError as error:
        raise Incorrect(f"The setup cannot be read: {error}.",
                        Case(name, "a readable setup string", repr(answer))) from None


def trained_run(settings: PlaygroundSettings, epochs: int) -> PlaygroundRun:
    """Train ``settings`` from scratch for ``epochs`` epochs, as the playground does."""
    run = PlaygroundRun(settings)
    for _ in range(epochs):
        if not run.train_epoch():
            raise Incorrect(run.diverged_message,
                            Case(settings.to_string(), f"{epochs} epochs of training", "diverged"))
    return run


def run_accuracy(run: PlaygroundRun, X: np.ndarray, y: np.ndarray) -> float:
    return float((run.predict_classes(X) == y).mean())


def fresh_test_set(settings: PlaygroundSettings) -> tuple[np.ndarray, np.ndarray]:
    """New points of the same dataset and noise, never shown by the playground: a test set."""
    make = DATASETS[settings.dataset]
    return make(200, noise=settings.noise, seed=settings.seed + TEST_SEED_OFFSET)


def expect_data(settings: PlaygroundSettings, required: PlaygroundSettings, name: str) -> None:
    """The data settings (dataset, noise, train %, seed) must be the exercise's own."""
    for field in DATA_FIELDS:
        if getattr(settings, field) != getattr(required, field):
            wanted = (f"dataset={required.dataset}; noise={required.noise:g}; "
                      f"train={required.train_percent}; seed={required.seed}")
            raise Incorrect(
                f"Keep the data as the exercise gives it ({wanted}) and change only the network "
                f"and the training settings.",
                Case(name, f"{field} = {getattr(required, field)}",
                     f"{field} = {getattr(settings, field)}"),
            )


# ----------------------------------------------------------------------------------------------
# The circles split and the training recipe of 10.1 and 10.3
# ----------------------------------------------------------------------------------------------

WIDTHS = (1, 2, 3, 4)
RECIPE_STEPS = 400
RECIPE_LR = 1.0
RECIPE_BATCH = 10


@functools.cache
def _circles() -> tuple[np.ndarray, ...]:
    X, y = make_circles(200, noise=0.1, seed=0)
    return train_dev_test_split(X, y, (0.5, 0.25, 0.25), seed=0)


def circles_split() -> Split:
    """100 training and 50 dev points of 200 circles points; the other 50 are the test set,
    which stays with the checker."""
    X_train, y_train, X_dev, y_dev, _, _ = _circles()
    return Split(X_train.copy(), y_train.copy(), X_dev.copy(), y_dev.copy())


def train_width(width: int) -> MLP:
    """The recipe: one tanh hidden layer of ``width`` neurons, trained on the training points."""
    X_train, y_train, *_ = _circles()
    model = MLP(2, [width, 1], activation="tanh", output_activation="linear", seed=0)
    fit(model, X_train, y_train, loss="bce", lr=RECIPE_LR, steps=RECIPE_STEPS,
        batch_size=RECIPE_BATCH)
    return model


@functools.cache
def _width_results() -> dict[int, dict[str, float]]:
    """For every width: its accuracy on the training, dev and test points (checker only)."""
    X_train, y_train, X_dev, y_dev, X_test, y_test = _circles()
    results = {}
    for width in WIDTHS:
        model = train_width(width)
        results[width] = {"train": accuracy(model, X_train, y_train),
                          "dev": accuracy(model, X_dev, y_dev),
                          "test": accuracy(model, X_test, y_test)}
    return results


def chosen_on_dev() -> int:
    """The width with the highest dev accuracy (the smallest one on a tie)."""
    results = _width_results()
    return max(WIDTHS, key=lambda w: (results[w]["dev"], -w))


# ----------------------------------------------------------------------------------------------
# 10.1 Dev accuracy for each width
# ----------------------------------------------------------------------------------------------


def _test_dev_accuracy(answer: object) -> str:
    if not isinstance(answer, dict):
        raise Incorrect("`dev_accuracy` should be a dict from width to dev accuracy, like "
                        "{1: 0.6, 2: 0.55, ...}.",
                        Case("dev_accuracy", "a dict {width: accuracy}", type_name(answer)))
    if sorted(answer) != list(WIDTHS):
        raise Incorrect(f"`dev_accuracy` should have one entry for each width {list(WIDTHS)}.",
                        Case("dev_accuracy.keys()", str(list(WIDTHS)), str(sorted(answer))))
    results = _width_results()
    for width in WIDTHS:
        got, expected = answer[width], results[width]["dev"]
        shown = f"dev_accuracy[{width}]"
        if not isinstance(got, (int, float, np.floating)) or isinstance(got, bool):
            raise Incorrect(f"`{shown}` should be a number, the fraction of dev points right.",
                            Case(shown, f"{expected:.2f}", type_name(got)))
        if is_close(got, expected, 1e-9):
            continue
        if is_close(got, results[width]["train"], 1e-9):
            advice = ("That is the accuracy on the training points. Measure on the dev points: "
                      "`accuracy(model, circles.X_dev, circles.y_dev)`.")
        elif is_close(got, 100 * expected, 1e-9):
            advice = "Give the accuracy as a fraction (0.94), not a percentage (94)."
        else:
            advice = ("Follow the recipe exactly (tanh, seed=0, bce, lr 1, 400 steps, batches of "
                      "10, on the training points), so that the numbers can be checked.")
        raise Incorrect(advice, Case(shown, f"{expected:.2f}", f"{got}"))
    best = chosen_on_dev()
    table = ", ".join(f"{w}: {results[w]['dev']:.0%}" for w in WIDTHS)
    return (f"Right: the dev accuracies are {table}. The dev set chooses {best} hidden neurons: "
            f"fewer cannot surround the inner circle.")


q1 = Exercise(
    "10.1",
    "a width chosen on the dev set",
    "dev_accuracy",
    _test_dev_accuracy,
    hints=[
        "A loop over `[1, 2, 3, 4]`; inside it, build the network, `fit` it on "
        "`circles.X_train, circles.y_train`, and store `accuracy(...)` on the dev points in the "
        "dict under the width.",
        "The network: `MLP(2, [width, 1], activation=\"tanh\", output_activation=\"linear\", "
        "seed=0)`; the training: `fit(model, circles.X_train, circles.y_train, loss=\"bce\", "
        "lr=1.0, steps=400, batch_size=10)`.",
        "`dev_accuracy[width] = accuracy(model, circles.X_dev, circles.y_dev)`.",
    ],
    solution="""
        dev_accuracy = {}
        for width in [1, 2, 3, 4]:
            model = MLP(2, [width, 1], activation="tanh", output_activation="linear", seed=0)
            fit(model, circles.X_train, circles.y_train, loss="bce", lr=1.0, steps=400,
                batch_size=10)
            dev_accuracy[width] = accuracy(model, circles.X_dev, circles.y_dev)
        print(dev_accuracy)
    """,
)


# ----------------------------------------------------------------------------------------------
# 10.2 The spiral in 20 epochs, tuned on the held-out points, tested once on fresh ones
# ----------------------------------------------------------------------------------------------

SPIRAL_DATA = PlaygroundSettings(dataset="spiral")  # noise 0.1, train 50 %, seed 0
SPIRAL_EPOCHS = 20
SPIRAL_TARGET = 0.88


def _test_spiral(answer: object) -> str:
    settings = as_settings(answer, "spiral_setup")
    expect_data(settings, SPIRAL_DATA, "spiral_setup")
    run = trained_run(settings, SPIRAL_EPOCHS)
    dev = run_accuracy(run, run.X_test, run.y_test)  # the held-out points you tuned on
    if dev < SPIRAL_TARGET:
        raise Incorrect(
            f"Not there yet after {SPIRAL_EPOCHS} epochs. Change one setting at a time and watch "
            f"the held-out accuracy at epoch {SPIRAL_EPOCHS}: the learning rate, and the width "
            f"and number of the hidden layers (up to 16 neurons each).",
            Case(f"{settings.to_string()}, {SPIRAL_EPOCHS} epochs",
                 f"held-out (dev) accuracy at least {SPIRAL_TARGET:.0%}",
                 f"{dev:.0%} (train {run_accuracy(run, run.X_train, run.y_train):.0%})"),
        )
    X_test, y_test = fresh_test_set(settings)
    return (f"Right: after {SPIRAL_EPOCHS} epochs your setup classifies {dev:.0%} of the "
            f"held-out points you tuned on. The test, once: on {len(y_test)} new spiral points "
            f"the playground never showed you, {run_accuracy(run, X_test, y_test):.0%}.")


q2 = Exercise(
    "10.2",
    "the spiral in 20 epochs",
    "spiral_setup",
    _test_spiral,
    hints=[
        "Load `dataset=spiral` and press Step 20 times (the counter shows 20 epochs): the "
        "default network, two hidden layers of 8 with lr 0.1, gets about 55% of the held-out "
        "points.",
        "A larger learning rate helps, but not enough on its own: with layers of 8, lr 0.3 gets "
        "about 70% and no learning rate gets to 88%. The arms need more neurons to follow "
        "them: try wider layers (up to 16), then tune the learning rate again.",
        "Three hidden layers of 16 neurons reach 89% even with the default lr 0.1; two layers of "
        "16 need a larger one, such as 0.5.",
    ],
    solution="""
        spiral_setup = "dataset=spiral; layers=16,16,16"
    """,
)


# ----------------------------------------------------------------------------------------------
# 10.3 The final model, and the test set once
# ----------------------------------------------------------------------------------------------


def _same_parameters(model: object, reference: MLP) -> bool:
    ours = [p.data for p in model.parameters()]
    theirs = [p.data for p in reference.parameters()]
    return len(ours) == len(theirs) and all(is_close(a, b, 1e-9) for a, b in zip(ours, theirs))


def _test_final_model(answer: object) -> str:
    if not callable(getattr(answer, "parameters", None)):
        raise Incorrect("`final_model` should be the trained network (an MLP).",
                        Case("final_model", "a trained MLP", type_name(answer)))
    results, best = _width_results(), chosen_on_dev()
    layers = getattr(answer, "layers", None)
    width = layers[0].nout if layers else None
    if width != best or len(layers) != 2:
        raise Incorrect(
            f"Choose the width by its dev accuracy: the highest in `dev_accuracy` is "
            f"{results[best]['dev']:.0%}, for {best} hidden neurons (one hidden layer).",
            Case("final_model.layers", f"one hidden layer of {best} neurons",
                 f"{[layer.nout for layer in layers][:-1]}" if layers else type_name(answer)),
        )
    if not _same_parameters(answer, train_width(best)):
        raise Incorrect(
            "This network has the chosen width but not the parameters of the recipe. Train it "
            "exactly as in 10.1 (seed=0, bce, lr 1, 400 steps, batches of 10), on the training "
            "points only.",
            Case("final_model's parameters", "those of the recipe on the training points",
                 "different"),
        )
    return (f"Right: {best} hidden neurons, chosen on the dev set ({results[best]['dev']:.0%}). "
            f"The test set, looked at once: {results[best]['test']:.0%} of the 50 test points. "
            f"This is the number to report; changing the width now because of it would turn the "
            f"test set into a second dev set.")


q3 = Exercise(
    "10.3",
    "the final model, tested once",
    "final_model",
    _test_final_model,
    hints=[
        "The dict of 10.1 holds the dev accuracy of each width. Take the width with the highest "
        "one: `max(dev_accuracy, key=dev_accuracy.get)`.",
        "Then train that width once more with the recipe, on the training points, and call it "
        "`final_model`.",
        "The check measures it on the test points, which stay with the checker: you see the "
        "test accuracy exactly once, after the choice is made.",
    ],
    solution="""
        best_width = max(dev_accuracy, key=dev_accuracy.get)
        final_model = MLP(2, [best_width, 1], activation="tanh", output_activation="linear", seed=0)
        history = fit(final_model, circles.X_train, circles.y_train, loss="bce", lr=1.0, steps=400,
                      batch_size=10)
    """,
)
