"""Answers to exercise set ex04 that its checks must judge: wrong ones and other right ones."""

import math

from course.engine import Value


def cube_with_wrong_local_grad(v):
    return Value(v.data**3, children=(v,), local_grads=(2 * v.data,))


def cube_from_products(v):
    return v * v * v  # a different graph, the same function: must pass


def cube_without_children(v):
    return Value(v.data**3)


def sigmoid_naive(v):
    s = 1.0 / (1.0 + math.exp(-v.data))  # e^1000 overflows at v = -1000
    return Value(s, children=(v,), local_grads=(s * (1.0 - s),))


def sigmoid_from_engine_operations(v):
    return 1 / (1 + (-v).exp())  # right value everywhere, but inf * 0 = nan in its gradient


def sigmoid_with_the_tanh_slope(v):
    x = v.data
    e = math.exp(-abs(x))
    s = 1.0 / (1.0 + e) if x >= 0 else e / (1.0 + e)
    return Value(s, children=(v,), local_grads=(1.0 - s * s,))


def sigmoid_returning_a_float(v):
    x = v.data
    e = math.exp(-abs(x))
    return 1.0 / (1.0 + e) if x >= 0 else e / (1.0 + e)


def sigmoid_from_engine_operations_both_ways(v):
    """Built from exp, + and /, choosing the form that cannot overflow: must pass."""
    if v.data >= 0:
        return 1 / (1 + (-v).exp())
    e = v.exp()
    return e / (1 + e)


def sigmoid_through_tanh(v):
    return 0.5 * (v * 0.5).tanh() + 0.5  # σ(x) = (1 + tanh(x/2)) / 2: must pass


# exercise id -> [(a wrong answer, a piece of text its verdict must contain), ...]
WRONG = {
    "04.1": [(cube_with_wrong_local_grad, "d cube(v)/dv at v = 2"),
             (cube_without_children, "does not record v as its child")],
    "04.2": [(sigmoid_naive, "math.exp overflows"),
             (sigmoid_from_engine_operations, "gradient nan"),
             (sigmoid_with_the_tanh_slope, "d sigmoid(v)/dv at v = 0"),
             (sigmoid_returning_a_float, "should return a Value")],
}

# exercise id -> other correct answers (a different way to the same result must pass)
ALSO_CORRECT = {
    "04.1": [cube_from_products],
    "04.2": [sigmoid_from_engine_operations_both_ways, sigmoid_through_tanh],
}

# what the solutions use from their notebook, besides math and Value
NAMESPACE = {}
