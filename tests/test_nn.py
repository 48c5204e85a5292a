"""Neuron, Layer, MLP and the extra modules: outputs, gradients, shapes, seeds and errors."""

import math
import random

import numpy as np
import pytest
from gradcheck import assert_grads_match
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from course.engine import Value
from course.nn import (
    ACTIVATIONS,
    MLP,
    BatchNorm,
    Dropout,
    Layer,
    Module,
    Neuron,
    Residual,
    Sequential,
)
from course.seeding import manual_seed

SMALL = settings(max_examples=15, deadline=None)
inputs3 = st.lists(st.floats(-2.0, 2.0), min_size=3, max_size=3)


def gelu(a: float) -> float:
    return 0.5 * a * (1 + math.tanh(math.sqrt(2 / math.pi) * (a + 0.044715 * a**3)))


PLAIN_ACTIVATIONS = {
    "tanh": math.tanh,
    "relu": lambda a: max(a, 0.0),
    "leaky_relu": lambda a: a if a > 0 else 0.01 * a,
    "gelu": gelu,
    "sigmoid": lambda a: 1 / (1 + math.exp(-a)),
    "linear": lambda a: a,
}


# --- Neuron -------------------------------------------------------------------------------------


def test_every_activation_name_is_covered_here():
    assert set(ACTIVATIONS) == set(PLAIN_ACTIVATIONS)


@pytest.mark.parametrize("activation", sorted(PLAIN_ACTIVATIONS))
@SMALL
@given(xs=inputs3, seed=st.integers(0, 10_000))
def test_neuron_computes_activation_of_weighted_sum(activation, xs, seed):
    neuron = Neuron(3, activation, seed=seed)
    pre = sum(w.data * x for w, x in zip(neuron.w, xs)) + neuron.b.data
    out = neuron(xs)
    assert out.data == pytest.approx(PLAIN_ACTIVATIONS[activation](pre), rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("activation", sorted(PLAIN_ACTIVATIONS))
@SMALL
@given(xs=inputs3, seed=st.integers(0, 10_000))
def test_neuron_gradients_match_finite_differences(activation, xs, seed):
    neuron = Neuron(3, activation, seed=seed)
    neuron.b.data = 0.3  # a bias away from 0, so the bias path is exercised too
    pre = sum(w.data * x for w, x in zip(neuron.w, xs)) + neuron.b.data
    assume(abs(pre) > 1e-3)  # relu-like activations have a kink at 0
    inputs = [Value(x) for x in xs]
    assert_grads_match(lambda: neuron(inputs), [*neuron.parameters(), *inputs])


def test_neuron_builds_one_node_for_the_sum_and_one_for_the_activation():
    inputs = [Value(1.0), Value(2.0), Value(3.0)]
    out = Neuron(3, "tanh")(inputs)
    leaves = 3 + 3 + 1  # weights, inputs, bias
    assert len(out.topological_order()) == leaves + 2


def test_neuron_parameters_are_weights_then_bias_with_labels():
    neuron = Neuron(2)
    assert neuron.parameters() == [*neuron.w, neuron.b]
    assert [p.label for p in neuron.parameters()] == ["w0", "w1", "b"]


def test_inputs_can_be_lists_tuples_numpy_rows_or_values():
    neuron = Neuron(2, "tanh", seed=3)
    expected = neuron([0.5, -1.0]).data
    for x in ([0.5, -1], (0.5, -1.0), np.array([0.5, -1.0]), np.array([0.5, -1.0], np.float32)):
        assert neuron(x).data == pytest.approx(expected)
    assert neuron([np.float64(0.5), np.int64(-1)]).data == pytest.approx(expected)
    assert neuron([Value(0.5), -1.0]).data == pytest.approx(expected)


def test_a_one_input_neuron_takes_a_bare_number():
    neuron = Neuron(1, "linear", seed=1)
    assert neuron(2.0).data == pytest.approx(2.0 * neuron.w[0].data + neuron.b.data)
    assert neuron(np.float64(2.0)).data == neuron(Value(2.0)).data


def test_initial_weights_are_uniform_in_minus_one_one_and_bias_zero():
    weights = [w.data for w in Neuron(2000, seed=5).w]
    assert all(-1.0 <= w <= 1.0 for w in weights)
    assert min(weights) < -0.9 and max(weights) > 0.9
    assert Neuron(4).b.data == 0.0


def test_seeds_make_weights_reproducible():
    def weights(**kwargs):
        return [p.data for p in MLP(2, [3, 1], **kwargs).parameters()]

    assert weights(seed=7) == weights(seed=7)
    assert weights(seed=7) != weights(seed=8)
    manual_seed(3)
    first = weights()
    manual_seed(3)
    assert weights() == first  # the shared generator, restarted, repeats itself
    assert weights(rng=random.Random(7)) == weights(seed=7)
    with pytest.raises(ValueError, match="either seed or rng"):
        Neuron(2, seed=1, rng=random.Random(1))


def test_modules_built_one_after_the_other_without_a_seed_start_different():
    manual_seed(0)
    a, b = Layer(2, 3), Layer(2, 3)
    assert [p.data for p in a.parameters()] != [p.data for p in b.parameters()]
    d1, d2 = Dropout(0.5), Dropout(0.5)
    masks = [[v.data for v in d([1.0] * 20)] for d in (d1, d2)]
    assert masks[0] != masks[1]


def test_manual_seed_rejects_what_is_not_a_whole_number():
    with pytest.raises(TypeError, match="manual_seed"):
        manual_seed(1.5)
    with pytest.raises(TypeError, match="seed must be a whole number"):
        Neuron(2, seed="1")


def test_neurons_of_a_layer_start_different():
    layer = Layer(3, 4, seed=0)
    first_weights = {n.w[0].data for n in layer.neurons}
    assert len(first_weights) == 4


# --- Layer and MLP ------------------------------------------------------------------------------


def test_a_layer_of_one_neuron_returns_a_value_wider_layers_a_list():
    assert isinstance(Layer(2, 1)([1.0, 2.0]), Value)
    out = Layer(2, 3)([1.0, 2.0])
    assert isinstance(out, list) and len(out) == 3 and all(isinstance(v, Value) for v in out)


def test_layer_outputs_are_its_neurons_outputs():
    layer = Layer(2, 3, "relu", seed=4)
    x = [0.7, -0.2]
    assert [v.data for v in layer(x)] == [n(x).data for n in layer.neurons]


def test_mlp_feeds_each_layer_into_the_next():
    mlp = MLP(3, [4, 2], activation="tanh", seed=2)
    x = [1.0, -2.0, 0.5]
    by_hand = mlp.layers[1](mlp.layers[0](x))
    assert [v.data for v in mlp(x)] == [v.data for v in by_hand]


def test_parameter_counts_of_the_course_networks():
    assert MLP(2, [16, 16, 1], activation="relu").num_parameters() == 337
    assert len(MLP(3, [4, 4, 1]).parameters()) == 41  # (3+1)*4 + (4+1)*4 + (4+1)*1


def test_output_activation_rule():
    lesson = MLP(3, [4, 4, 1])
    assert [layer.activation for layer in lesson.layers] == ["tanh", "tanh", "tanh"]
    demo = MLP(2, [16, 16, 1], activation="relu")
    assert [layer.activation for layer in demo.layers] == ["relu", "relu", "linear"]
    for hidden in ("gelu", "sigmoid", "leaky_relu"):
        assert MLP(2, [3, 1], activation=hidden).layers[-1].activation == "linear"
    chosen = MLP(2, [3, 1], activation="relu", output_activation="sigmoid")
    assert chosen.layers[-1].activation == "sigmoid"


def test_a_relu_mlp_can_output_negative_scores():
    mlp = MLP(2, [8, 1], activation="relu", seed=0)
    out_neuron = mlp.layers[-1].neurons[0]
    for w in out_neuron.w:
        w.data = -1.0
    out_neuron.b.data = -0.5
    assert mlp([1.0, 2.0]).data < -0.5  # a relu output layer would give 0


def test_reprs_say_the_shape_and_activations():
    assert repr(MLP(3, [4, 4, 1])) == "MLP(3 -> [4, 4, 1], tanh; 41 parameters)"
    assert repr(MLP(2, [16, 16, 1], activation="relu")) == (
        "MLP(2 -> [16, 16, 1], relu hidden, linear output; 337 parameters)"
    )
    assert repr(Layer(3, 4, "relu")) == "Layer(3 -> 4, relu)"
    assert repr(Neuron(3)) == "Neuron(3 inputs, tanh)"


def test_parameter_labels_name_layer_neuron_and_weight():
    labels = [p.label for p in MLP(2, [2, 1]).parameters()]
    assert labels[:3] == ["L0.n0.w0", "L0.n0.w1", "L0.n0.b"]
    assert labels[-1] == "L1.n0.b"
    assert len(set(labels)) == len(labels)


@pytest.mark.parametrize(
    "model, owner",
    [(MLP(3, [4, 1]), "MLP"), (Layer(3, 2), "Layer"), (Neuron(3), "Neuron")],
)
def test_wrong_number_of_inputs_says_expected_and_got(model, owner):
    with pytest.raises(ValueError, match=f"{owner} expects 3 inputs, got 2"):
        model([1.0, 2.0])
    with pytest.raises(ValueError, match=f"{owner} expects 3 inputs, got 1"):
        model(1.0)


def test_a_whole_array_passed_as_one_example_points_to_forward_batch():
    with pytest.raises(ValueError, match=r"one example at a time.*forward_batch"):
        MLP(2, [1])(np.zeros((5, 2)))


def test_a_list_of_rows_passed_as_one_example_points_to_forward_batch():
    with pytest.raises(ValueError, match=r"one example at a time, got a list of rows.*forward_"):
        MLP(2, [1])([[0.0, 1.0], [1.0, 0.0]])
    with pytest.raises(TypeError, match="MLP takes one example: a list of numbers .* got NoneType"):
        MLP(2, [1])(None)


def test_unknown_activation_lists_the_valid_ones():
    with pytest.raises(ValueError, match=r"unknown activation 'rleu'.*'tanh'.*'relu'.*'linear'"):
        MLP(2, [3, 1], activation="rleu")
    with pytest.raises(ValueError, match="unknown activation 'softmax'"):
        MLP(2, [3, 1], output_activation="softmax")
    with pytest.raises(ValueError, match=r"unknown activation 'Tanh' \(did you mean 'tanh'\?\)"):
        Neuron(2, "Tanh")
    with pytest.raises(ValueError, match="unknown activation 'Relu'"):
        Layer(2, 3, "Relu")
    with pytest.raises(TypeError, match="activation must be a name, one of 'tanh'"):
        MLP(2, [3, 1], activation=Value.relu)


def test_bad_sizes_are_rejected():
    with pytest.raises(ValueError, match=r"nin \(the number of inputs\) must be a whole number "
                                         r">= 1, got 0"):
        Layer(0, 3)
    with pytest.raises(TypeError, match="whole number"):
        Neuron(2.5)
    with pytest.raises(TypeError, match=r"list of layer sizes.*e\.g\. MLP\(2, \[16, 16, 1\]\)"):
        MLP(2, 1)
    with pytest.raises(ValueError, match=r"at least one layer size, e\.g\. MLP\(2, \[1\]\)"):
        MLP(2, [])
    with pytest.raises(TypeError, match=r"nouts\[1\] \(a layer size\) must be a whole number"):
        MLP(2, [4, "1"])
    with pytest.raises(ValueError, match=r"nouts\[0\] \(a layer size\) must be a whole number"):
        MLP(2, [0, 1])
    assert MLP(2, np.array([3, 1]), seed=0).num_parameters() == 13  # sizes from NumPy work


@pytest.mark.parametrize(
    "build, count",
    [(lambda: MLP(2, [10**8, 1]), "400,000,001"), (lambda: MLP(1000, [1000, 1]), "1,002,001"),
     (lambda: Layer(10**6, 2), "2,000,002"), (lambda: Neuron(10**6), "1,000,001"),
     (lambda: BatchNorm(600_000), "1,200,000")],
)
def test_a_module_too_big_for_the_engine_is_refused_at_once_with_the_limit(build, count):
    with pytest.raises(ValueError, match=rf"would have {count} parameters, more than the "
                                         r"1,000,000 allowed \(.*minutes per step"):
        build()  # before building anything: a hundred million Values would take minutes


def test_sequential_given_a_list_says_to_pass_the_modules_one_by_one():
    with pytest.raises(TypeError, match=r"one by one, not a list: Sequential\(\*modules\)"):
        Sequential([Layer(2, 2), Layer(2, 1)])


def test_zero_grad_resets_every_parameter():
    mlp = MLP(2, [3, 1])
    mlp([1.0, 2.0]).backward()
    assert any(p.grad != 0 for p in mlp.parameters())
    mlp.zero_grad()
    assert all(p.grad == 0 for p in mlp.parameters())


def test_train_and_eval_reach_every_submodule():
    inner = Dropout(0.5)
    model = Sequential(Layer(2, 2), Residual(Sequential(inner, Layer(2, 2))))
    assert model.training and inner.training
    assert model.eval() is model
    assert not inner.training and not model.modules[0].neurons[0].training
    model.train()
    assert inner.training


def test_module_parameters_collect_from_submodules_in_order():
    a, b = Layer(2, 2), Layer(2, 1)
    model = Sequential(a, Dropout(0.1), b)
    assert model.parameters() == a.parameters() + b.parameters()


def test_module_base_class_must_be_subclassed():
    with pytest.raises(NotImplementedError):
        Module()([1.0])


# --- Sequential ---------------------------------------------------------------------------------


def test_sequential_checks_its_arguments():
    with pytest.raises(ValueError, match="at least one module"):
        Sequential()
    with pytest.raises(TypeError, match="takes Modules"):
        Sequential(Layer(2, 2), lambda x: x)


def test_forward_batch_matches_one_example_at_a_time():
    model = Sequential(Layer(2, 3, "relu", seed=1), Layer(3, 1, "linear", seed=2))
    rows = [[0.1, 0.2], [1.0, -1.0], [-0.5, 2.0]]
    assert [v.data for v in model.forward_batch(rows)] == [model(r).data for r in rows]


# --- Dropout ------------------------------------------------------------------------------------


def test_dropout_in_eval_mode_passes_the_input_through():
    x = [Value(1.0), Value(2.0)]
    assert Dropout(0.5).eval()(x) is x


def test_dropout_zeroes_about_p_and_scales_the_rest():
    drop = Dropout(0.25, seed=0)
    out = drop([Value(2.0)] * 4000)
    kept = [v.data for v in out if v.data != 0]
    assert set(kept) == {2.0 / 0.75}
    assert 1 - len(kept) / 4000 == pytest.approx(0.25, abs=0.03)
    assert np.mean([v.data for v in out]) == pytest.approx(2.0, rel=0.05)  # same expectation


def test_dropout_is_seeded_and_draws_a_new_mask_each_call():
    def mask(drop):
        return [v.data != 0 for v in drop([1.0] * 50)]

    assert mask(Dropout(0.5, seed=3)) == mask(Dropout(0.5, seed=3))
    drop = Dropout(0.5, seed=3)
    assert mask(drop) != mask(drop)


def test_dropout_with_p_zero_changes_nothing():
    out = Dropout(0.0)([1.5, -2.0])
    assert [v.data if isinstance(v, Value) else v for v in out] == [1.5, -2.0]


@pytest.mark.parametrize("p", [-0.1, 1.0, 1.5, math.nan])
def test_dropout_rejects_bad_probabilities(p):
    with pytest.raises(ValueError, match=r"Dropout probability p must be a number in \[0, 1\)"):
        Dropout(p)
    with pytest.raises(TypeError, match=r"must be a number in \[0, 1\), got str '0.5': write"):
        Dropout("0.5")


def test_dropout_gradients_match_finite_differences():
    xs = [Value(v) for v in (0.5, -1.0, 2.0, 0.3, -0.7, 1.1)]
    weights = [0.3, -1.2, 0.8, 2.0, -0.5, 1.0]

    def f():
        out = Dropout(0.5, seed=11)(xs)  # the same seed each call: the same mask
        total = out[0] * weights[0]
        for v, w in zip(out[1:], weights[1:]):
            total = total + v * w
        return total

    assert_grads_match(f, xs)
    assert any(v.grad == 0 for v in xs) and any(v.grad != 0 for v in xs)


# --- BatchNorm ----------------------------------------------------------------------------------


def random_batch(rows: int, features: int, seed: int = 0) -> list[list[Value]]:
    rng = np.random.default_rng(seed)
    return [[Value(v) for v in row] for row in rng.normal(1.0, 2.0, size=(rows, features))]


def test_batchnorm_gives_each_feature_mean_zero_and_variance_one():
    out = BatchNorm(3).forward_batch(random_batch(8, 3))
    data = np.array([[v.data for v in row] for row in out])
    assert data.mean(axis=0) == pytest.approx([0, 0, 0], abs=1e-9)
    assert data.var(axis=0) == pytest.approx([1, 1, 1], rel=1e-4)


def test_batchnorm_applies_gamma_and_beta():
    bn = BatchNorm(2)
    bn.gamma[0].data, bn.beta[0].data = 3.0, -1.0
    data = np.array([[v.data for v in row] for row in bn.forward_batch(random_batch(10, 2))])
    assert data[:, 0].mean() == pytest.approx(-1.0)
    assert data[:, 0].std() == pytest.approx(3.0, rel=1e-4)


def test_batchnorm_gradients_match_finite_differences():
    batch = random_batch(4, 2, seed=1)
    bn = BatchNorm(2)
    bn.gamma[1].data, bn.beta[1].data = 1.5, 0.2
    coefficients = np.random.default_rng(2).normal(size=(4, 2))

    def f():
        out = bn.forward_batch(batch)
        total = Value(0.0)
        for row, cs in zip(out, coefficients):
            for v, c in zip(row, cs):
                total = total + v * float(c)
        return total

    leaves = [v for row in batch for v in row] + bn.parameters()
    assert_grads_match(f, leaves, rel=1e-4, abs_=1e-6)


def test_batchnorm_settings_are_checked():
    with pytest.raises(ValueError, match=r"momentum must be a number in \[0, 1\], got 1.5"):
        BatchNorm(2, momentum=1.5)
    with pytest.raises(TypeError, match="momentum must be a number in"):
        BatchNorm(2, momentum=None)
    with pytest.raises(ValueError, match="eps must be a positive, finite number, got 0"):
        BatchNorm(2, eps=0)


def test_batchnorm_running_statistics_and_eval_mode():
    batch = random_batch(5, 2, seed=3)
    bn = BatchNorm(2, momentum=0.1)
    bn.forward_batch(batch)
    data = np.array([[v.data for v in row] for row in batch])
    assert bn.running_mean == pytest.approx(0.1 * data.mean(axis=0))
    assert bn.running_var == pytest.approx(0.9 + 0.1 * data.var(axis=0, ddof=1))

    bn.eval()
    x = [0.5, -2.0]
    expected = (np.array(x) - bn.running_mean) / np.sqrt(np.array(bn.running_var) + bn.eps)
    assert [v.data for v in bn(x)] == pytest.approx(expected)
    assert [v.data for v in bn.forward_batch([x])[0]] == pytest.approx(expected)


def test_batchnorm_in_training_mode_needs_a_batch():
    bn = BatchNorm(2)
    with pytest.raises(ValueError, match="whole batch in training mode"):
        bn([1.0, 2.0])
    with pytest.raises(ValueError, match="at least 2 examples"):
        bn.forward_batch([[1.0, 2.0]])
    with pytest.raises(ValueError, match="BatchNorm expects 2 inputs, got 3"):
        bn.forward_batch([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]])


def test_batchnorm_inside_a_network_normalises_the_hidden_layer():
    model = Sequential(Layer(2, 3, "linear", seed=1), BatchNorm(3), Layer(3, 1, "tanh"))
    outs = model.forward_batch([[0.1, 0.2], [1.0, -1.0], [2.0, 0.5], [-1.0, 0.0]])
    assert len(outs) == 4 and all(isinstance(o, Value) for o in outs)
    assert model.num_parameters() == (2 + 1) * 3 + 2 * 3 + (3 + 1)


# --- Residual -----------------------------------------------------------------------------------


def test_residual_adds_the_input_to_the_block_output():
    block = Layer(2, 2, "tanh", seed=5)
    x = [0.4, -0.3]
    expected = [xi + fi.data for xi, fi in zip(x, block(x))]
    assert [v.data for v in Residual(block)(x)] == pytest.approx(expected)
    assert Residual(block).parameters() == block.parameters()


@SMALL
@given(xs=inputs3)
def test_residual_gradients_match_finite_differences(xs):
    block = Residual(Layer(3, 3, "tanh", seed=6))
    inputs = [Value(x) for x in xs]

    def f():
        a, b, c = block(inputs)
        return a * 1.0 + b * -2.0 + c * 0.5

    assert_grads_match(f, [*inputs, *block.parameters()])


def test_residual_checks_shapes():
    with pytest.raises(ValueError, match="as many numbers as it takes: got 3 in and 2 out"):
        Residual(Layer(3, 2))([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="wraps a Module"):
        Residual(lambda x: x)


def test_residual_around_batchnorm_uses_the_batch():
    block = Residual(BatchNorm(2))
    rows = [[1.0, 2.0], [3.0, 5.0], [0.0, -1.0]]
    out = block.forward_batch(rows)
    col0 = np.array([r[0] for r in rows])
    normalised = (col0 - col0.mean()) / np.sqrt(col0.var() + 1e-5)
    assert [row[0].data for row in out] == pytest.approx(col0 + normalised)
