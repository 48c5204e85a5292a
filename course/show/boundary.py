"""The decision boundary of a 2-D classifier: the regions where it predicts each class, with
the data points on top.

Each class has its own colour and marker shape (so the picture works in black and white too);
train points are filled, dev or test points hollow.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from course.show.figures import new_axes
from course.show.palette import CLASS_COLOURS, GREY

CLASS_MARKERS = ("o", "s", "D", "^", "v", "P")

# A classifier for plot_decision_boundary: (m, 2) array of points -> m class labels
Predict = Callable[[np.ndarray], Sequence[float]]


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
    fig, ax = new_axes(ax)
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
    # below the plot, where it can never cover a point
    n_entries = len(ax.get_legend_handles_labels()[0])
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=min(n_entries, 3),
              fontsize=8, frameon=False)
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


def area_around(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(lowest, highest) corner of the area the pictures show: the points and 10 % more."""
    low, high = points.min(axis=0), points.max(axis=0)
    margin = 0.1 * np.maximum(high - low, 1e-9) + 1e-3
    return low - margin, high + margin


def _grid_around(points: np.ndarray, resolution: int) -> tuple[np.ndarray, np.ndarray]:
    """A resolution x resolution grid covering the points with a margin of 10 % on each side."""
    low, high = area_around(points)
    x = np.linspace(low[0], high[0], resolution)
    y = np.linspace(low[1], high[1], resolution)
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
