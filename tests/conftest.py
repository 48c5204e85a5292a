"""Shared fixtures: the project's root folder and its notebooks; a watchdog for endless loops.

Any test that takes a `notebook` argument runs once per `notebooks/*.ipynb` (the test id is
the file name), and is skipped with a reason while there is no notebook yet.
"""

import _thread
import threading
from collections.abc import Iterator
from contextlib import contextmanager
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


@contextmanager
def watchdog(seconds: float = 10.0) -> Iterator[None]:
    """Fail the test, instead of hanging, if the block is still running after ``seconds``.

    For tests of the exercises' time limit: if that limit did not work, their endless loops
    would otherwise never return. (It interrupts the main thread, where pytest runs tests.)
    """
    timer = threading.Timer(seconds, _thread.interrupt_main)
    timer.start()
    try:
        yield
    except KeyboardInterrupt:
        pytest.fail(f"still running after {seconds} s: the time limit did not stop it")
    finally:
        timer.cancel()
