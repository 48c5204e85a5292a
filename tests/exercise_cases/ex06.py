"""Answers to exercise set ex06 that its checks must judge: wrong ones and other right ones."""

from course.nn import MLP


def neuron_without_tanh(x, w, b):
    total = b
    for wi, xi in zip(w, x):
        total = total + wi * xi
    return total


def neuron_returning_data(x, w, b):
    return neuron_without_tanh(x, w, b).tanh().data


def weights_only(nin, nouts):
    sizes = [nin, *nouts]
    return sum(a * b for a, b in zip(sizes, sizes[1:]))


# exercise id -> [(a wrong answer, a piece of text its verdict must contain), ...]
WRONG = {
    "06.1": [(neuron_without_tanh, "tanh(w·x + b)"),
             (neuron_returning_data, "Return the Value itself")],
    "06.2": [(weights_only, "counts the weights only")],
    "06.3": [(MLP(3, [4, 1]), "has 21 parameters"), (MLP(3, [4, 4, 2]), "2 outputs"),
             (MLP(2, [8, 1]), "expects 2 inputs")],
}

# exercise id -> other correct answers (a different way to the same result must pass)
ALSO_CORRECT = {
    "06.3": [MLP(3, [8, 1])],
}

# what the solutions use from their notebook, besides math and Value
NAMESPACE = {}
