"""police.uk street-level crime: the lake's faults and landings (pure, on temporary folders), and the marts built
from the real Essex and national files (end to end)."""

from __future__ import annotations

import csv
import functools
import gzip
import io
import os
import shutil
from collections import Counter
from datetime import date, timedelta
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


def _land(lake: Path, folder: Path, **kwargs) -> police_uk.Landing:
    return police_uk.land([folder], lake, **kwargs)


def _state(lake: Path) -> dict[str, tuple[int, bytes]]:
    """Each lake file's inode and bytes: a landing that writes nothing leaves both as they were."""
    return {str(p.relative_to(lake)): (p.stat().st_ino, p.read_bytes()) for p in sorted(lake.rglob("*")) if p.is_file()}


def _lake_rows(lake: Path, columns: str, where: str = "true", params: list | None = None) -> list[tuple]:
    with duckdb.connect() as con:
        return con.execute(
            f"select {columns} from read_parquet(?, hive_partitioning = false) where {where} order by all",  # noqa: S608 - test SQL
            [str(lake / "month=*" / police_uk.LAKE_FILE), *(params or [])],
        ).fetchall()


def test_lands_by_header_and_keeps_anti_social_behaviour_and_rows_without_location(small_archive, tmp_path):
    lake = tmp_path / "lake"
    result = _land(lake, small_archive)
    assert (result.files_landed, result.rows_landed, result.lake_rows) == (2, 80, 80)
    assert result.months_landed == {"2018-01": 40, "2018-02": 40}
    assert sorted(p.name for p in lake.iterdir()) == ["month=2018-01", "month=2018-02"]
    # Row 3 of the real January file is anti-social behaviour, published without a Crime ID.
    row = _lake_rows(
        lake,
        "crime_id, crime_type, _row_number, _month",
        "_source_file = ? and _row_number = 3",
        ["2018-01/2018-01-essex-street.csv"],
    )
    assert row == [(None, "Anti-social behaviour", 3, date(2018, 1, 1))]


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
    lake = tmp_path / "lake"
    _land(lake, small_archive)
    before = _state(lake)
    rows = _real_rows("2018-03")[:11]
    header = header_edit(rows[0])
    body = [r[: len(header)] + [""] * (len(header) - len(r)) for r in rows[1:]]
    _write(small_archive, "2018-03", [header, *body])
    with pytest.raises(ContractError) as info:
        _land(lake, small_archive)
    assert "2018-03/2018-03-essex-street.csv" in str(info.value) and expected in str(info.value)
    assert _state(lake) == before, "a failed landing must leave the lake as it was"


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
    lake = tmp_path / "lake"
    _land(lake, small_archive)
    _write(small_archive, "2018-02", _real_rows("2018-02")[:11])  # a good change, landed with the bad month or never
    before = _state(lake)
    rows = _real_rows("2018-03")[:21]
    rows[7][column] = value  # data row 7
    _write(small_archive, "2018-03", rows)
    with pytest.raises(ContractError) as info:
        _land(lake, small_archive)
    assert f"2018-03/2018-03-essex-street.csv, {expected}" in str(info.value)
    assert _state(lake) == before


def test_a_malformed_row_fails_naming_the_file(small_archive, tmp_path):
    rows = _real_rows("2018-03")[:11]
    rows[4].append("an extra field")
    _write(small_archive, "2018-03", rows)
    with pytest.raises(ContractError) as info:
        _land(tmp_path / "lake", small_archive)
    assert "2018-03/2018-03-essex-street.csv" in str(info.value) and "Line" in str(info.value)
    assert not [p for p in (tmp_path / "lake").rglob("*") if p.is_file()]


def test_a_month_is_landed_again_only_when_its_files_change(small_archive, tmp_path):
    lake = tmp_path / "lake"
    _land(lake, small_archive)
    january = _state(lake)["month=2018-01/street.parquet"]
    _write(small_archive, "2018-03", _real_rows("2018-03")[:31])
    added = _land(lake, small_archive)
    assert (added.months_landed, added.months_unchanged, added.lake_rows) == (
        {"2018-03": 30},
        ["2018-01", "2018-02"],
        110,
    )
    # Touched but identical bytes: sha256 says unchanged, so nothing is written.
    path = small_archive / "2018-01" / "2018-01-essex-street.csv"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    nothing = _land(lake, small_archive)
    assert (nothing.months_landed, nothing.lake_rows) == ({}, 110)
    assert _state(lake)["month=2018-01/street.parquet"] == january
    _write(small_archive, "2018-02", _real_rows("2018-02")[:11])  # republished, shorter
    changed = _land(lake, small_archive)
    assert (changed.months_landed, changed.lake_rows) == ({"2018-02": 10}, 80)
    # A second force's file in a landed month lands the whole month again, both files.
    _write(small_archive, "2018-02", _real_rows("2018-02")[:6], force="kent")
    assert _land(lake, small_archive).months_landed == {"2018-02": 15}


def test_a_landing_for_some_months_reports_the_others_stale_and_reload_lands_a_month_again(small_archive, tmp_path):
    lake = tmp_path / "lake"
    _land(lake, small_archive)
    _write(small_archive, "2018-03", _real_rows("2018-03")[:31])  # a new month
    _write(small_archive, "2018-02", _real_rows("2018-02")[:11])  # and a republished one
    march = _land(lake, small_archive, months=["2018-03"])
    assert (march.months_landed, march.months_stale, march.lake_rows) == ({"2018-03": 30}, ["2018-02"], 110)
    february = _land(lake, small_archive, months=["2018-02"])
    assert (february.months_landed, february.months_stale, february.lake_rows) == ({"2018-02": 10}, [], 80)
    inode = (lake / "month=2018-01" / police_uk.LAKE_FILE).stat().st_ino
    assert _land(lake, small_archive, months=["2018-01"]).months_landed == {}
    again = _land(lake, small_archive, months=["2018-01"], reload=True)
    assert (again.months_landed, again.lake_rows) == ({"2018-01": 40}, 80)
    assert (lake / "month=2018-01" / police_uk.LAKE_FILE).stat().st_ino != inode, "replaced by a new file"


def test_a_month_gone_from_the_archive_leaves_the_lake_in_any_landing(small_archive, tmp_path):
    lake = tmp_path / "lake"
    _land(lake, small_archive)
    shutil.rmtree(small_archive / "2018-02")
    result = _land(lake, small_archive, months=["2018-01"])  # a landing for another month
    assert (result.months_removed, result.months_landed, result.lake_rows) == (["2018-02"], {}, 40)
    assert police_uk.lake_months(lake) == ["2018-01"]


def test_the_same_file_in_two_archives_is_refused(small_archive, tmp_path):
    other = tmp_path / "other"
    _write(other, "2018-01", _real_rows("2018-01")[:3])
    with pytest.raises(ContractError, match="in two archives"):
        police_uk.land([small_archive, other], tmp_path / "lake")
    _write(other, "2018-03", _real_rows("2018-03")[:3])
    (other / "2018-01" / "2018-01-essex-street.csv").unlink()
    pooled = police_uk.land([small_archive, other], tmp_path / "lake")
    assert pooled.months_landed == {"2018-01": 40, "2018-02": 40, "2018-03": 2}


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
    lake = tmp_path / "lake"
    assert _land(lake, folder).rows_landed == 2300
    for force, part in parts.items():
        name = f"2018-05/2018-05-{force}-street.csv" + (".gz" if force == "suffolk" else "")
        landed = _lake_rows(lake, "_row_number, crime_id, lsoa_code, crime_type, location", "_source_file = ?", [name])
        expected = [(i, r[0] or None, r[7] or None, r[9], r[6] or None) for i, r in enumerate(part, start=1)]
        assert landed == expected, name


def test_identical_archives_land_identical_bytes(small_archive, tmp_path):
    _land(tmp_path / "one", small_archive)
    _land(tmp_path / "two", small_archive)
    assert _state(tmp_path / "one").keys() == _state(tmp_path / "two").keys()
    assert [v[1] for v in _state(tmp_path / "one").values()] == [v[1] for v in _state(tmp_path / "two").values()]


def test_month_partitions_follow_the_archive(small_archive):
    import dagster as dg

    from orchestration.defs import partitions

    assert partitions.month_changes(["2018-02", "2018-01"], ["2018-01", "2018-03"]) == (
        ["2018-03"],
        ["2018-02"],
        ["2018-01", "2018-03"],
    )
    instance = dg.DagsterInstance.ephemeral()
    assert partitions.sync_months(instance, [small_archive]) == ["2018-01", "2018-02"]
    _write(small_archive, "2018-03", _real_rows("2018-03")[:3])
    shutil.rmtree(small_archive / "2018-01")
    assert partitions.sync_months(instance, [small_archive]) == ["2018-02", "2018-03"]
    tags, line = partitions.run_tags(instance, [small_archive])
    assert tags == {partitions.RANGE_START_TAG: "2018-02", partitions.RANGE_END_TAG: "2018-03"}
    assert line == "police.uk months: 2018-02 to 2018-03, 2 months"
    assert partitions.run_tags(instance, [small_archive], "2018-03")[0] == partitions.range_tags("2018-03", "2018-03")
    with pytest.raises(SystemExit, match="2018-01 is not in"):
        partitions.run_tags(instance, [small_archive], "2018-01")


# ---- end to end: the real Essex months in the session's warehouse ----------------------------------------------


def _file_counts(folders: list[Path]) -> Counter:
    """(force, month, crime type) -> rows, read with Python's csv module: an independent count of the files."""
    counts: Counter = Counter()
    for folder in folders:
        for path in sorted(folder.glob("*/*-street.csv*")):
            opener = gzip.open if path.suffix == ".gz" else open
            with opener(path, "rt", encoding="utf-8-sig", newline="") as fh:
                for row in csv.DictReader(fh):
                    counts[(row["Falls within"], row["Month"], row["Crime type"])] += 1
    return counts


@functools.cache
def _archive_counts() -> Counter:
    """The counts of every archive a run reads, the national months included (read once per session: 1.5 million
    rows through Python's csv module)."""
    folders = police_uk.default_dirs()
    assert paths.NATIONAL_POLICE_UK_DIR in folders, (
        f"the national police.uk months are missing ({paths.NATIONAL_POLICE_UK_DIR}): these tests need them"
    )
    return _file_counts(folders)


@pytest.mark.e2e
def test_counts_per_force_month_and_crime_type_equal_the_files(built_warehouse):
    path, _ = built_warehouse
    expected = _archive_counts()
    with duckdb.connect(str(path), read_only=True) as con:
        built = con.execute(
            "select force_name, calendar_month_label, crime_type, incidents from marts.force_crime_monthly "
            "where not is_all_crime"
        ).fetchall()
        totals = con.execute(
            "select force_name, calendar_month_label, incidents from marts.force_crime_monthly where is_all_crime"
        ).fetchall()
        essex_rows = con.execute("select count(*) from marts.fct_street_crime").fetchone()[0]
    assert police_uk.lake_rows(police_uk.lake_dir()) == sum(expected.values()) == 115065 + 1428301
    # The published warehouse keeps the home force's own rows; every force's are counted above.
    assert essex_rows == sum(n for (f, _, _), n in expected.items() if f == "Essex Police") == 115065 + 67856
    assert {(f, m, t): n for f, m, t, n in built if n} == dict(expected)
    # Every published force-month has all 14 categories, a zero where the force published none of one.
    published = {(f, m) for f, m, _ in expected}
    assert len(built) == 14 * len(published) and {(f, m) for f, m, _, _ in built} == published
    for force, month, total in totals:
        assert total == sum(n for (f, m, t), n in expected.items() if (f, m) == (force, month) and t != ASB)


ASB = "Anti-social behaviour"


def _seed(name: str) -> list[dict[str, str]]:
    with (paths.SEEDS_DIR / f"{name}.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.e2e
def test_rates_and_officers_are_computed_from_the_seeds(built_warehouse):
    path, _ = built_warehouse
    forces = {r["police_uk_force_name"]: r for r in _seed("police_forces")}
    population = {
        (r["force_name"], int(r["year"])): int(r["mid_year_population"]) for r in _seed("force_area_population")
    }
    officers = sorted((r["force_name"], r["as_at"], float(r["officer_fte"])) for r in _seed("force_officer_fte"))
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(
            "select force_name, month_start, incidents, population, rate_per_1000_people, officer_fte, "
            "officer_fte_as_at::varchar, incidents_per_officer from marts.force_crime_monthly"
        ).fetchall()
    with_rate = 0
    for force, month, incidents, pop, rate, fte, fte_as_at, per_officer in rows:
        seed = forces[force]
        expected_pop = population.get((seed["ons_force_name"], month.year))
        assert pop == expected_pop, (force, month)
        if expected_pop:
            with_rate += 1
            assert rate == pytest.approx(incidents * 1000 / expected_pop, rel=1e-12)
        else:
            assert rate is None
        month_end = (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        counts = [(a, v) for n, a, v in officers if n == seed["home_office_force_name"] and a <= month_end.isoformat()]
        assert (fte_as_at, fte) == (counts[-1] if counts else (None, None)), (force, month)
        assert per_officer == (pytest.approx(incidents / fte, rel=1e-12) if fte else None)
    assert with_rate > 0.8 * len(rows)


@pytest.mark.e2e
def test_essex_january_2019_is_compared_with_january_2018(built_warehouse):
    path, _ = built_warehouse
    counts = _archive_counts()
    with duckdb.connect(str(path), read_only=True) as con:
        january = con.execute(
            "select crime_type, incidents, same_month_last_year_incidents, change_on_same_month_last_year, "
            "change_pct_on_same_month_last_year, same_month_last_year_note from marts.force_crime_monthly "
            "where force_name = 'Essex Police' and calendar_month_label = '2019-01'"
        ).fetchall()
        october_note = con.execute(
            "select distinct same_month_last_year_note from marts.force_crime_monthly "
            "where force_name = 'Essex Police' and calendar_month_label = '2018-10'"
        ).fetchall()
    assert len(january) == 15
    for crime_type, now, before, change, pct, note in january:
        parts = [t for (f, m, t) in counts if f == "Essex Police" and m == "2019-01"]
        types = [t for t in parts if t != ASB] if crime_type.startswith("All crime") else [crime_type]
        assert now == sum(counts[("Essex Police", "2019-01", t)] for t in types)
        assert before == sum(counts[("Essex Police", "2018-01", t)] for t in types)
        assert change == now - before and note is None
        assert pct == (pytest.approx((now - before) * 100 / before) if before else None)
    assert october_note == [("no police.uk month 2017-10 in the lake",)]


@pytest.mark.e2e
def test_no_month_is_invented_for_essex_august_and_september_2018(built_warehouse):
    path, _ = built_warehouse
    gap = ("2018-08-01", "2018-09-01")
    with duckdb.connect(str(path), read_only=True) as con:
        for mart in ("force_crime_monthly", "force_comparison", "street_crime_monthly", "street_crime_exceptions"):
            found = con.execute(
                f"select count(*) from marts.{mart} where month_start in (?::date, ?::date)",  # noqa: S608
                list(gap),
            ).fetchone()[0]
            assert found == 0, f"{mart} has rows for a month no file covers"
        lancashire = con.execute(
            "select distinct forces_absent from marts.force_comparison where group_key = "
            "'all_forces_with_population' and calendar_month_label = '2018-10'"
        ).fetchall()
        essex_october = con.execute(
            "select same_month_last_year_note, financial_year_months_published, financial_year_to_date_incidents, "
            "financial_year_to_date_note from marts.force_crime_monthly where force_name = 'Essex Police' "
            "and calendar_month_label = '2018-10' and is_all_crime"
        ).fetchone()
    absent = lancashire[0][0].split(", ")
    assert len(lancashire) == 1 and {"Lancashire Constabulary", "Northumbria Police"} <= set(absent)
    assert "Metropolitan Police Service" in absent
    # October is the seventh month of 2018/19; August and September are missing, so no year-to-date total.
    assert essex_october[1:] == (5, None, "this financial year to date is incomplete: 5 of 7 months published")


@pytest.mark.e2e
def test_reconciliation_checks_burglary_and_robbery_and_refuses_knife_and_hate_crime(built_warehouse):
    path, _ = built_warehouse
    counts = {(m, t): n for (f, m, t), n in _file_counts([ESSEX]).items()}
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


def _run_job(folder: Path, warehouse: Path, monkeypatch, month: str | None = None, lake_only: bool = False):
    """The job as `make run` runs it: every month of the archive, or (``month``) that month's partition alone;
    ``lake_only``: the landing step alone (as a UI launch of that one asset)."""
    import dagster as dg

    monkeypatch.setenv("POLICE_UK_DIR", str(folder))
    monkeypatch.setenv("POLICE_UK_LAKE", str(warehouse.parent / "lake"))
    monkeypatch.setenv("WAREHOUSE_PATH", str(warehouse))
    monkeypatch.setenv("WAREHOUSE_BUILD_PATH", str(warehouse.parent / "build" / warehouse.name))
    from orchestration.definitions import defs
    from orchestration.defs import partitions

    instance = dg.DagsterInstance.ephemeral()
    tags, _ = partitions.run_tags(instance, [folder], month)
    selection = [dg.AssetKey(LAKE_KEY.split("/"))] if lake_only else None
    return defs.resolve_job_def("materialize_all").execute_in_process(
        instance=instance, tags=tags, raise_on_error=False, asset_selection=selection
    )


def _partitions(result, key: str) -> list[str]:
    return sorted(e.partition for e in result.get_asset_materialization_events() if e.asset_key.to_user_string() == key)


def _metadata(result, key: str) -> dict:
    event = next(e for e in result.get_asset_materialization_events() if e.asset_key.to_user_string() == key)
    return {k: v.value for k, v in event.event_specific_data.materialization.metadata.items()}


LAKE_KEY = "lake/police_uk_street_crime"


@pytest.mark.e2e
def test_a_month_partition_lands_its_month_and_every_run_builds_the_marts_from_the_lake(tmp_path, monkeypatch):
    """Two real months landed (the landing step alone); then a run for a third month alone: it lands that month (a
    republished February waits for February's run, and says so), and the marts are built from the whole lake. A bad month fails naming
    file, row and column, leaving lake and published warehouse as they were. A month gone from the archive leaves
    the lake and the marts in the next run."""
    from orchestration.lib import publish

    folder, warehouse = tmp_path / "archive", tmp_path / "warehouse.duckdb"
    for month in ("2018-01", "2018-02"):
        (folder / month).mkdir(parents=True)
        shutil.copy(ESSEX / month / f"{month}-essex-street.csv.gz", folder / month)
    first = _run_job(folder, warehouse, monkeypatch, lake_only=True)
    assert first.success
    assert _partitions(first, LAKE_KEY) == ["2018-01", "2018-02"]
    assert not warehouse.exists()  # nothing built or published: the marts below come from the second run
    assert _metadata(first, LAKE_KEY)["months_landed"] == {"2018-01": 14786, "2018-02": 13752}

    (folder / "2018-03").mkdir()
    shutil.copy(ESSEX / "2018-03" / "2018-03-essex-street.csv.gz", folder / "2018-03")
    _write(folder, "2018-02", _real_rows("2018-02")[:11])  # republished beside the gzip file: a changed month
    second = _run_job(folder, warehouse, monkeypatch, month="2018-03")
    assert second.success
    assert _partitions(second, LAKE_KEY) == ["2018-03"]
    landed = _metadata(second, LAKE_KEY)
    assert (landed["months_landed"], landed["months_stale"]) == ({"2018-03": 16014}, ["2018-02"])
    with duckdb.connect(str(warehouse), read_only=True) as con:
        months = con.execute(
            "select strftime(month_start, '%Y-%m'), count(*) from marts.fct_street_crime group by 1 order by 1"
        ).fetchall()
        monthly = con.execute(
            "select calendar_month_label, incidents from marts.force_crime_monthly where crime_type = ? order by 1",
            [ASB],
        ).fetchall()
    assert months == [("2018-01", 14786), ("2018-02", 13752), ("2018-03", 16014)]
    assert [m for m, _ in monthly] == ["2018-01", "2018-02", "2018-03"]

    # A bad new month: the run fails naming file, row and column; lake and published warehouse stay as they were.
    good, lake_before = publish.content_hash(warehouse)[0], _state(tmp_path / "lake")
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
    assert _state(tmp_path / "lake") == lake_before

    # The bad month withdrawn and January gone from the archive: an ordinary run lands February (waiting since the
    # second run) and the lake and the marts lose January.
    shutil.rmtree(folder / "2018-04")
    shutil.rmtree(folder / "2018-01")
    fourth = _run_job(folder, warehouse, monkeypatch)
    assert fourth.success
    landed = _metadata(fourth, LAKE_KEY)
    assert (landed["months_landed"], landed["months_removed"]) == ({"2018-02": 13752 + 10}, ["2018-01"])
    with duckdb.connect(str(warehouse), read_only=True) as con:
        left = [
            con.execute(f"select distinct strftime(month_start, '%Y-%m') from {table} order by 1").fetchall()  # noqa: S608
            for table in ("marts.fct_street_crime", "marts.street_crime_monthly", "marts.force_crime_monthly")
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
