"""One weight learned by gradient descent (notebook 01): the loop, and what a run did.

The model predicts ``w * x``; the loss is ``(w*x - y)**2``; its slope with respect to w is
``2 * x * (w*x - y)``; each step moves ``w <- w - lr * slope``. Every step multiplies the
error ``w*x - y`` by the same factor ``1 - 2*x**2*lr``, so one learning rate always does the
same thing: crawl, slide smoothly, oscillate, or blow up. A learning rate far too large
makes the weights grow until they are inf and then nan: no error, every run can be looked at.

Plain Python, no plotting: the pictures of these runs live in ``course.show``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

SMOOTH = "converges smoothly"
CRAWLS = "crawls"
OSCILLATES = "oscillates but converges"
OSCILLATES_FOREVER = "oscillates forever"
DIVERGES = "diverges"

CRAWL_FRACTION = 0.1  # "crawls": after all the steps, |error| is still above 10 % of the start
SAME_SIZE = 1e-9  # relative tolerance for "the error stayed the same size"


def single_weight_descent(
    lr: float, steps: int, w0: float = 1.0, x: float = 2.0, y: float = 6.0
) -> list[float]:
    """Gradient descent on one weight: the weights w0, w1, ..., w_steps (steps + 1 numbers).

    The model predicts ``w * x``; the loss is ``(w*x - y)**2``; its slope with respect to w is
    ``2 * x * (w*x - y)``; each step moves ``w <- w - lr * slope``.
    """
    ws = [float(w0)]
    w = float(w0)
    for _ in range(int(steps)):
        grad = 2 * x * (w * x - y)
        w = w - lr * grad
        ws.append(w)
    return ws


def classify_descent(errors: Sequence[float], crawl_fraction: float = CRAWL_FRACTION) -> str:
    """Name what a run of gradient descent did, from its errors (prediction - target) per step.

    Read straight off the run, with no formula: the error grew -> "diverges"; it changed sign
    (jumped over the minimum) and shrank -> "oscillates but converges", or kept its size ->
    "oscillates forever"; it shrank without changing sign -> "converges smoothly", or
    "crawls" when more than ``crawl_fraction`` of it is still left at the end.
    """
    if len(errors) < 2:
        raise ValueError("classify_descent needs the errors of at least two steps")
    first, last = abs(errors[0]), abs(errors[-1])
    if not math.isfinite(last) or last > first * (1 + SAME_SIZE):
        return DIVERGES
    jumps_over = any(a * b < 0 for a, b in zip(errors, errors[1:]))
    if jumps_over:
        return OSCILLATES_FOREVER if last >= first * (1 - SAME_SIZE) else OSCILLATES
    return CRAWLS if last > crawl_fraction * first else SMOOTH
