"""One playground run: the data, the network and its training so far, with no widgets.

``train_epoch()``, ``measure()`` and ``figure()`` are all a notebook or a test needs; the
widget in ``course/show/playground.py`` drives the same object from its buttons. Training runs
on the scalar engine, through ``course.nn.MLP`` and ``course.training.fit``. What is only
measured or drawn (the scores behind the loss curves, the shading of the picture) takes the
NumPy shortcut of ``course/show/numpy_network.py``: the same numbers, without building a graph.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from course.data import train_dev_test_split
from course.engine import Value
from course.nn import MLP
from course.optim import SGD
from course.show.boundary import plot_decision_boundary
from course.show.numpy_network import network_as_arrays, numpy_scores
from course.show.palette import WARNING_COLOUR
from course.show.playground_settings import (
    DATASETS,
    LOSS_NAMES,
    N_POINTS,
    PlaygroundSettings,
    checked_settings,
)
from course.show.plots import plot_loss
from course.training import fit, loss_and_targets

FIGURE_SIZE = (10.5, 4.4)  # inches: the boundary on the left, the loss curves on the right
LIVE_SETTINGS = ("lr", "batch_size", "regularization", "rate")  # change without a reset


class PlaygroundRun:
    """The data, the network and its training so far, for one set of settings."""

    def __init__(self, settings: PlaygroundSettings | None = None) -> None:
        self.settings = checked_settings(settings)
        s = self.settings
        X, y = DATASETS[s.dataset](N_POINTS, noise=s.noise, seed=s.seed)
        train = s.train_percent / 100
        split = train_dev_test_split(X, y, (train, 0.0, 1.0 - train), seed=s.seed)
        self.X_train, self.y_train, _, _, self.X_test, self.y_test = split
        # Hidden layers use the chosen activation; the output is a plain score (a logit).
        self.model = MLP(2, [*s.layers, 1], activation=s.activation, output_activation="linear",
                         seed=s.seed)
        self.optimizer = SGD(self.model.parameters(), lr=s.lr)
        self.epoch = 0
        self.steps = 0
        self.curve_epochs: list[int] = []
        self.train_losses: list[float] = []
        self.test_losses: list[float] = []
        self.diverged_message = ""

    @property
    def diverged(self) -> bool:
        return bool(self.diverged_message)

    def update_live(self, settings: PlaygroundSettings) -> None:
        """Take new settings that need no reset (learning rate, batch size, regularization)."""
        self.settings = settings.check()
        self.optimizer.lr = settings.lr

    # --- training --------------------------------------------------------------------------

    def train_epoch(self) -> bool:
        """One pass over the training points in shuffled mini-batches. False if it diverged."""
        if self.diverged:
            return False
        s = self.settings
        batch = min(s.batch_size, len(self.X_train))
        steps = math.ceil(len(self.X_train) / batch)
        history = fit(
            self.model, self.X_train, self.y_train, loss=s.loss, optimizer=self.optimizer,
            steps=steps, batch_size=batch, l2=s.rate if s.regularization == "l2" else 0.0,
            seed=s.seed * 100_003 + self.epoch,  # a new shuffle every epoch, reproducibly
        )
        self.steps += len(history.step)
        if history.diverged:
            self.diverged_message = (
                f"Training diverged in epoch {self.epoch + 1}: the loss became inf or nan. "
                f"The learning rate {s.lr:g} is too large for this setup: lower it and press Reset."
            )
            return False
        self.epoch += 1
        return True

    def train(self, epochs: int) -> bool:
        """Train ``epochs`` epochs, measuring the losses after each (for the curves).

        Stops early, returning False, if training diverges.
        """
        self.measure()  # the starting point of the curves, if it is not there yet
        for _ in range(epochs):
            if not self.train_epoch():
                return False
            self.measure()
        return True

    # --- measuring -------------------------------------------------------------------------

    def loss_on(self, X: np.ndarray, y: np.ndarray) -> float:
        """The data loss (no L2 penalty) on a whole set, for the curves.

        The scores come from NumPy, all points at once (the engine's numbers, and no graph to
        build), and the loss from the same function training uses.
        """
        scores = numpy_scores(network_as_arrays(self.model), X)
        loss_fn, to_targets = loss_and_targets(self.settings.loss)
        return loss_fn([Value(float(s)) for s in scores], to_targets(y)).data

    def measure(self) -> tuple[float, float]:
        """Train and test loss now; the first measurement in each epoch joins the curves."""
        if self.curve_epochs and self.curve_epochs[-1] == self.epoch:
            return self.train_losses[-1], self.test_losses[-1]
        train_loss = self.loss_on(self.X_train, self.y_train)
        test_loss = self.loss_on(self.X_test, self.y_test)
        self.curve_epochs.append(self.epoch)
        self.train_losses.append(train_loss)
        self.test_losses.append(test_loss)
        return train_loss, test_loss

    def predict_classes(self, X: np.ndarray) -> np.ndarray:
        """Class 0 or 1 for every row of X (1 where the score is positive), via NumPy."""
        scores = numpy_scores(network_as_arrays(self.model), X)
        return (scores > 0).astype(np.int64)

    # --- drawing ---------------------------------------------------------------------------

    def figure(self, fig: Figure | None = None, resolution: int = 100) -> Figure:
        """The decision boundary with the train and test points, and the loss curves.

        Without ``fig`` it makes a pyplot figure, which a notebook shows when it is the last
        value of a cell. The widget passes a Figure of its own instead: pyplot keeps a list
        of open figures and must not be used from the background thread that plays.
        """
        self.measure()
        if fig is None:
            fig = plt.figure(figsize=FIGURE_SIZE)
            plt.close(fig)  # shown once, as the cell's value; not again at the end of the cell
        boundary_ax, loss_ax = fig.subplots(1, 2, width_ratios=[1.15, 1])
        fig.subplots_adjust(left=0.06, right=0.985, bottom=0.12, top=0.87, wspace=0.2)
        plot_decision_boundary(self.predict_classes, self.X_train, self.y_train,
                               self.X_test, self.y_test, ax=boundary_ax, resolution=resolution,
                               held_out_name="test")
        curves = SimpleNamespace(train_loss=self.train_losses, dev_loss=self.test_losses,
                                 step=self.curve_epochs)
        plot_loss(curves, ax=loss_ax, held_out_name="test")
        loss_ax.set_xlabel("epoch")
        loss_ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        loss_ax.set_title(f"{LOSS_NAMES[self.settings.loss]} loss, epoch {self.epoch}")
        if self.diverged:
            loss_ax.text(0.5, 0.5, "diverged:\nlower the learning rate\nand press Reset",
                         transform=loss_ax.transAxes, ha="center", va="center", fontsize=12,
                         color=WARNING_COLOUR,
                         bbox={"facecolor": "white", "edgecolor": WARNING_COLOUR})
        return fig
