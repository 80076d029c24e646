"""Benchmark: `make run` on unchanged inputs against the floor of this stack.

The floor is what any run of this stack pays at least: a one-model dbt-duckdb project (built here in a
temporary folder) run with the project's own `.venv/bin/dbt run`, plus `.venv/bin/python -c "import
dagster, dagster_dbt"`. `make run` and the floor each run once to warm up (dbt's partial parse, the
page cache), then N times each, interleaved, so a neighbour's load hits both alike. Prints the median
wall time and the median peak resident memory (of the largest process of each command's tree) side by
side, their ratio, and the most lines `make run` printed.

`make run` writes only private files: WAREHOUSE_PATH and WAREHOUSE_BUILD_PATH, and a Dagster instance
(DAGSTER_HOME), under a temporary folder, so the published warehouse and the run history of the
checkout are never touched. (The run logs go to logs/ as always, where only the newest 20 are kept.)
Because the build path differs from the usual one, the warm-up run parses the dbt project once, and so
does the next ordinary `make run` afterwards.

Run: .venv/bin/python bench/bench_make_run.py [--runs 3] [--dbt-threads N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = REPO / ".venv" / "bin"
LINE_BUDGET = 60  # the most lines a successful `make run` may print

FLOOR_PROJECT = {
    "dbt_project.yml": "name: floor\nversion: '1.0'\nconfig-version: 2\nprofile: floor\nmodel-paths: [models]\n",
    "models/one.sql": "select 1 as one\n",
}


def measure(command: list[str], cwd: Path, env: dict[str, str]) -> dict:
    """Run ``command`` in a fresh child Python that reports wall seconds, peak RSS and the output.

    A fresh measuring process per command, because ``RUSAGE_CHILDREN`` only ever grows within one process:
    its ``ru_maxrss`` (KiB on Linux) is then the largest process of this one command's tree.
    """
    probe = (
        "import json, resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)\n"
        "wall = time.perf_counter() - start\n"
        "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(json.dumps({'wall': wall, 'rss_kib': rss, 'rc': done.returncode, 'output': done.stdout}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, *command], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def floor(folder: Path, env: dict[str, str]) -> dict:
    """One floor measurement: the one-model dbt run, then the Dagster imports; times add, peak is the larger."""
    dbt = measure([str(BIN / "dbt"), "run", "--quiet", "--profiles-dir", str(folder)], folder, env)
    imports = measure([str(BIN / "python"), "-c", "import dagster, dagster_dbt"], folder, env)
    for step in (dbt, imports):
        if step["rc"] != 0:
            raise SystemExit(f"the floor failed:\n{step['output'][-3000:]}")
    return {"wall": dbt["wall"] + imports["wall"], "rss_kib": max(dbt["rss_kib"], imports["rss_kib"])}


def make_run(env: dict[str, str], dagster_home: Path) -> dict:
    result = measure(["make", "--no-print-directory", "run", f"DAGSTER_HOME={dagster_home}"], REPO, env)
    if result["rc"] != 0:
        raise SystemExit(f"make run failed:\n{result['output'][-3000:]}")
    result["lines"] = len(result["output"].splitlines())
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each, after one warm-up (default 3)")
    parser.add_argument("--dbt-threads", type=int, help="DBT_THREADS for make run (default: the Makefile's)")
    args = parser.parse_args()
    if not (BIN / "dbt").exists():
        raise SystemExit("no .venv: run `make install` first")

    with tempfile.TemporaryDirectory(prefix="bench_make_run_") as tmp:
        tmp_path = Path(tmp)
        project = tmp_path / "floor"
        for name, text in FLOOR_PROJECT.items():
            (project / name).parent.mkdir(parents=True, exist_ok=True)
            (project / name).write_text(text)
        (project / "profiles.yml").write_text(
            "floor:\n  target: dev\n  outputs:\n    dev:\n"
            f"      type: duckdb\n      path: {tmp_path / 'floor.duckdb'}\n      threads: 1\n"
        )
        env = {
            **os.environ,
            "WAREHOUSE_PATH": str(tmp_path / "warehouse.duckdb"),
            "WAREHOUSE_BUILD_PATH": str(tmp_path / "build" / "warehouse.duckdb"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DBT_VERSION_CHECK": "false",
            "DO_NOT_TRACK": "1",
        }
        if args.dbt_threads:
            env["DBT_THREADS"] = str(args.dbt_threads)
        dagster_home = tmp_path / "dagster_home"

        print(f"warm-up: floor and make run (private warehouse and Dagster instance in {tmp})", flush=True)
        floor(project, env)
        make_run(env, dagster_home)
        floors, runs = [], []
        for i in range(1, args.runs + 1):
            floors.append(floor(project, env))
            runs.append(make_run(env, dagster_home))
            print(
                f"  run {i}: floor {floors[-1]['wall']:.2f} s, make run {runs[-1]['wall']:.2f} s "
                f"({runs[-1]['lines']} lines printed)",
                flush=True,
            )

    wall = {name: statistics.median(r["wall"] for r in rs) for name, rs in (("floor", floors), ("run", runs))}
    rss = {name: statistics.median(r["rss_kib"] for r in rs) / 1024 for name, rs in (("floor", floors), ("run", runs))}
    lines = max(r["lines"] for r in runs)
    threads = env.get("DBT_THREADS", "Makefile default")
    print()
    print(f"medians of {args.runs} interleaved runs each (DBT_THREADS: {threads}; load {os.getloadavg()[0]:.1f})")
    print(f"{'':<36} {'wall s':>8} {'peak RSS MiB':>13}")
    print(f"{'floor (1-model dbt run + imports)':<36} {wall['floor']:>8.2f} {rss['floor']:>13.0f}")
    print(f"{'make run, unchanged inputs':<36} {wall['run']:>8.2f} {rss['run']:>13.0f}")
    print(f"{'ratio':<36} {wall['run'] / wall['floor']:>7.2f}x {rss['run'] / rss['floor']:>12.2f}x")
    print(f"lines printed by make run: {lines} (budget {LINE_BUDGET}: {'ok' if lines <= LINE_BUDGET else 'OVER'})")


if __name__ == "__main__":
    main()
