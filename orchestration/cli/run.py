"""``make run``: materialise every asset into the warehouse and print a short summary.

Runs the ``materialize_all`` job in this process against the Dagster instance in ``DAGSTER_HOME``,
so the run also shows in the Dagster UI (``make dev``). The run covers every police.uk month partition
(registered from the archives first); ``--month YYYY-MM`` runs one month's partition instead
(``make run MONTH=...``). The terminal gets one line per step and the summary; the complete log (every event,
dbt's output) goes to ``logs/run-<run id>.log``, which ``logs/last-run.log`` links to (``orchestration/run_log.py``).

A run whose inputs are all unchanged since the published warehouse was built (``orchestration/lib/inputs.py``)
prints ``nothing changed: <published run id>`` and stops before it imports Dagster; ``--force`` (``make run
FORCE=1``) runs anyway.
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from orchestration.lib import inputs, paths

if TYPE_CHECKING:
    import dagster as dg


def summarise(result: dg.ExecuteInProcessResult, log_path: Path | None = None) -> tuple[str, bool]:
    import dagster as dg

    from orchestration.lib import run_log

    # A partitioned asset records one materialisation per month: count assets, not events.
    materialised = sorted({e.asset_key.to_user_string() for e in result.get_asset_materialization_events()})
    checks = [
        e.event_specific_data for e in result.all_events if e.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION
    ]
    outcome = Counter("passed" if c.passed else c.severity.value.lower() for c in checks)
    failed_steps = [e.step_key for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_FAILURE]
    lines = [
        "",
        "== Summary ==",
        f"run: {'succeeded' if result.success else 'FAILED'} (run id {result.run_id})",
        f"assets materialised: {len(materialised)}",
        f"checks: {outcome['passed']} passed, {outcome['error']} failed (error), {outcome['warn']} failed (warn)",
    ]
    failed_checks = [f"{c.asset_key.to_user_string()}:{c.check_name}" for c in checks if not c.passed]
    lines += [f"  check failed: {name}" for name in failed_checks]
    lines += [f"  step failed: {step}" for step in failed_steps]
    published = [
        e.event_specific_data.materialization
        for e in result.get_asset_materialization_events()
        if e.asset_key.to_user_string() == "published_warehouse"
    ]
    if published:
        content_hash = published[0].metadata["content_hash"].value
        lines.append(f"published: {paths.warehouse_path()} (content hash {content_hash[:16]})")
    else:
        lines.append(f"NOT published: {paths.warehouse_path()} still holds the last good warehouse")
    lines.append(f"build file: {paths.build_path()}")
    if log_path is not None:
        shown = log_path.relative_to(paths.REPO) if log_path.is_relative_to(paths.REPO) else log_path
        lines.append(f"full log: {shown} (the newest is always {run_log.LAST_RUN_LOG.relative_to(paths.REPO)})")
    return "\n".join(lines), result.success


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Materialise every asset; print a short summary.")
    parser.add_argument("--month", help="load only this police.uk month (YYYY-MM) in this run")
    parser.add_argument("--force", action="store_true", help="run even when no input changed since the last publish")
    args = parser.parse_args(argv)
    # Before Dagster is imported: an unchanged run costs the fingerprint alone. A one-month run builds from part
    # of the archives, so it neither skips nor records a fingerprint.
    started = time.monotonic()
    fingerprint = "" if args.month else inputs.fingerprint()
    if fingerprint and not args.force and (published_run := inputs.unchanged_run(fingerprint)):
        print(
            f"nothing changed: {published_run} ({paths.warehouse_path()} was built from these inputs; "
            f"checked in {time.monotonic() - started:.1f} s; make run FORCE=1 runs anyway)"
        )
        return 0

    import dagster as dg  # here, after the check: importing Dagster alone takes seconds

    from orchestration.definitions import defs
    from orchestration.defs import partitions
    from orchestration.defs.assets.publish import INPUTS_TAG
    from orchestration.lib import police_uk, run_log

    job = defs.resolve_job_def("materialize_all")
    run_id = str(uuid.uuid4())  # chosen here, so the log file can carry it from the start
    with dg.DagsterInstance.get() as instance:
        tags, months_line = partitions.run_tags(instance, police_uk.default_dirs(), args.month or None)
        if fingerprint:
            tags = {**tags, INPUTS_TAG: fingerprint}
        log_path = run_log.start_run_log(run_id)  # after the months are known good: no empty log for a typo
        print(f"materialize_all: run {run_id}, full log in {log_path.relative_to(paths.REPO)}", flush=True)
        print(months_line, flush=True)
        with run_log.printed_output_to(log_path):
            result = job.execute_in_process(
                run_config=run_log.run_config(log_path),
                instance=instance,
                run_id=run_id,
                tags=tags,
                raise_on_error=False,
            )
    text, ok = summarise(result, log_path)
    print(text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
