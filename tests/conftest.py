"""Shared fixtures: the project's root folder and its notebooks.

Any test that takes a `notebook` argument runs once per `notebooks/*.ipynb` (the test id is
the file name), and is skipped with a reason while there is no notebook yet.
"""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS_DIR = ROOT / "notebooks"


def notebook_paths() -> list[Path]:
    return sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "notebook" in metafunc.fixturenames:
        paths = notebook_paths()
        if paths:
            metafunc.parametrize("notebook", paths, ids=[p.name for p in paths])
        else:
            no_notebook = pytest.mark.skip(reason="no notebooks in notebooks/ yet")
            metafunc.parametrize("notebook", [pytest.param(None, marks=no_notebook)])
