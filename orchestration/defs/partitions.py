"""police.uk's month partitions: one Dagster partition per month folder of the street-file archive.

The partitions are dynamic (``police_uk_month``), not a calendar: they are exactly the months the archive holds
(``orchestration.lib.police_uk.default_dirs``), kept in step with the archives by ``make run``, the sensor and the
schedule (one function, ``sync_months``) before they start a run. A run covers a range of them: ``make run`` and the
schedule every month (only changed months are landed again), the sensor the one month that changed, the UI any month
or range picked there. The range is passed as Dagster's partition-range run tags, so one run covers many months
(the asset's backfill policy is a single run).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import dagster as dg

from orchestration.lib import police_uk

POLICE_UK_MONTHS = dg.DynamicPartitionsDefinition(name="police_uk_month")
# Dagster's run tags for a run over a range of partitions (dagster._core.storage.tags).
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


def month_changes(registered: Sequence[str], present: Sequence[str]) -> tuple[list[str], list[str], list[str]]:
    """(months to add, months to delete, the partition keys in Dagster's order afterwards: the registered ones
    still present, then the new ones)."""
    added = [m for m in present if m not in registered]
    deleted = [m for m in registered if m not in present]
    return added, deleted, [m for m in registered if m in present] + added


def sync_months(instance: dg.DagsterInstance, folders: Sequence[Path]) -> list[str]:
    """Register each month of the archives as a partition and delete the partitions whose month is gone (any
    landing removes a gone month from the lake). Returns the partition keys in Dagster's order."""
    added, deleted, keys = month_changes(
        instance.get_dynamic_partitions(POLICE_UK_MONTHS.name), police_uk.archive_months(folders)
    )
    if added:
        instance.add_dynamic_partitions(POLICE_UK_MONTHS.name, added)
    for month in deleted:
        instance.delete_dynamic_partition(POLICE_UK_MONTHS.name, month)
    return keys


def range_tags(first: str, last: str) -> dict[str, str]:
    """Run tags for a run over the partitions ``first`` to ``last`` (in Dagster's order)."""
    return {RANGE_START_TAG: first, RANGE_END_TAG: last}


def all_months_tags(keys: Sequence[str]) -> dict[str, str]:
    """Run tags for a run over every partition; none when there is none (the load then fails and says why)."""
    return range_tags(keys[0], keys[-1]) if keys else {}


def run_tags(
    instance: dg.DagsterInstance, folders: Sequence[Path], month: str | None = None
) -> tuple[dict[str, str], str]:
    """A run's police.uk tags, after registering the archives' months: every month, or ``month`` alone; and a line
    saying which."""
    keys = sync_months(instance, folders)
    if month is None:
        span = f"{keys[0]} to {keys[-1]}, {len(keys)} months" if keys else "none in the archive"
        return all_months_tags(keys), f"police.uk months: {span}"
    if month not in keys:
        where = ", ".join(str(f) for f in folders)
        raise SystemExit(f"police.uk month {month} is not in {where} ({', '.join(keys) or 'no month'})")
    return range_tags(month, month), f"police.uk months: {month} only"
