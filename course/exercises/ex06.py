"""Exercises of notebook 06, neuron, layer, MLP: a layer as a table of weights, every layer's
outputs for one input, and the base class that gives every module ``zero_grad()``.

The check of 06.1 builds the student's layer and the matching ``course.nn.Layer``, gives both
the same parameters and compares outputs and gradients (``expect_same_module``); when they
differ, it looks for the likely mistake (parameters in another order, the wrong activation) and
says so. The check of 06.2 runs the student's function on ``course.nn.MLP``s and compares each
layer's outputs with separate ``course.nn.Layer``s holding copies of the same weights.
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
    backprop_gradients,
    call_student,
    expect_function,
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
# 06.2 Every layer's outputs
# ----------------------------------------------------------------------------------------------

# (nin, nouts, hidden activation, output activation) of course.nn.MLP, and one input each
OUTPUT_CASES = [
    (3, [4, 4, 1], "tanh", "tanh", [2.0, 3.0, -1.0]),
    (2, [16, 16, 1], "relu", "linear", [1.0, -1.0]),  # micrograd's classifier
    (3, [1, 2], "tanh", "sigmoid", [0.5, -1.5, 2.0]),  # a hidden layer of one neuron
    (2, [3], "relu", "linear", [-0.5, 1.5]),  # one layer: it is the output layer
]


def _as_list(output: object) -> list:
    """A layer's output as a list: course.nn returns the Value itself for one neuron."""
    return list(output) if isinstance(output, (list, tuple)) else [output]


def _expected_outputs(model: nn.MLP, x: list[float]) -> list[list[float]]:
    """Each layer's outputs, from separate course.nn.Layers holding copies of model's weights."""
    outputs = []
    for layer in model.layers:
        copy = nn.Layer(layer.nin, layer.nout, layer.activation, seed=0)
        for p, value in zip(copy.parameters(), layer.parameters()):
            p.data = value.data
        x = [v.data for v in _as_list(copy(x))]
        outputs.append(x)
    return outputs


def _check_layer_count(got: list, expected: list[list[float]], shown: str) -> None:
    if len(got) == len(expected):
        return
    advice = ""
    if len(got) == len(expected) - 1:
        advice = " The output layer is a layer too: its outputs are the last list."
    elif len(got) == len(expected) + 1:
        advice = " The input x is not the output of a layer: leave it out."
    raise Incorrect(f"`{shown}` should return one list per layer, {len(expected)} lists; it "
                    f"returned {len(got)}.{advice}",
                    Case(shown, f"{len(expected)} lists", f"{len(got)}"))


def _check_layer(got: object, expected: list[float], where: str) -> None:
    """One layer's outputs: a list of Values with the expected numbers."""
    if not isinstance(got, (list, tuple)):
        raise Incorrect("Every layer's outputs should be a list, even for a layer of one neuron "
                        "(which returns the Value itself): put that Value in a list of one.",
                        Case(where, f"a list of {len(expected)} Value(s)", type_name(got)))
    if len(got) != len(expected):
        raise Incorrect("Each list should hold one output per neuron of its layer.",
                        Case(where, f"{len(expected)} outputs", f"{len(got)}"))
    for i, (value, number) in enumerate(zip(got, expected)):
        if not hasattr(value, "data") or not hasattr(value, "children"):
            raise Incorrect("The outputs should be the Values the layers return, not their "
                            "`.data`: a Value keeps the graph that backward() walks.",
                            Case(f"{where}[{i}]", "a Value", f"{type_name(value)} {value!r}"))
        if not is_close(value.data, number, 1e-9):
            raise Incorrect("These are not the outputs of this layer. Feed x through the "
                            "layers in turn (`x = layer(x)`): each layer reads the outputs of "
                            "the one before.",
                            Case(f"{where}[{i}]", fmt(number), fmt(value.data)))


def _check_connected(got: list[list], model: nn.MLP, shown: str) -> None:
    """Each layer's outputs are the Values the next layer read, so backward() goes through."""
    needed = [id(p) for p in model.layers[0].neurons[0].parameters()]
    for index, outputs in enumerate(got):
        reached = backprop_gradients(outputs[0])
        if not all(key in reached for key in needed):
            before = "neuron 0's weights" if index == 0 else "the outputs listed before"
            raise Incorrect(
                "Each list should hold the Values the layers computed, the very Values the next "
                "layer reads, not new Values made from their `.data`: backward() from the last "
                "output must reach back through every layer to the first layer's weights.",
                Case(f"{shown}[{index}][0]", f"a Value computed from {before}",
                     "a Value without them in its graph"))
        needed = [id(v) for v in outputs]


def _test_layer_outputs(answer: object) -> str:
    expect_function(answer, "layer_outputs")
    for case_index, (nin, nouts, hidden, output, x) in enumerate(OUTPUT_CASES):
        model = _with_values(nn.MLP(nin, nouts, activation=hidden, output_activation=output,
                                    seed=0), seed=30 + case_index)
        shown = f"layer_outputs(MLP({nin}, {nouts}, {hidden!r}, {output!r}), {x})"
        try:
            got = call_student(answer, model, list(x), shown=shown)
        except StudentError as failure:
            if isinstance(failure.error, ValueError) and "inputs, got" in str(failure.error):
                raise Incorrect(f"{failure.message} Each layer reads the outputs of the layer "
                                f"before it, not x: `x = layer(x)`.", failure.case) from None
            raise
        if not isinstance(got, (list, tuple)):
            raise Incorrect("layer_outputs should return a list: one list of outputs per "
                            "layer.", Case(shown, "a list of lists", type_name(got)))
        expected = _expected_outputs(model, x)
        _check_layer_count(got, expected, shown)
        for index, (outputs, right) in enumerate(zip(got, expected)):
            _check_layer(outputs, right, f"{shown}[{index}]")
        _check_connected(list(got), model, shown)
    return (
        "Right: on four networks, micrograd's 2 → 16 → 16 → 1 among them, your lists hold every "
        "layer's outputs, the numbers of course.nn's layers on the same weights, and they are "
        "the Values the next layer reads. Printed for many inputs, they show what the hidden "
        "neurons do: which ReLUs output 0, which tanh neurons sit near ±1."
    )


q2 = Exercise(
    "06.2",
    "every layer's outputs",
    "layer_outputs",
    _test_layer_outputs,
    hints=[
        "Run the network the way your MLP's __call__ does, `x = layer(x)` for each layer in "
        "`model.layers`, and keep each layer's result in a list before the next layer reads it.",
        "A layer of one neuron returns the Value itself, not a list: `if not isinstance(x, "
        "list): x = [x]`, before you keep it.",
        "`outputs = []`, then in the loop `x = layer(x)`, wrap x in a list if it is a single "
        "Value, `outputs.append(x)`; after the loop `return outputs`. Do not rebuild Values "
        "from `.data`: the next layer must read the very Values you keep.",
    ],
    solution='''
        def layer_outputs(model, x):
            """The outputs of each layer of model for the input x: one list of Values per layer."""
            outputs = []
            for layer in model.layers:
                x = layer(x)
                if not isinstance(x, list):  # a layer of one neuron returns the Value itself
                    x = [x]
                outputs.append(x)
            return outputs
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
    if issubclass(answer, nn.Module):
        raise Incorrect("This Module inherits from course.nn.Module, the package's own version "
                        "of what the exercise asks for: its methods are the package's, not yours. "
                        "Write the class from scratch: class Module:",
                        Case("class Module(...)", "a class of your own",
                             "a subclass of course.nn.Module"))
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
