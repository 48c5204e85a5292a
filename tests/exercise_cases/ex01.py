"""Answers to exercise set ex01 that its checks must judge: wrong ones and other right ones."""

# exercise id -> [(a wrong answer, a piece of text its verdict must contain), ...]
WRONG = {
    "01.1": [(0.25, "0.25 is where the oscillation stops shrinking"),
             (0.1, "the error keeps its sign")],
    "01.2": [(0.125, "0.125 lands in one step for x = 2")],
    "01.3": [(0.25, "already diverges"), (0.05, "still converges")],
}

# exercise id -> other correct answers (a different way to the same result must pass)
ALSO_CORRECT = {
    "01.1": [0.125, 0.126],
}

# what the solutions use from their notebook, besides math and Value
NAMESPACE = {}
