"""Level 1: the Dagster definitions load and describe one lineage graph from CSV to mart."""

from __future__ import annotations

import dagster as dg
import yaml

from orchestration import paths


def test_definitions_load():
    from orchestration.definitions import defs

    repo = defs.get_repository_def()
    assert repo.get_all_jobs(), "no jobs defined"
    assert defs.resolve_job_def("materialize_all") is not None


def test_each_csv_has_a_raw_asset_equal_to_its_dbt_source_key():
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    materialisable = {k.to_user_string() for k in graph.materializable_asset_keys}
    sources = yaml.safe_load((paths.REPO / "models/staging/extracted/_extracted__sources.yml").read_text())
    source_tables = {f"raw/{t['name']}" for t in sources["sources"][0]["tables"]}
    csv_tables = {f"raw/{p.stem}" for p in paths.extracted_csvs()}
    assert csv_tables, "no extracted CSVs under data/"
    assert csv_tables == source_tables, "every data/<domain>_figures.csv needs a dbt source table, and back"
    assert csv_tables <= materialisable
    # The dbt models read those very keys: no separate, unmaterialisable source assets.
    dbt_deps = {
        dep.to_user_string()
        for key in graph.materializable_asset_keys
        for dep in graph.get(key).parent_keys
        if dep.to_user_string().startswith("raw/")
    }
    assert dbt_deps == csv_tables


def test_dbt_tests_are_asset_checks_and_groups_follow_layers():
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    checks = graph.asset_check_keys
    assert any(c.name.startswith("unique_fct_volunteering_figure_id") for c in checks)
    groups = {graph.get(k).group_name for k in graph.materializable_asset_keys}
    assert {"raw", "reference", "staging", "marts"} <= groups


def test_job_runs_in_one_process():
    from orchestration.definitions import defs

    job = defs.resolve_job_def("materialize_all")
    assert job.executor_def is dg.in_process_executor, "DuckDB allows one writer: keep the job in one process"


def test_dbt_source_columns_follow_the_data_contract():
    from orchestration.contract import COLUMNS

    sources = yaml.safe_load((paths.REPO / "models/staging/extracted/_extracted__sources.yml").read_text())
    for table in sources["sources"][0]["tables"]:
        declared = [(c["name"], c["data_type"]) for c in table["columns"] if not c["name"].startswith("_")]
        assert declared == [(c.name, c.duckdb_type.lower()) for c in COLUMNS], table["name"]


def test_data_readme_documents_every_contract_column():
    from orchestration.contract import COLUMNS

    readme = (paths.DATA_DIR / "README.md").read_text()
    for column in COLUMNS:
        assert f"| `{column.name}` | {column.duckdb_type} |" in readme, column.name
