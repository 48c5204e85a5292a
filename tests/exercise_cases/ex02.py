"""Answers to exercise set ex02 that its checks must judge: wrong ones and other right ones."""



def slopes_without_the_2(fn, point, h=1e-6):
    slopes = []
    for i in range(len(point)):
        up, down = list(point), list(point)
        up[i] += h
        down[i] -= h
        slopes.append((fn(*up) - fn(*down)) / h)
    return slopes


def forward_difference_slopes(fn, point, h=1e-6):
    base = fn(*point)
    return [(fn(*[x + h if j == i else x for j, x in enumerate(point)]) - base) / h
            for i in range(len(point))]


# exercise id -> [(a wrong answer, a piece of text its verdict must contain), ...]
WRONG = {
    "02.1": [((-12.0, -8.0, -6.0), "dm/db at a = 2, b = -3, c = 4")],
    "02.2": [(6.0, "6 is ∂p/∂a"), (0.1, "0.1 is ∂q/∂p")],
    "02.3": [(slopes_without_the_2, "partial_derivatives(a*b + c, (2.0, -3.0, 10.0))")],
}

# exercise id -> other correct answers (a different way to the same result must pass)
ALSO_CORRECT = {
    "02.1": [[-12, 8, -6]],
    "02.3": [forward_difference_slopes],
}

# what the solutions use from their notebook, besides math and Value
NAMESPACE = {}
