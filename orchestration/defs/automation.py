"""When the warehouse refreshes: a sensor for new or changed CSVs, a schedule after each financial quarter.

Both keep police.uk's month partitions in step with the archives and say which months their run covers: every month,
or (the sensor, when only one month's street files changed) that month alone. Which months are landed again is the
lake's own test (``orchestration.lib.police_uk.land``, by sha256); the sensor's fingerprints only decide when to run."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import dagster as dg

from orchestration.defs import partitions
from orchestration.lib import paths, police_uk
from orchestration.lib.contract import ContractError

STREET_PREFIX = "police_uk/"


def street_dirs(data_dir: Path = paths.DATA_DIR) -> list[Path]:
    """The police.uk archives the sensor watches: the run's (``police_uk.default_dirs``) for the project's data
    folder, ``<data_dir>/police_uk`` for any other (tests)."""
    return police_uk.default_dirs() if data_dir == paths.DATA_DIR else [data_dir / "police_uk"]


def csv_fingerprints(data_dir: Path = paths.DATA_DIR) -> dict[str, str]:
    """sha256 of each CSV under data/ (the figures and the exclusions) and of the data contract: content,
    not modification time. police.uk street files are many and large: their size and modification time, a cheap
    trigger (the landing itself compares sha256)."""
    inputs = sorted([*data_dir.glob("*.csv"), *data_dir.glob("contract.yml")])
    prints = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in inputs}
    try:
        prints |= {f"{STREET_PREFIX}{f.name}": f.fingerprint for f in police_uk.discover(street_dirs(data_dir))}
    except ContractError:
        prints["police_uk"] = "unreadable"  # the run will report why
    return prints


def changed_files(previous: dict[str, str], current: dict[str, str]) -> list[str]:
    """Names added, changed or removed between two fingerprints."""
    return sorted(name for name in previous.keys() | current.keys() if previous.get(name) != current.get(name))


def changed_month(changed: list[str]) -> str | None:
    """The one police.uk month whose street files are all that changed; None when anything else changed too."""
    street = [name.split("/") for name in changed if name.startswith(STREET_PREFIX) and name.count("/") == 2]
    months = {parts[1] for parts in street}
    return months.pop() if len(street) == len(changed) and len(months) == 1 else None


def build_automation(job: dg.UnresolvedAssetJobDefinition, data_dir: Path = paths.DATA_DIR):
    @dg.sensor(
        job=job,
        minimum_interval_seconds=60,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Runs the job when a CSV under data/ or the data contract is added, changed or removed (by "
        "content), or a police.uk street file is (by size and modification time): over every police.uk month, or "
        "over the one month whose street files are all that changed. Registers new months as partitions first.",
    )
    def extracted_csv_sensor(context: dg.SensorEvaluationContext):
        current = csv_fingerprints(data_dir)
        previous = json.loads(context.cursor) if context.cursor else {}
        changed = changed_files(previous, current)
        if not changed:
            return dg.SkipReason("no new, changed or removed CSV under data/")
        added, deleted, keys = partitions.month_changes(
            context.instance.get_dynamic_partitions(partitions.POLICE_UK_MONTHS.name),
            police_uk.archive_months(street_dirs(data_dir)),
        )
        month = changed_month(changed)
        tags = partitions.range_tags(month, month) if month in keys else partitions.all_months_tags(keys)
        # The run key is the content of all inputs: the same inputs never start a second run.
        run_key = hashlib.sha256(json.dumps(current, sort_keys=True).encode()).hexdigest()[:32]
        return dg.SensorResult(
            run_requests=[dg.RunRequest(run_key=run_key, tags={"changed_files": ",".join(changed)[:1000], **tags})],
            cursor=json.dumps(current, sort_keys=True),
            dynamic_partitions_requests=[
                *([partitions.POLICE_UK_MONTHS.build_add_request(added)] if added else []),
                *([partitions.POLICE_UK_MONTHS.build_delete_request(deleted)] if deleted else []),
            ],
        )

    @dg.schedule(
        name="after_financial_quarter",
        job=job,
        # UK police financial quarters end 30 June, 30 September, 31 December and 31 March.
        cron_schedule="0 6 1 1,4,7,10 *",
        execution_timezone="Europe/London",
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description="Refreshes the warehouse at 06:00 on the first day after each financial quarter ends, over "
        "every police.uk month.",
    )
    def after_financial_quarter(context: dg.ScheduleEvaluationContext):
        keys = partitions.sync_months(context.instance, street_dirs(data_dir))
        return dg.RunRequest(tags=partitions.all_months_tags(keys))

    return extracted_csv_sensor, after_financial_quarter
