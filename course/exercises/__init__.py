"""Exercises with automatic checks: one set per notebook, at the end of the notebook.

In a notebook::

    from course.exercises import ex03 as ex

    ex.q1.check()      # checks your answer (the variable the exercise names) and says:
                       #   correct / incorrect, with the failing case / not attempted
    ex.q1.hint()       # the next hint; call it again for the next one
    ex.q1.solution()   # a solution

    from course.exercises import progress
    progress("03")     # which exercises of notebook 03 are correct, incorrect, not attempted
    progress()         # the same for every notebook, read from the notebooks as saved

``print(ex.q1)`` says which variable or function the exercise asks for. The sets are the
modules ``ex01`` ... ``ex12`` of this package. The machinery they share: ``checking.py`` (the
Exercise class and the helpers of the checks), ``running.py`` (the time limit on the student's
code), ``verdicts.py`` (how a verdict looks), ``networks.py`` (a student's network class
compared with ``course.nn``), ``shortcuts.py`` (an answer that calls the package's own version
is caught) and ``progress.py`` (the verdicts saved in the notebooks).
"""

from __future__ import annotations

import importlib

from course.exercises.checking import Exercise, Verdict
from course.exercises.progress import progress

__all__ = ["SETS", "Exercise", "Verdict", "all_exercises", "get", "progress"]

SETS = ("ex01", "ex02", "ex03", "ex04", "ex05", "ex06", "ex07", "ex08", "ex09", "ex10", "ex11",
        "ex12")


def exercises_of(set_name: str) -> list[Exercise]:
    """The exercises of one set (``"ex03"``), in order: q1, q2, ..."""
    module = importlib.import_module(f"course.exercises.{set_name}")
    found = [value for value in vars(module).values() if isinstance(value, Exercise)]
    return sorted(found, key=lambda exercise: int(exercise.id.split(".")[1]))


def all_exercises() -> list[Exercise]:
    """Every exercise of the course, notebook by notebook."""
    return [exercise for set_name in SETS for exercise in exercises_of(set_name)]


def get(exercise_id: str) -> Exercise:
    """The exercise with this id, e.g. ``get("03.2")``."""
    if not isinstance(exercise_id, str):
        raise TypeError(f"an exercise id is a string like \"03.2\"; got {exercise_id!r}")
    set_name = "ex" + exercise_id.split(".")[0]
    for exercise in exercises_of(set_name) if set_name in SETS else []:
        if exercise.id == exercise_id:
            return exercise
    raise KeyError(f"no exercise {exercise_id!r}")
