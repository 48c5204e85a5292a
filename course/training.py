"""Training a model: the four-step loop in ``fit``, early stopping, and measuring accuracy.

``fit`` is for classification. ``y`` holds class labels: 0/1 (or -1/+1) for one output, class
ids 0..K-1 for a model with K outputs. Each built-in loss gets its targets in the form it
expects: hinge and mse get -1/+1, bce gets 0/1, cross_entropy gets the class ids. A model with
one output predicts class 1 where its score is positive.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np

from course import checks, losses
from course.data import batches
from course.engine import Value
from course.nn import Module
from course.optim import SGD, Schedule

LossFunction = Callable[[list, np.ndarray], Value]

LOSS_NAMES = ("hinge", "mse", "bce", "cross_entropy")


# ----------------------------------------------------------------------------------------------
# Predictions and accuracy
# ----------------------------------------------------------------------------------------------


def _outputs_as_array(outputs: list) -> np.ndarray:
    """Model outputs as numbers: shape (n,) for one output per example, (n, K) for K."""
    if isinstance(outputs[0], Value):
        return np.array([out.data for out in outputs])
    return np.array([[v.data for v in row] for row in outputs])


def _classes_from_outputs(values: np.ndarray) -> np.ndarray:
    if values.ndim == 1:
        return (values > 0).astype(np.int64)  # one score: positive means class 1
    return values.argmax(axis=1)  # several: the class with the largest score


def _check_class_labels(values: np.ndarray, y: np.ndarray) -> None:
    """Labels accuracy can be measured against: 0/1 or -1/+1 for one output, 0..K-1 for K."""
    if len(y) != len(values):
        raise ValueError(f"got {len(values)} examples but {len(y)} labels")
    if values.ndim == 1:
        if not (np.isin(y, (0, 1)).all() or np.isin(y, (-1, 1)).all()):
            raise ValueError(
                "a model with one output needs labels 0/1 or -1/+1 to measure accuracy; got "
                f"values {np.unique(y)}"
            )
        return
    num_classes = values.shape[1]
    wrong = np.flatnonzero(~np.isin(y, np.arange(num_classes)))
    if wrong.size:
        hint = " (-1/+1 labels are for a model with one output)" if -1 in y else ""
        raise ValueError(
            f"a model with {num_classes} outputs needs class ids 0..{num_classes - 1} as labels; "
            f"got {y[wrong[0]]} in row {wrong[0]}{hint}"
        )


def _accuracy_of_outputs(values: np.ndarray, y: np.ndarray) -> float:
    _check_class_labels(values, y)
    truth = (y > 0).astype(np.int64) if values.ndim == 1 else y  # -1/+1 and 0/1 alike
    return float(np.mean(_classes_from_outputs(values) == truth))


def scores(model: Module, X: object) -> np.ndarray:
    """The model's raw outputs for every row of X, in evaluation mode, as a NumPy array."""
    rows = checks.examples(X, "X").tolist()
    was_training = model.training
    model.eval()
    try:
        return _outputs_as_array(model.forward_batch(rows))
    finally:
        model.train(was_training)


def predict(model: Module, X: object) -> np.ndarray:
    """The predicted class of every row of X: 0/1 for one output, the argmax for several."""
    return _classes_from_outputs(scores(model, X))


def accuracy(model: Module, X: object, y: object) -> float:
    """The fraction of examples the model classifies correctly (labels 0/1, -1/+1 or ids)."""
    return _accuracy_of_outputs(scores(model, X), checks.labels(y, "y"))


# ----------------------------------------------------------------------------------------------
# Early stopping
# ----------------------------------------------------------------------------------------------


class EarlyStopping:
    """Stop training once the dev loss has not improved for ``patience`` checks in a row.

    Training longer keeps lowering the training loss, but past some point the model starts
    fitting the noise of its training examples and the dev loss rises again. EarlyStopping
    remembers the parameters from the best dev loss so far (a copy of their numbers) and
    ``restore`` puts them back. An improvement must beat the best loss by more than
    ``min_delta``.
    """

    def __init__(self, patience: int = 10, min_delta: float = 0.0) -> None:
        self.patience = checks.whole_number(patience, "patience", low=1)
        self.min_delta = checks.non_negative(min_delta, "min_delta")
        self.best_loss = math.inf
        self.best_data: list[float] | None = None
        self.checks_since_best = 0

    def update(self, dev_loss: float, params: Iterable[Value]) -> bool:
        """Record one dev loss; return True when training should stop."""
        if dev_loss < self.best_loss - self.min_delta:  # a nan loss is never an improvement
            self.best_loss = float(dev_loss)
            self.best_data = [p.data for p in params]
            self.checks_since_best = 0
        else:
            self.checks_since_best += 1
        return self.checks_since_best >= self.patience

    def restore(self, params: Iterable[Value]) -> None:
        """Put the best parameters seen by ``update`` back into ``params``."""
        params = list(params)
        if self.best_data is None:
            raise ValueError("nothing to restore: update() has not seen a finite dev loss yet")
        if len(params) != len(self.best_data):
            raise ValueError(
                f"restore got {len(params)} parameters but saved {len(self.best_data)}"
            )
        for p, best in zip(params, self.best_data):
            p.data = best


# ----------------------------------------------------------------------------------------------
# History: what fit returns
# ----------------------------------------------------------------------------------------------


@dataclass
class History:
    """Everything ``fit`` measured, one list entry per step, ready to plot.

    ``train_loss`` and ``train_acc`` are measured on the step's batch, in the same forward
    pass that computes the gradients (before that step's update); ``train_loss`` is the data
    loss without the L2 penalty, so it compares directly with ``dev_loss``. The dev lists
    stay empty when no dev set is given. ``best_step`` is the step with the lowest dev loss.
    """

    step: list[int] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    dev_loss: list[float] = field(default_factory=list)
    train_acc: list[float] = field(default_factory=list)
    dev_acc: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    stopped_early: bool = False
    best_step: int | None = None
    diverged: bool = False
    message: str = ""

    def raise_if_diverged(self) -> None:
        """Raise FloatingPointError with the message if training diverged (for scripts)."""
        if self.diverged:
            raise FloatingPointError(self.message)


# ----------------------------------------------------------------------------------------------
# fit
# ----------------------------------------------------------------------------------------------


def _as_dataset(X: object, y: object, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Checked examples and labels: a 2-D X of finite numbers and one finite label per row."""
    if np.size(X) == 0:
        leave_out = " (or leave X_dev and y_dev out)" if name == "dev" else ""
        raise ValueError(f"X_{name} is empty (0 rows): training and measuring need examples; "
                         f"pass a set with at least one row{leave_out}")
    X, y = checks.examples(X, f"X_{name}"), checks.labels(y, f"y_{name}")
    if len(X) != len(y):
        raise ValueError(f"X_{name} has {len(X)} rows and y_{name} {len(y)} labels")
    return X, y


def _binary_targets(y: np.ndarray, loss: str, positive: int, negative: int) -> np.ndarray:
    """Binary labels (0/1 or -1/+1) as the two target values a loss expects."""
    if not np.isin(y, (0, 1)).all() and not np.isin(y, (-1, 1)).all():
        raise ValueError(
            f"loss {loss!r} needs binary labels, 0/1 or -1/+1; got values {np.unique(y)}"
        )
    return np.where(y > 0, positive, negative)


def loss_and_targets(loss: str | LossFunction) -> tuple[LossFunction, Callable]:
    """The loss function, and how to turn labels into the targets it expects."""
    if callable(loss):
        return loss, np.asarray  # a custom loss gets the labels as they are
    if loss == "hinge":
        return losses.hinge, lambda y: _binary_targets(y, "hinge", 1, -1)
    if loss == "mse":
        return losses.mse, lambda y: _binary_targets(y, "mse", 1, -1)
    if loss == "bce":
        return losses.binary_cross_entropy, lambda y: _binary_targets(y, "bce", 1, 0)
    if loss == "cross_entropy":
        return losses.cross_entropy, _class_ids
    valid = ", ".join(repr(name) for name in LOSS_NAMES)
    if not isinstance(loss, str):
        raise TypeError(f"loss is a name ({valid}) or a function, got {checks.describe(loss)}")
    raise ValueError(f"unknown loss {loss!r}; choose one of {valid}, or pass a function")


def _class_ids(y: np.ndarray) -> np.ndarray:
    """Labels for cross_entropy: whole numbers, kept as ints (never rounded from floats)."""
    y = np.asarray(y)
    if y.dtype.kind not in "iu":
        raise TypeError(
            f"cross_entropy needs class ids 0, 1, 2, ... as ints, got {y.dtype} labels such as "
            f"{y.flat[0]}; if they are whole numbers pass y.astype(int)"
        )
    return y.astype(np.int64)


def _check_model(model: object) -> None:
    if not all(callable(getattr(model, m, None)) for m in ("parameters", "forward_batch", "train")):
        raise TypeError(
            f"fit trains a model built from course.nn (an MLP, a Layer, a Sequential...), got "
            f"{checks.describe(model)}"
        )


def _broken_parameter(params: list[Value]) -> str:
    """What to say if a parameter is already nan or inf (left so by an earlier run), else ""."""
    for p in params:
        if not math.isfinite(p.data):
            return (f"the model's parameter {p.label or '?'} is already {p.data} before training "
                    "(an earlier run diverged?), so every loss would be nan: build a new model")
    return ""


def _check_settings(steps: object, batch_size: object, l2: object, early_stopping: object) -> int:
    steps = checks.whole_number(steps, "steps", low=1)
    if batch_size is not None:
        checks.whole_number(batch_size, "batch_size (None for the whole set)", low=1)
    checks.non_negative(l2, "l2")
    if early_stopping is not None and not isinstance(early_stopping, EarlyStopping):
        raise TypeError(
            "early_stopping takes an EarlyStopping, e.g. early_stopping=EarlyStopping(patience="
            f"10), with X_dev and y_dev for it to watch; got {checks.describe(early_stopping)}"
        )
    return steps


def _schedule_rates(schedule: object, steps: int) -> list[float]:
    """The schedule's learning rate at every step, checked before the first step is taken."""
    if not callable(schedule):
        raise TypeError(
            "schedule is a function from the step number to a learning rate, e.g. "
            f"schedule=linear_decay(1.0, 0.1, {steps}); for one fixed rate pass lr= instead. "
            f"Got {checks.describe(schedule)}"
        )
    rates = []
    for step in range(steps):
        try:
            lr = schedule(step)
        except (IndexError, KeyError) as error:
            raise ValueError(
                f"the schedule ran out at step {step} ({type(error).__name__}: {error}), but fit "
                f"was asked for {steps} steps: make it cover them all, or pass steps={step}"
            ) from None
        if isinstance(lr, bool) or not isinstance(lr, numbers.Real) or not 0 < lr < math.inf:
            ran_out = (f". A schedule that reaches 0 at its end runs out there: give it "
                       f"total_steps={steps} or more (or lr_min > 0)") if step else ""
            raise ValueError(
                f"the schedule gives the learning rate {lr!r} at step {step}, but each of the "
                f"{steps} steps needs a positive, finite number{ran_out}"
            )
        rates.append(float(lr))
    return rates


def _make_optimizer(optimizer: object, lr: float | None, rates: list[float] | None, params):
    if optimizer is not None:
        if lr is not None:
            raise ValueError("give fit either an optimizer or lr, not both")
        if isinstance(optimizer, type):
            raise TypeError(
                f"optimizer is the class {optimizer.__name__} itself: create one first, e.g. "
                f"optimizer={optimizer.__name__}(model.parameters(), lr=0.1)"
            )
        if not (hasattr(optimizer, "step") and hasattr(optimizer, "zero_grad")):
            raise TypeError(
                f"optimizer needs step() and zero_grad(), got {checks.describe(optimizer)}"
            )
        return optimizer
    if lr is None:
        if rates is None:
            raise ValueError("fit needs a learning rate: pass lr=..., a schedule or an optimizer")
        lr = rates[0]
    return SGD(params, lr=lr)


def _batch_stream(
    X: np.ndarray, targets: np.ndarray, batch_size: int | None, seed: int
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Batches forever: the whole set each time, or shuffled mini-batches epoch after epoch."""
    if batch_size is None:
        while True:
            yield X, targets
    epoch_seeds = np.random.default_rng(seed)
    while True:
        yield from batches(X, targets, batch_size, seed=int(epoch_seeds.integers(2**31)))


def _evaluate(model: Module, X: np.ndarray, targets: np.ndarray, loss_fn) -> tuple[float, float]:
    """Loss and accuracy on a whole set, in evaluation mode (no dropout, running statistics)."""
    was_training = model.training
    model.eval()
    try:
        outputs = model.forward_batch(X.tolist())
        return loss_fn(outputs, targets).data, _accuracy_of_outputs(
            _outputs_as_array(outputs), targets
        )
    finally:
        model.train(was_training)


def fit(
    model: Module,
    X_train: object,
    y_train: object,
    *,
    loss: str | LossFunction = "hinge",
    optimizer: object = None,
    lr: float | None = None,
    steps: int = 100,
    batch_size: int | None = None,
    X_dev: object = None,
    y_dev: object = None,
    l2: float = 0.0,
    schedule: Schedule | None = None,
    early_stopping: EarlyStopping | None = None,
    seed: int = 0,
    callback: Callable[[History], object] | None = None,
) -> History:
    """Train ``model`` on (X_train, y_train) for ``steps`` steps and return a :class:`History`.

    Each step: forward pass, zero the gradients, backward pass, update. Options:

    * ``loss``: "hinge", "mse", "bce" (binary cross-entropy from logits), "cross_entropy",
      or a function ``loss(outputs, y_batch) -> Value``.
    * ``optimizer`` (e.g. ``Adam(model.parameters(), lr=0.01)``), or ``lr`` for plain SGD.
    * ``batch_size``: None trains on the whole training set at every step; a number uses
      shuffled mini-batches of that size (shuffled with ``seed``).
    * ``X_dev, y_dev``: a dev set, evaluated before every update (loss without L2).
    * ``l2``: adds ``l2 * sum(p**2)`` to the loss that is minimised.
    * ``schedule``: a function step -> learning rate (see ``course.optim``), applied every step.
    * ``early_stopping``: an :class:`EarlyStopping` watching the dev loss; at the end of
      training the parameters with the best dev loss are put back.
    * ``callback(history)``: called after every step is recorded; return True to stop.

    Mistakes are refused before the first step, with a message that says what to change: nan
    or inf in the data (the rows are named), labels that do not suit the loss, a schedule that
    runs out before ``steps``.

    If the loss becomes inf or nan, training stops there and the history says so
    (``diverged=True`` and a message suggesting a smaller learning rate), rather than raising,
    so that an interactive plot can show what happened; ``history.raise_if_diverged()``
    turns it into an exception. A model whose parameters are already nan (from an earlier run)
    is reported the same way, before any step. The model is left in the mode it was in.
    """
    _check_model(model)
    X_train, y_train = _as_dataset(X_train, y_train, "train")
    loss_fn, to_targets = loss_and_targets(loss)
    targets_train = to_targets(y_train)
    has_dev = X_dev is not None or y_dev is not None
    if (X_dev is None) != (y_dev is None):
        raise ValueError("a dev set needs both X_dev and y_dev")
    if has_dev:
        X_dev, y_dev = _as_dataset(X_dev, y_dev, "dev")
        targets_dev = to_targets(y_dev)
    steps = _check_settings(steps, batch_size, l2, early_stopping)
    if early_stopping is not None and not has_dev:
        raise ValueError("early_stopping watches the dev loss: pass X_dev and y_dev too")
    rates = None if schedule is None else _schedule_rates(schedule, steps)

    params = model.parameters()
    optimizer = _make_optimizer(optimizer, lr, rates, params)
    batch_stream = _batch_stream(X_train, targets_train, batch_size, seed)
    history = History(message=_broken_parameter(params))
    if history.message:
        history.diverged = True
        return history

    was_training = model.training
    model.train()
    try:
        for step in range(steps):
            if rates is not None:
                optimizer.lr = rates[step]
            X_batch, targets_batch = next(batch_stream)

            # 1. Forward pass: run the batch through the model and measure the loss.
            outputs = model.forward_batch(X_batch.tolist())
            data_loss = loss_fn(outputs, targets_batch)
            total_loss = data_loss + l2 * losses.l2(params) if l2 else data_loss

            if not math.isfinite(total_loss.data):
                history.diverged = True
                history.message = (
                    f"diverged at step {step} with lr {optimizer.lr:g}: the loss became "
                    f"{total_loss.data}; try a smaller learning rate"
                )
                break
            _record(history, step, data_loss, outputs, targets_batch, optimizer.lr)
            if has_dev:
                dev_loss, dev_acc = _evaluate(model, X_dev, targets_dev, loss_fn)
                if _record_dev(history, step, dev_loss, dev_acc, early_stopping, params):
                    history.stopped_early = True
                    break
            if callback is not None and callback(history):
                history.message = f"stopped by the callback at step {step}"
                break

            # 2. Zero the gradients: backward() adds to them, so clear last step's first.
            optimizer.zero_grad()
            # 3. Backward pass: every parameter gets d(loss)/d(parameter) in .grad.
            total_loss.backward()
            # 4. Update: every parameter takes a small step downhill.
            optimizer.step()
    finally:
        model.train(was_training)

    if early_stopping is not None and early_stopping.best_data is not None:
        early_stopping.restore(params)
    if not history.message:
        history.message = _summary(history, early_stopping)
    return history


def _record(history: History, step: int, loss: Value, outputs: list, targets, lr: float) -> None:
    history.step.append(step)
    history.train_loss.append(loss.data)
    history.train_acc.append(_accuracy_of_outputs(_outputs_as_array(outputs), targets))
    history.lr.append(lr)


def _record_dev(
    history: History,
    step: int,
    dev_loss: float,
    dev_acc: float,
    early_stopping: EarlyStopping | None,
    params: list[Value],
) -> bool:
    """Record the dev metrics and the best step so far; True if early stopping says stop."""
    history.dev_loss.append(dev_loss)
    history.dev_acc.append(dev_acc)
    if early_stopping is None:
        if history.best_step is None or dev_loss < min(history.dev_loss[:-1]):
            history.best_step = step
        return False
    should_stop = early_stopping.update(dev_loss, params)
    if early_stopping.checks_since_best == 0:  # this step is the new best (and was saved)
        history.best_step = step
    return should_stop


def _summary(history: History, early_stopping: EarlyStopping | None) -> str:
    last = len(history.step) - 1
    text = (
        f"trained {len(history.step)} steps: train loss {history.train_loss[last]:.4g}, "
        f"train accuracy {history.train_acc[last]:.1%}"
    )
    if history.dev_loss:
        best = history.step.index(history.best_step)
        text += f"; best dev loss {history.dev_loss[best]:.4g} at step {history.best_step}"
    if history.stopped_early:
        text = (
            f"stopped early at step {history.step[last]}, the dev loss not having improved "
            f"for {early_stopping.patience} steps; " + text
        )
    if early_stopping is not None and early_stopping.best_data is not None:
        text += " (parameters restored from that step)"
    return text
