# micrograd-course. Study: `make lab`. Check everything: `make test`. All targets: `make help`.
# Every target sets up what it needs first (scripts/setup.sh: fast when nothing is missing).

SHELL := /bin/bash
.DEFAULT_GOAL := help

# The Python that runs everything: the active conda env's when it has the course installed
# (conda env create -f environment.yml), otherwise the project's own .venv.
PY := $(shell bash scripts/setup.sh --print-python)

PORT ?= 8888
TOKEN ?=
NB ?=
EDITION ?= student

LINT_DIRS := $(wildcard course tests bench scripts)
NOTEBOOKS := $(wildcard notebooks/*.ipynb)
BENCHES := $(wildcard bench/*.py)
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: help setup lock lab test test-browser execute student slides bench clean

help: ## list the targets
	@echo "usage: make <target>"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-13s %s\n", $$1, $$2}'

setup: ## create .venv with the course and its locked packages, check graphviz
	@bash scripts/setup.sh

lock: setup ## rewrite requirements-lock.txt from pyproject.toml's pins (then: make setup)
	@bash scripts/lock.sh

# The student edition is written (or brought up to date) first; a notebook the student changed
# is never overwritten. EDITION=instructor opens notebooks/, answer cells collapsed until clicked.
lab: setup ## start JupyterLab on student/notebooks/ (EDITION=instructor: notebooks/; PORT, TOKEN)
	@PORT="$(PORT)" TOKEN="$(TOKEN)" EDITION="$(EDITION)" "$(PY)" scripts/lab.py

# The unit tests and the notebooks (nbval) run in one pytest session, so that both workers stay
# busy to the end; --dist loadscope keeps the cells of a notebook together, in one kernel. The
# notebooks come first: the longest pieces of work start early, the short ones fill the end.
test: setup ## lint, unit tests, then re-run every notebook and compare with its stored outputs
	"$(PY)" -m ruff check $(LINT_DIRS)
	"$(PY)" -m pytest $(NBVAL) -n 2 --dist loadscope $(NOTEBOOKS) tests

test-browser: setup ## drive the notebooks' widgets in JupyterLab in headless Chromium
	@bash scripts/browser_setup.sh "$(PY)"
	"$(PY)" -m pytest -m browser -p no:cacheprovider tests/browser

execute: setup ## re-run notebooks in place in a fresh kernel (all, or NB=notebooks/03_x.ipynb)
	"$(PY)" scripts/execute_notebooks.py $(NB)

student: setup ## write the student edition to student/notebooks/ (FORCE=1: overwrite edited copies)
	"$(PY)" scripts/make_student.py $(if $(FORCE),--force)

slides: setup ## offline reveal.js decks of the notebooks in slides/ (open slides/index.html)
	"$(PY)" scripts/build_slides.py

bench: setup ## run bench/*.py (installs the reference micrograd 0.1.0 first)
ifeq ($(BENCHES),)
	@echo "bench: no benchmark scripts in bench/ yet"
else
	@"$(PY)" -c "import importlib.metadata as m, sys; sys.exit(m.version('micrograd') != '0.1.0')" \
		2>/dev/null || "$(PY)" -m pip install --quiet micrograd==0.1.0
	@set -e; for f in $(BENCHES); do echo "== $$f"; "$(PY)" "$$f"; done
endif

# student/ is the students' work (and Lab's checkpoints of it): clean never goes in there.
clean: ## remove .venv, caches and build outputs (never student/)
	rm -rf .venv build dist slides bench/results .pytest_cache .ruff_cache .hypothesis
	rm -rf *.egg-info
	find . \( -path ./.git -o -path ./student \) -prune -o -type d \
		\( -name __pycache__ -o -name .ipynb_checkpoints \) -prune -exec rm -rf {} +
