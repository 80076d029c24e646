"""Shared fixtures. Tests never touch the real warehouse: each gets its own DuckDB file."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from orchestration.lib import paths
from orchestration.lib.contract import COLUMN_NAMES, read_reference

SOURCES = (paths.REPO / paths.DEFAULTS["SOURCES"]).resolve()


@pytest.fixture
def reference():
    return read_reference(paths.SEEDS_DIR)


@pytest.fixture
def good_row() -> dict[str, str]:
    """A real figure (000 line 34: 474 Specials at the end of November 2018) in contract form."""
    return {
        "figure_id": "pcp-update-2018-12:34:02",
        "metric_code": "specials_headcount",
        "measure": "value",
        "breakdown": "",
        "geography_code": "essex",
        "period_start": "2018-11-30",
        "period_end": "2018-11-30",
        "period_label": "end of November 2018",
        "comparison_period_start": "",
        "comparison_period_end": "",
        "period_note": "",
        "printed_value": "474",
        "value_as_printed": "474",
        "unit": "count",
        "corrected_value": "",
        "correction_note": "",
        "source_document": "000_7863e284468cdfda.txt",
        "source_line": "34",
        "source_snippet": "to 474 at the end of November 2018",
    }


def to_csv(rows: list[dict[str, str]], header: tuple[str, ...] = COLUMN_NAMES) -> bytes:
    import csv
    import io

    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=header, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


@pytest.fixture
def sources_dir() -> Path:
    if not SOURCES.is_dir():
        pytest.skip(f"SKIPPED: report texts not found at {SOURCES}; source checks did not run")
    return SOURCES


@pytest.fixture(scope="session", autouse=True)
def session_lake(tmp_path_factory):
    """Every test's runs land police.uk in a lake of the session's, never the project's (``make test`` exports
    ``POLICE_UK_LAKE``); the same archives land the same months, so runs after the first find them landed."""
    with pytest.MonkeyPatch.context() as mp:
        lake = tmp_path_factory.mktemp("lake") / "police_uk"
        mp.setenv("POLICE_UK_LAKE", str(lake))
        yield lake


@pytest.fixture
def temp_warehouse(tmp_path, monkeypatch) -> Path:
    """Point the run's writer (build file) and its published file at a fresh folder."""
    path = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("WAREHOUSE_PATH", str(path))
    monkeypatch.setenv("WAREHOUSE_BUILD_PATH", str(tmp_path / "build" / "warehouse.duckdb"))
    return path


@pytest.fixture
def data_copy(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, target)
    return target


def materialise_all(folder: Path) -> tuple[Path, object]:
    """Materialise every asset into a warehouse of its own in `folder`, as `make run` does."""
    import dagster as dg

    # Not named warehouse.duckdb: dbt, MetricFlow and the loaders must not depend on the file name.
    path = folder / "e2e_warehouse.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WAREHOUSE_PATH", str(path))
        mp.setenv("WAREHOUSE_BUILD_PATH", str(folder / "build" / "e2e_warehouse.duckdb"))
        from orchestration.definitions import defs
        from orchestration.defs import partitions
        from orchestration.lib import police_uk

        instance = dg.DagsterInstance.ephemeral()
        tags, _ = partitions.run_tags(instance, police_uk.default_dirs())  # every month, as `make run`
        result = defs.resolve_job_def("materialize_all").execute_in_process(
            instance=instance, tags=tags, raise_on_error=False
        )
    return path, result


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory):
    """Materialise every asset once into a temporary warehouse; the e2e tests read it."""
    return materialise_all(tmp_path_factory.mktemp("e2e"))


def run_env(folder: Path) -> dict[str, str]:
    """The environment of a `make run` whose warehouse, build file and Dagster home are in `folder`."""
    home = folder / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    return {
        **os.environ,
        "WAREHOUSE_PATH": str(folder / "warehouse.duckdb"),
        "WAREHOUSE_BUILD_PATH": str(folder / "build" / "warehouse.duckdb"),
        "DAGSTER_HOME": str(home),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }


def start_run(env: dict[str, str]) -> subprocess.Popen:
    """`python -m orchestration.cli.run`, as `make run` starts it, in a process group of its own."""
    return subprocess.Popen(
        [sys.executable, "-m", "orchestration.cli.run"],
        cwd=paths.REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # so the kill reaches dbt's child process too
    )


@pytest.fixture(scope="session")
def killed_then_rebuilt(built_warehouse, tmp_path_factory):
    """Over a copy of the session's build: a run killed inside its dbt build, then a clean run while a reader queries
    the published file. What each step left is recorded for the tests (tests/test_operations.py); the clean run is
    also the second build from the same inputs that tests/test_determinism.py compares value by value."""
    from orchestration.lib import publish

    path, result = built_warehouse
    assert result.success
    folder = tmp_path_factory.mktemp("killed")
    published = folder / "warehouse.duckdb"
    shutil.copyfile(path, published)
    record = published.with_name("warehouse.duckdb.json")
    seen = SimpleNamespace(published=published, good_hash=publish.content_hash(path)[0], record_before="")
    env = run_env(folder)

    # Kill a run once it is writing (the build file exists and dbt has started).
    run = start_run(env)
    build = Path(env["WAREHOUSE_BUILD_PATH"])
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (build.exists() and build.stat().st_size > 0):
        time.sleep(0.5)
    time.sleep(8)  # well inside the dbt build
    seen.killed_while_running = run.poll() is None
    os.killpg(run.pid, signal.SIGKILL)
    run.wait(timeout=30)
    seen.hash_after_kill = publish.content_hash(published)[0]
    seen.record_after_kill = record.read_text() if record.exists() else ""

    # The next run, with a reader querying the published file throughout.
    import duckdb

    seen.reader_errors, seen.reader_answers, stop = [], set(), threading.Event()

    def reader():
        while not stop.is_set():
            try:
                with duckdb.connect(str(published), read_only=True) as con:
                    seen.reader_answers.add(
                        con.execute("select count(*) from marts.fct_published_figures").fetchone()[0]
                    )
            except Exception as exc:  # any lock or read error is a failure of the design
                seen.reader_errors.append(repr(exc))
            time.sleep(0.05)

    thread = threading.Thread(target=reader)
    thread.start()
    run = start_run(env)
    seen.output, _ = run.communicate(timeout=600)
    stop.set()
    thread.join()
    seen.returncode = run.returncode
    return seen
