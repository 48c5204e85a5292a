"""Optimizers against updates worked out by hand, their checks, and the lr schedules."""

import math

import numpy as np
import pytest

from course.checks import describe
from course.engine import Value
from course.nn import MLP
from course.optim import (
    SGD,
    Adam,
    check_lr,
    constant,
    cosine,
    exponential,
    linear_decay,
    step_decay,
)


def two_steps(optimizer, p: Value, grads=(0.5, -0.25)) -> list[float]:
    """Apply two steps with the given gradients; return p.data after each."""
    seen = []
    for g in grads:
        optimizer.zero_grad()
        p.grad = g
        optimizer.step()
        seen.append(p.data)
    return seen


# --- SGD ----------------------------------------------------------------------------------------


def test_sgd_steps_against_the_gradient():
    p = Value(1.0)
    # 1.0 - 0.1 * 0.5 = 0.95, then 0.95 - 0.1 * (-0.25) = 0.975
    assert two_steps(SGD([p], lr=0.1), p) == pytest.approx([0.95, 0.975])


def test_sgd_momentum_keeps_a_velocity():
    p = Value(1.0)
    # v1 = 0.5 -> p = 0.95; v2 = 0.9 * 0.5 - 0.25 = 0.2 -> p = 0.95 - 0.1 * 0.2 = 0.93
    assert two_steps(SGD([p], lr=0.1, momentum=0.9), p) == pytest.approx([0.95, 0.93])


def test_sgd_weight_decay_adds_a_multiple_of_the_weight_to_the_gradient():
    p = Value(1.0)
    # g1 = 0.5 + 0.1 * 1.0 = 0.6 -> 0.94; g2 = -0.25 + 0.1 * 0.94 = -0.156 -> 0.9556
    assert two_steps(SGD([p], lr=0.1, weight_decay=0.1), p) == pytest.approx([0.94, 0.9556])


def test_sgd_finds_the_bottom_of_a_parabola():
    p = Value(-4.0)
    opt = SGD([p], lr=0.1, momentum=0.5)
    for _ in range(100):
        loss = (p - 3.0) ** 2
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert p.data == pytest.approx(3.0, abs=1e-6)


# --- Adam ---------------------------------------------------------------------------------------


def test_adam_two_steps_by_hand():
    p = Value(1.0)
    lr, b1, b2, eps = 0.1, 0.9, 0.999, 1e-8
    # step 1, g = 0.5: m = 0.05, v = 0.00025; bias-corrected m_hat = 0.5, v_hat = 0.25
    after_1 = 1.0 - lr * 0.5 / (0.5 + eps)
    # step 2, g = -0.25: m = 0.9 * 0.05 - 0.1 * 0.25 = 0.02,
    #                    v = 0.999 * 0.00025 + 0.001 * 0.0625 = 0.00031225
    m_hat = 0.02 / (1 - b1**2)
    v_hat = 0.00031225 / (1 - b2**2)
    after_2 = after_1 - lr * m_hat / (math.sqrt(v_hat) + eps)
    got = two_steps(Adam([p], lr=lr, betas=(b1, b2), eps=eps), p)
    assert got == pytest.approx([after_1, after_2], rel=1e-12)


@pytest.mark.parametrize("grad", [1e-4, 1.0, 1e4])
def test_adam_first_step_is_about_lr_whatever_the_gradient_size(grad):
    p = Value(0.0)
    opt = Adam([p], lr=0.01)
    p.grad = grad
    opt.step()
    assert p.data == pytest.approx(-0.01, rel=1e-3)


def test_adam_weight_decay_is_decoupled_from_the_gradient():
    p = Value(2.0)
    opt = Adam([p], lr=0.1, weight_decay=0.1)
    # zero gradient: the Adam part moves nothing, the decay shrinks p by lr * wd = 1 %.
    assert two_steps(opt, p, grads=(0.0, 0.0)) == pytest.approx([1.98, 1.9602])
    # (coupled L2 would add wd * p = 0.2 to the gradient and Adam would step by ~lr = 0.1.)


def test_adam_finds_the_bottom_of_a_parabola():
    p = Value(-4.0)
    opt = Adam([p], lr=0.3)
    for k in range(500):
        opt.lr = 0.3 * 0.99**k  # Adam's steps are about lr long: shrink them to settle
        loss = (p - 3.0) ** 2
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert p.data == pytest.approx(3.0, abs=1e-3)


# --- what both share ----------------------------------------------------------------------------


@pytest.mark.parametrize("make", [lambda ps: SGD(ps, lr=0.1), lambda ps: Adam(ps)])
def test_zero_grad_clears_every_gradient(make):
    ps = [Value(1.0), Value(2.0)]
    opt = make(ps)
    for p in ps:
        p.grad = 3.0
    opt.zero_grad()
    assert [p.grad for p in ps] == [0.0, 0.0]


def test_a_generator_of_parameters_is_read_once_and_kept():
    ps = [Value(1.0), Value(2.0)]
    opt = SGD((p for p in ps), lr=1.0)
    for _ in range(2):
        for p in ps:
            p.grad = 1.0
        opt.step()
    assert [p.data for p in ps] == [-1.0, 0.0]


def test_parameters_must_be_a_non_empty_list_of_values():
    with pytest.raises(ValueError, match=r"SGD got no parameters \(an empty list\)"):
        SGD([], lr=0.1)
    with pytest.raises(TypeError, match="Adam must hold Values .* item 1 is float 2.0"):
        Adam([Value(1.0), 2.0])
    with pytest.raises(TypeError, match=r"for a single Value write \[v\]"):
        SGD(Value(1.0), lr=0.1)
    with pytest.raises(TypeError, match="SGD takes a list of Values .* got int 3"):
        SGD(3, lr=0.1)


@pytest.mark.parametrize(
    "make", [lambda ps: SGD(ps, 0.1), lambda ps: Adam(ps)], ids=["SGD", "Adam"]
)
def test_the_model_or_its_parameters_method_in_place_of_the_list_says_call_it(make):
    model = MLP(2, [3, 1], seed=0)
    with pytest.raises(TypeError, match=r"the method `parameters` itself.*model\.parameters\(\)"):
        make(model.parameters)
    with pytest.raises(TypeError, match=r"not the MLP itself: pass model\.parameters\(\)"):
        make(model)


@pytest.mark.parametrize("bad", [0, -0.1, math.inf, math.nan])
def test_non_positive_or_non_finite_lr_is_a_value_error(bad):
    with pytest.raises(ValueError, match="lr must be a positive, finite number"):
        SGD([Value(1.0)], lr=bad)
    opt = Adam([Value(1.0)], lr=0.01)
    with pytest.raises(ValueError, match="lr must be a positive, finite number"):
        opt.lr = bad
    assert opt.lr == 0.01  # unchanged after the refused assignment


@pytest.mark.parametrize(
    "bad, hint",
    [("abc", ""), (None, ""), (True, ": a bool is not a number here"),
     ([0.1], ": give a single number"), ("0.1", ": write the number without quotes, lr=0.1"),
     (Value(0.1), ": use its number, lr=v.data")],
)
def test_lr_that_is_not_a_number_is_a_type_error(bad, hint):
    with pytest.raises(TypeError) as error:
        SGD([Value(1.0)], lr=bad)
    assert str(error.value) == f"lr must be a positive, finite number, got {describe(bad)}{hint}"


def test_check_lr_is_the_shared_positive_check():
    assert check_lr(0.5) == 0.5 and check_lr(np.float32(0.25), "rate") == 0.25
    with pytest.raises(ValueError, match="rate must be a positive, finite number, got -1"):
        check_lr(-1, "rate")


def test_lr_can_be_changed_between_steps():
    p = Value(0.0)
    opt = SGD([p], lr=1.0)
    opt.lr = 0.5
    p.grad = 1.0
    opt.step()
    assert opt.lr == 0.5 and p.data == -0.5


def test_other_settings_are_checked():
    with pytest.raises(ValueError, match=r"momentum must be a number in \[0, 1\), got 1.0"):
        SGD([Value(1.0)], lr=0.1, momentum=1.0)
    with pytest.raises(TypeError, match=r"momentum must be a number in \[0, 1\), got str"):
        SGD([Value(1.0)], lr=0.1, momentum="0.9")
    with pytest.raises(ValueError, match="weight_decay must be a finite number >= 0"):
        SGD([Value(1.0)], lr=0.1, weight_decay=-1)
    with pytest.raises(ValueError, match=r"betas\[1\] must be a number in \[0, 1\)"):
        Adam([Value(1.0)], betas=(0.9, 1.5))
    with pytest.raises(TypeError, match=r"betas is a pair \(beta1, beta2\), e.g. betas=\(0.9"):
        Adam([Value(1.0)], betas=0.9)
    with pytest.raises(ValueError, match="eps must be a positive"):
        Adam([Value(1.0)], eps=0)


# --- schedules ----------------------------------------------------------------------------------


def test_linear_decay_reproduces_micrograds_demo_exactly():
    schedule = linear_decay(1.0, 0.1, 100)
    assert [schedule(k) for k in range(100)] == [1.0 - 0.9 * k / 100 for k in range(100)]
    assert schedule(100) == pytest.approx(0.1)
    assert schedule(500) == pytest.approx(0.1)  # flat after the end


def test_constant_schedule():
    assert {constant(0.3)(k) for k in (0, 1, 1000)} == {0.3}


def test_step_decay_drops_by_the_factor_every_n_steps():
    schedule = step_decay(0.8, 0.5, every=10)
    assert [schedule(k) for k in (0, 9, 10, 19, 20, 35)] == [0.8, 0.8, 0.4, 0.4, 0.2, 0.1]


def test_exponential_schedule():
    schedule = exponential(2.0, 0.9)
    assert [schedule(k) for k in (0, 1, 2)] == pytest.approx([2.0, 1.8, 1.62])


def test_cosine_schedule_goes_from_lr0_to_lr_min_along_half_a_cosine():
    schedule = cosine(1.0, 100, lr_min=0.2)
    assert schedule(0) == 1.0
    assert schedule(50) == pytest.approx(0.6)  # half way down
    assert schedule(25) == pytest.approx(0.2 + 0.8 * (1 + math.cos(math.pi / 4)) / 2)
    assert schedule(100) == pytest.approx(0.2) and schedule(200) == pytest.approx(0.2)
    lrs = [schedule(k) for k in range(101)]
    assert all(a >= b for a, b in zip(lrs, lrs[1:]))
    assert cosine(1.0, 10)(9) > 0  # default lr_min=0 stays positive until the last step


def test_schedules_check_their_arguments():
    with pytest.raises(ValueError, match="lr0 must be a positive"):
        linear_decay(0.0, 0.1, 100)
    with pytest.raises(ValueError, match="total_steps must be a whole number >= 1, got 0"):
        cosine(0.1, 0)
    with pytest.raises(TypeError, match="every must be a whole number >= 1, got float 2.5"):
        step_decay(0.1, 0.5, every=2.5)
    with pytest.raises(TypeError, match="lr must be a positive, finite number, got str 'fast'"):
        constant("fast")
    with pytest.raises(ValueError, match=r"step number \(0, 1, 2, ...\) must be a whole number"):
        exponential(1.0, 0.9)(-1)
    with pytest.raises(TypeError, match="step number"):
        linear_decay(1.0, 0.1, 10)(1.5)
