"""Loss functions: one Value that says how wrong a batch of predictions is.

Each loss is built from ordinary Value operations, so ``loss.backward()`` sends gradients to
every parameter that produced the predictions. All of them take a whole batch (one prediction
and one target per example) and, except ``mse(..., reduction="sum")``, return the mean over
the examples, so the size of the loss does not depend on the size of the batch.

Targets and labels are constants: the number the prediction should reach. A target given as a
Value counts with its number (``.data``) and gets no gradient.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence

from course import checks
from course.engine import Value

REDUCTIONS = ("mean", "sum")


# ----------------------------------------------------------------------------------------------
# Checking and lining up the inputs
# ----------------------------------------------------------------------------------------------


def _as_list(x: object, what: str, loss: str) -> list:
    """A single prediction or target as a list of one; a sequence or NumPy array as a list."""
    if isinstance(x, (Value, numbers.Real)):
        return [x]
    if isinstance(x, str) or not isinstance(x, Iterable):
        raise TypeError(f"{loss} takes a list of {what}, got {checks.describe(x)}")
    return list(x)


def _as_value(x: object, loss: str) -> Value:
    if isinstance(x, Value):
        return x
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        return Value(x)
    raise TypeError(f"{loss} takes one number (a Value) per example, got {checks.describe(x)}")


def _target(t: object, loss: str, position: int) -> float:
    """A target as a plain number: a Value gives its .data (a target is a constant)."""
    if isinstance(t, Value):
        return t.data
    if isinstance(t, numbers.Real) or type(t).__name__ == "bool_":  # NumPy's bool too: 0/1
        return float(t)
    raise TypeError(
        f"{loss} takes one number per target, got {checks.describe(t)} at position {position}"
    )


def _pair_up(
    preds: object, targets: object, loss: str, what: str = "predictions"
) -> list[tuple[Value, float]]:
    """(prediction, target) pairs, after checking both sides are non-empty and equally long."""
    preds, targets = _as_list(preds, what, loss), _as_list(targets, "targets", loss)
    if len(preds) != len(targets):
        raise ValueError(f"{loss} got {len(preds)} {what} but {len(targets)} targets")
    if not preds:
        raise ValueError(f"{loss} needs at least one example, got none")
    pairs = enumerate(zip(preds, targets))
    return [(_as_value(p, loss), _target(t, loss, i)) for i, (p, t) in pairs]


def _check_labels(pairs: list[tuple[Value, float]], allowed: tuple[float, ...], loss: str) -> None:
    for i, (_, label) in enumerate(pairs):
        if label not in allowed:
            shown = " or ".join(f"{a:+g}" if -1 in allowed else f"{a:g}" for a in allowed)
            hint = " (course.data.to_pm1 turns 0/1 labels into -1/+1)" if -1 in allowed else ""
            raise ValueError(f"{loss} labels must be {shown}, got {label:g} at position {i}{hint}")


def _sum(values: Sequence[Value]) -> Value:
    """Add up Values without the extra constant node that ``sum()``'s starting 0 would add."""
    total = values[0]
    for v in values[1:]:
        total = total + v
    return total


def _mean(values: Sequence[Value]) -> Value:
    return _sum(values) * (1.0 / len(values))


# ----------------------------------------------------------------------------------------------
# Regression: squared error
# ----------------------------------------------------------------------------------------------


def mse(preds: object, targets: object, reduction: str = "mean") -> Value:
    """Mean squared error: the average of (prediction - target)**2 over the examples.

    Squaring makes every miss count as positive and big misses count much more than small
    ones. ``reduction="sum"`` adds the squares up instead of averaging them, as the first
    training-loop lesson does; the gradients are then n times larger for n examples.
    """
    checks.one_of(reduction, "reduction", REDUCTIONS)
    squares = [(p - t) ** 2 for p, t in _pair_up(preds, targets, "mse")]
    return _mean(squares) if reduction == "mean" else _sum(squares)


# ----------------------------------------------------------------------------------------------
# Binary classification: hinge and binary cross-entropy
# ----------------------------------------------------------------------------------------------


def hinge(scores: object, labels: object) -> Value:
    """Max-margin loss: the mean of relu(1 - label * score), with labels -1 or +1.

    An example costs nothing once its score has the right sign *and* a margin of at least 1;
    otherwise it costs how far it is from that. The loss of micrograd's moons demo.
    """
    pairs = _pair_up(scores, labels, "hinge", what="scores")
    _check_labels(pairs, (-1.0, 1.0), "hinge")
    return _mean([(1.0 - y * s).relu() for s, y in pairs])


def binary_cross_entropy(logits: object, labels: object) -> Value:
    """Binary cross-entropy computed from logits (raw scores), with labels 0 or 1.

    With p = sigmoid(z), the loss of one example is -[y*log(p) + (1-y)*log(1-p)]. Taking
    sigmoid then log loses precision and overflows for large |z|, so it is rewritten as

        max(z, 0) - z*y + log(1 + exp(-|z|))

    where exp only ever sees a number <= 0. Its gradient is simply sigmoid(z) - y.
    """
    pairs = _pair_up(logits, labels, "binary_cross_entropy", what="logits")
    _check_labels(pairs, (0.0, 1.0), "binary_cross_entropy")
    terms = []
    for z, y in pairs:
        if z.data > 0:  # max(z, 0) = z and -|z| = -z
            terms.append(z * (1.0 - y) + (1.0 + (-z).exp()).log())
        else:  # max(z, 0) = 0 and -|z| = z
            terms.append((1.0 + z.exp()).log() - z * y)
    return _mean(terms)


# ----------------------------------------------------------------------------------------------
# Several classes: softmax and cross-entropy
# ----------------------------------------------------------------------------------------------


def _logits(logits: object, what: str) -> list[Value]:
    values = [_as_value(z, what) for z in _as_list(logits, "logits", what)]
    if not values:
        raise ValueError(f"{what} needs at least one logit, got none")
    return values


def _shifted(values: list[Value]) -> list[Value]:
    """z_i - max(z): the same probabilities, but exp() can no longer overflow.

    The largest score is subtracted as a plain number, so it adds no gradient path.
    """
    largest = max(v.data for v in values)
    return [v - largest for v in values]


def softmax(logits: object) -> list[Value]:
    """Turn scores into probabilities: exp(z_i) / sum_j exp(z_j).

    Subtracting the largest score first leaves the result unchanged but keeps exp() from
    overflowing, so logits of +-1000 give probabilities, never nan.
    """
    exps = [s.exp() for s in _shifted(_logits(logits, "softmax"))]
    total = _sum(exps)
    return [e / total for e in exps]


def _log_softmax_values(values: list[Value]) -> list[Value]:
    shifted = _shifted(values)
    log_sum_exp = _sum([s.exp() for s in shifted]).log()
    return [s - log_sum_exp for s in shifted]


def log_softmax(logits: object) -> list[Value]:
    """The logarithms of softmax(logits), computed without ever taking log(0).

    log(exp(z_i) / sum_j exp(z_j)) = (z_i - m) - log(sum_j exp(z_j - m)) with m = max(z).
    log(softmax(z)) would give -inf once a probability rounds to 0 (a logit 1000 below the
    largest); this form gives the exact -1000.
    """
    return _log_softmax_values(_logits(logits, "log_softmax"))


def _class_id(label: object, num_classes: int, position: int) -> int:
    if isinstance(label, bool) or not isinstance(label, numbers.Integral):
        raise TypeError(
            f"cross_entropy labels are class ids, whole numbers 0..{num_classes - 1}; got "
            f"{checks.describe(label)} at position {position}. Pass ints, e.g. y.astype(int)"
        )
    if not 0 <= label < num_classes:
        raise ValueError(
            f"cross_entropy label {label} at position {position} is not a class id: "
            f"there are {num_classes} logits, so labels must be 0..{num_classes - 1}"
        )
    return int(label)


def _cross_entropy_one(logits: object, label: object, position: int) -> Value:
    """-log(softmax(logits)[label]), from log_softmax: stable for logits of any size."""
    values = [_as_value(z, "cross_entropy") for z in _as_list(logits, "logits", "cross_entropy")]
    if not values:
        raise ValueError("cross_entropy needs at least one logit per example, got none")
    label = _class_id(label, len(values), position)
    return -_log_softmax_values(values)[label]


def cross_entropy(logits: object, labels: object) -> Value:
    """Cross-entropy of class scores: -log(probability the softmax gives the right class).

    Two forms:

    * one example: ``cross_entropy([z0, z1, z2], 2)``: a list of logits and one class id;
    * a batch: ``cross_entropy([[z0, z1, z2], ...], [2, ...])``: one list of logits and one
      class id per example; the result is the mean over the batch.

    The form is chosen by ``labels``: a single number means one example.
    """
    if isinstance(labels, numbers.Real):  # one example (a label that is not an int is refused)
        return _cross_entropy_one(logits, labels, 0)
    rows = _as_list(logits, "rows of logits", "cross_entropy")
    labels = _as_list(labels, "labels", "cross_entropy")
    if len(rows) != len(labels):
        raise ValueError(f"cross_entropy got {len(rows)} rows of logits but {len(labels)} labels")
    if not rows:
        raise ValueError("cross_entropy needs at least one example, got none")
    return _mean([_cross_entropy_one(z, y, i) for i, (z, y) in enumerate(zip(rows, labels))])


# ----------------------------------------------------------------------------------------------
# Regularisation
# ----------------------------------------------------------------------------------------------


def l2(params: Iterable[Value]) -> Value:
    """The sum of squares of the parameters: added to a loss, it pulls weights towards 0.

    Use it as ``loss = data_loss + alpha * l2(model.parameters())`` with a small alpha
    (micrograd's demo uses 1e-4): large weights then have to earn their keep.
    """
    params = checks.parameters(params, "l2")
    return _sum([p * p for p in params])
