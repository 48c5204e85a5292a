"""Small 2-D datasets to train on, and helpers to split them and cut them into batches.

Every ``make_*`` function returns ``(X, y)``: ``X`` a float64 array of shape (n, 2), one point
per row, and ``y`` an int array of n class labels (0/1, or 0..classes-1 for the spiral).
The classes are balanced (their sizes differ by at most one) and the rows are shuffled.
``noise`` is the standard deviation of Gaussian noise added to each coordinate (for
``make_gaussians``, the spread of each blob), and ``seed`` makes the result reproducible:
the same arguments always give the same data.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

from course import checks

# ----------------------------------------------------------------------------------------------
# Checks and shared steps
# ----------------------------------------------------------------------------------------------


def _check_n(n: object, num_classes: int) -> int:
    """The number of points: at least one per class, at most what the engine can train on."""
    return checks.whole_number(
        n, "n", low=num_classes, high=checks.MAX_POINTS, high_reason=checks.SIZE_REASON
    )


def class_sizes(n: int, num_classes: int) -> list[int]:
    """Split n into num_classes sizes that differ by at most one: (7, 2) -> [4, 3]."""
    base, extra = divmod(n, num_classes)
    return [base + (1 if c < extra else 0) for c in range(num_classes)]


def _finish(
    points: list[np.ndarray], noise: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Stack the points of each class, add the noise, label them and shuffle the rows."""
    X = np.concatenate(points).astype(np.float64)
    y = np.concatenate([np.full(len(p), c, dtype=np.int64) for c, p in enumerate(points)])
    X = X + rng.normal(0.0, noise, size=X.shape) if noise > 0 else X
    order = rng.permutation(len(X))
    return X[order], y[order]


def _circle_points(angles: np.ndarray, radius: float, center: tuple[float, float]) -> np.ndarray:
    cx, cy = center
    return np.column_stack([cx + radius * np.cos(angles), cy + radius * np.sin(angles)])


# ----------------------------------------------------------------------------------------------
# Datasets
# ----------------------------------------------------------------------------------------------


def make_moons(n: int = 100, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles of radius 1: no straight line separates them.

    Class 0 is the upper arc, centred at (0, 0); class 1 the lower arc, centred at (1, 0.5).
    The points are spread evenly along each arc before the noise is added.
    """
    n = _check_n(n, 2)
    noise = checks.non_negative(noise, "noise")
    rng = np.random.default_rng(seed)
    n0, n1 = class_sizes(n, 2)
    upper = _circle_points(np.linspace(0.0, math.pi, n0), 1.0, (0.0, 0.0))
    lower = _circle_points(np.linspace(math.pi, 2 * math.pi, n1), 1.0, (1.0, 0.5))
    return _finish([upper, lower], noise, rng)


def make_circles(
    n: int = 100, noise: float = 0.05, seed: int = 0, factor: float = 0.5
) -> tuple[np.ndarray, np.ndarray]:
    """A circle inside another, both centred at (0, 0): class 0 radius 1, class 1 ``factor``."""
    n = _check_n(n, 2)
    noise = checks.non_negative(noise, "noise")
    factor = checks.real_number(factor, "factor", low=0, high=1, low_open=True, high_open=True)
    rng = np.random.default_rng(seed)
    n0, n1 = class_sizes(n, 2)
    outer = _circle_points(np.linspace(0.0, 2 * math.pi, n0, endpoint=False), 1.0, (0.0, 0.0))
    inner = _circle_points(np.linspace(0.0, 2 * math.pi, n1, endpoint=False), factor, (0, 0))
    return _finish([outer, inner], noise, rng)


def make_xor(n: int = 100, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Points in the four quadrants; the label is 1 where x and y have opposite signs.

    Class 0 fills the quadrants (+, +) and (-, -), class 1 the quadrants (+, -) and (-, +):
    the classic problem no single straight line can solve. Before the noise, each point is
    uniform in its quadrant at a distance 0.1 to 1 from each axis.
    """
    n = _check_n(n, 2)
    noise = checks.non_negative(noise, "noise")
    rng = np.random.default_rng(seed)
    quadrant_signs = {0: [(1, 1), (-1, -1)], 1: [(1, -1), (-1, 1)]}
    points = []
    for label, size in enumerate(class_sizes(n, 2)):
        parts = []
        for (sx, sy), m in zip(quadrant_signs[label], class_sizes(size, 2)):
            magnitudes = rng.uniform(0.1, 1.0, size=(m, 2))
            parts.append(magnitudes * np.array([sx, sy]))
        points.append(np.concatenate(parts))
    return _finish(points, noise, rng)


def make_spiral(
    n: int = 150, noise: float = 0.05, seed: int = 0, classes: int = 3
) -> tuple[np.ndarray, np.ndarray]:
    """``classes`` spiral arms winding out from the centre, one class per arm.

    Along arm c the radius r grows evenly from 0.1 to 1 while the angle turns once around:
    angle = 2*pi*c/classes + 2*pi*r. A classic test for a multi-class network.
    """
    classes = checks.whole_number(classes, "classes", low=2, high=checks.MAX_POINTS)
    n = _check_n(n, classes)
    noise = checks.non_negative(noise, "noise")
    rng = np.random.default_rng(seed)
    arms = []
    for c, size in enumerate(class_sizes(n, classes)):
        radius = np.linspace(0.1, 1.0, size)
        angle = 2 * math.pi * c / classes + 2 * math.pi * radius
        arms.append(np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]))
    return _finish(arms, noise, rng)


def make_gaussians(
    n: int = 100, noise: float = 0.5, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Two round blobs, class 0 around (-1, -1) and class 1 around (1, 1).

    ``noise`` is the spread (standard deviation) of each blob: small values give two clearly
    separate clouds that a single neuron can split, large ones make them overlap.
    """
    n = _check_n(n, 2)
    noise = checks.non_negative(noise, "noise")
    rng = np.random.default_rng(seed)
    centres = [(-1.0, -1.0), (1.0, 1.0)]
    points = [np.tile(c, (size, 1)) for c, size in zip(centres, class_sizes(n, 2))]
    return _finish(points, noise, rng)


# ----------------------------------------------------------------------------------------------
# Splitting, batching, relabelling
# ----------------------------------------------------------------------------------------------


def _check_pair(X: object, y: object) -> tuple[np.ndarray, np.ndarray]:
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim == 0 or y.ndim == 0:
        raise TypeError(f"X and y must be arrays or lists, one entry per example; got "
                        f"{checks.describe(X if X.ndim == 0 else y)}")
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)} labels")
    if len(X) == 0:
        raise ValueError("the dataset is empty")
    return X, y


def train_dev_test_split(
    X: object,
    y: object,
    fractions: tuple[float, float, float] = (0.7, 0.15, 0.15),
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle the examples and cut them into a training, a dev and a test set.

    Train on the first, watch the second while training (to choose settings and when to
    stop), and look at the third only once at the end, for an honest final score. Returns
    ``X_train, y_train, X_dev, y_dev, X_test, y_test``.
    """
    X, y = _check_pair(X, y)
    if not isinstance(fractions, (tuple, list)) or len(fractions) != 3:
        raise ValueError(f"fractions must be three numbers (train, dev, test) in [0, 1], "
                         f"e.g. (0.7, 0.15, 0.15); got {fractions!r}")
    fractions = [checks.fraction(f, f"fractions[{i}]", include_one=True)
                 for i, f in enumerate(fractions)]
    if not math.isclose(sum(fractions), 1.0, abs_tol=1e-9):
        raise ValueError(f"fractions must add up to 1, got {fractions!r} (sum {sum(fractions)})")
    n = len(X)
    train_end = round(n * fractions[0])
    dev_end = round(n * (fractions[0] + fractions[1]))
    sizes = (train_end, dev_end - train_end, n - dev_end)
    for part, fraction, size in zip(("training", "dev", "test"), fractions, sizes):
        if fraction > 0 and size == 0:
            raise ValueError(
                f"the {part} set would be empty: {fraction:g} of {n} examples rounds to 0. "
                f"Use more examples or a larger {part} fraction"
            )
    order = np.random.default_rng(seed).permutation(n)
    train, dev, test = order[:train_end], order[train_end:dev_end], order[dev_end:]
    return X[train], y[train], X[dev], y[dev], X[test], y[test]


def batches(
    X: object, y: object, batch_size: int, seed: int = 0
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """One pass over the data in shuffled mini-batches of ``batch_size`` (the last may be smaller).

    Each ``(X_batch, y_batch)`` is a slice of the shuffled data; every example appears in
    exactly one batch.
    """
    X, y = _check_pair(X, y)
    batch_size = checks.whole_number(batch_size, "batch_size", low=1)
    order = np.random.default_rng(seed).permutation(len(X))
    return _iterate_batches(X[order], y[order], batch_size)


def _iterate_batches(
    X: np.ndarray, y: np.ndarray, batch_size: int
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    for start in range(0, len(X), batch_size):
        yield X[start : start + batch_size], y[start : start + batch_size]


def to_pm1(y: object) -> np.ndarray:
    """0/1 labels as -1/+1 (the form the hinge loss uses); labels already -1/+1 are kept."""
    y = np.asarray(y)
    bad = ~np.isin(y, (0, 1, -1))
    if bad.any() or (np.isin(y, 0).any() and np.isin(y, -1).any()):
        raise ValueError(f"to_pm1 takes 0/1 (or -1/+1) labels, got values {np.unique(y)}")
    return np.where(y == 1, 1, -1).astype(np.int64)
