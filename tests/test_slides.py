"""The offline slide decks (`make slides`, scripts/build_slides.py).

The decks of every notebook are built once into a temporary folder, then checked: one deck per
notebook, nothing loaded from the internet, every file a deck refers to is there, maths and
speaker notes and widget state made it in. The packages come from npm (`npm ci`, once, into
build/slides-vendor/); the tests are skipped, saying why, only when npm is missing and nothing
was installed before.
"""

from __future__ import annotations

import html
import importlib.util
import json
import re
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, notebook_paths

SPEC = importlib.util.spec_from_file_location("build_slides", ROOT / "scripts" / "build_slides.py")
build_slides = importlib.util.module_from_spec(SPEC)
sys.modules["build_slides"] = build_slides
SPEC.loader.exec_module(build_slides)


def npm_ready() -> bool:
    installed = any(build_slides.DEFAULT_NPM_DIR.glob(f".installed-{build_slides.lock_digest()}"))
    return installed or shutil.which("npm") is not None


needs_npm = pytest.mark.skipif(not npm_ready(), reason=build_slides.NO_NPM)


@pytest.fixture(scope="module")
def decks(request, tmp_path_factory) -> Path:
    """Every notebook's deck, built into one temporary folder (as `make slides` does).

    Under pytest-xdist the workers share one build (the first one to get here builds it).
    """
    notebooks = notebook_paths()
    if not notebooks:
        pytest.skip("no notebooks in notebooks/ yet: no slides to build")
    if not hasattr(request.config, "workerinput"):  # a plain pytest run
        out = tmp_path_factory.mktemp("slides")
        build_slides.build(notebooks, out)
        return out
    shared = tmp_path_factory.getbasetemp().parent  # this run's folder, common to the workers
    out, done = shared / "slides", shared / "slides.done"
    with build_slides.locked(shared / "slides.lock"):
        if not done.exists():
            build_slides.build(notebooks, out)
            done.touch()
    return out


def deck_of(decks: Path, notebook: Path) -> str:
    return (decks / f"{notebook.stem}.slides.html").read_text(encoding="utf-8")


def markdown_sources(notebook: Path) -> list[str]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]


# --- the build ---------------------------------------------------------------------------------


@needs_npm
def test_one_deck_per_notebook(decks):
    built = sorted(p.name for p in decks.glob("*.slides.html"))
    expected = sorted(f"{nb.stem}.slides.html" for nb in notebook_paths() if nb.exists())
    assert set(expected) <= set(built), f"decks missing: {sorted(set(expected) - set(built))}"
    index = (decks / "index.html").read_text(encoding="utf-8")
    unlinked = [name for name in built if f'href="{name}"' not in index]
    assert not unlinked, f"index.html does not link to {unlinked}"


@needs_npm
def test_no_external_url_in_any_output(decks):
    offending = []
    for page in sorted(decks.glob("*.html")):
        report = build_slides.scan_urls(page.read_text(encoding="utf-8"), page.name)
        offending += report.external
    for css in sorted((decks / "vendor").rglob("*.css")):
        offending += build_slides.scan_css_file(css, str(css.relative_to(decks))).external
    assert not offending, "the decks would load these from the internet:\n" + "\n".join(offending)


@needs_npm
def test_every_file_a_deck_refers_to_exists(decks):
    assert build_slides.check_output(decks) == []
    for page in sorted(decks.glob("*.slides.html")):
        local = build_slides.scan_urls(page.read_text(encoding="utf-8"), page.name).local
        # The libraries every deck loads, from vendor/, by relative path.
        for needed in ("vendor/reveal.js/dist/reveal.js", "vendor/requirejs/require.js",
                       "vendor/mathjax/MathJax.js", "vendor/jquery/dist/jquery.min.js"):
            assert any(url.split("?")[0] == needed for url in local), (page.name, needed)
            assert (decks / needed).is_file(), needed


@needs_npm
def test_vendor_folder_names_its_packages_and_versions(decks):
    readme = (decks / "vendor" / "README.txt").read_text(encoding="utf-8")
    lock = json.loads((build_slides.HERE / "package-lock.json").read_text(encoding="utf-8"))
    for name, version in lock["packages"][""]["dependencies"].items():
        assert f"{name} {version}" in readme


@needs_npm
def test_math_is_kept_for_mathjax(decks):
    """Every inline formula of a notebook's Markdown reaches its deck as TeX, for MathJax."""
    checked = 0
    for notebook in notebook_paths():
        formulas = {
            f for source in markdown_sources(notebook)
            for f in re.findall(r"(?<![$\\])\$([^$\n]+?)\$(?!\$)", source)
        }
        if not formulas:
            continue
        deck = html.unescape(deck_of(decks, notebook))
        assert "vendor/mathjax/MathJax.js?config=TeX-AMS_CHTML-full" in deck
        lost = sorted(f for f in formulas if f"${f}$" not in deck)
        assert not lost, f"{notebook.name}: formulas missing from the deck: {lost[:5]}"
        checked += 1
    if not checked:
        pytest.skip("no notebook has inline maths yet")


@needs_npm
def test_slides_follow_the_cells_slide_types(decks):
    for notebook in notebook_paths():
        nb = nbformat.read(notebook, as_version=4)
        types = [c.metadata.get("slideshow", {}).get("slide_type", "-") for c in nb.cells]
        visible = [t for t in types if t not in ("skip", "notes")]
        if not visible:
            continue
        # nbconvert starts the first visible cell on a new slide, whatever its type.
        slides = sum(t == "slide" for t in visible[1:]) + 1
        deck = deck_of(decks, notebook)
        body = deck[deck.index('<div class="slides">'):]
        # Each slide is <section> around one <section> per subslide.
        depth, top_level = 0, 0
        for tag in re.finditer(r"<(/?)section\b", body):
            if tag.group(1):
                depth -= 1
            else:
                top_level += depth == 0
                depth += 1
        assert top_level == slides, f"{notebook.name}: {top_level} slides, expected {slides}"
        if "notes" in types:
            assert '<aside class="notes">' in deck, f"{notebook.name}: speaker notes missing"


@needs_npm
def test_saved_widget_state_is_embedded(decks):
    with_state = [nb for nb in notebook_paths()
                  if "widgets" in nbformat.read(nb, as_version=4).metadata]
    if not with_state:
        pytest.skip("no notebook has saved widget state")
    for notebook in with_state:
        deck = deck_of(decks, notebook)
        assert 'type="application/vnd.jupyter.widget-state+json"' in deck, notebook.name
        assert "vendor/html-manager/dist/embed-amd.js" in deck, notebook.name


# --- the checks themselves ---------------------------------------------------------------------


def test_url_check_finds_every_cdn_link_of_the_stock_template():
    """Without the build's settings, nbconvert's deck loads from CDNs: the check must say so."""
    from nbconvert import SlidesExporter

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Title\n\n$x^2$")]
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {
        "state": {}, "version_major": 2, "version_minor": 0}}
    body, _ = SlidesExporter().from_notebook_node(nb)
    external = "\n".join(build_slides.scan_urls(body, "stock").external)
    for library in ("reveal.js", "require", "mathjax", "jquery", "html-manager", "mermaid"):
        assert library in external, f"{library} not flagged:\n{external}"


@pytest.mark.parametrize("snippet, flagged", [
    ('<script src="https://cdn.example.org/x.js"></script>', True),
    ('<link rel="stylesheet" href="//cdn.example.org/x.css">', True),
    ("<style>@import url(https://fonts.example.org/css);</style>", True),
    ('<div style="background: url(\'http://example.org/a.png\')"></div>', True),
    ("<script>import m from 'https://cdn.example.org/m.mjs';</script>", True),
    ('<svg><image xlink:href="https://example.org/a.png"/></svg>', True),
    ('<img src="data:image/png;base64,AAAA">', False),
    ('<script src="vendor/requirejs/require.js"></script>', False),
    ("<pre>see https://example.org in the text</pre>", False),
    ('<svg xmlns="http://www.w3.org/2000/svg"></svg>', False),
])
def test_url_check(snippet, flagged):
    assert bool(build_slides.scan_urls(snippet, "t").external) == flagged


def test_a_notebook_with_a_mermaid_diagram_is_refused(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("```mermaid\ngraph LR; a-->b\n```")]
    path = tmp_path / "99_mermaid.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(build_slides.BuildError, match="Mermaid"):
        build_slides.build_deck(build_slides.make_exporter(), path, tmp_path)


def test_npm_packages_are_pinned_and_locked():
    package = json.loads((build_slides.HERE / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((build_slides.HERE / "package-lock.json").read_text(encoding="utf-8"))
    for name, version in package["dependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name}: pin an exact version"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version, name
    assert lock["packages"][""]["dependencies"] == package["dependencies"], (
        "package-lock.json is stale: run `npm install --package-lock-only` in scripts/deck/"
    )
    copied = {package for package, _, _ in build_slides.VENDOR_FILES}
    assert copied == set(package["dependencies"])
