"""Answers to exercise set ex05 that its checks must judge: wrong ones and other right ones."""

# exercise id -> [(a wrong answer, a piece of text its verdict must contain), ...]
WRONG = {
    "05.1": [("x2", "is an input"), ("b", "b's grad is 0.42")],
    "05.2": [({"a": -2.0, "b": -2.0, "c": -3.0}, "b is used twice"),
             ({"a": -2.0, "b": 1.0}, "no entry for 'c'")],
}

# exercise id -> other correct answers (a different way to the same result must pass)
ALSO_CORRECT = {
    "05.1": [" W2 "],
}

# what the solutions use from their notebook, besides math and Value
NAMESPACE = {}
