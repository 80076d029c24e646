"""police.uk street-level crime: the loader's faults and increments (pure, on a temporary DuckDB), and the marts
built from the real Essex files (end to end)."""

from __future__ import annotations

import csv
import gzip
import io
import os
import shutil
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from orchestration.lib import paths, police_uk
from orchestration.lib.contract import ContractError

ESSEX = paths.DATA_DIR / "police_uk"


def _real_rows(month: str) -> list[list[str]]:
    """The published rows of a real Essex month (header first)."""
    with gzip.open(ESSEX / month / f"{month}-essex-street.csv.gz", "rt", encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _write(folder: Path, month: str, rows: list[list[str]], force: str = "essex") -> Path:
    out = folder / month / f"{month}-{force}-street.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    out.write_text(buf.getvalue(), encoding="utf-8")
    return out


@pytest.fixture
def small_archive(tmp_path) -> Path:
    """The first 40 real rows of Essex January and February 2018, in the archive layout."""
    folder = tmp_path / "archive"
    for month in ("2018-01", "2018-02"):
        _write(folder, month, _real_rows(month)[:41])
    return folder


def _load(db: Path, folder: Path) -> police_uk.PoliceUkLoad:
    with duckdb.connect(str(db)) as con:
        return police_uk.load(con, folder)


def _state(db: Path) -> tuple:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            f"select count(*), sum(hash(t)) from {police_uk.STREET_TABLE} t"  # noqa: S608
        ).fetchone(), con.execute(f"select * from {police_uk.LOADS_TABLE} order by all").fetchall()  # noqa: S608


def test_loads_by_header_and_keeps_anti_social_behaviour_and_rows_without_location(small_archive, tmp_path):
    db = tmp_path / "w.duckdb"
    result = _load(db, small_archive)
    assert (result.files_loaded, result.rows_loaded) == (2, 80)
    assert result.rows_by_month == {"2018-01": 40, "2018-02": 40}
    with duckdb.connect(str(db), read_only=True) as con:
        # Row 3 of the real January file is anti-social behaviour, published without a Crime ID.
        row = con.execute(
            f"select crime_id, crime_type, _row_number from {police_uk.STREET_TABLE} "  # noqa: S608
            "where _source_file = '2018-01/2018-01-essex-street.csv' and _row_number = 3"
        ).fetchone()
    assert row == (None, "Anti-social behaviour", 3)


@pytest.mark.parametrize(
    ("header_edit", "expected"),
    [
        (lambda h: [c for c in h if c != "LSOA name"], "column 'LSOA name': column missing from the header row"),
        (lambda h: [("crime_type" if c == "Crime type" else c) for c in h], "found 'crime_type' in its place"),
        (lambda h: [*h, "Outcome type"], "column 'Outcome type': unknown column in the header row"),
    ],
    ids=["missing", "renamed", "unknown"],
)
def test_a_bad_header_fails_naming_file_and_column_and_writes_nothing(small_archive, tmp_path, header_edit, expected):
    db = tmp_path / "w.duckdb"
    _load(db, small_archive)
    before = _state(db)
    rows = _real_rows("2018-03")[:11]
    header = header_edit(rows[0])
    body = [r[: len(header)] + [""] * (len(header) - len(r)) for r in rows[1:]]
    _write(small_archive, "2018-03", [header, *body])
    with pytest.raises(ContractError) as info:
        _load(db, small_archive)
    assert "2018-03/2018-03-essex-street.csv" in str(info.value) and expected in str(info.value)
    assert _state(db) == before, "a failed load must leave the tables as they were"


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        (1, "2018-04", "row 7, column 'Month': month 2018-04 in a file of 2018-03"),
        (9, "Cyber crime", "row 7, column 'Crime type': unknown crime type Cyber crime"),
        (4, "east", "row 7, column 'Longitude': not a number: east"),
    ],
    ids=["month", "crime-type", "longitude"],
)
def test_a_bad_row_fails_naming_file_row_and_column_and_writes_nothing(
    small_archive, tmp_path, column, value, expected
):
    db = tmp_path / "w.duckdb"
    _load(db, small_archive)
    before = _state(db)
    rows = _real_rows("2018-03")[:21]
    rows[7][column] = value  # data row 7
    _write(small_archive, "2018-03", rows)
    with pytest.raises(ContractError) as info:
        _load(db, small_archive)
    assert f"2018-03/2018-03-essex-street.csv, {expected}" in str(info.value)
    assert _state(db) == before


def test_a_malformed_row_fails_naming_the_file(small_archive, tmp_path):
    db = tmp_path / "w.duckdb"
    rows = _real_rows("2018-03")[:11]
    rows[4].append("an extra field")
    _write(small_archive, "2018-03", rows)
    with pytest.raises(ContractError) as info:
        _load(db, small_archive)
    assert "2018-03/2018-03-essex-street.csv" in str(info.value) and "Line" in str(info.value)


def test_adding_a_month_loads_that_month_only_and_a_changed_file_replaces_its_rows(small_archive, tmp_path):
    db = tmp_path / "w.duckdb"
    _load(db, small_archive)
    _write(small_archive, "2018-03", _real_rows("2018-03")[:31])
    added = _load(db, small_archive)
    assert (added.files_loaded, added.files_unchanged, added.rows_by_month) == (1, 2, {"2018-03": 30})
    assert added.total_rows == 110
    nothing = _load(db, small_archive)
    assert (nothing.files_loaded, nothing.rows_loaded, nothing.total_rows) == (0, 0, 110)
    _write(small_archive, "2018-02", _real_rows("2018-02")[:11])  # republished, shorter
    changed = _load(db, small_archive)
    assert (changed.files_loaded, changed.rows_by_month, changed.total_rows) == (1, {"2018-02": 10}, 80)


def test_a_load_for_some_months_leaves_the_others_waiting_and_reload_reads_a_month_again(small_archive, tmp_path):
    db = tmp_path / "w.duckdb"
    _load(db, small_archive)
    _write(small_archive, "2018-03", _real_rows("2018-03")[:31])  # a new month
    _write(small_archive, "2018-02", _real_rows("2018-02")[:11])  # and a republished one
    with duckdb.connect(str(db)) as con:
        march = police_uk.load(con, small_archive, months=["2018-03"])
        assert (march.files_loaded, march.files_waiting, march.rows_by_month) == (1, 1, {"2018-03": 30})
        assert march.total_rows == 110, "February's republished file waits for a load of February"
        february = police_uk.load(con, small_archive, months=["2018-02"])
        assert (february.files_loaded, february.files_waiting, february.total_rows) == (1, 0, 80)
        stamp = f"select max(_loaded_at) from {police_uk.STREET_TABLE} where _month = '2018-01-01'"  # noqa: S608
        before = con.execute(stamp).fetchone()[0]
        same = police_uk.load(con, small_archive, months=["2018-01"])
        assert (same.files_loaded, same.total_rows) == (0, 80)
        again = police_uk.load(con, small_archive, months=["2018-01"], reload=True)
        assert (again.files_loaded, again.rows_by_month, again.total_rows) == (1, {"2018-01": 40}, 80)
        assert con.execute(stamp).fetchone()[0] > before


def test_a_file_gone_from_the_archive_loses_its_rows_in_any_load_and_the_state_is_still_carried(
    small_archive, tmp_path
):
    db = tmp_path / "w.duckdb"
    _load(db, small_archive)
    with duckdb.connect(str(db)) as con:
        con.execute("create schema intermediate; create table intermediate.int_street_crime_file_counts (x integer)")
    shutil.rmtree(small_archive / "2018-02")
    with duckdb.connect(str(db)) as con:
        result = police_uk.load(con, small_archive, months=["2018-01"])  # a load for another month
        assert (result.files_removed, result.files_loaded, result.total_rows) == (1, 0, 40)
        assert con.execute(f"select count(*) from {police_uk.LOADS_TABLE}").fetchone()[0] == 1  # noqa: S608
    keep, _ = police_uk.carried_tables(db)
    assert keep == list(police_uk.CARRIED_TABLES), "a removal needs no full reload"


def test_each_files_rows_are_numbered_in_file_order_when_a_month_has_several_files(tmp_path):
    """One scan reads a month's files together; every row's number must still be its place in its own file
    (three forces, one of them gzip, of different lengths)."""
    folder = tmp_path / "archive"
    rows = _real_rows("2018-05")
    header, body = rows[0], rows[1:]
    parts = {"essex": body[:700], "kent": body[700:705], "suffolk": body[705:2300]}
    for force, part in parts.items():
        _write(folder, "2018-05", [header, *part], force=force)
    plain = folder / "2018-05" / "2018-05-suffolk-street.csv"
    with gzip.open(plain.with_name(plain.name + ".gz"), "wb") as fh:
        fh.write(plain.read_bytes())
    plain.unlink()
    db = tmp_path / "w.duckdb"
    assert _load(db, folder).rows_loaded == 2300
    with duckdb.connect(str(db), read_only=True) as con:
        for force, part in parts.items():
            name = f"2018-05/2018-05-{force}-street.csv" + (".gz" if force == "suffolk" else "")
            loaded = con.execute(
                f"select _row_number, crime_id, lsoa_code, crime_type, location from {police_uk.STREET_TABLE} "  # noqa: S608
                "where _source_file = ? order by _row_number",
                [name],
            ).fetchall()
            expected = [(i, r[0] or None, r[7] or None, r[9], r[6] or None) for i, r in enumerate(part, start=1)]
            assert loaded == expected, name


def test_month_partitions_follow_the_archive(small_archive):
    import dagster as dg

    from orchestration.defs import partitions

    assert partitions.month_changes(["2018-02", "2018-01"], ["2018-01", "2018-03"]) == (
        ["2018-03"],
        ["2018-02"],
        ["2018-01", "2018-03"],
    )
    instance = dg.DagsterInstance.ephemeral()
    assert partitions.sync_months(instance, small_archive) == ["2018-01", "2018-02"]
    _write(small_archive, "2018-03", _real_rows("2018-03")[:3])
    shutil.rmtree(small_archive / "2018-01")
    assert partitions.sync_months(instance, small_archive) == ["2018-02", "2018-03"]
    tags, line = partitions.run_tags(instance, small_archive)
    assert tags == {partitions.RANGE_START_TAG: "2018-02", partitions.RANGE_END_TAG: "2018-03"}
    assert line == "police.uk months: 2018-02 to 2018-03, 2 months"
    assert partitions.run_tags(instance, small_archive, "2018-03")[0] == partitions.range_tags("2018-03", "2018-03")
    with pytest.raises(SystemExit, match="2018-01 is not in"):
        partitions.run_tags(instance, small_archive, "2018-01")


# ---- end to end: the real Essex months in the session's warehouse ----------------------------------------------


def _file_counts() -> Counter:
    counts: Counter = Counter()
    for path in sorted(ESSEX.glob("*/*-street.csv.gz")):
        with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                counts[(row["Month"], row["Crime type"])] += 1
    return counts


@pytest.mark.e2e
def test_counts_per_month_and_crime_type_equal_the_files(built_warehouse):
    path, _ = built_warehouse
    with duckdb.connect(str(path), read_only=True) as con:
        built = con.execute(
            "select strftime(month_start, '%Y-%m'), crime_type, sum(incidents)::bigint "
            "from marts.street_crime_monthly where force_name = 'Essex Police' group by all having sum(incidents) > 0"
        ).fetchall()
        rows = con.execute("select count(*) from marts.fct_street_crime").fetchone()[0]
    expected = _file_counts()
    assert rows == sum(expected.values()) == 115065
    assert {(m, t): n for m, t, n in built} == dict(expected)


@pytest.mark.e2e
def test_reconciliation_checks_burglary_and_robbery_and_refuses_knife_and_hate_crime(built_warehouse):
    path, _ = built_warehouse
    counts = _file_counts()
    may_to_july = ("2018-05", "2018-06", "2018-07")
    with duckdb.connect(str(path), read_only=True) as con:
        rows = {
            r[0]: r[1:]
            for r in con.execute(
                "select figure_id, report_value, police_uk_value, difference, status, caveat "
                "from marts.report_vs_police_uk where document_key = 'cps-update-2019-09'"
            ).fetchall()
        }
    burglary = sum(counts[(m, "Burglary")] for m in may_to_july)
    robbery = sum(counts[(m, "Robbery")] for m in may_to_july)
    assert rows["cps-update-2019-09:233:01"][:4] == (1948, burglary, burglary - 1948, "checked")
    assert rows["cps-update-2019-09:237:01"][:4] == (371, robbery, robbery - 371, "checked")
    assert (
        "non-residential" in rows["cps-update-2019-09:233:01"][4] or "business" in rows["cps-update-2019-09:233:01"][4]
    )
    for knife_or_hate in ("cps-update-2019-09:106:01", "cps-update-2019-09:192:01"):
        assert rows[knife_or_hate][1:4] == (None, None, "not checkable")
    # May-July 2019 is beyond the loaded months (January-July 2018).
    assert rows["cps-update-2019-09:234:01"][3] == "period not covered"


# ---- Dagster: the job's runs over an archive that grows ---------------------------------------------------------


def _run_job(folder: Path, warehouse: Path, monkeypatch, month: str | None = None):
    """The job as `make run` runs it: every month of the archive, or (``month``) that month's partition alone."""
    import dagster as dg

    monkeypatch.setenv("POLICE_UK_DIR", str(folder))
    monkeypatch.setenv("WAREHOUSE_PATH", str(warehouse))
    monkeypatch.setenv("WAREHOUSE_BUILD_PATH", str(warehouse.parent / "build" / warehouse.name))
    from orchestration.definitions import defs
    from orchestration.defs import partitions

    instance = dg.DagsterInstance.ephemeral()
    tags, _ = partitions.run_tags(instance, folder, month)
    return defs.resolve_job_def("materialize_all").execute_in_process(
        instance=instance, tags=tags, raise_on_error=False
    )


def _partitions(result, key: str) -> list[str]:
    return sorted(e.partition for e in result.get_asset_materialization_events() if e.asset_key.to_user_string() == key)


def _metadata(result, key: str) -> dict:
    event = next(e for e in result.get_asset_materialization_events() if e.asset_key.to_user_string() == key)
    return {k: v.value for k, v in event.event_specific_data.materialization.metadata.items()}


@pytest.mark.e2e
def test_adding_a_month_loads_it_alone_and_the_fact_table_grows_without_a_rebuild(tmp_path, monkeypatch):
    """Two real months, published; then a third. The second run loads only the new file, and the incremental counts
    keep their earlier rows as they were (a marker written into the published table survives), so they were not
    rebuilt; the monthly mart has the new month."""
    from orchestration.lib import publish

    folder, warehouse = tmp_path / "archive", tmp_path / "warehouse.duckdb"
    for month in ("2018-01", "2018-02"):
        (folder / month).mkdir(parents=True)
        shutil.copy(ESSEX / month / f"{month}-essex-street.csv.gz", folder / month)
    first = _run_job(folder, warehouse, monkeypatch)
    assert first.success
    assert _metadata(first, "raw/police_uk_street_crime")["rows_by_month_loaded"] == {
        "2018-01": 14786,
        "2018-02": 13752,
    }
    january = ("Essex Police", "Basildon", "Burglary", "2018-01-01")
    marked = (
        "update intermediate.int_street_crime_file_counts set incidents = 100000 "
        "where force_name = ? and district_name = ? and crime_type = ? and month_start = ?"
    )
    with duckdb.connect(str(warehouse)) as con:  # the marker: a count no build would produce
        con.execute(marked, list(january))

    assert _partitions(first, "raw/police_uk_street_crime") == ["2018-01", "2018-02"]

    # March arrives, and a republished February that a run for March alone must leave for February's run.
    (folder / "2018-03").mkdir()
    shutil.copy(ESSEX / "2018-03" / "2018-03-essex-street.csv.gz", folder / "2018-03")
    february = folder / "2018-02" / "2018-02-essex-street.csv.gz"
    os.utime(february, ns=(february.stat().st_atime_ns, february.stat().st_mtime_ns + 10**9))
    second = _run_job(folder, warehouse, monkeypatch, month="2018-03")
    assert second.success
    assert _partitions(second, "raw/police_uk_street_crime") == ["2018-03"]
    assert _metadata(second, "raw/police_uk_street_crime")["files_waiting"] == 1
    loaded = _metadata(second, "raw/police_uk_street_crime")
    assert (loaded["files_loaded"], loaded["files_unchanged"], loaded["rows_by_month_loaded"]) == (
        1,
        1,  # January; February waits
        {"2018-03": 16014},
    )
    assert set(_metadata(second, "warehouse_build")["carried"]) == set(police_uk.CARRIED_TABLES)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        months = con.execute(
            "select strftime(month_start, '%Y-%m'), count(*) from marts.fct_street_crime group by 1 order by 1"
        ).fetchall()
        monthly = dict(
            con.execute(
                "select strftime(month_start, '%Y-%m'), sum(incidents)::bigint from marts.street_crime_monthly "
                "where not (force_name = ? and district_name = ? and crime_type = ? and month_start = ?) group by 1",
                list(january),
            ).fetchall()
        )
        marker = con.execute(
            "select incidents from marts.street_crime_monthly "
            "where force_name = ? and district_name = ? and crime_type = ? and month_start = ?",
            list(january),
        ).fetchone()[0]
    assert months == [("2018-01", 14786), ("2018-02", 13752), ("2018-03", 16014)]
    assert marker == 100000, "January's counts were rebuilt: the incremental counts must only grow by the new month"
    assert monthly["2018-03"] == 16014, "the monthly mart must include the new month"

    # A bad new month: the run fails naming file, row and column, and the published warehouse stays as it was.
    good = publish.content_hash(warehouse)[0]
    rows = _real_rows("2018-04")[:21]
    rows[5][1] = "2018-05"
    _write(folder, "2018-04", rows)
    third = _run_job(folder, warehouse, monkeypatch)
    assert not third.success
    import dagster as dg

    failure = next(e for e in third.all_events if e.event_type == dg.DagsterEventType.STEP_FAILURE)
    violations = failure.step_failure_data.user_failure_data.metadata["violations"].value
    assert "2018-04/2018-04-essex-street.csv, row 5, column 'Month': month 2018-05 in a file of 2018-04" in violations
    assert publish.content_hash(warehouse)[0] == good

    # The bad month withdrawn and January gone from the archive: an ordinary run (carried, not rebuilt) drops
    # January's rows and counts, and reloads the republished February.
    shutil.rmtree(folder / "2018-04")
    shutil.rmtree(folder / "2018-01")
    fourth = _run_job(folder, warehouse, monkeypatch)
    assert fourth.success
    assert set(_metadata(fourth, "warehouse_build")["carried"]) == set(police_uk.CARRIED_TABLES)
    assert _metadata(fourth, "raw/police_uk_street_crime")["files_removed"] == 1
    assert _metadata(fourth, "raw/police_uk_street_crime")["rows_by_month_loaded"] == {"2018-02": 13752}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        left = [
            con.execute(f"select distinct strftime(month_start, '%Y-%m') from {table} order by 1").fetchall()  # noqa: S608
            for table in (
                "marts.fct_street_crime",
                "intermediate.int_street_crime_file_counts",
                "marts.street_crime_monthly",
            )
        ]
    assert left == [[("2018-02",), ("2018-03",)]] * 3


def test_the_sensor_fires_when_a_police_uk_month_is_added(tmp_path):
    import json

    import dagster as dg

    from orchestration.defs import automation

    shutil.copytree(paths.DATA_DIR, tmp_path / "data")
    from orchestration.defs import partitions

    sensor, _ = automation.build_automation(dg.define_asset_job("j"), data_dir=tmp_path / "data")
    instance = dg.DagsterInstance.ephemeral()
    partitions.sync_months(instance, tmp_path / "data" / "police_uk")
    cursor = json.dumps(automation.csv_fingerprints(tmp_path / "data"), sort_keys=True)
    assert isinstance(sensor(dg.build_sensor_context(cursor=cursor, instance=instance)), dg.SkipReason)
    _write(tmp_path / "data" / "police_uk", "2018-08", _real_rows("2018-07")[:1])  # a new (header-only) month
    fired = sensor(dg.build_sensor_context(cursor=cursor, instance=instance))
    assert isinstance(fired, dg.SensorResult)
    (request,) = fired.run_requests
    assert request.tags["changed_files"] == "police_uk/2018-08/2018-08-essex-street.csv"
    # The new month becomes a partition, and the run covers that month alone.
    assert [(r.partition_keys, type(r).__name__) for r in fired.dynamic_partitions_requests] == [
        (["2018-08"], "AddDynamicPartitionsRequest")
    ]
    assert {k: v for k, v in request.tags.items() if k != "changed_files"} == partitions.range_tags(
        "2018-08", "2018-08"
    )
