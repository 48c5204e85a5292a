"""Answers to exercise set ex10 that its checks must judge: wrong ones and other right ones."""

from course.show.playground import PlaygroundSettings

# exercise id -> [(a wrong answer, a piece of text its verdict must contain), ...]
WRONG = {
    "10.1": [("moons", "the two arcs interleave"), ("xor", "No straight line")],
    "10.2": [("dataset=xor", "test accuracy at least 95%"),
             ("dataset=moons; layers=8; lr=0.3", "Keep the data")],
    "10.3": [("dataset=circles; layers=4; lr=1", "4 hidden neurons"),
             ("dataset=circles; layers=3; lr=0.3", "test accuracy at least 90%")],
}

# exercise id -> other correct answers (a different way to the same result must pass)
ALSO_CORRECT = {
    "10.2": [PlaygroundSettings.from_string("dataset=xor; layers=8; lr=0.3")],
}

# what the solutions use from their notebook, besides math and Value
NAMESPACE = {}
