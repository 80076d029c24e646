"""Shared fixtures. Tests never touch the real warehouse: each gets its own DuckDB file."""

from __future__ import annotations

import shutil
from pathlib import Path

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
