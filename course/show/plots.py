"""Plots for the training notebooks: loss curves, a learning-rate sweep, a 2-D classifier's
decision boundary, and gradient descent on a single weight.

Every function returns the matplotlib Figure it drew; as the last line of a notebook cell the
Figure shows as a picture. Pass ``ax=`` to draw into an Axes of your own (one panel of
``fig, axes = plt.subplots(1, 2)``, say): the function then returns that Axes' figure, and
the cell should end with ``plt.show()``.

Colours come from the Okabe-Ito palette, which stays readable with every common colour-vision
deficiency; classes also differ in marker shape, so the plots work in black and white too.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping, Sequence, Sized
from dataclasses import dataclass
from types import SimpleNamespace

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

# Okabe-Ito colours
BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
SKY_BLUE = "#56B4E9"
GREY = "#555555"

CLASS_COLOURS = (BLUE, ORANGE, GREEN, PURPLE, SKY_BLUE, VERMILLION)
CLASS_MARKERS = ("o", "s", "D", "^", "v", "P")

FIGSIZE = (6, 4)
DPI = 100

# A classifier for plot_decision_boundary: (m, 2) array of points -> m class labels
Predict = Callable[[np.ndarray], Sequence[float]]


def _axes(ax: Axes | None) -> tuple[Figure, Axes]:
    """The Axes to draw on (the one given, or a new one in the course's size) and its figure."""
    if ax is None:
        fig, ax = plt.subplots(figsize=FIGSIZE, dpi=DPI, layout="constrained")
        # The notebook shows the returned figure; closing it here stops pyplot from showing
        # it a second time at the end of the cell (and from keeping every figure in memory).
        plt.close(fig)
    ax.grid(True, color="#DDDDDD", linewidth=0.8)
    ax.set_axisbelow(True)
    return ax.get_figure(root=True), ax


DRAWABLE_LIMIT = 1e300  # beyond this a value is as good as infinite, and breaks log axes


def _finite_or_nan(values: Sequence[float | None]) -> np.ndarray:
    """The values as a float array, with None, inf and nan all turned into nan (not drawn).

    Values larger than DRAWABLE_LIMIT count as infinite too: matplotlib's log-scale margins
    overflow on them.
    """
    array = np.array([np.nan if v is None else v for v in values], dtype=float)
    with np.errstate(invalid="ignore"):
        array[~np.isfinite(array) | (np.abs(array) > DRAWABLE_LIMIT)] = np.nan
    return array


def _mark_step(ax: Axes, step: float, text: str, colour: str = GREY) -> None:
    """A dashed vertical line at ``step`` with its text written along it, at the top."""
    ax.axvline(step, color=colour, linestyle="--", linewidth=1)
    ax.text(
        step, 0.98, f" {text}", transform=ax.get_xaxis_transform(), rotation=90,
        ha="right", va="top", fontsize=9, color=colour,
        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1},
    )


# ----------------------------------------------------------------------------------------------
# Loss curves
# ----------------------------------------------------------------------------------------------


def plot_loss(
    history_or_losses: object,
    dev_losses: Sequence[float | None] | None = None,
    log: bool = False,
    lr: float | Sequence[float] | None = None,
    markers: Mapping[float, str] | None = None,
    ax: Axes | None = None,
    held_out_name: str = "dev",
) -> Figure:
    """Loss against training step: the train curve, and the dev curve when there is one.

    ``history_or_losses`` is a list of train losses (one per step) or a training history: any
    object with ``.train_loss`` and ``.dev_loss`` lists (``.step``, ``.lr``, ``.best_step``,
    ``.stopped_early`` and ``.diverged`` are used too when it has them).
    ``dev_losses`` gives one dev loss per step (None where it was not measured).
    ``log=True`` draws the loss on a log scale. ``lr`` is one learning rate per step (a line
    marks each change) or a single number (shown in the title). ``markers`` adds labelled
    lines, e.g. ``{150: "early stop"}``. Losses that are inf or nan (a diverged run) are left
    out and the first one is marked "diverged". ``held_out_name`` names the second curve
    (``"test"`` where the held-out points are a test set).
    """
    curves = _read_curves(history_or_losses, dev_losses, lr)
    fig, ax = _axes(ax)
    ax.plot(curves.steps, _finite_or_nan(curves.train), color=BLUE, linewidth=1.5, label="train")
    if curves.dev is not None:
        dev = _finite_or_nan(curves.dev)
        measured = ~np.isnan(dev)  # join the dev points even when measured only now and then
        ax.plot(curves.steps[measured], dev[measured], color=ORANGE, linewidth=1.5,
                linestyle="--", label=held_out_name)
    if log:
        ax.set_yscale("log")
    lr_text, lr_lines = _describe_lr(curves.steps, curves.lr)
    for step, text in {**lr_lines, **curves.markers, **(markers or {})}.items():
        _mark_step(ax, step, text)
    if curves.diverged_at is not None:
        _mark_step(ax, curves.diverged_at, "diverged", colour=VERMILLION)
    ax.set_title(f"Loss during training{lr_text}")
    ax.set_xlabel("step")
    ax.set_ylabel("loss (log scale)" if log else "loss")
    ax.legend(loc="best", fontsize=9)
    return fig


@dataclass
class _LossCurves:
    """What plot_loss draws, gathered from a list of losses or from a training history."""

    steps: np.ndarray
    train: list[float]
    dev: list[float | None] | None
    lr: float | Sequence[float] | None
    markers: dict[float, str]  # {step: text} from the history: its best step
    diverged_at: float | None  # the step where the run diverged, if it did


def _read_curves(
    history_or_losses: object,
    dev_losses: Sequence[float | None] | None,
    lr: float | Sequence[float] | None,
) -> _LossCurves:
    """The curves to draw; arguments given explicitly win over what a history holds."""
    history = history_or_losses
    if not hasattr(history, "train_loss"):  # a plain list of train losses
        history = SimpleNamespace(train_loss=list(history))
    train = list(history.train_loss)
    if not train:
        raise ValueError("There are no losses to plot: train for at least one step first.")
    if dev_losses is None:
        dev_losses = getattr(history, "dev_loss", None)
    if dev_losses is not None and len(dev_losses) == 0:
        dev_losses = None  # no dev set
    if dev_losses is not None and len(dev_losses) != len(train):
        raise ValueError(
            f"Got {len(train)} train losses but {len(dev_losses)} dev losses: give one dev loss "
            f"per step, with None where the dev loss was not measured."
        )
    steps = getattr(history, "step", None)
    if not hasattr(steps, "__len__") or len(steps) != len(train):
        steps = range(len(train))
    steps = np.asarray(steps)
    diverged_at = _first_divergence(steps, train, dev_losses)
    if diverged_at is None and getattr(history, "diverged", False):
        diverged_at = steps[-1] + 1  # the history stopped recording at the step that blew up
    if lr is None:
        lr = getattr(history, "lr", None)
        if isinstance(lr, Sized) and len(lr) == 0:
            lr = None  # a history that did not record it
    return _LossCurves(
        steps=steps,
        train=train,
        dev=dev_losses,
        lr=lr,
        markers=_best_step_marker(history),
        diverged_at=diverged_at,
    )


def _best_step_marker(history: object) -> dict[float, str]:
    """{best_step: "best dev loss"} when the history knows its best step, else {}."""
    best = getattr(history, "best_step", None)
    if best is None:
        return {}
    stopped = getattr(history, "stopped_early", False)
    return {best: "best dev loss, stopped early" if stopped else "best dev loss"}


def _describe_lr(
    steps: np.ndarray, lr: float | Sequence[float] | None, max_lines: int = 5
) -> tuple[str, dict[float, str]]:
    """How the title mentions the learning rate, and {step: text} lines where it changes.

    A single learning rate goes in the title. A per-step list that changes a few times (a
    step schedule) gets a line at each change; one that changes more often than ``max_lines``
    times (a smooth decay) is summed up in the title as "lr first → last".
    """
    if lr is None:
        return "", {}
    if isinstance(lr, numbers.Real):
        return f" (lr = {lr:g})", {}
    if len(lr) != len(steps):
        raise ValueError(
            f"lr has {len(lr)} values but there are {len(steps)} steps: give one per step."
        )
    changes = {
        steps[i]: f"lr {lr[i - 1]:g} → {lr[i]:g}" for i in range(1, len(lr)) if lr[i] != lr[i - 1]
    }
    if len(changes) > max_lines:
        return f" (lr {lr[0]:g} → {lr[-1]:.3g})", {}
    if not changes:
        return f" (lr = {lr[0]:g})", {}
    return "", changes


def _first_divergence(
    steps: np.ndarray, train: Sequence[float], dev: Sequence[float | None] | None
) -> float | None:
    """The first step whose train loss is inf or nan, or whose dev loss is inf; else None."""
    for i, loss in enumerate(train):
        dev_loss = dev[i] if dev is not None else None
        if not math.isfinite(loss) or (dev_loss is not None and math.isinf(dev_loss)):
            return steps[i]
    return None


# ----------------------------------------------------------------------------------------------
# Learning-rate sweep
# ----------------------------------------------------------------------------------------------


def largest_stable_lr(
    lrs: Sequence[float], losses: Sequence[float], factor: float = 2.0
) -> float | None:
    """The largest learning rate of a sweep that still trains about as well as the best one.

    The rule: among the learning rates whose loss is finite (not inf or nan) and at most
    ``factor`` times the lowest loss of the sweep, take the largest. Larger learning rates
    learn faster, until the steps overshoot and the loss gets worse or blows up: this is the
    last one before that. None if every run diverged.
    """
    lrs, losses = _check_sweep(lrs, losses)
    finite = np.isfinite(losses)
    if not finite.any():
        return None
    good_enough = finite & (losses <= factor * losses[finite].min())
    return float(lrs[good_enough].max())


def _check_sweep(lrs: Sequence[float], losses: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """The sweep as float arrays, after checking it has one loss per positive learning rate."""
    lrs = np.asarray(lrs, dtype=float)
    losses = np.asarray(losses, dtype=float)
    if lrs.ndim != 1 or lrs.shape != losses.shape or len(lrs) == 0:
        raise ValueError(
            f"Give one loss per learning rate: got {lrs.size} learning rates and {losses.size} "
            f"losses."
        )
    if (lrs <= 0).any():
        raise ValueError(
            "Learning rates must be greater than 0 to plot them on a log axis: start the sweep "
            "above 0, for example np.logspace(-3, 1, 20) (from 0.001 to 10)."
        )
    return lrs, losses


def plot_lr_finder(
    lrs: Sequence[float],
    losses: Sequence[float],
    ax: Axes | None = None,
    mark_best: bool = True,
    factor: float = 2.0,
) -> Figure:
    """Loss after training with each learning rate of a sweep, on a log learning-rate axis.

    Runs that diverged (loss inf or nan) are drawn as crosses along the top. With
    ``mark_best`` a line marks ``largest_stable_lr(lrs, losses, factor)``, and a dotted line
    shows the loss it had to stay under (``factor`` x the lowest loss). When the losses span more
    than a factor of 100, the loss axis is logarithmic too, so every point stays visible.
    """
    lrs, losses = _check_sweep(lrs, losses)
    order = np.argsort(lrs)
    lrs, losses = lrs[order], losses[order]
    finite = np.isfinite(losses)
    fig, ax = _axes(ax)
    ax.set_xscale("log")
    ax.plot(lrs[finite], losses[finite], "o-", color=BLUE, markersize=4,
            label="loss after training")
    if _spans_orders_of_magnitude(losses[finite]):
        ax.set_yscale("log")
    if not finite.all():
        top = ax.get_xaxis_transform()  # x in data units, y as a fraction of the axes' height
        ax.plot(lrs[~finite], np.full((~finite).sum(), 0.95), "x", color=VERMILLION,
                markersize=8, markeredgewidth=2, transform=top, label="diverged (inf or nan)")
    best = largest_stable_lr(lrs, losses, factor) if mark_best else None
    if best is not None:
        lowest = losses[finite].min()
        ax.axhline(factor * lowest, color=GREY, linestyle=":", linewidth=1.2,
                   label=f"{factor:g} × lowest loss")
        ax.axvline(best, color=GREEN, linewidth=2, label=f"largest stable lr = {best:.3g}")
    ax.set_title("Learning-rate sweep")
    ax.set_xlabel("learning rate (log scale)")
    ax.set_ylabel("loss (log scale)" if ax.get_yscale() == "log" else "loss")
    ax.legend(loc="best", fontsize=9)
    return fig


def _spans_orders_of_magnitude(values: np.ndarray) -> bool:
    """True when the positive values range over more than a factor of 100."""
    return len(values) > 0 and values.min() > 0 and values.max() > 100 * values.min()


# ----------------------------------------------------------------------------------------------
# Decision boundary of a 2-D classifier
# ----------------------------------------------------------------------------------------------


def plot_decision_boundary(
    predict: Predict,
    X: np.ndarray,
    y: Sequence[float],
    X_dev: np.ndarray | None = None,
    y_dev: Sequence[float] | None = None,
    ax: Axes | None = None,
    resolution: int = 60,
    held_out_name: str = "dev",
) -> Figure:
    """The regions where a 2-D classifier predicts each class, with the data points on top.

    ``predict`` takes an (m, 2) NumPy array of points and returns m class labels, the same
    kind as in ``y`` (e.g. -1/+1, 0/1, or 0/1/2). A model that gives a score turns it into a
    label first, e.g. ``np.where(scores > 0, 1, -1)``. ``predict`` is called once on a
    ``resolution`` x ``resolution`` grid: the scalar engine is slow, so keep it small.
    Train points are filled, dev points hollow; each class has its own colour and shape.
    ``held_out_name`` is what the hollow points are called (``"test"`` for a test set).
    """
    X, y = _check_points(X, y, "X", "y")
    if X_dev is not None:
        X_dev, y_dev = _check_points(X_dev, y_dev, "X_dev", "y_dev")
    classes = np.unique(y if y_dev is None else np.concatenate([y, y_dev]))
    fig, ax = _axes(ax)
    _shade_predictions(ax, predict, classes, X if X_dev is None else np.vstack([X, X_dev]),
                       resolution)
    _scatter_classes(ax, X, y, classes, "train", filled=True)
    accuracy = f"train accuracy {_accuracy(predict, X, y):.0%}"
    if X_dev is not None:
        _scatter_classes(ax, X_dev, y_dev, classes, held_out_name, filled=False)
        accuracy += f",  {held_out_name} accuracy {_accuracy(predict, X_dev, y_dev):.0%}"
    ax.grid(False)  # the shading already shows the scale
    ax.set_title(f"Decision boundary (shading: predicted class)\n{accuracy}", fontsize=11)
    ax.set_xlabel("first input, X[:, 0]")
    ax.set_ylabel("second input, X[:, 1]")
    ax.legend(loc="best", fontsize=8, framealpha=0.9)
    return fig


def _check_points(X: object, y: object, x_name: str, y_name: str) -> tuple[np.ndarray, np.ndarray]:
    """X as an (m, 2) float array and y as m labels, or a ValueError saying what is wrong."""
    if y is None:
        raise ValueError(f"{x_name} was given without {y_name}: pass both.")
    X = np.asarray(X, dtype=float)
    y = np.asarray(y).reshape(-1)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"{x_name} must have shape (m, 2): one row per point, got {X.shape}.")
    if len(y) != len(X):
        raise ValueError(f"{x_name} has {len(X)} points but {y_name} has {len(y)} labels.")
    return X, y


def _predicted_classes(predict: Predict, points: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """Call ``predict`` and return, for each point, the index of its class in ``classes``."""
    labels = np.asarray(predict(points))
    if labels.dtype == object or labels.reshape(-1).shape != (len(points),):
        raise ValueError(
            f"predict must return one number (a class label) per point: given {len(points)} "
            f"points, it returned {labels.dtype} values of shape {labels.shape}. "
            f"If your model returns Values, take their .data."
        )
    labels = labels.reshape(-1)
    unknown = ~np.isin(labels, classes)
    if unknown.any():
        raise ValueError(
            f"predict returned {labels[unknown][0]!r}, which is not one of the classes in y "
            f"{classes.tolist()}: return class labels, e.g. np.where(scores > 0, 1, -1)."
        )
    return np.searchsorted(classes, labels)


def _shade_predictions(
    ax: Axes,
    predict: Predict,
    classes: np.ndarray,
    points: np.ndarray,
    resolution: int,
) -> None:
    """Colour a grid around the points by predicted class, with a line along each boundary."""
    xx, yy = _grid_around(points, resolution)
    grid = np.column_stack([xx.ravel(), yy.ravel()])
    predicted = _predicted_classes(predict, grid, classes).reshape(xx.shape)
    for i in np.unique(predicted):  # one region per class: no colour blends between classes
        colour = CLASS_COLOURS[i % len(CLASS_COLOURS)]
        ax.contourf(xx, yy, (predicted == i).astype(float), levels=[0.5, 1.5], colors=[colour],
                    alpha=0.22)
    if len(np.unique(predicted)) > 1:
        for i in np.unique(predicted):  # outline each class's region: the boundaries
            ax.contour(xx, yy, (predicted == i).astype(float), levels=[0.5], colors=GREY,
                       linewidths=1)


def _grid_around(points: np.ndarray, resolution: int) -> tuple[np.ndarray, np.ndarray]:
    """A resolution x resolution grid covering the points with a margin of 10 % on each side."""
    low, high = points.min(axis=0), points.max(axis=0)
    margin = 0.1 * np.maximum(high - low, 1e-9) + 1e-3
    x = np.linspace(low[0] - margin[0], high[0] + margin[0], resolution)
    y = np.linspace(low[1] - margin[1], high[1] + margin[1], resolution)
    return np.meshgrid(x, y)


def _scatter_classes(
    ax: Axes, X: np.ndarray, y: np.ndarray, classes: np.ndarray, split: str, filled: bool
) -> None:
    """The points of each class in its own colour and marker shape: filled, or hollow."""
    for i, label in enumerate(classes):
        points = X[y == label]
        colour = CLASS_COLOURS[i % len(CLASS_COLOURS)]
        face, edge, width = (colour, "black", 0.5) if filled else ("white", colour, 1.5)
        ax.scatter(
            points[:, 0], points[:, 1], s=30, marker=CLASS_MARKERS[i % len(CLASS_MARKERS)],
            facecolors=face, edgecolors=edge, linewidths=width, label=f"class {label} ({split})",
        )


def _accuracy(predict: Predict, X: np.ndarray, y: np.ndarray) -> float:
    """The fraction of points whose predicted label equals the true one."""
    return float(np.mean(np.asarray(predict(X)).reshape(-1) == y))


# ----------------------------------------------------------------------------------------------
# Gradient descent on a single weight
# ----------------------------------------------------------------------------------------------


def plot_single_weight(
    x: float = 2.0,
    y: float = 6.0,
    path: Sequence[float] | None = None,
    ax: Axes | None = None,
) -> Figure:
    """The loss of one weight on one example, loss(w) = (w·x − y)², as a parabola in w.

    ``path`` is the list of weights gradient descent went through (w0, w1, ...): drawn as
    numbered points joined by arrows, with the start and the end marked. The minimum is at
    w = y / x, where the prediction w·x hits the target exactly.
    """
    if x == 0:
        raise ValueError("x must not be 0: with x = 0 the prediction w·x is 0 whatever w is.")
    best = y / x
    path = [] if path is None else [float(w) for w in path]
    finite_path = [w for w in path if math.isfinite(w)]
    fig, ax = _axes(ax)
    ws = _weights_to_show(best, finite_path)
    ax.plot(ws, (ws * x - y) ** 2, color=GREY, linewidth=1.5, label="loss(w)")
    ax.plot([best], [0.0], "*", color=GREEN, markersize=14, zorder=5,
            label=f"minimum: w = {best:g}")
    if finite_path:
        _draw_path(ax, finite_path, x, y)
    diverged = " — diverged (inf/nan)" if len(finite_path) < len(path) else ""
    ax.set_title(f"Gradient descent on one weight: x = {x:g}, target y = {y:g}{diverged}")
    ax.set_xlabel("weight w")
    ax.set_ylabel("loss(w) = (w·x − y)²")
    ax.legend(loc="upper center", fontsize=8)
    return fig


def _weights_to_show(best: float, path: list[float]) -> np.ndarray:
    """Weights centred on the minimum, wide enough to show w = 0 and the whole path."""
    half_width = 1.15 * max(abs(w - best) for w in [0.0, *path]) or 1.0
    return np.linspace(best - half_width, best + half_width, 300)


def _draw_path(ax: Axes, path: list[float], x: float, y: float) -> None:
    """The descent: a point per weight, arrows between them, numbers, and start/end marked."""
    losses = [(w * x - y) ** 2 for w in path]
    for (w0, l0), (w1, l1) in zip(zip(path, losses), zip(path[1:], losses[1:])):
        ax.annotate("", xy=(w1, l1), xytext=(w0, l0), arrowprops={
            "arrowstyle": "->", "color": VERMILLION, "linewidth": 1.3, "shrinkA": 4, "shrinkB": 4,
        })
    ax.plot(path, losses, "o", color=VERMILLION, markersize=5, label="a step of gradient descent")
    ax.plot(path[0], losses[0], "D", color=BLUE, markersize=8, label=f"start: w = {path[0]:.4g}")
    if len(path) > 1:
        ax.plot(path[-1], losses[-1], "s", markerfacecolor="none", markeredgecolor=ORANGE,
                markeredgewidth=2, markersize=10, label=f"end: w = {path[-1]:.4g}")
    best = y / x
    for i in _spread_out(ax, path, losses):
        # below and outside the parabola, where neither the curve nor the arrows run
        right = path[i] >= best
        ax.annotate(str(i), (path[i], losses[i]), textcoords="offset points",
                    xytext=(7 if right else -7, -3), ha="left" if right else "right", va="top",
                    fontsize=9, color=VERMILLION, zorder=6)


def _spread_out(ax: Axes, ws: list[float], losses: list[float], min_gap: float = 0.04) -> list[int]:
    """Indices of the points to number, skipping any too close to one already numbered.

    Distances are measured as fractions of the axes' width and height, so "too close" means
    "the numbers would overlap on the picture".
    """
    (w_low, w_high), (loss_low, loss_high) = ax.get_xlim(), ax.get_ylim()
    numbered: list[int] = []
    for i, (w, loss) in enumerate(zip(ws, losses)):
        if all(
            math.hypot((w - ws[j]) / (w_high - w_low), (loss - losses[j]) / (loss_high - loss_low))
            > min_gap
            for j in numbered
        ):
            numbered.append(i)
    return numbered
