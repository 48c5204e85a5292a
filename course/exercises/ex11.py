"""Exercises of notebook 11, a language model of names: the greedy name (always the most likely
next character) read from a bigram table, log-probabilities (a log-softmax) that stay finite
for logits of +-1000, and the smoothing strength chosen on the dev names.

Each check runs the student's code on tables and names of its own. The greedy name is checked
on tables built so that its path is known (a loop cut by max_length, an early end, a tie), and
its classic slips (row and column swapped, never leaving the start row, the end mark kept, one
letter too many) are named. The log-softmax is checked for its values (against a reference
worked out to 40 digits, at logits up to +-1000), that e to its values adds up to 1, and for
its gradient (backward() against central differences of the student's own function). The
smoothing is checked on splits built so that choosing it on the training names, or ignoring
the dev names, gives a different answer from choosing it on the dev names.
"""

from __future__ import annotations

import decimal
import math
import numbers
import random

from course import losses
from course.engine import Value
from course.exercises.checking import (
    Case,
    Exercise,
    Incorrect,
    backprop_gradients,
    call_student,
    central_difference,
    expect_function,
    expect_value_node,
    fmt,
    is_close,
)
from course.exercises.shortcuts import call_without_shortcuts
from course.names import (
    CHARS,
    INDEX,
    average_nll,
    bigram_counts,
    load_names,
    probabilities,
    split_names,
)

TOLERANCE = 1e-9

# ----------------------------------------------------------------------------------------------
# 11.1 The greedy name: always the most likely next character
# ----------------------------------------------------------------------------------------------


def _lopsided_table(seed: int) -> list[list[float]]:
    """A random 27 x 27 table of next-character probabilities, far from symmetric."""
    rng = random.Random(seed)
    table = []
    for _ in CHARS:
        row = [rng.uniform(0.05, 1.0) ** 3 for _ in CHARS]
        total = sum(row)
        table.append([c / total for c in row])
    return table


def _table_with(steps: dict[str, str], seed: int) -> list[list[float]]:
    """A random table in which, for each row c in ``steps``, the character steps[c] is by far
    the most likely to follow c: the greedy path is known in advance."""
    table = _lopsided_table(seed)
    for this, following in steps.items():
        row = table[INDEX[this]]
        j = INDEX[following]
        row[j] = 2 * max(row)
        total = sum(row)
        table[INDEX[this]] = [p / total for p in row]
    return table


def _tied_table() -> list[list[float]]:
    """Row '.' has 'e' and 'm' tied for the largest; after them, '.' is the most likely."""
    table = _table_with({"e": ".", "m": "."}, seed=4)
    row = table[0]
    row[INDEX["e"]] = row[INDEX["m"]] = 2 * max(row)
    table[0] = [p / sum(row) for p in row]
    return table


def _greedy(table: list[list[float]], max_length: int, *, transposed: bool = False,
            stay_on_start: bool = False, last_on_tie: bool = False,
            keep_mark: bool = False, extra: int = 0) -> str:
    """The greedy name; each keyword makes one slip, so that a wrong answer can be named."""
    row, name = 0, ""
    while len(name) < max_length + extra:
        weights = [table[k][row] for k in range(27)] if transposed else table[row]
        order = range(26, -1, -1) if last_on_tie else range(27)
        following = max(order, key=lambda k: weights[k])
        if following == 0:
            return name + "." if keep_mark else name
        name += CHARS[following]
        row = 0 if stay_on_start else following
    return name


def _greedy_cases() -> list[tuple[list[list[float]], int, str]]:
    train = split_names(load_names())[0]
    counted = bigram_counts(train)
    return [
        (_table_with({".": "b", "b": "o", "o": "b"}, seed=0), 3, "'.' -> b -> o -> b"),
        (_table_with({".": "b", "b": "o", "o": "b"}, seed=0), 10, "b and o follow each other"),
        (_table_with({".": "b", "b": "o", "o": "."}, seed=1), 10, "ends after 'bo'"),
        (_table_with({".": "."}, seed=2), 5, "'.' most likely at the start"),
        (_tied_table(), 5, "'e' and 'm' tied after '.'"),
        (_lopsided_table(3), 12, "a random table"),
        (_lopsided_table(5), 0, "max_length 0"),
        (counted, 8, "the counts of the training names"),
        (probabilities(counted, 1.0), 8, "the training names' table, add-one smoothing"),
    ]


def _greedy_advice(got: str, table: list[list[float]], max_length: int) -> str:
    slips = [
        (_greedy(table, max_length, last_on_tie=True), "On a tie take the character that comes "
         "first in CHARS, as `max(range(27), key=...)` does."),
        (_greedy(table, max_length, transposed=True), "Rows and columns are swapped: the "
         "probabilities of what follows character i are its row, table[i]; take the largest "
         "entry of that row."),
        (_greedy(table, max_length, stay_on_start=True), "After each character, move to *its* "
         "row: the next choice is made from table[index of the character just chosen], not "
         "from the start row again."),
        (_greedy(table, max_length, keep_mark=True), "The end mark '.' is not part of the "
         "name: when it is the most likely next character, stop and return the letters so far."),
        (_greedy(table, max_length, extra=1), f"The name may have at most max_length = "
         f"{max_length} letters: stop when it has that many."),
        (_greedy(table, max_length, extra=-1), f"The name may have max_length = {max_length} "
         f"letters, not one fewer."),
    ]
    for slip, advice in slips:
        if got == slip:
            return advice
    return ("Start at row 0 ('.'); take the column with the largest number in the current row; "
            "if it is 0 ('.') stop, otherwise add that character to the name, move to its row, "
            "and stop anyway once the name has max_length letters.")


def _test_greedy_name(answer: object) -> str:
    expect_function(answer, "greedy_name")
    for table, max_length, about in _greedy_cases():
        shown = f"greedy_name(table, {max_length})  # {about}"
        got = call_student(answer, [list(row) for row in table], max_length, shown=shown)
        want = _greedy(table, max_length)
        if not isinstance(got, str):
            raise Incorrect("Return the name as a string of letters, without the '.' marks.",
                            Case(shown, repr(want), repr(got)))
        again = call_student(answer, [list(row) for row in table], max_length, shown=shown)
        if again != got:
            raise Incorrect("Two calls with the same table gave two different names: the "
                            "greedy name draws nothing at random, it takes the most likely "
                            "character every time.", Case(shown, repr(want), repr(again)))
        if got != want:
            raise Incorrect(_greedy_advice(got, table, max_length),
                            Case(shown, repr(want), repr(got)))
    table = probabilities(bigram_counts(split_names(load_names())[0]), 1.0)
    first = max(range(27), key=lambda k: table[0][k])
    after = max(range(27), key=lambda k: table[first][k])
    return (f"Right. On the training names' table the greedy name is "
            f"{_greedy(table, 20)!r}: the likeliest start is {CHARS[first]!r} "
            f"({table[0][first]:.3f}), and after it the likeliest next character is "
            f"{CHARS[after]!r} ({table[first][after]:.3f}). Always the likeliest step gives one "
            f"name, always the same, and a short one: that is why section 2 draws at random.")


q1 = Exercise(
    "11.1",
    "the greedy name",
    "greedy_name",
    _test_greedy_name,
    hints=[
        "It is section 2's `sample_name` with the random draw replaced: start at row 0 ('.'), "
        "and each time take the most likely next character instead of drawing one.",
        "The most likely next character after character i is the column with the largest "
        "number in row i: `max(range(27), key=lambda j: table[i][j])` (on a tie, the first).",
        "Loop while `len(name) < max_length`: if the column found is 0 ('.'), return the name; "
        "otherwise add `CHARS[j]` to it and move to row j. After the loop, return the name.",
    ],
    solution='''
        def greedy_name(table, max_length):
            """From '.', always the most likely next character, until '.' or max_length letters."""
            row, name = 0, ""
            while len(name) < max_length:
                following = max(range(27), key=lambda j: table[row][j])  # first on a tie
                if following == 0:  # the end mark is the most likely: the name is complete
                    return name
                name += CHARS[following]
                row = following
            return name
    ''',
)


# ----------------------------------------------------------------------------------------------
# 11.2 Log-probabilities for logits of any size
# ----------------------------------------------------------------------------------------------

LOG_SOFTMAX_CASES = [
    [2.0, 1.0, 0.1],
    [0.5],
    [1000.0, 999.0, 0.0],
    [-1000.0, -1000.0],
    [1000.0, -1000.0, 0.0, 1000.0],
    [0.1 * ((5 * k) % 13) - 0.6 for k in range(27)],
]


def _exact_log_softmax(numbers_: list[float]) -> list[float]:
    """z_i - ln(sum_j e^(z_j)) worked out with 40 significant digits, no shift needed."""
    with decimal.localcontext() as context:
        context.prec = 40
        exact = [decimal.Decimal(z) for z in numbers_]
        log_total = sum(z.exp() for z in exact).ln()
        return [float(z - log_total) for z in exact]


def _shown_call(numbers_: list[float]) -> str:
    shown = f"log_softmax([{', '.join(f'Value({z:g})' for z in numbers_[:4])}"
    return shown + (", ...])" if len(numbers_) > 4 else "])")


# the package's versions of 11.2's answer: log_softmax itself, and cross_entropy, one class each
LOG_SOFTMAX_SHORTCUTS = {"course.losses.log_softmax": losses.log_softmax,
                         "course.losses.cross_entropy": losses.cross_entropy}


def _student_log_probs(answer: object, numbers_: list[float], shown: str) -> tuple[list, list]:
    """The logit Values made for one call, and the Values the student's function returned."""
    logits = [Value(z) for z in numbers_]
    out = call_without_shortcuts(answer, logits, shown=shown, shortcuts=LOG_SOFTMAX_SHORTCUTS,
                                 task="The exercise asks you to write the log-sum-exp form "
                                      "yourself, from Value operations on the logits.")
    if isinstance(out, (str, bytes)) or not hasattr(out, "__len__") or len(out) != len(logits):
        raise Incorrect(f"log_softmax should return a list of {len(logits)} Values, one "
                        f"log-probability per logit.",
                        Case(shown, f"{len(logits)} Values", repr(out)))
    for item in out:
        expect_value_node(item, shown)
    return logits, list(out)


def _values_advice(got: list[float], expected: list[float], numbers_: list[float]) -> str:
    if not all(isinstance(g, numbers.Real) and math.isfinite(g) for g in got):
        if any(g == -math.inf for g in got) and any(math.isfinite(g) for g in got):
            return ("A log-probability came out -inf: its probability rounds to 0 in a "
                    "float (e^-1000 does), and ln 0 = -inf. Never take the log of a "
                    "probability: ln p_i = (z_i - m) - ln(sum_j e^(z_j - m)), and that sum is "
                    "at least 1.")
        return ("A log-probability came out nan or inf: e^1000 overflows a float. Subtract the "
                "largest logit m (a plain number, `.data`) before exp(), and add it back "
                "outside the log: ln(sum_j e^(z_j)) = m + ln(sum_j e^(z_j - m)).")
    total = math.fsum(math.exp(g) for g in got)
    if not is_close(total, 1.0, 1e-9):
        largest = max(numbers_)
        if all(is_close(g - largest, e, TOLERANCE) for g, e in zip(got, expected)):
            return (f"Every value is too large by the largest logit, {fmt(largest)}: "
                    f"ln(sum_j e^(z_j)) is m + ln(sum_j e^(z_j - m)); subtract the m too.")
        return (f"These are not log-probabilities: e to the power of each should add up to 1, "
                f"and they add up to {fmt(total)}. Subtract ln(sum_j e^(z_j - m)) from each "
                f"z_i - m.")
    return "Each value is ln p_i = z_i - ln(sum_j e^(z_j)), with p the softmax of the logits."


def _measured_slope(answer: object, numbers_: list[float], weights: list[float],
                    i: int) -> float:
    """d(sum_k c_k out_k)/d z_i of the student's function, measured by nudging logit i."""

    def mixed(x: float) -> float:
        nudged = numbers_[:i] + [x] + numbers_[i + 1:]
        values = _student_log_probs(answer, nudged, _shown_call(nudged))[1]
        return math.fsum(c * v.data for c, v in zip(weights, values))

    return central_difference(mixed, numbers_[i])


def _test_log_softmax(answer: object) -> str:
    expect_function(answer, "log_softmax")
    for numbers_ in LOG_SOFTMAX_CASES:
        shown = _shown_call(numbers_)
        logits, out = _student_log_probs(answer, numbers_, shown)
        expected = _exact_log_softmax(numbers_)
        got = [item.data for item in out]
        if not all(isinstance(g, numbers.Real) and math.isfinite(g) and is_close(g, e, TOLERANCE)
                   for g, e in zip(got, expected)):
            raise Incorrect(_values_advice(got, expected, numbers_),
                            Case(shown, "[" + ", ".join(fmt(e) for e in expected) + "]",
                                 "[" + ", ".join(fmt(g) for g in got) + "]"))
        # backward() through sum_k c_k ln p_k, against the slope measured by nudging each logit
        weights = [math.cos(k + 1.0) for k in range(len(logits))]
        mix = out[0] * weights[0]
        for item, c in zip(out[1:], weights[1:]):
            mix = mix + item * c
        grads = backprop_gradients(mix)
        for i, z in enumerate(logits):
            measured = _measured_slope(answer, numbers_, weights, i)
            have = grads.get(id(z), 0.0)
            if not is_close(have, measured, 1e-5):
                raise Incorrect(
                    "The values are right, but backward() does not give the slope that nudging "
                    "the logit measures: build the result from the logit Values themselves "
                    "with Value operations (`z - m`, `.exp()`, `sum`, `.log()`), keeping only "
                    "the shift m as a plain number.",
                    Case(f"d(sum of cos(k+1) * out_k)/d(logit {i}) for {shown}",
                         f"{fmt(measured)} (measured)", fmt(have)))
    example = [1000.0, -1000.0, 0.0]
    exact = ", ".join(f"{v:.3f}" for v in _exact_log_softmax(example))
    return (f"Right: finite, exact to 1e-9, and backward() agrees with nudging. For the logits "
            f"(1000, -1000, 0) the log-probabilities are [{exact}], where the log of the "
            f"softmax gives -inf for the last two. `course.losses.log_softmax` computes them "
            f"this way, and its `cross_entropy` is minus the label's entry.")


q2 = Exercise(
    "11.2",
    "log-probabilities for logits of any size",
    "log_softmax",
    _test_log_softmax,
    hints=[
        "Take the log of the softmax on paper, not in code: ln p_i = z_i - ln(sum_j e^(z_j)). "
        "Then make that sum safe for logits of 1000.",
        "Notebook 08's shift works inside the log too: with m the largest logit (a plain "
        "number, `max(z.data for z in logits)`), ln(sum_j e^(z_j)) = m + ln(sum_j e^(z_j - m)). "
        "Every exponent is at most 0, so no exp overflows, and the sum is at least 1 (the "
        "largest term is e^0), so the log never sees 0.",
        "`shifted = [z - m for z in logits]`, `log_total = sum(s.exp() for s in shifted).log()`, "
        "then `[s - log_total for s in shifted]`.",
    ],
    solution='''
        def log_softmax(logits):
            """ln softmax(logits)_i = (z_i - m) - ln(sum_j e^(z_j - m)), m the largest logit."""
            largest = max(z.data for z in logits)  # a plain number: the shift changes nothing
            shifted = [z - largest for z in logits]  # every exponent <= 0: no exp overflows
            log_total = sum(s.exp() for s in shifted).log()  # the sum is >= 1: never ln 0
            return [s - log_total for s in shifted]
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
