"""The student edition written by scripts/make_student.py (`make student`).

It is written fresh into a temporary folder. Every solution region must be replaced by its
placeholder, with no solution text left anywhere; the cells that showed the instructor's
results (a check's verdict, the progress, a revealed prediction) must lose their outputs; every
other cell must be copied unchanged; writing it again must change nothing.

And it must run. Every cell before the exercises section is the instructor's cell, unchanged
(checked here), and nbval runs the instructor notebooks, so only the exercises section is run
here: from the cell `from course.exercises import exNN as ex` to the end, on its own in a fresh
kernel, as a student who restarts the kernel and goes straight to the exercises would. In it,
exactly the exercise cells whose placeholder runs at the top level fail, with that placeholder's
NotImplementedError, and every check reports "not attempted". A name the section uses but does
not define (NameError) is reported with the cell, so the section can be made self-contained.
"""

import copy
import importlib.util
import json
import re
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, notebook_paths
from nbclient import NotebookClient
from traitlets.config import Config

CELL_TIMEOUT = 120  # seconds, as scripts/execute_notebooks.py
PLACEHOLDER = re.compile(
    r'^(\s*)raise NotImplementedError\("Exercise (\d\d\.\d+): replace this line with your '
    r'solution"\)$', re.M)


def load_make_student():
    spec = importlib.util.spec_from_file_location("make_student", ROOT / "scripts/make_student.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_student = load_make_student()


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> Path:
    """The student edition of every notebook, written into a fresh temporary folder."""
    out = tmp_path_factory.mktemp("student") / "notebooks"
    paths = notebook_paths()
    if paths:
        make_student.write_edition(paths, out)
    return out


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def pairs(notebook: Path, edition: Path):
    """(instructor cell, student cell) for every cell of the notebook."""
    teacher, student = read(notebook), read(edition / notebook.name)
    assert len(teacher.cells) == len(student.cells)
    return list(zip(teacher.cells, student.cells))


def has_exercises(notebook: Path) -> bool:
    return any(make_student.has_solution(cell) for cell in read(notebook).cells)


# ----------------------------------------------------------------------------------------------
# What the edition contains
# ----------------------------------------------------------------------------------------------


def test_solutions_become_placeholders_and_lose_their_outputs(notebook, edition):
    for teacher, student in pairs(notebook, edition):
        if not make_student.has_solution(teacher):
            continue
        exercise_id = make_student.exercise_id_of(teacher.source, notebook.name)
        begins = [line for line in teacher.source.split("\n")
                  if line.strip() == make_student.BEGIN]
        placeholders = PLACEHOLDER.findall(student.source)
        assert [indent for indent, _ in placeholders] == [b[: b.index("#")] for b in begins]
        assert {found_id for _, found_id in placeholders} == {exercise_id}
        assert "SOLUTION" not in student.source
        assert student.outputs == [] and student.execution_count is None
        # tagged so that Run All in JupyterLab goes on to the check below it
        tags = student.metadata.pop("tags")
        assert tags == [*teacher.metadata.get("tags", []), make_student.RUN_ALL_GOES_ON]
        assert student.metadata == {k: v for k, v in teacher.metadata.items() if k != "tags"}
        # the code around the region is kept, line for line
        kept = [line for line in teacher.source.split("\n") if line in student.source.split("\n")]
        assert kept == [line for line in student.source.split("\n")
                        if not PLACEHOLDER.match(line)]


def test_every_other_cell_is_copied_unchanged(notebook, edition):
    for teacher, student in pairs(notebook, edition):
        if make_student.has_solution(teacher):
            continue
        if make_student.shows_instructor_results(teacher):  # a verdict, progress, a reveal
            assert student.outputs == [] and student.execution_count is None
            assert student.source == teacher.source and student.metadata == teacher.metadata
            continue
        assert student == teacher


def revealing_lines(nb: nbformat.NotebookNode) -> set[str]:
    """The lines of the solution regions whose text appears nowhere else in the notebook."""
    in_regions, elsewhere = set(), []
    for cell in nb.cells:
        inside = False
        for line in cell.source.split("\n"):
            marker = line.strip()
            if marker in (make_student.BEGIN, make_student.END):
                inside = marker == make_student.BEGIN
            elif inside and cell.cell_type == "code":
                in_regions.add(marker)
            else:
                elsewhere.append(line)
    other_text = "\n".join(elsewhere)
    return {line for line in in_regions if len(line) >= 4 and line not in other_text}


def test_no_solution_text_is_left_anywhere(notebook, edition):
    secrets = revealing_lines(read(notebook))
    text = json.loads((edition / notebook.name).read_text(encoding="utf-8"))
    everything = json.dumps(text, ensure_ascii=False)  # sources, outputs and metadata
    shown = "\n".join("".join(c["source"]) + json.dumps(c.get("outputs", []), ensure_ascii=False)
                      for c in text["cells"])
    for line in secrets:
        assert line not in shown, f"{notebook.name}: solution line left in: {line!r}"
        assert json.dumps(line)[1:-1] not in everything


def test_writing_it_again_changes_nothing(tmp_path, edition):
    paths = notebook_paths()
    if not paths:
        pytest.skip("no notebooks yet")
    report = make_student.write_edition(paths, edition)
    assert all(line.startswith("unchanged") for line in report), report
    make_student.write_edition(paths, tmp_path)
    for path in paths:
        assert (tmp_path / path.name).read_bytes() == (edition / path.name).read_bytes()


# ----------------------------------------------------------------------------------------------
# The script's safety rules, on a small notebook
# ----------------------------------------------------------------------------------------------


def tiny_notebook(tmp_path: Path, answer_cell: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(answer_cell), nbformat.v4.new_code_cell("ex.q1.check()")]
    path = tmp_path / "99_tiny.ipynb"
    nbformat.write(nb, path)
    return path


ANSWER_CELL = "# Exercise 99.1: the answer\ndef f(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n" \
              "    ### END SOLUTION"


def answer_in(written: Path) -> bytes:
    """Type an answer into the tiny notebook's student edition, as a student would; its bytes."""
    nb = read(written)
    nb.cells[0].source = nb.cells[0].source.replace("raise", "return 3 * x  #")
    nbformat.write(nb, written)
    return written.read_bytes()


def test_a_students_work_is_not_overwritten(tmp_path):
    source, out = tiny_notebook(tmp_path, ANSWER_CELL), tmp_path / "student"
    assert make_student.write_edition([source], out)[0].startswith("written")
    written = out / source.name
    changed = answer_in(written)
    assert make_student.write_edition([source], out) == [
        f"kept       {written}: it holds your work"]
    assert written.read_bytes() == changed
    assert make_student.main([str(source), "--out", str(out)]) == 0  # nothing to act on
    assert make_student.write_edition([source], out, force=True)[0].startswith("written")
    assert "return 3 * x" not in written.read_text()


def test_a_newer_version_does_not_replace_a_students_work_but_is_reported(tmp_path, capsys):
    source, out = tiny_notebook(tmp_path, ANSWER_CELL), tmp_path / "student"
    make_student.write_edition([source], out)
    changed = answer_in(out / source.name)
    tiny_notebook(tmp_path, ANSWER_CELL.replace("the answer", "the new answer"))
    assert make_student.main([str(source), "--out", str(out)]) == 1  # make student fails
    printed = capsys.readouterr().out
    assert printed.startswith("KEPT") and "make student FORCE=1" in printed, printed
    assert (out / source.name).read_bytes() == changed
    report = make_student.write_edition([source], out)
    assert report[0].startswith("KEPT") and "a newer version exists" in report[0], report
    assert (out / source.name).read_bytes() == changed


def test_unreadable_or_foreign_notebooks_are_kept(tmp_path):
    source, out = tiny_notebook(tmp_path, ANSWER_CELL), tmp_path / "student"
    out.mkdir()
    for text in ('{"cells": [', '{"cells": [], "metadata": {}, "nbformat": 4}'):  # half-saved;
        (out / source.name).write_text(text)  # one make_student did not write
        assert make_student.write_edition([source], out)[0].startswith("KEPT")
        assert (out / source.name).read_text() == text


def test_progress_and_reveal_cells_lose_the_instructors_outputs(tmp_path):
    shown = nbformat.v4.new_output("display_data", data={"text/plain": "✓ 99.1  correct"})
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell('progress("99")', outputs=[shown], execution_count=1),
        nbformat.v4.new_code_cell("reveal(guess, a.grad)", outputs=[shown], execution_count=2),
        nbformat.v4.new_code_cell("print(progress_bar)", outputs=[shown], execution_count=3),
    ])
    student = make_student.student_notebook(nb, "99_tiny.ipynb")
    assert [(c.outputs, c.execution_count) for c in student.cells[:2]] == [([], None)] * 2
    assert student.cells[2] == nb.cells[2]  # not a call of progress(): copied as it is


def test_an_updated_notebook_replaces_an_untouched_edition(tmp_path):
    source, out = tiny_notebook(tmp_path, ANSWER_CELL), tmp_path / "student"
    make_student.write_edition([source], out)
    tiny_notebook(tmp_path, ANSWER_CELL.replace("the answer", "the new answer"))
    assert make_student.write_edition([source], out)[0].startswith("written")
    assert "the new answer" in (out / source.name).read_text()


@pytest.mark.parametrize("cell, problem", [
    ("def f(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION",
     "name its exercise"),
    ("# Exercise 99.1\n### BEGIN SOLUTION\nx = 1", "without '### END SOLUTION'"),
    ("# Exercise 99.1\nx = 1\n### END SOLUTION", "without '### BEGIN SOLUTION'"),
])
def test_broken_markers_are_reported(tmp_path, cell, problem):
    source = tiny_notebook(tmp_path, cell)
    with pytest.raises(make_student.SolutionMarkerError, match=re.escape(problem)):
        make_student.write_edition([source], tmp_path / "student")


# ----------------------------------------------------------------------------------------------
# The exercises section runs on its own: only the exercises fail, every check says "not attempted"
# ----------------------------------------------------------------------------------------------


def execute_section(nb: nbformat.NotebookNode, start: int, folder: Path) -> nbformat.NotebookNode:
    """Run the cells from ``start`` to the end in a fresh kernel started in ``folder``, as
    scripts/execute_notebooks.py does but going on past errors; returns the cells, run."""
    section = nbformat.v4.new_notebook(metadata=nb.metadata, cells=copy.deepcopy(nb.cells[start:]))
    config = Config()
    config.KernelManager.transport_encryption = "auto"
    NotebookClient(section, kernel_name="python3", timeout=CELL_TIMEOUT, record_timing=False,
                   allow_errors=True, resources={"metadata": {"path": str(folder)}},
                   config=config).execute()
    return section


def expected_failure(cell: nbformat.NotebookNode) -> str | None:
    """The exercise id if the cell's placeholder runs as soon as the cell does (top level)."""
    found = [exercise_id for indent, exercise_id in PLACEHOLDER.findall(cell.source) if not indent]
    return found[0] if found else None


def section_problems(section: nbformat.NotebookNode, start: int, name: str) -> list[str]:
    """What is wrong in a run exercises section (cell numbers count from the notebook's top)."""
    problems, checks = [], 0
    for offset, cell in enumerate(section.cells):
        if cell.cell_type != "code":
            continue
        where = f"{name}, cell {start + offset + 1}"
        errors = [(o.ename, o.evalue) for o in cell.outputs if o.output_type == "error"]
        exercise_id = expected_failure(cell)
        expected = [("NotImplementedError",
                     f"Exercise {exercise_id}: replace this line with your solution")]
        if exercise_id and errors != expected:
            problems.append(f"{where}: should stop at the placeholder of exercise "
                            f"{exercise_id}; it gave {errors or 'no error'}")
        elif not exercise_id:
            problems += [error_problem(where, ename, evalue, start) for ename, evalue in errors]
        if any(o.get("name") == "stderr" for o in cell.outputs):
            problems.append(f"{where}: prints to stderr")
        if make_student.is_check_cell(cell):
            checks += 1
            verdict = "".join(o.get("data", {}).get("text/plain", "") for o in cell.outputs)
            if not re.match(r"○ Exercise \d\d\.\d+: not attempted", verdict):
                problems.append(f"{where}: the check should say not attempted; it shows "
                                f"{verdict or 'nothing'!r}")
    if not checks:
        problems.append(f"{name}: the exercises section has no check cell (ex.qN.check())")
    return problems


def error_problem(where: str, ename: str, evalue: str, start: int) -> str:
    if ename != "NameError":
        return f"{where}: {ename}: {evalue}"
    missing = re.search(r"name '(\w+)' is not defined", evalue)
    missing = missing.group(1) if missing else evalue
    return (f"{where}: NameError: `{missing}` is not defined. The exercises section (cell "
            f"{start + 1} to the end) must run on its own in a fresh kernel: import or build "
            f"`{missing}` in it.")


def test_the_exercises_section_runs_on_its_own_with_only_the_exercises_failing(notebook, edition):
    if not has_exercises(notebook):
        pytest.skip(f"{notebook.name} has no exercises yet")
    nb = read(edition / notebook.name)
    start = make_student.exercises_section_start(nb)
    first_exercise = next(i for i, c in enumerate(nb.cells) if PLACEHOLDER.search(c.source))
    assert start is not None and start < first_exercise, (
        f"{notebook.name}: the exercises section must start with a code cell "
        f"`from course.exercises import ex{notebook.name[:2]} as ex`, before the first exercise")
    section = execute_section(nb, start, edition)
    problems = section_problems(section, start, notebook.name)
    assert not problems, "\n".join(problems)


def test_a_name_the_section_does_not_define_is_reported_with_its_cell():
    ran = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("from course.exercises import ex02 as ex", outputs=[]),
        nbformat.v4.new_code_cell("model = MLP(2, [1])", outputs=[nbformat.v4.new_output(
            "error", ename="NameError", evalue="name 'MLP' is not defined", traceback=[])]),
        nbformat.v4.new_code_cell("ex.q1.check()", outputs=[nbformat.v4.new_output(
            "display_data", data={"text/plain": "✓ Exercise 02.1: correct"})]),
    ])
    problems = section_problems(ran, 40, "02_x.ipynb")
    assert problems[0] == (
        "02_x.ipynb, cell 42: NameError: `MLP` is not defined. The exercises section (cell 41 "
        "to the end) must run on its own in a fresh kernel: import or build `MLP` in it.")
    assert problems[1].startswith("02_x.ipynb, cell 43: the check should say not attempted")


def test_the_section_starts_at_the_cell_that_imports_the_exercise_set():
    cells = [nbformat.v4.new_markdown_cell("from course.exercises import ex02 as ex"),
             nbformat.v4.new_code_cell("import math"),
             nbformat.v4.new_code_cell("# exercises\nfrom course.exercises import ex02 as ex\n"),
             nbformat.v4.new_code_cell("ex.q1.check()")]
    assert make_student.exercises_section_start(nbformat.v4.new_notebook(cells=cells)) == 2
    del cells[2]
    assert make_student.exercises_section_start(nbformat.v4.new_notebook(cells=cells)) is None
