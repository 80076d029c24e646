"""``make export``: every mart of the published warehouse as CSV under exports/, safe to open in a spreadsheet.

A text cell that begins with =, +, -, @, a tab or a carriage return would run as a formula in a
spreadsheet (CSV injection); such cells are written with a leading apostrophe. Numbers are written as
numbers, negative ones included.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from orchestration.lib import paths
from orchestration.lib.publish import MART_SCHEMA, mart_tables

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def export(warehouse: Path, out_dir: Path) -> dict[str, int]:
    out_dir.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for table in mart_tables(con):
            cursor = con.execute(f'select * from {MART_SCHEMA}."{table}" order by all')  # noqa: S608
            header = [d[0] for d in cursor.description]
            rows = cursor.fetchall()
            with (out_dir / f"{table}.csv").open("w", encoding="utf-8", newline="") as f:
                writer = csv.writer(f, lineterminator="\n")
                writer.writerow(header)
                writer.writerows([neutralise(v) for v in row] for row in rows)
            counts[table] = len(rows)
    return counts


def main() -> int:
    out_dir = paths.REPO / "exports"
    counts = export(paths.warehouse_path(), out_dir)
    print(f"exported {len(counts)} marts ({sum(counts.values())} rows) to {out_dir}")
    return 0
