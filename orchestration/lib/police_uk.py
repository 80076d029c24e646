"""police.uk street-level crime: find the monthly street files, check them, load new or changed months only.

Pure helpers (DuckDB, no Dagster), tested on their own. The archive layout is data.police.uk's:
``<dir>/YYYY-MM/YYYY-MM-<force>-street.csv`` (``.csv.gz`` also read). Every header is checked, then each month's
files are read with one DuckDB ``read_csv`` (no row-by-row Python) and checked; a file with a missing, renamed or
unknown column, a row whose ``Month`` is not its file's month, an unknown crime type or a coordinate that is not a
number raises ``ContractError`` naming file, row and column before anything is written.

Loads are incremental by file: ``raw.police_uk_loads`` keeps one row per loaded file (month, force, size and
modification time, sha256, rows). A load reads only the files that are new or changed since then (of the months
asked for: Dagster's month partitions) and replaces exactly their rows in ``raw.police_uk_street_crime``, each
month in a transaction of its own after every row of every file has passed the checks; the rows of files no longer
in the folder are dropped.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from orchestration.lib.contract import ContractError, Violation

RAW_SCHEMA = "raw"
STREET_TABLE_NAME = "police_uk_street_crime"
LOADS_TABLE_NAME = "police_uk_loads"
STREET_TABLE = f"{RAW_SCHEMA}.{STREET_TABLE_NAME}"
LOADS_TABLE = f"{RAW_SCHEMA}.{LOADS_TABLE_NAME}"

# The published header, in order, and the raw table's name for each column.
COLUMNS: dict[str, str] = {
    "Crime ID": "crime_id",
    "Month": "month",
    "Reported by": "reported_by",
    "Falls within": "falls_within",
    "Longitude": "longitude",
    "Latitude": "latitude",
    "Location": "location",
    "LSOA code": "lsoa_code",
    "LSOA name": "lsoa_name",
    "Crime type": "crime_type",
    "Last outcome category": "last_outcome_category",
    "Context": "context",
}
HEADER = tuple(COLUMNS)
# The 14 categories data.police.uk publishes (its /api/crime-categories, less the "all-crime" pseudo-category).
CRIME_TYPES = (
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
)
# Columns every row must fill.
REQUIRED = ("Month", "Reported by", "Falls within", "Crime type")
FILE_PATTERN = re.compile(r"^(\d{4}-\d{2})-(.+)-street\.csv(\.gz)?$")
MONTH_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
MAX_VIOLATIONS = 200


def default_dir() -> Path:
    """``POLICE_UK_DIR`` or the Essex months kept in the repository (``data/police_uk``)."""
    from orchestration.lib import paths

    return Path(os.environ.get("POLICE_UK_DIR") or paths.DATA_DIR / "police_uk").resolve()


@dataclass(frozen=True)
class StreetFile:
    path: Path
    name: str  # relative to the archive folder: YYYY-MM/YYYY-MM-<force>-street.csv[.gz]
    month: str  # YYYY-MM
    force_slug: str
    fingerprint: str  # size:mtime_ns, the cheap change test; sha256 is recorded when the file is loaded


@dataclass(frozen=True)
class LoadPlan:
    to_load: list[StreetFile]
    unchanged: list[StreetFile]
    removed: list[str]  # file names loaded before and no longer in the folder
    waiting: list[StreetFile]  # new or changed, in months this load was not asked for


@dataclass(frozen=True)
class PoliceUkLoad:
    rows_loaded: int
    files_loaded: int
    files_unchanged: int
    files_removed: int
    files_waiting: int  # new or changed files of other months, left for a load of their month
    rows_by_month: dict[str, int]  # months loaded by this call
    total_rows: int


def discover(folder: Path) -> list[StreetFile]:
    """Every street file under ``folder``'s month folders, in month then name order; a file whose name does not
    match its folder's month is a violation."""
    if not folder.is_dir():
        raise ContractError([Violation(str(folder), 0, "(file)", "police.uk folder not found")])
    found, violations = [], []
    for month_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
        if not MONTH_PATTERN.match(month_dir.name):
            continue
        for path in sorted(month_dir.iterdir()):
            match = FILE_PATTERN.match(path.name)
            if not match:
                continue
            name = f"{month_dir.name}/{path.name}"
            if match.group(1) != month_dir.name:
                violations.append(Violation(name, 0, "(file)", f"file month {match.group(1)} is not its folder's"))
                continue
            stat = path.stat()
            found.append(StreetFile(path, name, month_dir.name, match.group(2), f"{stat.st_size}:{stat.st_mtime_ns}"))
    if violations:
        raise ContractError(violations)
    return found


def loaded_files(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """File name -> fingerprint of every file ``raw.police_uk_loads`` records (empty if there is none)."""
    exists = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [RAW_SCHEMA, LOADS_TABLE_NAME],
    ).fetchone()[0]
    if not exists:
        return {}
    return dict(con.execute(f"select source_file, fingerprint from {LOADS_TABLE}").fetchall())  # noqa: S608


def plan(
    files: list[StreetFile], loaded: dict[str, str], months: Collection[str] | None = None, reload: bool = False
) -> LoadPlan:
    """What a load does: read the new or changed files of ``months`` (every month when None; every file of them
    when ``reload``); drop the files loaded before and gone from the folder, whatever their month, so the raw
    table never holds rows of a file that is no longer published."""

    def asked(f: StreetFile) -> bool:
        return months is None or f.month in months

    changed = [f for f in files if (reload and asked(f)) or loaded.get(f.name) != f.fingerprint]
    changed_names = {f.name for f in changed}
    return LoadPlan(
        to_load=[f for f in changed if asked(f)],
        unchanged=[f for f in files if f.name not in changed_names],
        removed=sorted(set(loaded) - {f.name for f in files}),
        waiting=[f for f in changed if not asked(f)],
    )


def read_header(path: Path) -> list[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as fh:
        line = fh.readline()
    return [c.strip().strip('"') for c in line.rstrip("\r\n").split(",")] if line else []


def header_violations(name: str, header: list[str]) -> list[Violation]:
    """Missing, renamed (a missing column's place taken by another name) and unknown columns, and order."""
    if not header:
        return [Violation(name, 0, "(header)", "empty file: no header row")]
    missing = [c for c in HEADER if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    out = []
    for col in missing:
        pos = HEADER.index(col)
        stand_in = header[pos] if pos < len(header) and header[pos] in unknown else None
        if stand_in:
            out.append(Violation(name, 0, col, f"column renamed in the header row: found {stand_in!r} in its place"))
        else:
            out.append(Violation(name, 0, col, "column missing from the header row"))
    renamed = {v.message.split("'")[1] for v in out if "renamed" in v.message}
    out += [
        Violation(name, 0, c, "unknown column in the header row (not in the published header)")
        for c in unknown
        if c not in renamed
    ]
    if not out and tuple(header) != HEADER:
        out.append(Violation(name, 0, "(header)", f"columns out of the published order: {', '.join(header)}"))
    return out


def _q(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _read(files: list[StreetFile]) -> str:
    """One DuckDB scan of ``files`` (in this order), every column as published text, by the published names.

    DuckDB maps the columns by position: ``header_violations`` has already checked each file's header equals the
    published one. ``filename`` tells the rows' file apart; with insertion order preserved (DuckDB's default, set
    again by ``load``) a scan of several files returns them in list order, each file's rows in their order.
    """
    paths = ", ".join(_q(str(f.path)) for f in files)
    types = ", ".join(f"{_q(c)}: 'VARCHAR'" for c in HEADER)
    return (
        f"read_csv([{paths}], header = true, auto_detect = false, columns = {{{types}}}, filename = true, "
        "delim = ',', quote = '\"', escape = '\"', nullstr = '', strict_mode = true)"
    )


def _numbered(files: list[StreetFile], hashes: dict[str, str], rows: dict[str, int]) -> str:
    """The published columns renamed, then each row's file, its data-row number in that file (1 = the row after
    the header), month, force and file sha256. The number is the scan's position less the rows of the files
    before it in the scan (``rows``: each file's rows, counted by the check)."""
    renames = ", ".join(f'"{c}" as {alias}' for c, alias in COLUMNS.items())
    meta, before = [], 0
    for f in files:
        meta.append(f"({_q(str(f.path))}, {_q(f.name)}, {_q(f.force_slug)}, {_q(hashes.get(f.name, ''))}, {before})")
        before += rows[f.name]
    return f"""
        select {", ".join(f"scan.{c}" for c in COLUMNS.values())}, meta.source_file as _source_file,
               scan._scan_row - meta.rows_before as _row_number, date {_q(files[0].month + "-01")} as _month,
               meta.force_slug as _force_slug, meta.sha256 as _file_sha256
        from (select {renames}, filename, row_number() over () as _scan_row from {_read(files)}) as scan
        join (values {", ".join(meta)}) as meta (filename, source_file, force_slug, sha256, rows_before)
            on meta.filename = scan.filename
    """  # noqa: S608 - paths come from the folder listing, quoted


def _checks() -> list[tuple[str, str, str]]:
    """(published column, condition that breaks the contract, message) over the renamed columns and ``_month``."""
    known = ", ".join(_q(t) for t in CRIME_TYPES)
    checks = [
        (
            "Month",
            "month is not null and month <> strftime(_month, '%Y-%m')",
            "'month ' || month || ' in a file of ' || strftime(_month, '%Y-%m')",
        ),
        ("Crime type", f"crime_type not in ({known})", "'unknown crime type ' || crime_type"),
        (
            "Longitude",
            "longitude is not null and try_cast(longitude as double) is null",
            "'not a number: ' || longitude",
        ),
        ("Latitude", "latitude is not null and try_cast(latitude as double) is null", "'not a number: ' || latitude"),
    ]
    return checks + [(c, f"{COLUMNS[c]} is null", "'empty'") for c in REQUIRED]


def _row_violations(con: duckdb.DuckDBPyConnection) -> list[Violation]:
    """Every broken row of ``_police_uk_incoming`` by file, row and column (at most ``MAX_VIOLATIONS``)."""
    union = " union all ".join(
        f"select _source_file, _row_number, {_q(col)} as col, {message} as message "  # noqa: S608 - fixed SQL
        f"from _police_uk_incoming where {cond}"
        for col, cond, message in _checks()
    )
    rows = con.execute(
        f"select * from ({union}) order by _source_file, _row_number, col limit {MAX_VIOLATIONS}"  # noqa: S608
    ).fetchall()
    return [Violation(f, int(r), c, m) for f, r, c, m in rows]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    columns = ", ".join(f"{alias} VARCHAR" for alias in COLUMNS.values())  # as published; staging types them
    con.execute(f"create schema if not exists {RAW_SCHEMA}")
    con.execute(
        f"create table if not exists {STREET_TABLE} ({columns}, _source_file VARCHAR not null, "
        "_row_number BIGINT not null, _month DATE not null, _force_slug VARCHAR not null, "
        "_file_sha256 VARCHAR not null, _loaded_at TIMESTAMP not null)"
    )
    con.execute(
        f"create table if not exists {LOADS_TABLE} (source_file VARCHAR primary key, month DATE not null, "
        "force_slug VARCHAR not null, fingerprint VARCHAR not null, sha256 VARCHAR not null, rows BIGINT not null, "
        "loaded_at TIMESTAMP not null)"
    )


def load(
    con: duckdb.DuckDBPyConnection, folder: Path, months: Collection[str] | None = None, reload: bool = False
) -> PoliceUkLoad:
    """Load the new and changed street files of ``folder`` (of ``months`` only, when given: a Dagster run's month
    partitions; every file of those months when ``reload``); drop the rows of every loaded file no longer there.

    Every header, then every row of every file to load, is checked before anything is written: a violation (file,
    row, column) raises ``ContractError`` and the tables stay as they were. Then one transaction drops the rows of
    changed and removed files, and each month is inserted in a transaction of its own, ``WRITERS`` months at a
    time (numbering each file's rows is one thread's work per month; two months use two cores). Each month's rows
    and its files' bookkeeping commit together, so ``raw.police_uk_loads`` always says which files are in.
    """
    files = discover(folder)
    if not files:
        raise ContractError([Violation(str(folder), 0, "(file)", "no YYYY-MM/YYYY-MM-<force>-street.csv file")])
    ensure_tables(con)
    loaded = loaded_files(con)
    todo = plan(files, loaded, months, reload)
    violations = [v for f in todo.to_load for v in header_violations(f.name, read_header(f.path))]
    if violations:
        raise ContractError(violations)
    if not todo.to_load and not todo.removed:  # nothing new: no transaction, no scan
        return _result(con, todo, {})
    by_month: dict[str, list[StreetFile]] = {}
    for f in todo.to_load:
        by_month.setdefault(f.month, []).append(f)
    rows: dict[str, int] = {}
    for batch in by_month.values():
        rows |= _check_batch(con, batch)
    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    con.execute("set preserve_insertion_order = true")  # the row numbers count rows in scan order (see _read)
    stale = [f.name for f in todo.to_load if f.name in loaded] + todo.removed
    if stale:
        _in_transaction(con, lambda: _delete(con, stale))
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        done = [pool.submit(_insert_month, con, batch, rows, loaded_at) for batch in by_month.values()]
        for future in done:
            future.result()
    rows_by_month: dict[str, int] = {}
    for f in todo.to_load:
        rows_by_month[f.month] = rows_by_month.get(f.month, 0) + rows[f.name]
    return _result(con, todo, rows_by_month)


# Months inserted at once, each by its own connection: numbering rows keeps one month's insert on one core.
WRITERS = max(1, min(2, os.cpu_count() or 1))


def _in_transaction(con: duckdb.DuckDBPyConnection, work) -> None:
    con.execute("begin transaction")
    try:
        work()
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def _result(con: duckdb.DuckDBPyConnection, todo: LoadPlan, rows_by_month: dict[str, int]) -> PoliceUkLoad:
    total = con.execute(f"select count(*) from {STREET_TABLE}").fetchone()[0]  # noqa: S608
    return PoliceUkLoad(
        rows_loaded=sum(rows_by_month.values()),
        files_loaded=len(todo.to_load),
        files_unchanged=len(todo.unchanged),
        files_removed=len(todo.removed),
        files_waiting=len(todo.waiting),
        rows_by_month=rows_by_month,
        total_rows=total,
    )


def _delete(con: duckdb.DuckDBPyConnection, names: list[str]) -> None:
    con.execute(f"delete from {STREET_TABLE} where _source_file in (select unnest(?::varchar[]))", [names])  # noqa: S608
    con.execute(f"delete from {LOADS_TABLE} where source_file in (select unnest(?::varchar[]))", [names])  # noqa: S608


def _check_batch(con: duckdb.DuckDBPyConnection, batch: list[StreetFile]) -> dict[str, int]:
    """Check every row of one month's files in one scan (in parallel across files); their rows by file name.

    Broken rows are located by file and row only when there are some: then the broken files are read again with
    their rows numbered, and ``ContractError`` lists them.
    """
    broken = " or ".join(f"({cond})" for _col, cond, _message in _checks())
    renames = ", ".join(f'"{c}" as {alias}' for c, alias in COLUMNS.items())
    month = batch[0].month
    try:
        stats = con.execute(
            f"select filename, count(*), count(*) filter (where {broken}) "  # noqa: S608 - fixed SQL
            f"from (select {renames}, filename, date {_q(month + '-01')} as _month from {_read(batch)}) group by 1"
        ).fetchall()
    except duckdb.Error as exc:  # a malformed row (wrong field count, bad quoting): DuckDB names the line
        first = str(exc).splitlines()[0][:400]
        raise ContractError([Violation(_which(exc, batch), 0, "(row)", first)]) from exc
    by_path = {path: (n, bad) for path, n, bad in stats}
    rows = {f.name: by_path.get(str(f.path), (0, 0))[0] for f in batch}
    bad_files = [f for f in batch if by_path.get(str(f.path), (0, 0))[1]]
    if bad_files:
        con.execute(f"create or replace temp table _police_uk_incoming as {_numbered(bad_files, {}, rows)}")
        try:
            raise ContractError(_row_violations(con))
        finally:
            con.execute("drop table _police_uk_incoming")
    return rows


def _insert_month(
    con: duckdb.DuckDBPyConnection, batch: list[StreetFile], rows: dict[str, int], loaded_at: datetime
) -> None:
    """Insert one month's checked files as published, numbering each file's rows, with their rows in
    ``raw.police_uk_loads``, in one transaction on a connection of its own."""
    hashes = {f.name: _sha256(f.path) for f in batch}
    cursor = con.cursor()
    try:

        def work() -> None:
            cursor.execute(
                f"insert into {STREET_TABLE} select *, ? from ({_numbered(batch, hashes, rows)})",  # noqa: S608
                [loaded_at],
            )
            _check_numbering(cursor, batch, rows, loaded_at)
            cursor.executemany(
                f"insert into {LOADS_TABLE} values (?, cast(? || '-01' as date), ?, ?, ?, ?, ?)",  # noqa: S608
                [
                    (f.name, f.month, f.force_slug, f.fingerprint, hashes[f.name], rows[f.name], loaded_at)
                    for f in batch
                ],
            )

        _in_transaction(cursor, work)
    finally:
        cursor.close()


def _check_numbering(
    cursor: duckdb.DuckDBPyConnection, batch: list[StreetFile], rows: dict[str, int], loaded_at: datetime
) -> None:
    """Each file's rows numbered 1..n, n its rows in the check: else the scan did not keep file order, no row
    could be located, and the month is not committed."""
    found = cursor.execute(
        f"select _source_file, count(*), min(_row_number), max(_row_number) from {STREET_TABLE} "  # noqa: S608
        "where _month = ? and _loaded_at = ? group by 1",
        [date.fromisoformat(batch[0].month + "-01"), loaded_at],
    ).fetchall()
    numbered = {name: (n, low, high) for name, n, low, high in found}
    wrong = [f.name for f in batch if rows[f.name] and numbered.get(f.name) != (rows[f.name], 1, rows[f.name])]
    if wrong:
        raise RuntimeError(f"police.uk rows not numbered 1..n in {', '.join(wrong[:5])}: month not loaded")


def _which(exc: Exception, files: list[StreetFile]) -> str:
    """The file a DuckDB CSV error names (its message carries the path), else every file read."""
    text = str(exc)
    named = [f.name for f in files if str(f.path) in text]
    return named[0] if named else ", ".join(f.name for f in files)


# What a run's build file carries from the published warehouse: the raw rows, their bookkeeping and the
# incremental counts built from them. Everything else is built afresh every run.
COUNTS_TABLE = "intermediate.int_street_crime_file_counts"
CARRIED_TABLES = (STREET_TABLE, LOADS_TABLE, COUNTS_TABLE)
FULL_REFRESH_ENV = "POLICE_UK_FULL_REFRESH"


def carried_tables(published: Path) -> tuple[list[str], str]:
    """The tables a run may carry from ``published`` (the last good warehouse), and why (or why not).

    Nothing is carried when ``POLICE_UK_FULL_REFRESH`` is set, or when there is no published warehouse or it lacks
    one of the tables: then the run loads and builds everything. A file loaded before and gone from the folder
    since needs no rebuild: the load drops its rows and ``int_street_crime_file_counts`` its counts.
    """
    if os.environ.get(FULL_REFRESH_ENV):
        return [], f"{FULL_REFRESH_ENV} is set: loading every file"
    if not published.exists():
        return [], "no published warehouse: loading every file"
    with duckdb.connect(str(published), read_only=True) as con:
        present = {
            f"{s}.{t}"
            for s, t in con.execute("select table_schema, table_name from information_schema.tables").fetchall()
        }
        if not set(CARRIED_TABLES) <= present:
            return [], "the published warehouse has no police.uk tables: loading every file"
        loaded = loaded_files(con)
    return list(CARRIED_TABLES), f"carried {len(loaded)} loaded file(s) from the published warehouse"
