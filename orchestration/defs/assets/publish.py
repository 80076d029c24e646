"""The ends of a run: start the private build file afresh, and publish it once everything has passed."""

from collections.abc import Sequence

import dagster as dg

from orchestration.defs.resources import WarehouseResource
from orchestration.lib import police_uk, publish

BUILD_KEY = dg.AssetKey(["warehouse_build"])
PUBLISHED_KEY = dg.AssetKey(["published_warehouse"])


@dg.asset(
    key=BUILD_KEY,
    group_name="publish",
    kinds={"duckdb"},
    description="Starts the run's private build file (WAREHOUSE_BUILD_PATH) afresh; every raw load depends on it, "
    "so a run never builds on what a killed run left. It carries only police.uk's loaded months (raw rows, their "
    "bookkeeping and the incremental int_street_crime_file_counts) from the last published warehouse, never from a previous build.",
)
def warehouse_build(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    # The one state carried between runs: police.uk's loaded months, from the last good (published) warehouse.
    keep, why = police_uk.carried_tables(warehouse.published_path)
    carried = publish.reset_build(warehouse.path, carry_from=warehouse.published_path if keep else None, keep=keep)
    context.log.info(f"build file started afresh; police.uk: {why}")
    return dg.MaterializeResult(
        metadata={"build_path": dg.MetadataValue.path(str(warehouse.path)), "carried": dg.MetadataValue.json(carried)}
    )


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
        result = publish.publish(warehouse.path, warehouse.published_path, run_id=context.run_id)
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
