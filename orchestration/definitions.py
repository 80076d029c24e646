"""The code location: raw CSV assets, dbt assets and checks, and the job that builds everything."""

import sys
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.assets.dbt import DBT_PROJECT, warehouse_dbt_assets
from orchestration.assets.metrics import build_metric_mart_assets
from orchestration.assets.raw import build_raw_assets
from orchestration.resources import WarehouseResource

raw_assets = build_raw_assets()
metric_mart_assets = build_metric_mart_assets()

# One process, so one DuckDB writer at a time (DuckDB allows a single writing process).
materialize_all = dg.define_asset_job(
    name="materialize_all",
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description="Load every extracted CSV, build and test the dbt project, then materialise the metric marts.",
)

defs = dg.Definitions(
    assets=[*raw_assets, warehouse_dbt_assets, *metric_mart_assets],
    jobs=[materialize_all],
    resources={
        "warehouse": WarehouseResource(),
        # The dbt beside this interpreter: the project's own virtual environment, whatever PATH says.
        "dbt": DbtCliResource(
            project_dir=DBT_PROJECT,
            profiles_dir=str(DBT_PROJECT.profiles_dir),
            dbt_executable=str(Path(sys.executable).parent / "dbt"),
        ),
    },
)
