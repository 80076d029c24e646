"""Level 2: the raw loader types, stamps and replaces atomically; a bad file leaves the last good table."""

from __future__ import annotations

import duckdb
import pytest

from orchestration.lib import paths
from orchestration.lib.contract import ContractError
from orchestration.lib.raw_loader import connect, load_figures
from tests.conftest import to_csv


def test_load_types_and_metadata(tmp_path, reference, good_row):
    csv_path = tmp_path / "volunteering_figures.csv"
    csv_path.write_bytes(to_csv([good_row]))
    with connect(tmp_path / "w.duckdb") as con:
        result = load_figures(con, [csv_path], reference)
        types = dict(
            con.execute(
                "select column_name, data_type from information_schema.columns where table_name = 'extracted_figures'"
            ).fetchall()
        )
        row = con.execute(
            "select printed_value, period_end, source_line, _source_file, _row_number from raw.extracted_figures"
        ).fetchone()
    assert result.rows == 1
    assert types["printed_value"] == "DOUBLE" and types["period_end"] == "DATE" and types["source_line"] == "INTEGER"
    assert types["breakdown"] == "VARCHAR" and types["_loaded_at"] == "TIMESTAMP"
    assert row[0] == 474 and str(row[1]) == "2018-11-30" and row[2] == 34
    assert row[3] == "volunteering_figures.csv" and row[4] == 1 and len(result.checksum) == 64


def test_bad_file_keeps_previous_table(tmp_path, reference, good_row):
    csv_path = tmp_path / "volunteering_figures.csv"
    csv_path.write_bytes(to_csv([good_row]))
    warehouse = tmp_path / "w.duckdb"
    with connect(warehouse) as con:
        load_figures(con, [csv_path], reference)
        csv_path.write_bytes(
            to_csv([good_row, {**good_row, "figure_id": "pcp-update-2018-12:34:03", "printed_value": "abc"}])
        )
        with pytest.raises(ContractError, match=r"volunteering_figures.csv, row 2, column 'printed_value'"):
            load_figures(con, [csv_path], reference)
        assert con.execute("select count(*) from raw.extracted_figures").fetchone()[0] == 1


def test_warehouse_file_uses_v1_storage(tmp_path, reference):
    warehouse = tmp_path / "w.duckdb"
    with connect(warehouse) as con:
        load_figures(con, paths.extracted_csvs(), reference)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tags = con.execute("select tags from duckdb_databases() where database_name = 'w'").fetchone()[0]
    assert tags["storage_version"].startswith("v1."), tags


def test_all_domain_files_load_into_one_table_keeping_file_and_row(tmp_path, reference):
    with connect(tmp_path / "w.duckdb") as con:
        result = load_figures(con, paths.extracted_csvs(), reference, relative_to=paths.REPO)
        per_file = dict(
            con.execute("select _source_file, max(_row_number) from raw.extracted_figures group by all").fetchall()
        )
        first = con.execute(
            "select figure_id from raw.extracted_figures where _source_file = 'data/roads_figures.csv' and _row_number = 1"
        ).fetchone()[0]
    assert per_file == result.rows_by_file and len(per_file) >= 7
    assert result.rows == sum(per_file.values())
    with (paths.DATA_DIR / "roads_figures.csv").open(encoding="utf-8") as f:
        assert f.readlines()[1].startswith(first + ",")  # row 1 is the file's first data row
