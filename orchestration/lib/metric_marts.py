"""Materialise MetricFlow saved queries as mart tables, so BI tools read metrics without MetricFlow.

Each saved query (``models/marts/metrics/key_metrics.yml``) becomes ``marts.metric_<name>``, built
from the SQL MetricFlow itself generates: the numbers are those ``mf query --saved-query <name>``
gives. Columns get plain names and types (dates, DOUBLE metrics, VARCHAR dimensions) for BI tools.

MetricFlow compiles the SQL here, in this process, without any warehouse connection: the engine is
built from ``target/semantic_manifest.json`` with a client that only renders DuckDB SQL and refuses to
run anything. So no second DuckDB connection is ever open while this process writes (DuckDB allows one
writer), and no child process is needed. The SQL is the same as the ``mf`` command line's (checked
request by request against the adapter-backed client it uses).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from orchestration.lib import paths
from orchestration.lib.raw_loader import attach_as_warehouse

MART_SCHEMA = "marts"
SEMANTIC_MANIFEST = paths.REPO / "target" / "semantic_manifest.json"


@dataclass(frozen=True)
class SavedQuery:
    name: str
    metrics: tuple[str, ...]
    description: str


def saved_queries(manifest: Path = SEMANTIC_MANIFEST) -> list[SavedQuery]:
    data = json.loads(manifest.read_text())
    return [
        SavedQuery(q["name"], tuple(q["query_params"]["metrics"]), " ".join((q.get("description") or "").split()))
        for q in data["saved_queries"]
    ]


def column_name(metricflow_name: str) -> str:
    """``metric_time__financial_year`` -> ``financial_year_start``; ``figure__breakdown`` -> ``breakdown``."""
    if metricflow_name.startswith("metric_time__"):
        grain = metricflow_name.removeprefix("metric_time__")
        return "period_end_date" if grain == "day" else f"{grain}_start"
    return metricflow_name.split("__")[-1]


class CompileOnlySqlClient:
    """MetricFlow's ``SqlClient`` protocol for DuckDB SQL that never touches a database.

    ``MetricFlowEngine.explain`` needs only the engine type and the SQL renderer; running a query through
    this client is a programming error, so it raises.
    """

    def __init__(self) -> None:
        from metricflow.protocols.sql_client import SqlEngine
        from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer

        self.sql_engine_type = SqlEngine.DUCKDB
        self.sql_plan_renderer = DuckDbSqlPlanRenderer()

    def _refuse(self, *args, **kwargs):
        raise RuntimeError("the compile-only MetricFlow client runs no SQL: use the warehouse connection")

    query = execute = dry_run = render_bind_parameter_key = _refuse

    def close(self) -> None:
        pass


def compile_sql(requests: list[dict], manifest: Path = SEMANTIC_MANIFEST) -> list[str]:
    """Ask MetricFlow for the SQL of each request; no query is run and no connection is opened.

    A request holds ``MetricFlowQueryRequest.create`` arguments: ``saved_query_name``, or
    ``metric_names`` with ``group_by_names`` and optional ``where_constraints``.
    """
    from metricflow.engine.metricflow_engine import MetricFlowEngine, MetricFlowQueryRequest
    from metricflow_semantics.model.dbt_manifest_parser import parse_manifest_from_dbt_generated_manifest
    from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup

    semantic_manifest = parse_manifest_from_dbt_generated_manifest(manifest_json_string=manifest.read_text())
    engine = MetricFlowEngine(
        semantic_manifest_lookup=SemanticManifestLookup(semantic_manifest), sql_client=CompileOnlySqlClient()
    )
    return [
        engine.explain(mf_request=MetricFlowQueryRequest.create(**request)).sql_statement.without_descriptions.sql
        for request in requests
    ]


def materialise(queries: list[SavedQuery], sql_by_name: dict[str, str], warehouse: Path) -> dict[str, int]:
    """Write ``marts.metric_<name>`` for each saved query in one transaction; return row counts."""
    rows: dict[str, int] = {}
    with attach_as_warehouse(warehouse) as con:
        con.execute("begin transaction")
        try:
            for query in queries:
                sql = sql_by_name[query.name]
                described = con.execute(f"describe {sql}").fetchall()
                selects, metric_columns = [], []
                for name, duck_type, *_ in described:
                    target = column_name(name)
                    if not re.fullmatch(r"[a-z][a-z0-9_]*", target):
                        raise ValueError(f"saved query {query.name}: column {name!r} gives no plain name")
                    if name in query.metrics:
                        # MetricFlow averages doubles in whatever order DuckDB's threads deliver them, which
                        # moves the last bits; ten decimals keep the same inputs giving the same table.
                        selects.append(f'round("{name}"::double, 10) as {target}')
                        metric_columns.append(target)
                    elif name.startswith("metric_time__") or duck_type in ("DATE", "TIMESTAMP"):
                        selects.append(f'"{name}"::date as {target}')
                    else:
                        selects.append(f'"{name}"::varchar as {target}')
                # A row where MetricFlow found no value for any metric says nothing: leave it out.
                keep = " or ".join(f"{m} is not null" for m in metric_columns)
                table = f"{MART_SCHEMA}.metric_{query.name}"
                con.execute(
                    f"create or replace table {table} as "  # noqa: S608 - names from the semantic manifest
                    f"select * from (select {', '.join(selects)} from ({sql})) where {keep} order by all"
                )
                con.execute(f"comment on table {table} is $${query.description}$$")
                rows[table] = con.execute(f"select count(*) from {table}").fetchone()[0]  # noqa: S608
                if rows[table] == 0:
                    raise ValueError(f"{table} would be empty: BI tools break on an empty source")
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
    return rows
