"""The names data file and the bigram model of notebook 11 (course/names.py)."""

import math

import pytest

from course.names import (
    CHARS,
    average_nll,
    bigram_counts,
    bigrams,
    load_names,
    probabilities,
    split_names,
)


def test_the_data_file_holds_30000_distinct_lowercase_names():
    names = load_names()
    assert len(names) == 30_000 == len(set(names))
    assert all(2 <= len(n) <= 15 and set(n) <= set(CHARS[1:]) for n in names)
    assert names[:3] == ["james", "john", "robert"]  # most frequent first


def test_the_split_is_80_10_10_seeded_and_covers_every_name_once():
    names = load_names()
    train, dev, test = split_names(names, seed=0)
    assert (len(train), len(dev), len(test)) == (24_000, 3_000, 3_000)
    assert sorted(train + dev + test) == sorted(names)
    assert split_names(names, seed=0) == (train, dev, test)
    assert split_names(names, seed=1)[0] != train


def test_bigrams_mark_start_and_end_with_the_dot():
    assert bigrams("ab") == [(0, 1), (1, 2), (2, 0)]
    with pytest.raises(ValueError, match="lowercase letters a-z; 'Ann' has 'A'"):
        bigrams("Ann")
    with pytest.raises(TypeError, match="a name is a str"):
        bigrams(3)


def test_counts_probabilities_and_nll_on_a_worked_example():
    counts = bigram_counts(["ab", "a"])  # .a twice, ab once, b. once, a. once
    assert counts[0][1] == 2 and counts[1][2] == 1 and counts[2][0] == 1 and counts[1][0] == 1
    assert sum(map(sum, counts)) == 5
    probs = probabilities(counts, smoothing=1)
    assert probs[0][1] == pytest.approx(3 / 29) and probs[1][2] == pytest.approx(2 / 29)
    assert all(sum(row) == pytest.approx(1.0) for row in probs)
    # "ab" = .a, ab, b. with probabilities 3/29, 2/29, 2/28
    expected = -(math.log(3 / 29) + math.log(2 / 29) + math.log(2 / 28)) / 3
    assert average_nll(["ab"], probs) == pytest.approx(expected, abs=1e-15)


def test_an_unseen_pair_costs_infinity_without_smoothing():
    probs = [[0.0] * 27 for _ in range(27)]
    probs[0][1] = probs[1][0] = 1.0  # only "a" is possible
    assert average_nll(["a"], probs) == 0.0
    assert average_nll(["a", "b"], probs) == math.inf
    with pytest.raises(ValueError, match="all zeros and smoothing is 0: use smoothing > 0"):
        probabilities(bigram_counts(["ab"]), smoothing=0)
    assert probabilities([[1, 3]], smoothing=0) == [[0.25, 0.75]]


def test_bad_smoothing_and_no_names_are_refused():
    with pytest.raises(ValueError, match="smoothing is a number >= 0"):
        probabilities([[1]], smoothing=-1)
    with pytest.raises(ValueError, match="at least one name"):
        average_nll([], [[1.0]])
