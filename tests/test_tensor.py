"""course.tensor: every operation against central finite differences, the tensor MLP against the
scalar one, the error messages, and (when PyTorch is installed) every operation against PyTorch.

Shapes and numbers come from hypothesis; each test draws a modest number of examples.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, mutually_broadcastable_shapes

from course.nn import MLP as ScalarMLP
from course.tensor import MLP, Tensor, cross_entropy, unbroadcast

FAST = settings(max_examples=25, deadline=None)
H = 1e-6


def numerical_grads(f, arrays: list[np.ndarray]) -> list[np.ndarray]:
    """d f / d every element of every array, by central differences (f returns a float)."""
    grads = []
    for array in arrays:
        grad = np.zeros_like(array)
        for index in np.ndindex(array.shape):
            original = array[index]
            array[index] = original + H
            up = f()
            array[index] = original - H
            down = f()
            array[index] = original
            grad[index] = (up - down) / (2 * H)
        grads.append(grad)
    return grads


def check_op(op, *arrays: np.ndarray, seed: int = 0, rtol: float = 1e-5) -> None:
    """backward() through ``op`` agrees with finite differences for each input.

    The output is weighted by fixed random numbers and summed, so every element of a
    non-scalar output counts with its own weight.
    """
    arrays = [np.array(a, dtype=float) for a in arrays]
    weights = np.random.default_rng(seed).normal(size=op(*[Tensor(a) for a in arrays]).shape)

    def f() -> float:
        return float((op(*[Tensor(a) for a in arrays]).data * weights).sum())

    leaves = [Tensor(a) for a in arrays]
    (op(*leaves) * weights).sum().backward()
    for leaf, expected in zip(leaves, numerical_grads(f, arrays)):
        np.testing.assert_allclose(leaf.grad, expected, rtol=rtol, atol=1e-6)


seeds = st.integers(0, 2**32 - 1)
shapes = array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)


def normal(seed: int, shape: tuple[int, ...]) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=shape)


def away_from_zero(seed: int, shape: tuple[int, ...]) -> np.ndarray:
    """Numbers with |x| in [0.5, 2], random signs: no kink or pole within a nudge."""
    rng = np.random.default_rng(seed)
    return rng.uniform(0.5, 2.0, size=shape) * rng.choice([-1.0, 1.0], size=shape)


# ----------------------------------------------------------------------------------------------
# Every operation against finite differences
# ----------------------------------------------------------------------------------------------

BINARY = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
}


@pytest.mark.parametrize("name", list(BINARY))
@FAST
@given(shapes=mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3), seed=seeds)
def test_binary_ops_with_broadcasting(name, shapes, seed):
    a_shape, b_shape = shapes.input_shapes
    check_op(BINARY[name], normal(seed, a_shape), away_from_zero(seed + 1, b_shape), seed=seed)


UNARY = {
    "neg": (lambda t: -t, normal),
    "exp": (Tensor.exp, normal),
    "log": (Tensor.log, lambda seed, shape: np.abs(away_from_zero(seed, shape))),
    "tanh": (Tensor.tanh, normal),
    "sigmoid": (Tensor.sigmoid, normal),
    "relu": (Tensor.relu, away_from_zero),
    "**2": (lambda t: t**2, normal),
    "**-1.5": (lambda t: t**-1.5, lambda seed, shape: np.abs(away_from_zero(seed, shape))),
    "**0": (lambda t: t**0, normal),
    "transpose": (lambda t: t.T, normal),
    "reshape": (lambda t: t.reshape(-1), normal),
    "log_softmax": (Tensor.log_softmax, normal),
}


@pytest.mark.parametrize("name", list(UNARY))
@FAST
@given(shape=shapes, seed=seeds)
def test_unary_ops(name, shape, seed):
    op, numbers = UNARY[name]
    check_op(op, numbers(seed, shape), seed=seed)


@pytest.mark.parametrize("reduction", ["sum", "mean"])
@FAST
@given(shape=shapes, seed=seeds, data=st.data(), keepdims=st.booleans())
def test_reductions_over_any_axes(reduction, shape, seed, data, keepdims):
    axis = data.draw(st.one_of(
        st.none(),
        st.integers(-len(shape), len(shape) - 1),
        st.lists(st.integers(0, len(shape) - 1), min_size=1, unique=True).map(tuple),
    ))
    check_op(lambda t: getattr(t, reduction)(axis=axis, keepdims=keepdims), normal(seed, shape),
             seed=seed)


@FAST
@given(n=st.integers(1, 4), k=st.integers(1, 4), m=st.integers(1, 4), seed=seeds)
def test_matmul(n, k, m, seed):
    check_op(lambda a, b: a @ b, normal(seed, (n, k)), normal(seed + 1, (k, m)), seed=seed)


@FAST
@given(rows=st.integers(2, 5), cols=st.integers(1, 3), seed=seeds, data=st.data())
def test_indexing_rows_even_repeated(rows, cols, seed, data):
    picked = data.draw(st.lists(st.integers(0, rows - 1), min_size=1, max_size=6))
    check_op(lambda t: t[np.array(picked)], normal(seed, (rows, cols)), seed=seed)
    check_op(lambda t: t[1:], normal(seed, (rows, cols)), seed=seed)


@FAST
@given(n=st.integers(1, 5), classes=st.integers(2, 4), seed=seeds, data=st.data())
def test_cross_entropy(n, classes, seed, data):
    labels = np.array(data.draw(st.lists(st.integers(0, classes - 1), min_size=n, max_size=n)))
    check_op(lambda z: cross_entropy(z, labels), 3 * normal(seed, (n, classes)), seed=seed)


def test_cross_entropy_worked_example():
    logits = Tensor([[2.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    loss = cross_entropy(logits, [0, 1])
    expected = (-np.log(np.exp(2) / (np.exp(2) + 2)) + np.log(3)) / 2
    assert loss.item() == pytest.approx(expected, rel=1e-14)
    loss.backward()  # softmax - one-hot, divided by the batch size
    softmax = np.exp(logits.data) / np.exp(logits.data).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(logits.grad, (softmax - np.eye(3)[[0, 1]]) / 2, rtol=1e-14)


def test_the_bias_gradient_is_a_sum_over_the_batch():
    X = Tensor(np.arange(6.0).reshape(3, 2))
    b = Tensor([10.0, 20.0])
    upstream = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    (X + b).backward(upstream)
    np.testing.assert_array_equal(b.grad, [9.0, 12.0])
    np.testing.assert_array_equal(X.grad, upstream)
    assert unbroadcast(np.ones((4, 2, 3)), (2, 1)).tolist() == [[12.0], [12.0]]


def test_a_2x2_matmul_gradient_by_hand():
    A, B = Tensor([[1.0, 2.0], [3.0, 4.0]]), Tensor([[5.0, 6.0], [7.0, 8.0]])
    (A @ B).sum().backward()  # dL/dA = ones @ B.T: row sums of B; dL/dB = A.T @ ones
    assert A.grad.tolist() == [[11.0, 15.0], [11.0, 15.0]]
    assert B.grad.tolist() == [[4.0, 4.0], [6.0, 6.0]]


# ----------------------------------------------------------------------------------------------
# backward(): accumulation, the seed, one topological order
# ----------------------------------------------------------------------------------------------


def test_leaves_accumulate_and_results_start_afresh():
    x = Tensor([1.0, 2.0])
    y = (x * x).sum()
    y.backward()
    y.backward()
    assert x.grad.tolist() == [4.0, 8.0]  # 2x, twice
    assert y.grad.tolist() == 1.0  # the output's own gradient is set afresh each pass


def test_a_gradient_is_none_until_backward_reaches_it():
    x, unused = Tensor([1.0, 2.0]), Tensor([5.0])
    assert x.grad is None and unused.grad is None
    (x * 3.0).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]
    assert unused.grad is None  # not in the graph: nothing reached it


def test_data_and_constants_get_no_gradient_and_no_backward_call():
    def refuse(g):
        raise AssertionError("backward computed a gradient nobody asked for")

    data = Tensor([[1.0, 2.0]], requires_grad=False)
    w = Tensor([[3.0], [4.0]])
    out = data @ w
    # the same product, with data's backward function replaced by one that fails if called
    guarded = Tensor(out.data, children=out.children, backward_fns=(refuse, out.backward_fns[1]))
    (guarded * 2.0).sum().backward()
    assert data.grad is None
    assert w.grad.tolist() == [[2.0], [4.0]]  # 2 * data.T
    loss = (1.0 - w).sum()  # 1.0 becomes a constant Tensor, which needs no gradient
    constant = loss.children[0].children[0]
    loss.backward()
    assert constant.requires_grad is False and constant.grad is None


def test_requires_grad_is_true_or_false():
    with pytest.raises(TypeError, match=r"requires_grad is True or False, got 'no'"):
        Tensor([1.0], requires_grad="no")


def test_two_leaves_never_share_one_gradient_array():
    a, b = Tensor([1.0, 2.0]), Tensor([3.0, 4.0])
    (a + b).sum().backward()  # both get the same upstream gradient
    assert a.grad is not b.grad
    a.grad *= 10.0
    assert b.grad.tolist() == [1.0, 1.0]


def test_zero_grad_forgets_and_the_next_backward_starts_afresh():
    model = MLP.from_scalar(ScalarMLP(2, [3, 1], seed=0))
    X = Tensor(np.ones((4, 2)), requires_grad=False)
    model(X).sum().backward()
    first = [p.grad.copy() for p in model.parameters()]
    model(X).sum().backward()  # without zero_grad: every gradient doubles
    for p, g in zip(model.parameters(), first):
        np.testing.assert_allclose(p.grad, 2 * g, rtol=1e-15)
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())
    model(X).sum().backward()
    for p, g in zip(model.parameters(), first):
        np.testing.assert_allclose(p.grad, g, rtol=1e-15)


def test_a_tensor_used_twice_gets_both_gradients():
    x = Tensor([3.0])
    u = x * 2.0
    (u * u + u).sum().backward()  # 4x^2 + 2x -> 8x + 2
    assert x.grad.tolist() == [26.0]


def test_a_deep_chain_needs_no_recursion():
    x = Tensor([0.5])
    node = x
    for _ in range(5000):
        node = node + 1.0
    node.sum().backward()
    assert x.grad.tolist() == [1.0]


# ----------------------------------------------------------------------------------------------
# The tensor MLP is the scalar MLP
# ----------------------------------------------------------------------------------------------


@settings(max_examples=10, deadline=None)
@given(
    nin=st.integers(1, 3),
    sizes=st.lists(st.integers(1, 4), min_size=1, max_size=3),
    activation=st.sampled_from(["tanh", "relu", "sigmoid", "linear"]),
    rows=st.integers(1, 4),
    seed=seeds,
)
def test_the_tensor_mlp_gives_the_scalar_mlps_outputs_and_gradients(
    nin, sizes, activation, rows, seed
):
    scalar = ScalarMLP(nin, sizes, activation=activation, seed=seed % 1000)
    tensor = MLP.from_scalar(scalar)
    X = normal(seed, (rows, nin))

    outputs = [scalar(x) for x in X]
    outputs = [[o] if not isinstance(o, list) else o for o in outputs]
    scalar_out = np.array([[v.data for v in row] for row in outputs])
    weights = normal(seed + 1, scalar_out.shape)  # a loss that uses every output
    loss = sum(v * w for row, w_row in zip(outputs, weights) for v, w in zip(row, w_row))
    loss.backward()

    out = tensor(X)
    np.testing.assert_allclose(out.data, scalar_out, rtol=0, atol=1e-12)
    (out * weights).sum().backward()
    for layer, (W, b) in zip(scalar.layers, tensor.layers):
        expected_W = np.array([[w.grad for w in n.w] for n in layer.neurons]).T
        np.testing.assert_allclose(W.grad, expected_W, rtol=0, atol=1e-12)
        np.testing.assert_allclose(b.grad, [n.b.grad for n in layer.neurons], rtol=0, atol=1e-12)


def test_the_tensor_mlp_takes_only_activations_it_has():
    with pytest.raises(ValueError, match="'gelu': the tensor MLP knows"):
        MLP.from_scalar(ScalarMLP(2, [3, 1], activation="gelu", seed=0))
    model = MLP.from_scalar(ScalarMLP(2, [3, 1], seed=0))
    assert repr(model) == "MLP(2 -> 3 -> 1, tanh, tanh; tensors)"


# ----------------------------------------------------------------------------------------------
# Clear errors
# ----------------------------------------------------------------------------------------------


def test_a_matmul_of_mismatched_shapes_names_both():
    with pytest.raises(ValueError, match=r"@ cannot multiply shapes \(5, 3\) and \(2, 4\)"):
        Tensor(np.ones((5, 3))) @ Tensor(np.ones((2, 4)))
    with pytest.raises(ValueError, match=r"@ takes two matrices \(2-D\), got shapes \(3,\)"):
        Tensor(np.ones(3)) @ Tensor(np.ones((3, 1)))


@pytest.mark.parametrize("op", ["+", "-", "*", "/"])
def test_shapes_that_do_not_broadcast_name_both_and_the_op(op):
    with pytest.raises(ValueError, match=rf"\{op} cannot combine shapes \(4, 3\) and \(4,\)"):
        BINARY[op](Tensor(np.ones((4, 3))), Tensor(np.ones(4)))


@pytest.mark.parametrize("data", [["a", "b"], [True, False], [1 + 2j], object()])
def test_data_that_is_not_real_numbers_is_a_type_error(data):
    with pytest.raises(TypeError, match="Tensor\\(data\\) takes real numbers"):
        Tensor(data)


def test_ints_become_floats_and_leaves_copy_their_data():
    source = np.array([1, 2, 3])
    t = Tensor(source)
    t.data += 1
    assert t.data.dtype == np.float64 and source.tolist() == [1, 2, 3]


def test_backward_on_a_non_scalar_needs_a_seed():
    t = Tensor(np.ones((2, 3))) * 2.0
    with pytest.raises(ValueError, match=r"needs a one-number output.*shape \(2, 3\)"):
        t.backward()
    with pytest.raises(ValueError, match=r"shape \(2, 3\), got \(3,\)"):
        t.backward(np.ones(3))


def test_a_backward_function_that_returns_the_wrong_shape_is_caught():
    t = Tensor(np.ones((3, 4)))
    out = Tensor(t.data.mean(axis=0), children=(t,), backward_fns=(lambda g: g / 3,), op="mean")
    with pytest.raises(ValueError, match=r"backward function of mean returned a gradient of "
                                         r"shape \(4,\) for an input of shape \(3, 4\)"):
        out.sum().backward()


def test_other_mistakes_say_what_to_do():
    t = Tensor(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"reshape cannot turn shape \(2, 3\)"):
        t.reshape(4)
    with pytest.raises(ValueError, match="axis must be a whole number from -2 to 1"):
        t.sum(axis=2)
    with pytest.raises(TypeError, match="exponent"):
        t ** Tensor([2.0])
    with pytest.raises(ValueError, match="class ids 0..2"):
        cross_entropy(Tensor(np.ones((2, 3))), [0, 3])
    with pytest.raises(ValueError, match="one int class id per row"):
        cross_entropy(Tensor(np.ones((2, 3))), [0.0, 1.0])
    with pytest.raises(TypeError):  # NumPy functions would drop the graph
        np.tanh(t)


# ----------------------------------------------------------------------------------------------
# PyTorch, float64, when it is installed
# ----------------------------------------------------------------------------------------------

TORCH_OPS = {
    "add": (lambda a, b: a + b, [(3, 1), (4,)]),
    "sub": (lambda a, b: a - b, [(2, 3), (3,)]),
    "mul": (lambda a, b: a * b, [(2, 1, 3), (4, 1)]),
    "div": (lambda a, b: a / b, [(2, 3), (2, 3)]),
    "matmul": (lambda a, b: a @ b, [(3, 4), (4, 2)]),
    "pow": (lambda a: a**3, [(2, 3)]),
    "neg": (lambda a: -a, [(2, 3)]),
    "exp": (lambda a: a.exp(), [(2, 3)]),
    "log": (lambda a: (a * a).log(), [(2, 3)]),
    "tanh": (lambda a: a.tanh(), [(2, 3)]),
    "sigmoid": (lambda a: a.sigmoid(), [(2, 3)]),
    "relu": (lambda a: a.relu(), [(2, 3)]),
    "sum": (lambda a: a.sum(axis=0), [(2, 3)]),
    "mean": (lambda a: a.mean(axis=1), [(2, 3)]),
    "reshape": (lambda a: a.reshape(3, 2), [(2, 3)]),
    "transpose": (lambda a: a.T, [(2, 3)]),
    "rows": (lambda a: a[[0, 2, 2]], [(3, 2)]),
    "log_softmax": (lambda a: a.log_softmax(-1), [(2, 3)]),
}


@pytest.mark.parametrize("name", list(TORCH_OPS))
def test_every_op_agrees_with_pytorch(name):
    torch = pytest.importorskip("torch")
    op, in_shapes = TORCH_OPS[name]
    rng = np.random.default_rng(1)
    arrays = [rng.uniform(0.5, 2.0, size=s) for s in in_shapes]
    ours = [Tensor(a) for a in arrays]
    theirs = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in arrays]
    out, ref = op(*ours), op(*theirs)
    seed = rng.normal(size=out.shape)
    out.backward(seed)
    ref.backward(torch.tensor(seed))
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-12, atol=1e-12)
    for t, r in zip(ours, theirs):
        np.testing.assert_allclose(t.grad, r.grad.numpy(), rtol=1e-12, atol=1e-12)


def test_cross_entropy_agrees_with_pytorch():
    torch = pytest.importorskip("torch")
    logits = np.random.default_rng(2).normal(size=(5, 3))
    labels = np.array([0, 2, 1, 1, 0])
    ours = Tensor(logits)
    theirs = torch.tensor(logits, requires_grad=True)
    loss = cross_entropy(ours, labels)
    ref = torch.nn.functional.cross_entropy(theirs, torch.tensor(labels))
    loss.backward()
    ref.backward()
    assert loss.item() == pytest.approx(ref.item(), rel=1e-12)
    np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-12, atol=1e-12)
