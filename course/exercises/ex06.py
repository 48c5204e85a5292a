"""Exercises of notebook 06, neuron, layer, MLP: write a neuron, count and choose parameters."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence

from course.engine import Value
from course.exercises.checking import (
    Case,
    Exercise,
    Incorrect,
    backprop_gradients,
    call_student,
    central_difference,
    expect_function,
    expect_number,
    expect_value_node,
    fmt,
    is_close,
)
from course.nn import MLP

# ----------------------------------------------------------------------------------------------
# 06.1 A neuron, written as an expression of Values
# ----------------------------------------------------------------------------------------------


def _neuron_cases() -> list[tuple[list[float], list[float], float]]:
    """(inputs, weights, bias) with 1 to 3 inputs: the first is notebook 06's neuron."""
    rng = random.Random(5)
    cases = [([2.0, 3.0, -1.0], [0.5, -0.4, 0.3], 0.8)]
    for nin in (1, 2, 3):
        xs = [round(rng.uniform(-2, 2), 3) for _ in range(nin)]
        ws = [round(rng.uniform(-1, 1), 3) for _ in range(nin)]
        cases.append((xs, ws, round(rng.uniform(-1, 1), 3)))
    return cases


def _call_neuron(
    neuron_output: Callable, xs: list[float], ws: list[float], b: float
) -> tuple[object, list[Value], Value, str]:
    """Run the student's neuron on fresh Values; returns (output, weight Values, bias Value)."""
    w_values = [Value(w, label=f"w{i}") for i, w in enumerate(ws)]
    b_value = Value(b, label="b")
    shown = f"neuron_output({xs}, w={ws}, b={b:g})"
    out = call_student(neuron_output, list(xs), w_values, b_value, shown=shown)
    expect_value_node(out, shown)
    return out, w_values, b_value, shown


def _test_neuron(answer: object) -> str:
    expect_function(answer, "neuron_output")
    for xs, ws, b in _neuron_cases():
        out, w_values, b_value, shown = _call_neuron(answer, xs, ws, b)
        expected = math.tanh(b + sum(w * x for w, x in zip(ws, xs)))
        if not is_close(out.data, expected):
            raise Incorrect("The output should be tanh(w·x + b): the weighted sum of the inputs "
                            "plus the bias, squashed by tanh.",
                            Case(f"{shown}.data", fmt(expected), fmt(out.data)))
        grads = backprop_gradients(out)
        for i, param in enumerate([*w_values, b_value]):
            _check_parameter_grad(answer, xs, ws, b, i, grads.get(id(param)), shown)
    return (
        "Right: on four neurons with 1 to 3 inputs the output is tanh(w·x + b), and backward() "
        "gives every weight and the bias the slope measured by nudging it."
    )


def _check_parameter_grad(
    neuron_output: Callable, xs: list[float], ws: list[float], b: float, i: int,
    grad: float | None, shown: str,
) -> None:
    """Parameter i (the weights, then the bias) must get the slope measured by nudging it."""
    params = [*ws, b]
    name = f"w[{i}]" if i < len(ws) else "b"

    def output(t: float) -> float:
        nudged = params[:i] + [t] + params[i + 1:]
        return _call_neuron(neuron_output, xs, nudged[:-1], nudged[-1])[0].data

    measured = central_difference(output, params[i])
    if grad is None:
        raise Incorrect(f"The output's graph does not contain {name}: build the output from the "
                        f"Values you are given, so gradients can reach them.",
                        Case(shown, f"{name} in the graph", "not in the graph"))
    if not is_close(grad, measured, tolerance=1e-5):
        raise Incorrect(f"The gradient of {name} differs from the slope measured by nudging it.",
                        Case(f"d out / d {name} for {shown}", fmt(measured), fmt(grad)))


q1 = Exercise(
    "06.1",
    "a neuron as an expression",
    "neuron_output",
    _test_neuron,
    hints=[
        "Start from the bias and add one product per input: `total = b`, then "
        "`total = total + w[i] * x[i]` for each i.",
        "Then squash the sum: `total.tanh()`.",
        "Return the Value itself (not `.data`): the check calls backward() through it.",
    ],
    solution='''
        def neuron_output(x, w, b):
            """tanh(w[0]*x[0] + w[1]*x[1] + ... + b), built from Value operations."""
            total = b
            for wi, xi in zip(w, x):
                total = total + wi * xi
            return total.tanh()
    ''',
)


# ----------------------------------------------------------------------------------------------
# 06.2 How many parameters does an MLP have?
# ----------------------------------------------------------------------------------------------

SHAPES = [(3, [4, 4, 1]), (1, [1]), (2, [16, 16, 1]), (5, [3]), (10, [7, 2]), (4, [1, 1, 1, 1])]


def _weights_only(nin: int, nouts: Sequence[int]) -> int:
    sizes = [nin, *nouts]
    return sum(n_in * n_out for n_in, n_out in zip(sizes, sizes[1:]))


def _test_count(answer: object) -> str:
    expect_function(answer, "count_parameters")
    for nin, nouts in SHAPES:
        shown = f"count_parameters({nin}, {nouts})"
        got = expect_number(call_student(answer, nin, list(nouts), shown=shown), shown)
        expected = MLP(nin, nouts).num_parameters()
        if got != expected:
            if got == _weights_only(nin, nouts):
                advice = "That counts the weights only: every neuron also has a bias."
            else:
                advice = ("Each layer has n_out neurons, and each neuron has one weight per "
                          "input of its layer plus one bias.")
            expected_text = f"{expected} (MLP({nin}, {nouts}).num_parameters())"
            raise Incorrect(advice, Case(shown, expected_text, fmt(got)))
    return (
        f"Right: your formula agrees with MLP(...).num_parameters() for all {len(SHAPES)} shapes: "
        f"each layer adds n_out · (n_in + 1)."
    )


q2 = Exercise(
    "06.2",
    "the number of parameters of an MLP",
    "count_parameters",
    _test_count,
    hints=[
        "Go layer by layer. A layer with n_in inputs and n_out neurons has n_out neurons, each "
        "with n_in weights and one bias.",
        "The inputs of the first layer are the nin inputs of the network; the inputs of every "
        "other layer are the outputs (neurons) of the layer before.",
        "`sizes = [nin, *nouts]`, then add `n_out * (n_in + 1)` for each pair "
        "`zip(sizes, sizes[1:])`.",
    ],
    solution='''
        def count_parameters(nin, nouts):
            """How many weights and biases MLP(nin, nouts) has."""
            sizes = [nin, *nouts]
            total = 0
            for n_in, n_out in zip(sizes, sizes[1:]):
                total += n_out * (n_in + 1)  # each neuron: one weight per input, plus a bias
            return total
    ''',
)


# ----------------------------------------------------------------------------------------------
# 06.3 A network with exactly 41 parameters
# ----------------------------------------------------------------------------------------------

TARGET_PARAMETERS = 41


def _test_model_41(answer: object) -> str:
    if not callable(getattr(answer, "parameters", None)):
        raise Incorrect("`model_41` should be a network, such as MLP(3, [...]).",
                        Case("model_41", "an MLP", type(answer).__name__))
    out = call_student(answer, [0.5, -1.0, 2.0], shown="model_41([0.5, -1.0, 2.0])")
    if isinstance(out, (list, tuple)):
        raise Incorrect(f"model_41 gives {len(out)} outputs for one example: the last layer "
                        f"needs 1 neuron.",
                        Case("model_41([0.5, -1.0, 2.0])", "one Value", f"{len(out)} Values"))
    count = len(answer.parameters())
    if count != TARGET_PARAMETERS:
        raise Incorrect(f"{answer!r} has {count} parameters. Use count_parameters to try shapes.",
                        Case("len(model_41.parameters())", str(TARGET_PARAMETERS), str(count)))
    other = "MLP(3, [8, 1])" if count_layers(answer) == [4, 4, 1] else "MLP(3, [4, 4, 1])"
    return (
        f"Right: 3 inputs, 1 output and 41 parameters. {other} has 41 too: the number of "
        f"parameters does not fix the shape."
    )


def count_layers(model: object) -> list[int]:
    """The number of neurons in each layer of an MLP ([] for other modules)."""
    return [layer.nout for layer in getattr(model, "layers", [])]


q3 = Exercise(
    "06.3",
    "a network with exactly 41 parameters",
    "model_41",
    _test_model_41,
    hints=[
        "The network takes 3 inputs and gives 1 output, so it is `MLP(3, [..., 1])`.",
        "A last layer of 1 neuron after a layer of k neurons has k + 1 parameters; a first layer "
        "of k neurons on 3 inputs has 4k.",
        "Try one hidden layer: 4k + (k + 1) = 41. Or use your `count_parameters` from exercise "
        "06.2 on a few shapes.",
    ],
    solution="""
        model_41 = MLP(3, [4, 4, 1])  # 4*(3 + 1) + 4*(4 + 1) + 1*(4 + 1) = 16 + 20 + 5 = 41
    """,
)
