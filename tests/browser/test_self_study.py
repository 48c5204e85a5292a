"""Self-study in a real JupyterLab, in headless Chromium (`make test-browser`).

Lab is started the way `make lab` starts it (scripts/lab.py, in a copy of the project with no
student/ folder yet, as in a fresh clone), and the page goes to the address it prints.

- The default, the student edition: Lab lands in student/notebooks; in notebook 01 no line of
  any solution is on screen; after Run All every check says *not attempted*; an answer typed
  into exercise 01.1 makes its check say *correct*, and once the notebook is saved,
  ``progress("01")`` shows 01.1 correct and the others not attempted.
- EDITION=instructor: Lab lands in notebooks/, the answer cells of notebook 01 are collapsed
  (no solution line on screen) and a click opens one.

Screenshots go to build/screenshots/self_study_*.png.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import nbformat
import pytest
from test_student_edition import revealing_lines

from .conftest import LAB_SETTINGS, ROOT, Lab, _stop, _wait_until_up, free_port
from .test_browser import accept_kernel_dialog

pytestmark = pytest.mark.browser

NOTEBOOK = "01_single_weight.ipynb"
TIMEOUT_MS = 90_000  # starting a kernel and running a whole notebook, on a busy machine
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
VERDICT = re.compile(r"[✓✗○] Exercise 01\.\d+: (correct|incorrect|not attempted)")
SETTINGS = {
    **LAB_SETTINGS,
    # every cell drawn, so that the page's text is the whole notebook's
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A fresh clone, as far as `make lab` is concerned: scripts/ and notebooks/, no student/."""
    if not (ROOT / "notebooks" / NOTEBOOK).exists():
        pytest.skip(f"notebooks/{NOTEBOOK} does not exist yet")
    root = tmp_path_factory.mktemp("clone")
    shutil.copytree(ROOT / "scripts", root / "scripts",
                    ignore=shutil.ignore_patterns("__pycache__", "node_modules"))
    shutil.copytree(ROOT / "notebooks", root / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return root


@contextmanager
def make_lab(project: Path, home: Path, edition: str | None = None):
    """scripts/lab.py as `make lab` runs it (EDITION=instructor for the instructor edition);
    yields the Lab and the address it printed."""
    settings = home / "lab-user-settings"
    for relative, values in SETTINGS.items():
        (settings / relative).parent.mkdir(parents=True, exist_ok=True)
        (settings / relative).write_text(json.dumps(values))
    port, token = free_port(), secrets.token_hex(16)
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("EDITION", None)
    env.update(CI="true", HOME=str(home), PORT=str(port), TOKEN=token,
               JUPYTERLAB_SETTINGS_DIR=str(settings),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "lab-workspaces"),
               MPLCONFIGDIR=str(home / "matplotlib"), **({"EDITION": edition} if edition else {}))
    log = home / "lab.log"
    with open(log, "w") as log_file:
        process = subprocess.Popen([sys.executable, str(project / "scripts/lab.py")], env=env,
                                   cwd=project, stdout=log_file, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    lab = Lab(url=f"http://127.0.0.1:{port}", token=token, notebooks=project)
    try:
        _wait_until_up(lab, process, log)
        printed = re.search(r"lab: the \w+ edition: open (\S+)", log.read_text())
        assert printed, log.read_text()
        yield lab, printed.group(1)
    finally:
        _stop(process)


@contextmanager
def new_page(browser, name: str, screenshots: Path):
    context = browser.new_context(viewport={"width": 1400, "height": 1600})
    page = context.new_page()
    try:
        yield page
    except BaseException:
        page.screenshot(path=screenshots / f"FAILED_self_study_{name}.png")
        raise
    finally:
        context.close()


def open_from_landing(page, address: str, folder: str) -> None:
    """Go to the printed address, check the file browser is in ``folder``, open NOTEBOOK."""
    page.goto(address)
    crumbs = page.locator(".jp-BreadCrumbs")
    crumbs.wait_for(timeout=TIMEOUT_MS)
    page.wait_for_function(
        "(want) => document.querySelector('.jp-BreadCrumbs').innerText.replace(/[\\s/]+/g, '')"
        ".endsWith(want)", arg=folder.replace("/", ""), timeout=TIMEOUT_MS)
    page.locator(".jp-DirListing-item", has_text=NOTEBOOK).dblclick()
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=TIMEOUT_MS)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                           timeout=TIMEOUT_MS)
    accept_kernel_dialog(page)


def notebook_text(page) -> str:
    return page.locator(".jp-NotebookPanel").inner_text()


def solution_lines_on_screen(page) -> list[str]:
    hidden = revealing_lines(nbformat.read(ROOT / "notebooks" / NOTEBOOK, as_version=4))
    assert hidden, "notebook 01 has no solution lines to look for"
    shown = notebook_text(page)
    return sorted(line for line in hidden if line in shown)


def verdicts(page) -> list[str]:
    return [m.group(0) for m in VERDICT.finditer(notebook_text(page))]


def wait_for_verdicts(page, count: int) -> list[str]:
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        found = verdicts(page)
        if len(found) >= count:
            return found
        time.sleep(0.5)
    raise AssertionError(f"expected {count} verdicts, the page shows {verdicts(page)}")


def solution_of(exercise_id: str) -> str:
    """Exercise ``exercise_id``'s answer cell as in the instructor notebook, without markers."""
    nb = nbformat.read(ROOT / "notebooks" / NOTEBOOK, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code"
                and c.source.startswith(f"# Exercise {exercise_id}:"))
    return "\n".join(line for line in cell.source.split("\n") if line.strip() not in (BEGIN, END))


def test_make_lab_opens_the_student_edition_and_progress_follows_the_saved_answers(
        browser, project, tmp_path, screenshots):
    exercises = len(set(re.findall(r"# Exercise (01\.\d+):",
                                   (ROOT / "notebooks" / NOTEBOOK).read_text())))
    with make_lab(project, tmp_path) as (_, address), new_page(browser, "student",
                                                                screenshots) as page:
        assert address.split("?")[0].endswith("/lab/tree/student/notebooks")
        open_from_landing(page, address, "student/notebooks")
        assert solution_lines_on_screen(page) == []

        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
        found = wait_for_verdicts(page, exercises)
        assert found == [f"○ Exercise 01.{k}: not attempted" for k in range(1, exercises + 1)]
        assert solution_lines_on_screen(page) == []
        page.screenshot(path=screenshots / "self_study_student_not_attempted.png")

        # Answer 01.1: the answer cell, then its check (Shift+Enter moves on to it)
        answer_cell = page.locator(".jp-CodeCell", has_text="# Exercise 01.1:")
        answer_cell.locator(".cm-content").click()
        page.keyboard.press("Control+a")
        page.keyboard.insert_text(solution_of("01.1"))
        page.keyboard.press("Shift+Enter")
        page.keyboard.press("Shift+Enter")
        page.wait_for_function(
            "() => document.querySelector('.jp-NotebookPanel').innerText"
            ".includes('✓ Exercise 01.1: correct')", timeout=TIMEOUT_MS)

        # Saved, then progress("01") in a new cell at the end reads it
        page.keyboard.press("Control+s")
        saved = project / "student/notebooks" / NOTEBOOK
        deadline = time.monotonic() + 30
        while "✓ Exercise 01.1: correct" not in saved.read_text(encoding="utf-8"):
            assert time.monotonic() < deadline, "the notebook was not saved"
            time.sleep(0.5)
        page.locator(".jp-Cell").last.click()
        page.keyboard.press("Escape")
        page.keyboard.press("b")
        page.keyboard.press("Enter")
        page.keyboard.insert_text('from course.exercises import progress\nprogress("01")')
        page.keyboard.press("Shift+Enter")
        table = page.locator(".course-progress").last
        table.wait_for(timeout=TIMEOUT_MS)
        table.scroll_into_view_if_needed()
        rows = [" ".join(row.split()) for row in table.locator("tr").all_inner_texts()]
        assert rows[0].startswith("✓ 01.1 correct"), rows
        assert all(row.startswith(f"○ 01.{k} not attempted") for k, row in
                   enumerate(rows[1:], start=2)) and len(rows) == exercises, rows
        table.screenshot(path=screenshots / "self_study_progress.png")


def test_the_instructor_edition_opens_with_answers_collapsed_until_clicked(
        browser, project, tmp_path, screenshots):
    answers = nbformat.read(ROOT / "notebooks" / NOTEBOOK, as_version=4).cells
    answers = [c for c in answers if c.cell_type == "code" and BEGIN in c.source]
    with make_lab(project, tmp_path, "instructor") as (_, address), new_page(
            browser, "instructor", screenshots) as page:
        assert address.split("?")[0].endswith("/lab/tree/notebooks")
        open_from_landing(page, address, "notebooks")
        placeholders = page.locator(".jp-CodeCell .jp-InputPlaceholder")
        assert placeholders.count() == len(answers)
        assert solution_lines_on_screen(page) == []
        placeholders.first.scroll_into_view_if_needed()
        page.screenshot(path=screenshots / "self_study_instructor_collapsed.png")
        placeholders.first.click()  # the lecturer opens one on purpose
        page.wait_for_function(
            "(line) => document.querySelector('.jp-NotebookPanel').innerText.includes(line)",
            arg=solution_of("01.1").split("\n")[-1], timeout=TIMEOUT_MS)
