"""A student's own network class (Neuron, Layer, MLP), compared with ``course.nn``.

An exercise that asks for a class builds one with the student's code and one ``course.nn``
module of the same shape, then calls :func:`expect_same_module`: same weights in, so the same
outputs and the same gradients must come out.
"""

from __future__ import annotations

from collections.abc import Sequence

from course.exercises.checking import (
    Case,
    Incorrect,
    backprop_gradients,
    call_student,
    expect_value_node,
    fmt,
    is_close,
    type_name,
)


def expect_same_module(
    student: object, reference: object, inputs: Sequence[Sequence[float]], shown: str,
    tolerance: float = 1e-9,
) -> None:
    """Incorrect unless the student's module computes what ``reference`` does, on the same weights.

    ``reference`` is a ``course.nn`` module of the shape asked for, e.g. ``MLP(3, [4, 1],
    seed=0)``. Its parameter values are copied into ``student.parameters()`` (as many Values,
    in the same order: layer by layer, neuron by neuron, each neuron's weights then its bias),
    so the student's own starting weights do not matter. Then, on every input, both modules
    must give the same outputs and the same gradient of their sum for every parameter (found
    through ``children`` and ``local_grads``, so the student's Value class may be their own).
    ``shown`` names the student's module in verdicts, e.g. ``"MyMLP(3, [4, 1])"``.
    """
    params, expected_params = _student_parameters(student, shown), reference.parameters()
    if len(params) != len(expected_params):
        raise Incorrect(
            f"`{shown}` has {len(params)} parameters, {reference!r} has {len(expected_params)}: "
            f"each neuron has one weight per input, plus one bias.",
            Case(f"len({shown}.parameters())", str(len(expected_params)), str(len(params))))
    for param, expected in zip(params, expected_params):
        param.data = expected.data
    for x in inputs:
        call = f"{shown}({list(x)})"
        got = _outputs(call_student(student, list(x), shown=call), call)
        expected = _outputs(reference(list(x)), repr(reference))
        if len(got) != len(expected):
            raise Incorrect(f"`{call}` gives {len(got)} outputs; it should give {len(expected)}, "
                            f"one per neuron of the last layer.",
                            Case(call, f"{len(expected)} output(s)", f"{len(got)}"))
        for i, (g, e) in enumerate(zip(got, expected)):
            if not is_close(g.data, e.data, tolerance):
                raise Incorrect(
                    f"With the weights of {reference!r}, `{shown}` computes another output. "
                    f"Check the weighted sum, the bias and the activation, and that "
                    f"parameters() lists each neuron's weights, then its bias, layer by layer.",
                    Case(f"{call}, output {i}", fmt(e.data), fmt(g.data)))
        got_grads, expected_grads = _summed_gradients(got), _summed_gradients(expected)
        for k, (param, ref) in enumerate(zip(params, expected_params)):
            g, e = got_grads.get(id(param), 0.0), expected_grads.get(id(ref), 0.0)
            if not is_close(g, e, tolerance):
                raise Incorrect(
                    f"The outputs agree, but the gradient of parameter {k} ({ref.label}) does "
                    f"not: compute with the parameter Values themselves (not their .data), so "
                    f"that backward() reaches every one of them.",
                    Case(f"d(sum of outputs)/d({shown}.parameters()[{k}]) at x = {list(x)}",
                         fmt(e), fmt(g)))


def _student_parameters(student: object, shown: str) -> list:
    method = getattr(student, "parameters", None)
    if not callable(method):
        raise Incorrect(f"`{shown}` should have a parameters() method that lists its weights "
                        f"and biases.", Case(f"{shown}.parameters()", "a list of Values",
                                             f"no such method on a {type_name(student)}"))
    params = call_student(method, shown=f"{shown}.parameters()")
    if not isinstance(params, (list, tuple)):
        raise Incorrect(f"`{shown}.parameters()` should return a list of Values.",
                        Case(f"{shown}.parameters()", "a list", type_name(params)))
    for k, param in enumerate(params):
        if not hasattr(param, "data") or not hasattr(param, "grad"):
            raise Incorrect(f"`{shown}.parameters()` should list the parameter Values "
                            f"themselves, not their numbers.",
                            Case(f"{shown}.parameters()[{k}]", "a Value", type_name(param)))
    return list(params)


def _outputs(out: object, call: str) -> list:
    """A module's output as a list of Values (a module with one output may return it bare)."""
    outputs = list(out) if isinstance(out, (list, tuple)) else [out]
    for i, item in enumerate(outputs):
        expect_value_node(item, call if len(outputs) == 1 else f"{call}[{i}]")
    return outputs


def _summed_gradients(outputs: list) -> dict[int, float]:
    """d(sum of outputs)/d(node) for every node, keyed by ``id(node)``."""
    total: dict[int, float] = {}
    for out in outputs:
        for key, grad in backprop_gradients(out).items():
            total[key] = total.get(key, 0.0) + grad
    return total
