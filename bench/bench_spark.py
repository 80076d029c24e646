"""Benchmark: the dbt project built on Spark beside the same build on DuckDB, in one run.

Spark: the whole `make spark-check` (`spark/check.py` with the Spark environment's interpreter): a fresh
local Thrift server, the raw tables as Parquet, `dbt seed`, `dbt build`, the comparison of every mart with
DuckDB's, each stage timed. DuckDB: the same two dbt commands (`dbt seed --full-refresh`, then `dbt build
--full-refresh` without the seeds) on a copy of the published warehouse in a temporary folder, so neither
the published warehouse nor the run's build file is touched. Both builds are full ones (Spark's catalog
starts empty). Printed: each stage's wall seconds, and for the two dbt commands also dbt's own elapsed time
(run_results.json: without the interpreter's start and the parse), side by side.

Both builds leave out dbt's unit tests, as the check does, unless `--unit-tests` (then both run them).

Needs `make run` (the published warehouse) and the Spark environment (`make spark-check` installs it).
Run: .venv/bin/python bench/bench_spark.py [--unit-tests]
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = REPO / ".venv" / "bin"
SPARK_PYTHON = REPO / ".venv-spark" / "bin" / "python"


def dbt_elapsed(target_path: Path) -> float:
    return json.loads((target_path / "run_results.json").read_text())["elapsed_time"]


def duckdb_build(warehouse: Path, tmp: Path, unit_tests: bool) -> dict[str, float]:
    """`dbt seed` and `dbt build` on DuckDB into a copy of the published warehouse: wall and dbt seconds."""
    build_file = tmp / "build.duckdb"
    shutil.copy(warehouse, build_file)
    target = tmp / "target-duckdb"
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(REPO),
        "DBT_TARGET": "build",
        "WAREHOUSE_BUILD_PATH": str(build_file),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_VERSION_CHECK": "false",
    }
    timings: dict[str, float] = {}
    skipped = [] if unit_tests else ["resource_type:unit_test"]
    for name, args in (
        ("seed", ["seed", "--full-refresh"]),
        ("build", ["build", "--full-refresh", "--exclude", "resource_type:seed", *skipped]),
    ):
        command = [str(BIN / "dbt"), *args, "--target-path", str(target), "--log-path", str(tmp / "logs")]
        started = time.monotonic()
        done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
        timings[name] = time.monotonic() - started
        if done.returncode != 0:
            raise SystemExit(f"dbt {name} failed on DuckDB:\n{done.stdout[-3000:]}")
        timings[f"{name} (dbt)"] = dbt_elapsed(target)
    return timings


def spark_check(tmp: Path, unit_tests: bool) -> dict[str, float]:
    """The whole Spark check, its stages timed by the check itself."""
    timings_file = tmp / "spark.json"
    started = time.monotonic()
    done = subprocess.run(
        [
            str(SPARK_PYTHON),
            "spark/check.py",
            "--timings",
            str(timings_file),
            *(["--unit-tests"] if unit_tests else []),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    wall = time.monotonic() - started
    print(done.stdout, end="", flush=True)
    if done.returncode != 0 or not timings_file.exists():
        raise SystemExit(f"the Spark check failed:\n{done.stderr[-3000:]}")
    timings = json.loads(timings_file.read_text())
    timings["wall"] = wall
    timings["build (dbt)"] = dbt_elapsed(REPO / "target-spark")  # the check's last dbt command
    return timings


def main() -> None:
    unit_tests = "--unit-tests" in sys.argv[1:]
    warehouse = Path(os.environ.get("WAREHOUSE_PATH", REPO / "warehouse.duckdb"))
    if not warehouse.exists():
        raise SystemExit(f"no published warehouse at {warehouse}: run `make run` first")
    if not SPARK_PYTHON.exists():
        raise SystemExit("no .venv-spark: run `make spark-check` once first")
    with tempfile.TemporaryDirectory(prefix="bench_spark_") as tmp:
        print("Spark: spark/check.py", flush=True)
        spark = spark_check(Path(tmp), unit_tests)
        print("DuckDB: dbt seed and dbt build on a copy of the published warehouse", flush=True)
        duck = duckdb_build(warehouse, Path(tmp), unit_tests)

    def cell(value: float | None) -> str:
        return f"{value:>9.1f}" if value is not None else f"{'-':>9}"

    print()
    print(
        f"seconds ({os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; {spark['identical']} of {spark['marts']} marts identical; "
        f"unit tests {'run' if unit_tests else 'left out'})"
    )
    print(f"{'stage':<34} {'Spark':>9} {'DuckDB':>9}")
    rows = [
        ("server start", spark.get("server"), None),
        ("raw tables as Parquet", spark.get("raw"), None),
        ("dbt seed (wall)", spark["seed"], duck["seed"]),
        ("dbt build (wall)", spark["build"], duck["build"]),
        ("dbt build (dbt's elapsed time)", spark["build (dbt)"], duck["build (dbt)"]),
        ("comparison of the marts", spark["compare"], None),
        ("server stop", spark.get("stop"), None),
        ("whole Spark check", spark["wall"], None),
    ]
    for name, left, right in rows:
        print(f"{name:<34} {cell(left)} {cell(right)}")
    print(f"Spark's build / DuckDB's build (wall): {spark['build'] / duck['build']:.1f}x")


if __name__ == "__main__":
    sys.exit(main())
