"""Answers to exercise set ex06 that its checks must judge: wrong ones and other right ones."""

import random

from course import nn
from course.engine import Value
from course.exercises import ex06


def _solution(exercise, **namespace):
    """The class an exercise's own solution defines, run with ``namespace``."""
    namespace = {"Value": Value, "random": random, **namespace}
    exec(exercise.solution_code, namespace)
    return namespace[exercise.answer_name]


MatrixLayer = _solution(ex06.q1)
layer_outputs = _solution(ex06.q2)
Module = _solution(ex06.q3)


# --- 06.1 -------------------------------------------------------------------------------------


class WeightsFirstLayer(MatrixLayer):
    """parameters() lists every weight first and the biases at the end."""

    def parameters(self):
        return [wi for row in self.w for wi in row] + list(self.b)


class TwinsLayer(MatrixLayer):
    """Every neuron starts as a copy of the first one."""

    def __init__(self, nin, nout, activation=Value.tanh):
        super().__init__(nin, nout, activation)
        first = [wi.data for wi in self.w[0]]
        self.w = [[Value(v) for v in first] for _ in range(nout)]


class AlwaysTanhLayer(MatrixLayer):
    """Ignores the activation it is given."""

    def __init__(self, nin, nout, activation=Value.tanh):
        super().__init__(nin, nout, Value.tanh)


class DataLayer(MatrixLayer):
    """Returns the numbers instead of the Values."""

    def __call__(self, x):
        return [v.data for v in super().__call__(x)]


class WideStartLayer(MatrixLayer):
    """Weights start between 0 and 5."""

    def __init__(self, nin, nout, activation=Value.tanh):
        super().__init__(nin, nout, activation)
        self.w = [[Value(random.uniform(0, 5)) for _ in row] for row in self.w]


class NeuronRowsLayer:
    """The same layer kept as (weights, bias) pairs, using sum() for the weighted sum."""

    def __init__(self, nin, nout, activation=Value.tanh):
        self.rows = [([Value(random.uniform(-1, 1)) for _ in range(nin)], Value(0.0))
                     for _ in range(nout)]
        self.activation = activation

    def __call__(self, x):
        sums = [sum((wi * xi for wi, xi in zip(w, x)), b) for w, b in self.rows]
        return tuple(s if self.activation is None else self.activation(s) for s in sums)

    def parameters(self):
        return [p for w, b in self.rows for p in [*w, b]]


# --- 06.2 -------------------------------------------------------------------------------------


def hidden_only_outputs(model, x):
    """Leaves out the output layer."""
    return layer_outputs(model, x)[:-1]


def with_input_outputs(model, x):
    """Starts the list with the input."""
    return [list(x), *layer_outputs(model, x)]


def unwrapped_outputs(model, x):
    """Keeps a one-neuron layer's Value as it is, not in a list."""
    outputs = []
    for layer in model.layers:
        x = layer(x)
        outputs.append(x)
    return outputs


def data_outputs(model, x):
    """The numbers instead of the Values."""
    return [[v.data for v in outputs] for outputs in layer_outputs(model, x)]


def same_input_outputs(model, x):
    """Runs every layer on the input instead of on the layer before."""
    return [layer(x) for layer in model.layers]


def copied_outputs(model, x):
    """Feeds the next layer new Values made from the numbers: the graph is cut."""
    outputs = []
    for layer in model.layers:
        x = layer(x)
        x = [Value(v.data) for v in (x if isinstance(x, list) else [x])]
        outputs.append(x)
    return outputs


def twice_computed_outputs(model, x):
    """Lists one run of each layer but feeds the next layer another run."""
    outputs = []
    for layer in model.layers:
        outputs.append(layer(x) if isinstance(layer(x), list) else [layer(x)])
        x = layer(x)
    return outputs


def recursive_outputs(model, x, start=0):
    """Another right answer: one layer, then the rest of the network on its outputs."""
    if start == len(model.layers):
        return []
    out = model.layers[start](x)
    out = out if isinstance(out, (list, tuple)) else [out]
    return [out, *recursive_outputs(model, out, start + 1)]


def tuple_outputs(model, x):
    """Another right answer: tuples, single Values found by a missing len()."""
    outputs = []
    for layer in model.layers:
        x = layer(x)
        x = tuple(x) if hasattr(x, "__len__") else (x,)
        outputs.append(x)
    return tuple(outputs)


# --- 06.3 -------------------------------------------------------------------------------------


class ForgetfulModule(Module):
    def zero_grad(self):
        pass


class DataZeroingModule(Module):
    def zero_grad(self):
        for p in self.parameters():
            p.data = 0.0
            p.grad = 0.0


class NoneGradModule(Module):
    def zero_grad(self):
        for p in self.parameters():
            p.grad = None


class CountsAttributesModule(Module):
    def num_parameters(self):
        return len(vars(self))


class NoneParametersModule(Module):
    def parameters(self):
        return None


class IntZeroModule:
    """Another right answer: grads set to the int 0, the count by a loop."""

    def parameters(self):
        return []

    def zero_grad(self):
        for p in self.parameters():
            p.grad = 0

    def num_parameters(self):
        count = 0
        for _ in self.parameters():
            count += 1
        return count


# exercise id -> [(a wrong answer, a piece of text its verdict must contain), ...]
class PackageModule(nn.Module):
    """The package's Module, inherited: nothing written."""


WRONG = {
    "06.1": [(WeightsFirstLayer, "in another order"), (TwinsLayer, "start with the same weights"),
             (AlwaysTanhLayer, "applies Value.tanh where it was given Value.relu"),
             (DataLayer, "Return the Value itself"), (WideStartLayer, "between -1 and 1"),
             (lambda nin, nout, activation: None, "should be a class")],
    "06.2": [(hidden_only_outputs, "The output layer is a layer too"),
             (with_input_outputs, "The input x is not the output of a layer"),
             (unwrapped_outputs, "put that Value in a list of one"),
             (data_outputs, "not their `.data`"),
             (same_input_outputs, "reads the outputs of the layer before it"),
             (copied_outputs, "not new Values made from their `.data`"),
             (twice_computed_outputs, "the very Values the next layer reads"),
             (lambda model, x: model(x), "should return a list")],
    "06.3": [(PackageModule, "inherits from course.nn.Module"),
             (ForgetfulModule, "set the grad of every parameter to 0"),
             (DataZeroingModule, "change only the grads"),
             (NoneGradModule, "set the grad of every parameter to 0"),
             (CountsAttributesModule, "how many Values parameters() lists"),
             (NoneParametersModule, "should return an empty list")],
}

# exercise id -> other correct answers (a different way to the same result must pass)
ALSO_CORRECT = {
    "06.1": [NeuronRowsLayer],
    "06.2": [recursive_outputs, tuple_outputs],
    "06.3": [IntZeroModule],
}

# what the solutions use from their notebook, besides math and Value
NAMESPACE = {"random": random}
