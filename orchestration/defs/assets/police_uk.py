"""police.uk street-level crime: the archives' ``YYYY-MM/*-street.csv[.gz]`` -> the Parquet lake, one file a month.

The asset key ``["lake", "police_uk_street_crime"]`` is the dbt source key: dbt reads the lake as an external
source and rebuilds its police.uk models from it every run. The asset is partitioned by month
(``orchestration/defs/partitions.py``): a run lands the months of its partition range whose files changed (by
sha256) since they were landed, or every one of them with ``reload``; a month gone from the archives leaves the lake
in any run. ``make run`` covers every month.
"""

import warnings

import dagster as dg
from pydantic import Field

from orchestration.defs.partitions import POLICE_UK_MONTHS
from orchestration.lib import police_uk
from orchestration.lib.contract import ContractError

POLICE_UK_KEY = dg.AssetKey([police_uk.LAKE_SOURCE, police_uk.STREET_TABLE_NAME])


# Dagster 1.13 marks `backfill_policy` beta; it is what keeps a range of months in one run (one DuckDB writer), so
# its warning on every import says nothing new.
warnings.filterwarnings("ignore", message="Parameter `backfill_policy`", category=dg.BetaWarning)


class PoliceUkLandConfig(dg.Config):
    reload: bool = Field(
        default=False,
        description="Land every month of the run again, even those whose files are unchanged since they were landed.",
    )


@dg.asset(
    key=POLICE_UK_KEY,
    partitions_def=POLICE_UK_MONTHS,
    # A range of months is one run (one DuckDB writer), not a run per month.
    backfill_policy=dg.BackfillPolicy.single_run(),
    group_name="lake",
    kinds={"parquet", "csv"},
    description="police.uk street-level crime (data.police.uk, Open Government Licence v3.0): every month file of "
    "the archives (`data/police_uk`, Essex Police January-July 2018, and `../shared/police_uk_national` when present; "
    "or `POLICE_UK_DIR` alone) read by its header and checked, then landed as one Parquet file per month in "
    "`POLICE_UK_LAKE` (default `lake/police_uk/month=YYYY-MM/street.parquet`), replaced atomically. One partition per "
    "month of the archives; a run lands the changed months of its partition range.",
    metadata={"lake": dg.MetadataValue.path(str(police_uk.lake_dir()))},
)
def police_uk_street_crime(context: dg.AssetExecutionContext, config: PoliceUkLandConfig) -> dg.MaterializeResult:
    if not (context.has_partition_key or context.has_partition_key_range):
        raise dg.Failure(
            description="police.uk is landed by month: run with a police_uk_month partition or range (`make run` "
            "passes every month of the archives; in the UI pick the months)."
        )
    months = context.partition_keys
    folders, lake = police_uk.default_dirs(), police_uk.lake_dir()
    try:
        result = police_uk.land(folders, lake, months=months, reload=config.reload)
    except ContractError as exc:
        shown = "\n".join(f"- {v}" for v in exc.violations[:200])
        raise dg.Failure(
            description=f"the police.uk street files break the published layout ({len(exc.violations)} "
            f"violation(s)); nothing was landed and nothing will be published:\n{shown}",
            metadata={"violations": dg.MetadataValue.md(shown)},
        ) from exc
    stale = f"; changed but outside this run: {', '.join(result.months_stale)}" if result.months_stale else ""
    removed = f"; removed from the lake: {', '.join(result.months_removed)}" if result.months_removed else ""
    context.log.info(
        f"months {_span(months)}: landed {result.rows_landed} rows from {result.files_landed} file(s) "
        f"(months {', '.join(result.months_landed) or 'none'}); {len(result.months_unchanged)} month(s) unchanged"
        f"{removed}{stale}; {result.lake_rows} rows in {len(result.lake_months)} month(s) of {lake}"
    )
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": result.lake_rows,
            "rows_landed": result.rows_landed,
            "files_landed": result.files_landed,
            "months_landed": dg.MetadataValue.json(result.months_landed),
            "months_unchanged": len(result.months_unchanged),
            "months_removed": dg.MetadataValue.json(result.months_removed),
            "months_stale": dg.MetadataValue.json(result.months_stale),
            "months_in_run": _span(months),
            "lake": dg.MetadataValue.path(str(lake)),
        }
    )


def _span(months: list[str]) -> str:
    return months[0] if len(months) == 1 else f"{months[0]} to {months[-1]} ({len(months)})"
