"""Exercises of notebook 12, from scalars to tensors: the backward pass of a mean along an axis,
and the shape bug in a layer.

Both checks run the student's function on Tensors of several shapes. 12.1 compares the result
with NumPy's mean and the gradient with the slope it measures by nudging every input number
(central differences); 12.2 compares outputs and gradients with ``tanh(X @ W.T + b)``.
"""

from __future__ import annotations

import numpy as np

from course.exercises.checking import (
    Case,
    Exercise,
    H,
    Incorrect,
    call_student,
    expect_function,
    type_name,
)
from course.exercises.shortcuts import call_without_shortcuts
from course.tensor import Tensor

TOLERANCE = 1e-6


def _expect_tensor(out: object, shown: str, shape: tuple[int, ...]) -> Tensor:
    """``out`` if it is a Tensor of ``shape``; otherwise Incorrect saying what it is."""
    if not isinstance(out, Tensor):
        raise Incorrect(f"`{shown}` should return a Tensor (course.tensor.Tensor), so that "
                        f"backward() can reach its input; it returned a {type_name(out)}.",
                        Case(shown, f"a Tensor of shape {shape}", type_name(out)))
    if out.shape != shape:
        raise Incorrect(f"`{shown}` returned a Tensor of shape {out.shape}; it should have "
                        f"shape {shape}.", Case(shown, f"shape {shape}", f"shape {out.shape}"))
    return out


def _expect_close(got: np.ndarray | None, expected: np.ndarray, message: str, shown: str) -> None:
    if got is None:  # a gradient backward() never set
        raise Incorrect(f"{message} It is None: backward() never reached that Tensor, so the "
                        f"result was not computed from it. Its numbers (.data), or a new Tensor "
                        f"made from them, are outside the graph.",
                        Case(shown, np.array2string(expected, precision=4), "None"))
    if not np.allclose(got, expected, rtol=TOLERANCE, atol=TOLERANCE):
        raise Incorrect(message, Case(shown, np.array2string(expected, precision=4),
                                      np.array2string(np.asarray(got), precision=4)))


# ----------------------------------------------------------------------------------------------
# 12.1 The backward pass of a mean along an axis
# ----------------------------------------------------------------------------------------------

MEAN_CASES = [((3, 4), 0), ((3, 4), 1), ((2, 3, 4), 1), ((2, 3, 4), -1), ((5,), 0), ((1, 3), 0)]


def _measured_mean_gradient(answer, data: np.ndarray, axis: int, weights: np.ndarray,
                            shown: str) -> np.ndarray:
    """d sum(weights * mean_along(t, axis)) / d t, by nudging each number of t both ways."""
    def f(array: np.ndarray) -> float:
        out = call_student(answer, Tensor(array), axis, shown=shown)
        return float((np.asarray(out.data) * weights).sum())

    grad = np.zeros_like(data)
    for index in np.ndindex(data.shape):
        up, down = data.copy(), data.copy()
        up[index] += H
        down[index] -= H
        grad[index] = (f(up) - f(down)) / (2 * H)
    return grad


# the package's own mean along an axis: the exercise is to write one
MEAN_SHORTCUT = {"Tensor.mean": Tensor.mean}
MEAN_TASK = ("The exercise asks you to build the node yourself: Tensor(data, children=(t,), "
             "backward_fns=(backward_fn,)) with a backward_fn you write.")


def _test_mean_along(answer: object) -> str:
    expect_function(answer, "mean_along")
    rng = np.random.default_rng(12)
    for shape, axis in MEAN_CASES:
        data = rng.normal(size=shape)
        t = Tensor(data)
        shown = f"mean_along(t, axis={axis}), t of shape {shape}"
        expected = data.mean(axis=axis)
        out = _expect_tensor(call_without_shortcuts(answer, t, axis, shown=shown,
                                                    shortcuts=MEAN_SHORTCUT, task=MEAN_TASK),
                             shown, expected.shape)
        _expect_close(out.data, expected, "The forward numbers are not the mean along that "
                      "axis: np.mean(t.data, axis=axis).", shown)
        if tuple(out.children) != (t,):
            raise Incorrect(
                "The result should be one new node whose only child is t, with a backward "
                "function you wrote: Tensor(data, children=(t,), backward_fns=(backward_fn,)). "
                "Built from t.sum() and *, it would use their backward passes, not yours.",
                Case(shown, "children == (t,)", f"{len(out.children)} children"))
        weights = rng.normal(size=expected.shape)  # every output number counts, each its own way
        call_student(lambda out=out, weights=weights: (out * weights).sum().backward(),
                     shown=f"(out * w).sum().backward() after {shown}")
        measured = _measured_mean_gradient(answer, data, axis, weights, shown)
        _expect_close(t.grad, measured, "t.grad differs from the slope measured by nudging each "
                      "number of t: each number read by a mean gets upstream / count, copied "
                      "back along the axis that was averaged.", f"t.grad after {shown}")
    return ("Right: on six shapes and axes your mean gives NumPy's numbers, and backward() gives "
            "every input number the slope measured by nudging it: the upstream gradient divided "
            "by the number of values averaged, spread back along the axis.")


q1 = Exercise(
    "12.1",
    "the backward pass of a mean along an axis",
    "mean_along",
    _test_mean_along,
    hints=[
        "The forward pass is np.mean(t.data, axis=axis): shape t.shape without that axis. "
        "The backward function takes the gradient g of that shape and must return one of t's "
        "shape.",
        "Each output number is (x_1 + ... + x_n) / n for the n numbers along the axis, so "
        "d out / d x_k = 1/n: every x_k gets g / n, the g of the mean it went into.",
        "np.expand_dims(g, axis) puts the averaged axis back with size 1; np.broadcast_to(..., "
        "shape) copies it along that axis. n is shape[axis].",
    ],
    solution='''
        import numpy as np
        from course.tensor import Tensor

        def mean_along(t, axis):
            """The mean of t along one axis, as one node with its own backward function."""
            shape, n = t.data.shape, t.data.shape[axis]
            def backward_fn(g):
                # d mean / d x_k = 1/n for each of the n numbers averaged: spread g / n back
                return np.broadcast_to(np.expand_dims(g, axis) / n, shape)
            return Tensor(t.data.mean(axis=axis), children=(t,), backward_fns=(backward_fn,))
    ''',
)


# ----------------------------------------------------------------------------------------------
# 12.2 The shape bug in a layer
# ----------------------------------------------------------------------------------------------

# (examples n, inputs nin, neurons nout): square weights first, where the broken layer runs
LAYER_SHAPES = [(4, 3, 3), (3, 2, 2), (5, 2, 3), (1, 4, 2), (6, 3, 1)]


def _test_fixed_layer(answer: object) -> str:
    expect_function(answer, "fixed_layer")
    rng = np.random.default_rng(122)
    for n, nin, nout in LAYER_SHAPES:
        X, W, b = rng.normal(size=(n, nin)), rng.normal(size=(nout, nin)), rng.normal(size=nout)
        shown = f"fixed_layer(X, W, b): X {X.shape}, W {W.shape}, b {b.shape}"
        ours = [Tensor(a) for a in (X, W, b)]
        theirs = [Tensor(a) for a in (X, W, b)]
        expected = (ours[0] @ ours[1].T + ours[2]).tanh()
        out = _expect_tensor(call_student(answer, *theirs, shown=shown), shown, (n, nout))
        _expect_close(out.data, expected.data, "Wrong numbers: row i, column j should be neuron "
                      "j on example i, tanh(X[i] · W[j] + b[j]). W has one row per neuron.", shown)
        upstream = rng.normal(size=(n, nout))
        expected.backward(upstream)
        call_student(lambda out=out, g=upstream: out.backward(g), shown=f"backward() of {shown}")
        for name, mine, yours in zip("XWb", ours, theirs):
            _expect_close(yours.grad, mine.grad, f"The outputs are right but {name}.grad is "
                          f"not: is {name} used the way the layer's maths uses it?",
                          f"{name}.grad after {shown}")
    return ("Right: W holds one row per neuron, so the layer is tanh(X @ W.T + b): (n, nin) @ "
            "(nin, nout) gives one row per example and one column per neuron, and b, of shape "
            "(nout,), is added to every row. The broken layer ran only where W was square.")


q2 = Exercise(
    "12.2",
    "the shape bug in a layer",
    "fixed_layer",
    _test_fixed_layer,
    hints=[
        "Write the shapes next to each step: X is (n, nin), W is (nout, nin), b is (nout,). "
        "What shape does X @ W need W to have?",
        "X @ W multiplies rows of X with columns of W. In the table W a neuron is a row, so "
        "with a square W the broken layer runs but pairs each input with the wrong weights.",
        "Transpose W: X @ W.T is (n, nin) @ (nin, nout) = (n, nout); then + b adds neuron "
        "j's bias to column j of every row.",
    ],
    solution='''
        def fixed_layer(X, W, b):
            """One tanh layer: X (n, nin), W (nout, nin) with a row per neuron, b (nout,)."""
            return (X @ W.T + b).tanh()  # (n, nin) @ (nin, nout) + (nout,) -> (n, nout)
    ''',
)
