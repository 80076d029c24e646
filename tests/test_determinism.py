"""Level 3: identical inputs publish identical rows, bit for bit, in every mart.

A second build from the same inputs (the clean run after a killed one, tests/conftest.py) is compared with the
session's end-to-end build row by row: every
value of every column of every table and view in `marts`, doubles compared by their bits (so 0.0 against
-0.0 is a difference, as an export or a checksum would see it).
"""

from __future__ import annotations

import math
import struct

import duckdb
import pytest


def _exact(value):
    """A value whose equality is bit equality: doubles by their IEEE bytes, everything else as is."""
    if isinstance(value, float):
        return ("double", struct.pack(">d", value))
    return (type(value).__name__, value)


def _rows(con: duckdb.DuckDBPyConnection, relation: str) -> list[tuple]:
    query = f"select * from {relation}"  # noqa: S608 - names read from the warehouse's own catalog
    rows = [tuple(_exact(v) for v in row) for row in con.execute(query).fetchall()]
    # A table's row order is not part of its content; its rows and their multiplicity are.
    return sorted(rows, key=repr)


# Tables with more rows than this are compared inside DuckDB rather than in Python.
LARGE = 200_000


def _marts(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by table_name"
        ).fetchall()
    ]


@pytest.mark.e2e
def test_two_builds_publish_identical_rows(built_warehouse, killed_then_rebuilt):
    first_path, first_result = built_warehouse
    second_path = killed_then_rebuilt.published
    assert first_result.success and killed_then_rebuilt.returncode == 0, killed_then_rebuilt.output[-3000:]
    assert first_path != second_path
    with (
        duckdb.connect(str(first_path), read_only=True) as first,
        duckdb.connect(str(second_path), read_only=True) as second,
    ):
        marts = _marts(first)
        assert marts == _marts(second)
        assert len(marts) > 20, marts  # every mart, not a lucky few
        differing = {}
        second.close()
        first.execute(f"attach '{second_path}' as again (read_only)")
        for table in marts:
            count = first.execute(f"select count(*) from marts.{table}").fetchone()[0]  # noqa: S608
            assert count, f"marts.{table} is empty"
            if count > LARGE:
                # Millions of rows (fct_street_crime) are compared in DuckDB, as multisets of exact values; it has
                # no doubles, so bit equality is value equality there.
                assert "DOUBLE" not in {t for _, t, *_ in first.execute(f"describe marts.{table}").fetchall()}
                only = first.execute(
                    f"select (select count(*) from (from marts.{table} except all from again.marts.{table})), "  # noqa: S608
                    f"(select count(*) from (from again.marts.{table} except all from marts.{table}))"
                ).fetchone()
                if any(only):
                    differing[table] = f"{only[0]} rows only in the first build, {only[1]} only in the second"
                continue
            a, b = _rows(first, f"marts.{table}"), _rows(first, f"again.marts.{table}")
            if a != b:
                only_first = [r for r in a if r not in b][:3]
                differing[table] = f"{len(a)} vs {len(b)} rows; first differing: {only_first}"
        assert not differing, differing


@pytest.mark.e2e
def test_no_mart_publishes_a_signed_zero(built_warehouse):
    """-0.0 prints as "-0" in an export and hashes apart from 0.0: a mart never holds it."""
    path, _ = built_warehouse
    with duckdb.connect(str(path), read_only=True) as con:
        doubles = con.execute(
            "select table_name, column_name from information_schema.columns"
            " where table_schema = 'marts' and data_type = 'DOUBLE'"
        ).fetchall()
        assert doubles
        signed = {}
        for table, column in doubles:
            query = f'select "{column}" from marts.{table} where "{column}" = 0'  # noqa: S608 - catalog names
            values = [v for (v,) in con.execute(query).fetchall()]
            negative = sum(1 for v in values if math.copysign(1.0, v) < 0)
            if negative:
                signed[f"{table}.{column}"] = negative
        assert not signed, signed
