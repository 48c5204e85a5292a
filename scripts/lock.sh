#!/usr/bin/env bash
# Rewrite the lock files from pyproject.toml (run by `make lock`), then `make setup` installs
# from them. Run it after changing a pin in pyproject.toml, or to move every package that the
# pinned ones pull in to its newest compatible release (then run `make test` before committing).
#
#   requirements-lock.txt   every package of the course and its test and lab extras, exact
#                           versions and hashes, for Python 3.11 on any system (pip's
#                           hash-checking format: `pip install --require-hashes -r` reads it)
#   scripts/uv-lock.txt     the installer setup uses (uv), pinned and hashed the same way
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"

PY="$(bash scripts/setup.sh --print-python)"
UV_VERSION=0.13.9  # the installer's version; scripts/uv-lock.txt holds its hashes

"$PY" -m uv --version >/dev/null 2>&1 || "$PY" -m pip install --quiet "uv==$UV_VERSION"

compile() { "$PY" -m uv pip compile --quiet --universal --python-version 3.11 --generate-hashes "$@"; }

compile pyproject.toml --extra test --extra lab -o requirements-lock.txt
echo "uv==$UV_VERSION" | compile - -o scripts/uv-lock.txt
echo "lock: wrote requirements-lock.txt and scripts/uv-lock.txt"
