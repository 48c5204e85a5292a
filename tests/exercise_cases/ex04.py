"""Answers to exercise set ex04 that its checks must judge: wrong ones and other right ones."""

import math

from course.engine import Value


def softplus_from_engine_operations(v):
    return (1 + v.exp()).log()  # the body's exp, + and log: right numbers, but three nodes


def softplus_from_the_packages_sigmoid(v):
    return -((-v).sigmoid().log())  # ln(1 + e^v) = -ln(sigmoid(-v)): the package's own nodes


def softplus_wrapping_the_graph(v):
    return Value(0.0) + (1 + v.exp()).log()  # still the chained nodes, under one more +


def softplus_with_exps_slope(v):
    e = math.exp(v.data)
    return Value(math.log(1 + e), children=(v,), local_grads=(e,))  # forgot the 1/(1 + e^a)


def softplus_with_a_sign_slip(v):
    e = math.exp(v.data)
    return Value(math.log(1 + e), children=(v,), local_grads=(1 / (1 + e),))


def softplus_without_children(v):
    return Value(math.log(1 + math.exp(v.data)))


def softplus_with_a_constant_child(v):
    e = math.exp(v.data)
    return Value(math.log(1 + e), children=(v, Value(1.0)), local_grads=(e / (1 + e), 0.0))


def relu_for_softplus(v):
    return v.relu()  # one node, but ReLU is not softplus


def softplus_stable(v):
    """One node, written so that exp never sees a positive number: must pass."""
    x = v.data
    e = math.exp(-abs(x))
    slope = 1 / (1 + e) if x >= 0 else e / (1 + e)
    return Value(max(x, 0.0) + math.log1p(e), children=(v,), local_grads=(slope,), op="softplus")


def softplus_with_the_value_from_the_graph(v):
    """The number taken from the chained graph, but one node with its own slope: must pass."""
    number = (1 + v.exp()).log().data
    return Value(number, children=(v,), local_grads=(1 / (1 + math.exp(-v.data)),))


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
def sigmoid_of_the_package(v):
    """Right numbers, but the package's own Value.sigmoid."""
    return v.sigmoid()


WRONG = {
    "04.1": [(softplus_from_engine_operations, "built from the graph's own operations "
                                                "(exp, +, log)"),
             (softplus_from_the_packages_sigmoid, "built from the graph's own operations"),
             (softplus_wrapping_the_graph, "ONE node"),
             (softplus_with_exps_slope, "d softplus(v)/dv at v = 2"),
             (softplus_with_a_sign_slip, "d softplus(v)/dv at v = 2"),
             (softplus_without_children, "does not record v as its child"),
             (softplus_with_a_constant_child, "one node whose only child is v"),
             (relu_for_softplus, "should be ln(1 + e^2)")],
    "04.2": [(sigmoid_of_the_package, "calls the package's `Value.sigmoid`"),
             (sigmoid_naive, "math.exp overflows"),
             (sigmoid_from_engine_operations, "gradient nan"),
             (sigmoid_with_the_tanh_slope, "d sigmoid(v)/dv at v = 0"),
             (sigmoid_returning_a_float, "should return a Value")],
}

# exercise id -> other correct answers (a different way to the same result must pass)
ALSO_CORRECT = {
    "04.1": [softplus_stable, softplus_with_the_value_from_the_graph],
    "04.2": [sigmoid_from_engine_operations_both_ways, sigmoid_through_tanh],
}

# what the solutions use from their notebook, besides math and Value
NAMESPACE = {}
