"""The notebooks' widgets in a real JupyterLab, in headless Chromium (`make test-browser`).

Each test opens a notebook, runs all its cells from the Run menu, then uses the widget the
way a student does: arrow keys on a slider, clicks on buttons. It checks what the page shows,
times how long a slider change takes to redraw, and saves screenshots to build/screenshots/.

``widgets_check.ipynb`` is written by the test itself and always runs; the course notebooks
(01, 05, 10) are tested when they exist and use the widget, and skipped with the reason
otherwise.
"""

from __future__ import annotations

import re
import statistics
import time
from pathlib import Path

import nbformat
import pytest

from course.show.widgets import describe_descent, single_weight_descent

pytestmark = pytest.mark.browser

RUN_TIMEOUT_MS = 60_000  # opening a notebook, starting its kernel and running every cell
REDRAW_TARGET_SECONDS = 0.3

WIDGETS_CHECK = [
    "from course.engine import Value\n"
    "from course.show.widgets import backward_stepper, lr_explorer",
    "lr_explorer()",
    'a = Value(2.0, label="a")\nb = Value(-3.0, label="b")\nc = a * b\nc.label = "c"\n'
    'd = c + a\nd.label = "d"\nbackward_stepper(d)',
]


# ----------------------------------------------------------------------------------------------
# Helpers
# ----------------------------------------------------------------------------------------------


def write_notebook(path: Path, sources: list[str]) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nbformat.write(nb, path)


def course_notebook(lab, prefix: str, uses: str) -> str:
    """The name of notebooks/<prefix>_*.ipynb, or skip the test saying why it cannot run."""
    found = sorted(lab.notebooks.glob(f"{prefix}_*.ipynb"))
    if not found:
        pytest.skip(f"notebooks/{prefix}_*.ipynb does not exist yet")
    if uses not in found[0].read_text():
        pytest.skip(f"{found[0].name} does not use {uses} yet")
    return found[0].name


def open_and_run_all(page, lab, name: str) -> None:
    """Open a notebook in Lab and run every cell with Run → Run All Cells."""
    page.goto(lab.notebook_url(name))
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=RUN_TIMEOUT_MS)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                           timeout=RUN_TIMEOUT_MS)
    accept_kernel_dialog(page)
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()


def accept_kernel_dialog(page) -> None:
    """Lab sometimes asks which kernel to start even when the notebook names one: say yes."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
    try:
        dialog.wait_for(state="visible", timeout=3000)
    except PlaywrightTimeout:
        return
    dialog.locator("button.jp-mod-accept").click()
    dialog.wait_for(state="hidden")


def wait_for_widget(page, css_class: str):
    """The first widget with this CSS class, once the kernel has really drawn it."""
    widget = page.locator(f".{css_class}").first
    widget.wait_for(state="visible", timeout=RUN_TIMEOUT_MS)
    # The cells after it must have run too: until then the kernel would not hear a click.
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                           timeout=RUN_TIMEOUT_MS)
    # Lab skips drawing cells outside the window (their text reads as empty): scroll to it.
    widget.scroll_into_view_if_needed()
    page.wait_for_function("(css) => document.querySelector(css).innerText.trim() !== ''",
                           arg=f".{css_class}", timeout=RUN_TIMEOUT_MS)
    return widget


def no_error_message(widget) -> None:
    messages = widget.locator(".course-message").all_inner_texts()
    assert not any(text.strip() for text in messages), messages


def report(capsys, text: str) -> None:
    with capsys.disabled():
        print(f"\n[browser] {text}", end="")


# Resolves when the lr explorer shows lr = `want` (±1 %, the readout rounds to 3 digits) in
# its regime line and a picture other than `old_src`.
LR_REDRAWN = """([oldSrc, want]) => {
    const widget = document.querySelector('.course-lr-explorer');
    const img = widget.querySelector('img');
    const match = widget.querySelector('.course-regime').innerText.match(/lr = ([0-9.e+-]+):/);
    return img !== null && img.src !== oldSrc && match !== null
        && Math.abs(parseFloat(match[1]) - want) <= 0.01 * want;
}"""


# ----------------------------------------------------------------------------------------------
# What each widget must do in the page
# ----------------------------------------------------------------------------------------------


def check_lr_explorer(page, screenshots: Path, name: str, capsys) -> None:
    widget = wait_for_widget(page, "course-lr-explorer")
    lr_slider, steps_slider = widget.locator(".widget-slider").nth(0), widget.locator(
        ".widget-slider").nth(1)
    regime = widget.locator(".course-regime")
    image = widget.locator("img")
    handle = lr_slider.locator(".noUi-handle")

    def lr_readout() -> float:
        return float(lr_slider.locator(".widget-readout").inner_text())

    def move(presses: int) -> float:
        """Press → on the lr slider; return the seconds until the new lr is drawn."""
        old_src = image.get_attribute("src")
        start = time.perf_counter()
        for _ in range(presses):
            handle.press("ArrowRight")
        page.wait_for_function(LR_REDRAWN, arg=[old_src, lr_readout()], timeout=30_000,
                               polling="raf")
        return time.perf_counter() - start

    start_lr = lr_readout()
    handle.focus()
    move(8)  # several regimes further up
    lr, steps = lr_readout(), int(steps_slider.locator(".widget-readout").inner_text())
    assert lr > start_lr
    expected, _ = describe_descent(single_weight_descent(lr, steps))
    assert f": {expected}" in regime.inner_text(), (lr, steps, regime.inner_text())
    no_error_message(widget)
    widget.screenshot(path=screenshots / f"{name}_lr_explorer.png")

    times = [move(1) for _ in range(3)]  # one key press each: one redraw each
    verdict = "ok" if statistics.median(times) <= REDRAW_TARGET_SECONDS else "above target"
    report(capsys, f"{name}: lr slider redraw {statistics.median(times):.2f} s median, "
                   f"{max(times):.2f} s max (target <= {REDRAW_TARGET_SECONDS} s: {verdict})")
    assert max(times) < 5, times  # a broken callback would never redraw at all
    expected, _ = describe_descent(single_weight_descent(lr_readout(), steps))
    assert f": {expected}" in regime.inner_text()


def check_backward_stepper(page, screenshots: Path, name: str) -> None:
    widget = wait_for_widget(page, "course-backward-stepper")
    text = widget.locator(".course-step-text")
    image = widget.locator("img")
    assert text.inner_text().startswith("step 1/")
    first_src = image.get_attribute("src")
    handle = widget.locator(".widget-slider .noUi-handle")
    handle.focus()
    handle.press("ArrowRight")
    handle.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('.course-backward-stepper .course-step-text')"
        ".innerText.startsWith('step 3/')", timeout=30_000)
    assert "passes" in text.inner_text() or "leaf" in text.inner_text()
    page.wait_for_function(
        "(old) => document.querySelector('.course-backward-stepper img').src !== old",
        arg=first_src, timeout=30_000)
    no_error_message(widget)
    widget.screenshot(path=screenshots / f"{name}_backward_stepper.png")

    # The Play button moves the slider on by itself.
    widget.locator(".widget-play button").first.click()
    page.wait_for_function(
        "() => !document.querySelector('.course-backward-stepper .course-step-text')"
        ".innerText.startsWith('step 3/')", timeout=30_000)


def wait_until_still(read, seconds: float, timeout: float) -> bool:
    """True once read() has returned the same value for `seconds`; False after `timeout`."""
    deadline = time.monotonic() + timeout
    value, since = read(), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.2)
        now = read()
        if now != value:
            value, since = now, time.monotonic()
        elif time.monotonic() - since >= seconds:
            return True
    return False


def _numbers(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"\d+(?:\.\d+)?", text)]


def check_playground(page, screenshots: Path, name: str, capsys) -> None:
    from playwright.sync_api import expect

    widget = wait_for_widget(page, "course-playground")
    epoch_label, loss_label = widget.locator(".course-epoch"), widget.locator(".course-losses")

    def epoch() -> int:
        return int(_numbers(epoch_label.inner_text())[0])

    def train_loss() -> float:
        return _numbers(loss_label.inner_text())[0]

    def steps() -> int:
        return int(_numbers(epoch_label.inner_text())[1])

    start_epoch, start_loss, start_steps = epoch(), train_loss(), steps()
    play = widget.locator("button", has_text=re.compile(r"^\s*Play\s*$"))
    play.click()
    started = time.monotonic()
    deadline = started + 60
    while time.monotonic() < deadline and not (epoch() >= start_epoch + 5
                                               and train_loss() < start_loss):
        time.sleep(0.2)
    playing_for = time.monotonic() - started
    reached, loss, steps_done = epoch(), train_loss(), steps() - start_steps
    widget.locator("button", has_text=re.compile(r"^\s*Pause\s*$")).click()
    pause_clicked = time.monotonic()
    expect(play).to_be_enabled(timeout=30_000)
    pause_took = time.monotonic() - pause_clicked
    assert reached >= start_epoch + 5, epoch_label.inner_text()
    assert loss < start_loss, (start_loss, loss)
    report(capsys, f"{name}: Play reached epoch {reached} in {playing_for:.1f} s "
                   f"(at least {steps_done / playing_for:.0f} steps/s: the counter shows the last "
                   f"redraw), train loss {start_loss:.3f} -> {loss:.3f}; Pause answered in "
                   f"{pause_took:.2f} s")
    # Pause lets the epoch under way finish and draws it once more; after that the counter
    # must stand still. (While playing it moves at every redraw, well within a second.)
    assert wait_until_still(epoch, seconds=2.0, timeout=30.0), "the counter moves after Pause"
    no_error_message(widget)
    widget.screenshot(path=screenshots / f"{name}_playground.png")


# ----------------------------------------------------------------------------------------------
# Tests
# ----------------------------------------------------------------------------------------------


def test_widgets_in_a_notebook_of_their_own(page, lab, screenshots, capsys):
    write_notebook(lab.notebooks / "widgets_check.ipynb", WIDGETS_CHECK)
    open_and_run_all(page, lab, "widgets_check.ipynb")
    check_lr_explorer(page, screenshots, "widgets_check", capsys)
    check_backward_stepper(page, screenshots, "widgets_check")
    page.screenshot(path=screenshots / "widgets_check_page.png")


def test_notebook_01_learning_rate_slider(page, lab, screenshots, capsys):
    name = course_notebook(lab, "01", uses="lr_explorer")
    open_and_run_all(page, lab, name)
    check_lr_explorer(page, screenshots, "01", capsys)


def test_notebook_05_backward_stepper(page, lab, screenshots):
    name = course_notebook(lab, "05", uses="backward_stepper")
    open_and_run_all(page, lab, name)
    check_backward_stepper(page, screenshots, "05")


def test_notebook_10_playground_plays_and_pauses(page, lab, screenshots, capsys):
    name = course_notebook(lab, "10", uses="Playground")
    open_and_run_all(page, lab, name)
    check_playground(page, screenshots, "10", capsys)
    page.screenshot(path=screenshots / "10_page.png")
