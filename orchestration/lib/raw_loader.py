"""Load the extracted CSVs into ``raw.extracted_figures``: validate first, then replace atomically.

Pure helper (DuckDB, no Dagster) so that it is tested on its own. A file that breaks the contract
raises ``ContractError`` before anything is written, so the previous table stays as it was.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.lib.contract import COLUMNS, ContractError, Reference, Violation, validate_files

RAW_SCHEMA = "raw"
# The one raw table of extracted figures; its name is the dbt source table's (source `raw`).
FIGURES_TABLE_NAME = "extracted_figures"
FIGURES_TABLE = f"{RAW_SCHEMA}.{FIGURES_TABLE_NAME}"
# DuckDB 1.4 readers (Evidence's connector) must open the file: keep the v1 storage format. DuckDB's buffer pool
# grows to 80 % of RAM by default; DUCKDB_MEMORY_LIMIT (default 3GB, dbt's profile reads it too) bounds it, and
# larger intermediate results spill to disk: millions of police.uk rows must not take the machine.
MEMORY_LIMIT = os.environ.get("DUCKDB_MEMORY_LIMIT", "3GB")
CONNECT_CONFIG = {"storage_compatibility_version": "v1.0.0", "memory_limit": MEMORY_LIMIT}


@dataclass(frozen=True)
class LoadResult:
    table: str
    rows: int
    checksum: str
    rows_by_file: dict[str, int]


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


def load_figures(
    con: duckdb.DuckDBPyConnection, csv_paths: list[Path], ref: Reference | None, relative_to: Path | None = None
) -> LoadResult:
    """Validate every figures CSV, then replace ``raw.extracted_figures`` with all of them in one transaction.

    One table for all the per-domain files (kept apart for editing and review): ``_source_file`` and
    ``_row_number`` keep each row's file and row. A file that breaks the contract raises before
    anything is written, with every violation of every file.
    """
    if not csv_paths:
        raise ContractError([Violation("data", 0, "(file)", "no <domain>_figures.csv file to load")])
    resolved = [p.resolve() for p in csv_paths]
    shown = {p: str(p.relative_to(relative_to)) if relative_to else p.name for p in resolved}
    contents = {p: p.read_bytes() for p in resolved}
    by_name = {shown[p]: contents[p] for p in resolved}
    rows = validate_files(by_name, ref)
    checksums = {p: hashlib.sha256(contents[p]).hexdigest() for p in resolved}
    # Types come from the contract, never from sniffing the file.
    columns = ", ".join(f"'{c.name}': '{c.duckdb_type}'" for c in COLUMNS)
    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    select_file = f"""
        select
            csv.*,
            $source_file as _source_file,
            row_number() over () as _row_number,
            $checksum as _checksum,
            $loaded_at::timestamp as _loaded_at
        from read_csv($path, header = true, auto_detect = false, columns = {{{columns}}},
                      quote = '"', escape = '"', delim = ',', nullstr = '', strict_mode = true) as csv
    """  # noqa: S608 - the column list comes from the contract; paths and metadata are bound parameters

    con.execute(f"create schema if not exists {RAW_SCHEMA}")
    con.execute("begin transaction")
    try:
        for i, path in enumerate(resolved):
            # No CSV content is ever part of the SQL text.
            params = {
                "path": str(path),
                "source_file": shown[path],
                "checksum": checksums[path],
                "loaded_at": loaded_at,
            }
            if i == 0:
                con.execute(f"create or replace table {FIGURES_TABLE} as {select_file}", params)
            else:
                con.execute(f"insert into {FIGURES_TABLE} {select_file}", params)
        loaded = con.execute(f"select count(*) from {FIGURES_TABLE}").fetchone()[0]  # noqa: S608
        validated = sum(len(r) for r in rows.values())
        if loaded != validated:
            raise RuntimeError(f"validated {validated} rows but DuckDB read {loaded}")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    combined = hashlib.sha256("".join(checksums[p] for p in resolved).encode()).hexdigest()
    return LoadResult(
        table=FIGURES_TABLE,
        rows=validated,
        checksum=combined,
        rows_by_file={name: len(r) for name, r in rows.items()},
    )
