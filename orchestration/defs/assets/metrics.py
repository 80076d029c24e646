"""MetricFlow saved queries as mart tables: one asset per saved query, after the dbt models they read."""

import dagster as dg

from orchestration.defs.resources import WarehouseResource
from orchestration.lib import metric_marts

# The dbt models MetricFlow reads (their asset keys are [schema, model]).
SEMANTIC_INPUTS = [
    dg.AssetKey(["marts", name]) for name in ("fct_metric_values", "dim_date", "dim_metric", "dim_geography")
]


def build_metric_mart_assets() -> list[dg.AssetsDefinition]:
    if not metric_marts.SEMANTIC_MANIFEST.exists():
        raise FileNotFoundError(f"{metric_marts.SEMANTIC_MANIFEST} is missing: run `make manifest` (dbt parse) first")
    queries = metric_marts.saved_queries()
    specs = [
        dg.AssetSpec(
            key=dg.AssetKey([metric_marts.MART_SCHEMA, f"metric_{q.name}"]),
            deps=SEMANTIC_INPUTS,
            group_name="marts",
            kinds={"duckdb", "metricflow"},
            description=f"MetricFlow saved query `{q.name}` materialised for BI tools: {q.description} "
            f"Metrics: {', '.join(q.metrics)}.",
            tags={"domain": "all"},
        )
        for q in queries
    ]

    @dg.multi_asset(specs=specs, name="metric_marts")
    def _materialise(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
        sql = metric_marts.compile_sql([{"saved_query_name": q.name} for q in queries])
        counts = metric_marts.materialise(
            queries, dict(zip([q.name for q in queries], sql, strict=True)), warehouse.path
        )
        for spec in specs:
            table = ".".join(spec.key.path)
            context.log.info(f"{table}: {counts[table]} rows")
            yield dg.MaterializeResult(
                asset_key=spec.key, metadata={"dagster/row_count": counts[table], "table": table}
            )

    return [_materialise]
