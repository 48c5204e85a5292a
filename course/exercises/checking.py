"""What every exercise has in common: checking an answer, showing the verdict, hints, a solution.

An :class:`Exercise` knows the name of the variable the student defines (``answer_name``), a
function that tests an answer, its hints and a solution. Its three methods are all a student
needs:

* ``check()`` reads the answer from the notebook (or takes it as an argument), tests it and
  shows a :class:`Verdict`: *correct*, *incorrect* with the failing case (input, expected,
  got), or *not attempted* while the answer is missing or still raises NotImplementedError;
* ``hint()`` shows the next hint, one more at each call;
* ``solution()`` shows a solution as code.

A check runs the student's code with a time limit (``running.py``), so a loop that never ends
gives the verdict "took longer than 10 s" instead of a check that never returns.

The test functions of the exercise sets (``ex01.py`` ... ``ex10.py``) return a sentence saying
what was right, or raise :class:`Incorrect` with what was wrong. The helpers below the class do
the common parts: type checks with clear messages, calling the student's code safely, comparing
numbers, measuring slopes by nudging (central differences, as in notebook 02), reading a list of
losses. A student's network class is compared with ``course.nn`` by ``networks.py``. How
verdicts look is in ``verdicts.py``; its names are importable from here too.
"""

from __future__ import annotations

import inspect
import math
import numbers
import textwrap
from collections.abc import Callable, Sequence

from course.exercises.running import (
    DEFAULT_TIME_LIMIT,
    CheckInterrupted,
    TimeLimitExceeded,
    checked_seconds,
    time_limit,
)
from course.exercises.verdicts import (
    CORRECT,
    HINT_STYLE,
    INCORRECT,
    NOT_ATTEMPTED,
    SOLUTION_STYLE,
    STYLES,
    Case,
    Note,
    Verdict,
    highlighted_code,
    show,
)

__all__ = [
    "CORRECT", "DEFAULT_TIME_LIMIT", "H", "HINT_STYLE", "INCORRECT", "NOT_ATTEMPTED",
    "NOT_DEFINED", "SOLUTION_STYLE", "STYLES", "Case", "CheckInterrupted", "Exercise",
    "Incorrect", "Note", "StudentError", "TimeLimitExceeded", "Verdict", "backprop_gradients",
    "call_student", "central_difference", "expect_function", "expect_losses", "expect_number",
    "expect_numbers", "expect_value_node", "fmt", "graph_order", "highlighted_code",
    "is_close", "show", "time_limit", "type_name",
]

H = 1e-6  # the nudge for measured slopes: notebook 02's choice for the central difference


class _NotDefined:
    """Stands for an answer the notebook has not defined (yet)."""

    def __repr__(self) -> str:
        return "NOT_DEFINED"


NOT_DEFINED = _NotDefined()


class Incorrect(Exception):
    """Raised by a test function: the answer is wrong, and ``message`` says how."""

    def __init__(self, message: str, case: Case | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.case = case


# ----------------------------------------------------------------------------------------------
# Exercise
# ----------------------------------------------------------------------------------------------


class Exercise:
    """One exercise: ``check()`` an answer, get a ``hint()``, see the ``solution()``.

    ``test`` takes the student's answer and returns a sentence saying why it is right, or
    raises :class:`Incorrect`. A NotImplementedError from the student's code (the placeholder
    of the student edition) means "not attempted". ``test`` runs for at most ``time_limit``
    seconds; after that the answer is incorrect ("does a loop never end?").
    """

    def __init__(
        self,
        exercise_id: str,
        title: str,
        answer_name: str,
        test: Callable[[object], str],
        hints: Sequence[str],
        solution: str,
        *,
        time_limit: float = DEFAULT_TIME_LIMIT,
    ) -> None:
        self.id = exercise_id
        self.title = title
        self.answer_name = answer_name
        self.test = test
        self.hints = list(hints)
        self.solution_code = textwrap.dedent(solution).strip()
        self.time_limit = checked_seconds(time_limit)
        self.hints_shown = 0  # how many hints hint() has shown so far

    @property
    def key(self) -> str:
        """The name of this exercise in its set: "02.3" is ``q3``."""
        return "q" + self.id.split(".")[1]

    def __repr__(self) -> str:
        return (
            f"Exercise {self.id}: {self.title}. Define `{self.answer_name}`, then run "
            f"ex.{self.key}.check(). Stuck? ex.{self.key}.hint(); a solution: "
            f"ex.{self.key}.solution()."
        )

    # --- the three methods a student uses --------------------------------------------------

    def check(self, answer: object = NOT_DEFINED, *more: object) -> None:
        """Check your answer and show the verdict.

        Without an argument it reads the variable ``answer_name`` from your notebook (the
        global variables of the code that calls check), so ``ex.q1.check()`` checks what the
        exercise cell defined. ``ex.q1.check(value)`` checks ``value`` instead.

        Stopping a check (the stop button) ends the cell with one line, "check interrupted".
        """
        if more:
            raise TypeError(
                f"check() takes one answer, or none (then it reads `{self.answer_name}` from "
                f"your notebook); it was given {1 + len(more)}. Several numbers go in one tuple: "
                f"ex.{self.key}.check((1.0, 2.0))."
            )
        if isinstance(answer, str) and answer == self.answer_name:
            raise TypeError(
                f"check() takes your answer itself, not its name: ex.{self.key}.check("
                f"{self.answer_name}), or just ex.{self.key}.check()."
            )
        if answer is NOT_DEFINED:
            caller = inspect.currentframe().f_back
            answer = caller.f_globals.get(self.answer_name, NOT_DEFINED)
        try:
            verdict = self.evaluate(answer)
        except KeyboardInterrupt:
            raise CheckInterrupted(self.id, self.key) from None
        show(verdict)

    def hint(self, number: int | None = None) -> None:
        """Show the next hint (or hint ``number``, counting from 1, to see one again)."""
        count = len(self.hints)
        if number is None:
            if self.hints_shown >= count:
                show(Note(f"No more hints for exercise {self.id}.",
                          f"`ex.{self.key}.solution()` shows a solution.", HINT_STYLE))
                return
            number = self.hints_shown + 1
        elif isinstance(number, bool) or not isinstance(number, numbers.Integral):
            raise TypeError(
                f"hint() takes the number of a hint, like ex.{self.key}.hint(2), or nothing for "
                f"the next one; it was given the {type_name(number)} {number!r}."
            )
        elif not 1 <= number <= count:
            raise ValueError(
                f"Exercise {self.id} has hints 1 to {count}, so ex.{self.key}.hint({number}) "
                f"shows none: ex.{self.key}.hint(1) shows the first."
            )
        number = int(number)
        self.hints_shown = max(self.hints_shown, number)
        heading = f"Hint {number} of {count} for exercise {self.id}"
        show(Note(heading, self.hints[number - 1], HINT_STYLE))

    def solution(self, *unexpected: object) -> None:
        """Show a solution (one of many that pass: the check accepts any correct answer)."""
        if unexpected:
            raise TypeError(f"solution() takes no arguments: ex.{self.key}.solution() shows a "
                            f"solution to exercise {self.id}.")
        show(Note(f"A solution to exercise {self.id}", "", SOLUTION_STYLE, self.solution_code))

    # --- the verdict, without displaying it ------------------------------------------------

    def evaluate(self, answer: object) -> Verdict:
        """Test ``answer`` and return the verdict (``check`` shows it).

        The test runs for at most ``self.time_limit`` seconds. A KeyboardInterrupt is not
        caught here: whoever pressed stop wants everything to stop.
        """
        if answer is NOT_DEFINED or answer is Ellipsis:
            return self._verdict(NOT_ATTEMPTED, self._not_defined_message())
        try:
            with time_limit(self.time_limit):
                message = self.test(answer)
        except NotImplementedError:
            return self._verdict(NOT_ATTEMPTED, self._placeholder_message())
        except Incorrect as failure:
            return self._verdict(INCORRECT, failure.message, failure.case)
        except TimeLimitExceeded as stop:
            return self._too_slow(stop)
        except Exception as error:  # noqa: BLE001 -- a traceback would only confuse a student
            return self._verdict(
                INCORRECT,
                f"Checking `{self.answer_name}` failed with {_describe(error)}.{_advice(error)}",
            )
        return self._verdict(CORRECT, message)

    def _verdict(self, status: str, message: str, case: Case | None = None) -> Verdict:
        return Verdict(self.id, self.title, status, message, case)

    def _too_slow(self, stop: TimeLimitExceeded) -> Verdict:
        limit = f"{stop.seconds:g} s"
        message = (
            f"Your code took longer than {limit}: does a loop never end? A `while` loop must "
            f"change what its condition tests. Fix it, run the cell, then this check again."
        )
        case = Case(stop.running or f"checking `{self.answer_name}`",
                    f"a result within {limit}", f"still running after {limit}, stopped")
        return self._verdict(INCORRECT, message, case)

    def _not_defined_message(self) -> str:
        return (
            f"`{self.answer_name}` is not defined yet. Write your answer in the exercise cell "
            f"(in place of its `raise NotImplementedError(...)` line), run that cell, then run "
            f"this check again."
        )

    def _placeholder_message(self) -> str:
        return (
            f"`{self.answer_name}` still raises NotImplementedError. Replace the "
            f"`raise NotImplementedError(...)` line with your code, run that cell, then run this "
            f"check again."
        )


# ----------------------------------------------------------------------------------------------
# Helpers for test functions: types, numbers, calling student code, measured slopes
# ----------------------------------------------------------------------------------------------


def fmt(x: object) -> str:
    """A number shown with at most 6 significant digits; anything else as its repr."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        return repr(x)
    try:
        return f"{float(x):.6g}"
    except OverflowError:  # an integer too large for a float
        digits = int(abs(int(x)).bit_length() * math.log10(2)) + 1
        return f"{'a negative' if x < 0 else 'an'} integer of about {digits} digits"


def type_name(x: object) -> str:
    """The name of x's type, as a student would write it: "float", "list", "None"."""
    return "None" if x is None else type(x).__name__


def _describe(error: BaseException) -> str:
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _advice(error: BaseException) -> str:
    """A sentence on what an error usually means, to add to its report ("" if nothing to add)."""
    if isinstance(error, OverflowError):
        return (" A number grew too large for a float (beyond about 1.8e308): a step that is "
                "too large, or a loop that keeps multiplying?")
    return ""


def _as_float(x: numbers.Real) -> float:
    """float(x), with an integer too large for a float as ±inf instead of an OverflowError."""
    try:
        return float(x)
    except OverflowError:
        return math.inf if x > 0 else -math.inf


def expect_number(answer: object, name: str) -> float:
    """``answer`` as a finite float, or Incorrect saying what it is instead."""
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        shown = f" {answer!r}" if isinstance(answer, str) else ""
        raise Incorrect(
            f"`{name}` should be a number, like 0.5; it is a {type_name(answer)}{shown}.",
            Case(name, "a number", f"{type_name(answer)}{shown}"),
        )
    value = _as_float(answer)
    if math.isnan(value):
        raise Incorrect(
            f"`{name}` is nan (not a number): it should be a finite number. nan comes out of "
            f"0/0, inf − inf or 0 · inf, often after a value blew up to inf.",
            Case(name, "a finite number", "nan"))
    if math.isinf(value):
        raise Incorrect(
            f"`{name}` is {fmt(answer)}: it should be a finite number, and this one is too "
            f"large for a float. A computation blew up?",
            Case(name, "a finite number", fmt(answer)))
    return value


def expect_numbers(answer: object, name: str, count: int) -> list[float]:
    """``answer`` as a list of ``count`` floats (from a tuple, list or array)."""
    if isinstance(answer, (str, bytes)) or not hasattr(answer, "__len__"):
        raise Incorrect(
            f"`{name}` should be {count} numbers, like (1.0, 2.0, 3.0); "
            f"it is a {type_name(answer)}.",
            Case(name, f"{count} numbers", type_name(answer)),
        )
    items = list(answer)
    if len(items) != count:
        raise Incorrect(f"`{name}` should hold {count} numbers; it holds {len(items)}.",
                        Case(name, f"{count} numbers", f"{len(items)}: {answer!r}"))
    return [expect_number(item, f"{name}[{i}]") for i, item in enumerate(items)]


def expect_function(answer: object, name: str) -> None:
    """Incorrect unless ``answer`` can be called (the exercise asks for a function)."""
    if not callable(answer):
        raise Incorrect(
            f"`{name}` should be a function (defined with `def {name}(...)`); "
            f"it is a {type_name(answer)}.",
            Case(name, "a function", type_name(answer)),
        )


def is_close(got: float, expected: float, tolerance: float = 1e-6) -> bool:
    """True if got is within ``tolerance`` of expected, relative to its size (at least 1)."""
    return abs(got - expected) <= tolerance * max(1.0, abs(expected))


def call_student(function: Callable, *args: object, shown: str, **kwargs: object) -> object:
    """Call the student's function; any error becomes Incorrect naming the call ``shown``.

    NotImplementedError passes through: it means the exercise is not attempted yet. The call
    runs under the time limit of the check around it (10 s when called outside a check); if
    the time runs out, the verdict names ``shown`` as the call that was still running.
    """
    try:
        with time_limit(DEFAULT_TIME_LIMIT):  # inside a check, the check's own limit holds
            return function(*args, **kwargs)
    except NotImplementedError:
        raise
    except TimeLimitExceeded as stop:
        stop.running = stop.running or shown  # the innermost call is the one that was stuck
        raise
    except Exception as error:  # noqa: BLE001 -- reported to the student as the failing case
        raise StudentError(error, shown) from error


class StudentError(Incorrect):
    """Incorrect because the student's code raised ``error`` while running ``shown``."""

    def __init__(self, error: Exception, shown: str) -> None:
        super().__init__(f"`{shown}` raised {_describe(error)}.{_advice(error)}",
                         Case(shown, "a result", _describe(error)))
        self.error = error


def expect_value_node(out: object, shown: str) -> None:
    """Incorrect unless ``out`` looks like a Value: data, children and local_grads."""
    missing = [a for a in ("data", "children", "local_grads") if not hasattr(out, a)]
    if missing:
        raise Incorrect(
            f"`{shown}` should return a Value; it returned a {type_name(out)} "
            f"(without {', '.join(missing)}). Return the Value itself, not its `.data`.",
            Case(shown, "a Value", f"{type_name(out)} {out!r}"),
        )


def expect_losses(returned: object, shown: str, count: int | None = None) -> list[float]:
    """The losses a student's training loop returned, as floats; Incorrect if they are not.

    ``returned`` must be a list or tuple of numbers or Values (their ``.data`` is used), with
    ``count`` items if given (one per step). A nan or infinite loss gets a verdict of its own
    ("your loss is nan at step 7: ..."), since no comparison with it means anything.
    """
    if not isinstance(returned, (list, tuple)):
        raise Incorrect(f"`{shown}` should return the list of its losses, one per step; it "
                        f"returned a {type_name(returned)}.",
                        Case(shown, "a list of losses", type_name(returned)))
    if count is not None and len(returned) != count:
        raise Incorrect(f"`{shown}` should return {count} losses, one per step; it returned "
                        f"{len(returned)}.", Case(shown, f"{count} losses", f"{len(returned)}"))
    losses = []
    for step, item in enumerate(returned, start=1):
        where = f"{shown}[{step - 1}]"
        loss = getattr(item, "data", item)
        if isinstance(loss, bool) or not isinstance(loss, numbers.Real):
            raise Incorrect("Every item of the list should be a loss: a number, or a Value.",
                            Case(where, "a number", f"{type_name(loss)} {loss!r}"))
        value = _as_float(loss)
        if math.isnan(value):
            raise Incorrect(
                f"Your loss is nan at step {step}: some computation gave 0/0 or inf − inf, "
                f"usually after the loss blew up. Look at the losses before step {step}; a "
                f"smaller learning rate may help.", Case(where, "a finite loss", "nan"))
        if math.isinf(value):
            raise Incorrect(
                f"Your loss is {fmt(loss)} at step {step}: training diverged, every step "
                f"overshooting further. Try a smaller learning rate.",
                Case(where, "a finite loss", fmt(loss)))
        losses.append(value)
    return losses


def central_difference(f: Callable[[float], float], x: float, h: float = H) -> float:
    """The slope of f at x, measured by nudging x both ways (notebook 02)."""
    return (f(x + h) - f(x - h)) / (2 * h)


def graph_order(output: object, leave_out: Sequence[object] = ()) -> list:
    """Every node ``output`` depends on, each after its children, without recursion.

    It reads only ``children``, so it works for any Value-like node. The nodes in ``leave_out``,
    and whatever lies only below them, are not visited.
    """
    order, seen, stack = [], {id(node) for node in leave_out}, [(output, False)]
    while stack:
        node, children_done = stack.pop()
        if children_done:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in getattr(node, "children", ()))
    return order


def backprop_gradients(output: object) -> dict[int, float]:
    """d(output)/d(node) for every node of a graph, keyed by ``id(node)``.

    A backward pass that relies only on ``children`` and ``local_grads``, so it works for
    ``course.engine.Value``, for the notebook's own Value class and for a mixture of both,
    and never touches the nodes' own ``grad``.
    """
    order = graph_order(output)
    grads = {id(node): 0.0 for node in order}
    grads[id(output)] = 1.0
    for node in reversed(order):
        for child, local in zip(node.children, node.local_grads):
            grads[id(child)] += local * grads[id(node)]
    return grads

