"""Answers to exercise set ex11 that its checks must judge: wrong ones and other right ones."""

import math
import random

from course.names import CHARS, average_nll, bigram_counts, probabilities


def greedy_with(transposed=False, stay_on_start=False, keep_mark=False, ties_to_last=False,
                at_most=lambda length, max_length: length < max_length):
    """A greedy_name for exercise 11.1 with the chosen slips (none: a right answer)."""

    def greedy_name(table, max_length):
        row, name = 0, ""
        while at_most(len(name), max_length):
            weights = [table[k][row] for k in range(27)] if transposed else table[row]
            best = 0
            for j in range(1, 27):
                if weights[j] > weights[best] or (ties_to_last and weights[j] == weights[best]):
                    best = j
            if best == 0:
                return name + "." if keep_mark else name
            name += CHARS[best]
            row = 0 if stay_on_start else best
        return name

    return greedy_name


def greedy_sampled():
    """Draws the next character by its probability, as section 2 does: not the greedy name."""
    calls = []

    def greedy_name(table, max_length):
        rng = random.Random(len(calls))
        calls.append(1)
        row, name = 0, ""
        while len(name) < max_length:
            row = rng.choices(range(27), weights=table[row])[0]
            if row == 0:
                break
            name += CHARS[row]
        return name

    return greedy_name


def greedy_by_index(table, max_length):
    """Right too: the largest of each row found with index(max(row)), a for loop on the length."""
    name, row = "", 0
    for _ in range(max_length):
        row = table[row].index(max(table[row]))
        if row == 0:
            break
        name += CHARS[row]
    return name



def log_of_softmax(logits):
    """The log of the shifted softmax: -inf once a probability rounds to 0."""
    largest = max(z.data for z in logits)
    exps = [(z - largest).exp() for z in logits]
    total = sum(exps)
    return [(e / total).log() for e in exps]


def log_softmax_unshifted(logits):
    """z_i - ln(sum_j e^(z_j)) as written: e^1000 overflows."""
    log_total = sum(z.exp() for z in logits).log()
    return [z - log_total for z in logits]


def log_softmax_shift_not_added_back(logits):
    """The sum shifted, but the z_i not: every value too large by the largest logit."""
    largest = max(z.data for z in logits)
    log_total = sum((z - largest).exp() for z in logits).log()
    return [z - log_total for z in logits]


def log_softmax_without_the_sum(logits):
    """Only the shift: z_i - m, not normalised."""
    largest = max(z.data for z in logits)
    return [z - largest for z in logits]


def log_softmax_of_numbers(logits):
    """Right numbers, but new Values made from floats: no gradient reaches the logits."""
    from course.engine import Value

    data = [z.data for z in logits]
    largest = max(data)
    log_total = math.log(math.fsum(math.exp(x - largest) for x in data))
    return [Value(x - largest - log_total) for x in data]


def log_softmax_shift_as_value(logits):
    """Right too: the largest logit subtracted as a Value (a shift changes nothing)."""
    largest = max(logits, key=lambda z: z.data)
    shifted = [z - largest for z in logits]
    total = shifted[0].exp()
    for s in shifted[1:]:
        total = total + s.exp()
    log_total = total.log() + largest
    return [z - log_total for z in logits]


def choose_on_train(train_names, dev_names, strengths):
    counts = bigram_counts(train_names)
    return min(strengths, key=lambda s: average_nll(train_names, probabilities(counts, s)))


def choose_counted_on_dev(train_names, dev_names, strengths):
    counts = bigram_counts(dev_names)
    return min(strengths, key=lambda s: average_nll(dev_names, probabilities(counts, s)))


def choose_largest_loss(train_names, dev_names, strengths):
    counts = bigram_counts(train_names)
    return max(strengths, key=lambda s: average_nll(dev_names, probabilities(counts, s)))


def return_the_loss(train_names, dev_names, strengths):
    counts = bigram_counts(train_names)
    return min(average_nll(dev_names, probabilities(counts, s)) for s in strengths)


def ignore_dev(train_names, dev_names, strengths):
    """Chosen on a fixed set of names of its own, whatever dev_names holds."""
    counts = bigram_counts(train_names)
    return min(strengths, key=lambda s: average_nll(["anna"], probabilities(counts, s)))


def choose_in_a_loop(train_names, dev_names, strengths):
    """Right too: a loop that keeps the best so far."""
    counts = bigram_counts(train_names)
    best, best_loss = None, math.inf
    for s in strengths:
        loss = average_nll(dev_names, probabilities(counts, s))
        if loss < best_loss:
            best, best_loss = s, loss
    return best


# exercise id -> [(a wrong answer, a piece of text its verdict must contain), ...]
def log_softmax_of_the_package(logits):
    """Right numbers, but the package's own log_softmax."""
    from course import losses

    return losses.log_softmax(logits)


def log_softmax_from_cross_entropy(logits):
    """Right numbers, through the package's cross_entropy, one class at a time."""
    from course.losses import cross_entropy

    return [-cross_entropy(logits, k) for k in range(len(logits))]


WRONG = {
    "11.1": [(greedy_with(transposed=True), "Rows and columns are swapped"),
             (greedy_with(stay_on_start=True), "move to *its* row"),
             (greedy_with(keep_mark=True), "The end mark '.' is not part of the name"),
             (greedy_with(ties_to_last=True), "On a tie"),
             (greedy_with(at_most=lambda length, max_length: length <= max_length),
              "at most max_length"),
             (greedy_with(at_most=lambda length, max_length: length < max_length - 1),
              "not one fewer"),
             (greedy_sampled(), "two different names"),
             (lambda table, max_length: list(greedy_with()(table, max_length)), "as a string")],
    "11.2": [(log_softmax_of_the_package, "calls the package's `course.losses.log_softmax`"),
             (log_softmax_from_cross_entropy, "calls the package's `course.losses.cross_entropy`"),
             (log_of_softmax, "ln 0 = -inf"),
             (log_softmax_unshifted, "e^1000 overflows"),
             (log_softmax_shift_not_added_back, "too large by the largest logit"),
             (log_softmax_without_the_sum, "not log-probabilities"),
             (log_softmax_of_numbers, "backward() does not give the slope")],
    "11.3": [(choose_on_train, "lowest loss on the training names"),
             (choose_counted_on_dev, "Count on train_names, measure on dev_names"),
             (choose_largest_loss, "whose loss is lowest"),
             (return_the_loss, "Return one of the strengths"),
             (ignore_dev, "did not change when dev_names did")],
}

# exercise id -> other correct answers (a different way to the same result must pass)
ALSO_CORRECT = {
    "11.1": [greedy_by_index],
    "11.2": [log_softmax_shift_as_value],
    "11.3": [choose_in_a_loop],
}

# what the solutions use from their notebook, besides math and Value
NAMESPACE = {"CHARS": CHARS, "bigram_counts": bigram_counts, "probabilities": probabilities,
             "average_nll": average_nll}
