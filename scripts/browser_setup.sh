#!/usr/bin/env bash
# What the browser tests need (run by `make test-browser`); safe to run again.
#
#   scripts/browser_setup.sh PYTHON
#
# * Chromium from Debian's packages (/usr/bin/chromium), installed with apt-get when missing
#   and running as root. The tests launch that browser themselves: Playwright's own browser
#   download (`playwright install`) is never used.
# * Playwright for Python, installed with pip into PYTHON's environment when missing.
set -euo pipefail

PY="${1:?usage: scripts/browser_setup.sh PYTHON}"
PLAYWRIGHT_VERSION="1.65.2"
CHROMIUM="/usr/bin/chromium"

say() { printf 'browser-setup: %s\n' "$*"; }
die() { printf 'browser-setup: %s\n' "$*" >&2; exit 1; }

if [[ ! -x "$CHROMIUM" ]]; then
    if command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" == 0 ]]; then
        say "installing chromium with apt-get (about half a minute)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
        [[ -x "$CHROMIUM" ]] || die "apt-get installed chromium but $CHROMIUM is missing"
    else
        die "$CHROMIUM not found. On Debian: sudo apt-get install chromium"
    fi
fi

if ! "$PY" -c "import playwright" >/dev/null 2>&1; then
    say "installing Playwright $PLAYWRIGHT_VERSION for Python with pip"
    "$PY" -m pip install --quiet --disable-pip-version-check "playwright==$PLAYWRIGHT_VERSION"
fi

say "ready: $("$CHROMIUM" --version 2>/dev/null), Playwright $("$PY" -c \
    'import importlib.metadata as m; print(m.version("playwright"))')"
