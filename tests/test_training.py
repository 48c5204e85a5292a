"""fit, EarlyStopping, predict and accuracy: the course's training runs, end to end."""

import math

import numpy as np
import pytest

from course.data import make_gaussians, make_moons, make_spiral, make_xor
from course.engine import Value
from course.losses import hinge, l2, mse
from course.nn import MLP, BatchNorm, Dropout, Layer, Sequential
from course.optim import SGD, Adam, constant, cosine, linear_decay
from course.training import EarlyStopping, History, accuracy, fit, predict, scores

LESSON_XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
LESSON_YS = [1.0, -1.0, -1.0, 1.0]


# --- the course's reference runs ----------------------------------------------------------------


def test_micrograd_demo_learns_the_moons():
    """Moons, MLP(2, [16, 16, 1]) relu, hinge + 1e-4 L2, SGD 1.0 -> 0.1, 100 full-batch steps."""
    X, y = make_moons(n=100, noise=0.1, seed=0)
    model = MLP(2, [16, 16, 1], activation="relu")
    history = fit(
        model, X, y, loss="hinge", l2=1e-4, schedule=linear_decay(1.0, 0.1, 100), steps=100
    )
    assert not history.diverged and len(history.step) == 100
    assert history.lr[0] == 1.0 and history.lr[-1] == pytest.approx(0.109)
    assert history.train_loss[-1] < history.train_loss[0] / 5
    assert accuracy(model, X, y) >= 0.97


def test_lesson_network_drives_the_summed_squared_error_below_001():
    """The lesson's loop written out: MLP(3, [4, 4, 1]), four examples, sum of squares."""
    model = MLP(3, [4, 4, 1])
    learning_rate = 0.05
    for _ in range(150):
        preds = [model(x) for x in LESSON_XS]  # 1. forward
        loss = mse(preds, LESSON_YS, reduction="sum")
        model.zero_grad()  # 2. zero the gradients
        loss.backward()  # 3. backward
        for p in model.parameters():  # 4. update
            p.data -= learning_rate * p.grad
    assert loss.data < 0.01


def test_fit_with_mse_solves_the_lesson_examples():
    model = MLP(3, [4, 4, 1])
    history = fit(model, LESSON_XS, LESSON_YS, loss="mse", lr=0.1, steps=150)
    final = mse([model(x) for x in LESSON_XS], LESSON_YS).data
    assert final < 0.01 < history.train_loss[0]
    assert predict(model, LESSON_XS).tolist() == [1, 0, 0, 1]


def test_xor_needs_a_hidden_layer():
    X, y = make_xor(n=60, noise=0.1, seed=0)
    hidden = MLP(2, [8, 1], activation="relu", seed=0)
    fit(hidden, X, y, loss="hinge", optimizer=Adam(hidden.parameters(), lr=0.05), steps=100)
    assert accuracy(hidden, X, y) >= 0.95

    linear = MLP(2, [1], activation="linear", seed=0)  # one neuron: a straight line
    fit(linear, X, y, loss="hinge", optimizer=Adam(linear.parameters(), lr=0.05), steps=100)
    assert accuracy(linear, X, y) <= 0.8  # at best 3 of the 4 quadrants


def test_fit_is_exactly_the_four_step_loop():
    X, y = make_moons(n=20, noise=0.1, seed=1)
    schedule = linear_decay(0.5, 0.1, 3)

    fitted = MLP(2, [4, 1], activation="relu", seed=3)
    fit(fitted, X, y, loss="hinge", l2=1e-3, schedule=schedule, steps=3)

    by_hand = MLP(2, [4, 1], activation="relu", seed=3)
    optimizer = SGD(by_hand.parameters(), lr=schedule(0))
    for k in range(3):
        optimizer.lr = schedule(k)
        loss = hinge([by_hand(x) for x in X], 2 * y - 1) + 1e-3 * l2(by_hand.parameters())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    fitted_data = [p.data for p in fitted.parameters()]
    assert fitted_data == pytest.approx([p.data for p in by_hand.parameters()], rel=1e-12)


# --- losses, batches, schedules, callbacks ------------------------------------------------------


def test_bce_on_gaussian_blobs():
    X, y = make_gaussians(n=60, noise=0.5, seed=0)
    model = MLP(2, [1], activation="linear", seed=0)
    history = fit(model, X, y, loss="bce", lr=0.5, steps=40)
    assert history.train_loss[-1] < history.train_loss[0]
    assert accuracy(model, X, y) >= 0.95


def test_cross_entropy_on_a_three_arm_spiral():
    X, y = make_spiral(n=30, noise=0.0, seed=0, classes=3)
    model = MLP(2, [8, 8, 3], activation="tanh", output_activation="linear", seed=0)
    history = fit(
        model, X, y, loss="cross_entropy", optimizer=Adam(model.parameters(), 0.05), steps=80
    )
    assert history.train_loss[-1] < history.train_loss[0] / 2
    assert predict(model, X).shape == (30,) and set(predict(model, X)) <= {0, 1, 2}
    assert accuracy(model, X, y) >= 0.75  # chance is 1/3


def test_mini_batches_are_shuffled_and_seeded():
    X, y = make_moons(n=50, noise=0.1, seed=0)
    seen_sizes = []

    def recording_mse(outputs, targets):
        seen_sizes.append(len(outputs))
        return mse(outputs, targets)

    def run(seed):
        model = MLP(2, [3, 1], seed=0)
        return fit(model, X, y, loss=recording_mse, lr=0.01, steps=8, batch_size=16, seed=seed)

    run(seed=0)
    assert seen_sizes == [16, 16, 16, 2] * 2  # two passes over 50 examples
    assert run(seed=0).train_loss == run(seed=0).train_loss
    assert run(seed=0).train_loss != run(seed=1).train_loss


def test_a_callable_loss_gets_the_labels_as_given():
    X, y = make_moons(n=10, noise=0.1, seed=0)
    received = []

    def loss(outputs, labels):
        received.append(np.asarray(labels).copy())
        return mse(outputs, labels)

    fit(MLP(2, [2, 1]), X, y, loss=loss, lr=0.1, steps=1)
    assert np.array_equal(received[0], y)


def test_history_records_every_step_and_the_schedule():
    X, y = make_moons(n=20, noise=0.1, seed=0)
    X_dev, y_dev = make_moons(n=10, noise=0.1, seed=1)
    schedule = linear_decay(0.3, 0.1, 5)
    history = fit(
        MLP(2, [4, 1], activation="relu"), X, y, X_dev=X_dev, y_dev=y_dev,
        schedule=schedule, steps=5,
    )  # fmt: skip
    assert history.step == [0, 1, 2, 3, 4]
    assert history.lr == [schedule(k) for k in range(5)]
    for name in ("train_loss", "dev_loss", "train_acc", "dev_acc"):
        assert len(getattr(history, name)) == 5
    assert all(0 <= a <= 1 for a in history.train_acc + history.dev_acc)
    assert history.dev_loss[history.best_step] == min(history.dev_loss)
    assert history.message.startswith("trained 5 steps")


def test_train_loss_is_the_data_loss_before_the_update_without_l2():
    X, y = make_moons(n=20, noise=0.1, seed=0)
    model = MLP(2, [4, 1], activation="relu", seed=1)
    before = hinge([model(x) for x in X], 2 * y - 1).data
    history = fit(model, X, y, loss="hinge", l2=0.5, lr=0.1, steps=2)
    assert history.train_loss[0] == pytest.approx(before)
    assert history.dev_loss == [] and history.best_step is None


def test_callback_sees_the_history_in_training_mode_and_can_stop():
    X, y = make_moons(n=10, noise=0.1, seed=0)
    model = MLP(2, [2, 1]).eval()
    modes = []

    def callback(history):
        modes.append(model.training)
        return history.step[-1] == 2

    history = fit(model, X, y, lr=0.1, steps=50, callback=callback)
    assert history.step == [0, 1, 2] and modes == [True, True, True]
    assert history.message == "stopped by the callback at step 2"
    assert model.training is False  # left in the mode it was in


def test_batchnorm_and_dropout_models_train_with_fit():
    X, y = make_gaussians(n=40, noise=0.5, seed=0)
    model = Sequential(
        Layer(2, 4, "linear", seed=1), BatchNorm(4), Dropout(0.1, seed=0), Layer(4, 1, "linear")
    )
    fit(model, X, y, loss="bce", lr=0.1, steps=30, batch_size=10)
    assert model.modules[1].running_mean != [0.0] * 4  # statistics were collected
    assert accuracy(model, X, y) >= 0.9


# --- early stopping -----------------------------------------------------------------------------


def test_early_stopping_counts_checks_without_improvement():
    p = Value(1.0)
    stopper = EarlyStopping(patience=2, min_delta=0.1)
    decisions = []
    for step, loss in enumerate([3.0, 2.0, 1.95, 2.5, 1.0]):
        p.data = float(step)
        decisions.append(stopper.update(loss, [p]))
    # 1.95 is not better than 2.0 by more than 0.1; 2.5 is worse: two checks, stop.
    assert decisions == [False, False, False, True, False]
    assert stopper.best_loss == 1.0  # the last call improved again and reset the count
    p.data = 99.0
    stopper.restore([p])
    assert p.data == 4.0


def test_early_stopping_restore_before_any_update_and_bad_settings():
    with pytest.raises(ValueError, match="nothing to restore"):
        EarlyStopping(patience=3).restore([Value(1.0)])
    with pytest.raises(ValueError, match="patience must be a whole number >= 1"):
        EarlyStopping(patience=0)
    stopper = EarlyStopping(patience=1)
    stopper.update(math.nan, [Value(1.0)])
    assert stopper.best_data is None  # a nan loss is never the best


def test_fit_with_early_stopping_restores_the_best_dev_parameters():
    X, y = make_moons(n=30, noise=0.35, seed=1)
    X_dev, y_dev = make_moons(n=40, noise=0.35, seed=2)
    model = MLP(2, [16, 16, 1], activation="relu", seed=0)
    snapshots = []
    history = fit(
        model, X, y, loss="bce", optimizer=Adam(model.parameters(), lr=0.05), steps=300,
        X_dev=X_dev, y_dev=y_dev, early_stopping=EarlyStopping(patience=5),
        callback=lambda h: snapshots.append([p.data for p in model.parameters()]),
    )  # fmt: skip
    assert history.stopped_early and len(history.step) < 300
    best = history.best_step
    assert history.dev_loss[best] == min(history.dev_loss)
    assert len(history.step) == best + 5 + 1  # stopped after 5 steps without improvement
    assert [p.data for p in model.parameters()] == snapshots[best]
    assert "stopped early" in history.message and f"at step {best}" in history.message


# --- divergence and errors ----------------------------------------------------------------------


def test_a_huge_learning_rate_ends_with_the_divergence_message():
    X, y = make_moons(n=20, noise=0.1, seed=0)
    model = MLP(2, [8, 1], activation="relu", seed=0)
    history = fit(model, X, y, loss="mse", lr=1e6, steps=100)
    assert history.diverged and len(history.step) < 100
    assert history.message.startswith(f"diverged at step {len(history.step)} with lr 1e+06")
    assert history.message.endswith("try a smaller learning rate")
    assert all(math.isfinite(v) for v in history.train_loss)
    with pytest.raises(FloatingPointError, match="diverged at step"):
        history.raise_if_diverged()
    History().raise_if_diverged()  # no divergence, no error


def test_fit_rejects_bad_settings_with_clear_messages():
    X, y = make_moons(n=10, noise=0.1, seed=0)
    model = MLP(2, [2, 1])
    with pytest.raises(ValueError, match=r"unknown loss 'hing'.*'hinge'.*'cross_entropy'"):
        fit(model, X, y, loss="hing", lr=0.1)
    with pytest.raises(ValueError, match="lr must be a positive, finite number"):
        fit(model, X, y, lr=-0.1)
    with pytest.raises(TypeError, match="lr must be a positive, finite number, got str 'abc'"):
        fit(model, X, y, lr="abc")
    with pytest.raises(ValueError, match="either an optimizer or lr"):
        fit(model, X, y, optimizer=SGD(model.parameters(), 0.1), lr=0.1)
    with pytest.raises(ValueError, match="needs a learning rate"):
        fit(model, X, y)
    with pytest.raises(ValueError, match="pass X_dev and y_dev"):
        fit(model, X, y, lr=0.1, early_stopping=EarlyStopping(3))
    with pytest.raises(ValueError, match="steps must be a whole number >= 1, got 0"):
        fit(model, X, y, lr=0.1, steps=0)
    with pytest.raises(TypeError, match="steps must be a whole number >= 1, got float 100.0"):
        fit(model, X, y, lr=0.1, steps=100.0)
    with pytest.raises(ValueError, match=r"batch_size \(None for the whole set\) must be"):
        fit(model, X, y, lr=0.1, batch_size=0)
    with pytest.raises(ValueError, match="l2 must be a finite number >= 0, got -0.1"):
        fit(model, X, y, lr=0.1, l2=-0.1)
    with pytest.raises(TypeError, match=r"loss is a name \('hinge', .*\) or a function, got int"):
        fit(model, X, y, lr=0.1, loss=2)
    with pytest.raises(ValueError, match="needs both X_dev and y_dev"):
        fit(model, X, y, lr=0.1, X_dev=X)
    with pytest.raises(ValueError, match="X_train has 10 rows and y_train 9 labels"):
        fit(model, X, y[:-1], lr=0.1)
    with pytest.raises(ValueError, match=r"'hinge' needs binary labels, 0/1 or -1/\+1"):
        fit(model, X, y + 5, loss="hinge", lr=0.1)


def test_nan_or_inf_in_the_data_names_the_rows():
    X, y = make_moons(n=30, noise=0.1, seed=0)
    X[[4, 17], 1] = [math.nan, math.inf]
    model = MLP(2, [2, 1], seed=0)
    with pytest.raises(ValueError, match=r"X_train has nan or inf in rows 4 and 17 \(counting from "
                                         r"0\): fix or drop.*np\.isfinite\(X_train\)\.all"):
        fit(model, X, y, lr=0.1)
    X_dev, y_dev = make_moons(n=10, noise=0.1, seed=1)
    y_dev = y_dev.astype(float)
    y_dev[3] = math.nan
    with pytest.raises(ValueError, match=r"y_dev has nan or inf in row 3"):
        fit(model, X[:4], y[:4], lr=0.1, X_dev=X_dev, y_dev=y_dev)
    with pytest.raises(ValueError, match=r"X has nan or inf in rows 4 and 17"):
        accuracy(model, X, y)
    assert all(math.isfinite(p.data) for p in model.parameters())  # nothing was trained


def test_many_bad_rows_are_counted_not_all_listed():
    X = np.zeros((40, 2))
    X[::2, 0] = math.nan
    with pytest.raises(ValueError, match=r"rows 0, 2, 4, 6, 8, \.\.\. \(20 in all\)"):
        fit(MLP(2, [1]), X, np.zeros(40, dtype=int), lr=0.1)


def test_a_model_left_with_nan_by_a_diverged_run_is_named_before_training():
    X, y = make_moons(n=10, noise=0.1, seed=0)
    model = MLP(2, [2, 1], seed=0)
    model.layers[0].neurons[1].w[0].data = math.nan
    history = fit(model, X, y, lr=0.1)
    assert history.diverged and history.step == []
    assert history.message == ("the model's parameter L0.n1.w0 is already nan before training (an "
                               "earlier run diverged?), so every loss would be nan: build a new "
                               "model")


def test_an_empty_dev_set_says_where_it_may_come_from():
    X, y = make_moons(n=10, noise=0.1, seed=0)
    with pytest.raises(ValueError, match=r"X_dev is empty \(0 rows\): .* at least one row \(or "
                                         r"leave X_dev and y_dev out\)"):
        fit(MLP(2, [1]), X, y, lr=0.1, X_dev=X[:0], y_dev=y[:0])


def test_early_stopping_must_be_an_early_stopping_object():
    X, y = make_moons(n=10, noise=0.1, seed=0)
    for dev in ({}, {"X_dev": X, "y_dev": y}):
        with pytest.raises(TypeError, match=r"early_stopping takes an EarlyStopping, e\.g\. "
                                            r"early_stopping=EarlyStopping\(patience=10\), with "
                                            r"X_dev and y_dev .* got bool True"):
            fit(MLP(2, [1]), X, y, lr=0.1, early_stopping=True, **dev)


def test_a_number_where_a_schedule_belongs_says_to_pass_lr():
    X, y = make_moons(n=10, noise=0.1, seed=0)
    with pytest.raises(TypeError, match=r"schedule is a function from the step number to a "
                                        r"learning rate.*pass lr= instead\. Got float 0\.1"):
        fit(MLP(2, [1]), X, y, schedule=0.1, steps=5)


def test_a_schedule_that_runs_out_before_the_last_step_is_refused_before_training():
    X, y = make_moons(n=10, noise=0.1, seed=0)
    model = MLP(2, [1], seed=0)
    before = [p.data for p in model.parameters()]
    with pytest.raises(ValueError, match=r"gives the learning rate 0\.0 at step 50, but each of "
                                         r"the 80 steps.*total_steps=80 or more"):
        fit(model, X, y, schedule=cosine(0.5, total_steps=50), steps=80)
    rates = [0.3, 0.2, 0.1]
    with pytest.raises(ValueError, match=r"the schedule ran out at step 3 \(IndexError: .*\), but "
                                         r"fit was asked for 5 steps.*steps=3"):
        fit(model, X, y, schedule=lambda k: rates[k], steps=5)
    assert [p.data for p in model.parameters()] == before  # refused before any step
    history = fit(model, X, y, schedule=lambda k: rates[k], steps=3)
    assert history.lr == rates


def test_float_labels_for_cross_entropy_are_refused_not_rounded():
    X, y = make_spiral(n=12, noise=0.0, seed=0, classes=3)
    model = MLP(2, [4, 3], output_activation="linear", seed=0)
    with pytest.raises(TypeError, match=r"cross_entropy needs class ids 0, 1, 2, \.\.\. as ints, "
                                        r"got float64 labels.*y\.astype\(int\)"):
        fit(model, X, y + 0.5, loss="cross_entropy", lr=0.1)
    with pytest.raises(TypeError, match="as ints, got float64 labels"):
        fit(model, X, y.astype(float), loss="cross_entropy", lr=0.1, steps=1)


def test_accuracy_of_a_several_output_model_needs_class_ids():
    X, y = make_moons(n=10, noise=0.1, seed=0)
    two_outputs = MLP(2, [3, 2], output_activation="linear", seed=0)
    with pytest.raises(ValueError, match=r"a model with 2 outputs needs class ids 0\.\.1 as "
                                         r"labels; got -1 in row \d+ \(-1/\+1 labels are for a "
                                         r"model with one output\)"):
        accuracy(two_outputs, X, 2 * y - 1)
    assert 0 <= accuracy(two_outputs, X, y) <= 1
    with pytest.raises(ValueError, match=r"one output needs labels 0/1 or -1/\+1.*\[0 1 2\]"):
        accuracy(MLP(2, [1]), X[:3], [0, 1, 2])
    with pytest.raises(ValueError, match="got 10 examples but 9 labels"):
        accuracy(two_outputs, X, y[:-1])


def test_scores_wants_rows_and_fit_wants_a_model_and_a_made_optimizer():
    X, y = make_moons(n=10, noise=0.1, seed=0)
    model = MLP(2, [2, 1], seed=0)
    with pytest.raises(ValueError, match=r"X must be a 2-D array, one row per example, got shape "
                                         r"\(2,\); for a single example x use \[x\]"):
        scores(model, X[0])
    with pytest.raises(TypeError, match="fit trains a model built from course.nn .* got list"):
        fit(model.parameters(), X, y, lr=0.1)
    with pytest.raises(TypeError, match=r"optimizer is the class SGD itself: create one first, "
                                        r"e\.g\. optimizer=SGD\(model\.parameters\(\), lr=0\.1\)"):
        fit(model, X, y, optimizer=SGD)
    with pytest.raises(TypeError, match=r"y_train must be a list or 1-D array of numbers \(class "
                                        r"labels\), got list \[Value\(data=1"):
        fit(model, X, [Value(1.0)] * 10, lr=0.1)
    with pytest.raises(TypeError, match="y must be a list or 1-D array of numbers"):
        accuracy(model, X, [Value(1.0)] * 10)
    with pytest.raises(ValueError, match=r"y_train must be 1-D, .* shape \(10, 1\); .*y\.ravel"):
        fit(model, X, y.reshape(-1, 1), lr=0.1)


def test_fit_with_the_wrong_number_of_inputs_says_so():
    X, y = make_moons(n=10, noise=0.1, seed=0)
    with pytest.raises(ValueError, match="MLP expects 3 inputs, got 2"):
        fit(MLP(3, [2, 1]), X, y, lr=0.1)


def test_a_schedule_alone_sets_the_learning_rate():
    X, y = make_moons(n=10, noise=0.1, seed=0)
    history = fit(MLP(2, [2, 1]), X, y, schedule=constant(0.2), steps=2)
    assert history.lr == [0.2, 0.2]


# --- predict, scores, accuracy ------------------------------------------------------------------


def test_predict_thresholds_one_output_at_zero_and_takes_the_argmax_of_several():
    line = MLP(1, [1], activation="linear")
    line.layers[0].neurons[0].w[0].data, line.layers[0].neurons[0].b.data = 1.0, -0.5
    X = [[-2.0], [0.4], [0.6], [3.0]]
    assert scores(line, X).tolist() == pytest.approx([-2.5, -0.1, 0.1, 2.5])
    assert predict(line, X).tolist() == [0, 0, 1, 1]
    assert accuracy(line, X, [0, 0, 1, 0]) == 0.75
    assert accuracy(line, X, [-1, -1, 1, -1]) == 0.75  # -1/+1 labels work the same

    three = Layer(1, 3, "linear")
    for neuron, w in zip(three.neurons, (-1.0, 0.0, 1.0)):
        neuron.w[0].data = w
    assert predict(three, [[-2.0], [2.0]]).tolist() == [0, 2]


def test_accuracy_uses_eval_mode_and_restores_training_mode():
    model = Sequential(Layer(2, 8, "relu", seed=0), Dropout(0.9, seed=0), Layer(8, 1, "linear"))
    X, _ = make_moons(n=20, noise=0.1, seed=0)
    first = scores(model, X)
    assert np.array_equal(first, scores(model, X))  # no dropout noise
    assert model.training
