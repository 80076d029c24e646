"""What `make run` prints (a line per step, failures in full) and where the rest goes, and the event-log
connections it keeps open: the run history it writes is Dagster's own, readable by any instance."""

from __future__ import annotations

import csv
import io
import logging
import shutil
import sys

import dagster as dg
import pytest

from orchestration.lib import paths, run_log
from tests.conftest import to_csv


def _records(events: list[dg.DagsterEvent]) -> list[logging.LogRecord]:
    """Log records as Dagster's log manager hands them to a logger: the event under ``dagster_meta``."""
    records = []
    for event in events:
        record = logging.LogRecord("dagster", logging.DEBUG, __file__, 0, event.message or "", None, None)
        record.dagster_meta = {"dagster_event": event, "step_key": event.step_key, "orig_message": event.message}
        records.append(record)
    return records


def _failed_roads_run(tmp_path, monkeypatch) -> dg.ExecuteInProcessResult:
    data = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, data)
    with (data / "roads_figures.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[3]["printed_value"] = "abc"  # data row 4
    (data / "roads_figures.csv").write_bytes(to_csv(rows))
    monkeypatch.setenv("WAREHOUSE_BUILD_PATH", str(tmp_path / "build" / "warehouse.duckdb"))
    from orchestration.defs.assets.raw import build_raw_asset
    from orchestration.defs.resources import WarehouseResource

    return dg.materialize(
        [build_raw_asset(data)],
        resources={"warehouse": WarehouseResource()},
        raise_on_error=False,
    )


def test_a_failed_step_prints_the_violations_by_file_row_and_column(tmp_path, monkeypatch):
    result = _failed_roads_run(tmp_path, monkeypatch)
    assert not result.success
    out = io.StringIO()
    handler = run_log.ProgressHandler(out)
    for record in _records(list(result.all_events)):
        handler.handle(record)
    printed = out.getvalue()
    assert "FAILED  raw__extracted_figures" in printed
    assert "the extracted figures break the data contract" in printed
    assert "roads_figures.csv, row 4, column 'printed_value': 'abc' is not a plain decimal number" in printed


def test_the_run_file_logger_writes_the_failure_details(tmp_path, monkeypatch):
    result = _failed_roads_run(tmp_path, monkeypatch)
    path = tmp_path / "run.log"
    logger = run_log.run_file_logger.logger_fn(dg.build_init_logger_context(logger_config={"path": str(path)}))
    for record in _records(list(result.all_events)):
        logger.handle(record)
    text = path.read_text()
    assert "violations:" in text and "row 4, column 'printed_value'" in text


@pytest.mark.e2e
def test_a_successful_run_prints_one_line_per_step(built_warehouse):
    _, result = built_warehouse
    out = io.StringIO()
    handler = run_log.ProgressHandler(out)
    for record in _records(list(result.all_events)):
        handler.handle(record)
    lines = out.getvalue().splitlines()
    steps = {e.step_key for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_SUCCESS}
    assert len(lines) == len(steps) and all(line.split()[0] == "ok" for line in lines), lines
    dbt = next(line for line in lines if "warehouse_dbt_assets" in line)
    assert "models and seeds built" in dbt and "tests:" in dbt and "passed" in dbt
    assert any("rows" in line and "raw__extracted_figures" in line for line in lines)


def test_a_partitioned_step_counts_its_table_once_and_says_how_many_partitions():
    months = dg.StaticPartitionsDefinition(["2018-01", "2018-02", "2018-03"])

    @dg.asset(partitions_def=months, backfill_policy=dg.BackfillPolicy.single_run())
    def street() -> dg.MaterializeResult:
        return dg.MaterializeResult(metadata={"dagster/row_count": 40})  # the table's rows, every month in it

    job = dg.Definitions(assets=[street], jobs=[dg.define_asset_job("j", selection="*")]).resolve_job_def("j")
    result = job.execute_in_process(
        tags={"dagster/asset_partition_range_start": "2018-01", "dagster/asset_partition_range_end": "2018-03"}
    )
    assert len(result.get_asset_materialization_events()) == 3
    out = io.StringIO()
    handler = run_log.ProgressHandler(out)
    for record in _records(list(result.all_events)):
        handler.handle(record)
    (line,) = out.getvalue().splitlines()
    assert line.split()[:2] == ["ok", "street"] and line.endswith("40 rows, 3 partition(s) in this run"), line


def test_run_logs_are_linked_and_pruned(tmp_path, monkeypatch):
    monkeypatch.setattr(run_log, "LOG_DIR", tmp_path)
    monkeypatch.setattr(run_log, "LAST_RUN_LOG", tmp_path / "last-run.log")
    monkeypatch.setattr(run_log, "KEEP_RUN_LOGS", 3)
    for i in range(5):
        path = run_log.start_run_log(f"run{i}")
    assert (tmp_path / "last-run.log").resolve() == path.resolve()
    assert sorted(p.name for p in tmp_path.glob("run-*.log")) == ["run-run2.log", "run-run3.log", "run-run4.log"]


def test_printed_output_goes_to_the_file_and_has_no_descriptor(tmp_path):
    path = tmp_path / "out.log"
    with run_log.printed_output_to(path):
        print("to the file")
        with pytest.raises(io.UnsupportedOperation):
            sys.stdout.fileno()  # so Dagster's compute-log capture leaves it alone
    assert path.read_text() == "to the file\n"
