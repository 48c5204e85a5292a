"""Studying alone: progress, the solution markers, collapsed answers, the student's work kept.

- ``progress`` (course/exercises/progress.py) reads the verdicts saved in the notebooks: each
  verdict, the last one saved, a half-written or missing notebook, the course-wide view, the
  real notebooks of both editions, and its speed.
- The instructor notebooks follow nbgrader's solution-marker syntax, checked here without
  nbgrader: a solution region in every exercise cell, closed, not nested, in code cells only.
- The instructor edition's answer cells are served collapsed and saved unchanged
  (scripts/lab.py's contents manager), and `make lab` opens the edition asked for.
- The student's work survives `make lab`, `make student`, `make clean` and `make test`.
  (`make lab` itself, started in a copy of the project with a student notebook in it, is
  tests/test_project.py's test of `make lab`.)
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from conftest import NOTEBOOKS_DIR, ROOT, notebook_paths

from course.exercises import SETS, exercises_of, progress
from course.exercises.verdicts import CORRECT, INCORRECT, NOT_ATTEMPTED, STYLES, Verdict

# the module itself (course.exercises.progress is the function, which the package exports)
progress_module = importlib.import_module("course.exercises.progress")


def load_scripts():
    """scripts/lab.py and the scripts/make_student.py it imports (as `make lab` runs them)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        return importlib.import_module("lab"), importlib.import_module("make_student")
    finally:
        sys.path.remove(str(ROOT / "scripts"))


lab, make_student = load_scripts()
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
SAVE_NOTE = "Read from the notebooks as saved: save (Ctrl+S) after a check to count it."


# ----------------------------------------------------------------------------------------------
# progress(): notebooks written here, with each verdict saved
# ----------------------------------------------------------------------------------------------


def verdict_output(exercise_id: str, status: str) -> nbformat.NotebookNode:
    """What a check cell stores: the real Verdict's text and HTML."""
    verdict = Verdict(exercise_id, "title", status, "A message.")
    return nbformat.v4.new_output("display_data", data={
        "text/plain": repr(verdict), "text/html": verdict._repr_html_()})


def exercise_cells(exercise_id: str, title: str, *statuses: str) -> list:
    """Heading, answer cell and check cell of one exercise; the check shows ``statuses``."""
    k = exercise_id.split(".")[1]
    return [
        nbformat.v4.new_markdown_cell(f"### Exercise {exercise_id} · {title}\n\nDo this."),
        nbformat.v4.new_code_cell(f"# Exercise {exercise_id}: {title.lower()}\nanswer = 1"),
        nbformat.v4.new_code_cell(f"ex.q{k}.check()",
                                  outputs=[verdict_output(exercise_id, s) for s in statuses]),
    ]


def write_notebook(folder: Path, name: str, cells: list) -> Path:
    path = folder / name
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A notebook 03 with one exercise of each kind of saved check, and an 04 with none."""
    write_notebook(tmp_path, "03_demo.ipynb", [
        nbformat.v4.new_markdown_cell("# 03 · Demo"),
        nbformat.v4.new_code_cell('progress("03")', outputs=[verdict_output("03.2", CORRECT)]),
        *exercise_cells("03.1", "First", CORRECT),
        *exercise_cells("03.2", "Second <b>", INCORRECT),
        *exercise_cells("03.3", "Third", NOT_ATTEMPTED),
        *exercise_cells("03.4", "Fourth"),  # never run: no output
    ])
    write_notebook(tmp_path, "04_more.ipynb", [nbformat.v4.new_markdown_cell("# 04 · More")])
    return tmp_path


@pytest.fixture
def course_of_three(monkeypatch):
    """The course has exercise sets for notebooks 03, 04 and 05 only."""
    monkeypatch.setattr(progress_module, "course_numbers", lambda: {"03", "04", "05"})


def test_one_notebook_shows_each_exercise_with_its_saved_verdict(folder):
    shown = progress("03", folder=folder)
    assert shown.verdicts == {"03.1": CORRECT, "03.2": INCORRECT, "03.3": NOT_ATTEMPTED,
                              "03.4": NOT_ATTEMPTED}
    # the progress cell's own output (a verdict-like line) is not a check: 03.2 stays incorrect
    assert repr(shown) == "\n".join([
        "Notebook 03_demo, as last saved: 1 of 4 correct",
        "  ✓ 03.1  correct        First",
        "  ✗ 03.2  incorrect      Second <b>",
        "  ○ 03.3  not attempted  Third",
        "  ○ 03.4  not attempted  Fourth",
        SAVE_NOTE,
    ])


def test_the_table_shows_each_verdict_in_its_colour(folder):
    page = progress("03", folder=folder)._repr_html_()
    for status, (symbol, colour, background) in STYLES.items():
        assert f"<b style='color:{colour}' title='{status}'>{symbol}</b>" in page
        assert f"color:{colour};background:{background}" in page
    assert "Second &lt;b&gt;" in page and "Second <b>" not in page


def test_the_last_saved_verdict_counts(tmp_path):
    write_notebook(tmp_path, "03_demo.ipynb", [
        *exercise_cells("03.1", "First", CORRECT, INCORRECT),  # checked twice in one cell
        *exercise_cells("03.2", "Second", INCORRECT),
        nbformat.v4.new_code_cell("ex.q2.check()", outputs=[verdict_output("03.2", CORRECT)]),
    ])
    assert progress("03", folder=tmp_path).verdicts == {"03.1": INCORRECT, "03.2": CORRECT}


def test_printed_verdicts_and_text_stored_as_lines_count(tmp_path):
    """Text stored as one string or as a list of lines, printed or displayed: all count."""
    cells = exercise_cells("03.1", "First")
    cells[2]["outputs"] = [nbformat.v4.new_output(
        "stream", name="stdout", text=["✓ Exercise 03.1: ", "correct (first)\n"])]
    write_notebook(tmp_path, "03_demo.ipynb", cells)
    assert progress("03", folder=tmp_path).verdicts == {"03.1": CORRECT}


@pytest.mark.parametrize("text", [
    '{"cells": [{"cell_type": "code", "sour',  # half-written while Lab saves it
    "", "[]", '{"cells": [1]}', '{"cells": [{}]}', '{"cells": null}',
])
def test_a_half_written_notebook_is_not_saved_yet(tmp_path, text):
    (tmp_path / "03_demo.ipynb").write_text(text)
    shown = progress("03", folder=tmp_path)
    assert repr(shown) == f"Notebook 03_demo: not saved yet\n{SAVE_NOTE}"
    assert shown.verdicts == {}


def test_a_missing_notebook_is_not_saved_yet(tmp_path, course_of_three):
    (tmp_path / "04_folder.ipynb").mkdir()  # not even a file
    assert repr(progress("03", folder=tmp_path)) == f"Notebook 03: not saved yet\n{SAVE_NOTE}"
    assert repr(progress("04", folder=tmp_path)).startswith("Notebook 04_folder: not saved yet")
    assert progress(folder=tmp_path / "no such folder").verdicts == {}


def test_the_course_wide_view_has_a_line_per_notebook(folder, course_of_three):
    (folder / "06_extra.ipynb").write_text("{")  # a notebook without a set, half-written
    shown = progress(folder=folder)
    assert repr(shown) == "\n".join([
        "The course, as last saved: 4 exercises: 1 correct, 1 incorrect, 2 not attempted",
        "  03_demo   ✓✗○○  1 of 4 correct",
        "  04_more         no exercises",
        "  05              not saved yet",
        "  06_extra        not saved yet",
        "✓ correct · ✗ incorrect · ○ not attempted",
        SAVE_NOTE,
    ])
    page = shown._repr_html_()
    assert page.count("<tr>") == 4 and "<code>05</code>" in page and "1 of 4 correct" in page


def test_progress_is_read_from_the_folder_the_kernel_runs_in(folder, monkeypatch):
    monkeypatch.chdir(folder)
    assert progress("03").verdicts == progress("03", folder=folder).verdicts


@pytest.mark.parametrize("argument, error, message", [
    (3, TypeError, 'progress() takes a notebook\'s number as text, like progress("03"); got 3'),
    ("3", ValueError, 'a notebook\'s number has two digits, like progress("03"); got \'3\''),
    ("99", ValueError, "there is no notebook 99 in this course; the notebooks are 03, 04, 05."),
])
def test_a_wrong_notebook_says_what_to_write(tmp_path, course_of_three, argument, error,
                                              message):
    with pytest.raises(error) as raised:
        progress(argument, folder=tmp_path)
    assert str(raised.value).startswith(message)


def test_progress_only_reads(folder):
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    progress(folder=folder)
    progress("03", folder=folder)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


# ----------------------------------------------------------------------------------------------
# progress(): the real notebooks
# ----------------------------------------------------------------------------------------------


def test_the_instructor_notebooks_show_every_exercise_of_their_set_correct():
    expected = {}
    for path in notebook_paths():
        set_name = f"ex{path.name[:2]}"
        if set_name in SETS:
            expected.update(dict.fromkeys((e.id for e in exercises_of(set_name)), CORRECT))
    assert progress(folder=NOTEBOOKS_DIR).verdicts == expected


def test_a_fresh_student_edition_shows_every_exercise_not_attempted(tmp_path):
    paths = notebook_paths()
    if not paths:
        pytest.skip("no notebooks yet")
    make_student.write_edition(paths, tmp_path)
    teacher, student = progress(folder=NOTEBOOKS_DIR), progress(folder=tmp_path)
    assert student.verdicts == dict.fromkeys(teacher.verdicts, NOT_ATTEMPTED)
    assert [nb.saved for nb in student.notebooks] == [nb.saved for nb in teacher.notebooks]


def test_progress_of_the_whole_course_is_quick():
    if not notebook_paths():
        pytest.skip("no notebooks yet")
    progress(folder=NOTEBOOKS_DIR)  # the files are in the disk cache from here on
    seconds = []
    for _ in range(3):
        start = time.perf_counter()
        progress(folder=NOTEBOOKS_DIR)
        seconds.append(time.perf_counter() - start)
    assert min(seconds) < 0.2, seconds  # the best of three: the machine may be busy


# ----------------------------------------------------------------------------------------------
# nbgrader's solution markers, checked without nbgrader
# ----------------------------------------------------------------------------------------------

EXERCISE_CELL = re.compile(r"#\s*Exercise (\d\d\.\d+):")


def marker_problems(cells: list, name: str) -> list[str]:
    """What would stop nbgrader (ClearSolutions) from taking the notebook's answers out.

    nbgrader reads a marker only on a line of its own (surrounding spaces aside), in a code
    cell; a BEGIN inside a region, or a region never closed, is an error for it. An END with no
    BEGIN is ignored by nbgrader but means a broken cell, so it is a problem here too; so is a
    marker that shares its line (nbgrader would not see it, and the answer would stay)."""
    problems = []
    for index, cell in enumerate(cells):
        where = f"{name}, cell {index + 1}"
        lines = cell["source"].split("\n")
        markers = [line.strip() for line in lines if line.strip() in (BEGIN, END)]
        if cell["cell_type"] != "code":
            problems += [f"{where}: {BEGIN!r} in a {cell['cell_type']} cell"] if markers else []
            continue
        problems += [f"{where}: a marker must have its line to itself: {line.strip()!r}"
                     for line in lines if line.strip() not in (BEGIN, END)
                     and (BEGIN in line or END in line)]
        is_exercise = bool(EXERCISE_CELL.match(lines[0]))
        if is_exercise and BEGIN not in markers:
            problems.append(f"{where}: an exercise cell without a solution region")
        if markers and not is_exercise:
            problems.append(f"{where}: a solution region outside an exercise cell (its first "
                            f"line names the exercise: '# Exercise NN.k: ...')")
        inside = False
        for marker in markers:
            if marker == BEGIN and inside:
                problems.append(f"{where}: {BEGIN!r} inside a solution region (nested)")
            elif marker == END and not inside:
                problems.append(f"{where}: {END!r} without {BEGIN!r}")
            inside = marker == BEGIN
        if inside:
            problems.append(f"{where}: {BEGIN!r} never closed by {END!r}")
    return problems


def test_the_instructor_notebooks_follow_nbgraders_marker_syntax(notebook):
    cells = nbformat.read(notebook, as_version=4).cells
    assert not marker_problems(cells, notebook.name)
    if any(EXERCISE_CELL.match(c.source) for c in cells if c.cell_type == "code"):
        ids = [EXERCISE_CELL.match(c.source).group(1) for c in cells
               if c.cell_type == "code" and EXERCISE_CELL.match(c.source)]
        assert len(ids) == len(set(ids)), f"{notebook.name}: two answer cells for one exercise"


@pytest.mark.parametrize("cell, problem", [
    (nbformat.v4.new_code_cell(f"# Exercise 01.1: x\n{BEGIN}\nx = 1\n{END}"), None),
    (nbformat.v4.new_code_cell(f"# Exercise 01.1: x\n{BEGIN}\n{BEGIN}\n{END}"), "nested"),
    (nbformat.v4.new_code_cell(f"# Exercise 01.1: x\n{BEGIN}\nx = 1"), "never closed"),
    (nbformat.v4.new_code_cell(f"# Exercise 01.1: x\nx = 1\n{END}"), "without"),
    (nbformat.v4.new_code_cell("# Exercise 01.1: x\nx = 1"), "without a solution region"),
    (nbformat.v4.new_code_cell(f"x = 1\n{BEGIN}\nx = 2\n{END}"), "outside an exercise cell"),
    (nbformat.v4.new_code_cell(f"# Exercise 01.1: x\nx = 1  {BEGIN}\n{END}"), "to itself"),
    (nbformat.v4.new_markdown_cell(f"Like this:\n\n{BEGIN}\n"), "in a markdown cell"),
    (nbformat.v4.new_markdown_cell(f"The answer sits between `{BEGIN}` and `{END}`."), None),
])
def test_the_marker_check_finds_what_nbgrader_would_reject(cell, problem):
    problems = marker_problems([cell], "01_x.ipynb")
    if problem is None:
        assert problems == []
    else:
        assert any(problem in found for found in problems), problems


# ----------------------------------------------------------------------------------------------
# The instructor edition: answers collapsed until clicked; where each edition opens
# ----------------------------------------------------------------------------------------------


def first_notebook_with_exercises() -> Path:
    for path in notebook_paths():
        if BEGIN in path.read_text(encoding="utf-8"):
            return path
    pytest.skip("no notebook with exercises yet")


def test_answer_cells_are_served_collapsed_and_saved_unchanged(tmp_path):
    path = first_notebook_with_exercises()
    shutil.copy(path, tmp_path / path.name)
    manager = lab.CollapsedSolutions(root_dir=str(tmp_path))

    model = asyncio.run(manager.get(path.name))
    for cell in model["content"]["cells"]:
        hidden = cell["metadata"].get("jupyter", {}).get("source_hidden", False)
        assert hidden == (cell["cell_type"] == "code" and BEGIN in cell["source"])
    assert asyncio.run(manager.get(path.name, content=False))["content"] is None

    asyncio.run(manager.save({"type": "notebook", "content": model["content"]}, path.name))
    saved = json.loads((tmp_path / path.name).read_text(encoding="utf-8"))
    assert saved == json.loads(path.read_text(encoding="utf-8"))


def test_uncollapsing_keeps_the_cells_other_display_settings():
    cell = nbformat.v4.new_code_cell(f"# Exercise 01.1: x\n{BEGIN}\nx = 1\n{END}")
    nb = {"cells": [cell]}
    lab.collapse_solutions(nb)
    cell.metadata["jupyter"]["outputs_hidden"] = True
    lab.uncollapse_solutions(nb)
    assert cell.metadata == {"jupyter": {"outputs_hidden": True}}


@pytest.mark.parametrize("edition, folder", [("student", "student/notebooks"),
                                             ("instructor", "notebooks")])
def test_each_edition_opens_on_its_folder_with_answers_collapsed(edition, folder):
    arguments = lab.lab_arguments(edition, 8888, "abc")
    assert f"--LabApp.default_url=/lab/tree/{folder}" in arguments
    assert f"--ServerApp.root_dir={ROOT}" in arguments and "--ip=127.0.0.1" in arguments
    assert "--ServerApp.contents_manager_class=lab.CollapsedSolutions" in arguments


def test_a_wrong_edition_is_named(monkeypatch, capsys):
    monkeypatch.setenv("EDITION", "teacher")
    with pytest.raises(SystemExit) as stopped:
        lab.main()
    assert stopped.value.code == "lab: EDITION is 'student' (the default) or 'instructor'; " \
                                 "got 'teacher'"


# ----------------------------------------------------------------------------------------------
# The student's work survives every make target
# ----------------------------------------------------------------------------------------------


def tiny_course(root: Path) -> Path:
    """A project folder with two small instructor notebooks, as lab.py and make_student see it."""
    (root / "notebooks").mkdir(parents=True)
    for number in ("01", "02"):
        write_notebook(root / "notebooks", f"{number}_tiny.ipynb", [
            nbformat.v4.new_markdown_cell(f"# {number} · Tiny"),
            nbformat.v4.new_code_cell(f"# Exercise {number}.1: double\n{BEGIN}\nx = 2\n{END}"),
            nbformat.v4.new_code_cell("ex.q1.check()"),
        ])
    return root


def answer(path: Path) -> bytes:
    """Replace the placeholder of a student notebook by an answer, as a student would."""
    nb = nbformat.read(path, as_version=4)
    nb.cells[1].source = nb.cells[1].source.replace("raise NotImplementedError", "x = 2  #")
    nbformat.write(nb, path)
    return path.read_bytes()


def new_version(root: Path, name: str) -> None:
    """The course updates an instructor notebook (a new cell)."""
    path = root / "notebooks" / name
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("One more thing."))
    nbformat.write(nb, path)


def test_make_lab_writes_what_is_missing_or_outdated_and_keeps_the_students_work(tmp_path):
    root = tiny_course(tmp_path)
    mine = root / "student/notebooks/01_tiny.ipynb"
    assert lab.update_student_edition(root) == [
        "student edition in student/notebooks/: 2 notebooks (2 written)"]
    kept = answer(mine)
    assert lab.update_student_edition(root) == [
        "student edition in student/notebooks/: 2 notebooks (1 unchanged, 1 kept with your "
        "work)"]
    new_version(root, "01_tiny.ipynb")
    new_version(root, "02_tiny.ipynb")
    summary, warning = lab.update_student_edition(root)
    assert summary == ("student edition in student/notebooks/: 2 notebooks (1 written, 1 kept "
                       "with your work though a newer version exists)")
    assert warning.startswith("KEPT") and "01_tiny.ipynb" in warning
    assert mine.read_bytes() == kept
    assert "One more thing." in (root / "student/notebooks/02_tiny.ipynb").read_text()


def project_copy(tmp_path: Path) -> Path:
    """The Makefile and scripts/ in a tiny project: make runs there, not in the real one."""
    root = tiny_course(tmp_path / "project")
    shutil.copy2(ROOT / "Makefile", root)
    shutil.copytree(ROOT / "scripts", root / "scripts",
                    ignore=shutil.ignore_patterns("__pycache__", "node_modules"))
    return root


def make(root: Path, *arguments: str) -> subprocess.CompletedProcess:
    """`make ARGUMENTS` in ``root`` with the tests' Python, setup skipped (it is the real
    project's)."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    return subprocess.run(["make", "--no-print-directory", "-o", "setup", *arguments,
                           f"PY={sys.executable}"], cwd=root, capture_output=True, text=True,
                          timeout=120)


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with a hash of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_make_student_keeps_the_students_work_unless_forced(tmp_path):
    root = project_copy(tmp_path)
    mine = root / "student/notebooks/01_tiny.ipynb"
    make_student.write_edition(sorted((root / "notebooks").glob("*.ipynb")), mine.parent)
    kept = answer(mine)
    done = make(root, "student")  # (make_student.py's own tests: a newer version, and more)
    assert done.returncode == 0 and "kept       student/notebooks/01_tiny.ipynb" in done.stdout
    assert mine.read_bytes() == kept
    assert make(root, "student", "FORCE=1").returncode == 0
    assert mine.read_bytes() != kept and "raise NotImplementedError" in mine.read_text()


def test_make_clean_never_touches_student(tmp_path):
    root = project_copy(tmp_path)
    student = root / "student/notebooks"
    for path in (student / "01_tiny.ipynb", student / ".ipynb_checkpoints/01_tiny-checkpoint.ipynb",
                 student / "__pycache__/helper.cpython-311.pyc", root / "build/x.txt",
                 root / "course/__pycache__/engine.cpython-311.pyc",
                 root / "notebooks/.ipynb_checkpoints/01_tiny-checkpoint.ipynb"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"the contents of {path.name}")
    before = tree(root / "student")
    done = make(root, "clean")
    assert done.returncode == 0, done.stderr
    assert tree(root / "student") == before
    assert not (root / "build").exists() and not (root / "course/__pycache__").exists()
    assert not (root / "notebooks/.ipynb_checkpoints").exists()


SUBPROCESS_CALL = re.compile(r"subprocess\.(?:run|Popen|call|check_call|check_output)\(")
MAIN_CALL = re.compile(r"make_student\.main\(")


def calls_in(text: str, call: re.Pattern) -> list[str]:
    """The text of every call matching ``call`` in ``text``, up to its closing parenthesis."""
    calls = []
    for found in call.finditer(text):
        depth, end = 0, found.end() - 1
        for end in range(found.end() - 1, len(text)):
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            if depth == 0:
                break
        calls.append(text[found.start(): end + 1])
    return calls


def test_make_test_does_not_write_into_student():
    """`make test` runs ruff and pytest, never make_student.py or lab.py itself; and no test
    runs `make lab`, `make student`, lab.py or make_student.py in the project folder, or calls
    them so that they write the real student/notebooks (they work in temporary copies)."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    dry_run = subprocess.run(["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True,
                             timeout=60).stdout
    assert "pytest" in dry_run
    assert not re.search(r"student|lab\.py", dry_run)
    problems = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        if path == Path(__file__).resolve():
            continue  # this test's own patterns
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT)
        for call in calls_in(text, SUBPROCESS_CALL):
            runs_ours = re.search(r'"(lab|student)"|lab\.py|make_student\.py', call)
            if runs_ours and re.search(r"cwd=(root|ROOT)\b", call):
                problems.append(f"{name}: runs {runs_ours.group(0)} in the project folder")
        if re.search(r"update_student_edition\(\)|STUDENT_NOTEBOOKS", text):
            problems.append(f"{name}: writes the real student/notebooks")
        for call in calls_in(text, MAIN_CALL):
            if "--out" not in call:
                problems.append(f"{name}: make_student.main without --out")
    assert not problems, problems
