"""police.uk street-level crime: ``<POLICE_UK_DIR>/YYYY-MM/*-street.csv[.gz]`` -> ``raw.police_uk_street_crime``.

The asset key ``["raw", "police_uk_street_crime"]`` is the dbt source key. It is partitioned by month
(``orchestration/defs/partitions.py``): a run loads the months of its partition range, and of those only the files
that are new or changed since the last published warehouse (the run's build file starts with its police.uk tables,
``warehouse_build``; ``raw.police_uk_loads`` keeps one row per file). ``int_street_crime_file_counts`` (a dbt
incremental model) then counts only those files' rows. ``make run`` covers every month; a run for one month (the
sensor's, or one picked in the UI) loads that month alone, and ``reload`` reads its files even if unchanged.
"""

import warnings

import dagster as dg
from pydantic import Field

from orchestration.defs.assets.publish import BUILD_KEY
from orchestration.defs.partitions import POLICE_UK_MONTHS
from orchestration.defs.resources import WarehouseResource
from orchestration.lib import paths, police_uk
from orchestration.lib.contract import ContractError
from orchestration.lib.raw_loader import connect

POLICE_UK_KEY = dg.AssetKey([police_uk.RAW_SCHEMA, police_uk.STREET_TABLE_NAME])


# Dagster 1.13 marks `backfill_policy` beta; it is what keeps a range of months in one run (one DuckDB writer), so
# its warning on every import says nothing new.
warnings.filterwarnings("ignore", message="Parameter `backfill_policy`", category=dg.BetaWarning)


class PoliceUkLoadConfig(dg.Config):
    reload: bool = Field(
        default=False,
        description="Read every file of the run's months again, even those unchanged since they were loaded.",
    )


@dg.asset(
    key=POLICE_UK_KEY,
    deps=[BUILD_KEY],
    partitions_def=POLICE_UK_MONTHS,
    # A range of months is one run (one DuckDB writer), not a run per month.
    backfill_policy=dg.BackfillPolicy.single_run(),
    group_name="raw",
    kinds={"duckdb", "csv"},
    description="police.uk street-level crime (data.police.uk, Open Government Licence v3.0): every month file of "
    "`POLICE_UK_DIR` (default `data/police_uk`, Essex Police January-July 2018) read by its header and checked, "
    "then only new or changed files loaded (replacing their rows) in one transaction. One partition per month of "
    "the archive; a run loads the months of its partition range.",
    metadata={"source_files": dg.MetadataValue.path(str(police_uk.default_dir()))},
)
def police_uk_street_crime(
    context: dg.AssetExecutionContext, config: PoliceUkLoadConfig, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    folder = police_uk.default_dir()
    if not (context.has_partition_key or context.has_partition_key_range):
        raise dg.Failure(
            description="police.uk is loaded by month: run with a police_uk_month partition or range (`make run` "
            "passes every month of the archive; in the UI pick the months)."
        )
    months = context.partition_keys
    with connect(warehouse.path) as con:
        try:
            result = police_uk.load(con, folder, months=months, reload=config.reload)
        except ContractError as exc:
            shown = "\n".join(f"- {v}" for v in exc.violations[:200])
            raise dg.Failure(
                description=f"the police.uk street files break the published layout ({len(exc.violations)} "
                f"violation(s)); nothing was loaded and nothing will be published:\n{shown}",
                metadata={"violations": dg.MetadataValue.md(shown)},
            ) from exc
    where = folder.relative_to(paths.REPO) if folder.is_relative_to(paths.REPO) else folder
    loaded = ", ".join(result.rows_by_month) or "none"
    waiting = f"; {result.files_waiting} new or changed file(s) of other months wait" if result.files_waiting else ""
    context.log.info(
        f"months {_span(months)}: loaded {result.rows_loaded} rows from {result.files_loaded} new or changed "
        f"file(s) of {where} (months {loaded}); {result.files_unchanged} unchanged; {result.files_removed} removed"
        f"{waiting}; {result.total_rows} rows in all"
    )
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": result.total_rows,
            "rows_loaded": result.rows_loaded,
            "files_loaded": result.files_loaded,
            "files_unchanged": result.files_unchanged,
            "files_removed": result.files_removed,
            "files_waiting": result.files_waiting,
            "months_in_run": _span(months),
            "rows_by_month_loaded": dg.MetadataValue.json(result.rows_by_month),
            "table": police_uk.STREET_TABLE,
        }
    )


def _span(months: list[str]) -> str:
    return months[0] if len(months) == 1 else f"{months[0]} to {months[-1]} ({len(months)})"
