"""The mistakes students make most often, each answered by an error that says what to do.

Every case is one slip as it is typed in a notebook. The test checks the kind of error (a wrong
type is a TypeError, a wrong value a ValueError) and that the message names the fix: the call
to write instead, the method to use, the row that is wrong, the limit and why.
"""

import math

import numpy as np
import pytest

from course import checks
from course.data import make_moons, make_spiral, train_dev_test_split
from course.engine import Value
from course.losses import cross_entropy, hinge, l2, mse
from course.nn import MLP, Layer, Sequential
from course.optim import SGD, Adam, cosine
from course.training import accuracy, fit


def model() -> MLP:
    return MLP(2, [4, 1], seed=0)


def moons(n: int = 20) -> tuple[np.ndarray, np.ndarray]:
    return make_moons(n=n, noise=0.1, seed=0)


def with_bad_point(row: int, column: int, number: float) -> tuple[np.ndarray, np.ndarray]:
    X, y = moons()
    X[row, column] = number
    return X, y


def with_bad_label(row: int) -> tuple[np.ndarray, np.ndarray]:
    X, y = moons()
    y = y.astype(float)
    y[row] = math.nan
    return X, y


def tiny_split() -> tuple:
    X, y = moons(5)
    return train_dev_test_split(X, y, fractions=(0.95, 0.05, 0.0))


def three_classes() -> tuple[np.ndarray, np.ndarray, MLP]:
    X, y = make_spiral(n=12, noise=0.0, seed=0, classes=3)
    return X, y, MLP(2, [4, 3], output_activation="linear", seed=0)


def fit_with(**settings) -> object:
    X, y = moons()
    return fit(model(), X, y, **settings)


def if_below_zero(v: Value) -> str:
    if v < 0:
        return "negative"
    return "not negative"


MISTAKES = [
    # --- the engine: built-ins that would drop the gradient -----------------------------------
    pytest.param(lambda: math.exp(Value(1.0)), TypeError, ["v.exp()", "v.data"], id="math.exp(v)"),
    pytest.param(lambda: np.tanh(Value(1.0)), TypeError, ["Use v.tanh() instead"], id="np.tanh(v)"),
    pytest.param(lambda: np.exp(Value(1.0)), TypeError, ["Use v.exp() instead"], id="np.exp(v)"),
    pytest.param(lambda: if_below_zero(Value(-1.0)), TypeError, ["v.data < 0"], id="if v < 0"),
    pytest.param(lambda: max(Value(-1.0), 0), TypeError, ["For max(v, 0) use v.relu()"],
                 id="max(v, 0)"),
    pytest.param(lambda: bool(Value(1.0)), TypeError, ["use v.data", "if v.data > 0"],
                 id="bool(v)"),
    pytest.param(lambda: float(Value(1.0)), TypeError, ["For the number itself use v.data"],
                 id="float(v)"),
    pytest.param(lambda: Value([1.0, 2.0]), TypeError, ["[Value(v) for v in x]"],
                 id="Value(list)"),
    # --- nn ---------------------------------------------------------------------------------------
    pytest.param(lambda: MLP(2, 16), TypeError, ["list of layer sizes", "MLP(2, [16, 16, 1])"],
                 id="MLP(2, 16)"),
    pytest.param(lambda: MLP(2, [10**8, 1]), ValueError,
                 ["400,000,001 parameters", "1,000,000 allowed", "minutes per step"],
                 id="MLP(2, [10**8, 1])"),
    pytest.param(lambda: model()(moons()[0]), ValueError, ["forward_batch(rows)"],
                 id="model(X) on a whole array"),
    pytest.param(lambda: model()([1.0, 2.0, 3.0]), ValueError, ["MLP expects 2 inputs, got 3"],
                 id="a row of the wrong length"),
    pytest.param(lambda: MLP(2, [4, 1], activation="ReLU"), ValueError,
                 ["did you mean 'relu'?", "choose one of"], id="activation='ReLU'"),
    pytest.param(lambda: Sequential([Layer(2, 2), Layer(2, 1)]), TypeError,
                 ["Sequential(*modules)"], id="Sequential([...])"),
    # --- optim -----------------------------------------------------------------------------------
    pytest.param(lambda: SGD(model().parameters, 0.1), TypeError, ["call it", "model.parameters()"],
                 id="SGD(model.parameters, lr)"),
    pytest.param(lambda: SGD(model(), 0.1), TypeError, ["pass model.parameters()"],
                 id="SGD(model, lr)"),
    pytest.param(lambda: Adam(model().parameters), TypeError, ["model.parameters()"],
                 id="Adam(model.parameters)"),
    pytest.param(lambda: SGD(model().parameters(), lr="0.1"), TypeError,
                 ["without quotes, lr=0.1"], id="lr='0.1'"),
    # --- losses ----------------------------------------------------------------------------------
    pytest.param(lambda: l2(model().parameters), TypeError, ["model.parameters()"],
                 id="l2(model.parameters)"),
    pytest.param(lambda: hinge([Value(0.5), Value(-0.5)], [0, 1]), ValueError,
                 ["course.data.to_pm1 turns 0/1 labels into -1/+1"], id="hinge with 0/1 labels"),
    pytest.param(lambda: cross_entropy([Value(1.0), Value(2.0)], 1.0), TypeError,
                 ["class ids", "y.astype(int)"], id="cross_entropy(logits, 1.0)"),
    # --- data ------------------------------------------------------------------------------------
    pytest.param(lambda: make_moons(n="100"), TypeError, ["without quotes, n=100"],
                 id="make_moons(n='100')"),
    pytest.param(lambda: make_moons(n=200 / 2), TypeError, ["write 100 (an int)", "//"],
                 id="make_moons(n=200 / 2)"),
    pytest.param(lambda: make_moons(10**9), ValueError, ["at most 1,000,000", "minutes per step"],
                 id="make_moons(10**9)"),
    pytest.param(tiny_split, ValueError, ["dev set would be empty", "larger dev fraction"],
                 id="a split with an empty dev set"),
    # --- training --------------------------------------------------------------------------------
    pytest.param(lambda: fit(model(), *with_bad_point(7, 1, math.nan), lr=0.1), ValueError,
                 ["X_train has nan or inf in row 7", "np.isfinite(X_train).all(axis=1)"],
                 id="nan in X"),
    pytest.param(lambda: fit(model(), *with_bad_point(3, 0, math.inf), lr=0.1), ValueError,
                 ["X_train has nan or inf in row 3"], id="inf in X"),
    pytest.param(lambda: fit(model(), *with_bad_label(5), lr=0.1), ValueError,
                 ["y_train has nan or inf in row 5"], id="nan in y"),
    pytest.param(lambda: fit_with(lr=0.1, X_dev=moons()[0][:0], y_dev=moons()[1][:0]),
                 ValueError, ["X_dev is empty", "leave X_dev and y_dev out"],
                 id="fit on an empty dev set"),
    pytest.param(lambda: fit_with(lr=0.1, early_stopping=True), TypeError,
                 ["early_stopping=EarlyStopping(patience=10)", "X_dev and y_dev"],
                 id="early_stopping=True"),
    pytest.param(lambda: fit_with(schedule=0.1), TypeError, ["pass lr= instead"],
                 id="schedule=0.1"),
    pytest.param(lambda: fit_with(schedule=cosine(0.5, total_steps=10), steps=20), ValueError,
                 ["at step 10", "total_steps=20 or more"], id="a schedule shorter than steps"),
    pytest.param(lambda: fit_with(), ValueError, ["pass lr=..., a schedule or an optimizer"],
                 id="fit without a learning rate"),
    pytest.param(lambda: fit_with(optimizer=SGD), TypeError,
                 ["optimizer=SGD(model.parameters(), lr=0.1)"], id="optimizer=SGD (the class)"),
    pytest.param(lambda: fit(three_classes()[2], three_classes()[0],
                             three_classes()[1].astype(float), loss="cross_entropy", lr=0.1),
                 TypeError, ["as ints", "y.astype(int)"], id="float labels to cross_entropy"),
    pytest.param(lambda: accuracy(three_classes()[2], *moons()[:1], 2 * moons()[1] - 1),
                 ValueError, ["class ids 0..2", "-1/+1 labels are for a model with one output"],
                 id="-1/+1 labels to a 3-output accuracy"),
]


@pytest.mark.parametrize("mistake, error, says", MISTAKES)
def test_each_mistake_gets_an_error_that_says_what_to_do(mistake, error, says):
    with pytest.raises(error) as caught:
        mistake()
    assert type(caught.value) is error  # exactly this kind, not a subclass picked up by accident
    for phrase in says:
        assert phrase in str(caught.value), f"{phrase!r} not in: {caught.value}"


def test_at_least_twenty_five_mistakes_are_covered():
    assert len(MISTAKES) >= 25


def test_what_a_student_means_works_where_there_is_one_meaning():
    v = Value(-2.0)
    out = abs(v)  # |v| is an operation with a gradient, sign(v)
    out.backward()
    assert (out.data, v.grad) == (2.0, -1.0)
    preds = [Value(0.5), Value(-0.5)]
    assert mse(preds, [Value(1.0), Value(-1.0)]).data == mse(preds, [1.0, -1.0]).data
    assert f"{mse(preds, [1.0, -1.0]):.4f}" == "0.2500"
    assert (np.float64(2.0) * Value(3.0)).data == 6.0


# --- the one rule behind all of them: course.checks ---------------------------------------------

ONE_RULE = [
    (lambda x: checks.whole_number(x, "n", low=1), "10", 0),
    (lambda x: checks.real_number(x, "x", low=0, high=1), None, 1.5),
    (lambda x: checks.positive(x, "lr"), "0.1", -0.1),
    (lambda x: checks.non_negative(x, "noise"), [0.1], math.nan),
    (lambda x: checks.fraction(x, "p"), True, 1.0),
    (lambda x: checks.one_of(x, "loss", ["mse", "hinge"]), 3, "mae"),
    (lambda x: checks.parameters(x, "params"), model().parameters, []),
    (lambda x: checks.examples(x, "X"), [[Value(1.0)]], [1.0, 2.0]),
    (lambda x: checks.labels(x, "y"), ["a", "b"], [[0], [1]]),
]


@pytest.mark.parametrize("check, wrong_type, wrong_value", ONE_RULE)
def test_a_wrong_type_is_a_type_error_and_a_wrong_value_a_value_error(
    check, wrong_type, wrong_value
):
    with pytest.raises(TypeError):
        check(wrong_type)
    with pytest.raises(ValueError):
        check(wrong_value)


def test_the_checks_return_what_the_caller_keeps():
    assert checks.whole_number(np.int64(3), "n") == 3 and type(checks.whole_number(3, "n")) is int
    assert checks.positive(np.float32(0.5), "lr") == 0.5
    params = [Value(1.0), Value(2.0)]
    assert checks.parameters(p for p in params) == params  # a generator is read once
    assert checks.describe("10") == "str '10'" and checks.describe(np.float64(1.5)) == "float64 1.5"
    assert checks.row_list([3]) == "row 3" and checks.row_list([1, 2]) == "rows 1 and 2"
