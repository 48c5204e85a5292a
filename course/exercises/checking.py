"""What every exercise has in common: checking an answer, showing the verdict, hints, a solution.

An :class:`Exercise` knows the name of the variable the student defines (``answer_name``), a
function that tests an answer, its hints and a solution. Its three methods are all a student
needs:

* ``check()`` reads the answer from the notebook (or takes it as an argument), tests it and
  shows a :class:`Verdict`: *correct*, *incorrect* with the failing case (input, expected,
  got), or *not attempted* while the answer is missing or still raises NotImplementedError;
* ``hint()`` shows the next hint, one more at each call;
* ``solution()`` shows a solution as code.

The test functions of the exercise sets (``ex01.py`` ... ``ex10.py``) return a sentence saying
what was right, or raise :class:`Incorrect` with what was wrong. The helpers below the class do
the common parts: type checks with clear messages, calling the student's code safely, comparing
numbers, and measuring slopes by nudging (central differences, as in notebook 02).
"""

from __future__ import annotations

import html
import inspect
import math
import numbers
import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass

CORRECT = "correct"
INCORRECT = "incorrect"
NOT_ATTEMPTED = "not attempted"

# Okabe-Ito colours, readable by colour-blind students; each verdict also has its own symbol.
STYLES = {
    CORRECT: ("✓", "#009E73", "#E8F6F0"),
    INCORRECT: ("✗", "#D55E00", "#FCEEE6"),
    NOT_ATTEMPTED: ("○", "#0072B2", "#E7F1F9"),
}
HINT_STYLE = ("?", "#8A6100", "#FDF5E1")
SOLUTION_STYLE = ("✎", "#555555", "#F4F4F4")

H = 1e-6  # the nudge for measured slopes: notebook 02's choice for the central difference


class _NotDefined:
    """Stands for an answer the notebook has not defined (yet)."""

    def __repr__(self) -> str:
        return "NOT_DEFINED"


NOT_DEFINED = _NotDefined()


# ----------------------------------------------------------------------------------------------
# What a check says, and how it looks
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """The one test case an answer failed: what went in, what should come out, what came out."""

    input: str
    expected: str
    got: str


class Incorrect(Exception):
    """Raised by a test function: the answer is wrong, and ``message`` says how."""

    def __init__(self, message: str, case: Case | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.case = case


@dataclass(frozen=True)
class Verdict:
    """The outcome of one check, shown as a coloured box in Jupyter and as text elsewhere."""

    exercise_id: str
    title: str
    status: str  # CORRECT, INCORRECT or NOT_ATTEMPTED
    message: str
    case: Case | None = None

    @property
    def headline(self) -> str:
        symbol = STYLES[self.status][0]
        return f"{symbol} Exercise {self.exercise_id}: {self.status}"

    def __repr__(self) -> str:
        lines = [f"{self.headline} ({self.title})", *_indent(self.message)]
        if self.case is not None:
            for name, text in _case_rows(self.case):
                lines.append(f"    {name + ':':9} {text}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        _, colour, background = STYLES[self.status]
        body = f"<div>{_inline_html(self.message)}</div>"
        if self.case is not None:
            rows = "".join(
                f"<tr><th style='text-align:left;padding:1px 14px 1px 0'>{name}</th>"
                f"<td style='text-align:left'><code>{html.escape(text)}</code></td></tr>"
                for name, text in _case_rows(self.case)
            )
            body += f"<table style='margin:6px 0 2px 0'>{rows}</table>"
        return _box(self.headline, self.title, body, colour, background)


class Note:
    """A hint or a solution: a coloured box in Jupyter, plain text elsewhere."""

    def __init__(
        self, heading: str, text: str, style: tuple[str, str, str], code: str = ""
    ) -> None:
        self.heading = heading
        self.text = text
        self.style = style
        self.code = code

    def __repr__(self) -> str:
        lines = [f"{self.style[0]} {self.heading}", *_indent(self.text)]
        if self.code:
            lines += ["", textwrap.indent(self.code, "    ")]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        symbol, colour, background = self.style
        body = f"<div>{_inline_html(self.text)}</div>" if self.text else ""
        if self.code:
            body += highlighted_code(self.code)
        return _box(f"{symbol} {self.heading}", "", body, colour, background)


def _case_rows(case: Case) -> list[tuple[str, str]]:
    return [("input", case.input), ("expected", case.expected), ("got", case.got)]


def _indent(text: str) -> list[str]:
    return ["  " + line for line in text.splitlines()]


def _inline_html(text: str) -> str:
    """Escape text for HTML, showing `backticked` parts as code and line breaks as breaks."""
    escaped = html.escape(text)
    escaped = re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)
    return escaped.replace("\n", "<br>")


def _box(headline: str, title: str, body: str, colour: str, background: str) -> str:
    title_html = f" <span style='color:#555'>· {html.escape(title)}</span>" if title else ""
    return (
        f"<div style='border-left:5px solid {colour};background:{background};color:#222;"
        f"padding:6px 12px;margin:4px 0;line-height:1.5'>"
        f"<div><b style='color:{colour}'>{html.escape(headline)}</b>{title_html}</div>"
        f"{body}</div>"
    )


def highlighted_code(code: str) -> str:
    """Python code as HTML with syntax colours (pygments, which Jupyter always has)."""
    try:
        from pygments import highlight
        from pygments.formatters import HtmlFormatter
        from pygments.lexers import PythonLexer
    except ImportError:  # only outside Jupyter: fall back to plain preformatted text
        return f"<pre>{html.escape(code)}</pre>"
    formatter = HtmlFormatter(noclasses=True, nobackground=True)
    return highlight(code, PythonLexer(), formatter)


def show(obj: object) -> None:
    """Display ``obj`` in Jupyter (its HTML form), or print its text form anywhere else."""
    from IPython.display import display

    display(obj)


# ----------------------------------------------------------------------------------------------
# Exercise
# ----------------------------------------------------------------------------------------------


class Exercise:
    """One exercise: ``check()`` an answer, get a ``hint()``, see the ``solution()``.

    ``test`` takes the student's answer and returns a sentence saying why it is right, or
    raises :class:`Incorrect`. A NotImplementedError from the student's code (the placeholder
    of the student edition) means "not attempted".
    """

    def __init__(
        self,
        exercise_id: str,
        title: str,
        answer_name: str,
        test: Callable[[object], str],
        hints: Sequence[str],
        solution: str,
    ) -> None:
        self.id = exercise_id
        self.title = title
        self.answer_name = answer_name
        self.test = test
        self.hints = list(hints)
        self.solution_code = textwrap.dedent(solution).strip()
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

    def check(self, answer: object = NOT_DEFINED) -> None:
        """Check your answer and show the verdict.

        Without an argument it reads the variable ``answer_name`` from your notebook (the
        global variables of the code that calls check), so ``ex.q1.check()`` checks what the
        exercise cell defined. ``ex.q1.check(value)`` checks ``value`` instead.
        """
        if answer is NOT_DEFINED:
            caller = inspect.currentframe().f_back
            answer = caller.f_globals.get(self.answer_name, NOT_DEFINED)
        show(self.evaluate(answer))

    def hint(self, number: int | None = None) -> None:
        """Show the next hint (or hint ``number``, counting from 1, to see one again)."""
        if number is None:
            number = self.hints_shown + 1
        if not 1 <= number <= len(self.hints):
            show(Note(f"No more hints for exercise {self.id}.",
                      f"`ex.{self.key}.solution()` shows a solution.", HINT_STYLE))
            return
        self.hints_shown = max(self.hints_shown, number)
        heading = f"Hint {number} of {len(self.hints)} for exercise {self.id}"
        show(Note(heading, self.hints[number - 1], HINT_STYLE))

    def solution(self) -> None:
        """Show a solution (one of many that pass: the check accepts any correct answer)."""
        show(Note(f"A solution to exercise {self.id}", "", SOLUTION_STYLE, self.solution_code))

    # --- the verdict, without displaying it ------------------------------------------------

    def evaluate(self, answer: object) -> Verdict:
        """Test ``answer`` and return the verdict (``check`` shows it)."""
        if answer is NOT_DEFINED or answer is Ellipsis:
            return self._verdict(NOT_ATTEMPTED, self._not_defined_message())
        try:
            message = self.test(answer)
        except NotImplementedError:
            return self._verdict(NOT_ATTEMPTED, self._placeholder_message())
        except Incorrect as failure:
            return self._verdict(INCORRECT, failure.message, failure.case)
        except Exception as error:  # noqa: BLE001 -- a traceback would only confuse a student
            return self._verdict(
                INCORRECT, f"Checking `{self.answer_name}` failed with {_describe(error)}."
            )
        return self._verdict(CORRECT, message)

    def _verdict(self, status: str, message: str, case: Case | None = None) -> Verdict:
        return Verdict(self.id, self.title, status, message, case)

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
    return f"{float(x):.6g}"


def type_name(x: object) -> str:
    return "None" if x is None else type(x).__name__


def _describe(error: BaseException) -> str:
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def expect_number(answer: object, name: str) -> float:
    """``answer`` as a float, or Incorrect saying that a number was expected."""
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        shown = f" {answer!r}" if isinstance(answer, str) else ""
        raise Incorrect(
            f"`{name}` should be a number, like 0.5; it is a {type_name(answer)}{shown}.",
            Case(name, "a number", f"{type_name(answer)}{shown}"),
        )
    value = float(answer)
    if not math.isfinite(value):
        raise Incorrect(f"`{name}` is {value}: it should be a finite number.",
                        Case(name, "a finite number", fmt(value)))
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
    if not callable(answer):
        raise Incorrect(
            f"`{name}` should be a function (defined with `def {name}(...)`); "
            f"it is a {type_name(answer)}.",
            Case(name, "a function", type_name(answer)),
        )


def is_close(got: float, expected: float, tolerance: float = 1e-6) -> bool:
    """True if got is within ``tolerance`` of expected, relative to its size (at least 1)."""
    return abs(got - expected) <= tolerance * max(1.0, abs(expected))


def call_student(function: Callable, *args: object, shown: str) -> object:
    """Call the student's function; any error becomes Incorrect naming the call.

    NotImplementedError passes through: it means the exercise is not attempted yet.
    """
    try:
        return function(*args)
    except NotImplementedError:
        raise
    except Exception as error:  # noqa: BLE001 -- reported to the student as the failing case
        raise StudentError(error, shown) from error


class StudentError(Incorrect):
    """Incorrect because the student's code raised ``error`` while running ``shown``."""

    def __init__(self, error: Exception, shown: str) -> None:
        super().__init__(f"`{shown}` raised {_describe(error)}.",
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


def central_difference(f: Callable[[float], float], x: float, h: float = H) -> float:
    """The slope of f at x, measured by nudging x both ways (notebook 02)."""
    return (f(x + h) - f(x - h)) / (2 * h)


def backprop_gradients(output: object) -> dict[int, float]:
    """d(output)/d(node) for every node of a graph, keyed by ``id(node)``.

    A backward pass that relies only on ``children`` and ``local_grads``, so it works for
    ``course.engine.Value``, for the notebook's own Value class and for a mixture of both,
    and never touches the nodes' own ``grad``.
    """
    order, seen, stack = [], set(), [(output, False)]
    while stack:  # a topological order, children before their parents, without recursion
        node, children_done = stack.pop()
        if children_done:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in node.children)
    grads = {id(node): 0.0 for node in order}
    grads[id(output)] = 1.0
    for node in reversed(order):
        for child, local in zip(node.children, node.local_grads):
            grads[id(child)] += local * grads[id(node)]
    return grads
