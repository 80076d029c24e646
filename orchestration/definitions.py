"""The code location: the raw figures asset, dbt assets and checks, and the job that builds everything."""

import sys
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.defs.assets.dbt import DBT_PROJECT, warehouse_dbt_assets
from orchestration.defs.assets.metrics import build_metric_mart_assets
from orchestration.defs.assets.police_uk import police_uk_street_crime
from orchestration.defs.assets.publish import build_published_asset, warehouse_build
from orchestration.defs.assets.raw import build_raw_asset
from orchestration.defs.automation import build_automation
from orchestration.defs.resources import WarehouseResource
from orchestration.lib.run_log import LOGGERS

raw_figures = build_raw_asset()
metric_mart_assets = build_metric_mart_assets()
# Publishing waits for every table the run builds: all dbt models and the metric marts.
published_warehouse = build_published_asset(
    [*warehouse_dbt_assets.keys, *(key for asset in metric_mart_assets for key in asset.keys)]
)

# One process, so one DuckDB writer at a time (DuckDB allows a single writing process).
materialize_all = dg.define_asset_job(
    name="materialize_all",
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description=(
        "Start a fresh build file, load every extracted CSV, build and test the dbt project, materialise the "
        "metric marts, and publish the warehouse atomically if every error-severity check passed."
    ),
)

extracted_csv_sensor, after_financial_quarter = build_automation(materialize_all)

defs = dg.Definitions(
    assets=[
        warehouse_build,
        raw_figures,
        police_uk_street_crime,
        warehouse_dbt_assets,
        *metric_mart_assets,
        published_warehouse,
    ],
    jobs=[materialize_all],
    sensors=[extracted_csv_sensor],
    schedules=[after_financial_quarter],
    # `make run` picks its quiet loggers in the run config; a run config without loggers (the UI) gets
    # Dagster's default console logger.
    loggers=LOGGERS,
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
