"""The playground's network in NumPy, for drawing and measuring only.

The shading of the decision boundary needs the network's output at 1,600 grid points several
times a second, and the loss curves its output at every data point after each epoch. The
scalar engine computes one point at a time; here the weights are copied into NumPy arrays
(:func:`network_as_arrays`) and all the points are evaluated in one go, as matrix products
(:func:`numpy_scores`). Training never uses this: it runs on the engine.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from course.engine import GELU_CUBIC, SQRT_2_OVER_PI
from course.nn import MLP

NUMPY_ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
    "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),  # Value.leaky_relu's slope
    "gelu": lambda z: 0.5 * z * (1.0 + np.tanh(SQRT_2_OVER_PI * (z + GELU_CUBIC * z**3))),
    "sigmoid": lambda z: 0.5 * (1.0 + np.tanh(0.5 * z)),  # = 1/(1+e^-z), and never overflows
    "linear": lambda z: z,
}


def network_as_arrays(model: MLP) -> list[tuple[np.ndarray, np.ndarray, str]]:
    """Each layer's weights (a matrix, one row per neuron), biases and activation, as NumPy.

    A snapshot of the numbers only: changing the arrays does not change the model.
    """
    layers = []
    for layer in model.layers:
        weights = np.array([[w.data for w in neuron.w] for neuron in layer.neurons])
        biases = np.array([neuron.b.data for neuron in layer.neurons])
        layers.append((weights, biases, layer.activation))
    return layers


def numpy_layer_outputs(layers: list[tuple[np.ndarray, np.ndarray, str]],
                        X: np.ndarray) -> list[np.ndarray]:
    """Every layer's output for every row of X: one (m, neurons in the layer) array per layer.

    The network diagram shades each neuron by its own column of these.
    """
    a = np.asarray(X, dtype=float)
    outputs = []
    with np.errstate(all="ignore"):  # a diverged network gives inf/nan: draw it, don't warn
        for weights, biases, activation in layers:
            a = NUMPY_ACTIVATIONS[activation](a @ weights.T + biases)
            outputs.append(a)
    return outputs


def numpy_scores(layers: list[tuple[np.ndarray, np.ndarray, str]], X: np.ndarray) -> np.ndarray:
    """The network's output for every row of X at once: the same numbers as the scalar
    engine gives one point at a time, computed as matrix products."""
    return numpy_layer_outputs(layers, X)[-1][:, 0]
