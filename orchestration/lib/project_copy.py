"""A working copy of the project in another folder, for tests and benchmarks that change its inputs
(a synthetic domain, thousands of synthetic documents) without touching the real ones.

The copy holds the files git tracks and the untracked ones it does not ignore, as they are in the
working tree; it runs with this checkout's virtual environment and a warehouse of its own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from orchestration.lib import inputs, paths


def copy_project(dest: Path, source: Path = paths.REPO) -> Path:
    for name in inputs.project_files(source):
        if name.startswith("reports/"):
            continue  # the Evidence site is not part of a warehouse build
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / name, target)
    return dest


def run_env(copy: Path) -> dict[str, str]:
    """The environment `make run` sets, pointed at the copy's own warehouse and Dagster home."""
    home = copy / ".dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    bin_dir = str(Path(sys.executable).parent)
    return {
        **os.environ,
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
        "WAREHOUSE_PATH": str(copy / "warehouse.duckdb"),
        "WAREHOUSE_BUILD_PATH": str(copy / ".build" / "warehouse.duckdb"),
        "DAGSTER_HOME": str(home),
        # The copy's own lake: a run removes from its lake the months its archives lack, and a copy's archives
        # are its own (data/police_uk; the national months only when ../shared sits beside the copy).
        "POLICE_UK_LAKE": str(copy / "lake" / "police_uk"),
        "DBT_PROFILES_DIR": str(copy),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_VERSION_CHECK": "false",
        "DO_NOT_TRACK": "1",
    }


def build(copy: Path, timeout: float = 1800) -> subprocess.CompletedProcess:
    """`dbt parse` and the whole job in the copy, as `make run` does; returns the job's process."""
    env = run_env(copy)
    bin_dir = Path(sys.executable).parent
    subprocess.run([str(bin_dir / "dbt"), "parse", "--quiet"], cwd=copy, env=env, check=True, timeout=timeout)
    return subprocess.run(
        [sys.executable, "-m", "orchestration.cli.run"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
