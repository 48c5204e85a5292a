"""The machinery every exercise shares (course/exercises/checking.py and its neighbours).

Tested on two small exercises defined here, so that these tests do not change when an
exercise set does: how a check finds the answer and shows its verdict; the time limit on the
student's code (a loop that never ends must give a verdict, not a check that never returns);
the stop button; bad arguments to check, hint and solution; nan, inf and huge numbers; a list
of losses; a student's network class compared with course.nn.
"""

import copy
import math
import signal
import threading
import time

import pytest
from conftest import watchdog

from course.engine import Value
from course.exercises import checking, get, running
from course.exercises.checking import (
    CORRECT,
    INCORRECT,
    Case,
    CheckInterrupted,
    Exercise,
    Incorrect,
    TimeLimitExceeded,
    Verdict,
    call_student,
    expect_function,
    expect_losses,
    expect_number,
    expect_numbers,
    fmt,
    is_close,
)
from course.exercises.networks import expect_same_module
from course.nn import MLP, Layer

LIMIT = 0.5  # seconds: the time limit of the exercises below


def _test_double(answer: object) -> str:
    expect_function(answer, "double")
    for x in (1.0, -2.5):
        shown = f"double({x:g})"
        got = expect_number(call_student(answer, x, shown=shown), shown)
        if not is_close(got, 2 * x):
            raise Incorrect("double(x) should be 2·x.", Case(shown, fmt(2 * x), fmt(got)))
    return "Right: double(x) is 2·x."


def _test_half(answer: object) -> str:
    value = expect_number(answer, "half")
    if not is_close(value, 0.5):
        raise Incorrect("A half is 1/2.", Case("half", "0.5", fmt(value)))
    return "Right."


DOUBLE = Exercise("99.1", "double a number", "double", _test_double,
                  hints=["Multiply.", "By two."], solution="def double(x):\n    return 2 * x",
                  time_limit=LIMIT)
HALF = Exercise("99.2", "a half", "half", _test_half, hints=["1/2", "0.5"],
                solution="half = 0.5")


def forever(*args):
    while True:
        pass


# ----------------------------------------------------------------------------------------------
# How a check finds and shows the answer
# ----------------------------------------------------------------------------------------------


def test_check_reads_the_answer_from_the_notebook_variables(capsys):
    namespace = {"ex": HALF, "half": 0.5}
    exec("ex.check()", namespace)  # as a notebook cell runs it
    assert "✓ Exercise 99.2: correct" in capsys.readouterr().out
    del namespace["half"]
    exec("ex.check()", namespace)
    assert "○ Exercise 99.2: not attempted" in capsys.readouterr().out


def test_check_takes_the_answer_as_an_argument_too(capsys):
    HALF.check(6.0)
    out = capsys.readouterr().out
    assert "✗ Exercise 99.2: incorrect" in out
    assert "expected: 0.5" in out and "got:      6" in out


@pytest.mark.parametrize("answer, says", [
    ("0.6", "should be a number, like 0.5; it is a str '0.6'"),
    (None, "should be a number, like 0.5; it is a None"),
    (True, "it is a bool"),
    (math.nan, "`half` is nan (not a number): it should be a finite number"),
    (-math.inf, "`half` is -inf: it should be a finite number"),
    (10**400, "`half` is an integer of about 401 digits: it should be a finite number"),
])
def test_a_wrong_type_nan_or_a_huge_number_is_named(answer, says):
    verdict = HALF.evaluate(answer)
    assert verdict.status == INCORRECT
    assert says in verdict.message
    assert verdict.case is not None


def test_a_huge_finite_number_is_shown_and_judged():
    verdict = HALF.evaluate(1e300)
    assert verdict.status == INCORRECT and verdict.case.got == "1e+300"
    assert fmt(-(10**30)) == "-1e+30"


def test_an_error_in_the_students_code_is_the_failing_case():
    def double(x):
        return 1 / 0

    verdict = DOUBLE.evaluate(double)
    assert verdict.status == INCORRECT
    assert verdict.case.input == "double(1)"
    assert "ZeroDivisionError: division by zero" in verdict.case.got


def test_an_overflow_in_the_students_code_says_what_it_means():
    verdict = DOUBLE.evaluate(lambda x: math.exp(1000 * x))
    assert verdict.status == INCORRECT
    assert "raised OverflowError" in verdict.message
    assert "too large for a float" in verdict.message


def test_wrong_lengths_and_kinds_of_answer_are_named():
    with pytest.raises(Incorrect, match="holds 2"):
        expect_numbers((1.0, 2.0), "gradient", 3)
    assert "should be a function" in DOUBLE.evaluate(3.0).message
    assert "still raises NotImplementedError" in DOUBLE.evaluate(_placeholder).message


def _placeholder(x):
    raise NotImplementedError("Exercise 99.1: replace this line with your solution")


def test_a_verdict_shows_as_coloured_html_and_as_text():
    case = Case("f(<2>)", "4", "5")
    verdict = Verdict("02.2", "a title", INCORRECT, "Use `x` here.", case)
    page = verdict._repr_html_()
    assert "#D55E00" in page  # the colour of "incorrect"
    assert "<code>x</code>" in page  # `code` in a message
    assert "f(&lt;2&gt;)" in page  # the case, escaped
    assert "<th" in page and "expected" in page
    assert repr(verdict).splitlines() == [
        "✗ Exercise 02.2: incorrect (a title)",
        "  Use `x` here.",
        "    input:    f(<2>)",
        "    expected: 4",
        "    got:      5",
    ]
    correct = Verdict("02.2", "a title", CORRECT, "Fine.")
    assert "#009E73" in correct._repr_html_() and "input" not in correct._repr_html_()


def test_a_long_case_is_shortened_in_the_verdict():
    verdict = Verdict("99.1", "t", INCORRECT, "Too long.", Case("x", "1", repr(list(range(10**5)))))
    text = repr(verdict)
    assert len(text) < 1000 and "more characters)" in text
    assert "more characters)" in verdict._repr_html_()


def test_the_solution_html_is_highlighted_code():
    from course.exercises.checking import SOLUTION_STYLE, Note

    page = Note("A solution", "", SOLUTION_STYLE, "def f(x):\n    return 2 * x")._repr_html_()
    assert "<span" in page and "return" in page


# ----------------------------------------------------------------------------------------------
# The time limit
# ----------------------------------------------------------------------------------------------


def test_a_loop_that_never_ends_is_incorrect_within_the_time_limit():
    started = time.monotonic()
    with watchdog():
        verdict = DOUBLE.evaluate(forever)
    assert time.monotonic() - started < LIMIT + 3  # the limit, plus room for a loaded machine
    assert verdict.status == INCORRECT
    assert "Your code took longer than 0.5 s: does a loop never end?" in verdict.message
    assert verdict.case == Case("double(1)", "a result within 0.5 s",
                                "still running after 0.5 s, stopped")


def test_an_except_exception_in_the_loop_cannot_swallow_the_time_limit():
    def stubborn(x):
        while True:
            try:
                sum(range(1000))
            except Exception:  # noqa: BLE001 -- what a student might write
                pass

    with watchdog():
        assert "took longer than" in DOUBLE.evaluate(stubborn).message


def test_check_shows_the_time_limit_verdict(capsys):
    with watchdog():
        DOUBLE.check(forever)
    out = capsys.readouterr().out
    assert "✗ Exercise 99.1: incorrect" in out and "does a loop never end?" in out


def test_code_that_is_not_the_students_is_limited_too():
    def slow_test(answer):
        time.sleep(30)  # the signal interrupts sleep as well

    exercise = Exercise("99.3", "t", "x", slow_test, hints=["a", "b"], solution="x = 1",
                        time_limit=0.2)
    with watchdog():
        verdict = exercise.evaluate(1.0)
    assert verdict.status == INCORRECT
    assert verdict.case.input == "checking `x`"


def test_the_time_limit_is_ten_seconds_unless_an_exercise_sets_its_own():
    assert HALF.time_limit == running.DEFAULT_TIME_LIMIT == 10.0
    assert DOUBLE.time_limit == LIMIT
    with pytest.raises(TypeError, match="number of seconds"):
        Exercise("99.4", "t", "x", _test_half, ["a", "b"], "x = 1", time_limit="10")
    with pytest.raises(ValueError, match="positive"):
        Exercise("99.4", "t", "x", _test_half, ["a", "b"], "x = 1", time_limit=0)


def test_call_student_has_a_time_limit_outside_a_check_too(monkeypatch):
    monkeypatch.setattr(checking, "DEFAULT_TIME_LIMIT", 0.2)
    with watchdog(), pytest.raises(TimeLimitExceeded) as stopped:
        call_student(forever, 1, shown="forever(1)")
    assert stopped.value.running == "forever(1)"


def test_call_student_passes_keyword_arguments():
    assert call_student(lambda x, scale: x * scale, 2.0, scale=3.0, shown="f") == 6.0


def test_an_earlier_alarm_and_its_handler_are_restored():
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(True))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.8)
        assert DOUBLE.evaluate(lambda x: 2 * x).status == CORRECT
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 0  # still pending
        with watchdog():
            while not fired:
                time.sleep(0.05)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_limits_do_not_nest_the_outer_one_holds():
    with watchdog(), pytest.raises(TimeLimitExceeded) as stopped:
        with running.time_limit(0.2):
            with running.time_limit(100):
                forever()
    assert stopped.value.seconds == 0.2


def test_outside_the_main_thread_a_check_runs_without_a_limit():
    results = {}

    def in_a_thread():
        results["can_limit"] = running.can_limit_time()
        results["verdict"] = DOUBLE.evaluate(lambda x: 2 * x)

    worker = threading.Thread(target=in_a_thread)
    worker.start()
    worker.join(10)
    assert results == {"can_limit": False, "verdict": results["verdict"]}
    assert results["verdict"].status == CORRECT
    assert running.can_limit_time()  # here, in the main thread, it can


# ----------------------------------------------------------------------------------------------
# The stop button
# ----------------------------------------------------------------------------------------------


def pressed_stop(x):
    raise KeyboardInterrupt  # what Jupyter's stop button raises in the running code


def test_stopping_a_check_ends_it_with_one_line(capsys):
    with pytest.raises(CheckInterrupted) as stopped:
        DOUBLE.check(pressed_stop)
    assert isinstance(stopped.value, KeyboardInterrupt)  # "Run All" stops as usual
    assert stopped.value._render_traceback_() == [
        "Exercise 99.1: check interrupted before it finished. Run ex.q1.check() again to check "
        "your answer."]
    assert capsys.readouterr().out == ""  # no verdict
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0  # no timer left running


def test_ipython_shows_a_stopped_check_as_its_line_only(capsys):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        shell.user_ns.update(ex=DOUBLE, double=pressed_stop)
        result = shell.run_cell("ex.check()")
    finally:
        InteractiveShell.clear_instance()
    assert isinstance(result.error_in_exec, CheckInterrupted)
    out = capsys.readouterr()
    shown = out.out + out.err
    assert "check interrupted before it finished" in shown
    assert "Traceback" not in shown and "checking.py" not in shown


# ----------------------------------------------------------------------------------------------
# Bad arguments to check, hint and solution
# ----------------------------------------------------------------------------------------------


def test_bad_arguments_get_a_clear_message(capsys):
    fresh = copy.copy(DOUBLE)
    with pytest.raises(TypeError, match=r"hint\(\) takes the number of a hint, like "
                                        r"ex\.q1\.hint\(2\).*the str '1'"):
        fresh.hint("1")
    with pytest.raises(TypeError, match="the bool True"):
        fresh.hint(True)
    with pytest.raises(ValueError, match=r"has hints 1 to 2.*ex\.q1\.hint\(1\) shows the first"):
        fresh.hint(3)
    with pytest.raises(ValueError, match="has hints 1 to 2"):
        fresh.hint(0)
    with pytest.raises(TypeError, match=r"solution\(\) takes no arguments"):
        fresh.solution(1)
    with pytest.raises(TypeError, match=r"check\(\) takes one answer.*given 3.*one tuple"):
        fresh.check(1.0, 2.0, 3.0)
    with pytest.raises(TypeError, match=r"not its name: ex\.q1\.check\(double\)"):
        fresh.check("double")
    with pytest.raises(TypeError, match="string like"):
        get(3.1)
    assert capsys.readouterr().out == ""
    assert fresh.hints_shown == 0


def test_hints_come_one_at_a_time_and_can_be_seen_again(capsys):
    fresh = copy.copy(DOUBLE)
    fresh.hint()
    fresh.hint()
    out = capsys.readouterr().out
    assert "Hint 1 of 2" in out and "Hint 2 of 2" in out
    fresh.hint()
    assert "No more hints for exercise 99.1" in capsys.readouterr().out
    fresh.hint(1)
    assert "Hint 1 of 2" in capsys.readouterr().out


# ----------------------------------------------------------------------------------------------
# A list of losses
# ----------------------------------------------------------------------------------------------


def test_losses_are_read_as_floats_from_numbers_or_values():
    assert expect_losses([1.0, Value(0.5), 0.25], "train(...)", count=3) == [1.0, 0.5, 0.25]


@pytest.mark.parametrize("returned, count, says", [
    ([1.0, 0.5, math.nan, math.nan], None, "Your loss is nan at step 3"),
    ([1.0, 1e200, math.inf], None, "Your loss is inf at step 3: training diverged"),
    ([1.0, 10**400], None, "Your loss is an integer of about 401 digits at step 2"),
    ([1.0, 0.5], 3, "should return 3 losses, one per step; it returned 2"),
    (None, None, "should return the list of its losses"),
    ([1.0, "0.5"], None, "Every item of the list should be a loss"),
])
def test_bad_losses_get_a_verdict_that_says_what_is_wrong(returned, count, says):
    with pytest.raises(Incorrect) as failure:
        expect_losses(returned, "train(...)", count=count)
    assert says in failure.value.message
    assert failure.value.case is not None


# ----------------------------------------------------------------------------------------------
# A student's network class, compared with course.nn
# ----------------------------------------------------------------------------------------------


class StudentNeuron:
    def __init__(self, nin, bias_first=False, act="tanh", detach=False):
        self.w = [Value(0.0) for _ in range(nin)]
        self.b = Value(0.0)
        self.bias_first, self.act, self.detach = bias_first, act, detach

    def __call__(self, x):
        total = self.b
        for wi, xi in zip(self.w, x):
            total = total + (wi.data if self.detach else wi) * xi
        return total.tanh() if self.act == "tanh" else total.relu()

    def parameters(self):
        return [self.b, *self.w] if self.bias_first else [*self.w, self.b]


class StudentMLP:
    def __init__(self, nin, nouts, **neuron_options):
        sizes = [nin, *nouts]
        self.layers = [[StudentNeuron(a, **neuron_options) for _ in range(b)]
                       for a, b in zip(sizes, sizes[1:])]

    def __call__(self, x):
        for layer in self.layers:
            x = [neuron(x) for neuron in layer]
        return x[0] if len(x) == 1 else x

    def parameters(self):
        return [p for layer in self.layers for n in layer for p in n.parameters()]


INPUTS = [[0.5, -1.0, 2.0], [1.5, 0.2, -0.7]]


def test_a_students_mlp_that_computes_what_course_nn_does_passes():
    expect_same_module(StudentMLP(3, [4, 2]), MLP(3, [4, 2], seed=1), INPUTS,
                       "StudentMLP(3, [4, 2])")
    expect_same_module(StudentMLP(3, [1]), Layer(3, 1, seed=2), INPUTS, "StudentMLP(3, [1])")


@pytest.mark.parametrize("student, says", [
    (StudentMLP(3, [4, 1], bias_first=True), "lists each neuron's weights, then its bias"),
    (StudentMLP(3, [4, 1], act="relu"), "computes another output"),
    (StudentMLP(3, [4, 1], detach=True), "the gradient of parameter 0 (L0.n0.w0) does not"),
    (StudentMLP(3, [4]), "has 16 parameters, MLP(3 -> [4, 1]"),
])
def test_a_students_mlp_that_differs_is_incorrect(student, says):
    with pytest.raises(Incorrect) as failure:
        expect_same_module(student, MLP(3, [4, 1], seed=1), INPUTS, "StudentMLP(...)")
    assert says in failure.value.message
    assert failure.value.case is not None


def test_parameters_must_be_values():
    class Numbers(StudentMLP):
        def parameters(self):
            return [p.data for p in super().parameters()]

    with pytest.raises(Incorrect, match="the parameter Values themselves"):
        expect_same_module(Numbers(3, [1]), MLP(3, [1], seed=1), INPUTS, "Numbers(3, [1])")


# ----------------------------------------------------------------------------------------------
# Shortcuts: the package's own version of an answer
# ----------------------------------------------------------------------------------------------


def test_a_call_to_the_package_is_caught_however_it_is_reached():
    import sys

    from course import losses, optim
    from course.engine import Value
    from course.exercises.shortcuts import call_without_shortcuts

    namespace = {"renamed": losses.log_softmax, "losses": losses, "optim": optim}
    exec("def by_attribute(z): return losses.log_softmax(z)\n"
         "def by_name(z): return renamed(z)\n"
         "def by_method(z): return z[0].sigmoid()\n"
         "def by_class(z): return optim.SGD(z, lr=0.1)\n"
         "def own(z): return [v - 1.0 for v in z]\n"
         "def failing(z): raise ValueError('oops')\n", namespace)
    shortcuts = {"course.losses.log_softmax": losses.log_softmax, "Value.sigmoid": Value.sigmoid,
                 "course.optim.SGD": optim.SGD}
    logits = [Value(1.0), Value(2.0)]
    for name, reached in [("by_attribute", "course.losses.log_softmax"),
                          ("by_name", "course.losses.log_softmax"),
                          ("by_method", "Value.sigmoid"), ("by_class", "course.optim.SGD")]:
        with pytest.raises(Incorrect, match=f"`{name}` calls the package's `{reached}`"):
            call_without_shortcuts(namespace[name], logits, shown=f"{name}(z)",
                                   shortcuts=shortcuts, task="Write it.")
    with pytest.raises(Incorrect, match="`by_module` calls the package's `course.losses.softmax`"):
        call_without_shortcuts(lambda z: losses.softmax(z), logits, shown="by_module(z)",
                               shortcuts={"course.losses": losses}, task="Write it.")
    assert len(call_without_shortcuts(namespace["own"], logits, shown="own(z)",
                                      shortcuts=shortcuts, task="Write it.")) == 2
    with pytest.raises(Incorrect, match="raised ValueError"):
        call_without_shortcuts(namespace["failing"], logits, shown="failing(z)",
                               shortcuts=shortcuts, task="Write it.")
    assert sys.getprofile() is None  # the watch ends with the call, whatever happened
