"""``make run``: materialise every asset into the warehouse and print a short summary.

Runs the ``materialize_all`` job in this process against the Dagster instance in ``DAGSTER_HOME``,
so the run also shows in the Dagster UI (``make dev``).
"""

from __future__ import annotations

import sys
from collections import Counter

import dagster as dg

from orchestration import paths


def summarise(result: dg.ExecuteInProcessResult) -> tuple[str, bool]:
    materialised = [e.asset_key.to_user_string() for e in result.get_asset_materialization_events()]
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
    return "\n".join(lines), result.success


def main() -> int:
    from orchestration.definitions import defs

    job = defs.resolve_job_def("materialize_all")
    with dg.DagsterInstance.get() as instance:
        result = job.execute_in_process(instance=instance, raise_on_error=False)
    text, ok = summarise(result)
    print(text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
