# Two commands do everything on a fresh machine: `make run` and `make test` (see README.md).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
SOURCES ?= ../shared/sources
UV_VERSION := 0.13.9

export WAREHOUSE_PATH ?= $(CURDIR)/warehouse.duckdb
export WAREHOUSE_BUILD_PATH ?= $(CURDIR)/.build/warehouse.duckdb
export DAGSTER_HOME := $(CURDIR)/.dagster_home
export DBT_PROFILES_DIR := $(CURDIR)
# No telemetry and no update checks: nothing may reach for the network.
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DBT_VERSION_CHECK := false
export DO_NOT_TRACK := 1
export PATH := $(BIN):$(PATH)
comma := ,

.PHONY: help install manifest run test lint dev docs export reports chromium verify-sources generate metrics metric-query metrics-generate lock clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock
	touch $@

install: $(VENV)/.installed  ## Create .venv from the lock file (no-op when up to date)

$(DAGSTER_HOME)/dagster.yaml:
	mkdir -p $(DAGSTER_HOME)
	printf 'telemetry:\n  enabled: false\n' > $@

manifest: install  ## Build dbt's manifest (a build step, not an import side effect)
	mkdir -p $(dir $(WAREHOUSE_BUILD_PATH))
	$(BIN)/dbt parse --quiet

run: install manifest $(DAGSTER_HOME)/dagster.yaml  ## Materialise every asset into $(WAREHOUSE_PATH)
	$(BIN)/python -m orchestration.run

test: install manifest $(DAGSTER_HOME)/dagster.yaml lint reports chromium  ## Lint, build the reports, run the whole test suite
	$(BIN)/python -m pytest

lint: install manifest  ## ruff and sqlfluff (DuckDB dialect, dbt templater)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint models analyses macros --processes 2

dev: install manifest $(DAGSTER_HOME)/dagster.yaml  ## Dagster UI on http://127.0.0.1:3000
	$(BIN)/dagster dev -h 127.0.0.1 -p 3000

docs: install manifest  ## Static dbt docs in target/static_index.html (run `make run` first)
	DBT_TARGET=published $(BIN)/dbt docs generate --static
	@echo "dbt docs: $(CURDIR)/target/static_index.html"

export: install  ## Every mart of the published warehouse as CSV under exports/ (formula-like cells neutralised)
	$(BIN)/python -m orchestration.export

# npm install, not npm ci: with this machine's npmrc (omit-lockfile-registry-resolved) npm ci rejects the
# lock over other platforms' optional packages; npm install installs the locked versions all the same.
# Its postinstall (patch-package --error-on-fail) applies reports/patches/ and fails if one does not apply;
# node_modules goes first so that a changed patch applies to clean package files, not to the old patch's.
reports/node_modules/.installed: reports/package-lock.json $(wildcard reports/patches/*.patch)
	rm -rf reports/node_modules
	cd reports && npm install --no-audit --no-fund
	touch $@

reports: install reports/node_modules/.installed  ## Evidence site in reports/build, built offline from the published warehouse
	@test -f $(WAREHOUSE_PATH) || $(MAKE) run
	cp $(WAREHOUSE_PATH) reports/sources/warehouse/warehouse.duckdb
	cd reports && npx evidence sources && npx evidence build > build.log 2>&1 || (tail -40 build.log; exit 1)
	@if grep -q "Error in Query" reports/build.log; then grep -B2 -A6 "Error in Query" reports/build.log; exit 1; fi
	@echo "reports: $(CURDIR)/reports/build (serve it with: python3 -m http.server -d reports/build -b 127.0.0.1)"

chromium:  ## Debian's Chromium for the report browser test (installed once, as root)
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

verify-sources: install  ## Check every figure against the report texts: make verify-sources SOURCES=dir
	$(BIN)/python -m orchestration.verify_sources $(SOURCES)

generate: install  ## Rewrite the files derived from the data contract (data/contract.yml): column docs, data/README.md
	$(BIN)/python -m orchestration.generate

metrics: install manifest  ## List the MetricFlow metrics offline: make metrics [SEARCH=word]
	DBT_TARGET=published $(BIN)/mf list metrics $(if $(SEARCH),--search $(SEARCH),)

METRIC ?= specials_headcount
BY ?= metric_time__financial_year
metric-query: install manifest  ## Query a metric (after make run): make metric-query METRIC=ksi_casualties BY=metric_time__financial_year,geography [WHERE="..."]
	DBT_TARGET=published $(BIN)/mf query --metrics $(METRIC) --group-by $(BY) --order $(firstword $(subst $(comma), ,$(BY))) $(if $(WHERE),--where "$(WHERE)",)

metrics-generate: install  ## Rewrite the headline metrics from the metric catalogue (seeds/metric_catalogue.csv)
	$(BIN)/python -m orchestration.semantic_layer

lock: install  ## Re-resolve requirements.in into requirements.lock
	$(BIN)/uv pip compile --quiet --python-version 3.11 requirements.in -o requirements.lock

clean:  ## Remove build outputs (not the virtual environment)
	rm -rf target logs .pytest_cache .ruff_cache
