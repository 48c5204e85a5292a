"""Exercises of notebook 11, a language model of names: a name's log-likelihood read from a
bigram table, a softmax that stays finite for logits of +-1000, and the smoothing strength
chosen on the dev names.

Each check runs the student's code on tables and names of its own. The log-likelihood is
compared with the sum computed here, and its classic slips (a missing end mark, the average
instead of the sum, a row and column swapped) are named. The softmax is checked for its
values, its gradient (against the formula p_i (c_i - sum_k c_k p_k)) and its stability. The
smoothing is checked on splits built so that choosing it on the training names, or ignoring
the dev names, gives a different answer from choosing it on the dev names.
"""

from __future__ import annotations

import math
import numbers
import random

from course.engine import Value
from course.exercises.checking import (
    Case,
    Exercise,
    Incorrect,
    backprop_gradients,
    call_student,
    expect_function,
    expect_number,
    expect_value_node,
    fmt,
    is_close,
)
from course.names import (
    CHARS,
    average_nll,
    bigram_counts,
    bigrams,
    load_names,
    probabilities,
    split_names,
)

TOLERANCE = 1e-9

# ----------------------------------------------------------------------------------------------
# 11.1 A name's log-likelihood from the table
# ----------------------------------------------------------------------------------------------

CHECK_NAMES = ["emma", "bob", "xavier", "al"]


def _lopsided_table(seed: int) -> list[list[float]]:
    """A random 27 x 27 table of next-character probabilities, far from symmetric."""
    rng = random.Random(seed)
    table = []
    for _ in CHARS:
        row = [rng.uniform(0.05, 1.0) ** 3 for _ in CHARS]
        total = sum(row)
        table.append([c / total for c in row])
    return table


def _ll(name: str, probs: list[list[float]], pairs: list[tuple[int, int]] | None = None) -> float:
    return sum(math.log(probs[i][j]) for i, j in (bigrams(name) if pairs is None else pairs))


def _ll_advice(got: float, name: str, probs: list[list[float]]) -> str:
    """What a wrong log-likelihood says about the code that computed it."""
    pairs = bigrams(name)
    right = _ll(name, probs)
    near = [
        (-right, "That is the negative log-likelihood. The log-likelihood is the sum of "
                 "ln P itself, a negative number: leave out the minus sign."),
        (math.exp(right), "That is the likelihood, the product of the probabilities. Add "
                          "their logarithms instead (math.log of each)."),
        (right / len(pairs), f"That is the average over the {len(pairs)} pairs. The "
                             f"log-likelihood of a name is their sum."),
        (right / math.log(10), "That is the sum of log10 P. Use the natural log, math.log."),
        (_ll(name, probs, pairs[:-1]), "The last pair is missing: the name ends with '.', "
                                       "so the pair (last letter, '.') counts too."),
        (_ll(name, probs, pairs[1:]), "The first pair is missing: the name starts after "
                                      "'.', so the pair ('.', first letter) counts too."),
        (_ll(name, probs, pairs[1:-1]), "Both end pairs are missing: mark the name as "
                                        "'.' + name + '.' before reading its pairs."),
        (sum(math.log(probs[j][i]) for i, j in pairs), "Rows and columns are swapped: "
         "probs[i][j] is the probability that character j follows character i, so read "
         "probs[this][next]."),
    ]
    for value, advice in near:
        if is_close(got, value, TOLERANCE):
            return advice
    return ("Mark the name as '.' + name + '.', and add math.log(probs[i][j]) for each pair "
            "of neighbours, i the index of the character and j of the one after it.")


def _test_log_likelihood(answer: object) -> str:
    expect_function(answer, "log_likelihood")
    for seed in (0, 1):
        probs = _lopsided_table(seed)
        for name in CHECK_NAMES:
            shown = f"log_likelihood({name!r}, probs)"
            got = expect_number(call_student(answer, name, probs, shown=shown), shown)
            expected = _ll(name, probs)
            if not is_close(got, expected, TOLERANCE):
                raise Incorrect(_ll_advice(got, name, probs), Case(shown, fmt(expected), fmt(got)))
    table = probabilities(bigram_counts(split_names(load_names())[0]), smoothing=1.0)
    emma = _ll("emma", table)
    return (f"Right: five pairs, .e em mm ma a., whose ln P add up to {emma:.3f} for 'emma' "
            f"in the training table, {-emma / 5:.3f} a pair on average.")


q1 = Exercise(
    "11.1",
    "a name's log-likelihood from the table",
    "log_likelihood",
    _test_log_likelihood,
    hints=[
        "Put the marks on first: `marked = '.' + name + '.'`; its pairs of neighbours are "
        "`zip(marked, marked[1:])`.",
        "A character's row or column number is its position in CHARS: `CHARS.index(c)`.",
        "Add `math.log(probs[i][j])` over the pairs, i for the character and j for the one "
        "after it, and return the sum (a negative number).",
    ],
    solution='''
        def log_likelihood(name, probs):
            """The sum of ln P(next | this) over the pairs of '.' + name + '.'."""
            marked = "." + name + "."
            total = 0.0
            for this, following in zip(marked, marked[1:]):
                total += math.log(probs[CHARS.index(this)][CHARS.index(following)])
            return total
    ''',
)


# ----------------------------------------------------------------------------------------------
# 11.2 A softmax for logits of any size
# ----------------------------------------------------------------------------------------------

SOFTMAX_CASES = [
    [2.0, 1.0, 0.1],
    [0.5],
    [1000.0, 999.0, 0.0],
    [-1000.0, -1000.0],
    [1000.0, -1000.0, 0.0, 1000.0],
    [0.1 * ((5 * k) % 13) - 0.6 for k in range(27)],
]


def _softmax(numbers_: list[float]) -> list[float]:
    largest = max(numbers_)
    exps = [math.exp(z - largest) for z in numbers_]
    return [e / sum(exps) for e in exps]


def _test_softmax(answer: object) -> str:
    expect_function(answer, "softmax")
    for numbers_ in SOFTMAX_CASES:
        logits = [Value(z) for z in numbers_]
        shown = f"softmax([{', '.join(f'Value({z:g})' for z in numbers_[:4])}"
        shown += ", ...])" if len(numbers_) > 4 else "])"
        out = call_student(answer, logits, shown=shown)
        if isinstance(out, (str, bytes)) or not hasattr(out, "__len__") \
                or len(out) != len(logits):
            raise Incorrect(f"softmax should return a list of {len(logits)} Values, one "
                            f"probability per logit.", Case(shown, f"{len(logits)} Values",
                                                            repr(out)))
        probs = list(out)
        for p in probs:
            expect_value_node(p, shown)
        expected = _softmax(numbers_)
        got = [p.data for p in probs]
        case = Case(shown, "[" + ", ".join(fmt(e) for e in expected) + "]",
                    "[" + ", ".join(fmt(g) for g in got) + "]")
        if not all(isinstance(g, numbers.Real) and math.isfinite(g) for g in got):
            raise Incorrect("A probability came out nan or inf: e^1000 overflows a float. "
                            "Subtract the largest logit (as a plain number, `.data`) from "
                            "every logit before exp(): the probabilities stay the same.", case)
        if not all(is_close(g, e, TOLERANCE) for g, e in zip(got, expected)):
            advice = ("The probabilities do not add up to 1: divide each exp by the sum of "
                      "them all." if not is_close(sum(got), 1.0, 1e-6) else
                      "Each probability is e^(z_k) divided by the sum of e^(z_j) over all j.")
            raise Incorrect(advice, case)
        # the gradient of sum_k c_k p_k with respect to z_i is p_i (c_i - sum_k c_k p_k)
        weights = [math.cos(k + 1.0) for k in range(len(logits))]
        mix = probs[0] * weights[0]
        for p, c in zip(probs[1:], weights[1:]):
            mix = mix + p * c
        grads = backprop_gradients(mix)
        average = sum(c * e for c, e in zip(weights, expected))
        for i, z in enumerate(logits):
            want = expected[i] * (weights[i] - average)
            have = grads.get(id(z), 0.0)
            if not is_close(have, want, 1e-7):
                raise Incorrect(
                    "The probabilities are right, but the gradient does not reach the logits "
                    "as it should: build the result from the logit Values themselves with "
                    "Value operations (`(z - largest).exp()`, `+`, `/`), keeping only the "
                    "shift as a plain number.",
                    Case(f"d(sum of cos(k+1) * p_k)/d(logit {i}) for {shown}", fmt(want),
                         fmt(have)))
    return ("Right: probabilities that add up to 1, finite at logits of ±1000, with the "
            "gradient of the formula. The shift by the largest logit changes nothing but the "
            "size of the exponents.")


q2 = Exercise(
    "11.2",
    "a softmax for logits of any size",
    "softmax",
    _test_softmax,
    hints=[
        "Section 4's softmax: exp of each logit, each divided by the sum of all of them.",
        "e^1000 is inf in a float. Subtracting the same number from every logit leaves the "
        "probabilities unchanged: subtract the largest, `max(z.data for z in logits)`.",
        "`exps = [(z - largest).exp() for z in logits]`, `total = sum(exps)`, then "
        "`[e / total for e in exps]`.",
    ],
    solution='''
        def softmax(logits):
            """exp(z_k) / sum_j exp(z_j) for each logit, finite for logits of any size."""
            largest = max(z.data for z in logits)  # a plain number: no gradient path
            exps = [(z - largest).exp() for z in logits]
            total = sum(exps)
            return [e / total for e in exps]
    ''',
)


# ----------------------------------------------------------------------------------------------
# 11.3 The smoothing strength, chosen on the dev names
# ----------------------------------------------------------------------------------------------

TINY_TRAIN = ["anna", "anne", "ann", "hanna"]
TINY_STRENGTHS = [0.001, 0.1, 1.0, 10.0, 100.0]
REAL_STRENGTHS = [0.01, 0.1, 0.3, 1.0, 3.0]
REAL_TRAIN_SIZE = 300  # few training names: the best smoothing is clearly inside the list


def _best(train: list[str], judged: list[str], strengths: list[float]) -> float:
    counts = bigram_counts(train)
    return min(strengths, key=lambda s: average_nll(judged, probabilities(counts, s)))


def _smoothing_cases() -> list[tuple[list[str], list[str], list[float], str]]:
    train, dev, _ = split_names(load_names())
    return [
        (TINY_TRAIN, ["anna"], TINY_STRENGTHS, f"{TINY_TRAIN}, ['anna']"),
        (TINY_TRAIN, ["bob"], TINY_STRENGTHS, f"{TINY_TRAIN}, ['bob']"),
        (train[:REAL_TRAIN_SIZE], dev, REAL_STRENGTHS,
         f"train[:{REAL_TRAIN_SIZE}], dev (the notebook's split)"),
    ]


def _smoothing_advice(got: object, train: list[str], dev: list[str],
                      strengths: list[float], shown: str) -> str:
    if got not in strengths:
        return (f"Return one of the strengths you were given, the one with the lowest dev "
                f"loss; `{shown}` returned {got!r}.")
    if got in (_best(train, train, strengths), _best(dev, dev, strengths)):
        return ("That strength fits best the very names the table was counted on (the lowest "
                "loss on the training names, or on the dev names if those were counted): there "
                "the least smoothing always wins. Count on train_names, measure on dev_names.")
    return ("Count the pairs of train_names once; for each strength, smooth the counts, measure "
            "the average negative log-likelihood of dev_names, and return the strength whose "
            "loss is lowest.")


def _test_choose_smoothing(answer: object) -> str:
    expect_function(answer, "choose_smoothing")
    chosen = []
    for train, dev, strengths, names in _smoothing_cases():
        shown = f"choose_smoothing({names}, {strengths})"
        got = call_student(answer, list(train), list(dev), list(strengths), shown=shown)
        expected = _best(train, dev, strengths)
        if got != expected:
            advice = _smoothing_advice(got, train, dev, strengths, shown)
            if len(chosen) == 1 and got == chosen[0]:
                advice += (" Your answer did not change when dev_names did: is the choice made "
                           "on the dev_names you were given?")
            raise Incorrect(advice, Case(shown, fmt(expected), repr(got)))
        chosen.append(got)
    train, dev, _ = split_names(load_names())
    best = _best(train, dev, [0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0])
    loss = average_nll(dev, probabilities(bigram_counts(train), best))
    return (f"Right: chosen on the dev names, never on the names it counted. On the notebook's "
            f"split, among 0.01 ... 10 the dev loss is lowest at {best:g}: {loss:.4f}. The "
            f"test names stay unseen until one final measurement.")


q3 = Exercise(
    "11.3",
    "the smoothing strength, chosen on the dev names",
    "choose_smoothing",
    _test_choose_smoothing,
    hints=[
        "Count the pairs of train_names once, with `bigram_counts`.",
        "For each strength s, `probabilities(counts, s)` is the smoothed table; "
        "`average_nll(dev_names, table)` is its dev loss.",
        "Return the strength with the lowest dev loss: `min(strengths, key=...)`, or keep "
        "the best one in a loop.",
    ],
    solution='''
        def choose_smoothing(train_names, dev_names, strengths):
            """The strength whose table, counted on train_names, fits dev_names best."""
            counts = bigram_counts(train_names)  # counted on the training names only
            dev_loss = {s: average_nll(dev_names, probabilities(counts, s)) for s in strengths}
            return min(strengths, key=lambda s: dev_loss[s])
    ''',
)
