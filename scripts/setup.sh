#!/usr/bin/env bash
# Prepare everything the course needs. Safe to run again: it only does what is missing.
#
#   scripts/setup.sh                 set up (called by `make setup`)
#   scripts/setup.sh --print-python  print the Python interpreter the course uses, change nothing
#
# Which Python: the active conda environment's, when it already has the course installed
# (`conda env create -f environment.yml`), otherwise the project's own .venv, created here
# with the machine's python3.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"

VENV="$ROOT/.venv"

conda_python() {
    # The conda env's python, if a conda env is active and has this very folder's course
    # installed (run from / so that ./course does not count).
    [[ -n "${CONDA_PREFIX:-}" && -x "$CONDA_PREFIX/bin/python" ]] || return 1
    local found
    found="$(cd / && "$CONDA_PREFIX/bin/python" -c 'import course; print(course.__file__)' 2>/dev/null)" \
        || return 1
    [[ "$found" == "$ROOT/course/__init__.py" ]] || return 1
    echo "$CONDA_PREFIX/bin/python"
}

resolve_python() {
    conda_python || echo "$VENV/bin/python"
}

if [[ "${1:-}" == "--print-python" ]]; then
    resolve_python
    exit 0
fi

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }

sha256() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d' ' -f1
    else
        shasum -a 256 "$1" | cut -d' ' -f1 # macOS
    fi
}

# Every package at the exact version and hash of requirements-lock.txt (`make lock` writes it),
# then the course itself. uv (pinned and hashed in scripts/uv-lock.txt) installs about four
# times faster than pip; where uv cannot be installed, pip reads the same lock file.
install_locked() {
    local py="$1" pip=("$1" -m pip install --quiet --disable-pip-version-check)
    if "${pip[@]}" --require-hashes -r scripts/uv-lock.txt 2>/dev/null; then
        "$py" -m uv pip install --python "$py" --quiet --require-hashes -r requirements-lock.txt
        "$py" -m uv pip install --python "$py" --quiet --no-deps -e .
    else
        say "uv is not available here: installing with pip instead (slower)"
        "${pip[@]}" --require-hashes -r requirements-lock.txt
        "${pip[@]}" --no-deps -e .
    fi
}

# --- 1. Python and the course's packages --------------------------------------------------
if PY="$(conda_python)"; then
    say "using the conda environment's Python: $PY"
else
    if [[ ! -x "$VENV/bin/python" ]]; then
        command -v python3 >/dev/null 2>&1 \
            || die "python3 not found. Install Python 3.11 or newer, or use conda: conda env create -f environment.yml"
        python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
            || die "python3 is $(python3 -V 2>&1 | cut -d' ' -f2); the course needs 3.11 or newer (or use conda: conda env create -f environment.yml)"
        say "creating .venv with $(command -v python3) ($(python3 -V 2>&1))"
        python3 -m venv "$VENV" \
            || die "could not create .venv. On Debian/Ubuntu: sudo apt-get install python3-venv"
    fi
    PY="$VENV/bin/python"

    # The stamp names the lock file and pyproject.toml it was installed from: unchanged files
    # mean nothing to install, and no installer is run at all.
    stamp="$VENV/.installed-$(cat requirements-lock.txt pyproject.toml | sha256 -)"
    if [[ ! -e "$stamp" ]]; then
        say "installing the course and its locked packages into .venv (under a minute the first time)"
        install_locked "$PY"
        rm -f "$VENV"/.installed-*
        touch "$stamp"
    fi
    say "using .venv: $PY"
fi

# --- 2. Graphviz's `dot` program (the graph drawings need it; pip's graphviz is only bindings)
how_to_get_dot="Install it:
    conda:          conda env create -f environment.yml   (then: conda activate micrograd-course)
    Debian/Ubuntu:  sudo apt-get install graphviz
    macOS:          brew install graphviz
then run the command again."
if command -v dot >/dev/null 2>&1; then
    :
elif command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" == 0 ]]; then
    say "installing graphviz (the dot program) with apt-get"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; } \
        || die "apt-get could not install graphviz (see above). $how_to_get_dot"
    command -v dot >/dev/null 2>&1 || die "apt-get installed graphviz but dot is not on PATH"
else
    die "Graphviz's dot program is missing (the notebooks draw graphs with it). $how_to_get_dot"
fi

# --- 3. JupyterLab settings: no "news" toast or update check over the notebooks -------------
# Lab reads every file in <env>/share/jupyter/lab/settings/overrides.d/ as default settings;
# our own file there leaves any overrides.json of the environment untouched.
settings_dir="$(dirname "$(dirname "$PY")")/share/jupyter/lab/settings/overrides.d"
wanted="$ROOT/scripts/lab-overrides.json"
if ! cmp -s "$wanted" "$settings_dir/micrograd-course.json"; then
    mkdir -p "$settings_dir"
    cp "$wanted" "$settings_dir/micrograd-course.json"
fi

say "ready"
