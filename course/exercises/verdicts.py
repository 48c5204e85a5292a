"""How a check's outcome looks: a verdict, a hint, a solution, as coloured boxes or plain text.

A :class:`Verdict` is *correct*, *incorrect* (with the :class:`Case` that failed: input,
expected, got) or *not attempted*. In Jupyter it shows as a box in the colour of its status,
elsewhere as text; so do hints and solutions (:class:`Note`).
"""

from __future__ import annotations

import html
import re
import textwrap
from dataclasses import dataclass

from course.show import palette

CORRECT = "correct"
INCORRECT = "incorrect"
NOT_ATTEMPTED = "not attempted"

# (symbol, colour, background): the course's palette, readable by colour-blind students, and
# each verdict also has its own symbol.
STYLES = {
    CORRECT: ("✓", palette.GREEN, palette.PALE_GREEN),
    INCORRECT: ("✗", palette.VERMILLION, palette.PALE_VERMILLION),
    NOT_ATTEMPTED: ("○", palette.BLUE, palette.PALE_BLUE),
}
HINT_STYLE = ("?", palette.DARK_YELLOW, palette.PALE_YELLOW)
SOLUTION_STYLE = ("✎", palette.GREY, palette.PALE_GREY)


# ----------------------------------------------------------------------------------------------
# What a check says, and how it looks
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """The one test case an answer failed: what went in, what should come out, what came out."""

    input: str
    expected: str
    got: str



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


CASE_TEXT_LIMIT = 400  # characters of a case's input, expected or got that a verdict shows


def _case_rows(case: Case) -> list[tuple[str, str]]:
    rows = [("input", case.input), ("expected", case.expected), ("got", case.got)]
    return [(name, shortened(text)) for name, text in rows]


def shortened(text: str, limit: int = CASE_TEXT_LIMIT) -> str:
    """``text``, or its start and a count of what was left out when it is longer than ``limit``
    (a list of a million numbers must not flood the notebook)."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]} … ({len(text) - limit} more characters)"


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
