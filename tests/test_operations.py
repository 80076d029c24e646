"""Operating safely: malformed inputs are rejected precisely, a killed run or a bad file never reaches the
published warehouse, readers never meet a lock, and the same inputs give the same marts."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date, timedelta

import dagster as dg
import pytest

from orchestration.defs import automation
from orchestration.lib import export, paths, publish
from orchestration.lib.contract import COLUMN_NAMES, ContractError
from orchestration.lib.raw_loader import connect, load_figures
from tests.conftest import run_env

GOOD = (paths.DATA_DIR / "volunteering_figures.csv").read_bytes()


def _rows() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(GOOD.decode("utf-8"))))


def _write(rows: list[dict[str, str]], header=COLUMN_NAMES) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=header, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def _edit(row: int, **cells) -> bytes:
    rows = _rows()
    rows[row - 1] = {**rows[row - 1], **cells}
    return _write(rows)


def _header(transform) -> bytes:
    header = transform(list(COLUMN_NAMES))
    rows = [{new: r.get(old, "x") for old, new in zip(COLUMN_NAMES, header, strict=False)} for r in _rows()]
    return _write(rows, header=header)


def _duplicate_first_row(new_id: bool) -> bytes:
    rows = _rows()
    copy = dict(rows[0])
    if new_id:
        copy["figure_id"] = copy["figure_id"][:-2] + "99"
    return _write([*rows, copy])


# (case, bytes, expected row, expected column, expected words). Row 0 is the header or the file.
MALFORMED = [
    ("missing column", _header(lambda h: [c for c in h if c != "unit"]), 0, "(header)", "missing unit"),
    ("extra column", _header(lambda h: [*h, "comment"]), 0, "(header)", "unexpected comment"),
    ("renamed column", _header(lambda h: [("units" if c == "unit" else c) for c in h]), 0, "(header)", "missing unit"),
    ("columns out of order", _header(lambda h: [h[1], h[0], *h[2:]]), 0, "(header)", "out of order"),
    ("text in a number", _edit(3, printed_value="abc"), 3, "printed_value", "not a plain decimal"),
    ("thousands separator", _edit(3, printed_value="1,234"), 3, "printed_value", "not a plain decimal"),
    ("impossible date", _edit(2, period_end="2023-02-30"), 2, "period_end", "day is out of range"),
    ("date not ISO", _edit(2, period_start="30/06/2023"), 2, "period_start", "not an ISO date"),
    ("period ends before it starts", _edit(4, period_start="2030-01-01"), 4, "period_start", "is after"),
    ("half a period", _edit(4, period_end=""), 4, "period_end", "both be set"),
    ("unknown metric", _edit(5, metric_code="specials_headcont"), 5, "metric_code", "not in the metric catalogue"),
    ("unknown geography", _edit(5, geography_code="atlantis"), 5, "geography_code", "not in seeds/geographies.csv"),
    (
        "unregistered document",
        _edit(6, source_document="009_0123456789abcdef.txt"),
        6,
        "source_document",
        "not in seeds/source_documents.csv",
    ),
    (
        "path outside the sources",
        _edit(6, source_document="../../etc/passwd"),
        6,
        "source_document",
        "not a file name in the sources folder",
    ),
    ("duplicate figure_id", _duplicate_first_row(new_id=False), len(_rows()) + 1, "figure_id", "duplicates row 1"),
    ("duplicate figure", _duplicate_first_row(new_id=True), len(_rows()) + 1, "(row)", "repeats row 1"),
    ("negative count", _edit(7, printed_value="-3"), 7, "printed_value", "negative"),
    (
        "percentage over 100",
        _edit(7, unit="percent", metric_code="rj_positive_impact_share", printed_value="428"),
        7,
        "printed_value",
        "outside 0-100",
    ),
    ("empty file", b"", 0, "(file)", "is empty"),
    ("header only", ",".join(COLUMN_NAMES).encode() + b"\n", 0, "(file)", "no rows"),
    # The row is where the file breaks: the data row cut short, and the appended row with a Latin-1 byte.
    ("truncated file", GOOD[: len(GOOD) // 2], GOOD[: len(GOOD) // 2].count(b"\n"), "(file)", "truncated"),
    ("wrong encoding", GOOD + "café\n".encode("latin-1"), len(_rows()) + 1, "(file)", "not valid UTF-8"),
    ("byte-order mark", b"\xef\xbb\xbf" + GOOD, 0, "(file)", "byte-order mark"),
    ("formula in a snippet", _edit(8, source_snippet='=HYPERLINK("http://x")'), 8, "source_snippet", "formula"),
    ("formula in a label", _edit(8, period_label="@SUM(A1)"), 8, "period_label", "formula"),
    ("unknown measure", _edit(9, measure="level"), 9, "measure", "is not one of"),
    ("unit differs from the catalogue", _edit(9, unit="days"), 9, "unit", "differs from the catalogue unit"),
    ("correction without a reason", _edit(10, corrected_value="1"), 10, "correction_note", "required"),
    ("figure_id elsewhere", _edit(10, figure_id="pcp-update-2018-12:9999:01"), 10, "figure_id", "does not match"),
    ("stray white space", _edit(11, geography_code="essex "), 11, "geography_code", "white space"),
    ("snippet too long", _edit(11, source_snippet=" ".join(["word"] * 25)), 11, "source_snippet", "25 words"),
    (
        "unquoted comma",
        GOOD.replace(b"\n", b",extra\n", 2).replace(b",extra\n", b"\n", 1),
        1,
        "(row)",
        "cells, expected",
    ),
    (
        "unbalanced quote",
        GOOD[: GOOD.index(b"\n") + 1] + b'"pcp-update-2018-12:34:01,oops\n' + GOOD[GOOD.index(b"\n") + 1 :],
        1,
        "(row)",
        "cannot be parsed",
    ),
]


def test_corpus_is_at_least_25_distinct_faults():
    assert len(MALFORMED) >= 25
    assert len({case for case, *_ in MALFORMED}) == len(MALFORMED)
    assert all(data != GOOD for _, data, *_ in MALFORMED)


@pytest.mark.parametrize(("case", "data", "row", "column", "words"), MALFORMED, ids=[c[0] for c in MALFORMED])
def test_malformed_csv_is_rejected_precisely_and_keeps_the_last_good_table(
    data_copy, tmp_path, reference, case, data, row, column, words
):
    csv_path = data_copy / "volunteering_figures.csv"
    files = paths.extracted_csvs(data_copy)
    with connect(tmp_path / "build.duckdb") as con:
        load_figures(con, files, reference, relative_to=data_copy)
        before = con.execute("select * exclude (_loaded_at) from raw.extracted_figures order by figure_id").fetchall()
        csv_path.write_bytes(data)
        with pytest.raises(ContractError) as err:
            load_figures(con, files, reference, relative_to=data_copy)
        after = con.execute("select * exclude (_loaded_at) from raw.extracted_figures order by figure_id").fetchall()
    found = [v for v in err.value.violations if v.column == column and words in v.message]
    assert found, f"{case}: {[str(v) for v in err.value.violations][:5]}"
    assert found[0].row == row and found[0].file == "volunteering_figures.csv"
    assert str(found[0]).startswith("volunteering_figures.csv")  # the message names the file
    assert {v.file for v in err.value.violations} == {"volunteering_figures.csv"}, "good files raise nothing"
    assert before == after, "a rejected file must leave the last good table untouched"


def test_sensor_fires_on_changed_content_only(tmp_path):
    from orchestration.definitions import extracted_csv_sensor

    shutil.copytree(paths.DATA_DIR, tmp_path / "data")
    from orchestration.defs import partitions

    sensor, _ = automation.build_automation(dg.define_asset_job("j"), data_dir=tmp_path / "data")
    instance = dg.DagsterInstance.ephemeral()

    def tick(cursor):
        return sensor(dg.build_sensor_context(cursor=cursor, instance=instance))

    first = tick(None)
    (first_run,) = first.run_requests
    assert "volunteering_figures.csv" in first_run.tags["changed_files"]
    # The first tick registers the archive's months and runs over all of them.
    months = [f"2018-0{m}" for m in range(1, 8)]
    assert first.dynamic_partitions_requests[0].partition_keys == months
    assert (
        first_run.tags[partitions.RANGE_START_TAG] == "2018-01"
        and first_run.tags[partitions.RANGE_END_TAG] == "2018-07"
    )
    instance.add_dynamic_partitions(partitions.POLICE_UK_MONTHS.name, months)  # as the daemon does
    cursor = json.dumps(automation.csv_fingerprints(tmp_path / "data"), sort_keys=True)
    assert isinstance(tick(cursor), dg.SkipReason)  # unchanged: no run
    (tmp_path / "data" / "volunteering_figures.csv").touch()  # a new mtime, same content: still no run
    assert isinstance(tick(cursor), dg.SkipReason)
    with (tmp_path / "data" / "roads_figures.csv").open("a") as f:
        f.write("\n")
    changed = tick(cursor)
    (changed_run,) = changed.run_requests
    assert changed_run.tags["changed_files"] == "roads_figures.csv" and not changed.dynamic_partitions_requests
    assert changed_run.tags[partitions.RANGE_START_TAG] == "2018-01", "a figures change reruns every month"
    assert changed_run.run_key != first_run.run_key
    assert extracted_csv_sensor.job_name == "materialize_all"


def _cron_ticks(cron: str, start: date, count: int) -> list[str]:
    """The first ``count`` ticks on or after ``start`` of a cron string of plain numbers and lists (the one form this
    project's schedule uses); Dagster's own tick iterator is private API."""
    minute, hour, day, month, weekday = cron.split()
    assert weekday == "*" and all(part.replace(",", "").isdigit() for part in (minute, hour, day, month)), cron
    days, months = {int(d) for d in day.split(",")}, {int(m) for m in month.split(",")}
    ticks, current = [], start
    while len(ticks) < count:
        if current.day in days and current.month in months:
            ticks.append(f"{current.isoformat()} {int(hour):02d}:{int(minute):02d}")
        current += timedelta(days=1)
    return ticks


def test_schedule_runs_after_each_financial_quarter():
    from orchestration.definitions import after_financial_quarter

    assert after_financial_quarter.execution_timezone == "Europe/London"
    assert _cron_ticks(after_financial_quarter.cron_schedule, date(2026, 11, 21), 4) == [
        "2027-01-01 06:00",
        "2027-04-01 06:00",
        "2027-07-01 06:00",
        "2027-10-01 06:00",
    ]
    from orchestration.defs import partitions

    with dg.instance_for_test() as instance:
        request = after_financial_quarter(dg.build_schedule_context(instance=instance))
    # Every month of the archives: the Essex months in data/ and the national months beside the project.
    assert request.tags == partitions.range_tags("2018-01", "2019-01"), "every police.uk month of the archives"


def test_export_neutralises_formula_like_cells(built_warehouse, tmp_path):
    path, _ = built_warehouse
    assert (
        export.neutralise("=1+1") == "'=1+1" and export.neutralise("@x") == "'@x" and export.neutralise(-0.73) == -0.73
    )
    counts = export.export(path, tmp_path)
    assert counts and all(n > 0 for n in counts.values())
    for file in tmp_path.glob("*.csv"):
        with file.open(encoding="utf-8", newline="") as f:
            for row in csv.reader(f):
                for cell in row:
                    assert not cell.startswith(("=", "@", "\t", "\r")), (file.name, cell)


# --- Whole runs: a bad file, a killed run, a reader during a run, two identical runs -----------------------


@pytest.fixture(scope="module")
def published_copy(built_warehouse, tmp_path_factory):
    """A folder whose published warehouse is the session's good build."""
    path, result = built_warehouse
    assert result.success
    folder = tmp_path_factory.mktemp("ops")
    shutil.copyfile(path, folder / "warehouse.duckdb")
    return folder, publish.content_hash(path)[0]


@pytest.mark.e2e
def test_bad_csv_fails_the_run_and_the_published_warehouse_stays(published_copy, monkeypatch, tmp_path):
    folder, good_hash = published_copy
    data = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, data)
    (data / "roads_figures.csv").write_bytes(
        (data / "roads_figures.csv").read_bytes().replace(b",essex,", b",atlantis,", 1)
    )
    monkeypatch.setattr(paths, "DATA_DIR", data)
    for name, value in run_env(folder).items():
        monkeypatch.setenv(name, value)
    from orchestration.defs.assets.raw import build_raw_asset
    from orchestration.defs.resources import WarehouseResource

    result = dg.materialize(
        [build_raw_asset(data)],
        resources={"warehouse": WarehouseResource()},
        raise_on_error=False,
    )
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_FAILURE)
    violations = failure.step_failure_data.user_failure_data.metadata["violations"].value
    assert "roads_figures.csv, row" in violations and "geography_code" in violations and "atlantis" in violations
    assert publish.content_hash(folder / "warehouse.duckdb")[0] == good_hash


@pytest.mark.e2e
def test_killed_run_then_clean_run_with_a_reader_and_identical_hashes(killed_then_rebuilt):
    seen = killed_then_rebuilt
    # 1. A run killed inside its dbt build leaves the published warehouse and its record as they were.
    assert seen.killed_while_running, "the run finished before it could be killed"
    assert seen.hash_after_kill == seen.good_hash, "a killed run must not touch the published warehouse"
    assert seen.record_after_kill == seen.record_before
    # 2. The next run recovers and publishes, while a reader queries the published file throughout.
    assert seen.returncode == 0, seen.output[-3000:]
    assert "published:" in seen.output
    assert len(seen.output.splitlines()) <= 60, "a successful run prints a line per step and the summary, no more"
    assert "full log: logs/run-" in seen.output
    assert seen.reader_errors == [], seen.reader_errors[:3]
    assert len(seen.reader_answers) == 1, f"readers saw {seen.reader_answers}: a half-built warehouse"
    # 3. Two runs on the same inputs: identical mart contents (tests/test_determinism.py compares every value).
    assert publish.content_hash(seen.published)[0] == seen.good_hash
    assert json.loads(seen.published.with_name("warehouse.duckdb.json").read_text())["content_hash"] == seen.good_hash
