"""Answers to exercise set ex08 that its checks must judge: wrong ones and other right ones."""

import math

from course.engine import Value

# ----------------------------------------------------------------------------------------------
# 08.1 binary cross-entropy from a score
# ----------------------------------------------------------------------------------------------


def bce_from_the_definition(score, label):
    """Straight from -[y ln p + (1-y) ln(1-p)]: 1 - p is exactly 0 at score 50."""
    p = score.sigmoid()
    return -(label * p.log() + (1 - label) * (1 - p).log())


def bce_as_a_number(score, label):
    """The right number, but a float, not a Value."""
    return bce_softplus(score, label).data


def bce_detached(score, label):
    """The right value in a new Value that is not connected to the score: no gradient."""
    return Value(bce_softplus(score, label).data)


def bce_labels_swapped(score, label):
    """The stable form with y and 1 - y swapped."""
    return bce_softplus(score, 1 - label)


def bce_softplus(score, label):
    """Another right answer: max(z, 0) - y z + ln(1 + e^-|z|), one formula for both signs."""
    negative_abs = -score if score.data > 0 else score  # relu has slope 0 at 0: match that side
    return score.relu() - score * label + (1 + negative_abs.exp()).log()


# ----------------------------------------------------------------------------------------------
# 08.2 early stopping with min_delta
# ----------------------------------------------------------------------------------------------


def stopping(improves, extra_epochs=0, look_at_all=False, any_drop_is_best=False,
             any_drop_resets=False):
    """An early-stopping rule with min_delta and one chosen mistake.

    ``improves(loss, best, min_delta)`` says what counts as an improvement.
    """

    def early_stopping_min_delta(dev_losses, patience, min_delta):
        best_loss, best_epoch, waited = math.inf, None, 0
        for epoch, loss in enumerate(dev_losses):
            if improves(loss, best_loss, min_delta):
                best_loss, best_epoch, waited = loss, epoch, 0
                continue
            if any_drop_is_best and loss < best_loss:
                best_loss, best_epoch = loss, epoch
            waited = 0 if any_drop_resets and loss < best_loss else waited + 1
            if waited == patience + extra_epochs:
                if look_at_all:
                    return dev_losses.index(min(dev_losses)), epoch
                return best_epoch, epoch
        return best_epoch, None

    return early_stopping_min_delta


def beats(loss, best, min_delta):
    return loss < best - min_delta


def against_previous(dev_losses, patience, min_delta):
    """Each loss compared with the previous epoch's instead of the best so far."""
    previous, best_epoch, waited = math.inf, None, 0
    for epoch, loss in enumerate(dev_losses):
        if loss < previous - min_delta:
            best_epoch, waited = epoch, 0
        else:
            waited += 1
            if waited == patience:
                return best_epoch, epoch
        previous = loss
    return best_epoch, None


def epochs_since_best(dev_losses, patience, min_delta):
    """Another right answer: the drop itself compared with min_delta, and epochs counted since
    the best one, as section 5's loop does."""
    best_loss, best_epoch = math.inf, None
    for epoch, loss in enumerate(dev_losses):
        if best_loss - loss > min_delta:
            best_loss, best_epoch = loss, epoch
        elif epoch - (-1 if best_epoch is None else best_epoch) == patience:
            return best_epoch, epoch
    return best_epoch, None


# ----------------------------------------------------------------------------------------------
# 08.3 cross-entropy for several classes
# ----------------------------------------------------------------------------------------------


def ce_unshifted(logits, label):
    """-ln of a softmax without the shift: exp(1000) overflows."""
    exps = [z.exp() for z in logits]
    return -(exps[label] / sum(exps)).log()


def ce_log_of_stable_softmax(logits, label):
    """A stable softmax, then the log: p rounds to 0 for logits (1000, -1000, 0), label 1."""
    largest = max(z.data for z in logits)
    exps = [(z - largest).exp() for z in logits]
    return -(exps[label] / sum(exps)).log()


def ce_probability(logits, label):
    """The probability of the right class instead of its negative log."""
    largest = max(z.data for z in logits)
    exps = [(z - largest).exp() for z in logits]
    return exps[label] / sum(exps)


def ce_shift_by_a_value(logits, label):
    """Another right answer: shift by the largest logit as a Value (its gradients cancel)."""
    largest = max(logits, key=lambda z: z.data)
    total = Value(0.0)
    for z in logits:
        total = total + (z - largest).exp()
    return total.log() + largest - logits[label]


# exercise id -> [(a wrong answer, a piece of text its verdict must contain), ...]
WRONG = {
    "08.1": [(bce_from_the_definition, "rounds to exactly 1"),
             (bce_as_a_number, "should return a Value"),
             (bce_detached, "differs from the slope measured by nudging"),
             (bce_labels_swapped, "wrong value")],
    "08.2": [(stopping(beats, look_at_all=True), "*before* training"),
             (stopping(lambda loss, best, d: loss < best), "was left out: a loss counts"),
             (stopping(lambda loss, best, d: loss <= best - d), "exactly min_delta"),
             (stopping(beats, extra_epochs=1), "not one epoch later"),
             (stopping(beats, extra_epochs=-1), "not 2."),
             (stopping(lambda loss, best, d: not loss >= best - d), "nan dev loss"),
             (stopping(beats, any_drop_is_best=True), "stay where they are"),
             (stopping(beats, any_drop_resets=True), "does not reset the count"),
             (against_previous, "not with the previous epoch's"),
             (lambda dev_losses, patience, min_delta: dev_losses.index(min(dev_losses)),
              "Return two things")],
    "08.3": [(ce_unshifted, "overflowed"),
             (ce_log_of_stable_softmax, "rounded to 0, and ln 0"),
             (ce_probability, "wrong value")],
}

# exercise id -> other correct answers (a different way to the same result must pass)
ALSO_CORRECT = {
    "08.1": [bce_softplus],
    "08.2": [epochs_since_best],
    "08.3": [ce_shift_by_a_value],
}

# what the solutions use from their notebook, besides math and Value: nothing
NAMESPACE = {}
