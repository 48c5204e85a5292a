"""The exercise checkers of course.exercises, and the exercises in the notebooks.

For every exercise: its own solution is correct; a typical wrong answer is incorrect and the
verdict names the failing case; a missing answer or the student edition's placeholder is
"not attempted"; hints come one at a time; the solution is shown as code. The notebooks'
solutions must be the package's solutions, so that ``solution()`` shows what the instructor
edition shows.
"""

import copy
import importlib.util
import math
import re

import matplotlib
import pytest
from conftest import ROOT

matplotlib.use("Agg")

from course.engine import Value  # noqa: E402
from course.exercises import SETS, all_exercises, ex02, ex03, ex07, ex09, exercises_of, get  # noqa: E402
from course.exercises.checking import (  # noqa: E402
    CORRECT,
    INCORRECT,
    NOT_ATTEMPTED,
    NOT_DEFINED,
    Case,
    Verdict,
    backprop_gradients,
)
from course.losses import mse  # noqa: E402
from course.nn import MLP  # noqa: E402
from course.show import largest_stable_lr  # noqa: E402
from course.show.playground import Playground, PlaygroundSettings  # noqa: E402
from course.training import fit  # noqa: E402

EXERCISES = all_exercises()
IDS = [exercise.id for exercise in EXERCISES]


def load_make_student():
    spec = importlib.util.spec_from_file_location("make_student", ROOT / "scripts/make_student.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def solution_namespace() -> dict:
    """What the solutions use from their notebooks: imports and the data of the exercise cells."""
    return {
        "math": math, "Value": Value, "MLP": MLP, "mse": mse, "fit": fit,
        "largest_stable_lr": largest_stable_lr, "ex": ex09, "data": ex09.moons_split(),
    }


def answer_from_solution(exercise):
    namespace = solution_namespace()
    exec(exercise.solution_code, namespace)
    return namespace[exercise.answer_name]


def text_of(verdict: Verdict) -> str:
    return repr(verdict)


# ----------------------------------------------------------------------------------------------
# Wrong answers, and other correct ones
# ----------------------------------------------------------------------------------------------


def cube_with_wrong_local_grad(v):
    return Value(v.data**3, children=(v,), local_grads=(2 * v.data,))


def cube_from_products(v):
    return v * v * v  # a different graph, the same function: must pass


def cube_without_children(v):
    return Value(v.data**3)


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


def backward_naive(root):
    """Notebook 03's first attempt: passes a gradient on before it is complete."""
    root.grad = 1.0

    def pass_down(node):
        for child, local in zip(node.children, node.local_grads):
            child.grad += local * node.grad
            pass_down(child)

    pass_down(root)


def backward_recursive(root):
    """Right on small graphs, but its recursion is too deep for a long chain."""
    order, visited = [], set()

    def visit(node):
        if node not in visited:
            visited.add(node)
            for child in node.children:
                visit(child)
            order.append(node)

    visit(root)
    root.grad = 1.0
    for node in reversed(order):
        for child, local in zip(node.children, node.local_grads):
            child.grad += local * node.grad


def backward_with_method(root):
    root.backward()  # the checker's nodes have no methods


def neuron_without_tanh(x, w, b):
    total = b
    for wi, xi in zip(w, x):
        total = total + wi * xi
    return total


def neuron_returning_data(x, w, b):
    return neuron_without_tanh(x, w, b).tanh().data


def weights_only(nin, nouts):
    sizes = [nin, *nouts]
    return sum(a * b for a, b in zip(sizes, sizes[1:]))


def loop(zero_grads: bool, sign: float, zero_after_backward: bool = False):
    """A training loop with the chosen bugs, for exercise 07.1."""

    def train_loop(model, xs, ys, steps, lr):
        params, losses = model.parameters(), []
        for _ in range(steps):
            loss = mse([model(x) for x in xs], ys)
            if zero_grads:
                model.zero_grad()
            loss.backward()
            if zero_after_backward:
                model.zero_grad()
            for p in params:
                p.data += sign * lr * p.grad
            losses.append(loss.data)
        return losses

    return train_loop


def untrained_model():
    return MLP(2, [4, 1], activation="relu", seed=0)


# exercise id -> [(a wrong answer, a piece of text its verdict must contain), ...]
WRONG = {
    "01.1": [(0.25, "0.25 is where the oscillation stops shrinking"),
             (0.1, "the error keeps its sign")],
    "01.2": [(0.125, "0.125 lands in one step for x = 2")],
    "01.3": [(0.25, "already diverges"), (0.05, "still converges")],
    "02.1": [((-12.0, -8.0, -6.0), "dm/db at a = 2, b = -3, c = 4")],
    "02.2": [(6.0, "6 is ∂p/∂a"), (0.1, "0.1 is ∂q/∂p")],
    "02.3": [(slopes_without_the_2, "partial_derivatives(a*b + c, (2.0, -3.0, 10.0))")],
    "03.1": [(12.0, "12 is ∂c/∂b")],
    "03.2": [(cube_with_wrong_local_grad, "d cube(v)/dv at v = 2"),
             (cube_without_children, "does not record v as its child")],
    "03.3": [(backward_naive, "a.grad = 4 (measured by nudging a)"),
             (backward_recursive, "walk the graph with a stack"),
             (backward_with_method, "no methods")],
    "05.1": [("x2", "is an input"), ("b", "b's grad is 0.42")],
    "05.2": [({"a": -2.0, "b": -2.0, "c": -3.0}, "b is used twice"),
             ({"a": -2.0, "b": 1.0}, "no entry for 'c'")],
    "06.1": [(neuron_without_tanh, "tanh(w·x + b)"),
             (neuron_returning_data, "Return the Value itself")],
    "06.2": [(weights_only, "counts the weights only")],
    "06.3": [(MLP(3, [4, 1]), "has 21 parameters"), (MLP(3, [4, 4, 2]), "2 outputs"),
             (MLP(2, [8, 1]), "expects 2 inputs")],
    "07.1": [(loop(zero_grads=False, sign=-1.0), "piling up"),
             (loop(zero_grads=True, sign=+1.0), "Subtract lr * grad"),
             (loop(zero_grads=False, sign=+1.0), "Subtract lr * grad"),
             (loop(True, -1.0, zero_after_backward=True), "never changed")],
    "07.2": [(-16.0, "−16 is the gradient of one backward()")],
    "09.1": [(10.0, "overshoot"), (0.001, "too small")],
    "09.2": [(untrained_model(), "accuracy(trained_model, data.X_dev, data.y_dev)")],
    "10.1": [("moons", "the two arcs interleave"), ("xor", "No straight line")],
    "10.2": [("dataset=xor", "test accuracy at least 95%"),
             ("dataset=moons; layers=8; lr=0.3", "Keep the data")],
    "10.3": [("dataset=circles; layers=4; lr=1", "4 hidden neurons"),
             ("dataset=circles; layers=3; lr=0.3", "test accuracy at least 90%")],
}

# exercise id -> other correct answers (a different way to the same result must pass)
ALSO_CORRECT = {
    "01.1": [0.125, 0.126],
    "02.1": [[-12, 8, -6]],
    "02.3": [forward_difference_slopes],
    "03.2": [cube_from_products],
    "05.1": [" W2 "],
    "06.3": [MLP(3, [8, 1])],
    "07.1": [loop(zero_grads=True, sign=-1.0)],
    "09.1": [0.3],
    "10.2": [PlaygroundSettings.from_string("dataset=xor; layers=8; lr=0.3")],
}


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
    if f"def {exercise.answer_name}(" in exercise.solution_code:  # the student writes a function
        assert verdict.status == NOT_ATTEMPTED
        assert "still raises NotImplementedError" in verdict.message
    else:
        assert verdict.status == INCORRECT  # a function where a value was asked for


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
# How a check finds and shows the answer
# ----------------------------------------------------------------------------------------------


def test_check_reads_the_answer_from_the_notebook_variables(capsys):
    namespace = {"ex": ex02, "dq_da": 0.6}
    exec("ex.q2.check()", namespace)  # as a notebook cell runs it
    assert "✓ Exercise 02.2: correct" in capsys.readouterr().out
    del namespace["dq_da"]
    exec("ex.q2.check()", namespace)
    assert "○ Exercise 02.2: not attempted" in capsys.readouterr().out


def test_check_takes_the_answer_as_an_argument_too(capsys):
    ex02.q2.check(6.0)
    out = capsys.readouterr().out
    assert "✗ Exercise 02.2: incorrect" in out
    assert "expected: 0.6" in out and "got:      6" in out


@pytest.mark.parametrize("answer, says", [
    ("0.6", "should be a number, like 0.5; it is a str '0.6'"),
    (None, "should be a number, like 0.5; it is a None"),
    (True, "it is a bool"),
    (math.nan, "should be a finite number"),
])
def test_a_wrong_type_is_named(answer, says):
    verdict = ex02.q2.evaluate(answer)
    assert verdict.status == INCORRECT
    assert says in verdict.message


def test_an_error_in_the_students_code_is_the_failing_case():
    def cube(v):
        return 1 / 0

    verdict = ex03.q2.evaluate(cube)
    assert verdict.status == INCORRECT
    assert verdict.case.input == "cube(Value(2))"
    assert "ZeroDivisionError: division by zero" in verdict.case.got


def test_wrong_lengths_and_kinds_of_answer_are_named():
    assert "holds 2" in ex02.q1.evaluate((1.0, 2.0)).message
    assert "should be a function" in ex03.q2.evaluate(3.0).message
    assert "return the list of the 40 losses" in ex07.q1.evaluate(lambda *args: None).message


def test_a_playground_is_accepted_as_an_answer():
    from course.exercises import ex10

    playground = Playground.from_state("dataset=xor; layers=8; lr=0.3")
    assert ex10.q2.evaluate(playground).status == CORRECT
    assert "cannot be read" in ex10.q2.evaluate("layers=eight").message


def test_a_verdict_shows_as_coloured_html_and_as_text():
    case = Case("f(<2>)", "4", "5")
    verdict = Verdict("02.2", "a title", INCORRECT, "Use `x` here.", case)
    page = verdict._repr_html_()
    assert "#D55E00" in page  # the colour of "incorrect"
    assert "<code>x</code>" in page  # `code` in a message
    assert "f(&lt;2&gt;)" in page  # the case, escaped
    assert "<th" in page and "expected" in page
    assert text_of(verdict).splitlines() == [
        "✗ Exercise 02.2: incorrect (a title)",
        "  Use `x` here.",
        "    input:    f(<2>)",
        "    expected: 4",
        "    got:      5",
    ]
    correct = Verdict("02.2", "a title", CORRECT, "Fine.")
    assert "#009E73" in correct._repr_html_() and "input" not in correct._repr_html_()


def test_the_solution_html_is_highlighted_code():
    from course.exercises.checking import SOLUTION_STYLE, Note

    page = Note("A solution", "", SOLUTION_STYLE, "def f(x):\n    return 2 * x")._repr_html_()
    assert "<span" in page and "return" in page


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
