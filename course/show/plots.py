"""Plots for the training notebooks: loss curves, a learning-rate sweep, and gradient descent
on a single weight. (A classifier's decision boundary is in ``course/show/boundary.py``.)

Every function returns the matplotlib Figure it drew; as the last line of a notebook cell the
Figure shows as a picture. Pass ``ax=`` to draw into an Axes of your own (one panel of
``fig, axes = plt.subplots(1, 2)``, say): the function then returns that Axes' figure, and
the cell should end with ``plt.show()``.

A run that blows up is still drawn: inf and nan losses are marked "diverged", and finite
numbers too large for any axis (a loss of 1e280) are marked "off the scale".
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence, Sized
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from course.engine import Value
from course.show.figures import (
    OFF_SCALE,
    OFF_SCALE_TEXT,
    drawable,
    mark_off_scale,
    mark_step,
    new_axes,
)
from course.show.palette import (
    BLUE,
    GREEN,
    GREY,
    HELD_OUT_COLOUR,
    HIGHLIGHT,
    ORANGE,
    TRAIN_COLOUR,
    WARNING_COLOUR,
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
    out and the first one is marked "diverged"; losses too large to draw (above 1e100) are
    marked "off the scale" along the top. Losses may be numbers or Values (their ``.data`` is
    drawn). ``held_out_name`` names the second curve (``"test"`` where the held-out points are
    a test set).
    """
    curves = _read_curves(history_or_losses, dev_losses, lr)
    fig, ax = new_axes(ax)
    train, train_off = drawable(curves.train)
    ax.plot(curves.steps, train, color=TRAIN_COLOUR, linewidth=1.5, label="train")
    off_scale = curves.steps[train_off]
    if curves.dev is not None:
        dev, dev_off = drawable(curves.dev)
        measured = ~np.isnan(dev)  # join the dev points even when measured only now and then
        ax.plot(curves.steps[measured], dev[measured], color=HELD_OUT_COLOUR, linewidth=1.5,
                linestyle="--", label=held_out_name)
        off_scale = np.union1d(off_scale, curves.steps[dev_off])
    if log and np.isfinite(np.concatenate([train, dev if curves.dev is not None else []])).any():
        ax.set_yscale("log")  # (a log axis with nothing on it cannot choose its limits)
    mark_off_scale(ax, off_scale)
    lr_text, lr_lines = _describe_lr(curves.steps, curves.lr)
    for step, text in {**lr_lines, **curves.markers, **(markers or {})}.items():
        mark_step(ax, step, text)
    if curves.diverged_at is not None:
        mark_step(ax, curves.diverged_at, "diverged", colour=WARNING_COLOUR)
    ax.set_title(f"Loss during training{lr_text}")
    ax.set_xlabel("step")
    ax.set_ylabel("loss (log scale)" if ax.get_yscale() == "log" else "loss")
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
        history = SimpleNamespace(train_loss=_losses(history, "losses", missing_ok=False))
    train = _losses(history.train_loss, "train_loss", missing_ok=False)
    if not train:
        raise ValueError("There are no losses to plot: train for at least one step first.")
    if dev_losses is None:
        dev_losses = getattr(history, "dev_loss", None)
    if dev_losses is not None:
        dev_losses = _losses(dev_losses, "dev_losses", missing_ok=True) or None  # [] = no dev set
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


def _losses(values: object, name: str, missing_ok: bool) -> list[float | None]:
    """The losses as a list of floats (a Value counts as its ``.data``), None kept where
    ``missing_ok``; a TypeError that says what to pass for anything else."""
    if isinstance(values, (str, bytes, Value, numbers.Number)) or not hasattr(values, "__iter__"):
        raise TypeError(f"{name} must be a list of numbers, one loss per step, e.g. "
                        f"[0.9, 0.5, 0.3]; got {type(values).__name__} {values!r}")
    losses: list[float | None] = []
    for step, loss in enumerate(values):
        if isinstance(loss, Value):
            loss = loss.data
        if loss is None and missing_ok:
            losses.append(None)
        elif isinstance(loss, numbers.Real) and not isinstance(loss, bool):
            losses.append(float(loss))
        else:
            missing = " (or None where it was not measured)" if missing_ok else ""
            raise TypeError(f"{name} must hold numbers{missing}; at step {step} it holds "
                            f"{type(loss).__name__} {loss!r}")
    return losses


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
    losses = np.asarray([_losses(losses, "losses", missing_ok=False)], dtype=float).reshape(-1)
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

    Runs that diverged (loss inf or nan) are drawn as crosses along the top, and losses too
    large to draw (above 1e100) as triangles marked "off the scale". With ``mark_best`` a line
    marks ``largest_stable_lr(lrs, losses, factor)``, and a dotted line shows the loss it had
    to stay under (``factor`` x the lowest loss). When the losses span more than a factor of
    100, the loss axis is logarithmic too, so every point stays visible.
    """
    lrs, losses = _check_sweep(lrs, losses)
    order = np.argsort(lrs)
    lrs, losses = lrs[order], losses[order]
    finite = np.isfinite(losses)
    shown, off_scale = drawable(losses)
    drawn = ~np.isnan(shown)
    fig, ax = new_axes(ax)
    ax.set_xscale("log")
    ax.plot(lrs[drawn], shown[drawn], "o-", color=TRAIN_COLOUR, markersize=4,
            label="loss after training")
    if _spans_orders_of_magnitude(shown[drawn]):
        ax.set_yscale("log")
    if not finite.all():
        top = ax.get_xaxis_transform()  # x in data units, y as a fraction of the axes' height
        ax.plot(lrs[~finite], np.full((~finite).sum(), 0.95), "x", color=WARNING_COLOUR,
                markersize=8, markeredgewidth=2, transform=top, label="diverged (inf or nan)")
    mark_off_scale(ax, lrs[off_scale])
    best = largest_stable_lr(lrs, losses, factor) if mark_best else None
    if best is not None:
        limit = factor * losses[finite].min()
        if limit <= OFF_SCALE:
            ax.axhline(limit, color=GREY, linestyle=":", linewidth=1.2,
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
    w = y / x, where the prediction w·x hits the target exactly. A path that blows up is drawn
    up to its last step on the scale (loss at most 1e100); the title and a note say from which
    step on it is off the scale.
    """
    if x == 0:
        raise ValueError("x must not be 0: with x = 0 the prediction w·x is 0 whatever w is.")
    best = y / x
    path = [] if path is None else [float(w) for w in path]
    shown = _on_the_scale(path, x, y)
    fig, ax = new_axes(ax)
    ws = _weights_to_show(best, shown)
    ax.plot(ws, (ws * x - y) ** 2, color=GREY, linewidth=1.5, label="loss(w)")
    ax.plot([best], [0.0], "*", color=GREEN, markersize=14, zorder=5,
            label=f"minimum: w = {best:g}")
    if shown:
        _draw_path(ax, shown, x, y, complete=len(shown) == len(path))
    off_scale = ""
    if len(shown) < len(path):
        off_scale = f"\ndiverged: off the scale from step {len(shown)}"
        _note_off_scale(ax, path, first=len(shown))
    ax.set_title(f"Gradient descent on one weight: x = {x:g}, target y = {y:g}{off_scale}")
    ax.set_xlabel("weight w")
    ax.set_ylabel("loss(w) = (w·x − y)²")
    ax.legend(loc="upper center", fontsize=8)
    return fig


def _on_the_scale(path: list[float], x: float, y: float) -> list[float]:
    """The path up to (not including) its first weight that is inf, nan or off the scale."""
    for i, w in enumerate(path):
        error = w * x - y  # a float: inf rather than an OverflowError when it is huge
        if not math.isfinite(error) or error * error > OFF_SCALE:
            return path[:i]
    return path


def _note_off_scale(ax: Axes, path: list[float], first: int) -> None:
    """A note in the corner: which steps are off the scale, and how far off."""
    sizes = [abs(w) for w in path[first:] if not math.isnan(w)]
    reach = f"|w| reaches {max(sizes):.2g}" if sizes else "w is nan"
    last = len(path) - 1
    steps = f"step {first}" if first == last else f"steps {first} to {last}"
    ax.text(0.98, 0.6, f"{steps}:\n{OFF_SCALE_TEXT}\n({reach})",
            transform=ax.transAxes, ha="right", va="top",
            fontsize=9, color=WARNING_COLOUR,
            bbox={"facecolor": "white", "edgecolor": WARNING_COLOUR, "alpha": 0.9})


def _weights_to_show(best: float, path: list[float]) -> np.ndarray:
    """Weights centred on the minimum, wide enough to show w = 0 and the whole path."""
    half_width = 1.15 * max(abs(w - best) for w in [0.0, *path]) or 1.0
    return np.linspace(best - half_width, best + half_width, 300)


def _draw_path(ax: Axes, path: list[float], x: float, y: float, complete: bool = True) -> None:
    """The descent: a point per weight, arrows between them, numbers, and start/end marked
    (the end is "last on the scale" when the rest of the path is not ``complete``)."""
    losses = [(w * x - y) * (w * x - y) for w in path]
    for (w0, l0), (w1, l1) in zip(zip(path, losses), zip(path[1:], losses[1:])):
        ax.annotate("", xy=(w1, l1), xytext=(w0, l0), arrowprops={
            "arrowstyle": "->", "color": HIGHLIGHT, "linewidth": 1.3, "shrinkA": 4, "shrinkB": 4,
        })
    ax.plot(path, losses, "o", color=HIGHLIGHT, markersize=5, label="a step of gradient descent")
    ax.plot(path[0], losses[0], "D", color=BLUE, markersize=8, label=f"start: w = {path[0]:.4g}")
    if len(path) > 1:
        ax.plot(path[-1], losses[-1], "s", markerfacecolor="none", markeredgecolor=ORANGE,
                markeredgewidth=2, markersize=10,
                label=f"{'end' if complete else 'last on the scale'}: w = {path[-1]:.4g}")
    best = y / x
    for i in _spread_out(ax, path, losses):
        # below and outside the parabola, where neither the curve nor the arrows run
        right = path[i] >= best
        ax.annotate(str(i), (path[i], losses[i]), textcoords="offset points",
                    xytext=(7 if right else -7, -3), ha="left" if right else "right", va="top",
                    fontsize=9, color=HIGHLIGHT, zorder=6)


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
