# Two commands set up everything on a fresh machine: `make example`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: example test bench serve clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

example: $(STAMP)
	cd example_site && ../$(BIN)/pelican content -s pelicanconf.py -o output --fatal errors

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/run.py

serve: example
	cd example_site && ../$(BIN)/pelican --listen -o output

clean:
	rm -rf example_site/output test-artifacts .pytest_cache
