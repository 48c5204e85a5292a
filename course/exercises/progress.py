"""Your progress through the exercises, read from your saved notebooks.

In a notebook::

    from course.exercises import progress

    progress("03")   # the exercises of notebook 03: correct, incorrect or not attempted
    progress()       # every notebook of the course, one line each

Nothing is recorded anywhere else: the verdicts are the outputs of the check cells
(``ex.q1.check()``) as the notebooks were last saved, in the folder the kernel runs in (a
notebook's own folder). So the progress is still there when you close JupyterLab and come
back, and a check you have run counts once the notebook is saved (Ctrl+S; Lab also saves by
itself every two minutes). A notebook that is missing, or cannot be read because it is being
written, shows as "not saved yet". This module only reads files, and quickly: it parses the
notebooks' JSON itself.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

from course.exercises.verdicts import CORRECT, INCORRECT, NOT_ATTEMPTED, STYLES, _inline_html

NOTEBOOK_NUMBER = re.compile(r"^\d\d$")
NOTEBOOK_FILE = re.compile(r"^(\d\d)_\w+\.ipynb$")
# What a check cell shows, e.g. "✓ Exercise 03.1: correct" (see Verdict.headline)
VERDICT = re.compile(r"[✓✗○] Exercise (\d\d\.\d+): (correct|incorrect|not attempted)\b")
CHECK_CALL = re.compile(r"\.check\(")
# Where a notebook names its exercises: "### Exercise 03.1 · Title" and "# Exercise 03.1: ..."
HEADING = re.compile(r"^#+\s*Exercise (\d\d\.\d+)\s*[·:]\s*(.*?)\s*$", re.M)
ANSWER_CELL = re.compile(r"^#\s*Exercise (\d\d\.\d+):\s*(.*?)\s*$")

NOT_SAVED = "not saved yet"
SAVE_NOTE = "Read from the notebooks as saved: save (Ctrl+S) after a check to count it."


@dataclass(frozen=True)
class ExerciseProgress:
    """One exercise: its id ("03.1"), its title and its last saved verdict."""

    exercise_id: str
    title: str
    status: str  # CORRECT, INCORRECT or NOT_ATTEMPTED


@dataclass(frozen=True)
class NotebookProgress:
    """The exercises of one notebook, or ``saved=False`` when its file is missing or unreadable."""

    number: str  # "03"
    name: str  # the file's name without .ipynb, or the number when there is no file
    saved: bool
    exercises: tuple[ExerciseProgress, ...] = ()

    def count(self, status: str) -> int:
        return sum(exercise.status == status for exercise in self.exercises)

    @property
    def summary(self) -> str:
        if not self.saved:
            return NOT_SAVED
        if not self.exercises:
            return "no exercises"
        return f"{self.count(CORRECT)} of {len(self.exercises)} correct"


@dataclass(frozen=True)
class Progress:
    """What :func:`progress` returns: a table in Jupyter, plain text anywhere else."""

    notebooks: tuple[NotebookProgress, ...]
    course_wide: bool

    @property
    def verdicts(self) -> dict[str, str]:
        """Every exercise's status by its id, e.g. ``{"03.1": "correct", ...}``."""
        return {e.exercise_id: e.status for nb in self.notebooks for e in nb.exercises}

    def headline(self) -> str:
        if not self.course_wide:
            notebook = self.notebooks[0]
            if not notebook.saved:
                return f"Notebook {notebook.name}: {NOT_SAVED}"
            return f"Notebook {notebook.name}, as last saved: {notebook.summary}"
        exercises = [e for nb in self.notebooks for e in nb.exercises]
        counts = ", ".join(f"{sum(e.status == status for e in exercises)} {status}"
                           for status in (CORRECT, INCORRECT, NOT_ATTEMPTED))
        return f"The course, as last saved: {len(exercises)} exercises: {counts}"

    def __repr__(self) -> str:
        lines = [self.headline()]
        if self.course_wide:
            width = max(len(nb.name) for nb in self.notebooks)
            most = max(len(nb.exercises) for nb in self.notebooks)
            for nb in self.notebooks:
                symbols = "".join(STYLES[e.status][0] for e in nb.exercises)
                lines.append(f"  {nb.name:{width}}  {symbols:{most}}  {nb.summary}")
            legend = " · ".join(f"{symbol} {status}" for status, (symbol, _, _) in STYLES.items())
            lines.append(legend)
        else:
            for e in self.notebooks[0].exercises:
                lines.append(f"  {STYLES[e.status][0]} {e.exercise_id}  {e.status:13}  "
                             f"{e.title}".rstrip())
        lines.append(SAVE_NOTE)
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        cell = "style='text-align:left;padding:2px 12px 2px 0'"
        if self.course_wide:
            rows = [f"<tr><td {cell}><code>{html.escape(nb.name)}</code></td>"
                    f"<td {cell}>{''.join(_symbol_html(e.status) for e in nb.exercises)}</td>"
                    f"<td {cell}>{html.escape(nb.summary)}</td></tr>" for nb in self.notebooks]
        else:
            rows = [f"<tr><td {cell}>{_symbol_html(e.status)}</td>"
                    f"<td {cell}>{e.exercise_id}</td><td {cell}>{_status_html(e.status)}</td>"
                    f"<td {cell}>{_inline_html(e.title)}</td></tr>"
                    for e in self.notebooks[0].exercises]
        return (
            "<div class='course-progress' style='margin:4px 0;line-height:1.5;color:#222'>"
            f"<div><b>{html.escape(self.headline())}</b></div>"
            f"<table style='margin:4px 0'>{''.join(rows)}</table>"
            f"<div style='color:#555'>{html.escape(SAVE_NOTE)}</div></div>"
        )


def _symbol_html(status: str) -> str:
    symbol, colour, _ = STYLES[status]
    return f"<b style='color:{colour}' title='{status}'>{symbol}</b>"


def _status_html(status: str) -> str:
    _, colour, background = STYLES[status]
    return f"<span style='color:{colour};background:{background};padding:0 4px'>{status}</span>"


# ----------------------------------------------------------------------------------------------
# Reading the saved notebooks
# ----------------------------------------------------------------------------------------------


def progress(notebook: str | None = None, *, folder: str | Path | None = None) -> Progress:
    """The exercises of notebook ``notebook`` ("03"), or of every notebook when it is None,
    as correct / incorrect / not attempted, read from the notebooks saved in ``folder``
    (default: the folder the kernel runs in, which is the notebook's own)."""
    folder = Path.cwd() if folder is None else Path(folder)
    files = notebook_files(folder)
    if notebook is None:
        numbers = sorted(set(files) | course_numbers())
        return Progress(tuple(read_notebook(n, files.get(n)) for n in numbers), course_wide=True)
    if not isinstance(notebook, str):
        raise TypeError(f"progress() takes a notebook's number as text, like progress(\"03\"); "
                        f"got {notebook!r}")
    if not NOTEBOOK_NUMBER.match(notebook):
        raise ValueError(f"a notebook's number has two digits, like progress(\"03\"); "
                         f"got {notebook!r}")
    if notebook not in files and notebook not in course_numbers():
        known = ", ".join(sorted(set(files) | course_numbers()))
        raise ValueError(f"there is no notebook {notebook} in this course; the notebooks are "
                         f"{known}. progress() shows them all.")
    return Progress((read_notebook(notebook, files.get(notebook)),), course_wide=False)


def course_numbers() -> set[str]:
    """The numbers of the notebooks that have a set of exercises ("ex03" -> "03")."""
    from course.exercises import SETS  # here, not at the top: that package imports this module

    return {name[2:] for name in SETS}


def notebook_files(folder: Path) -> dict[str, Path]:
    """The notebooks in ``folder`` by number: {"03": folder/"03_value_engine.ipynb", ...}."""
    found = {}
    try:
        paths = sorted(folder.iterdir())
    except OSError:
        return {}
    for path in paths:
        match = NOTEBOOK_FILE.match(path.name)
        if match and match.group(1) not in found:
            found[match.group(1)] = path
    return found


def read_notebook(number: str, path: Path | None) -> NotebookProgress:
    """The saved verdicts of one notebook; ``saved=False`` if it is missing or half-written."""
    if path is None:
        return NotebookProgress(number, number, saved=False)
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        exercises = exercises_in(cells, number)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return NotebookProgress(number, path.stem, saved=False)
    return NotebookProgress(number, path.stem, saved=True, exercises=exercises)


def exercises_in(cells: list[dict], number: str) -> tuple[ExerciseProgress, ...]:
    """The notebook's exercises (from their headings and answer cells), each with the verdict
    its check cell showed last; no verdict saved means not attempted."""
    titles: dict[str, str] = {}
    statuses: dict[str, str] = {}
    for cell in cells:
        source = _text(cell["source"])
        if cell["cell_type"] == "markdown":
            for exercise_id, title in HEADING.findall(source):
                titles.setdefault(exercise_id, title)
        elif cell["cell_type"] == "code":
            answer = ANSWER_CELL.match(source.split("\n", 1)[0])
            if answer:
                titles.setdefault(answer.group(1), answer.group(2))
            if CHECK_CALL.search(source):
                for exercise_id, status in VERDICT.findall(_outputs_text(cell)):
                    statuses[exercise_id] = status
    ids = {i for i in [*titles, *statuses] if i.split(".")[0] == number}
    ordered = sorted(ids, key=lambda exercise_id: int(exercise_id.split(".")[1]))
    return tuple(ExerciseProgress(i, titles.get(i, ""), statuses.get(i, NOT_ATTEMPTED))
                 for i in ordered)


def _text(value: str | list[str]) -> str:
    """A notebook stores text as one string or as a list of lines."""
    return value if isinstance(value, str) else "".join(value)


def _outputs_text(cell: dict) -> str:
    texts = []
    for output in cell.get("outputs", []):
        if "text" in output:  # a stream: print()
            texts.append(_text(output["text"]))
        texts.append(_text(output.get("data", {}).get("text/plain", "")))
    return "\n".join(texts)
