"""Start JupyterLab on the course notebooks (run by `make lab`).

    make lab                      the student edition, student/notebooks/ (the default)
    make lab EDITION=instructor   the instructor edition, notebooks/

Student edition: before Lab starts, the student edition is brought up to date with
scripts/make_student.py's rules: a notebook missing from student/notebooks/ is written, one
that nobody has touched since it was written is replaced by the newest version, and one the
student has changed (answers typed in, cells run) is kept as it is. Lab opens on that folder.

Instructor edition: Lab opens on notebooks/. In every notebook Lab shows, the code of the
exercise answer cells (the cells holding ``### BEGIN SOLUTION``) is collapsed until clicked, so
a lecturer can scroll past an exercise on the projector without showing its answer. The files
do not change for it: the collapse flag (cell metadata ``jupyter.source_hidden``, which
JupyterLab honours) is added as Lab reads a notebook and taken out again as Lab saves it
(``CollapsedSolutions``, the server's contents manager). It works in both editions, so a
student who wanders into notebooks/ does not see the answers either, unless they click them open.

Lab serves the project folder, so the course's source (course/engine.py, ...) is a few clicks
away; it listens on 127.0.0.1 only, with a token, random each time unless TOKEN is set. It
starts at port PORT (default 8888) and takes the next free one if that is busy, so the address
printed here is the one Lab really uses.
"""

from __future__ import annotations

import os
import secrets
import socket
import sys
from pathlib import Path

import make_student  # scripts/make_student.py: Python puts this script's folder on sys.path
from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
EDITIONS = {"student": "student/notebooks", "instructor": "notebooks"}  # folders, from ROOT


def free_port(start: int, tries: int = 50) -> int:
    """The first port from `start` on that nobody listens on at HOST."""
    for port in range(start, start + tries):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind((HOST, port))
            except OSError:
                continue
            return port
    sys.exit(f"lab: no free port between {start} and {start + tries - 1}; try PORT=9000")


def can_open_browser() -> bool:
    if os.environ.get("CI"):
        return False
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True  # macOS, Windows


# ----------------------------------------------------------------------------------------------
# The student edition, brought up to date
# ----------------------------------------------------------------------------------------------


def update_student_edition(root: Path = ROOT) -> list[str]:
    """Write what is missing or outdated in root/student/notebooks, never a changed notebook.

    Returns the lines to print: how many notebooks were written, left, kept; then, for each
    kept notebook that has a newer version, make_student's line saying so."""
    sources = sorted((root / "notebooks").glob("*.ipynb"))
    if not sources:
        return []
    report = make_student.write_edition(sources, root / EDITIONS["student"])
    outcomes = {"written": "written", "unchanged": "unchanged", "kept": "kept with your work",
                "KEPT": "kept with your work though a newer version exists"}
    counts = {word: sum(line.split()[0] == word for line in report) for word in outcomes}
    done = ", ".join(f"{counts[word]} {label}" for word, label in outcomes.items() if counts[word])
    summary = f"student edition in {EDITIONS['student']}/: {len(report)} notebooks ({done})"
    return [summary] + [line for line in report if line.startswith("KEPT")]


# ----------------------------------------------------------------------------------------------
# Solutions collapsed until clicked
# ----------------------------------------------------------------------------------------------


def is_solution_cell(cell: dict) -> bool:
    return cell.get("cell_type") == "code" and make_student.BEGIN in cell.get("source", "")


def collapse_solutions(nb: dict) -> None:
    """Mark the code of every answer cell as hidden (JupyterLab shows "…" until clicked)."""
    for cell in nb.get("cells", []):
        if is_solution_cell(cell):
            cell.setdefault("metadata", {}).setdefault("jupyter", {})["source_hidden"] = True


def uncollapse_solutions(nb: dict) -> None:
    """Take the flag of :func:`collapse_solutions` out again, so the file on disk stays as it
    was (expanded or not in the browser)."""
    for cell in nb.get("cells", []):
        jupyter = cell.get("metadata", {}).get("jupyter")
        if is_solution_cell(cell) and isinstance(jupyter, dict):
            jupyter.pop("source_hidden", None)
            if not jupyter:
                del cell["metadata"]["jupyter"]


class CollapsedSolutions(AsyncLargeFileManager):
    """Jupyter's own file manager, with answer cells collapsed on the way to the browser."""

    async def get(self, path, content=True, type=None, format=None, **kwargs):
        model = await super().get(path, content=content, type=type, format=format, **kwargs)
        if model.get("type") == "notebook" and model.get("content"):
            collapse_solutions(model["content"])
        return model

    async def save(self, model, path=""):
        if model.get("type") == "notebook" and model.get("content"):
            uncollapse_solutions(model["content"])
        return await super().save(model, path)


# ----------------------------------------------------------------------------------------------
# Starting Lab
# ----------------------------------------------------------------------------------------------


def lab_arguments(edition: str, port: int, token: str) -> list[str]:
    """The arguments of `jupyter lab` for an edition: where it opens, and the collapsed answers."""
    return [
        f"--ip={HOST}",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={ROOT}",
        f"--LabApp.default_url=/lab/tree/{EDITIONS[edition]}",  # where `/` and the browser go
        # the server imports the class by name: from this module (__main__ when run as a script)
        f"--ServerApp.contents_manager_class={__name__}.{CollapsedSolutions.__name__}",
    ]


def main() -> None:
    edition = os.environ.get("EDITION") or "student"
    if edition not in EDITIONS:
        sys.exit(f"lab: EDITION is 'student' (the default) or 'instructor'; got {edition!r}")
    if edition == "student":
        try:
            for line in update_student_edition():
                print(f"lab: {line}")
        except make_student.SolutionMarkerError as error:
            sys.exit(f"lab: cannot write the student edition: {error}")

    asked = int(os.environ.get("PORT") or 8888)
    port = free_port(asked)
    token = os.environ.get("TOKEN") or secrets.token_hex(24)
    argv = lab_arguments(edition, port, token)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--allow-root")  # Jupyter refuses to run as root without it
    if not can_open_browser():
        argv.append("--no-browser")

    if port != asked:
        print(f"lab: port {asked} is busy, using {port}")
    url = f"http://{HOST}:{port}/lab/tree/{EDITIONS[edition]}?token={token}"
    print(f"lab: the {edition} edition: open {url}")
    print("lab: stop it with Ctrl+C twice", flush=True)
    from jupyterlab.labapp import LabApp

    LabApp.launch_instance(argv=argv)  # what the `jupyter lab` command runs, in this process


if __name__ == "__main__":
    main()
