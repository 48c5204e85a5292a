"""Losses: values against plain formulas, gradients against finite differences, errors."""

import math

import numpy as np
import pytest
from gradcheck import assert_grads_match
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from course.engine import Value
from course.losses import (
    binary_cross_entropy,
    cross_entropy,
    hinge,
    l2,
    log_softmax,
    mse,
    softmax,
)
from course.nn import MLP

SMALL = settings(max_examples=20, deadline=None)
floats = st.floats(-3.0, 3.0)


def values(xs) -> list[Value]:
    return [Value(x) for x in xs]


# --- mse ----------------------------------------------------------------------------------------


@SMALL
@given(pairs=st.lists(st.tuples(floats, floats), min_size=1, max_size=5))
def test_mse_is_the_mean_of_squared_errors_and_sum_is_n_times_it(pairs):
    preds, targets = zip(*pairs)
    expected = np.mean((np.array(preds) - np.array(targets)) ** 2)
    assert mse(values(preds), targets).data == pytest.approx(expected, abs=1e-12)
    total = mse(values(preds), targets, reduction="sum").data
    assert total == pytest.approx(len(pairs) * expected, abs=1e-12)


@pytest.mark.parametrize("reduction", ["mean", "sum"])
@SMALL
@given(pairs=st.lists(st.tuples(floats, floats), min_size=1, max_size=4))
def test_mse_gradients_match_finite_differences(reduction, pairs):
    preds, targets = zip(*pairs)
    ps = values(preds)
    assert_grads_match(lambda: mse(ps, targets, reduction=reduction), ps)


def test_mse_takes_numpy_targets_and_a_single_prediction():
    assert mse(values([1.0, 2.0]), np.array([0, 4])).data == pytest.approx((1 + 4) / 2)
    assert mse(Value(3.0), 1.0).data == pytest.approx(4.0)


def test_mse_rejects_a_bad_reduction():
    with pytest.raises(ValueError, match="unknown reduction 'avg'; choose one of 'mean', 'sum'"):
        mse(values([1.0]), [1.0], reduction="avg")
    with pytest.raises(ValueError, match=r"unknown reduction 'Sum' \(did you mean 'sum'\?\)"):
        mse(values([1.0]), [1.0], reduction="Sum")


def test_targets_given_as_values_count_with_their_number_and_get_no_gradient():
    preds, targets = values([1.0, -0.5]), values([0.5, 1.0])
    loss = mse(preds, targets)
    assert loss.data == mse(preds, [0.5, 1.0]).data == pytest.approx((0.25 + 2.25) / 2)
    loss.backward()
    assert [p.grad for p in preds] == pytest.approx([0.5, -1.5])
    assert [t.grad for t in targets] == [0.0, 0.0]  # a target is a constant
    assert hinge(values([0.3]), [Value(-1.0)]).data == pytest.approx(1.3)


def test_a_target_that_is_not_a_number_says_which_one():
    with pytest.raises(TypeError, match="one number per target, got str '1' at position 1"):
        mse(values([1.0, 2.0]), [1.0, "1"])
    with pytest.raises(TypeError, match="mse takes a list of targets, got NoneType None"):
        mse(values([1.0]), None)


# --- hinge --------------------------------------------------------------------------------------


@SMALL
@given(pairs=st.lists(st.tuples(floats, st.sampled_from([-1, 1])), min_size=1, max_size=5))
def test_hinge_value_and_gradients(pairs):
    scores, labels = zip(*pairs)
    assume(all(abs(1 - y * s) > 1e-3 for s, y in pairs))  # away from the kink
    expected = np.mean([max(0.0, 1 - y * s) for s, y in pairs])
    ss = values(scores)
    assert hinge(ss, labels).data == pytest.approx(expected, abs=1e-12)
    assert_grads_match(lambda: hinge(ss, labels), ss)


def test_hinge_costs_nothing_beyond_the_margin():
    ss = values([2.0, -1.5, 0.5])
    loss = hinge(ss, [1, -1, 1])
    loss.backward()
    assert loss.data == pytest.approx(0.5 / 3)
    assert [s.grad for s in ss] == pytest.approx([0.0, 0.0, -1 / 3])


def test_hinge_rejects_zero_one_labels_with_a_hint():
    with pytest.raises(ValueError, match=r"labels must be -1 or \+1, got 0 at position 1.*to_pm1"):
        hinge(values([0.5, 0.2]), [1, 0])


# --- binary cross-entropy -----------------------------------------------------------------------


def naive_bce(z: float, y: float) -> float:
    p = 1 / (1 + math.exp(-z))
    return -(y * math.log(p) + (1 - y) * math.log(1 - p))


@SMALL
@given(pairs=st.lists(st.tuples(st.floats(-8, 8), st.sampled_from([0, 1])), min_size=1, max_size=5))
def test_bce_matches_the_textbook_formula_and_finite_differences(pairs):
    logits, labels = zip(*pairs)
    zs = values(logits)
    expected = np.mean([naive_bce(z, y) for z, y in pairs])
    assert binary_cross_entropy(zs, labels).data == pytest.approx(expected, rel=1e-9, abs=1e-12)
    assert_grads_match(lambda: binary_cross_entropy(zs, labels), zs)


def test_bce_gradient_is_sigmoid_minus_label_also_at_zero():
    zs = values([0.0, 0.0, 2.0])
    labels = [0, 1, 1]
    binary_cross_entropy(zs, labels).backward()
    sigmoid = [0.5, 0.5, 1 / (1 + math.exp(-2.0))]
    assert [z.grad for z in zs] == pytest.approx([(s - y) / 3 for s, y in zip(sigmoid, labels)])


def test_bce_is_stable_for_huge_logits():
    zs = values([1000.0, -1000.0, 1000.0, -1000.0])
    loss = binary_cross_entropy(zs, [1, 0, 0, 1])
    loss.backward()
    assert loss.data == pytest.approx((0 + 0 + 1000 + 1000) / 4)  # confidently wrong: 1000 each
    assert [z.grad for z in zs] == pytest.approx([0.0, 0.0, 0.25, -0.25])


def test_bce_rejects_labels_other_than_zero_and_one():
    with pytest.raises(ValueError, match="labels must be 0 or 1, got -1 at position 0"):
        binary_cross_entropy(values([0.3]), [-1])


# --- softmax and cross-entropy ------------------------------------------------------------------


@SMALL
@given(logits=st.lists(floats, min_size=1, max_size=5))
def test_softmax_matches_numpy_and_sums_to_one(logits):
    e = np.exp(np.array(logits) - max(logits))
    probs = [p.data for p in softmax(values(logits))]
    assert probs == pytest.approx(e / e.sum(), rel=1e-12)
    assert sum(probs) == pytest.approx(1.0)


@SMALL
@given(logits=st.lists(floats, min_size=2, max_size=4))
def test_softmax_gradients_match_finite_differences(logits):
    zs = values(logits)

    def f():
        probs = softmax(zs)
        return probs[0] * 1.0 + probs[-1] * -2.0  # a mix, so no gradient is trivially zero

    assert_grads_match(f, zs)


def test_softmax_and_cross_entropy_survive_huge_logits():
    assert [p.data for p in softmax(values([1000.0, 1000.0]))] == pytest.approx([0.5, 0.5])
    assert cross_entropy(values([1000.0, 0.0]), 1).data == pytest.approx(1000.0)
    assert cross_entropy(values([-1000.0, 1000.0]), 1).data == pytest.approx(0.0)


@SMALL
@given(logits=st.lists(floats, min_size=2, max_size=5), data=st.data())
def test_cross_entropy_is_minus_log_softmax_with_gradient_softmax_minus_onehot(logits, data):
    label = data.draw(st.integers(0, len(logits) - 1))
    zs = values(logits)
    loss = cross_entropy(zs, label)
    probs = np.exp(np.array(logits) - max(logits))
    probs /= probs.sum()
    assert loss.data == pytest.approx(-math.log(probs[label]), rel=1e-9, abs=1e-12)
    loss.backward()
    onehot = np.eye(len(logits))[label]
    assert [z.grad for z in zs] == pytest.approx(probs - onehot, abs=1e-9)
    assert_grads_match(lambda: cross_entropy(zs, label), zs)


def test_cross_entropy_of_a_batch_is_the_mean_of_the_examples():
    rows = [values([0.1, 2.0, -1.0]), values([1.0, 1.0, 0.0])]
    labels = np.array([1, 2])
    batch = cross_entropy(rows, labels).data
    one_by_one = [cross_entropy(r, int(y)).data for r, y in zip(rows, labels)]
    assert batch == pytest.approx(np.mean(one_by_one))
    flat = [v for row in rows for v in row]
    assert_grads_match(lambda: cross_entropy(rows, labels), flat)


def test_cross_entropy_checks_labels():
    with pytest.raises(ValueError, match=r"label 3 at position 0 is not a class id.*0\.\.2"):
        cross_entropy(values([0.1, 0.2, 0.3]), 3)
    with pytest.raises(ValueError, match="label -1 at position 1"):
        cross_entropy([values([0.1, 0.2]), values([0.1, 0.2])], [0, -1])
    with pytest.raises(TypeError, match=r"class ids, whole numbers 0\.\.1; got float 0.5 at "
                                        r"position 0\. Pass ints, e\.g\. y\.astype\(int\)"):
        cross_entropy([values([0.1, 0.2])], [0.5])
    with pytest.raises(TypeError, match="got float64 1.0 at position 0"):
        cross_entropy([values([0.1, 0.2])], np.array([1.0]))  # floats are never rounded


@SMALL
@given(logits=st.lists(floats, min_size=1, max_size=5))
def test_log_softmax_is_the_log_of_softmax(logits):
    expected = [math.log(p.data) for p in softmax(values(logits))]
    assert [v.data for v in log_softmax(values(logits))] == pytest.approx(expected, abs=1e-12)


@SMALL
@given(logits=st.lists(floats, min_size=2, max_size=4))
def test_log_softmax_gradients_match_finite_differences(logits):
    zs = values(logits)
    assert_grads_match(lambda: log_softmax(zs)[0] * 1.0 + log_softmax(zs)[-1] * -2.0, zs)


def test_twenty_seven_classes_at_plus_and_minus_1000_stay_finite():
    """Logits of +-1000 over 27 classes: no overflow, no nan, in values or gradients."""
    logits = [1000.0 if i % 2 else -1000.0 for i in range(27)]  # 13 at +1000, 14 at -1000
    probs = softmax(values(logits))
    assert [p.data for p in probs] == pytest.approx([1 / 13 if i % 2 else 0.0 for i in range(27)])
    logs = [v.data for v in log_softmax(values(logits))]
    assert logs[1] == pytest.approx(-math.log(13))
    assert logs[0] == pytest.approx(-2000 - math.log(13))  # log(softmax) would give -inf
    for label, expected in [(1, math.log(13)), (0, 2000 + math.log(13))]:
        zs = values(logits)
        loss = cross_entropy(zs, label)
        loss.backward()
        assert loss.data == pytest.approx(expected)
        grads = [z.grad for z in zs]
        assert all(math.isfinite(g) for g in grads)
        assert sum(grads) == pytest.approx(0.0, abs=1e-12)  # softmax minus one-hot sums to 0
        assert grads[label] == pytest.approx((1 / 13 if label % 2 else 0.0) - 1.0)


def test_cross_entropy_over_27_classes_matches_finite_differences():
    zs = values([0.1 * ((7 * i) % 11) - 0.5 for i in range(27)])
    assert_grads_match(lambda: cross_entropy(zs, 26), zs)


def test_log_softmax_refuses_empty_and_non_numbers():
    with pytest.raises(ValueError, match="log_softmax needs at least one logit, got none"):
        log_softmax([])
    with pytest.raises(TypeError, match="log_softmax takes one number"):
        log_softmax(["a", 1.0])
    with pytest.raises(ValueError, match="label 27 at position 0 is not a class id.*0\\.\\.26"):
        cross_entropy(values([0.0] * 27), 27)


# --- l2 -----------------------------------------------------------------------------------------


@SMALL
@given(xs=st.lists(floats, min_size=1, max_size=5))
def test_l2_is_the_sum_of_squares_with_gradient_two_p(xs):
    ps = values(xs)
    loss = l2(ps)
    assert loss.data == pytest.approx(sum(x * x for x in xs))
    loss.backward()
    assert [p.grad for p in ps] == pytest.approx([2 * x for x in xs])
    assert_grads_match(lambda: l2(ps), ps)


def test_l2_reads_a_generator():
    assert l2(Value(x) for x in (1.0, 2.0)).data == 5.0


def test_l2_of_the_model_or_its_method_says_call_model_parameters():
    model = MLP(2, [2, 1], seed=0)
    with pytest.raises(TypeError, match=r"l2 got the method `parameters` itself.*parameters\(\)"):
        l2(model.parameters)
    with pytest.raises(TypeError, match=r"not the MLP itself: pass model\.parameters\(\)"):
        l2(model)
    with pytest.raises(TypeError, match=r"l2 must hold Values .* item 0 is float 1.0"):
        l2([1.0, 2.0])


# --- shared errors ------------------------------------------------------------------------------


@pytest.mark.parametrize("loss", [mse, hinge, binary_cross_entropy])
def test_mismatched_lengths_say_both_counts(loss):
    with pytest.raises(ValueError, match="got 3 .* but 2 targets"):
        loss(values([0.5, 0.5, 0.5]), [1, 1])


@pytest.mark.parametrize("loss", [mse, hinge, binary_cross_entropy, cross_entropy])
def test_empty_batches_are_rejected(loss):
    with pytest.raises(ValueError, match="at least one example"):
        loss([], [])


def test_empty_softmax_and_l2_are_rejected():
    with pytest.raises(ValueError, match="at least one logit"):
        softmax([])
    with pytest.raises(ValueError, match=r"l2 got no parameters \(an empty list\)"):
        l2([])
    with pytest.raises(ValueError, match="got 2 rows of logits but 1 labels"):
        cross_entropy([values([1.0]), values([2.0])], [0])


def test_a_list_in_place_of_one_prediction_is_a_clear_type_error():
    with pytest.raises(TypeError, match="one number .* per example, got list"):
        mse([values([1.0, 2.0])], [1.0])
