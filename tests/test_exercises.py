"""The exercise checkers of course.exercises, and the exercises in the notebooks.

For every exercise: its own solution is correct; a typical wrong answer is incorrect and the
verdict names the failing case; a missing answer or the student edition's placeholder is
"not attempted"; an answer that never returns is stopped at the time limit; hints come one at
a time; the solution is shown as code. The notebooks' solutions must be the package's
solutions, so that ``solution()`` shows what the instructor edition shows.

The machinery the sets share (time limit, stop button, bad arguments, verdicts) is tested on
small exercises of its own in tests/test_checking.py.
"""

import copy
import importlib.util
import math
import re

import exercise_cases
import matplotlib
import pytest
from conftest import ROOT, watchdog

matplotlib.use("Agg")

from course.engine import Value  # noqa: E402
from course.exercises import SETS, all_exercises, exercises_of, get  # noqa: E402
from course.exercises.checking import (  # noqa: E402
    CORRECT,
    INCORRECT,
    NOT_ATTEMPTED,
    NOT_DEFINED,
    Verdict,
    backprop_gradients,
)
from course.show.playground import Playground  # noqa: E402

EXERCISES = all_exercises()
IDS = [exercise.id for exercise in EXERCISES]


def load_make_student():
    spec = importlib.util.spec_from_file_location("make_student", ROOT / "scripts/make_student.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def solution_namespace() -> dict:
    """What the solutions use from their notebooks: imports and the data of the exercise cells."""
    return {"math": math, "Value": Value, **SOLUTION_NAMESPACE}


def answer_from_solution(exercise):
    namespace = solution_namespace()
    exec(exercise.solution_code, namespace)
    return namespace[exercise.answer_name]


def text_of(verdict: Verdict) -> str:
    return repr(verdict)


def asks_for_function(exercise) -> bool:
    return f"def {exercise.answer_name}(" in exercise.solution_code


def asks_for_class(exercise) -> bool:
    return f"class {exercise.answer_name}" in exercise.solution_code


WRONG, ALSO_CORRECT, SOLUTION_NAMESPACE = exercise_cases.collect()


# ----------------------------------------------------------------------------------------------
# Every exercise
# ----------------------------------------------------------------------------------------------


def test_every_exercise_has_wrong_answers_to_test():
    assert set(WRONG) == set(IDS)


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_the_solution_is_correct(exercise):
    verdict = exercise.evaluate(answer_from_solution(exercise))
    assert verdict.status == CORRECT, text_of(verdict)
    assert verdict.case is None


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_other_correct_answers_pass(exercise):
    for answer in ALSO_CORRECT.get(exercise.id, []):
        verdict = exercise.evaluate(answer)
        assert verdict.status == CORRECT, text_of(verdict)


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_a_wrong_answer_is_incorrect_and_names_the_failing_case(exercise):
    for answer, says in WRONG[exercise.id]:
        verdict = exercise.evaluate(answer)
        assert verdict.status == INCORRECT, text_of(verdict)
        assert verdict.case is not None, text_of(verdict)
        assert says in text_of(verdict), text_of(verdict)
        for line in ("input:", "expected:", "got:"):
            assert line in text_of(verdict)


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_a_missing_answer_is_not_attempted(exercise):
    for answer in (NOT_DEFINED, ...):
        verdict = exercise.evaluate(answer)
        assert verdict.status == NOT_ATTEMPTED
        assert f"`{exercise.answer_name}` is not defined yet" in verdict.message


def placeholder(*args):
    raise NotImplementedError("Exercise: replace this line with your solution")


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_the_placeholder_is_not_attempted(exercise):
    """A function whose body is the student edition's placeholder has not been attempted."""
    verdict = exercise.evaluate(placeholder)
    if asks_for_function(exercise):  # the student writes a function
        assert verdict.status == NOT_ATTEMPTED
        assert "still raises NotImplementedError" in verdict.message
    else:
        assert verdict.status == INCORRECT  # a function where a value was asked for


def looping(*args, **kwargs):
    """An answer that never returns: the loop a student forgot to end."""
    while True:
        pass


class Looping:
    """A class answer whose every method (and constructor) never returns."""

    __init__ = __call__ = parameters = forward = zero_grad = looping


RUNS_CODE = [e for e in EXERCISES if asks_for_function(e) or asks_for_class(e)]


@pytest.mark.parametrize("exercise", RUNS_CODE, ids=[e.id for e in RUNS_CODE])
def test_an_answer_that_never_returns_is_stopped(exercise):
    """Every check that runs the student's code stops it at the time limit (0.1 s here)."""
    quick = copy.copy(exercise)
    quick.time_limit = 0.1
    with watchdog(5):
        verdict = quick.evaluate(Looping if asks_for_class(exercise) else looping)
    assert verdict.status == INCORRECT, text_of(verdict)


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_hints_come_one_at_a_time(exercise, capsys):
    fresh = copy.copy(exercise)
    fresh.hints_shown = 0
    count = len(fresh.hints)
    assert count >= 2
    for k in range(1, count + 1):
        fresh.hint()
        out = capsys.readouterr().out
        assert f"Hint {k} of {count} for exercise {exercise.id}" in out
        assert fresh.hints[k - 1].split()[0] in out
        for other in range(count):
            if other != k - 1:
                assert fresh.hints[other] not in out
    fresh.hint()
    assert f"No more hints for exercise {exercise.id}" in capsys.readouterr().out
    fresh.hint(1)
    assert "Hint 1 of" in capsys.readouterr().out


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_the_solution_is_shown_as_code(exercise, capsys):
    exercise.solution()
    out = capsys.readouterr().out
    assert f"A solution to exercise {exercise.id}" in out
    for line in exercise.solution_code.splitlines():
        assert line in out


@pytest.mark.parametrize("set_name", SETS)
def test_each_notebook_has_two_to_four_exercises(set_name):
    exercises = exercises_of(set_name)
    assert 2 <= len(exercises) <= 4
    numbers = range(1, len(exercises) + 1)
    assert [e.id for e in exercises] == [f"{set_name[2:]}.{k}" for k in numbers]
    names = [e.answer_name for e in exercises]
    assert len(set(names)) == len(names)
    assert get(exercises[0].id) is exercises[0]


# ----------------------------------------------------------------------------------------------
# Helpers shared by the sets (the machinery itself: tests/test_checking.py)
# ----------------------------------------------------------------------------------------------


def test_a_playground_is_accepted_as_an_answer():
    from course.exercises import ex10

    playground = Playground.from_state("dataset=spiral; layers=16,16,16")
    assert ex10.q2.evaluate(playground).status == CORRECT
    assert "cannot be read" in ex10.q2.evaluate("layers=eight").message


def test_backprop_gradients_agree_with_the_engine():
    a, b = Value(1.5), Value(-2.0)
    u = a * b
    out = (u * (u + a)).tanh()
    grads = backprop_gradients(out)
    out.backward()
    assert grads[id(a)] == pytest.approx(a.grad) and grads[id(b)] == pytest.approx(b.grad)


# ----------------------------------------------------------------------------------------------
# The exercises in the notebooks
# ----------------------------------------------------------------------------------------------


def exercise_cells(notebook):
    """(exercise id, solution regions, index) of every answer cell of the notebook."""
    make_student = load_make_student()
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    found = []
    for index, cell in enumerate(nb.cells):
        if make_student.has_solution(cell):
            exercise_id = make_student.exercise_id_of(cell.source, notebook.name)
            found.append((exercise_id, solution_regions(cell.source), index))
    return nb, found


def solution_regions(source: str) -> list[list[str]]:
    regions = re.findall(r"### BEGIN SOLUTION\n(.*?)\n\s*### END SOLUTION", source, re.S)
    return [[line.strip() for line in region.splitlines() if line.strip()] for region in regions]


def contains_run(lines: list[str], run: list[str]) -> bool:
    return any(lines[i : i + len(run)] == run for i in range(len(lines) - len(run) + 1))


def test_the_notebooks_solutions_are_the_packages_solutions(notebook):
    nb, cells = exercise_cells(notebook)
    if not cells:
        pytest.skip(f"{notebook.name} has no exercises yet")
    set_name = "ex" + notebook.name[:2]
    assert f"from course.exercises import {set_name} as ex" in "\n".join(
        c.source for c in nb.cells if c.cell_type == "code")
    assert [exercise_id for exercise_id, _, _ in cells] == [e.id for e in exercises_of(set_name)]
    for exercise_id, regions, index in cells:
        exercise = get(exercise_id)
        solution_lines = [line.strip() for line in exercise.solution_code.splitlines()
                          if line.strip()]
        for region in regions:
            assert contains_run(solution_lines, region), (
                f"{notebook.name}: the solution of {exercise_id} differs from "
                f"ex{exercise_id[:2]}.{exercise.key}.solution()")
        check_cell = nb.cells[index + 1]
        assert check_cell.source.strip() == f"ex.{exercise.key}.check()", (
            f"{notebook.name}: the cell after exercise {exercise_id} should be its check")
        verdict = "".join(o.get("data", {}).get("text/plain", "") for o in check_cell.outputs)
        assert verdict.startswith(f"✓ Exercise {exercise_id}: correct"), verdict
