"""Exercises of notebook 08, training a classifier: binary cross-entropy that never overflows,
early stopping that asks each improvement to beat the best by more than min_delta, and
cross-entropy for several classes that stays finite for logits of +-1000.

The two losses are checked the way the notebook checks its own: the value against an exact
reference, the gradient backward() gives against a slope measured by nudging the score, and
both at extreme scores where a formula taken straight from the definition overflows.

Each exercise asks for something the package already has (``binary_cross_entropy``,
``EarlyStopping``, ``cross_entropy``), so every call of the student's function is watched: an
answer that calls into ``course.losses`` or ``course.training`` is incorrect, with a message
that says the exercise is to write it.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

import course.losses
import course.training
from course.engine import Value
from course.exercises.checking import (
    Case,
    Exercise,
    Incorrect,
    backprop_gradients,
    central_difference,
    expect_function,
    expect_value_node,
    fmt,
    is_close,
)
from course.exercises.shortcuts import call_without_shortcuts


def _log1p_exp(x: float) -> float:
    """ln(1 + e^x) for any float x, without overflow: the reference the checks compare with."""
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


# The package's own versions of the three answers: any call into these modules is refused.
_PACKAGE = {"course.losses": course.losses, "course.training": course.training}

# For each answer: what the exercise asks for instead.
_WRITE_IT_YOURSELF = {
    "bce_from_score": (
        "The exercise asks you to write this loss yourself: rewrite -[y ln p + (1 - y) ln(1 - p)] "
        "in terms of the score, and build it from Value operations on `score`."),
    "early_stopping_min_delta": (
        "The exercise asks you to write the stopping rule yourself: one loop over the dev "
        "losses, keeping the best loss, its epoch and the count of epochs without improvement."),
    "cross_entropy_from_logits": (
        "The exercise asks you to write this loss yourself, from Value operations on the "
        "logits, without forming a probability that can round to 0."),
}


def _student(function: object, *args: object, shown: str) -> object:
    """call_student, with any call into course.losses or course.training refused."""
    task = _WRITE_IT_YOURSELF.get(shown.split("(")[0], "The exercise asks you to write it.")
    return call_without_shortcuts(function, *args, shown=shown, shortcuts=_PACKAGE, task=task)


def _result_of(function: object, args: list[object], shown: str) -> Value:
    """Call the student's loss on fresh Values and insist on getting a Value back."""
    out = _student(function, *args, shown=shown)
    expect_value_node(out, shown)
    return out


def _expect_value(out: Value, expected: float, shown: str, overflow: str, wrong: str) -> None:
    """The loss must be finite (``overflow`` says why it is not) and equal to ``expected``."""
    case = Case(f"{shown}.data", fmt(expected), fmt(out.data))
    if not math.isfinite(out.data):
        raise Incorrect(overflow, case)
    if not is_close(out.data, expected, tolerance=1e-9):
        raise Incorrect(wrong, case)


def _check_gradients(out: Value, inputs: list[Value], formula: list[float], shown: str,
                     measure: Callable[[int], float]) -> None:
    """backward()'s gradient of each input must match the slope measured by nudging it.

    ``measure(k)`` nudges input k of the student's own function; ``formula`` is what the
    derivation gives (shown in the verdict, so the student sees both).
    """
    grads = backprop_gradients(out)
    for k, v in enumerate(inputs):
        name = "score" if len(inputs) == 1 else f"logits[{k}]"
        got = grads.get(id(v), 0.0)
        measured = measure(k)
        if is_close(got, measured, tolerance=1e-5):
            continue
        expected = f"{fmt(measured)} (measured by nudging {name}; the formula gives " \
                   f"{fmt(formula[k])})"
        if math.isnan(got):
            raise Incorrect(
                f"backward() gives {name} the gradient nan: an inf somewhere in the graph was "
                f"multiplied by 0. Write the loss so that exp() never sees a large positive "
                f"number.",
                Case(f"d loss/d {name} for {shown}", expected, "nan"),
            )
        raise Incorrect(
            f"The loss has the right value here, but backward() gives {name} a gradient that "
            f"differs from the slope measured by nudging it. Build the loss from Value "
            f"operations on the {name.split('[')[0]} itself, not from plain numbers, so that "
            f"gradients can flow.",
            Case(f"d loss/d {name} for {shown}", expected, fmt(got)),
        )


# ----------------------------------------------------------------------------------------------
# 08.1 Binary cross-entropy from a score, for every score
# ----------------------------------------------------------------------------------------------

BCE_SCORES = [-1000.0, -500.0, -50.0, -7.5, -1.3, 0.0, 0.4, 2.0, 9.0, 50.0, 500.0, 1000.0]


def _bce_reference(z: float, y: int) -> float:
    """-[y ln p + (1 - y) ln(1 - p)] with p = sigmoid(z), which is ln(1 + e^z) - y*z."""
    return _log1p_exp(z) - y * z


def _test_bce(answer: object) -> str:
    expect_function(answer, "bce_from_score")
    for z in BCE_SCORES:
        for y in (0, 1):
            shown = f"bce_from_score(Value({z:g}), {y})"
            score = Value(z)
            out = _result_of(answer, [score, y], shown)
            _expect_value(
                out, _bce_reference(z, y), shown,
                overflow=f"The loss is {out.data} for a score of {z:g}. Two things give that: "
                f"an exp() of a large positive number (e^{abs(z):g} is inf in a float), or the "
                f"log of a probability that rounds to 0 (p = sigmoid({z:g}) rounds to exactly "
                f"{'1' if z > 0 else '0'}, so {'1 - p' if z > 0 else 'p'} is 0). Rewrite the "
                f"loss so that exp() only ever sees a number <= 0, and take no log of a number "
                f"that can be 0.",
                wrong="The loss has the wrong value: with p = sigmoid(score) it is "
                "-[y ln p + (1 - y) ln(1 - p)], about ln 2 = 0.693 at score 0.",
            )

            def measure(_, z=z, y=y, shown=shown):
                return central_difference(
                    lambda t: _student(answer, Value(t), y, shown=shown).data, z)

            _check_gradients(out, [score], [_sigmoid(z) - y], shown, measure)
    return (
        f"Right: on {len(BCE_SCORES)} scores from -1000 to 1000, with both labels, the value is "
        f"exact and backward() gives d loss/d score = sigmoid(score) - label, also where the "
        f"formula from the definition gives inf."
    )


q1 = Exercise(
    "08.1",
    "binary cross-entropy that never overflows",
    "bce_from_score",
    _test_bce,
    hints=[
        "Write p and 1 - p with e^(-z): p = 1 / (1 + e^(-z)), and 1 - p = e^(-z) / (1 + e^(-z)) "
        "= 1 / (1 + e^z). So -ln p = ln(1 + e^(-z)) and -ln(1 - p) = ln(1 + e^z): no 1 - p is "
        "left to round to 0. Which of the two overflows, and for which scores?",
        "ln(1 + e^x) overflows once x is large (e^x is inf beyond about 709). Take x out of the "
        "log: ln(1 + e^x) = x + ln(1 + e^(-x)). So the loss is ln(1 + e^(-z)) + (1 - y)·z, "
        "where exp sees -z, and also ln(1 + e^z) - y·z, where exp sees z.",
        "Choose the form by the sign of the number, `score.data`, so that exp() only sees a "
        "number <= 0, and build the chosen one from Value operations on `score` (`.exp()`, "
        "`.log()`, `*`, `+`), so that backward() works.",
    ],
    solution='''
        def bce_from_score(score, label):
            """-[y ln p + (1 - y) ln(1 - p)] with p = sigmoid(score); exp() never overflows."""
            if score.data >= 0:
                # ln(1 + e^-z) + (1 - y) z: e^-z is at most 1 here
                return (1 + (-score).exp()).log() + score * (1 - label)
            # the same loss, with z taken out of the log: ln(1 + e^z) - y z
            return (1 + score.exp()).log() - score * label
    ''',
)


# ----------------------------------------------------------------------------------------------
# 08.2 Early stopping with a minimum improvement, min_delta
# ----------------------------------------------------------------------------------------------

NAN = float("nan")

# (dev losses, patience, min_delta): a case each for the ways the rule is easy to get wrong
STOPPING_CASES = [
    ([0.9, 0.7, 0.6, 0.65, 0.62, 0.61, 0.7, 0.5], 3, 0.0),  # min_delta 0: the plain rule
    ([0.8, 0.8, 0.8, 0.8], 2, 0.0),  # a tie is not an improvement
    ([0.5, 0.48, 0.46, 0.44, 0.6, 0.7], 2, 0.1),  # small drops neither count nor reset
    ([0.5, 0.49, 0.48, 0.47, 0.46, 0.3], 3, 0.05),  # drops smaller than min_delta do not count
    ([1.0, 0.75, 0.75, 0.5], 2, 0.25),  # a drop of exactly min_delta does not count either
    ([1.0, 0.9, 0.96, 0.87, 0.95, 0.84], 2, 0.05),  # measured from the best, not the last epoch
    ([0.9, 0.5, 0.3, 0.2], 2, 0.5),  # the best moves only with a counted improvement
    ([0.6, NAN, NAN, 0.1], 2, 0.01),  # nan (training blew up) is never an improvement
    ([NAN, 0.5, 0.4], 2, 0.0),  # ... not even the first epoch's
    ([0.5], 4, 0.1),  # one epoch
]


def _walk(losses: list[float], patience: int, counts: Callable[[float, float], bool], *,
          any_drop_is_best: bool = False, any_drop_resets: bool = False,
          from_previous: bool = False, late: int = 0) -> tuple[int | None, int | None]:
    """(best epoch, stop epoch or None): early stopping, ``counts`` saying what improves.

    Without keywords it is the rule itself; each keyword makes one slip, so that a wrong
    answer can be named: every lower loss becomes the best, every lower loss resets the
    count, the loss is compared with the previous epoch's, training stops ``late`` epochs late.
    """
    best_loss, best_epoch, waited, previous = math.inf, None, 0, math.inf
    for epoch, loss in enumerate(losses):
        if counts(loss, previous if from_previous else best_loss):
            best_loss, best_epoch, waited = loss, epoch, 0
        else:
            lower = loss < best_loss
            if any_drop_is_best and lower:
                best_loss, best_epoch = loss, epoch
            waited = 0 if any_drop_resets and lower else waited + 1
            if waited == patience + late:
                return best_epoch, epoch
        previous = loss
    return best_epoch, None


def _beats(min_delta: float) -> Callable[[float, float], bool]:
    """The rule: lower than the best by more than min_delta (False for nan)."""
    return lambda loss, best: loss < best - min_delta


def _expected_stop(losses: list[float], patience: int,
                   min_delta: float) -> tuple[int | None, int | None]:
    return _walk(losses, patience, _beats(min_delta))


def _rounding_free(losses: list[float], patience: int, min_delta: float) -> bool:
    """True when no comparison lands so close to min_delta that rounding decides it."""
    answers = {_walk(losses, patience, rule) for rule in (
        _beats(min_delta),
        lambda loss, best: best - loss > min_delta,
        lambda loss, best: loss + min_delta < best,
    )}
    return len(answers) == 1


def _random_stopping_cases(count: int = 40, seed: int = 8) -> list[tuple[list[float], int, float]]:
    rng = random.Random(seed)
    cases = []
    while len(cases) < count:
        losses, level = [], 1.0
        for _ in range(rng.randint(3, 25)):
            level *= rng.uniform(0.88, 1.08)
            losses.append(round(level, 3))
        case = (losses, rng.randint(1, 5), rng.choice([0.0, 0.002, 0.005, 0.01, 0.03]))
        if _rounding_free(*case):
            cases.append(case)
    return cases


def _shown_losses(losses: list[float]) -> str:
    return "[" + ", ".join("nan" if math.isnan(v) else f"{v:g}" for v in losses) + "]"


def _as_epochs(returned: object, shown: str) -> tuple[object, object]:
    if not isinstance(returned, (tuple, list)) or len(returned) != 2:
        raise Incorrect(
            "Return two things: (best_epoch, stop_epoch), with stop_epoch None when training "
            "runs to the end of the list.",
            Case(shown, "(best_epoch, stop_epoch)", repr(returned)),
        )
    return tuple(returned)


def _stopping_advice(losses: list[float], patience: int, min_delta: float,
                     got: tuple) -> str:
    """What a wrong (best_epoch, stop_epoch) says about the rule that gave it."""
    slips = [
        (_walk(losses, patience, lambda loss, best: not loss >= best - min_delta),
         "A nan dev loss (training blew up) is never an improvement: `nan < x` is False, and "
         "that is the comparison to use."),
        (_walk(losses, patience, lambda loss, best: loss < best),
         f"min_delta = {min_delta:g} was left out: a loss counts as an improvement only if it "
         f"is lower than the best by *more than* min_delta, `loss < best_loss - min_delta`."),
        (_walk(losses, patience, lambda loss, best: loss <= best - min_delta),
         "A drop of exactly min_delta is not enough: it must be *more than* min_delta "
         "(`<`, not `<=`)."),
        (_walk(losses, patience, _beats(min_delta), from_previous=True),
         "Compare each loss with the best loss so far, not with the previous epoch's loss."),
        (_walk(losses, patience, _beats(min_delta), any_drop_is_best=True),
         "A drop smaller than min_delta is no improvement: the best loss and its epoch stay "
         "where they are. The best epoch is the last one that counted as an improvement, and "
         "the next one must beat *its* loss by more than min_delta."),
        (_walk(losses, patience, _beats(min_delta), any_drop_resets=True),
         "A drop smaller than min_delta is no improvement, so it does not reset the count of "
         "epochs without one: it adds 1 to it."),
        (_walk(losses, patience, _beats(min_delta), late=1),
         f"Training stops at the end of the epoch that makes {patience} epochs in a row "
         f"without improvement, not one epoch later."),
        (_walk(losses, patience, _beats(min_delta), late=-1),
         f"Stop after {patience} epochs without improvement, not {patience - 1}."),
    ]
    for slip, advice in slips:
        if got == slip:
            return advice
    best, stop = _expected_stop(losses, patience, min_delta)
    if stop is not None and got[1] == stop and got[0] != best:
        return ("The epoch to restore is the last one that counted as an improvement *before* "
                "training stopped: the losses after the stop were never measured.")
    return ("After each epoch: a dev loss lower than the best by more than min_delta is the new "
            "best (its epoch is remembered, the count goes back to 0); any other loss adds 1 to "
            "the count of epochs without improvement, and training stops when it reaches "
            "patience.")


def _test_early_stopping(answer: object) -> str:
    expect_function(answer, "early_stopping_min_delta")
    cases = STOPPING_CASES + _random_stopping_cases()
    for losses, patience, min_delta in cases:
        shown = (f"early_stopping_min_delta({_shown_losses(losses)}, patience={patience}, "
                 f"min_delta={min_delta:g})")
        got = _as_epochs(_student(answer, list(losses), patience, min_delta, shown=shown),
                         shown)
        want = _expected_stop(losses, patience, min_delta)
        if got != want:
            raise Incorrect(_stopping_advice(losses, patience, min_delta, got),
                            Case(shown, repr(want), repr(got)))
    return (
        f"Right on {len(cases)} lists of dev losses: drops of min_delta or less count as no "
        f"improvement and do not move the best, nan never improves, and min_delta = 0 gives "
        f"back section 5's rule. course.training.EarlyStopping(patience, min_delta) works "
        f"this way too."
    )


q2 = Exercise(
    "08.2",
    "early stopping with a minimum improvement",
    "early_stopping_min_delta",
    _test_early_stopping,
    hints=[
        "Start from section 5's rule: walk through the list once, keeping the best loss so far, "
        "its epoch, and how many epochs in a row have brought no improvement.",
        "Only the test changes: `loss < best_loss - min_delta` is an improvement (it is False "
        "for nan, and for a drop of exactly min_delta). Only then do the best loss, its epoch "
        "and the count change.",
        "Any other loss, even one a little below the best, adds 1 to the count. When the count "
        "reaches patience, return (best_epoch, this epoch) at once; after the loop, return "
        "(best_epoch, None).",
    ],
    solution='''
        def early_stopping_min_delta(dev_losses, patience, min_delta):
            """(last epoch that improved by more than min_delta, epoch of the stop or None)."""
            best_loss, best_epoch, epochs_without_improvement = math.inf, None, 0
            for epoch, loss in enumerate(dev_losses):
                if loss < best_loss - min_delta:  # False for nan, and for small drops
                    best_loss, best_epoch, epochs_without_improvement = loss, epoch, 0
                else:
                    epochs_without_improvement += 1
                    if epochs_without_improvement == patience:
                        return best_epoch, epoch
            return best_epoch, None
    ''',
)


# ----------------------------------------------------------------------------------------------
# 08.3 Cross-entropy for several classes, for logits of any size
# ----------------------------------------------------------------------------------------------

CE_CASES = [
    ([2.0, 1.0, 0.1], 0),
    ([2.0, 1.0, 0.1], 2),
    ([-0.5, 0.3, 0.2, 1.7], 1),
    ([0.0, 0.0, 0.0], 1),
    ([1000.0, -1000.0, 0.0], 0),
    ([1000.0, -1000.0, 0.0], 1),
    ([1000.0, 999.0, 0.0], 1),
    ([-1000.0, -1000.0, -999.0], 2),
]


def _softmax_reference(logits: list[float]) -> list[float]:
    largest = max(logits)
    exps = [math.exp(z - largest) for z in logits]
    return [e / sum(exps) for e in exps]


def _ce_reference(logits: list[float], label: int) -> float:
    largest = max(logits)
    return largest + math.log(sum(math.exp(z - largest) for z in logits)) - logits[label]


def _test_cross_entropy(answer: object) -> str:
    expect_function(answer, "cross_entropy_from_logits")
    for numbers_in, label in CE_CASES:
        shown = f"cross_entropy_from_logits([{', '.join(f'Value({z:g})' for z in numbers_in)}], " \
                f"{label})"
        logits = [Value(z) for z in numbers_in]
        out = _result_of(answer, [logits, label], shown)
        if math.isnan(out.data):
            overflow = ("The loss is nan: an exp() overflowed (e^1000 is inf, and inf / inf is "
                        "nan). Shift the logits by the largest one first: every exponent is then "
                        "<= 0.")
        else:
            overflow = (f"The loss is {out.data}: the probability of the right class rounded to "
                        f"0, and ln 0 = -inf. Take the log of the sum instead: -ln p_label = "
                        f"ln(sum of e^(z - m)) + m - z_label, with m the largest logit.")
        _expect_value(
            out, _ce_reference(numbers_in, label), shown, overflow=overflow,
            wrong="The loss has the wrong value: it is -ln(softmax(logits)[label]), ln 3 = "
            "1.0986 for three equal logits.",
        )
        probs = _softmax_reference(numbers_in)
        wanted = [p - (1.0 if k == label else 0.0) for k, p in enumerate(probs)]

        def measure(k, numbers_in=numbers_in, label=label, shown=shown):
            def loss_at(t: float) -> float:
                moved = [Value(t if j == k else z) for j, z in enumerate(numbers_in)]
                return _student(answer, moved, label, shown=shown).data
            return central_difference(loss_at, numbers_in[k])

        _check_gradients(out, logits, wanted, shown, measure)
    return (
        f"Right: on {len(CE_CASES)} examples, logits up to ±1000 among them, the loss is exact "
        f"and backward() gives every logit softmax - one_hot(label)."
    )


q3 = Exercise(
    "08.3",
    "cross-entropy for logits of any size",
    "cross_entropy_from_logits",
    _test_cross_entropy,
    hints=[
        "-ln p_c = -ln(e^(z_c) / sum_j e^(z_j)) = ln(sum_j e^(z_j)) - z_c: no division and no "
        "log of a probability that could round to 0.",
        "Shift first, as the softmax of section 9 does: with m the largest logit (a plain "
        "number, `max(z.data for z in logits)`), ln(sum_j e^(z_j)) = m + ln(sum_j e^(z_j - m)). "
        "Every exponent is then <= 0 and the sum is at least 1.",
        "Build it from Value operations: `sum((z - m).exp() for z in logits).log() + m - "
        "logits[label]`.",
    ],
    solution='''
        def cross_entropy_from_logits(logits, label):
            """-ln softmax(logits)[label], finite for logits up to +-1000."""
            largest = max(z.data for z in logits)  # a plain number: shifting changes nothing
            log_sum_exp = sum((z - largest).exp() for z in logits).log() + largest
            return log_sum_exp - logits[label]
    ''',
)
