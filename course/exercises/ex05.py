"""Exercises of notebook 05, drawing the graph: read gradients off a drawing, and predict them."""

from __future__ import annotations

from course.engine import Value
from course.exercises.checking import Case, Exercise, Incorrect, expect_number, fmt, is_close

# ----------------------------------------------------------------------------------------------
# 05.1 Which parameter matters most?
# ----------------------------------------------------------------------------------------------

NEURON_INPUTS = {"x1": 0.5, "x2": -2.0}
NEURON_PARAMETERS = {"w1": 1.0, "w2": 0.5, "b": 1.5}


def build_neuron() -> tuple[Value, dict[str, Value]]:
    """The neuron of exercise 05.1, after backward(): its output and its values by label."""
    values = {label: Value(x, label=label) for label, x in {**NEURON_INPUTS,
                                                               **NEURON_PARAMETERS}.items()}
    v = values
    out = (v["x1"] * v["w1"] + v["x2"] * v["w2"] + v["b"]).tanh()
    out.label = "o"
    out.backward()
    return out, values


def _label_of(answer: object) -> str:
    label = getattr(answer, "label", answer)  # a Value, or its label
    if not isinstance(label, str):
        raise Incorrect(
            f"`largest_grad_parameter` should be a label such as \"w1\" (or the Value itself); "
            f"it is a {type(answer).__name__}.",
            Case("largest_grad_parameter", "\"w1\", \"w2\" or \"b\"", repr(answer)),
        )
    return label.strip().lower()


def _test_largest_grad(answer: object) -> str:
    label = _label_of(answer)
    _, values = build_neuron()
    grads = {name: values[name].grad for name in NEURON_PARAMETERS}
    best = max(grads, key=lambda name: abs(grads[name]))
    listing = ", ".join(f"{name}: {grads[name]:.2f}" for name in NEURON_PARAMETERS)
    if label == best:
        return (
            f"Right: {best} has the largest grad in size ({listing}). Its input x2 = −2 is the "
            f"largest in size, and a weight's grad is its input times the grad arriving at its "
            f"product."
        )
    if label in NEURON_INPUTS:
        message = (f"{label} is an input (data, yellow in the drawing), not a parameter: training "
                   f"cannot change it. Compare w1, w2 and b.")
    elif label in grads:
        message = (f"{label}'s grad is {grads[label]:.2f}. Compare the sizes of the grads, "
                   f"ignoring their signs.")
    else:
        message = f"There is no parameter called {label!r}: the parameters are w1, w2 and b."
    raise Incorrect(message, Case("the parameter with the largest |grad|", best, label))


q1 = Exercise(
    "05.1",
    "which parameter matters most",
    "largest_grad_parameter",
    _test_largest_grad,
    hints=[
        "The parameters are the blue boxes: w1, w2 and b. Read the grad in each.",
        "Compare sizes and ignore signs: a grad of −0.8 matters more than one of 0.4.",
        "A weight's grad is its input times the grad arriving at the product: the weight whose "
        "input is largest in size wins.",
    ],
    solution="""
        largest_grad_parameter = "w2"  # grad -0.84: its input x2 = -2 is the largest in size
    """,
)


# ----------------------------------------------------------------------------------------------
# 05.2 Predict the grads of a drawing made before backward()
# ----------------------------------------------------------------------------------------------

LEAVES = {"a": 1.0, "b": 2.0, "c": 4.0}


def build_reuse_graph() -> tuple[Value, dict[str, Value]]:
    """L = (a + b) * (b - c) with a = 1, b = 2, c = 4: b is used twice. Not yet backward()."""
    a, b, c = (Value(x, label=name) for name, x in LEAVES.items())
    s = a + b
    s.label = "s"
    t = b - c
    t.label = "t"
    L = s * t
    L.label = "L"
    return L, {"a": a, "b": b, "c": c}


def _test_predicted_grads(answer: object) -> str:
    if not isinstance(answer, dict):
        raise Incorrect(
            "`predicted_grads` should be a dict from label to grad, like "
            "{\"a\": 1.0, \"b\": 2.0, \"c\": 3.0}.",
            Case("predicted_grads", "a dict", type(answer).__name__),
        )
    L, leaves = build_reuse_graph()
    L.backward()
    for name, leaf in leaves.items():
        if name not in answer:
            raise Incorrect(f"`predicted_grads` has no entry for {name!r}.",
                            Case(f"predicted_grads[{name!r}]", fmt(leaf.grad), "missing"))
        value = expect_number(answer[name], f"predicted_grads[{name!r}]")
        if not is_close(value, leaf.grad):
            raise Incorrect(_advice(name, value),
                            Case(f"{name}.grad in L = (a + b) * (b - c)", fmt(leaf.grad),
                                 fmt(value)))
    return (
        "Right: a.grad = t = −2, c.grad = −s = −3, and b, used in both s and t, gets the sum of "
        "both contributions: −2 + 3 = 1. Run L.backward() and draw the graph again to see them."
    )


def _advice(name: str, value: float) -> str:
    if name == "b" and (is_close(value, -2.0) or is_close(value, 3.0)):
        return ("b is used twice, in s = a + b and in t = b − c: its grad is the sum of the two "
                "contributions.")
    if name == "c" and is_close(value, 3.0):
        return "t = b − c: the subtraction flips the sign of what it passes to c."
    return f"Work right to left: L = s·t, so s.grad = t and t.grad = s; then on to {name}."


q2 = Exercise(
    "05.2",
    "predict the grads before backward()",
    "predicted_grads",
    _test_predicted_grads,
    hints=[
        "Right to left. L = s·t, so s.grad = t = −2 and t.grad = s = 3.",
        "A + passes its grad through unchanged. A − passes it to its first input and flips its "
        "sign for the second.",
        "b feeds both s and t: add up what it receives from each.",
    ],
    solution="""
        # L = s * t with s = a + b = 3 and t = b - c = -2: s.grad = t = -2 and t.grad = s = 3
        # a gets s.grad; c gets -t.grad; b gets s.grad + t.grad (it is used twice)
        predicted_grads = {"a": -2.0, "b": -2.0 + 3.0, "c": -3.0}
    """,
)
