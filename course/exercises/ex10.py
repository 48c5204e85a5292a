"""Exercises of notebook 10, the playground: targets to reach within a budget of epochs.

An answer is a playground setup: a ``Playground`` (its current setup is read), a
``PlaygroundSettings``, or a setup string such as ``"dataset=xor; layers=8; lr=0.3"``. The
checker trains that setup from scratch, exactly as the playground does (a ``PlaygroundRun``,
the same seed, the same batches), and measures the accuracy on the test points.
"""

from __future__ import annotations

from course.exercises.checking import Case, Exercise, Incorrect
from course.show.playground import DATASETS, PlaygroundRun, PlaygroundSettings

DATA_FIELDS = ("dataset", "noise", "train_percent", "seed")


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


def accuracy_after_training(settings: PlaygroundSettings, epochs: int) -> tuple[float, float]:
    """Train ``settings`` from scratch for ``epochs`` epochs: (train accuracy, test accuracy)."""
    run = PlaygroundRun(settings)
    for _ in range(epochs):
        if not run.train_epoch():
            raise Incorrect(run.diverged_message,
                            Case(settings.to_string(), f"{epochs} epochs of training", "diverged"))
    train = float((run.predict_classes(run.X_train) == run.y_train).mean())
    test = float((run.predict_classes(run.X_test) == run.y_test).mean())
    return train, test


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
# 10.1 Which dataset does a straight line separate?
# ----------------------------------------------------------------------------------------------

LINEAR_EPOCHS = 20
LINEAR_TARGET = 0.95


def _test_linear_dataset(answer: object) -> str:
    if not isinstance(answer, str) or answer.strip() not in DATASETS:
        raise Incorrect("`linear_dataset` should be the name of one of the playground's "
                        f"datasets: {', '.join(DATASETS)}.",
                        Case("linear_dataset", " or ".join(DATASETS), repr(answer)))
    dataset = answer.strip()
    settings = PlaygroundSettings(dataset=dataset, layers=(), lr=0.3)
    _, test = accuracy_after_training(settings, LINEAR_EPOCHS)
    if test >= LINEAR_TARGET:
        return (f"Right: with no hidden layer the boundary is a straight line, and on {dataset} "
                f"it classifies {test:.0%} of the test points correctly.")
    advice = "Close, but the two arcs interleave: no line gets them all." if test >= 0.85 else (
        "No straight line splits these classes.")
    raise Incorrect(advice, Case(f"{settings.to_string()}, {LINEAR_EPOCHS} epochs",
                                 f"test accuracy at least {LINEAR_TARGET:.0%}", f"{test:.0%}"))


q1 = Exercise(
    "10.1",
    "the dataset a straight line separates",
    "linear_dataset",
    _test_linear_dataset,
    hints=[
        "Remove every hidden layer (`layers=none`): the boundary becomes a straight line.",
        "Try each dataset with `layers=none` and `lr=0.3` for 20 epochs, and read the test "
        "accuracy.",
        "Only one dataset has its two classes on either side of a line: two round blobs.",
    ],
    solution="""
        linear_dataset = "gaussians"  # two blobs: a straight line between them gets them all
    """,
)


# ----------------------------------------------------------------------------------------------
# 10.2 XOR in 10 epochs
# ----------------------------------------------------------------------------------------------

XOR_DATA = PlaygroundSettings(dataset="xor")
XOR_EPOCHS = 10
XOR_TARGET = 0.95


def _test_xor(answer: object) -> str:
    settings = as_settings(answer, "xor_setup")
    expect_data(settings, XOR_DATA, "xor_setup")
    train, test = accuracy_after_training(settings, XOR_EPOCHS)
    if test >= XOR_TARGET:
        return (f"Right: after {XOR_EPOCHS} epochs your setup classifies {test:.0%} of the test "
                f"points correctly (train: {train:.0%}).")
    raise Incorrect(
        "Not there yet within 10 epochs. XOR needs at least one hidden layer; a larger learning "
        "rate gets there in fewer epochs, until it starts to overshoot.",
        Case(f"{settings.to_string()}, {XOR_EPOCHS} epochs", f"test accuracy at least "
             f"{XOR_TARGET:.0%}", f"{test:.0%} (train {train:.0%})"),
    )


q2 = Exercise(
    "10.2",
    "XOR in 10 epochs",
    "xor_setup",
    _test_xor,
    hints=[
        "Start from `dataset=xor` and press Step 10 times: the epoch counter shows 10. The "
        "default network gets to about 88%.",
        "Try a larger learning rate: 0.3 instead of 0.1.",
        "A single hidden layer of 8 neurons with lr 0.3 is enough.",
    ],
    solution="""
        xor_setup = "dataset=xor; layers=8; lr=0.3"
    """,
)


# ----------------------------------------------------------------------------------------------
# 10.3 Circles with at most 3 hidden neurons
# ----------------------------------------------------------------------------------------------

CIRCLES_DATA = PlaygroundSettings(dataset="circles")
CIRCLES_EPOCHS = 40
CIRCLES_TARGET = 0.9
MAX_NEURONS = 3


def _test_small_circles(answer: object) -> str:
    settings = as_settings(answer, "small_circles_setup")
    expect_data(settings, CIRCLES_DATA, "small_circles_setup")
    neurons = sum(settings.layers)
    if neurons > MAX_NEURONS:
        raise Incorrect(f"That network has {neurons} hidden neurons: use at most {MAX_NEURONS}.",
                        Case("small_circles_setup", f"at most {MAX_NEURONS} hidden neurons",
                             f"layers = {','.join(map(str, settings.layers))}"))
    train, test = accuracy_after_training(settings, CIRCLES_EPOCHS)
    if test >= CIRCLES_TARGET:
        return (f"Right: {neurons} hidden neurons reach {test:.0%} test accuracy in "
                f"{CIRCLES_EPOCHS} epochs. Each neuron draws one straight edge of the boundary.")
    raise Incorrect(
        "Not there yet. The boundary must surround the inner circle: how many straight edges "
        "does the smallest shape around it need? Small networks also like a larger learning "
        "rate.",
        Case(f"{settings.to_string()}, {CIRCLES_EPOCHS} epochs",
             f"test accuracy at least {CIRCLES_TARGET:.0%}", f"{test:.0%} (train {train:.0%})"),
    )


q3 = Exercise(
    "10.3",
    "circles with at most 3 hidden neurons",
    "small_circles_setup",
    _test_small_circles,
    hints=[
        "Each hidden neuron contributes one straight line to the boundary.",
        "The smallest shape that can surround the inner circle has 3 straight edges: one hidden "
        "layer of 3 neurons.",
        "With so few neurons, a larger learning rate (1) gets there within 40 epochs.",
    ],
    solution="""
        small_circles_setup = "dataset=circles; layers=3; lr=1"  # 3 edges: a triangle around it
    """,
)
