"""Answers to exercise set ex12 that its checks must judge: wrong ones and other right ones."""

import numpy as np

from course.tensor import Tensor

# --- 12.1 -------------------------------------------------------------------------------------


def _mean_node(backward_of):
    """A mean_along whose backward function is ``backward_of(shape, axis)``."""

    def mean_along(t, axis):
        return Tensor(t.data.mean(axis=axis), children=(t,),
                      backward_fns=(backward_of(t.data.shape, axis),))

    return mean_along


mean_without_dividing = _mean_node(
    lambda shape, axis: lambda g: np.broadcast_to(np.expand_dims(g, axis), shape))
mean_dividing_by_the_wrong_count = _mean_node(
    lambda shape, axis: lambda g: np.broadcast_to(np.expand_dims(g, axis), shape) / len(shape))
mean_not_spread_back = _mean_node(lambda shape, axis: lambda g: g / shape[axis])
mean_spread_along_axis_0 = _mean_node(
    lambda shape, axis: lambda g: np.broadcast_to(np.expand_dims(g, 0), shape) / shape[axis])


def mean_built_from_sum(t, axis):
    """Right numbers and gradients, but the backward pass is sum's, not the student's."""
    return t.sum(axis=axis) * (1.0 / t.data.shape[axis])


def mean_of_the_package(t, axis):
    """One node whose only child is t, but the package's: Tensor.mean's backward function."""
    return t.mean(axis=axis)


def mean_as_numbers(t, axis):
    return t.data.mean(axis=axis)


def mean_with_keepdims(t, axis):
    shape, n = t.data.shape, t.data.shape[axis]
    return Tensor(t.data.mean(axis=axis, keepdims=True), children=(t,),
                  backward_fns=(lambda g: np.broadcast_to(g / n, shape),))


mean_with_repeat = _mean_node(
    lambda shape, axis: lambda g: np.repeat(np.expand_dims(g, axis), shape[axis], axis=axis)
    / shape[axis])


def mean_with_ones(t, axis):
    """Another right way: multiply by ones of t's shape to spread the gradient."""
    n = t.data.shape[axis]
    return Tensor(t.data.sum(axis=axis) / n, children=(t,),
                  backward_fns=(lambda g: np.ones_like(t.data) * np.expand_dims(g, axis) / n,))


# --- 12.2 -------------------------------------------------------------------------------------


def broken_layer(X, W, b):
    """The notebook's broken layer: W is used as if it had one column per neuron."""
    return (X @ W + b).tanh()


def bias_after_tanh(X, W, b):
    return (X @ W.T).tanh() + b


def bias_as_a_column(X, W, b):
    return (X @ W.T + b.reshape(-1, 1)).tanh()


def layer_as_numbers(X, W, b):
    return np.tanh(X.data @ W.data.T + b.data)


def layer_with_constant_weights(X, W, b):
    """Right numbers, but W is copied into a constant: no gradient reaches it."""
    return (X @ Tensor(W.data.T) + b).tanh()


def layer_with_bias_numbers(X, W, b):
    """Right numbers, but b enters as plain numbers: backward() never reaches b."""
    return (X @ W.T + b.data).tanh()


def layer_transposed_twice(X, W, b):
    return (W @ X.T).T.__add__(b).tanh()


# exercise id -> [(a wrong answer, text its verdict must contain)]
WRONG = {
    "12.1": [(mean_without_dividing, "t.grad differs from the slope measured"),
             (mean_dividing_by_the_wrong_count, "t.grad differs"),
             (mean_not_spread_back, "returned a gradient of shape"),
             (mean_spread_along_axis_0, "raised"),
             (mean_built_from_sum, "only child is t"),
             (mean_of_the_package, "calls the package's `Tensor.mean`"),
             (mean_as_numbers, "should return a Tensor"),
             (mean_with_keepdims, "should have shape")],
    "12.2": [(broken_layer, "Wrong numbers"),
             (bias_after_tanh, "Wrong numbers"),
             (bias_as_a_column, "cannot combine shapes"),
             (layer_as_numbers, "should return a Tensor"),
             (layer_with_constant_weights, "W.grad"),
             (layer_with_bias_numbers, "never reached")],
}

# exercise id -> other correct answers (a different way to the same result must pass)
ALSO_CORRECT = {
    "12.1": [mean_with_repeat, mean_with_ones],
    "12.2": [layer_transposed_twice],
}

# what the solutions use from their notebook, besides math and Value (they import the rest)
NAMESPACE = {}
