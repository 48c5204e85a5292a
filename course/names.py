"""First names for a character-level language model, and the bigram model that counts them.

``load_names()`` reads the 30,000 names of ``course/data_files/names.txt`` (US Social Security
baby names, public domain; ``scripts/make_names.py`` says where they come from and rebuilds
the file). The rest is what notebook 11 has the learner write first: the 27 characters
(``.`` marks where a name starts and ends), a seeded train/dev/test split, the 27x27 table of
bigram counts, smoothed probabilities, and the average negative log-likelihood that measures
how well a table predicts names.
"""

from __future__ import annotations

import math
import numbers
import random
from collections.abc import Sequence
from importlib import resources

from course import checks

CHARS = ".abcdefghijklmnopqrstuvwxyz"  # index 0 is the start/end mark, then a=1 ... z=26
INDEX = {c: i for i, c in enumerate(CHARS)}


def load_names() -> list[str]:
    """The names of the data file, most frequent first, lowercase a-z."""
    text = resources.files("course").joinpath("data_files/names.txt").read_text("ascii")
    return text.split()


def split_names(
    names: Sequence[str], seed: int = 0
) -> tuple[list[str], list[str], list[str]]:
    """Shuffle a copy of ``names`` with ``seed``; return 80% train, 10% dev and 10% test."""
    shuffled = list(names)
    random.Random(seed).shuffle(shuffled)
    n_train, n_dev = int(0.8 * len(shuffled)), int(0.9 * len(shuffled))
    return shuffled[:n_train], shuffled[n_train:n_dev], shuffled[n_dev:]


def bigrams(name: str) -> list[tuple[int, int]]:
    """The (character, next character) index pairs of one name, with '.' at both ends."""
    if not isinstance(name, str):
        raise TypeError(f"a name is a str, got {checks.describe(name)}")
    unknown = sorted(set(name) - set(CHARS[1:]))
    if unknown:
        raise ValueError(f"names are lowercase letters a-z; {name!r} has {''.join(unknown)!r}")
    marked = [0, *(INDEX[c] for c in name), 0]
    return list(zip(marked, marked[1:]))


def bigram_counts(names: Sequence[str]) -> list[list[int]]:
    """counts[i][j]: how often character j follows character i in ``names`` (27 x 27)."""
    counts = [[0] * len(CHARS) for _ in CHARS]
    for name in names:
        for i, j in bigrams(name):
            counts[i][j] += 1
    return counts


def probabilities(counts: Sequence[Sequence[int]], smoothing: float = 1.0) -> list[list[float]]:
    """Each row of counts, plus ``smoothing`` in every cell, divided by its total.

    Row i is then the probability of each next character after character i. Smoothing keeps
    a pair never seen from getting probability 0 (and a log-likelihood of minus infinity).
    """
    if isinstance(smoothing, bool) or not isinstance(smoothing, numbers.Real) or smoothing < 0:
        raise ValueError(f"smoothing is a number >= 0 added to every count, got {smoothing!r}")
    table = []
    for row in counts:
        total = sum(row) + smoothing * len(row)
        if total == 0:
            raise ValueError("a row of counts is all zeros and smoothing is 0: use smoothing > 0")
        table.append([(c + smoothing) / total for c in row])
    return table


def average_nll(names: Sequence[str], probs: Sequence[Sequence[float]]) -> float:
    """The mean of -log(probability of each next character) over every bigram of ``names``."""
    total, count = 0.0, 0
    for name in names:
        for i, j in bigrams(name):
            p = probs[i][j]
            total -= math.log(p) if p > 0 else -math.inf
            count += 1
    if count == 0:
        raise ValueError("average_nll needs at least one name, got none")
    return total / count
