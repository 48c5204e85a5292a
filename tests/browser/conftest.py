"""JupyterLab in headless Chromium, for the tests marked ``browser`` (`make test-browser`).

These tests are slow and need Chromium and Playwright (scripts/browser_setup.sh installs
both), so they run only when asked for with ``-m browser``; a plain ``pytest`` skips them.

The ``lab`` fixture starts one JupyterLab for the session, on a free 127.0.0.1 port, with a
temporary HOME (Jupyter, IPython and matplotlib write there, not to yours), a temporary copy of
the notebooks (Lab writes checkpoints next to them), and user settings that turn off news,
update checks and autosave. Everything it started is stopped at the end.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-background-networking", "--disable-gpu",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
SCREENSHOTS = ROOT / "build" / "screenshots"
LAB_START_TIMEOUT = 90  # seconds

# Lab user settings: no news or update checks (their pop-up covers the page), no autosave.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False,
    },
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip browser tests unless they were asked for (-m browser), or cannot run here."""
    asked = "browser" in (config.getoption("markexpr") or "")
    reason = None
    if not asked:
        reason = "browser test: run it with `make test-browser` (pytest -m browser)"
    elif not CHROMIUM.exists():
        reason = f"{CHROMIUM} not found: `make test-browser` installs it (apt-get, as root)"
    else:
        try:
            import playwright  # noqa: F401
        except ImportError:
            reason = "Playwright is not installed: `make test-browser` installs it"
    if reason:
        skip = pytest.mark.skip(reason=reason)
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Lab:
    url: str  # http://127.0.0.1:PORT
    token: str
    notebooks: Path  # the temporary copy Lab serves

    def notebook_url(self, name: str) -> str:
        # ?reset: a fresh workspace, with no tabs left open from an earlier test
        return f"{self.url}/lab/tree/{name}?token={self.token}&reset"

    def api(self, path: str, method: str = "GET") -> object:
        request = urllib.request.Request(
            f"{self.url}/api/{path}", method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shut_down_kernels(self) -> None:
        """Stop every kernel this Lab started (a playing playground would keep a core busy)."""
        for kernel in self.api("kernels"):
            self.api(f"kernels/{kernel['id']}", method="DELETE")


def _write_settings(settings_dir: Path) -> None:
    for relative, values in LAB_SETTINGS.items():
        path = settings_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


def _wait_until_up(lab: Lab, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + LAB_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with code {process.returncode}:\n"
                               f"{log.read_text()[-3000:]}")
        try:
            lab.api("status")
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise RuntimeError(f"JupyterLab did not answer within {LAB_START_TIMEOUT} s:\n"
                       f"{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory):
    """One JupyterLab serving a temporary copy of notebooks/, stopped after the session."""
    base = tmp_path_factory.mktemp("lab")
    home, notebooks = base / "home", base / "notebooks"
    home.mkdir()
    if (ROOT / "notebooks").is_dir():
        shutil.copytree(ROOT / "notebooks", notebooks)
    else:
        notebooks.mkdir()
    settings_dir = home / "lab-user-settings"
    _write_settings(settings_dir)

    env = {
        **os.environ,
        "HOME": str(home),
        "JUPYTERLAB_SETTINGS_DIR": str(settings_dir),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "lab-workspaces"),
        "MPLCONFIGDIR": str(home / "matplotlib"),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    port, token = free_port(), secrets.token_hex(16)
    command = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser",
        "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={notebooks}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # Jupyter refuses to run as root without it
    log = base / "lab.log"
    with open(log, "w") as log_file:
        # A session of its own: at the end, the server and the kernels it started go together.
        process = subprocess.Popen(command, env=env, cwd=notebooks, stdout=log_file,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    the_lab = Lab(url=f"http://127.0.0.1:{port}", token=token, notebooks=notebooks)
    try:
        _wait_until_up(the_lab, process, log)
        yield the_lab
    finally:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    """Stop the server (it shuts its kernels down), then anything left in its process group."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Remember each phase's result on the test item, so fixtures can see a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(browser, lab: Lab, request: pytest.FixtureRequest):
    """A fresh browser page, tall enough that a whole widget fits; kernels stopped after.

    When the test fails, the page as it was is saved as build/screenshots/FAILED_<test>.png.
    """
    context = browser.new_context(viewport={"width": 1400, "height": 1600})
    the_page = context.new_page()
    yield the_page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        the_page.screenshot(path=SCREENSHOTS / f"FAILED_{request.node.name}.png")
    context.close()
    lab.shut_down_kernels()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
