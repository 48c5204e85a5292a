"""Answers to exercise set ex10 that its checks must judge: wrong ones and other right ones."""

import numpy as np

from course.exercises import ex10
from course.nn import MLP
from course.show.playground import PlaygroundSettings
from course.training import accuracy, fit

RESULTS = ex10._width_results()
DEV = {w: RESULTS[w]["dev"] for w in ex10.WIDTHS}


def trained(width, seed=0):
    circles = ex10.circles_split()
    model = MLP(2, [width, 1], activation="tanh", output_activation="linear", seed=seed)
    fit(model, circles.X_train, circles.y_train, loss="bce", lr=1.0, steps=400, batch_size=10)
    return model


# exercise id -> [(a wrong answer, a piece of text its verdict must contain), ...]
WRONG = {
    "10.1": [
        ({w: RESULTS[w]["train"] for w in ex10.WIDTHS}, "accuracy on the training points"),
        ({w: 100 * acc for w, acc in DEV.items()}, "a fraction"),
        ({1: DEV[1], 2: DEV[2]}, "one entry for each width"),
        (list(DEV.values()), "should be a dict"),
    ],
    "10.2": [("dataset=spiral", "held-out (dev) accuracy at least 88%"),
             # the notebook's own setups: on the exercise's data, and as the notebook has them
             ("dataset=spiral; layers=8,8; lr=0.3", "Not there yet after 20 epochs"),
             ("dataset=spiral; noise=0; layers=8,8", "Keep the data"),
             ("dataset=xor; layers=8,8; lr=0.3", "Keep the data"),
             # a learning rate alone is not enough
             ("dataset=spiral; lr=0.7", "held-out (dev) accuracy at least 88%"),
             ("dataset=moons; layers=16,16,16", "Keep the data")],
    "10.3": [
        (trained(4), "Choose the width by its dev accuracy"),
        (trained(3, seed=1), "not the parameters of the recipe"),
        (0.98, "should be the trained network"),
    ],
}

# exercise id -> other correct answers (a different way to the same result must pass)
ALSO_CORRECT = {
    "10.1": [{w: np.float64(acc) for w, acc in DEV.items()}],
    "10.2": [PlaygroundSettings.from_string("dataset=spiral; layers=16,16; lr=0.5"),
             "dataset=spiral; noise=0.1; train=50; seed=0; layers=16,16,16; lr=0.3"],
    "10.3": [ex10.train_width(ex10.chosen_on_dev())],
}

# what the solutions use from their notebook, besides math and Value
NAMESPACE = {
    "MLP": MLP, "fit": fit, "accuracy": accuracy, "circles": ex10.circles_split(),
    "dev_accuracy": DEV,
}
