"""Predict, then run (course/exercises/predict.py): the line shown beside a learner's guess.

Whatever the learner writes as a guess, the reveal shows a line and never raises: Run All must
pass with the guess unwritten (the stored notebooks) and with any guess at all.
"""

import math

import pytest

from course.exercises.predict import compare, reveal


def line(guess, actual, **options) -> str:
    """The text the reveal shows: its heading, then the sentence."""
    return repr(compare(guess, actual, **options))


def test_a_close_guess_is_close():
    assert line(-5.9, -6.0, what="a.grad") == (
        "✓ a.grad\n  Your guess: -5.9 · Actual: -6 · close (off by 0.1)")


def test_an_exact_guess_is_exactly_right():
    assert line(-6, -6.0, what="a.grad").endswith("Actual: -6 · exactly right")


def test_a_guess_that_is_off_says_by_how_much_and_which_way():
    assert line(3, -6.0, what="a.grad") == (
        "≠ a.grad\n  Your guess: 3 · Actual: -6 · off by 9 (the actual value is smaller)")
    assert line(0.5, 0.75).endswith("off by 0.25 (the actual value is larger)")


def test_the_default_tolerance_is_5_percent_or_at_least_a_hundredth():
    assert "close" in line(104.9, 100.0)
    assert "off by 5.1" in line(105.1, 100.0)
    assert "close" in line(0.009, 0.0)
    assert "off by 0.011" in line(0.011, 0.0)


def test_a_tolerance_can_be_given():
    assert "close" in line(1.5, 2.0, tolerance=0.5)
    assert "off by 0.5" in line(1.5, 2.0, tolerance=0.4)
    assert "exactly right" in line(2, 2, tolerance=0)


@pytest.mark.parametrize("unwritten", [..., None])
def test_an_unwritten_guess_shows_the_answer(unwritten):
    assert line(unwritten, 0.125, what="the loss") == (
        "○ the loss\n  No guess written: the answer is 0.125.")
    assert line(unwritten, [1.0, -2.0]).endswith("No guess written: the answer is [1, -2].")


def test_a_guess_of_the_wrong_type_gets_a_readable_line():
    assert line("six", -6.0, what="a.grad") == (
        "≠ a.grad\n  Your guess: 'six' · Actual: -6 · not compared: your guess is a str; "
        "write a number, e.g. `guess = 0.5`")
    assert "your guess is a bool; write a number" in line(True, 1.0)
    assert "your guess is an int; write a list of 2 numbers, e.g. `guess = [0.5, 0.5]`" in (
        line(3, [1.0, 2.0]))
    assert "your guess is an int; write a str" in line(1, "dev")


def test_lists_of_numbers_are_compared_number_by_number():
    assert "close (off by 0.02)" in line([0.98, -1], [1.0, -1.0])
    assert "off by up to 0.5 (at position 1)" in line([1, 2, 3], [1.0, 2.5, 3.0])
    assert "your guess has 2 numbers, the answer has 3" in line([1, 2], [1.0, 2.0, 3.0])


def test_words_are_compared_ignoring_case_and_spaces():
    assert line(" Dev", "dev").endswith("· right")
    assert line("train", "dev").endswith("· not this time")
    assert line(False, False).endswith("· right")


def test_odd_numbers_do_not_raise():
    assert "off by inf" in line(math.nan, 1.0)
    assert "exactly right" in line(math.inf, math.inf)
    assert "Your guess: a huge integer" in line(10**400, 1.0)


def test_reveal_shows_the_line(capsys):
    reveal(..., 2.0, what="w")
    assert capsys.readouterr().out == "○ w\n  No guess written: the answer is 2.\n"


def test_the_box_colours_say_close_or_off():
    assert "#009E73" in compare(2.0, 2.0)._repr_html_()  # green: close
    assert "#8A6100" in compare(9.0, 2.0)._repr_html_()  # dark yellow: off


def test_mistakes_of_the_notebook_itself_are_clear_errors():
    with pytest.raises(TypeError, match=r"actual value is an object: pass its number"):
        compare(1.0, object())
    with pytest.raises(TypeError, match="tolerance= is a number"):
        compare(1.0, 1.0, tolerance="0.1")
    with pytest.raises(ValueError, match="tolerance= must be 0 or more"):
        compare(1.0, 1.0, tolerance=-1)
    with pytest.raises(TypeError, match="what= names the predicted value as text"):
        compare(1.0, 1.0, what=3)
