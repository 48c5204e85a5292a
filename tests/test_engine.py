"""The Value engine: every gradient against central finite differences, edges, errors."""

import math
import random
import re
import sys

import numpy as np
import pytest
from gradcheck import log_slope, value_slope
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from course.engine import Value, weighted_sum


def analytic(f, x: float) -> float:
    v = Value(x)
    f(v).backward()
    return v.grad


def assert_close(got: float, expected: float, rel: float = 1e-5, abs_: float = 1e-6) -> None:
    assert got == pytest.approx(expected, rel=rel, abs=abs_)


# --- every op against finite differences -------------------------------------------------------

UNARY = {
    "exp": (lambda v: v.exp(), (-5.0, 5.0)),
    "log": (lambda v: v.log(), (0.1, 10.0)),
    "tanh": (lambda v: v.tanh(), (-3.0, 3.0)),
    "sigmoid": (lambda v: v.sigmoid(), (-6.0, 6.0)),
    "relu": (lambda v: v.relu(), (-3.0, 3.0)),
    "leaky_relu": (lambda v: v.leaky_relu(0.1), (-3.0, 3.0)),
    "gelu": (lambda v: v.gelu(), (-4.0, 4.0)),
    "neg": (lambda v: -v, (-3.0, 3.0)),
    "square": (lambda v: v**2, (-3.0, 3.0)),
    "cube": (lambda v: v**3, (-3.0, 3.0)),
    "sqrt": (lambda v: v**0.5, (0.1, 9.0)),
    "reciprocal": (lambda v: v**-1, (0.2, 5.0)),
    "plus_number": (lambda v: v + 2.5, (-3.0, 3.0)),
    "number_plus": (lambda v: 2.5 + v, (-3.0, 3.0)),
    "minus_number": (lambda v: v - 2.5, (-3.0, 3.0)),
    "number_minus": (lambda v: 2.5 - v, (-3.0, 3.0)),
    "times_number": (lambda v: v * -1.5, (-3.0, 3.0)),
    "number_times": (lambda v: -1.5 * v, (-3.0, 3.0)),
    "over_number": (lambda v: v / 4.0, (-3.0, 3.0)),
    "number_over": (lambda v: 4.0 / v, (0.2, 5.0)),
    "number_pow": (lambda v: 2.0**v, (-3.0, 3.0)),
    "abs": (lambda v: abs(v), (-3.0, 3.0)),
}


@pytest.mark.parametrize("name", sorted(UNARY))
@settings(max_examples=40, deadline=None)
@given(u=st.floats(0.0, 1.0))
def test_unary_op_gradient_matches_finite_differences(name, u):
    f, (lo, hi) = UNARY[name]
    x = lo + (hi - lo) * u
    if name in ("relu", "leaky_relu", "abs") and abs(x) < 1e-3:
        x += 0.01  # the kink: no derivative to measure there
    assert_close(analytic(f, x), value_slope(f, x))


BINARY = {
    "+": (lambda a, b: a + b, (-3.0, 3.0), (-3.0, 3.0)),
    "-": (lambda a, b: a - b, (-3.0, 3.0), (-3.0, 3.0)),
    "*": (lambda a, b: a * b, (-3.0, 3.0), (-3.0, 3.0)),
    "/": (lambda a, b: a / b, (-3.0, 3.0), (0.3, 3.0)),
    "**": (lambda a, b: a**b, (0.2, 3.0), (-2.0, 2.0)),
}


@pytest.mark.parametrize("name", sorted(BINARY))
@settings(max_examples=40, deadline=None)
@given(u=st.floats(0.0, 1.0), w=st.floats(0.0, 1.0))
def test_binary_op_gradients_match_finite_differences(name, u, w):
    f, (alo, ahi), (blo, bhi) = BINARY[name]
    a0, b0 = alo + (ahi - alo) * u, blo + (bhi - blo) * w
    a, b = Value(a0), Value(b0)
    f(a, b).backward()
    assert_close(a.grad, value_slope(lambda v: f(v, Value(b0)), a0))
    assert_close(b.grad, value_slope(lambda v: f(Value(a0), v), b0))


# --- random compositions ------------------------------------------------------------------------

SAFE_UNARY = [
    lambda v: v.tanh(),
    lambda v: v.sigmoid(),
    lambda v: (v * 0.5).exp(),
    lambda v: (v * v + 1.0).log(),
    lambda v: v.gelu(),
    lambda v: v * v,
    lambda v: -v,
]
SAFE_BINARY = [
    lambda a, b: a + b,
    lambda a, b: a - b,
    lambda a, b: a * b,
    lambda a, b: a / (b * b + 1.0),
]


def random_expression(leaves, rng: random.Random, depth: int, unary=SAFE_UNARY, binary=SAFE_BINARY):
    """A random expression over `leaves`, reusing them freely (so nodes get several parents)."""
    if depth == 0:
        return rng.choice(leaves)
    if rng.random() < 0.4:
        return rng.choice(unary)(random_expression(leaves, rng, depth - 1, unary, binary))
    left = random_expression(leaves, rng, depth - 1, unary, binary)
    right = random_expression(leaves, rng, depth - 1, unary, binary)
    return rng.choice(binary)(left, right)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**6), xs=st.lists(st.floats(-2.0, 2.0), min_size=3, max_size=3))
def test_random_compositions_match_finite_differences(seed, xs):
    def build(values):
        return random_expression(values, random.Random(seed), depth=4)

    leaves = [Value(x) for x in xs]
    build(leaves).backward()
    for i, leaf in enumerate(leaves):
        def f_i(v, i=i):
            return build([v if j == i else Value(x) for j, x in enumerate(xs)])

        assert_close(leaf.grad, value_slope(f_i, xs[i]), rel=1e-4, abs_=1e-5)


# --- the same at extreme magnitudes ---------------------------------------------------------------

# Operations that keep positive numbers positive (so the output has a logarithm) and near the
# scale of their inputs (so a graph over numbers near 1e200 does not simply overflow).
SCALE_FREE_UNARY = [lambda v: abs(-v), lambda v: v / (v + v), lambda v: v**0.5 * v**0.5,
                    lambda v: v**-1 * v * v]
SCALE_FREE_BINARY = [lambda a, b: a + b, lambda a, b: a / b, lambda a, b: a * (a / b),
                     lambda a, b: a / (a / b + 1.0), lambda a, b: a**0.5 * b**0.5]


def stays_representable(out: Value) -> bool:
    """True if every number of the graph, and every true gradient, is a normal float.

    Each Value, its ratio to the output and its ratio to each child stay within 1e+-290, so
    that no correct computation of a gradient has to over- or underflow.
    """
    def moderate(ratio: float) -> bool:
        return 1e-290 <= ratio <= 1e290

    size = abs(out.data)
    for node in out.topological_order():
        if not 1e-300 <= abs(node.data) <= 1e300 or not moderate(size / abs(node.data)):
            return False
        if not all(moderate(abs(node.data) / abs(child.data)) for child in node.children):
            return False
    return True


@settings(max_examples=150, deadline=None)
@given(
    scale=st.integers(-250, 250),
    offsets=st.lists(st.integers(-12, 12), min_size=3, max_size=3),
    mantissas=st.lists(st.floats(1.0, 9.99), min_size=3, max_size=3),
    seed=st.integers(0, 10**6),
)
def test_random_graphs_at_extreme_magnitudes_match_finite_differences(
    scale, offsets, mantissas, seed
):
    """Leaves near 10**scale (up to 1e262 and down to 1e-262): x/x, a/b of two huge numbers...

    The gradients are compared as elasticities, x * (df/dx) / f, which do not depend on the
    scale, against slopes measured in log space.
    """
    leaves = [Value(m * 10.0 ** (scale + d)) for m, d in zip(mantissas, offsets)]

    def build() -> Value:
        return random_expression(leaves, random.Random(seed), 3, SCALE_FREE_UNARY,
                                 SCALE_FREE_BINARY)

    out = build()
    assume(stays_representable(out))
    out.backward()
    for i, leaf in enumerate(leaves):
        elasticity = leaf.data / out.data * leaf.grad
        assert elasticity == pytest.approx(log_slope(build, leaf), abs=1e-6), (i, leaf, out)


def test_division_stays_exact_where_b_squared_would_over_or_underflow():
    for size in (1e-170, 1e170, 1e-300, 1e300):
        x = Value(size)
        out = x / x  # the constant 1: its slope is 0 (1/x - x/x**2 would give -inf or 1/x)
        out.backward()
        assert out.data == 1.0 and x.grad == 0.0
    x = Value(1.0)
    big = x * 1e200
    ((2.0 - big) / big).backward()  # = 2e-200/x - 1, slope -2e-200; b*b = inf gave -1.0
    assert x.grad == pytest.approx(-2e-200, abs=1e-15)
    a, b = Value(3e-200), Value(2e-200)
    (a / b).backward()
    assert (a.grad, b.grad) == (pytest.approx(5e199), pytest.approx(-7.5e199))


# --- the fused weighted sum -------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(data=st.lists(st.floats(-2.0, 2.0), min_size=7, max_size=7))
def test_weighted_sum_equals_the_same_sum_built_from_plus_and_times(data):
    def leaves():
        return [Value(d) for d in data]

    fused = leaves()
    ws, xs, b = fused[:3], fused[3:6], fused[6]
    out = weighted_sum(ws, xs, b).tanh()
    out.backward()

    plain = leaves()
    pws, pxs, pb = plain[:3], plain[3:6], plain[6]
    act = pb
    for w, x in zip(pws, pxs):
        act = act + w * x
    expected = act.tanh()
    expected.backward()

    assert out.data == pytest.approx(expected.data, rel=1e-12, abs=1e-12)
    for f, p in zip(fused, plain):
        assert f.grad == pytest.approx(p.grad, rel=1e-9, abs=1e-12)


def test_weighted_sum_accepts_plain_numbers_and_checks_lengths():
    w = [Value(2.0), Value(-1.0)]
    out = weighted_sum(w, [3, np.float64(4.0)], 0.5)
    out.backward()
    assert out.data == 2.5 and [v.grad for v in w] == [3.0, 4.0]
    assert out.op == "w·x+b" and len(out.children) == 5
    with pytest.raises(ValueError, match="one weight per input: got 2 weights and 3 inputs"):
        weighted_sum(w, [1.0, 2.0, 3.0], 0.0)
    with pytest.raises(TypeError, match="weights must be Values .* got float 2.0"):
        weighted_sum([2.0], [1.0], 0.0)


def test_children_and_local_grads_must_pair_up():
    a = Value(1.0)
    with pytest.raises(ValueError, match="one local gradient per child: got 1 children and 0"):
        Value(2.0, children=(a,), local_grads=())


# --- reuse and accumulation ----------------------------------------------------------------------


def test_node_used_twice_gets_both_contributions():
    a = Value(3.0)
    (a + a).backward()
    assert a.grad == 2.0

    a = Value(3.0)
    (a * a).backward()
    assert a.grad == 6.0


def test_reuse_through_an_intermediate_node():
    a = Value(3.0)
    b = a + a
    c = b + b
    c.backward()
    assert c.data == 12.0
    assert b.grad == 2.0
    assert a.grad == 4.0


def test_second_backward_accumulates_into_leaves_like_pytorch():
    a, b = Value(2.0), Value(-3.0)
    c = a * b
    d = c.tanh()
    d.backward()
    first = (a.grad, b.grad, c.grad)
    d.backward()
    assert a.grad == pytest.approx(2 * first[0])
    assert b.grad == pytest.approx(2 * first[1])
    assert c.grad == pytest.approx(first[2])  # intermediate results are recomputed, not summed


def test_children_are_ordered_and_keep_duplicates():
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    assert (b * a).children == (b, a)
    assert (a + a).children == (a, a)
    assert (a - b).op == "-"
    assert (a**2).op == "**2"
    assert a.children == () and a.op == ""


def test_topological_order_puts_children_first_and_is_deterministic():
    def build():
        x, y = Value(1.0, label="x"), Value(2.0, label="y")
        return ((x * y) + x).tanh()

    order = build().topological_order()
    assert [v.label or v.op for v in order] == ["x", "y", "*", "+", "tanh"]
    assert [v.label or v.op for v in build().topological_order()] == [
        v.label or v.op for v in order
    ]


# --- the worked example of the single weight ------------------------------------------------------


def test_single_weight_worked_example():
    x, y, lr = 2.0, 6.0, 0.1
    w = Value(1.0)
    expected = [(16.0, -16.0, 2.6), (0.64, -3.2, 2.92)]
    for loss_expected, grad_expected, w_next in expected:
        loss = (w * x - y) ** 2
        w.grad = 0.0
        loss.backward()
        assert loss.data == pytest.approx(loss_expected)
        assert w.grad == pytest.approx(grad_expected)
        w = Value(w.data - lr * w.grad)
        assert w.data == pytest.approx(w_next)
    assert ((w * x - y) ** 2).data == pytest.approx(0.0256)


# --- edge cases: IEEE results, never a Python exception -------------------------------------------


def grad_of(f, x: float) -> tuple[float, float]:
    v = Value(x)
    out = f(v)
    out.backward()
    return out.data, v.grad


def test_relu_slope_at_zero_is_zero():
    assert grad_of(lambda v: v.relu(), 0.0) == (0.0, 0.0)


def test_relu_passes_the_gradient_of_nan_through_as_pytorch_does():
    data, grad = grad_of(lambda v: v.relu(), math.nan)
    assert math.isnan(data) and grad == 1.0


def test_abs_is_an_operation_with_slope_sign_and_zero_at_zero():
    assert grad_of(abs, -2.5) == (2.5, -1.0)
    assert grad_of(abs, 4.0) == (4.0, 1.0)
    assert grad_of(abs, 0.0) == (0.0, 0.0)
    assert abs(Value(-1.0)).op == "abs"


@pytest.mark.parametrize("x, expected", [(1e308, 1.0), (-1e308, -1.0), (800.0, 1.0)])
def test_tanh_saturates_without_overflow(x, expected):
    assert grad_of(lambda v: v.tanh(), x) == (expected, 0.0)


@pytest.mark.parametrize("x, expected", [(1e308, 1.0), (-1e308, 0.0), (-800.0, 0.0)])
def test_sigmoid_saturates_without_overflow(x, expected):
    assert grad_of(lambda v: v.sigmoid(), x) == (expected, 0.0)


def test_exp_of_huge_input_is_inf():
    data, grad = grad_of(lambda v: v.exp(), 1000.0)
    assert data == math.inf and grad == math.inf


def test_log_edges():
    assert grad_of(lambda v: v.log(), 0.0) == (-math.inf, math.inf)
    data, grad = grad_of(lambda v: v.log(), -1.0)
    assert math.isnan(data) and grad == -1.0


@pytest.mark.parametrize(
    "a, b, expected",
    [(1.0, 0.0, math.inf), (-1.0, 0.0, -math.inf), (1.0, -0.0, -math.inf), (0.0, 0.0, math.nan)],
)
def test_division_by_zero_gives_inf_or_nan(a, b, expected):
    out = Value(a) / Value(b)
    out.backward()
    if math.isnan(expected):
        assert math.isnan(out.data)
    else:
        assert out.data == expected


def test_power_edges():
    assert math.isnan((Value(-8.0) ** (1 / 3)).data)
    assert (Value(0.0) ** -1).data == math.inf
    assert (Value(-0.0) ** -1).data == -math.inf
    assert (Value(10.0) ** 400).data == math.inf
    assert (Value(-10.0) ** 401).data == -math.inf
    assert (Value(-2.0) ** 3).data == -8.0
    assert grad_of(lambda v: v**0, 0.0) == (1.0, 0.0)


def test_value_exponent_edges_match_pytorch_conventions():
    base, exponent = Value(0.0), Value(2.0)
    (base**exponent).backward()
    assert (base.grad, exponent.grad) == (0.0, 0.0)
    base, exponent = Value(-2.0), Value(2.0)
    out = base**exponent
    out.backward()
    assert out.data == 4.0 and base.grad == -4.0 and math.isnan(exponent.grad)
    base, exponent = Value(3.0), Value(2.0)
    (base**exponent).backward()
    assert exponent.grad == pytest.approx(9 * math.log(3))


def test_gelu_tails():
    assert grad_of(lambda v: v.gelu(), 1e308) == (1e308, 1.0)
    data, grad = grad_of(lambda v: v.gelu(), -1e308)
    assert data == 0.0 and grad == 0.0


def test_overflowing_arithmetic_gives_inf_not_an_exception():
    assert Value(10**400).data == math.inf and Value(-(10**400)).data == -math.inf
    assert (Value(2.0) * 10**400).data == math.inf
    assert (Value(2.0) ** 10**400).data == math.inf
    big = Value(1e308)
    assert (big * 10).data == math.inf
    assert (big + big).data == math.inf
    assert math.isnan((big * 10 - big * 10).data)


def test_diverging_loop_shows_inf_or_nan_instead_of_crashing():
    w = 1.0
    for _ in range(400):  # lr far above the stable range for this problem
        v = Value(w)
        loss = (v * 2.0 - 6.0) ** 2
        loss.backward()
        w = w - 10.0 * v.grad
    assert not math.isfinite(loss.data)


# --- accepted inputs and clear errors -------------------------------------------------------------


def test_accepts_ints_floats_and_numpy_scalars_stored_as_float():
    for x in (3, 3.0, np.float32(3.0), np.float64(3.0), np.int64(3)):
        v = Value(x)
        assert v.data == 3.0 and type(v.data) is float
    assert Value(2.0).grad == 0.0 and Value(2.0, label="w").label == "w"


@pytest.mark.parametrize("number", [np.float64(2.0), np.float32(2.0), np.int64(2)])
def test_numpy_scalar_on_the_left_hands_over_to_value(number):
    v = Value(3.0)
    results = [number + v, number - v, number * v, number / v, number**v]
    assert all(isinstance(r, Value) for r in results)
    assert [r.data for r in results] == pytest.approx([5.0, -1.0, 6.0, 2 / 3, 8.0])
    results[2].backward()
    assert v.grad == 2.0  # still part of the graph


@pytest.mark.parametrize(
    "compare", [lambda v: v < 0, lambda v: v <= 0, lambda v: v > 0, lambda v: v >= 0,
                lambda v: 0 < v, lambda v: v < Value(1.0), lambda v: np.float64(0) < v,
                lambda v: max(v, 0), lambda v: min(v, Value(1.0)), lambda v: sorted([v, v])],
)
def test_comparisons_say_to_compare_the_numbers_or_use_relu(compare):
    with pytest.raises(TypeError, match=r"Values are not compared with [<>]=?: .* v\.data [<>]=? 0 "
                                        r".* For max\(v, 0\) use v\.relu\(\)"):
        compare(Value(2.0))


def test_equality_keeps_its_python_meaning_the_same_value():
    v, w = Value(2.0), Value(2.0)
    assert v == v and v != w and (v == 2.0) is False
    assert np.float64(2.0) != v and not (np.float64(2.0) == v)
    assert len({v, w, v}) == 2  # sets and dicts of Values rely on it


def test_bool_and_float_name_data_and_the_value_functions():
    v = Value(2.0)
    with pytest.raises(TypeError, match=r"plain number.*use v\.data \(e\.g\. `if v\.data > 0"):
        bool(v)
    with pytest.raises(TypeError, match=r"not a plain number"):
        if v:
            pass
    for call in (lambda: float(v), lambda: math.exp(v), lambda: math.tanh(v)):
        with pytest.raises(TypeError, match=r"For the number itself use v\.data; .* v\.exp\(\), "
                                            r"v\.log\(\), v\.tanh\(\)"):
            call()


@pytest.mark.parametrize(
    "ufunc, instead",
    [(np.tanh, "v.tanh()"), (np.exp, "v.exp()"), (np.log, "v.log()"), (np.abs, "abs(v)"),
     (np.sqrt, "v ** 0.5"), (lambda v: np.maximum(v, 0), "v.relu()"),
     (np.sin, "the Value's own functions: v.exp()")],
)
def test_numpy_functions_of_a_value_name_its_own_method(ufunc, instead):
    with pytest.raises(TypeError, match=r"cannot take a Value: NumPy works on plain numbers and "
                                        r"would drop the gradient\..*" + re.escape(instead)):
        ufunc(Value(0.5))


def test_numpy_arrays_of_values_still_use_the_values_own_operations():
    vs = np.array([Value(1.0), Value(-2.0)], dtype=object)
    total = (vs * 2.0).sum()
    assert isinstance(total, Value) and total.data == -2.0


def test_a_format_spec_formats_the_number():
    v = Value(2.0 / 3.0, label="w")
    assert f"{v:.3f}" == "0.667" and f"{v:+.1e}" == "+6.7e-01"
    assert f"{v}" == repr(v) == str(v)


@pytest.mark.parametrize(
    "bad, name",
    [("1.5", "str"), (None, "NoneType"), ([1.0], "list"), (1j, "complex"), (True, "bool"),
     (np.array([1.0, 2.0]), "ndarray"), (object(), "object")],
)
def test_bad_data_is_a_clear_type_error(bad, name):
    with pytest.raises(TypeError, match=rf"Value\(data\) takes a real number .* got {name}"):
        Value(bad)


def test_bad_operands_are_clear_type_errors():
    with pytest.raises(TypeError, match="An operation with a Value takes a real number.*got str"):
        Value(1.0) + "2"
    with pytest.raises(TypeError, match="got NoneType"):
        None * Value(1.0)
    with pytest.raises(TypeError, match=r"The exponent of \*\* takes a real number.*got str"):
        Value(2.0) ** "2"
    with pytest.raises(TypeError, match=r"got bool np\.True_\. Use 1\.0 or 0\.0"):
        Value(np.True_)
    with pytest.raises(TypeError, match="label must be a str, got int"):
        Value(1.0, label=3)


def test_repr_shows_data_grad_and_label():
    v = Value(2.5, label="w")
    v.grad = -1.0
    assert repr(v) == "Value(data=2.5, grad=-1, label='w')"
    assert repr(Value(0.1)) == "Value(data=0.1, grad=0)"


# --- deep graphs ----------------------------------------------------------------------------------


def test_backward_through_a_million_node_chain_with_the_default_recursion_limit():
    assert sys.getrecursionlimit() <= 10_000
    x = Value(0.5)
    step = Value(1.0)
    node = x
    for _ in range(10**6):
        node = node + step
    node.backward()
    assert x.grad == 1.0
    assert step.grad == 10**6
    del node  # freeing the chain must not overflow the C stack either


# --- PyTorch, when it happens to be installed -----------------------------------------------------


def test_random_graphs_agree_with_pytorch():
    torch = pytest.importorskip("torch")
    rng = random.Random(0)
    ops = [
        ("add", lambda a, b: a + b),
        ("sub", lambda a, b: a - b),
        ("mul", lambda a, b: a * b),
        ("div", lambda a, b: a / b),
    ]
    unary = [
        ("tanh", lambda v: v.tanh(), torch.tanh),
        ("sigmoid", lambda v: v.sigmoid(), torch.sigmoid),
        ("relu", lambda v: v.relu(), torch.relu),
        ("exp", lambda v: v.exp(), torch.exp),
        ("gelu", lambda v: v.gelu(), lambda t: torch.nn.functional.gelu(t, approximate="tanh")),
        ("leaky", lambda v: v.leaky_relu(0.05),
         lambda t: torch.nn.functional.leaky_relu(t, 0.05)),
        ("square", lambda v: v**2, lambda t: t**2),
        ("log", lambda v: (v * v + 0.5).log(), lambda t: torch.log(t * t + 0.5)),
    ]
    for _ in range(200):
        xs = [rng.uniform(-2, 2) for _ in range(3)]
        ours = [Value(x) for x in xs]
        theirs = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
        a, b = list(ours), list(theirs)
        for _ in range(6):
            i, j = rng.randrange(len(a)), rng.randrange(len(a))
            if rng.random() < 0.5:
                _, f, g = rng.choice(unary)
                a.append(f(a[i]))
                b.append(g(b[i]))
            else:
                name, f = rng.choice(ops)
                if name == "div":
                    a.append(a[i] / (a[j] * a[j] + 1.0))
                    b.append(b[i] / (b[j] * b[j] + 1.0))
                else:
                    a.append(f(a[i], a[j]))
                    b.append(f(b[i], b[j]))
        a[-1].backward()
        b[-1].backward()
        assert a[-1].data == pytest.approx(b[-1].item(), rel=1e-12, abs=1e-12)
        for v, t in zip(ours, theirs):
            expected = 0.0 if t.grad is None else t.grad.item()
            assert v.grad == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_edge_cases_agree_with_pytorch():
    torch = pytest.importorskip("torch")

    def torch_grad(f, x):
        t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        out = f(t)
        out.backward()
        return out.item(), t.grad.item()

    cases = [
        (lambda v: v.relu(), torch.relu, 0.0),
        (lambda v: v.tanh(), torch.tanh, 1e308),
        (lambda v: v.sigmoid(), torch.sigmoid, -1e308),
        (lambda v: v.exp(), torch.exp, 1000.0),
        (lambda v: v.log(), torch.log, 0.0),
        (lambda v: v.log(), torch.log, -1.0),
        (lambda v: v**-1, lambda t: t**-1, 0.0),
        (lambda v: v ** (1 / 3), lambda t: t ** (1 / 3), -8.0),
        (lambda v: v**0, lambda t: t**0, 0.0),
        (lambda v: 1.0 / v, lambda t: 1.0 / t, 0.0),
        (lambda v: v.leaky_relu(), torch.nn.functional.leaky_relu, 0.0),
    ]
    for ours, theirs, x in cases:
        expected = torch_grad(theirs, x)
        got = grad_of(ours, x)
        for g, e in zip(got, expected):
            assert (math.isnan(g) and math.isnan(e)) or g == pytest.approx(e), (x, got, expected)
