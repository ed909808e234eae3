# Two commands set up everything on a fresh machine: `make example`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: example test bench dist serve clean

# The package is installed as a user gets it (not editable: setuptools warns
# about every editable install), and again whenever its files change, so
# `make example` always builds with the code in this checkout.
SOURCES := $(shell find pelican_chatlog pelican -type f ! -name '*.pyc')

$(STAMP): pyproject.toml $(SOURCES)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet '.[test]'
	$(BIN)/pip install --quiet --no-deps --force-reinstall .
	touch $(STAMP)

# --delete-output-directory: a theme switched with CHATLOG_EXAMPLE_THEME leaves none of its files behind
example: $(STAMP)
	cd example_site && ../$(BIN)/pelican content -s pelicanconf.py -o output --fatal errors --delete-output-directory

# mypy first: the package is typed (py.typed) and must stay clean
test: $(STAMP)
	$(BIN)/mypy
	$(BIN)/python -m pytest

# BENCH_ARGS="--instructions 20000" also counts instructions (valgrind; minutes), the figures noise cannot move
bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# A wheel and an sdist in dist/, checked as PyPI would (tests/test_packaging.py does the same in a tmp folder)
dist: $(STAMP)
	rm -rf dist
	$(BIN)/python -m build --outdir dist .
	$(BIN)/python -m twine check --strict dist/*

serve: example
	cd example_site && ../$(BIN)/pelican --listen -o output

clean:
	rm -rf example_site/output test-artifacts .pytest_cache build dist
