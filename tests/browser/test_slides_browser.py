"""The slide decks in headless Chromium, with no internet (`pytest -m browser`).

The offline decks (scripts/build_slides.py) are opened straight from the file system, as a
lecturer opens a handed-out folder; every request that is not a local file is blocked and
recorded, and the tests fail if there was any, or if a local file was missing. They check that
reveal.js starts and moves on, that MathJax typeset the maths, that graphs and saved widgets
show, and save screenshots to build/screenshots/slides_*.png.

The live slideshow (RISE, `jupyterlab_rise`) is checked in JupyterLab when it is installed.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
TIMEOUT_MS = 30_000

SPEC = importlib.util.spec_from_file_location("build_slides", ROOT / "scripts" / "build_slides.py")
build_slides = importlib.util.module_from_spec(SPEC)
sys.modules["build_slides"] = build_slides
SPEC.loader.exec_module(build_slides)


# ----------------------------------------------------------------------------------------------
# Choosing notebooks, building their decks
# ----------------------------------------------------------------------------------------------


def load(notebook: Path) -> dict:
    return json.loads(notebook.read_text(encoding="utf-8"))


def first_notebook(predicate) -> Path | None:
    return next((nb for nb in sorted(NOTEBOOKS.glob("*.ipynb")) if predicate(load(nb))), None)


def has_output(mime: str):
    return lambda nb: any(mime in output.get("data", {})
                          for cell in nb["cells"] for output in cell.get("outputs", []))


def has_display_math(nb: dict) -> bool:
    return any("$$" in "".join(cell["source"]) for cell in nb["cells"]
               if cell["cell_type"] == "markdown")


@dataclass
class Decks:
    folder: Path
    graph: Path | None  # a deck with a Graphviz drawing (SVG), else one with a figure (PNG)
    math: Path | None  # a deck with display maths
    widgets: Path | None  # a deck with saved widget state


@pytest.fixture(scope="module")
def decks(tmp_path_factory) -> Decks:
    graph = first_notebook(has_output("image/svg+xml")) or first_notebook(has_output("image/png"))
    math = first_notebook(has_display_math)
    widgets = first_notebook(lambda nb: "widgets" in nb.get("metadata", {}))
    chosen = sorted({nb for nb in (graph, math, widgets) if nb is not None})
    if not chosen:
        pytest.skip("no notebooks in notebooks/ yet")
    installed = any(build_slides.DEFAULT_NPM_DIR.glob(f".installed-{build_slides.lock_digest()}"))
    if not installed and shutil.which("npm") is None:
        pytest.skip(build_slides.NO_NPM)
    folder = tmp_path_factory.mktemp("decks")
    build_slides.build(chosen, folder)

    def deck(nb):
        return folder / build_slides.deck_name(nb) if nb else None

    return Decks(folder, deck(graph), deck(math), deck(widgets))


# ----------------------------------------------------------------------------------------------
# A page with no internet
# ----------------------------------------------------------------------------------------------


@dataclass
class Traffic:
    blocked: list[str] = field(default_factory=list)  # anything but a local file
    failed: list[str] = field(default_factory=list)  # local files that did not load
    errors: list[str] = field(default_factory=list)  # uncaught exceptions, console errors


LOCAL = ("file:", "data:", "blob:", "about:")


@pytest.fixture
def offline(browser, request):
    """A fresh page whose every non-local request is blocked and recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    traffic = Traffic()

    def block(route):
        traffic.blocked.append(route.request.url)
        route.abort()

    context.route(lambda url: not url.startswith(LOCAL), block)
    page = context.new_page()
    page.on("request", lambda r: None if r.url.startswith(LOCAL) or r.url in traffic.blocked
            else traffic.blocked.append(r.url))
    page.on("requestfailed", lambda r: None if r.url in traffic.blocked
            else traffic.failed.append(f"{r.url} ({r.failure})"))
    page.on("pageerror", lambda error: traffic.errors.append(str(error)))
    page.on("console", lambda m: traffic.errors.append(m.text) if m.type == "error" else None)
    yield page, traffic
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        shots = ROOT / "build" / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=shots / f"FAILED_{request.node.name}.png")
    context.close()


def open_deck(page, deck: Path) -> None:
    page.goto(deck.as_uri())
    page.wait_for_function("window.Reveal && Reveal.isReady && Reveal.isReady()",
                           timeout=TIMEOUT_MS)


def wait_for_mathjax(page) -> None:
    page.wait_for_function("window.MathJax && MathJax.isReady", timeout=TIMEOUT_MS)
    # MathJax 2 runs its work in a queue: this resolves once the page's typesetting is done.
    page.evaluate("new Promise(done => MathJax.Hub.Queue(done))")


def show_slide_of(page, selector: str) -> dict:
    """Go to the slide holding the first element matching selector, all fragments shown."""
    indices = page.evaluate(
        """selector => {
            const element = document.querySelector(selector);
            if (!element) return null;
            const slide = element.closest('section');
            const at = Reveal.getIndices(slide);
            Reveal.slide(at.h, at.v, slide.querySelectorAll('.fragment').length - 1);
            element.scrollIntoView({block: 'center'});
            return at;
        }""",
        selector,
    )
    assert indices is not None, f"no {selector} in the deck"
    page.wait_for_timeout(1200)  # the slide transition
    return indices


def assert_offline(traffic: Traffic) -> None:
    assert not traffic.blocked, f"requests to the internet: {traffic.blocked}"
    assert not traffic.failed, f"local files that did not load: {traffic.failed}"
    assert not traffic.errors, f"errors in the page: {traffic.errors}"


# ----------------------------------------------------------------------------------------------
# The offline decks
# ----------------------------------------------------------------------------------------------


def test_deck_starts_and_moves_on_without_internet(decks, offline):
    page, traffic = offline
    deck = decks.graph or decks.math
    open_deck(page, deck)
    assert page.evaluate("Reveal.getTotalSlides()") > 1
    assert page.locator(".reveal .slides section").count() > 1
    start = page.evaluate("Reveal.getIndices()")
    page.evaluate("Reveal.next()")
    after_next = page.evaluate("Reveal.getIndices()")
    assert after_next != start
    page.locator(".reveal").click(position={"x": 5, "y": 5})  # focus the deck, not a control
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(800)
    assert page.evaluate("Reveal.getIndices()") != after_next, "ArrowRight did not move on"
    assert_offline(traffic)


def test_math_is_typeset(decks, offline, screenshots):
    if decks.math is None:
        pytest.skip("no notebook has display maths ($$...$$) yet")
    page, traffic = offline
    open_deck(page, decks.math)
    wait_for_mathjax(page)
    typeset = page.evaluate("MathJax.Hub.getAllJax().length")
    assert typeset > 0
    assert page.locator(".MathJax_CHTML").count() == typeset
    assert page.locator(".MathJax_Error, .mjx-merror").count() == 0, "TeX errors on a slide"
    # A slide with several formulas, display maths first.
    indices = show_slide_of(page, "section section .MJXc-display")
    visible = page.locator(".reveal .slides section.present .MathJax_CHTML:visible")
    assert visible.count() > 0
    page.screenshot(path=screenshots / "slides_math.png")
    assert_offline(traffic)
    assert indices["h"] >= 0


def test_graph_shows(decks, offline, screenshots):
    if decks.graph is None:
        pytest.skip("no notebook has a graph drawing or a figure yet")
    page, traffic = offline
    open_deck(page, decks.graph)
    wait_for_mathjax(page)
    selector = ('img[src^="data:image/svg+xml"]' if page.locator('img[src^="data:image/svg+xml"]')
                .count() else 'img[src^="data:image/png"]')
    show_slide_of(page, selector)
    image = page.locator(f".reveal .slides section.present {selector}").first
    image.wait_for(state="visible", timeout=TIMEOUT_MS)
    size = image.evaluate("img => [img.complete, img.naturalWidth, img.naturalHeight]")
    assert size[0] and size[1] > 0 and size[2] > 0, f"the image did not load: {size}"
    page.screenshot(path=screenshots / "slides_graph.png")
    assert_offline(traffic)


def test_widgets_show_their_saved_state(decks, offline, screenshots):
    if decks.widgets is None:
        pytest.skip("no notebook has saved widget state yet")
    page, traffic = offline
    open_deck(page, decks.widgets)
    page.wait_for_selector(".jupyter-widgets.widget-slider, .jupyter-widgets .widget-slider",
                           state="attached", timeout=TIMEOUT_MS)
    show_slide_of(page, ".widget-slider")
    slider = page.locator(".reveal .slides section.present .widget-slider").first
    slider.wait_for(state="visible", timeout=TIMEOUT_MS)
    page.wait_for_timeout(500)  # icon fonts
    page.screenshot(path=screenshots / "slides_widget.png")
    assert_offline(traffic)


# ----------------------------------------------------------------------------------------------
# The live slideshow: RISE in JupyterLab
# ----------------------------------------------------------------------------------------------


def test_rise_presents_a_notebook_live(lab, browser, screenshots):
    if importlib.util.find_spec("jupyterlab_rise") is None:
        pytest.skip("jupyterlab_rise is not installed")
    name = first_notebook(has_display_math) or first_notebook(lambda nb: True)
    if name is None:
        pytest.skip("no notebooks in notebooks/ yet")
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    # RISE's own theme asks Google for fonts: offline, it falls back to local ones.
    context.route(lambda url: not url.startswith(lab.url) and not url.startswith(LOCAL),
                  lambda route: route.abort())
    page = context.new_page()
    try:
        page.goto(f"{lab.url}/rise/{name.name}?token={lab.token}")
        page.wait_for_selector(".reveal .slides section", timeout=60_000)
        page.wait_for_function("document.querySelectorAll('mjx-container').length > 0",
                               timeout=TIMEOUT_MS)
        assert page.locator(".reveal .slides section").count() > 1
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(1500)
        page.screenshot(path=screenshots / "slides_rise.png")
    finally:
        context.close()
        lab.shut_down_kernels()
