"""Answers to exercise set ex08 that its checks must judge: wrong ones and other right ones."""

import math

from course import losses as package_losses
from course.engine import Value
from course.losses import binary_cross_entropy, cross_entropy, log_softmax
from course.training import EarlyStopping

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


def bce_from_the_package(score, label):
    """The package's loss for a batch of one: right, but not the learner's own."""
    return binary_cross_entropy([score], [label])


def bce_through_the_module(score, label):
    """The same shortcut, reached through the module and only for large scores."""
    if abs(score.data) < 30:
        return bce_softplus(score, label)
    return package_losses.binary_cross_entropy([score], [label])


def bce_by_label(score, label):
    """Another right answer: -ln p or -ln(1 - p) by the label, each softplus written safely."""
    def softplus(x):  # ln(1 + e^x), with exp only ever seeing a number <= 0
        if x.data > 0:
            return x + (1 + (-x).exp()).log()
        return (1 + x.exp()).log()

    return softplus(-score) if label == 1 else softplus(score)


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


def wrapping_the_package(dev_losses, patience, min_delta):
    """The package's EarlyStopping run over the list: right, but not the learner's own."""
    stopper, best_epoch = EarlyStopping(patience, min_delta), None
    for epoch, loss in enumerate(dev_losses):
        before = stopper.best_loss
        stop = stopper.update(loss, [])
        if stopper.best_loss != before:
            best_epoch = epoch
        if stop:
            return best_epoch, epoch
    return best_epoch, None


class OwnStopper:
    """The learner's own stopping object, in the spirit of the package's."""

    def __init__(self, patience, min_delta):
        self.patience, self.min_delta = patience, min_delta
        self.best_loss, self.best_epoch, self.waited = math.inf, None, 0

    def update(self, epoch, loss):
        if loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.waited = loss, epoch, 0
        else:
            self.waited += 1
        return self.waited >= self.patience


def with_an_own_stopper(dev_losses, patience, min_delta):
    """Another right answer: a stopping object of the learner's own, updated once per epoch."""
    stopper = OwnStopper(patience, min_delta)
    for epoch, loss in enumerate(dev_losses):
        if stopper.update(epoch, loss):
            return stopper.best_epoch, epoch
    return stopper.best_epoch, None


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


def ce_from_the_package(logits, label):
    """The package's cross_entropy for one example: right, but not the learner's own."""
    return cross_entropy(logits, label)


def ce_from_package_log_softmax(logits, label):
    """The package's log_softmax, negated: right, but not the learner's own."""
    return -log_softmax(logits)[label]


def ce_log_softmax_of_the_label(logits, label):
    """Another right answer: ln p_label = (z_label - m) - ln(sum of e^(z - m)), negated."""
    largest = max(z.data for z in logits)
    shifted = [z - largest for z in logits]
    log_sum = sum(s.exp() for s in shifted).log()
    return log_sum - shifted[label]


def ce_shift_by_a_value(logits, label):
    """Another right answer: shift by the largest logit as a Value (its gradients cancel)."""
    largest = max(logits, key=lambda z: z.data)
    total = Value(0.0)
    for z in logits:
        total = total + (z - largest).exp()
    return total.log() + largest - logits[label]


# exercise id -> [(a wrong answer, a piece of text its verdict must contain), ...]
def bce_one_form(score, label):
    """One form for every score: exp(-z) overflows for z far below 0."""
    return (1 + (-score).exp()).log() + (1 - label) * score


def bce_from_log_sigmoids(score, label):
    """The logs of two sigmoids: the package's sigmoid never overflows, but its log can be -inf."""
    return -(label * score.sigmoid().log() + (1 - label) * (-score).sigmoid().log())


WRONG = {
    "08.1": [(bce_one_form, "for a score of -1000"),
             (bce_from_log_sigmoids, "for a score of -1000"),
             (bce_from_the_definition, "rounds to exactly 0"),
             (bce_as_a_number, "should return a Value"),
             (bce_detached, "differs from the slope measured by nudging"),
             (bce_labels_swapped, "wrong value"),
             (bce_from_the_package, "asks you to write this loss yourself"),
             (bce_through_the_module, "calls the package's `course.losses.binary_cross_entropy`")],
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
              "Return two things"),
             (wrapping_the_package, "asks you to write the stopping rule yourself")],
    "08.3": [(ce_unshifted, "overflowed"),
             (ce_log_of_stable_softmax, "rounded to 0, and ln 0"),
             (ce_probability, "wrong value"),
             (ce_from_the_package, "calls the package's `course.losses.cross_entropy`"),
             (ce_from_package_log_softmax, "asks you to write this loss yourself")],
}

# exercise id -> other correct answers (a different way to the same result must pass)
ALSO_CORRECT = {
    "08.1": [bce_softplus, bce_by_label],
    "08.2": [epochs_since_best, with_an_own_stopper],
    "08.3": [ce_shift_by_a_value, ce_log_softmax_of_the_label],
}

# what the solutions use from their notebook, besides math and Value: nothing
NAMESPACE = {}
