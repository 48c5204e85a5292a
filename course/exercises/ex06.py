"""Exercises of notebook 06, neuron, layer, MLP: a layer as a table of weights, an MLP with its
own output activation, and the base class that gives every module ``zero_grad()``.

The checks of 06.1 and 06.2 build the student's class and the matching ``course.nn`` module,
give both the same parameters and compare outputs and gradients (``expect_same_module``); when
they differ, they look for the likely mistake (parameters in another order, the wrong
activation on a layer) and say so.
"""

from __future__ import annotations

import numbers
import random
from collections.abc import Callable

from course import nn
from course.engine import Value
from course.exercises.checking import (
    Case,
    Exercise,
    Incorrect,
    StudentError,
    call_student,
    fmt,
    is_close,
    type_name,
)
from course.exercises.networks import expect_same_module

# The activations a check hands to the student's classes, as code and by course.nn's name.
ACTIVATION_CODE = {Value.tanh: "Value.tanh", Value.relu: "Value.relu",
                   Value.sigmoid: "Value.sigmoid", None: "None"}
ACTIVATION_NAME = {Value.tanh: "tanh", Value.relu: "relu", Value.sigmoid: "sigmoid",
                   None: "linear"}


# ----------------------------------------------------------------------------------------------
# Helpers shared by the checks
# ----------------------------------------------------------------------------------------------


def _expect_class(answer: object, name: str) -> None:
    if not isinstance(answer, type):
        raise Incorrect(
            f"`{name}` should be a class (defined with `class {name}:`); "
            f"it is a {type_name(answer)}.",
            Case(name, "a class", type_name(answer)),
        )


def _with_values(module: nn.Module, seed: int) -> nn.Module:
    """``module`` with every parameter, biases too, set to a number in [-1, 1] from ``seed``."""
    rng = random.Random(seed)
    for p in module.parameters():
        p.data = round(rng.uniform(-1.0, 1.0), 3)
    return module


def _gives_the_same(student: object, x: list[float], other: nn.Module) -> bool:
    """True if the student's module and ``other`` (same parameter values) agree on ``x``."""
    try:
        got, expected = student(list(x)), other(list(x))
    except Exception:  # noqa: BLE001 -- only a guess at the mistake: any failure means "no"
        return False
    got = list(got) if isinstance(got, (list, tuple)) else [got]
    expected = list(expected) if isinstance(expected, (list, tuple)) else [expected]
    return len(got) == len(expected) and all(
        is_close(getattr(g, "data", g), e.data, 1e-9) for g, e in zip(got, expected))


def _compare(student: object, reference: nn.Module, inputs: list[list[float]], shown: str,
             mistake: Callable[..., str | None], *details: object) -> None:
    """expect_same_module, naming the likely mistake when
    ``mistake(student, reference, *details, first input)`` finds one."""
    try:
        expect_same_module(student, reference, inputs, shown)
    except StudentError:
        raise
    except Incorrect as failure:
        advice = mistake(student, reference, *details, inputs[0])
        if advice is None:
            raise
        raise Incorrect(advice, failure.case) from None


# ----------------------------------------------------------------------------------------------
# 06.1 A layer as a table of weights
# ----------------------------------------------------------------------------------------------

LAYER_CASES = [(3, 4, Value.tanh), (2, 1, Value.tanh), (4, 3, Value.relu), (3, 2, None)]
LAYER_INPUTS = [[2.0, 3.0, -1.0, 0.5], [-1.5, 0.5, 1.0, -2.0]]  # the first nin numbers of each


def _weights_first(nin: int, nout: int) -> list[int]:
    """For each parameter in course.nn's order, its place in a weights-first, biases-last list."""
    return [j * nin + i if i < nin else nout * nin + j
            for j in range(nout) for i in range(nin + 1)]


def _layer_mistake(layer: object, reference: nn.Layer, activation: Callable | None,
                   x: list[float]) -> str | None:
    """Which likely mistake makes the student's layer differ from ``reference``, if one fits."""
    nin, nout = reference.nin, reference.nout
    values = [p.data for p in reference.parameters()]  # copied into the student's layer
    swapped = nn.Layer(nin, nout, ACTIVATION_NAME[activation], seed=0)
    for p, k in zip(swapped.parameters(), _weights_first(nin, nout)):
        p.data = values[k]
    if _gives_the_same(layer, x, swapped):
        return ("Your outputs are course.nn.Layer's with the parameters in another order. "
                "parameters() should list neuron 0's weights and its bias, then neuron 1's "
                "weights and its bias, and so on.")
    for other in ACTIVATION_NAME:
        package = nn.Layer(nin, nout, ACTIVATION_NAME[other], seed=0)
        for p, value in zip(package.parameters(), values):
            p.data = value
        if other is not activation and _gives_the_same(layer, x, package):
            return (f"Your layer applies {ACTIVATION_CODE[other]} where it was given "
                    f"{ACTIVATION_CODE[activation]}: apply self.activation to each weighted sum "
                    f"(nothing when it is None).")
    return None


def _starting_weights(layer: object, nin: int, nout: int, shown: str) -> list[list[float]]:
    """The student's starting weights, row by row, as parameters() lists them (with biases).

    Empty when parameters() does not give nout * (nin + 1) numbers: the comparison with
    course.nn then says what is wrong.
    """
    method = getattr(layer, "parameters", None)
    params = call_student(method, shown=f"{shown}.parameters()") if callable(method) else None
    if not isinstance(params, (list, tuple)) or len(params) != nout * (nin + 1):
        return []
    values = [getattr(p, "data", 0.0) for p in params]
    return [values[j * (nin + 1): j * (nin + 1) + nin] for j in range(nout)]


def _check_start(rows: list[list[float]], shown: str) -> None:
    """Weights start in [-1, 1] and no two neurons start alike (they would stay alike)."""
    for j, row in enumerate(rows):
        for i, weight in enumerate(row):
            if not -1.0 <= weight <= 1.0:
                raise Incorrect("Weights should start at random numbers between -1 and 1: "
                                "random.uniform(-1, 1).",
                                Case(f"{shown}: neuron {j}, weight {i}", "between -1 and 1",
                                     fmt(weight)))
    for j in range(1, len(rows)):
        if rows[j] == rows[0]:
            raise Incorrect(f"Neurons 0 and {j} start with the same weights: they compute the "
                            f"same output and get the same gradients, so they stay equal. Draw "
                            f"every weight with its own random.uniform(-1, 1).",
                            Case(shown, "different starting weights",
                                 f"neurons 0 and {j} both start at "
                                 f"[{', '.join(fmt(w) for w in rows[0])}]"))


def _test_matrix_layer(answer: object) -> str:
    _expect_class(answer, "MatrixLayer")
    for case_index, (nin, nout, activation) in enumerate(LAYER_CASES):
        shown = f"MatrixLayer({nin}, {nout}, {ACTIVATION_CODE[activation]})"
        layer = call_student(answer, nin, nout, activation, shown=shown)
        start = _starting_weights(layer, nin, nout, shown)
        reference = _with_values(nn.Layer(nin, nout, ACTIVATION_NAME[activation], seed=0),
                                 seed=10 + case_index)
        inputs = [x[:nin] for x in LAYER_INPUTS]
        _compare(layer, reference, inputs, shown, _layer_mistake, activation)
        _check_start(start, shown)
    return (
        "Right: for four shapes and activations your layer starts with different random weights "
        "and, given the same parameters, gives course.nn.Layer's outputs and gradients. The "
        "table self.w is a weight matrix: row j is neuron j."
    )


q1 = Exercise(
    "06.1",
    "a layer as a table of weights",
    "MatrixLayer",
    _test_matrix_layer,
    hints=[
        "In __init__, one row per neuron: `self.w = [[Value(random.uniform(-1, 1)) for _ in "
        "range(nin)] for _ in range(nout)]`, and `self.b = [Value(0.0) for _ in range(nout)]`.",
        "In __call__, for each `row, bias in zip(self.w, self.b)`: start `total = bias`, add "
        "`wi * xi` for each weight and input, then apply `self.activation` unless it is None. "
        "Collect the results in a list and return it.",
        "parameters() goes neuron by neuron, as course.nn.Layer does: "
        "`[p for row, bias in zip(self.w, self.b) for p in row + [bias]]`.",
    ],
    solution='''
        class MatrixLayer:
            """nout neurons as rows of weights: self.w[j][i] is neuron j's weight for input i."""

            def __init__(self, nin, nout, activation=Value.tanh):
                self.activation = activation  # a function of one Value, or None for no activation
                self.w = [[Value(random.uniform(-1, 1)) for _ in range(nin)] for _ in range(nout)]
                self.b = [Value(0.0) for _ in range(nout)]

            def __call__(self, x):
                outputs = []
                for row, bias in zip(self.w, self.b):
                    total = bias
                    for wi, xi in zip(row, x):
                        total = total + wi * xi
                    outputs.append(total if self.activation is None else self.activation(total))
                return outputs

            def parameters(self):
                return [p for row, bias in zip(self.w, self.b) for p in row + [bias]]
    ''',
)


# ----------------------------------------------------------------------------------------------
# 06.2 An MLP whose last layer has its own activation
# ----------------------------------------------------------------------------------------------

NETWORK_CASES = [
    (3, [4, 4, 1], Value.tanh, Value.tanh),
    (2, [16, 16, 1], Value.relu, None),  # micrograd's classifier
    (2, [3, 2], Value.tanh, Value.sigmoid),
    (2, [3], Value.relu, None),  # one layer: it is the output layer
]
NETWORK_INPUTS = [[1.5, -2.0, 0.5], [-0.5, 1.0, 2.0]]


def _package_mlp(nin: int, nouts: list[int], hidden: Callable | None,
                 output: Callable | None) -> nn.MLP:
    return nn.MLP(nin, nouts, activation=ACTIVATION_NAME[hidden],
                  output_activation=ACTIVATION_NAME[output], seed=0)


def _network_mistake(net: object, reference: nn.MLP, hidden: Callable | None,
                     output: Callable | None, x: list[float]) -> str | None:
    """Which activation mix-up makes the student's network differ from ``reference``, if any."""
    values = [p.data for p in reference.parameters()]
    mixups = [
        ((hidden, hidden), "The last layer should use output_activation "
                           f"({ACTIVATION_CODE[output]}), not the hidden layers' activation."),
        ((output, output), "The hidden layers should use activation "
                           f"({ACTIVATION_CODE[hidden]}); only the last layer uses "
                           "output_activation."),
        ((output, hidden), "The two activations are swapped: hidden layers use activation, the "
                           "last layer output_activation."),
    ]
    for (inner, last), advice in mixups:
        if (inner, last) == (hidden, output):
            continue
        model = _package_mlp(reference.nin, [lay.nout for lay in reference.layers], inner, last)
        for p, value in zip(model.parameters(), values):
            p.data = value
        if _gives_the_same(net, x, model):
            return advice
    return None


def _test_network(answer: object) -> str:
    _expect_class(answer, "Network")
    for case_index, (nin, nouts, hidden, output) in enumerate(NETWORK_CASES):
        shown = (f"Network({nin}, {nouts}, {ACTIVATION_CODE[hidden]}, "
                 f"{ACTIVATION_CODE[output]})")
        net = call_student(answer, nin, list(nouts), hidden, output, shown=shown)
        reference = _with_values(_package_mlp(nin, nouts, hidden, output), seed=20 + case_index)
        inputs = [x[:nin] for x in NETWORK_INPUTS]
        _compare(net, reference, inputs, shown, _network_mistake, hidden, output)
        call = f"{shown}({inputs[0]})"
        out = call_student(net, list(inputs[0]), shown=call)
        if nouts[-1] == 1 and isinstance(out, (list, tuple)):
            raise Incorrect("With one output neuron, return that Value itself, not a list of "
                            "one (as your MLP does: `x[0] if len(x) == 1 else x`).",
                            Case(call, "a Value", f"a {type_name(out)} of {len(out)}"))
    return (
        "Right: on four networks, micrograd's 2 → 16 → 16 → 1 among them, yours gives "
        "course.nn.MLP's outputs and gradients: hidden layers use activation, the last layer "
        "output_activation."
    )


q2 = Exercise(
    "06.2",
    "an MLP with its own output activation",
    "Network",
    _test_network,
    hints=[
        "In __init__, `sizes = [nin] + list(nouts)`; layer i reads sizes[i] inputs and has "
        "sizes[i + 1] neurons. The last layer is the one with i == len(nouts) - 1.",
        "`self.layers = [MatrixLayer(sizes[i], sizes[i + 1], output_activation if i == "
        "len(nouts) - 1 else activation) for i in range(len(nouts))]`.",
        "__call__ feeds x through the layers in turn (`x = layer(x)`) and returns `x[0] if "
        "len(x) == 1 else x`; parameters() is `[p for layer in self.layers for p in "
        "layer.parameters()]`.",
    ],
    solution='''
        class Network:
            """An MLP whose hidden layers use `activation` and last layer `output_activation`."""

            def __init__(self, nin, nouts, activation, output_activation):
                sizes = [nin] + list(nouts)
                self.layers = []
                for i in range(len(nouts)):
                    last = i == len(nouts) - 1
                    act = output_activation if last else activation
                    self.layers.append(MatrixLayer(sizes[i], sizes[i + 1], act))

            def __call__(self, x):
                for layer in self.layers:
                    x = layer(x)
                return x[0] if len(x) == 1 else x

            def parameters(self):
                return [p for layer in self.layers for p in layer.parameters()]
    ''',
)


# ----------------------------------------------------------------------------------------------
# 06.3 A base class with zero_grad()
# ----------------------------------------------------------------------------------------------


def _subclasses(base: type) -> tuple[type, type]:
    """Two small modules built on the student's base class: a pair of Values, and two pairs."""

    class Pair(base):
        def __init__(self, a: float, b: float) -> None:
            self.a, self.b = Value(a, label="a"), Value(b, label="b")

        def parameters(self) -> list[Value]:
            return [self.a, self.b]

    class TwoPairs(base):
        def __init__(self) -> None:
            self.parts = [Pair(0.5, -1.5), Pair(2.0, 0.25)]

        def parameters(self) -> list[Value]:
            return [p for part in self.parts for p in part.parameters()]

    return Pair, TwoPairs


def _check_zero_grad(model: object, shown: str) -> None:
    """After two backward passes every grad is non-zero; zero_grad() must reset only the grads."""
    params = model.parameters()
    loss = params[0] * params[1]
    for p in params[2:]:
        loss = loss + p * p
    loss.backward()
    loss.backward()  # backward() adds: the grads are now twice the true ones
    before = [p.data for p in params]
    method = getattr(model, "zero_grad", None)
    if not callable(method):
        raise Incorrect("Module needs a zero_grad() method.",
                        Case(f"{shown}.zero_grad()", "a method", "no such method"))
    call_student(method, shown=f"{shown}.zero_grad()")
    for p, data in zip(params, before):
        grad = p.grad
        if isinstance(grad, bool) or not isinstance(grad, numbers.Real) or grad != 0:
            raise Incorrect("zero_grad() should set the grad of every parameter to 0.",
                            Case(f"{p.label}.grad after {shown}.zero_grad()", "0", repr(grad)))
        if p.data != data:
            raise Incorrect("zero_grad() should change only the grads: the data of a parameter "
                            "is what the network has learned.",
                            Case(f"{p.label}.data after {shown}.zero_grad()", fmt(data),
                                 fmt(p.data)))


def _check_count(model: object, shown: str, expected: int) -> None:
    method = getattr(model, "num_parameters", None)
    if not callable(method):
        raise Incorrect("Module needs a num_parameters() method.",
                        Case(f"{shown}.num_parameters()", "a method", "no such method"))
    got = call_student(method, shown=f"{shown}.num_parameters()")
    if isinstance(got, bool) or got != expected:
        raise Incorrect("num_parameters() should be how many Values parameters() lists.",
                        Case(f"{shown}.num_parameters()", str(expected), repr(got)))


def _test_module(answer: object) -> str:
    _expect_class(answer, "Module")
    empty = call_student(answer, shown="Module()")
    own = call_student(getattr(empty, "parameters", lambda: None), shown="Module().parameters()")
    if not isinstance(own, (list, tuple)) or len(own) != 0:
        raise Incorrect("Module's own parameters() should return an empty list: a subclass "
                        "replaces it with a list of its parameters.",
                        Case("Module().parameters()", "[]", repr(own)))
    _check_count(empty, "Module()", 0)
    pair_class, two_pairs_class = _subclasses(answer)
    for model, shown, count in [(pair_class(1.5, -0.5), "Pair(1.5, -0.5)", 2),
                                (two_pairs_class(), "TwoPairs()", 4)]:
        _check_zero_grad(model, shown)
        _check_count(model, shown, count)
    return (
        "Right: any class that inherits from your Module and lists its parameters() gets "
        "zero_grad() and num_parameters() for free. course.nn.Module works the same way."
    )


q3 = Exercise(
    "06.3",
    "a base class with zero_grad()",
    "Module",
    _test_module,
    hints=[
        "A base class is a plain class: `class Module:` with three methods. Subclasses "
        "(`class Layer(Module):`) inherit the methods they do not define themselves.",
        "parameters() returns `[]`. zero_grad() and num_parameters() call `self.parameters()`: "
        "in a subclass, that is the subclass's own list.",
        "zero_grad(): `for p in self.parameters(): p.grad = 0.0`. num_parameters(): "
        "`return len(self.parameters())`.",
    ],
    solution='''
        class Module:
            """What Neuron, Layer and MLP have in common: parameters to list and to zero."""

            def parameters(self):
                return []

            def zero_grad(self):
                for p in self.parameters():
                    p.grad = 0.0

            def num_parameters(self):
                return len(self.parameters())
    ''',
)
