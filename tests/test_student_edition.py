"""The student edition written by scripts/make_student.py (`make student`).

It is written fresh into a temporary folder. Every solution region must be replaced by its
placeholder, with no solution text left anywhere; every other cell must be copied unchanged;
writing it again must change nothing; and it must run: exactly the exercise cells whose
placeholder runs at the top level fail, with that placeholder's NotImplementedError, and every
check reports "not attempted".
"""

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
        # the code around the region is kept, line for line
        kept = [line for line in teacher.source.split("\n") if line in student.source.split("\n")]
        assert kept == [line for line in student.source.split("\n")
                        if not PLACEHOLDER.match(line)]


def test_every_other_cell_is_copied_unchanged(notebook, edition):
    for teacher, student in pairs(notebook, edition):
        if make_student.has_solution(teacher):
            continue
        if make_student.is_check_cell(teacher):  # its verdict was the instructor's answer's
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


def test_a_students_work_is_not_overwritten(tmp_path):
    source, out = tiny_notebook(tmp_path, ANSWER_CELL), tmp_path / "student"
    assert make_student.write_edition([source], out)[0].startswith("written")
    written = out / source.name
    nb = read(written)
    nb.cells[0].source = nb.cells[0].source.replace("raise", "return 3 * x  #")  # an answer
    nbformat.write(nb, written)
    changed = written.read_bytes()
    assert make_student.write_edition([source], out)[0].startswith("KEPT")
    assert written.read_bytes() == changed
    assert make_student.write_edition([source], out, force=True)[0].startswith("written")
    assert "return 3 * x" not in written.read_text()


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
# The edition runs: only the exercises fail, and every check says "not attempted"
# ----------------------------------------------------------------------------------------------


def execute(path: Path) -> nbformat.NotebookNode:
    """Run a notebook as scripts/execute_notebooks.py does, but keep going past errors."""
    nb = read(path)
    config = Config()
    config.KernelManager.transport_encryption = "auto"
    NotebookClient(nb, kernel_name="python3", timeout=CELL_TIMEOUT, record_timing=False,
                   allow_errors=True, resources={"metadata": {"path": str(path.parent)}},
                   config=config).execute()
    return nb


def expected_failure(cell: nbformat.NotebookNode) -> str | None:
    """The exercise id if the cell's placeholder runs as soon as the cell does (top level)."""
    found = [exercise_id for indent, exercise_id in PLACEHOLDER.findall(cell.source) if not indent]
    return found[0] if found else None


def test_the_student_edition_runs_with_only_the_exercises_failing(notebook, edition):
    if not has_exercises(notebook):
        pytest.skip(f"{notebook.name} has no exercises yet")
    nb = execute(edition / notebook.name)
    checks = 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        where = f"{notebook.name} cell {index + 1}"
        errors = [o for o in cell.outputs if o.output_type == "error"]
        exercise_id = expected_failure(cell)
        if exercise_id:
            assert [(e.ename, e.evalue) for e in errors] == [(
                "NotImplementedError",
                f"Exercise {exercise_id}: replace this line with your solution")], where
        else:
            assert not errors, f"{where}: {[(e.ename, e.evalue) for e in errors]}"
        assert not [o for o in cell.outputs if o.get("name") == "stderr"], where
        if make_student.is_check_cell(cell):
            checks += 1
            verdict = "".join(o.get("data", {}).get("text/plain", "") for o in cell.outputs)
            assert re.match(r"○ Exercise \d\d\.\d+: not attempted", verdict), f"{where}: {verdict}"
    assert checks > 0
