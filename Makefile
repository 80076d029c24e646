# Two commands do everything on a fresh machine: `make run` and `make test` (see README.md).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
# The Spark engine's own environment (see spark-check).
SPARK_VENV := .venv-spark
BIN := $(CURDIR)/$(VENV)/bin
export SOURCES ?= $(CURDIR)/../shared/sources
UV_VERSION := 0.13.9

export WAREHOUSE_PATH ?= $(CURDIR)/warehouse.duckdb
export WAREHOUSE_BUILD_PATH ?= $(CURDIR)/.build/warehouse.duckdb
# police.uk street files (YYYY-MM/YYYY-MM-<force>-street.csv[.gz]): the Essex months kept in data/police_uk and,
# when present, every force's months in ../shared/police_uk_national; POLICE_UK_DIR=<archive> reads that one
# instead. They are landed, one Parquet file per month, in the lake that dbt reads (POLICE_UK_LAKE).
ifdef POLICE_UK_DIR
export POLICE_UK_DIR
endif
export POLICE_UK_LAKE ?= $(CURDIR)/lake/police_uk
export DAGSTER_HOME := $(CURDIR)/.dagster_home
export DBT_PROFILES_DIR := $(CURDIR)
# dbt's threads (profiles.yml reads DBT_THREADS). Measured on 2 cores (bench/bench_make_run.py --dbt-threads):
# threads = cores is ~1 s slower per `make run` than 1 thread. dbt spends its time in Python (Jinja, events)
# under one interpreter lock, DuckDB's queries on these tables take milliseconds, and Dagster's own process
# needs the other core while dbt runs. So 1, unless overridden: `make run DBT_THREADS=$$(nproc)`.
export DBT_THREADS ?= 1
# No telemetry and no update checks: nothing may reach for the network.
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DBT_VERSION_CHECK := false
export DO_NOT_TRACK := 1
export PATH := $(BIN):$(PATH)
comma := ,

.PHONY: FORCE help install manifest run test lint dev docs export reports chromium java spark-check verify-sources generate metrics metric-query metrics-generate lock clean add-report intake-check intake-accept bench-intake bench-national

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock
	touch $@

# Byte-compile the environment once. Without .pyc files every dbt, Dagster and MetricFlow process compiles
# its imports from source again (always so where PYTHONDONTWRITEBYTECODE is set): seconds on every run.
$(VENV)/.compiled: $(VENV)/.installed
	$(BIN)/python -m compileall -q -j 0 $(VENV)/lib > /dev/null
	touch $@

install: $(VENV)/.installed $(VENV)/.compiled  ## Create .venv from the lock file, byte-compiled (no-op when up to date)

# One run at a time: every run rebuilds the one build file (one DuckDB writer). Runs the UI, the sensor or a
# backfill launch wait in Dagster's queue; `make run` runs in this process, outside the queue.
$(DAGSTER_HOME)/dagster.yaml: Makefile
	mkdir -p $(DAGSTER_HOME)
	printf 'telemetry:\n  enabled: false\nconcurrency:\n  runs:\n    max_concurrent_runs: 1\n' > $@

# dbt's manifest is a real target: `dbt parse` runs only when a file of the dbt project (or the dbt install)
# changed. The folders are prerequisites too, so an added, removed or renamed file also triggers a parse.
# dbt parses partially (target/partial_parse.msgpack) when it can, and the run's `dbt build` starts from
# that file too. dbt keys it on the profile, build file path included, so PARSE_STAMP (the path the last
# parse saw) also triggers a parse when WAREHOUSE_BUILD_PATH changed or another dbt command (make docs, a
# test) has since rewritten the file: otherwise every run would parse the whole project again.
DBT_PROJECT_FILES := dbt_project.yml profiles.yml $(shell find models macros seeds analyses tests/dbt 2>/dev/null)
MANIFEST := target/manifest.json
PARSE_STAMP := target/.parsed-for-build-path

$(PARSE_STAMP): FORCE
	@mkdir -p $(@D)
	@if [ "$$(cat $@ 2>/dev/null)" != "$(WAREHOUSE_BUILD_PATH)" ] || [ target/partial_parse.msgpack -nt $@ ]; then \
		echo "$(WAREHOUSE_BUILD_PATH)" > $@; fi

$(MANIFEST): $(VENV)/.installed $(DBT_PROJECT_FILES) $(PARSE_STAMP)
	mkdir -p $(dir $(WAREHOUSE_BUILD_PATH))
	$(BIN)/dbt parse --quiet
	touch -r target/partial_parse.msgpack $(PARSE_STAMP)
	touch $@

manifest: install $(MANIFEST)  ## Build dbt's manifest (a build step, not an import side effect; only when the dbt project changed)

run: install manifest $(DAGSTER_HOME)/dagster.yaml  ## Materialise every asset into $(WAREHOUSE_PATH) (MONTH=YYYY-MM: that police.uk month only; FORCE=1: even when no input changed); full log in logs/last-run.log
	$(BIN)/python -m orchestration.cli.run $(if $(MONTH),--month $(MONTH)) $(if $(FORCE),--force)

# The stages of `make test` run as a graph, TEST_JOBS at a time. Lint beside the build; the environments of
# the later stages (Spark's, the reports' npm packages) in the gaps. Once the build has published (the reports
# and the Spark comparison read this checkout's warehouse, not one left by an earlier checkout), two lanes:
# pytest on one; the Spark check, the reports and the tests that come after them on the other. Each long
# stage keeps about one core busy (Spark runs one statement at a time, pytest one test), so on 2 cores two
# jobs halve the wait. --output-sync prints each stage's output whole, when it ends, and a line with its
# seconds. The system packages come first, one at a time: apt takes one lock.
TEST_JOBS ?= 2
# The second lane's tests: the browser test (it needs the reports), and the intake's (a whole build in a
# project copy, sharing no fixture with the rest), which evens out the two lanes.
PYTEST_SECOND_LANE := tests/test_intake_cli.py tests/test_reports.py
test: install manifest $(DAGSTER_HOME)/dagster.yaml java chromium  ## Lint, build, the reports, Spark's build against DuckDB's, the whole test suite
	@echo "make test: lint beside the build; then pytest beside the Spark check, the reports and $(PYTEST_SECOND_LANE) ($(TEST_JOBS) jobs; each stage's output when it ends)"
	@started=$$(date +%s); $(MAKE) --no-print-directory -j$(TEST_JOBS) --output-sync=target test-stages; \
		echo "make test: passed in $$(( $$(date +%s) - started )) s"

# A stage of `make test`: its command, then a line with its seconds.
define test_stage
@started=$$(date +%s); $(1); echo "make test: $(2) passed in $$(( $$(date +%s) - started )) s"
endef

.PHONY: test-stages test-lint test-run test-reports test-spark test-pytest test-pytest-second-lane
test-stages: test-lint test-pytest test-spark test-pytest-second-lane
test-lint:
	$(call test_stage,$(MAKE) --no-print-directory lint,lint)
test-run:
	$(call test_stage,$(MAKE) --no-print-directory run,build (make run))
test-pytest: test-run
	$(call test_stage,$(BIN)/python -m pytest $(addprefix --ignore=,$(PYTEST_SECOND_LANE)),pytest (all but $(PYTEST_SECOND_LANE)))
test-spark: test-run $(SPARK_VENV)/.installed
	$(call test_stage,$(MAKE) --no-print-directory spark-check,Spark check)
test-reports: test-run test-spark reports/node_modules/.installed
	$(call test_stage,$(MAKE) --no-print-directory reports,reports)
test-pytest-second-lane: test-reports
	$(call test_stage,$(BIN)/python -m pytest $(PYTEST_SECOND_LANE),pytest $(PYTEST_SECOND_LANE))

# sqlfluff's dbt templater compiles the project in a target folder of its own: in `target/` it would rewrite
# the partial-parse file that `make run` starts from (and force the next run to parse everything again).
lint: install manifest  ## ruff and sqlfluff (DuckDB dialect, dbt templater)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DBT_TARGET_PATH=target-lint $(BIN)/sqlfluff lint models analyses macros --processes 2

dev: install manifest $(DAGSTER_HOME)/dagster.yaml  ## Dagster UI on http://127.0.0.1:3000
	$(BIN)/dagster dev -h 127.0.0.1 -p 3000

docs: install manifest  ## Static dbt docs in target/static_index.html (run `make run` first)
	DBT_TARGET=published $(BIN)/dbt docs generate --static
	@echo "dbt docs: $(CURDIR)/target/static_index.html"

export: install  ## Every mart of the published warehouse as CSV under exports/ (formula-like cells neutralised)
	$(BIN)/python -m orchestration.cli.export

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

# The Spark engine's own environment: pyspark (with the Spark Thrift server) and dbt-spark, apart from
# the main lock (spark/requirements.lock).
$(SPARK_VENV)/.installed: spark/requirements.lock $(VENV)/.installed
	$(PYTHON) -m venv $(SPARK_VENV)
	$(BIN)/uv pip install --quiet --python $(SPARK_VENV)/bin/python -r spark/requirements.lock
	touch $@

java:  ## Debian's JVM for Spark (installed once, as root)
	@command -v java >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless)

spark-check: install java $(SPARK_VENV)/.installed  ## Build the dbt project on Spark (local Thrift server) and compare every mart with DuckDB's (after make run; UNIT_TESTS=1: dbt's unit tests on Spark too)
	@test -f $(WAREHOUSE_PATH) || $(MAKE) run
	$(SPARK_VENV)/bin/python spark/check.py $(if $(UNIT_TESTS),--unit-tests)

chromium:  ## Debian's Chromium for the report browser test (installed once, as root)
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

verify-sources: install  ## Check every figure against the report texts: make verify-sources SOURCES=dir
	$(BIN)/python -m orchestration.cli.verify_sources $(SOURCES)

# The report intake (README "Adding a report"). TITLE, PUBLISHED, DATA_TO and KEY are optional.
add-report: install  ## Add a report (PDF or text) and draft its figures: make add-report FILE=report.pdf [TITLE=".." PUBLISHED=YYYY-MM-DD DATA_TO=YYYY-MM-DD KEY=..]
	@test -n "$(FILE)" || (echo "usage: make add-report FILE=<report.pdf or report.txt> [TITLE=...] [PUBLISHED=YYYY-MM-DD] [DATA_TO=YYYY-MM-DD]"; exit 2)
	$(BIN)/python -m orchestration.cli.intake --sources $(SOURCES) add "$(FILE)" \
		$(if $(TITLE),--title "$(TITLE)",) $(if $(PUBLISHED),--published $(PUBLISHED),) \
		$(if $(DATA_TO),--data-to $(DATA_TO),) $(if $(KEY),--key $(KEY),)

intake-check: install  ## Check a reviewed draft: make intake-check KEY=<document key>
	@test -n "$(KEY)" || (echo "usage: make intake-check KEY=<document key>"; exit 2)
	$(BIN)/python -m orchestration.cli.intake --sources $(SOURCES) check $(KEY)

intake-accept: install  ## Append a checked draft to data/: make intake-accept KEY=<document key>
	@test -n "$(KEY)" || (echo "usage: make intake-accept KEY=<document key>"; exit 2)
	$(BIN)/python -m orchestration.cli.intake --sources $(SOURCES) accept $(KEY)

bench-intake: install  ## Leave-one-report-out benchmark of the intake's drafts: goals before and after, reliability table, review left per report
	$(BIN)/python bench/bench_intake.py $(SOURCES)

generate: install  ## Rewrite the files derived from the data contract (data/contract.yml): column docs, data/README.md
	$(BIN)/python -m orchestration.cli.generate

metrics: install manifest  ## List the MetricFlow metrics offline: make metrics [SEARCH=word]
	DBT_TARGET=published $(BIN)/mf list metrics $(if $(SEARCH),--search $(SEARCH),)

METRIC ?= specials_headcount
BY ?= metric_time__financial_year
metric-query: install manifest  ## Query a metric (after make run): make metric-query METRIC=ksi_casualties BY=metric_time__financial_year,geography [WHERE="..."]
	DBT_TARGET=published $(BIN)/mf query --metrics $(METRIC) --group-by $(BY) --order $(firstword $(subst $(comma), ,$(BY))) $(if $(WHERE),--where "$(WHERE)",)

metrics-generate: install  ## Rewrite the headline metrics from the metric catalogue (seeds/metric_catalogue.csv)
	$(BIN)/python -m orchestration.cli.metrics_generate

MONTHS ?= 36
bench-national: install manifest  ## Time the whole build on SYNTHETIC national police.uk files: make bench-national MONTHS=36
	$(BIN)/python bench/bench_national.py --months $(MONTHS)

lock: install  ## Re-resolve requirements.in into requirements.lock
	$(BIN)/uv pip compile --quiet --python-version 3.11 requirements.in -o requirements.lock

clean:  ## Remove build outputs (not the virtual environment)
	rm -rf target logs .pytest_cache .ruff_cache
