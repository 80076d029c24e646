"""police.uk street-level crime: ``<POLICE_UK_DIR>/YYYY-MM/*-street.csv[.gz]`` -> ``raw.police_uk_street_crime``.

The asset key ``["raw", "police_uk_street_crime"]`` is the dbt source key. The load is by month file and
incremental: the run's build file starts with the last published warehouse's police.uk tables (``warehouse_build``),
so the asset reads only the files that are new or changed since then (``raw.police_uk_loads`` keeps one row per
file), and ``int_street_crime_file_counts`` (a dbt incremental model) counts only their rows. One asset loads every missing month
in the one ``materialize_all`` run; its materialisation records the months it loaded.
"""

import dagster as dg

from orchestration.defs.assets.publish import BUILD_KEY
from orchestration.defs.resources import WarehouseResource
from orchestration.lib import paths, police_uk
from orchestration.lib.contract import ContractError
from orchestration.lib.raw_loader import connect

POLICE_UK_KEY = dg.AssetKey([police_uk.RAW_SCHEMA, police_uk.STREET_TABLE_NAME])


@dg.asset(
    key=POLICE_UK_KEY,
    deps=[BUILD_KEY],
    group_name="raw",
    kinds={"duckdb", "csv"},
    description="police.uk street-level crime (data.police.uk, Open Government Licence v3.0): every month file of "
    "`POLICE_UK_DIR` (default `data/police_uk`, Essex Police January-July 2018) read by its header and checked, "
    "then only new or changed files loaded (replacing their rows) in one transaction.",
    metadata={"source_files": dg.MetadataValue.path(str(police_uk.default_dir()))},
)
def police_uk_street_crime(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    folder = police_uk.default_dir()
    with connect(warehouse.path) as con:
        try:
            result = police_uk.load(con, folder)
        except ContractError as exc:
            shown = "\n".join(f"- {v}" for v in exc.violations[:200])
            raise dg.Failure(
                description=f"the police.uk street files break the published layout ({len(exc.violations)} "
                f"violation(s)); nothing was loaded and nothing will be published:\n{shown}",
                metadata={"violations": dg.MetadataValue.md(shown)},
            ) from exc
    where = folder.relative_to(paths.REPO) if folder.is_relative_to(paths.REPO) else folder
    months = ", ".join(result.rows_by_month) or "none"
    context.log.info(
        f"loaded {result.rows_loaded} rows from {result.files_loaded} new or changed file(s) of {where} "
        f"(months {months}); {result.files_unchanged} unchanged; {result.total_rows} rows in all"
    )
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": result.total_rows,
            "rows_loaded": result.rows_loaded,
            "files_loaded": result.files_loaded,
            "files_unchanged": result.files_unchanged,
            "files_removed": result.files_removed,
            "rows_by_month_loaded": dg.MetadataValue.json(result.rows_by_month),
            "table": police_uk.STREET_TABLE,
        }
    )
