"""Load one extracted CSV into ``raw.<domain>_figures``: validate first, then replace atomically.

Pure helper (DuckDB, no Dagster) so that it is tested on its own. A file that breaks the contract
raises ``ContractError`` before anything is written, so the previous table stays as it was.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.contract import COLUMNS, Reference, domain_of, validate_csv_bytes

RAW_SCHEMA = "raw"
# DuckDB 1.4 readers (Evidence's connector) must open the file: keep the v1 storage format.
CONNECT_CONFIG = {"storage_compatibility_version": "v1.0.0"}
_TABLE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class LoadResult:
    table: str
    rows: int
    checksum: str
    source_file: str


def table_name_for(path: Path) -> str:
    name = path.stem
    if not _TABLE_NAME.match(name):
        raise ValueError(f"{path.name}: file name must be lower snake case to name a table")
    return name


def connect(warehouse: Path) -> duckdb.DuckDBPyConnection:
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(warehouse), config=CONNECT_CONFIG)


def attach_as_warehouse(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """A connection where the file is the catalog `warehouse`, as dbt's profile attaches it, so SQL that
    dbt or MetricFlow generated ("warehouse"."marts"...) runs whatever the file is called."""
    con = duckdb.connect(config=CONNECT_CONFIG)
    escaped = str(warehouse).replace("'", "''")
    con.execute(f"attach '{escaped}' as warehouse")  # path from the environment, not from data
    con.execute("use warehouse")
    return con


def load_csv(
    con: duckdb.DuckDBPyConnection, path: Path, ref: Reference | None, relative_to: Path | None = None
) -> LoadResult:
    """Validate ``path`` against the contract and replace its raw table in one transaction."""
    path = path.resolve()
    data = path.read_bytes()
    source_file = str(path.relative_to(relative_to)) if relative_to else path.name
    rows = validate_csv_bytes(data, source_file, domain_of(path), ref)
    checksum = hashlib.sha256(data).hexdigest()
    table = table_name_for(path)
    # Types come from the contract, never from sniffing the file.
    columns = ", ".join(f"'{c.name}': '{c.duckdb_type}'" for c in COLUMNS)
    loaded_at = datetime.now(UTC).replace(tzinfo=None)

    con.execute(f"create schema if not exists {RAW_SCHEMA}")
    con.execute("begin transaction")
    try:
        # The path and load metadata are bound parameters; no CSV content is ever part of the SQL text.
        con.execute(
            f"""
            create or replace table {RAW_SCHEMA}.{table} as
            select
                csv.*,
                row_number() over () as _row_number,
                $source_file as _source_file,
                $checksum as _checksum,
                $loaded_at::timestamp as _loaded_at
            from read_csv($path, header = true, auto_detect = false, columns = {{{columns}}},
                          quote = '"', escape = '"', delim = ',', nullstr = '', strict_mode = true) as csv
            """,  # noqa: S608 - identifiers come from the contract and a validated file name
            {"path": str(path), "source_file": source_file, "checksum": checksum, "loaded_at": loaded_at},
        )
        loaded = con.execute(f"select count(*) from {RAW_SCHEMA}.{table}").fetchone()[0]  # noqa: S608
        if loaded != len(rows):
            raise RuntimeError(f"{source_file}: validated {len(rows)} rows but DuckDB read {loaded}")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return LoadResult(table=f"{RAW_SCHEMA}.{table}", rows=len(rows), checksum=checksum, source_file=source_file)
