"""Write the student edition of the notebooks: the same notebooks, without the solutions.

    python scripts/make_student.py                   notebooks/*.ipynb -> student/notebooks/
    python scripts/make_student.py --out DIR NB ...  other notebooks, or another folder
    python scripts/make_student.py --force           also overwrite copies changed since

The notebooks in notebooks/ are the instructor edition. Each exercise cell there names its
exercise in a comment (``# Exercise 02.1: ...``) and holds its solution between two marker
lines::

    ### BEGIN SOLUTION
    ...
    ### END SOLUTION

In the student edition each such region becomes one line at the same indentation,
``raise NotImplementedError("Exercise 02.1: replace this line with your solution")``, and
the exercise cells lose their outputs. They also get the cell tag ``raises-exception``, so that
Run All in JupyterLab goes on past an exercise not answered yet (to its check, which then says
*not attempted*) instead of stopping there. The cells whose stored outputs come from the
instructor's answers lose their outputs too: those that check an answer (``.check(``), that
show the progress (``progress(``) and that reveal a predicted value (``reveal(``), which would
show "correct" everywhere and the answers before the student's guesses. Every other cell is
copied unchanged. Run on the same notebooks, the script always writes the same bytes.

A student edition that was changed after it was written (answers typed in, cells run) is not
overwritten unless --force is given, so that running this again never loses a student's work.
`make lab` runs this too (scripts/lab.py), before it opens the student edition.

The exercises section of a notebook starts at the cell ``from course.exercises import exNN as
ex`` and runs to the end. It must run on its own in a fresh kernel (it imports and builds
what it uses), so that a student can restart the kernel and go straight to the exercises;
``exercises_section_start`` finds it (tests/test_student_edition.py runs it on its own).
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
STUDENT_NOTEBOOKS = ROOT / "student" / "notebooks"

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
EXERCISE_NAME = re.compile(r"#\s*Exercise (\d\d\.\d+)\b")
CHECK_CALL = re.compile(r"\.check\(")
# Calls whose stored outputs are the instructor's results: a verdict, the progress, a revealed
# answer. The student edition keeps the cells and clears what they showed.
INSTRUCTOR_RESULT_CALL = re.compile(r"\.check\(|\bprogress\(|\breveal\(")
RUN_ALL_GOES_ON = "raises-exception"  # a cell tag JupyterLab's Run All (and nbval) honour
EXERCISES_IMPORT = re.compile(r"^from course\.exercises import ex\d\d as ex\s*$", re.M)
EDITION_KEY = "student_edition"  # notebook metadata: a fingerprint of the cells as written


class SolutionMarkerError(ValueError):
    """A notebook's solution markers are unbalanced, or a region names no exercise."""


# ----------------------------------------------------------------------------------------------
# One cell, one notebook
# ----------------------------------------------------------------------------------------------


def placeholder(exercise_id: str, indent: str) -> str:
    """The line that stands in for a solution: running it says which exercise to do."""
    message = f"Exercise {exercise_id}: replace this line with your solution"
    return f'{indent}raise NotImplementedError("{message}")'


def has_solution(cell: dict) -> bool:
    return cell["cell_type"] == "code" and BEGIN in cell["source"]


def is_check_cell(cell: dict) -> bool:
    return cell["cell_type"] == "code" and bool(CHECK_CALL.search(cell["source"]))


def shows_instructor_results(cell: dict) -> bool:
    """True for a code cell whose outputs come from the instructor's answers (see above)."""
    return cell["cell_type"] == "code" and bool(INSTRUCTOR_RESULT_CALL.search(cell["source"]))


def exercises_section_start(nb: nbformat.NotebookNode) -> int | None:
    """The index of the cell that starts the exercises section (None if there is none)."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and EXERCISES_IMPORT.search(cell.source):
            return index
    return None


def exercise_id_of(source: str, where: str) -> str:
    found = EXERCISE_NAME.search(source)
    if not found:
        raise SolutionMarkerError(
            f"{where}: a cell with {BEGIN!r} must name its exercise in a comment, "
            f"e.g. '# Exercise 02.1: ...'"
        )
    return found.group(1)


def without_solutions(source: str, where: str) -> str:
    """The cell's source with every solution region replaced by the placeholder line."""
    exercise_id = exercise_id_of(source, where)
    lines, in_region = [], False
    for line in source.split("\n"):
        marker = line.strip()
        if marker == BEGIN:
            if in_region:
                raise SolutionMarkerError(f"{where}: {BEGIN!r} inside a solution region")
            in_region = True
            lines.append(placeholder(exercise_id, line[: len(line) - len(line.lstrip())]))
        elif marker == END:
            if not in_region:
                raise SolutionMarkerError(f"{where}: {END!r} without {BEGIN!r}")
            in_region = False
        elif not in_region:
            lines.append(line)
    if in_region:
        raise SolutionMarkerError(f"{where}: {BEGIN!r} without {END!r}")
    return "\n".join(lines)


def cleared(cell: dict) -> None:
    cell["outputs"] = []
    cell["execution_count"] = None


def student_notebook(nb: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """A copy of the instructor notebook ``nb`` with solutions and their verdicts removed."""
    nb = copy.deepcopy(nb)
    for index, cell in enumerate(nb.cells):
        where = f"{name}, cell {index + 1}"
        if has_solution(cell):
            cell["source"] = without_solutions(cell["source"], where)
            cleared(cell)
            tags = cell["metadata"].setdefault("tags", [])
            if RUN_ALL_GOES_ON not in tags:
                tags.append(RUN_ALL_GOES_ON)
        elif shows_instructor_results(cell):
            cleared(cell)
        elif cell["cell_type"] == "code" and END in cell["source"]:
            raise SolutionMarkerError(f"{where}: {END!r} without {BEGIN!r}")
    nb.metadata[EDITION_KEY] = {"cells_sha256": cells_fingerprint(nb)}
    return nb


def cells_fingerprint(nb: nbformat.NotebookNode) -> str:
    """A hash of the cells: it changes as soon as a cell is edited or run."""
    text = json.dumps(nb.cells, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def changed_since_written(path: Path) -> bool:
    """True if the student edition at ``path`` was edited or run after this script wrote it."""
    try:
        nb = nbformat.read(path, as_version=4)
        recorded = nb.metadata[EDITION_KEY]["cells_sha256"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return True  # not written by this script, or unreadable: not ours to overwrite
    return recorded != cells_fingerprint(nb)


# ----------------------------------------------------------------------------------------------
# Writing the edition
# ----------------------------------------------------------------------------------------------


def render(source_path: Path) -> str:
    """The student edition of one notebook, as the exact text to write."""
    nb = nbformat.read(source_path, as_version=4)
    return nbformat.writes(student_notebook(nb, source_path.name)) + "\n"


def recorded_fingerprint(text: str) -> str | None:
    """The fingerprint a student edition was written with (None if it has none)."""
    try:
        return json.loads(text)["metadata"][EDITION_KEY]["cells_sha256"]
    except (ValueError, KeyError, TypeError):
        return None


def shown(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when it is inside."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def write_edition(paths: list[Path], out_dir: Path, force: bool = False) -> list[str]:
    """Write the student edition of every notebook in ``paths`` into ``out_dir``.

    Returns one line per notebook saying what happened. A copy changed since it was written
    is kept unless ``force``: reported as "kept" when the edition it was written from is
    still the newest, as "KEPT" (something to look at) when notebooks/ has changed since.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    report = []
    for path in paths:
        text = render(path)
        target = out_dir / path.name
        if target.exists() and target.read_text(encoding="utf-8") == text:
            report.append(f"unchanged  {shown(target)}")
            continue
        if target.exists() and not force and changed_since_written(target):
            current = recorded_fingerprint(target.read_text(encoding="utf-8"))
            if current is not None and current == recorded_fingerprint(text):
                report.append(f"kept       {shown(target)}: it holds your work")
            else:
                report.append(f"KEPT       {shown(target)}: it holds your work, and a newer "
                              f"version exists; --force (make student FORCE=1) overwrites it")
            continue
        target.write_text(text, encoding="utf-8")
        report.append(f"written    {shown(target)}")
    return report


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Write the student edition of the notebooks.")
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="instructor notebooks (default: notebooks/*.ipynb)")
    parser.add_argument("--out", type=Path, default=STUDENT_NOTEBOOKS,
                        help="folder for the student edition (default: student/notebooks)")
    parser.add_argument("--force", action="store_true",
                        help="overwrite student notebooks even if they were changed")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or sorted(NOTEBOOKS.glob("*.ipynb"))
    if not paths:
        print("make_student: no notebooks in notebooks/ yet")
        return 0
    try:
        report = write_edition(paths, args.out, args.force)
    except SolutionMarkerError as error:
        print(f"make_student: {error}", file=sys.stderr)
        return 1
    print("\n".join(report))
    return 1 if any(line.startswith("KEPT") for line in report) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
