"""Build a reveal.js slide deck for each notebook, into one folder that works with no internet.

    python scripts/build_slides.py                      # every notebooks/*.ipynb -> slides/
    python scripts/build_slides.py notebooks/03_value_engine.ipynb --out /tmp/decks

Each notebook becomes ``<out>/NN_name.slides.html`` (nbconvert's reveal.js exporter, using the
slide type of each cell), and ``<out>/index.html`` links to every deck. The scripts and styles
a deck needs (reveal.js, require.js, jQuery, MathJax 2 and the Jupyter widget manager) are
copied into ``<out>/vendor/`` and referenced by relative paths, so the folder can be zipped,
copied to a USB stick and opened from the file system (double-click the .html) anywhere.

Those packages come from the npm registry, at the exact versions of
``scripts/deck/package-lock.json``: ``npm ci`` installs them once into
``build/slides-vendor/`` (about 15 s, needs Node.js and npm); later builds reuse that install
until the lock file changes.

After writing the decks the script checks them: no http(s) URL in any ``src``/``href``
attribute, CSS ``url()``/``@import`` or script import, and every relative file a deck refers to
exists. A problem stops the build with a message naming the file.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import html
import json
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

try:
    import fcntl
except ImportError:  # Windows: no lock; run one build at a time
    fcntl = None

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent / "deck"  # package.json, its lock, the template
NOTEBOOKS = ROOT / "notebooks"
DEFAULT_OUT = ROOT / "slides"
DEFAULT_NPM_DIR = ROOT / "build" / "slides-vendor"
TEMPLATES = HERE / "templates"
TEMPLATE_NAME = "offline_reveal"

# Where each library lands inside <out>/, relative to a deck (decks sit next to vendor/).
REVEAL_PREFIX = "vendor/reveal.js"
REQUIRE_JS = "vendor/requirejs/require.js"
JQUERY = "vendor/jquery/dist/jquery.min.js"
MATHJAX = "vendor/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"
WIDGETS = "vendor/html-manager/dist/embed-amd.js"
# The reveal.js theme: "white" uses fonts shipped with reveal.js. Most other themes
# (including nbconvert's default, "simple") @import their fonts from Google: not offline.
REVEAL_THEME = "white"

# What is copied from build/slides-vendor/node_modules/<package>/ to <out>/vendor/<target>/:
# (package, target folder, glob patterns relative to the package). Only what a deck loads.
VENDOR_FILES = [
    ("reveal.js", "reveal.js", [
        "LICENSE", "dist/reveal.js", "dist/reveal.css", f"dist/theme/{REVEAL_THEME}.css",
        "dist/theme/fonts/source-sans-pro/*", "plugin/notes/notes.js",
    ]),
    ("requirejs", "requirejs", ["require.js"]),
    ("jquery", "jquery", ["LICENSE.txt", "dist/jquery.min.js"]),
    # MathJax 2 with the TeX input and the CommonHTML output of the "TeX-AMS_CHTML-full"
    # configuration that nbconvert's template asks for, plus its web fonts (woff, otf).
    ("mathjax", "mathjax", [
        "LICENSE", "MathJax.js", "config/TeX-AMS_CHTML-full.js", "config/Safe.js",
        "extensions/**/*", "jax/input/TeX/**/*", "jax/element/**/*",
        "jax/output/CommonHTML/**/*", "jax/output/PreviewHTML/**/*",
        "jax/output/NativeMML/**/*", "jax/output/PlainSource/**/*",
        "fonts/HTML-CSS/TeX/woff/**/*", "fonts/HTML-CSS/TeX/otf/**/*", "localization/en/**/*",
    ]),
    # The widget manager of standalone HTML pages: shows widgets in their saved state.
    ("@jupyter-widgets/html-manager", "html-manager", [
        "dist/embed-amd.js", "dist/embed.js.LICENSE.txt", "dist/*.woff", "dist/*.woff2",
        "dist/*.ttf", "dist/*.eot", "dist/*.svg",
    ]),
]


NO_NPM = (
    "npm not found: the offline decks need reveal.js, MathJax and friends from the npm "
    "registry. Install Node.js 18 or newer with npm (Debian/Ubuntu: sudo apt-get install "
    "nodejs npm; macOS: brew install node; conda: conda install -c conda-forge nodejs), "
    "then run the command again."
)


class BuildError(Exception):
    """A problem the person running the build has to fix; the message says how."""


def say(message: str) -> None:
    print(f"slides: {message}", flush=True)


# --------------------------------------------------------------------------------------------
# 1. The npm packages
# --------------------------------------------------------------------------------------------


def lock_digest() -> str:
    digest = hashlib.sha256()
    for name in ("package.json", "package-lock.json"):
        digest.update((HERE / name).read_bytes())
    return digest.hexdigest()[:16]


@contextlib.contextmanager
def locked(lock_file: Path):
    """Hold an exclusive lock on lock_file (parallel test workers share one npm install)."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_file, "w") as handle:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def install_npm_packages(npm_dir: Path = DEFAULT_NPM_DIR) -> Path:
    """`npm ci` the locked packages into npm_dir (once per lock file); return node_modules."""
    node_modules = npm_dir / "node_modules"
    stamp = npm_dir / f".installed-{lock_digest()}"
    with locked(npm_dir.parent / f".{npm_dir.name}.lock"):
        if stamp.exists() and node_modules.is_dir():
            return node_modules
        npm = shutil.which("npm")
        if npm is None:
            raise BuildError(NO_NPM)
        npm_dir.mkdir(parents=True, exist_ok=True)
        for old in npm_dir.glob(".installed-*"):
            old.unlink()
        for name in ("package.json", "package-lock.json"):
            shutil.copyfile(HERE / name, npm_dir / name)
        say(f"installing reveal.js, require.js, jQuery, MathJax and the widget manager "
            f"with npm ci into {display(npm_dir)}")
        started = time.monotonic()
        result = subprocess.run(
            [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=npm_dir, capture_output=True, text=True,
        )
        if result.returncode != 0:
            raise BuildError(
                f"npm ci failed in {display(npm_dir)} (exit {result.returncode}); is the npm "
                f"registry reachable?\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
            )
        say(f"npm ci took {time.monotonic() - started:.0f} s")
        stamp.touch()
    return node_modules


def copy_vendor(node_modules: Path, out: Path) -> list[dict]:
    """Copy what the decks load into <out>/vendor/ (replacing what was there)."""
    vendor = out / "vendor"
    if vendor.exists():
        shutil.rmtree(vendor)
    packages = []
    for package, target, patterns in VENDOR_FILES:
        source = node_modules / package
        meta = json.loads((source / "package.json").read_text(encoding="utf-8"))
        copied = 0
        for pattern in patterns:
            matches = [p for p in sorted(source.glob(pattern)) if p.is_file()]
            if not matches:
                raise BuildError(f"{package} {meta['version']}: nothing matches {pattern!r}")
            for path in matches:
                destination = vendor / target / path.relative_to(source)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, destination)
                copied += 1
        packages.append({"name": package, "version": meta["version"],
                         "license": meta.get("license", "see the package"),
                         "folder": f"vendor/{target}/", "files": copied})
    lines = ["Third-party files the slide decks load, copied from these npm packages:", ""]
    lines += [f"  {p['folder']:<24} {p['name']} {p['version']} ({p['license']} license)"
              for p in packages]
    (vendor / "README.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return packages


# --------------------------------------------------------------------------------------------
# 2. The decks
# --------------------------------------------------------------------------------------------


def make_exporter():
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    config = Config()
    config.TemplateExporter.extra_template_basedirs = [str(TEMPLATES)]
    config.SlidesExporter.template_name = TEMPLATE_NAME
    config.SlidesExporter.reveal_url_prefix = REVEAL_PREFIX
    config.SlidesExporter.reveal_theme = REVEAL_THEME
    config.SlidesExporter.reveal_scroll = True  # a long code cell scrolls instead of overflowing
    config.SlidesExporter.reveal_number = "c/t"
    config.SlidesExporter.require_js_url = REQUIRE_JS
    config.SlidesExporter.jquery_url = JQUERY
    config.SlidesExporter.mathjax_url = MATHJAX
    config.SlidesExporter.widget_renderer_url = WIDGETS
    config.SlidesExporter.embed_images = True  # Markdown images become data: URIs
    config.SlidesExporter.exclude_input_prompt = True  # no "In [3]:" taking slide width
    config.SlidesExporter.exclude_output_prompt = True
    return SlidesExporter(config=config)


def uses_mermaid(nb) -> bool:
    for cell in nb.cells:
        if cell.cell_type == "markdown" and re.search(r"^\s*(```|~~~)\s*mermaid", cell.source,
                                                      re.M):
            return True
        for output in cell.get("outputs", []):
            if "text/vnd.mermaid" in output.get("data", {}):
                return True
    return False


def deck_name(notebook: Path) -> str:
    return f"{notebook.stem}.slides.html"


def build_deck(exporter, notebook: Path, out: Path) -> Path:
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    if uses_mermaid(nb):
        raise BuildError(f"{display(notebook)} has a Mermaid diagram: the offline decks do not "
                         "include Mermaid; draw it with Graphviz (course.show) instead")
    body, _ = exporter.from_notebook_node(
        nb, resources={"metadata": {"name": notebook.stem, "path": str(notebook.parent)}}
    )
    deck = out / deck_name(notebook)
    deck.write_text(body, encoding="utf-8")
    return deck


def notebook_title(notebook: Path) -> str:
    """The first Markdown heading ("# 03 · Building Value"), else the file name."""
    for cell in json.loads(notebook.read_text(encoding="utf-8")).get("cells", []):
        if cell.get("cell_type") == "markdown":
            source = "".join(cell.get("source", ""))
            heading = re.search(r"^#\s+(.+)$", source, re.M)
            if heading:
                return heading.group(1).strip()
    return notebook.stem


def write_index(notebooks: list[Path], out: Path) -> Path:
    def title(notebook: Path) -> str:  # Markdown `code` in a title becomes <code>
        return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(notebook_title(notebook)))

    items = "\n".join(
        f'  <li><a href="{html.escape(deck_name(nb))}">{title(nb)}</a></li>' for nb in notebooks
    )
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>micrograd-course slides</title>
<style>
body {{ font-family: sans-serif; max-width: 40em; margin: 3em auto; line-height: 1.5; }}
li {{ margin: 0.4em 0; }}
</style>
</head>
<body>
<h1>micrograd-course slides</h1>
<ol>
{items}
</ol>
<p>Keys: arrows or space to move, <kbd>F</kbd> full screen, <kbd>Esc</kbd> overview.
The decks show the notebooks' stored outputs (widgets as they were saved) and need no
internet: keep the <code>vendor</code> folder next to them.</p>
</body>
</html>
"""
    index = out / "index.html"
    index.write_text(page, encoding="utf-8")
    return index


# --------------------------------------------------------------------------------------------
# 3. Checks: nothing external, nothing missing
# --------------------------------------------------------------------------------------------

# Attributes that make the browser fetch something (or, for <a href>, go somewhere).
URL_ATTRIBUTES = {"src", "href", "xlink:href", "data", "poster", "action", "formaction",
                  "background", "manifest", "srcset"}
_CSS_URL = re.compile(r"""(?:@import\s+(?:url\(\s*)?|url\(\s*)(["']?)([^"')\s;]+)\1""", re.I)
_JS_STRING = re.compile(r"""(["'`])((?:https?:)?//[^"'`\s]*|vendor/[^"'`\s]*)\1""")
_EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)  # http://, https://, //host, ...
_HARMLESS = re.compile(r"^\s*(?:#|data:|javascript:|mailto:|about:|$)", re.I)


@dataclass
class UrlReport:
    external: list[str] = field(default_factory=list)  # "where: url"
    local: list[str] = field(default_factory=list)  # relative URLs as written


class _UrlCollector(HTMLParser):
    """Collects the URLs of one HTML page: attributes, CSS and string literals in scripts."""

    def __init__(self, report: UrlReport, where: str):
        super().__init__(convert_charrefs=True)
        self.report, self.where, self.inside = report, where, None

    def add(self, url: str, kind: str) -> None:
        if _EXTERNAL.match(url):
            self.report.external.append(f"{self.where}: {kind} {url}")
        elif not _HARMLESS.match(url):
            self.report.local.append(url)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in URL_ATTRIBUTES:
                urls = [part.split()[0] for part in value.split(",") if part.strip()] \
                    if name == "srcset" else [value]
                for url in urls:
                    self.add(url, f"<{tag} {name}>")
            elif name == "style":
                for match in _CSS_URL.finditer(value):
                    self.add(match.group(2), f"<{tag} style>")
        self.inside = tag if tag in ("script", "style") else None

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self.inside = None

    def handle_data(self, data):
        if self.inside == "style":
            for match in _CSS_URL.finditer(data):
                self.add(match.group(2), "<style> url()")
        elif self.inside == "script":
            for match in _JS_STRING.finditer(data):
                self.add(match.group(2), "<script> string")


def scan_urls(page: str, where: str) -> UrlReport:
    """The URLs an HTML page may load: external ones (http://, https://, //host) and local ones.

    Looks at URL attributes (src, href, xlink:href, data, srcset, ...), CSS url() and @import
    (in <style> elements and style attributes), and string literals in <script> elements that
    are URLs or vendor/ paths. Data URIs and #anchors are fine. Text on the slides (a URL
    written in prose or code) loads nothing and is not looked at.
    """
    report = UrlReport()
    collector = _UrlCollector(report, where)
    collector.feed(page)
    collector.close()
    return report


def scan_css_file(path: Path, where: str) -> UrlReport:
    report = UrlReport()
    for match in _CSS_URL.finditer(path.read_text(encoding="utf-8", errors="replace")):
        url = match.group(2)
        if _EXTERNAL.match(url):
            report.external.append(f"{where}: url() {url}")
        elif not _HARMLESS.match(url):
            report.local.append(url)
    return report


def check_output(out: Path) -> list[str]:
    """Every problem found in <out>: external URLs, missing local files. Empty when fine."""
    problems = []
    for page in sorted(out.glob("*.html")):
        report = scan_urls(page.read_text(encoding="utf-8"), page.name)
        problems += [f"external URL in {entry}" for entry in report.external]
        for url in sorted(set(report.local)):
            path = unquote(urlsplit(url).path)
            target = (page.parent / path).resolve()
            if path and not target.exists():
                problems.append(f"{page.name}: refers to {url}, which does not exist")
    vendor = out / "vendor"
    for css in sorted(vendor.rglob("*.css")) if vendor.is_dir() else []:
        where = str(css.relative_to(out))
        report = scan_css_file(css, where)
        problems += [f"external URL in {entry}" for entry in report.external]
        for url in sorted(set(report.local)):
            path = unquote(urlsplit(url).path)
            if path and not (css.parent / path).exists():
                problems.append(f"{where}: refers to {url}, which does not exist")
    return problems


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def build(notebooks: list[Path], out: Path, npm_dir: Path = DEFAULT_NPM_DIR,
          prune: bool = False) -> list[Path]:
    """Build one deck per notebook into out (with vendor/ and index.html); return the decks."""
    if not notebooks:
        raise BuildError("no notebooks to build slides from (notebooks/*.ipynb is empty)")
    started = time.monotonic()
    node_modules = install_npm_packages(npm_dir)
    out.mkdir(parents=True, exist_ok=True)
    copy_vendor(node_modules, out)
    if prune:  # decks of notebooks that no longer exist
        wanted = {deck_name(nb) for nb in notebooks}
        for old in out.glob("*.slides.html"):
            if old.name not in wanted:
                old.unlink()
    exporter = make_exporter()
    decks = []
    for notebook in notebooks:
        deck = build_deck(exporter, notebook, out)
        say(f"{display(notebook)} -> {display(deck)}")
        decks.append(deck)
    write_index(notebooks, out)
    problems = check_output(out)
    if problems:
        raise BuildError("the decks would not work offline:\n  " + "\n  ".join(problems))
    say(f"{len(decks)} deck(s) in {display(out)}/ in {time.monotonic() - started:.1f} s; "
        f"open {display(out / 'index.html')} in a browser (no internet needed)")
    return decks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to convert (default: every notebooks/*.ipynb)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="output folder (default: slides/)")
    parser.add_argument("--npm-dir", type=Path, default=DEFAULT_NPM_DIR,
                        help="where npm installs the packages (default: build/slides-vendor/)")
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted(NOTEBOOKS.glob("*.ipynb"))
    missing = [str(nb) for nb in notebooks if not nb.is_file()]
    try:
        if missing:
            raise BuildError(f"no such notebook: {', '.join(missing)}")
        build(notebooks, args.out, args.npm_dir, prune=not args.notebooks)
    except BuildError as error:
        print(f"slides: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
