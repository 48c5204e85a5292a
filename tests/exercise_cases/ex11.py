"""Answers to exercise set ex11 that its checks must judge: wrong ones and other right ones."""

import math

from course.names import CHARS, INDEX, average_nll, bigram_counts, probabilities


def ll_with(marks: tuple[str, str] = (".", "."), reduce: str = "sum", swapped: bool = False,
            sign: float = 1.0, log=math.log):
    """A log_likelihood for exercise 11.1 with the chosen slips (none: a right answer)."""

    def log_likelihood(name, probs):
        marked = marks[0] + name + marks[1]
        logs = []
        for a, b in zip(marked, marked[1:]):
            i, j = CHARS.index(a), CHARS.index(b)
            logs.append(log(probs[j][i] if swapped else probs[i][j]))
        total = sum(logs)
        if reduce == "mean":
            total /= len(logs)
        if reduce == "product":
            total = math.exp(total)
        return sign * total

    return log_likelihood


def ll_by_product(name, probs):
    """Right too: the log of the product (fine for names this short)."""
    marked = "." + name + "."
    product = 1.0
    for a, b in zip(marked, marked[1:]):
        product *= probs[INDEX[a]][INDEX[b]]
    return math.log(product)


def softmax_naive(logits):
    exps = [z.exp() for z in logits]
    total = sum(exps)
    return [e / total for e in exps]


def softmax_unnormalised(logits):
    largest = max(z.data for z in logits)
    return [(z - largest).exp() for z in logits]


def softmax_of_numbers(logits):
    from course.engine import Value

    largest = max(z.data for z in logits)
    exps = [math.exp(z.data - largest) for z in logits]
    return [Value(e / sum(exps)) for e in exps]


def softmax_shift_as_value(logits):
    """Right too: the largest logit subtracted as a Value (the softmax ignores a shift)."""
    largest = max(logits, key=lambda z: z.data)
    exps = [(z - largest).exp() for z in logits]
    total = exps[0]
    for e in exps[1:]:
        total = total + e
    return [e * total ** -1 for e in exps]


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
WRONG = {
    "11.1": [(ll_with(sign=-1.0), "negative log-likelihood"),
             (ll_with(reduce="product"), "the product of the probabilities"),
             (ll_with(reduce="mean"), "the average over the 5 pairs"),
             (ll_with(log=math.log10), "log10"),
             (ll_with(marks=(".", "")), "The last pair is missing"),
             (ll_with(marks=("", "")), "Both end pairs are missing"),
             (ll_with(swapped=True), "Rows and columns are swapped")],
    "11.2": [(softmax_naive, "e^1000 overflows"),
             (softmax_unnormalised, "do not add up to 1"),
             (softmax_of_numbers, "gradient does not reach the logits")],
    "11.3": [(choose_on_train, "lowest loss on the training names"),
             (choose_counted_on_dev, "Count on train_names, measure on dev_names"),
             (choose_largest_loss, "whose loss is lowest"),
             (return_the_loss, "Return one of the strengths"),
             (ignore_dev, "did not change when dev_names did")],
}

# exercise id -> other correct answers (a different way to the same result must pass)
ALSO_CORRECT = {
    "11.1": [ll_by_product],
    "11.2": [softmax_shift_as_value],
    "11.3": [choose_in_a_loop],
}

# what the solutions use from their notebook, besides math and Value
NAMESPACE = {"CHARS": CHARS, "bigram_counts": bigram_counts, "probabilities": probabilities,
             "average_nll": average_nll}
