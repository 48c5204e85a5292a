"""Answers to exercise set ex06 that its checks must judge: wrong ones and other right ones."""

import random

from course.engine import Value
from course.exercises import ex06


def _solution(exercise, **namespace):
    """The class an exercise's own solution defines, run with ``namespace``."""
    namespace = {"Value": Value, "random": random, **namespace}
    exec(exercise.solution_code, namespace)
    return namespace[exercise.answer_name]


MatrixLayer = _solution(ex06.q1)
Network = _solution(ex06.q2, MatrixLayer=MatrixLayer)
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


class SameActivationNetwork(Network):
    """Uses the hidden activation on the last layer too."""

    def __init__(self, nin, nouts, activation, output_activation):
        super().__init__(nin, nouts, activation, activation)


class ListOutputNetwork(Network):
    """Returns a list of one Value for one output."""

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


class FirstLayerParamsNetwork(Network):
    """parameters() forgets every layer but the first."""

    def parameters(self):
        return self.layers[0].parameters()


class NeuronNetwork:
    """The same network from lists of (weights, bias) per layer, without MatrixLayer."""

    def __init__(self, nin, nouts, activation, output_activation):
        sizes = [nin, *nouts]
        self.layers = [
            [([Value(random.uniform(-1, 1)) for _ in range(a)], Value(0.0)) for _ in range(b)]
            for a, b in zip(sizes, sizes[1:])
        ]
        self.acts = [activation] * (len(nouts) - 1) + [output_activation]

    def __call__(self, x):
        for layer, act in zip(self.layers, self.acts):
            sums = [sum((wi * xi for wi, xi in zip(w, x)), b) for w, b in layer]
            x = [s if act is None else act(s) for s in sums]
        return x[0] if len(x) == 1 else x

    def parameters(self):
        return [p for layer in self.layers for w, b in layer for p in [*w, b]]


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
WRONG = {
    "06.1": [(WeightsFirstLayer, "in another order"), (TwinsLayer, "start with the same weights"),
             (AlwaysTanhLayer, "applies Value.tanh where it was given Value.relu"),
             (DataLayer, "Return the Value itself"), (WideStartLayer, "between -1 and 1"),
             (lambda nin, nout, activation: None, "should be a class")],
    "06.2": [(SameActivationNetwork, "The last layer should use output_activation"),
             (ListOutputNetwork, "not a list of one"),
             (FirstLayerParamsNetwork, "has 16 parameters")],
    "06.3": [(ForgetfulModule, "set the grad of every parameter to 0"),
             (DataZeroingModule, "change only the grads"),
             (NoneGradModule, "set the grad of every parameter to 0"),
             (CountsAttributesModule, "how many Values parameters() lists"),
             (NoneParametersModule, "should return an empty list")],
}

# exercise id -> other correct answers (a different way to the same result must pass)
ALSO_CORRECT = {
    "06.1": [NeuronRowsLayer],
    "06.2": [NeuronNetwork],
    "06.3": [IntZeroModule],
}

# what the solutions use from their notebook, besides math and Value
NAMESPACE = {"random": random, "MatrixLayer": MatrixLayer}
