"""The ends of a run: start the private build file afresh, and publish it once everything has passed."""

from collections.abc import Sequence

import dagster as dg

from orchestration.defs.resources import WarehouseResource
from orchestration.lib import publish

BUILD_KEY = dg.AssetKey(["warehouse_build"])
PUBLISHED_KEY = dg.AssetKey(["published_warehouse"])
INPUTS_TAG = "warehouse/inputs_fingerprint"


@dg.asset(
    key=BUILD_KEY,
    group_name="publish",
    kinds={"duckdb"},
    description="Starts the run's private build file (WAREHOUSE_BUILD_PATH) afresh; every raw load depends on it, "
    "so a run never builds on what a killed run left. Nothing is carried between runs: police.uk's months live in "
    "the lake, which dbt reads.",
)
def warehouse_build(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    publish.reset_build(warehouse.path)
    context.log.info("build file started afresh")
    return dg.MaterializeResult(metadata={"build_path": dg.MetadataValue.path(str(warehouse.path))})


def build_published_asset(upstream: Sequence[dg.AssetKey]) -> dg.AssetsDefinition:
    @dg.asset(
        key=PUBLISHED_KEY,
        deps=list(upstream),
        group_name="publish",
        kinds={"duckdb"},
        description="Copies the finished build beside the published warehouse (WAREHOUSE_PATH), checks it opens and "
        "every mart has rows, and swaps it in with an atomic rename. It runs only when every upstream asset, and so "
        "every error-severity dbt test, has passed; readers never see a half-built warehouse.",
    )
    def published_warehouse(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
        # make run tags its run with the inputs' fingerprint taken before it started; other runs record none.
        fingerprint = context.run.tags.get(INPUTS_TAG, "")
        result = publish.publish(
            warehouse.path, warehouse.published_path, run_id=context.run_id, inputs_fingerprint=fingerprint
        )
        context.log.info(f"published {result.published} (content hash {result.content_hash[:16]})")
        return dg.MaterializeResult(
            metadata={
                "published_path": dg.MetadataValue.path(str(result.published)),
                "content_hash": result.content_hash,
                "marts": len(result.tables),
                "mart_rows": sum(result.tables.values()),
            }
        )

    return published_warehouse
