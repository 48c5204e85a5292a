"""Answers to exercise set ex01 that its checks must judge: wrong ones and other right ones."""

from course.single_weight import single_weight_descent


def oscillates_for_x2_only(lr, x):
    return 1 - 8 * lr < 0


def diverges_instead(lr, x):
    return 1 - 2 * x**2 * lr < -1


def oscillates_by_running(lr, x):
    """Run two steps with y = x (best weight 1) from w = 0 and compare the signs of the errors."""
    w0, w1, w2 = single_weight_descent(lr, 2, w0=0.0, x=x, y=x)
    return (w0 - 1) * (w1 - 1) < 0 and (w1 - 1) * (w2 - 1) < 0


def returns_the_factor(lr, x):
    return 1 - 2 * x**2 * lr

# exercise id -> [(a wrong answer, a piece of text its verdict must contain), ...]
WRONG = {
    "01.1": [(oscillates_for_x2_only, "It is right for x = 2"),
             (diverges_instead, "that counts as oscillating"),
             (returns_the_factor, "it should return True or False"),
             (0.125, "should be a function")],
    "01.2": [(0.125, "0.125 lands in one step for x = 2")],
    "01.3": [(0.25, "already diverges"), (0.05, "still converges")],
}

# exercise id -> other correct answers (a different way to the same result must pass)
ALSO_CORRECT = {
    "01.1": [oscillates_by_running],
}

# what the solutions use from their notebook, besides math and Value
NAMESPACE = {}
