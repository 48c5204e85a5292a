"""Toy datasets: shapes, balance, seeds, the shapes they draw without noise; split and batch."""

import math

import numpy as np
import pytest

from course.data import (
    batches,
    class_sizes,
    make_circles,
    make_gaussians,
    make_moons,
    make_spiral,
    make_xor,
    to_pm1,
    train_dev_test_split,
)

MAKERS = [make_moons, make_circles, make_xor, make_spiral, make_gaussians]
ids = [m.__name__ for m in MAKERS]


@pytest.mark.parametrize("make", MAKERS, ids=ids)
@pytest.mark.parametrize("n", [7, 100])
def test_shapes_dtypes_and_balanced_classes(make, n):
    X, y = make(n=n, noise=0.1, seed=0)
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and np.issubdtype(y.dtype, np.integer)
    counts = np.bincount(y)
    assert counts.sum() == n and counts.max() - counts.min() <= 1
    assert np.isfinite(X).all()


@pytest.mark.parametrize("make", MAKERS, ids=ids)
def test_same_seed_same_data_other_seed_other_data(make):
    X1, y1 = make(n=50, noise=0.1, seed=3)
    X2, y2 = make(n=50, noise=0.1, seed=3)
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)
    X3, _ = make(n=50, noise=0.1, seed=4)
    assert not np.array_equal(X1, X3)


@pytest.mark.parametrize("make", MAKERS, ids=ids)
def test_rows_are_shuffled(make):
    _, y = make(n=60, noise=0.1, seed=0)
    assert 0 < np.sum(y[1:] != y[:-1])  # labels change along the rows...
    assert not np.array_equal(y, np.sort(y))  # ...and are not sorted by class


@pytest.mark.parametrize("make", MAKERS, ids=ids)
@pytest.mark.parametrize("n", [0, -5, 1])
def test_too_few_points_is_a_value_error(make, n):
    with pytest.raises(ValueError, match=r"n must be a whole number from \d to 1,000,000, got"):
        make(n=n, noise=0.1, seed=0)


@pytest.mark.parametrize("make", MAKERS, ids=ids)
@pytest.mark.parametrize("n", [2.5, "10", True, None, [10]])
def test_n_that_is_not_a_whole_number_is_a_type_error(make, n):
    with pytest.raises(TypeError, match=r"n must be a whole number .*, got "):
        make(n=n, noise=0.1, seed=0)


def test_the_usual_slips_with_n_get_a_hint():
    with pytest.raises(TypeError, match="without quotes, n=10"):
        make_moons(n="10")
    with pytest.raises(TypeError, match=r"write 50 \(an int\), or compute it with //"):
        make_moons(n=100 / 2)


@pytest.mark.parametrize("make", MAKERS, ids=ids)
def test_a_million_points_is_the_limit_and_the_message_says_why(make):
    with pytest.raises(ValueError, match=r"n must be at most 1,000,000 \(the course's .* minutes"):
        make(n=10**9, noise=0.1, seed=0)


@pytest.mark.parametrize("make", MAKERS, ids=ids)
@pytest.mark.parametrize("noise", [-0.1, math.nan, math.inf])
def test_bad_noise_is_a_value_error(make, noise):
    with pytest.raises(ValueError, match="noise must be a finite number >= 0"):
        make(n=10, noise=noise, seed=0)


@pytest.mark.parametrize("make", MAKERS, ids=ids)
@pytest.mark.parametrize("noise", ["a", None])
def test_noise_that_is_not_a_number_is_a_type_error(make, noise):
    with pytest.raises(TypeError, match="noise must be a finite number >= 0"):
        make(n=10, noise=noise, seed=0)


def test_class_sizes_split_as_evenly_as_possible():
    assert class_sizes(7, 2) == [4, 3]
    assert class_sizes(10, 3) == [4, 3, 3]
    assert class_sizes(6, 3) == [2, 2, 2]


# --- what each dataset looks like without noise -------------------------------------------------


def test_moons_lie_on_two_arcs_of_radius_one():
    X, y = make_moons(n=101, noise=0.0, seed=0)
    upper, lower = X[y == 0], X[y == 1]
    assert np.linalg.norm(upper, axis=1) == pytest.approx(1.0)
    assert np.linalg.norm(lower - [1.0, 0.5], axis=1) == pytest.approx(1.0)
    assert (upper[:, 1] >= -1e-12).all() and (lower[:, 1] <= 0.5 + 1e-12).all()
    # the arcs are spread from end to end
    assert upper[:, 0].min() == pytest.approx(-1) and upper[:, 0].max() == pytest.approx(1)
    assert lower[:, 0].min() == pytest.approx(0) and lower[:, 0].max() == pytest.approx(2)


def test_circles_have_radius_one_and_factor():
    X, y = make_circles(n=80, noise=0.0, seed=0, factor=0.3)
    radius = np.linalg.norm(X, axis=1)
    assert radius[y == 0] == pytest.approx(1.0)
    assert radius[y == 1] == pytest.approx(0.3)
    with pytest.raises(ValueError, match="factor"):
        make_circles(factor=1.2)


def test_xor_points_sit_in_the_quadrant_of_their_label():
    X, y = make_xor(n=203, noise=0.0, seed=1)
    opposite_signs = X[:, 0] * X[:, 1] < 0
    assert np.array_equal(opposite_signs, y == 1)
    assert (np.abs(X) >= 0.1).all() and (np.abs(X) <= 1.0).all()
    _, per_quadrant = np.unique(np.sign(X), axis=0, return_counts=True)
    assert len(per_quadrant) == 4 and per_quadrant.max() - per_quadrant.min() <= 1


def test_spiral_arms_turn_with_the_radius():
    classes = 4
    X, y = make_spiral(n=120, noise=0.0, seed=0, classes=classes)
    assert set(y) == set(range(classes)) and np.bincount(y).tolist() == [30] * classes
    radius = np.linalg.norm(X, axis=1)
    assert radius.min() == pytest.approx(0.1) and radius.max() == pytest.approx(1.0)
    angle = np.arctan2(X[:, 1], X[:, 0])
    expected = 2 * math.pi * y / classes + 2 * math.pi * radius
    gap = np.angle(np.exp(1j * (angle - expected)))  # difference wrapped into (-pi, pi]
    assert np.abs(gap) == pytest.approx(0.0, abs=1e-9)
    for c in range(classes):  # along each arm, one point per radius: radius grows steadily
        r = np.sort(radius[y == c])
        assert np.diff(r) == pytest.approx(np.full(len(r) - 1, 0.9 / (len(r) - 1)))


def test_spiral_classes_must_be_at_least_two():
    with pytest.raises(ValueError, match="classes must be a whole number from 2 to"):
        make_spiral(classes=1)
    with pytest.raises(TypeError, match="classes must be a whole number"):
        make_spiral(classes=2.0)
    with pytest.raises(ValueError, match="n must be a whole number from 3 to"):
        make_spiral(n=2, classes=3)


def test_circles_factor_is_strictly_between_zero_and_one():
    with pytest.raises(ValueError, match=r"factor must be a number in \(0, 1\), got 1"):
        make_circles(factor=1)
    with pytest.raises(TypeError, match=r"factor must be a number in \(0, 1\), got str"):
        make_circles(factor="0.5")


def test_gaussians_are_blobs_with_spread_noise():
    X, y = make_gaussians(n=10, noise=0.0, seed=0)
    assert (X[y == 0] == [-1.0, -1.0]).all() and (X[y == 1] == [1.0, 1.0]).all()
    X, y = make_gaussians(n=4000, noise=0.5, seed=0)
    assert X[y == 0].mean(axis=0) == pytest.approx([-1, -1], abs=0.05)
    assert X[y == 1].std(axis=0) == pytest.approx([0.5, 0.5], rel=0.05)


def test_noise_moves_points_off_the_clean_shape_by_about_noise():
    X, y = make_circles(n=4000, noise=0.05, seed=2)
    radius = np.linalg.norm(X[y == 0], axis=1)
    assert np.std(radius - 1.0) == pytest.approx(0.05, rel=0.1)


# --- splitting, batching, relabelling -----------------------------------------------------------


def indexed_data(n: int):
    """Rows that carry their own index, so we can tell which rows went where."""
    X = np.column_stack([np.arange(n), np.zeros(n)]).astype(float)
    y = np.arange(n) % 2
    return X, y


def test_split_sizes_and_that_each_example_goes_to_exactly_one_set():
    X, y = indexed_data(100)
    X_tr, y_tr, X_dev, y_dev, X_te, y_te = train_dev_test_split(X, y)
    assert (len(X_tr), len(X_dev), len(X_te)) == (70, 15, 15)
    all_rows = np.concatenate([X_tr[:, 0], X_dev[:, 0], X_te[:, 0]])
    assert np.array_equal(np.sort(all_rows), np.arange(100))
    assert not np.array_equal(X_tr[:, 0], np.arange(70))  # shuffled
    for Xs, ys in [(X_tr, y_tr), (X_dev, y_dev), (X_te, y_te)]:
        assert np.array_equal(Xs[:, 0] % 2, ys)  # each label stays with its row


def test_split_is_seeded_and_fractions_are_checked():
    X, y = indexed_data(20)
    a = train_dev_test_split(X, y, seed=1)
    b = train_dev_test_split(X, y, seed=1)
    c = train_dev_test_split(X, y, seed=2)
    assert np.array_equal(a[0], b[0]) and not np.array_equal(a[0], c[0])
    sizes = [len(part) for part in train_dev_test_split(X, y, fractions=(0.5, 0.5, 0.0))[::2]]
    assert sizes == [10, 10, 0]
    with pytest.raises(ValueError, match="add up to 1"):
        train_dev_test_split(X, y, fractions=(0.7, 0.2, 0.2))
    with pytest.raises(ValueError, match="three numbers"):
        train_dev_test_split(X, y, fractions=(0.5, 0.5))
    with pytest.raises(ValueError, match="X has 20 rows but y has 19 labels"):
        train_dev_test_split(X, y[:-1])
    with pytest.raises(ValueError, match=r"fractions\[1\] must be a number in \[0, 1\]"):
        train_dev_test_split(X, y, fractions=(0.7, 1.5, -1.2))
    with pytest.raises(TypeError, match=r"fractions\[0\] must be a number"):
        train_dev_test_split(X, y, fractions=("0.7", 0.15, 0.15))


def test_a_split_that_would_leave_a_set_empty_says_so():
    X, y = indexed_data(5)
    with pytest.raises(ValueError, match=r"the dev set would be empty: 0.05 of 5 examples rounds"):
        train_dev_test_split(X, y, fractions=(0.95, 0.05, 0.0))
    parts = train_dev_test_split(X, y, fractions=(0.6, 0.4, 0.0))  # asked for no test set
    assert [len(p) for p in parts] == [3, 3, 2, 2, 0, 0]


def test_batches_cover_the_data_once_shuffled_with_a_smaller_last_batch():
    X, y = indexed_data(100)
    parts = list(batches(X, y, batch_size=32, seed=0))
    assert [len(xb) for xb, _ in parts] == [32, 32, 32, 4]
    seen = np.concatenate([xb[:, 0] for xb, _ in parts])
    assert np.array_equal(np.sort(seen), np.arange(100))
    assert not np.array_equal(seen, np.arange(100))
    assert all(np.array_equal(xb[:, 0] % 2, yb) for xb, yb in parts)


def test_batches_are_seeded():
    X, y = indexed_data(30)

    def order(seed):
        return np.concatenate([xb[:, 0] for xb, _ in batches(X, y, 8, seed=seed)])

    assert np.array_equal(order(5), order(5)) and not np.array_equal(order(5), order(6))


@pytest.mark.parametrize("bad, error", [(0, ValueError), (-1, ValueError), (2.5, TypeError)])
def test_bad_batch_size_fails_at_the_call(bad, error):
    X, y = indexed_data(10)
    with pytest.raises(error, match="batch_size must be a whole number >= 1"):
        batches(X, y, bad)  # not only once iteration starts


def test_to_pm1():
    assert to_pm1(np.array([0, 1, 1, 0])).tolist() == [-1, 1, 1, -1]
    assert to_pm1([1, -1]).tolist() == [1, -1]
    with pytest.raises(ValueError, match="0/1"):
        to_pm1([0, 2])
    with pytest.raises(ValueError, match="0/1"):
        to_pm1([0, 1, -1])
