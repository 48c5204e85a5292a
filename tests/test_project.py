"""Checks on the project itself: packages, notebooks as stored, README, `make lab`."""

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import NOTEBOOKS_DIR, ROOT, notebook_paths

# --- packages: pyproject.toml and environment.yml ---------------------------------------------

# conda-forge names that differ from the PyPI names in pyproject.toml.
CONDA_TO_PYPI = {"python-graphviz": "graphviz"}
# conda-only entries: the interpreter, pip itself, and the Graphviz program (`dot`), which pip
# cannot install (conda's `graphviz` is the program; its Python bindings are `python-graphviz`).
CONDA_ONLY = {"python", "pip", "graphviz", "nodejs"}


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    return normalize(re.match(r"[A-Za-z0-9._-]+", requirement.strip()).group(0))


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def pyproject_requirements() -> list[str]:
    project = pyproject()["project"]
    extras = project.get("optional-dependencies", {})
    return project["dependencies"] + [r for group in extras.values() for r in group]


def environment_yml() -> tuple[list[str], list[str]]:
    """The conda and the pip entries of environment.yml's `dependencies:` list.

    A small line parser for the one shape this file has (no YAML library needed):
        dependencies:
          - name=version
          - pip:
              - requirement
    """
    conda, pip = [], []
    in_dependencies, pip_indent = False, None
    for line in (ROOT / "environment.yml").read_text().splitlines():
        line = line.split(" #")[0].rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():  # a top-level key
            in_dependencies = line == "dependencies:"
            continue
        item = re.match(r"(\s*)- (.+)", line)
        if not in_dependencies or not item:
            continue
        indent, entry = len(item.group(1)), item.group(2).strip()
        if entry == "pip:":
            pip_indent = indent
        elif pip_indent is not None and indent > pip_indent:
            pip.append(entry)
        else:
            pip_indent = None
            conda.append(entry)
    return conda, pip


def test_environment_yml_and_pyproject_name_the_same_packages():
    conda, _ = environment_yml()
    conda_names = {normalize(re.split(r"[=<>!\s]", entry)[0]) for entry in conda}
    assert CONDA_ONLY <= conda_names, (
        "environment.yml needs python, pip, graphviz (dot) and nodejs (npm)"
    )
    from_conda = {CONDA_TO_PYPI.get(name, name) for name in conda_names - CONDA_ONLY}
    from_pyproject = {requirement_name(r) for r in pyproject_requirements()}
    assert from_conda == from_pyproject, (
        f"only in environment.yml: {sorted(from_conda - from_pyproject)}; "
        f"only in pyproject.toml: {sorted(from_pyproject - from_conda)}"
    )


def test_environment_yml_installs_the_course_with_a_supported_python():
    conda, pip = environment_yml()
    assert "-e ." in pip, "environment.yml must pip-install the course itself: `- pip: [-e .]`"
    python = next(entry for entry in conda if re.match(r"python\b", entry))
    pinned = tuple(int(n) for n in re.search(r"(\d+)\.(\d+)", python).groups())
    minimum = re.search(r">=\s*(\d+)\.(\d+)", pyproject()["project"]["requires-python"])
    assert pinned >= tuple(int(n) for n in minimum.groups())


def test_pyproject_pins_exact_versions():
    versions: dict[str, set[str]] = {}
    for requirement in pyproject_requirements():
        pin = re.fullmatch(r"([A-Za-z0-9._-]+)==([^\s,;]+)", requirement.strip())
        assert pin, f"not pinned with ==: {requirement!r}"
        versions.setdefault(normalize(pin.group(1)), set()).add(pin.group(2))
    conflicting = {name: v for name, v in versions.items() if len(v) > 1}
    assert not conflicting, f"pinned to different versions: {conflicting}"


# --- notebooks as stored -----------------------------------------------------------------------


def load(notebook: Path) -> dict:
    return json.loads(notebook.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else text


def where(index: int, cell: dict) -> str:
    first_line = source(cell).strip().splitlines()[0] if source(cell).strip() else ""
    return f"cell {index + 1} ({first_line[:50]!r})"


def tagged(cell: dict, tag: str) -> bool:
    return tag in cell.get("metadata", {}).get("tags", [])


def output_texts(output: dict):
    """The text of one output that a reader sees: streams, errors and text-like data."""
    if output["output_type"] == "stream":
        yield "".join(output.get("text", ""))
    elif output["output_type"] == "error":
        yield "\n".join([output.get("ename", ""), output.get("evalue", "")])
        yield "\n".join(output.get("traceback", []))
    for mime, data in output.get("data", {}).items():
        if mime.startswith("text/") or mime == "image/svg+xml":
            yield "".join(data) if isinstance(data, list) else str(data)


def code_cells(notebook: Path) -> list[tuple[int, dict]]:
    cells = load(notebook)["cells"]
    return [(i, c) for i, c in enumerate(cells) if c["cell_type"] == "code"]


def test_notebook_name(notebook):
    assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", notebook.name), (
        f"{notebook.name}: name notebooks NN_lowercase_words.ipynb, e.g. 03_value_engine.ipynb"
    )


def test_notebook_is_stored_executed(notebook):
    not_run = [
        where(i, c)
        for i, c in code_cells(notebook)
        if source(c).strip() and c.get("execution_count") is None
    ]
    assert not not_run, f"{notebook.name}: code cells stored without being run: {not_run}"


def test_notebook_ran_top_to_bottom_in_one_fresh_kernel(notebook):
    counts = [c["execution_count"] for _, c in code_cells(notebook) if c.get("execution_count")]
    assert counts == list(range(1, len(counts) + 1)), (
        f"{notebook.name}: execution counts {counts}: run it with Kernel → Restart Kernel and "
        "Run All Cells (or `make execute`) so they go 1, 2, 3, ... from the top"
    )


def test_notebook_outputs_have_no_errors_or_warnings(notebook):
    problems = []
    for i, cell in code_cells(notebook):
        if tagged(cell, "raises-exception"):
            continue  # the cell shows an error on purpose
        for output in cell.get("outputs", []):
            if output["output_type"] == "error":
                problems.append(f"{where(i, cell)}: error {output.get('ename')}")
            elif output["output_type"] == "stream" and output.get("name") == "stderr":
                problems.append(f"{where(i, cell)}: prints to stderr")
            for text in output_texts(output):
                for word in ("Traceback", "Warning"):
                    if word in text:
                        problems.append(f"{where(i, cell)}: output contains {word!r}")
    assert not problems, f"{notebook.name}:\n" + "\n".join(sorted(set(problems)))


def test_notebook_svg_images_are_graphviz_drawings(notebook):
    # Matplotlib SVGs carry a date and random ids (nbval would fail); plots stay PNG.
    offenders = [
        where(i, cell)
        for i, cell in code_cells(notebook)
        for output in cell.get("outputs", [])
        if "image/svg+xml" in output.get("data", {})
        and "Generated by graphviz" not in "".join(output["data"]["image/svg+xml"])
    ]
    assert not offenders, f"{notebook.name}: SVG output not drawn by graphviz: {offenders}"


def test_notebook_is_listed_in_readme(notebook):
    assert notebook.name in readme_notebooks(), (
        f"{notebook.name} is missing from README.md's '## The notebooks' list"
    )


# --- README ------------------------------------------------------------------------------------


def readme_notebooks() -> set[str]:
    """The notebook file names under README.md's '## The notebooks' heading."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## The notebooks\n(.*?)(?=^## |\Z)", readme, re.M | re.S)
    assert section, "README.md needs a '## The notebooks' section"
    return set(re.findall(r"\b\d\d_[a-z0-9_]+\.ipynb\b", section.group(1)))


def test_readme_lists_exactly_the_notebooks():
    present = {p.name for p in notebook_paths()}
    if not present:
        pytest.skip("no notebooks in notebooks/ yet: nothing to compare the README list with")
    listed = readme_notebooks()
    assert listed == present, (
        f"README.md lists notebooks that do not exist: {sorted(listed - present)}; "
        f"notebooks missing from README.md: {sorted(present - listed)}"
    )


# --- make lab ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, follow_redirects: bool = True) -> tuple[int, dict, bytes]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(*([] if follow_redirects else [NoRedirect()]))
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def listening_addresses(port: int) -> set[str]:
    """Local addresses of the TCP sockets listening on `port` (Linux: /proc/net/tcp*)."""
    addresses = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.split(":")
            if state != "0A" or int(port_hex, 16) != port:  # 0A: LISTEN
                continue
            if len(address) == 8:  # IPv4, little-endian hex
                addresses.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
            else:
                addresses.add("ipv6:" + address)
    return addresses


# The student's own notebook, already in the copy's student/notebooks/ when `make lab` starts.
STUDENT_WORK = {"cells": [{"cell_type": "code", "execution_count": 1, "id": "mine",
                           "metadata": {}, "outputs": [], "source": "answer = 42  # my work"}],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


@pytest.fixture
def lab(root, tmp_path):
    """`make lab` on a free port with a known token, Jupyter's files in a temporary HOME.

    It runs in a copy of the project (Makefile, scripts/, notebooks/), so that the student
    edition it writes goes to the copy's student/, never to the real one; its Python is the one
    running the tests, and setup is skipped (`-o setup`: setup belongs to the real project).
    """
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy2(root / "Makefile", project)
    shutil.copytree(root / "scripts", project / "scripts",
                    ignore=shutil.ignore_patterns("__pycache__", "node_modules"))
    if NOTEBOOKS_DIR.is_dir():
        shutil.copytree(NOTEBOOKS_DIR, project / "notebooks",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        (project / "student/notebooks").mkdir(parents=True)
        (project / "student/notebooks" / notebook_paths()[0].name).write_text(
            json.dumps(STUDENT_WORK))
    port, token = free_port(), secrets.token_hex(16)
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    env.pop("EDITION", None)
    env.update(
        CI="true",  # no browser
        HOME=str(home),
        JUPYTER_CONFIG_DIR=str(home / ".jupyter"),
        JUPYTER_DATA_DIR=str(home / ".local/share/jupyter"),
        JUPYTER_RUNTIME_DIR=str(home / ".local/share/jupyter/runtime"),
        IPYTHONDIR=str(home / ".ipython"),
        MPLCONFIGDIR=str(home / ".config/matplotlib"),
    )
    log_path = tmp_path / "lab.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "-o", "setup", "lab", f"PORT={port}",
             f"TOKEN={token}", f"PY={sys.executable}"],
            cwd=project,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as a whole below
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, f"make lab exited early:\n{log_path.read_text()}"
            try:
                if get(f"{base}/api/status?token={token}")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, f"no answer in 60 s:\n{log_path.read_text()}"
            time.sleep(0.5)
        yield base, token, port, log_path, project
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_make_lab_serves_the_student_edition_on_loopback_with_a_token(lab):
    base, token, port, log_path, project = lab

    # Lab opens on the student edition, written before it started, and nothing is served
    # without the token.
    status, headers, _ = get(f"{base}/?token={token}", follow_redirects=False)
    assert status in (301, 302, 303, 307)
    assert urllib.parse.urlsplit(headers["Location"]).path == "/lab/tree/student/notebooks"
    assert get(f"{base}/lab/tree/student/notebooks?token={token}")[0] == 200
    assert get(f"{base}/api/contents")[0] == 403
    status, _, body = get(f"{base}/api/contents/student/notebooks?token={token}")
    if NOTEBOOKS_DIR.is_dir():
        assert status == 200
        served = {
            item["name"] for item in json.loads(body)["content"] if item["type"] == "notebook"
        }
        assert served == {p.name for p in notebook_paths()}
        # ... except the notebook the student had changed: kept as it was.
        mine = project / "student/notebooks" / notebook_paths()[0].name
        assert json.loads(mine.read_text()) == STUDENT_WORK
        assert "lab: student edition in student/notebooks/" in log_path.read_text()

        # The instructor notebooks are one folder up; their answers collapsed until clicked.
        path = f"notebooks/{notebook_paths()[0].name}"
        cells = json.loads(get(f"{base}/api/contents/{path}?token={token}")[2])["content"]["cells"]
        answers = [c for c in cells if c["cell_type"] == "code" and "### BEGIN SOLUTION" in
                   c["source"]]
        assert all(c["metadata"]["jupyter"]["source_hidden"] is True for c in answers)
    else:
        assert status == 404  # no notebooks/ folder yet

    # No "news" toast over the notebooks (scripts/lab-overrides.json, installed by setup).
    plugin = "@jupyterlab/apputils-extension:notification"
    schema = json.loads(get(f"{base}/lab/api/settings/{plugin}?token={token}")[2])["schema"]
    assert schema["properties"]["fetchNews"]["default"] == "false"
    assert schema["properties"]["checkForUpdates"]["default"] is False

    # Bound to 127.0.0.1 only, never to all interfaces.
    assert f"http://127.0.0.1:{port}/" in log_path.read_text()
    if sys.platform.startswith("linux"):
        assert listening_addresses(port) == {"127.0.0.1"}
