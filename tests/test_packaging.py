"""The package as it ships: the lock file agrees with pyproject.toml, setup installs from it,
and a wheel carries every subpackage of course."""

import importlib.metadata
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT
from packaging.markers import Marker
from test_project import normalize, pyproject_requirements

LOCK = ROOT / "requirements-lock.txt"


def locked() -> dict[str, tuple[str, str | None, int]]:
    """name -> (version, environment marker or None, number of hashes), from the lock file."""
    entries: dict[str, tuple[str, str | None, int]] = {}
    text = LOCK.read_text().replace("\\\n", " ")
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = re.match(r"([A-Za-z0-9._-]+)==(\S+)\s*(?:;\s*(.*?))?\s*(--hash.*)?$", line)
        assert match, f"requirements-lock.txt: cannot read {line!r}"
        name, version, marker, hashes = match.groups()
        count = len(re.findall(r"--hash=sha256:", hashes or ""))
        entries[normalize(name)] = (version, marker, count)
    return entries


def test_the_lock_pins_every_package_of_pyproject_at_the_same_version():
    lock = locked()
    for requirement in pyproject_requirements():
        name, version = requirement.split("#")[0].strip().split("==")
        assert normalize(name) in lock, f"{name} is in pyproject.toml, not in the lock: make lock"
        found = lock[normalize(name)][0]
        assert found == version, f"{name}: pyproject pins {version}, the lock {found}: make lock"


def test_every_locked_package_has_a_hash():
    lock = locked()
    assert len(lock) > 50  # the pinned packages and everything they pull in
    assert all(hashes >= 1 for _, _, hashes in lock.values())


def test_the_installer_is_locked_too():
    text = (ROOT / "scripts/uv-lock.txt").read_text()
    assert re.search(r"^uv==[\d.]+ \\\n\s+--hash=sha256:[0-9a-f]{64}", text, re.M)
    assert "requirements-lock.txt" in (ROOT / "scripts/setup.sh").read_text()


@pytest.mark.skipif(Path(sys.prefix).resolve() != (ROOT / ".venv").resolve(),
                    reason="the conda environment installs from environment.yml, not the lock")
def test_setup_installed_exactly_the_locked_versions():
    wrong = {}
    for name, (version, marker, _) in locked().items():
        if marker and not Marker(marker).evaluate():
            continue  # for another system (Windows, macOS) or Python
        try:
            installed = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            installed = None
        if installed != version:
            wrong[name] = (version, installed)
    assert not wrong, f"locked vs installed (run make setup): {wrong}"


def test_a_wheel_carries_every_module_and_imports_without_the_source_tree(tmp_path):
    # built from a copy of what a release holds: a build/ folder left in the project by an
    # earlier build would otherwise lend the wheel its stale files
    source_tree = tmp_path / "source"
    shutil.copytree(ROOT / "course", source_tree / "course",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source_tree / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(tmp_path / "dist"), str(source_tree)],
        check=True, capture_output=True, cwd=tmp_path)
    (wheel,) = (tmp_path / "dist").glob("micrograd_course-*.whl")
    source = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "course").rglob("*.py"))
    with zipfile.ZipFile(wheel) as archive:
        shipped = sorted(n for n in archive.namelist() if n.startswith("course/"))
        archive.extractall(tmp_path / "unpacked")
    assert [n for n in shipped if n.endswith(".py")] == source
    data = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "course").rglob("*")
                  if p.is_file() and p.suffix not in (".py", ".pyc"))
    assert [n for n in shipped if not n.endswith(".py")] == data  # the notebooks' data too

    modules = [p[:-3].replace("/", ".").removesuffix(".__init__") for p in source]
    script = (
        "import importlib, sys\n"
        f"sys.path.insert(0, {str(tmp_path / 'unpacked')!r})\n"
        f"for name in {modules!r}:\n"
        "    module = importlib.import_module(name)\n"
        f"    assert module.__file__.startswith({str(tmp_path / 'unpacked')!r}), module.__file__\n"
        "print(len(sys.modules))\n")
    env = {"MPLBACKEND": "Agg", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-I", "-c", script], cwd=tmp_path, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
