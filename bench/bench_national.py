"""Benchmark: the warehouse at national scale on SYNTHETIC police.uk street files (`make bench-national MONTHS=n`).

Generates n months of synthetic street files for every force (``bench/police_uk_synthetic.py``: sizes from the
real April 2026 file sizes, crime-type mix from the real Essex months) into a temporary folder, never into data/,
then times the project's run (``python -m orchestration.cli.run``, what ``make run`` runs after its install and
manifest steps) with ``POLICE_UK_DIR`` pointing at that folder, against a private lake, warehouse, build file and
Dagster instance. What is built is the whole project: the extracted report figures, every dbt model and test (the police.uk
ones on the synthetic rows), the metric marts and the atomic publish.

Five runs, in this order:

1. full build: an empty lake and no published warehouse, so every month is landed and every model built;
2. nothing new: the same files again (no month landed; every model rebuilt from the lake);
3. add one month: month n+1 generated (not timed), then a run over every month (``make run``) that lands only it;
4. add a month as its partition: month n+2 generated, then a run of its partition alone (``make run MONTH=``);
5. nothing new again;
6. the same without ``--force``: ``make run``'s "nothing changed" check, which stops before any build.

Runs 1-5 pass ``--force``, so each builds the warehouse.

Each run's wall seconds, and peak memory as the largest sum of resident set sizes over the run's whole process
tree (Dagster's process and dbt's), sampled from /proc every 0.1 s. "x nothing new" divides by the mean of the
two nothing-new runs.

Run: .venv/bin/python bench/bench_national.py --months 36 [--keep]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
import police_uk_synthetic

REPO = Path(__file__).resolve().parent.parent
BIN = REPO / ".venv" / "bin"
PAGE = os.sysconf("SC_PAGE_SIZE")


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def tree_rss(root: int) -> int:
    """Bytes resident in ``root`` and all its descendants now."""
    tree, stack, total = _children(), [root], 0
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/statm") as fh:
                total += int(fh.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            pass
        stack.extend(tree.get(pid, []))
    return total


def timed_run(env: dict[str, str], args: list[str]) -> dict:
    start = time.perf_counter()
    proc = subprocess.Popen(
        [str(BIN / "python"), "-m", "orchestration.cli.run", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    peak, stop = [0], threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], tree_rss(proc.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = proc.communicate()
    wall = time.perf_counter() - start
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"the run failed:\n{output[-4000:]}")
    return {"wall": wall, "peak": peak[0], "output": output}


def warehouse_rows(published: Path, lake: Path, since: float) -> tuple[int, int]:
    """police.uk rows in the published warehouse, and the rows of the lake's month files written since ``since``."""
    with duckdb.connect(str(published), read_only=True) as con:
        total = con.execute("select count(*) from marts.fct_street_crime").fetchone()[0]
    fresh = [str(p) for p in lake.glob("month=*/street.parquet") if p.stat().st_mtime >= since]
    if not fresh:
        return total, 0
    with duckdb.connect() as con:
        landed = con.execute("select sum(num_rows) from parquet_file_metadata(?)", [fresh]).fetchone()[0]
    return total, int(landed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--first-month", default="2023-05")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (synthetic files, warehouse)")
    parser.add_argument(
        "--reuse", type=Path, help="a synthetic archive generated before (month folders are linked, not copied)"
    )
    args = parser.parse_args()
    if not (BIN / "dbt").exists():
        raise SystemExit("no .venv: run `make install` first")

    work = Path(tempfile.mkdtemp(prefix="bench_national_"))
    try:
        archive = work / "synthetic_police_uk"
        all_months = police_uk_synthetic.months(args.first_month, args.months + 2)
        print(f"SYNTHETIC street files: {args.months} months of every force into {archive} ...", flush=True)
        start = time.perf_counter()
        if args.reuse:
            archive.mkdir()
            for m in all_months[:-2]:
                (archive / m).symlink_to((args.reuse / m).resolve(), target_is_directory=True)
            generated = {
                m: sum(sum(1 for _ in f.open()) - 1 for f in (archive / m).glob("*-synthetic-street.csv"))
                for m in all_months[:-2]
            }
        else:
            with duckdb.connect() as con:
                police_uk_synthetic.prepare(con)
                generated = {m: police_uk_synthetic.write_month(con, archive, m) for m in all_months[:-2]}
        print(
            f"  {'linked (generated before)' if args.reuse else 'generated'} {sum(generated.values()):,} rows in "
            f"{len(generated)} months ({time.perf_counter() - start:.0f} s, not part of any timing below)",
            flush=True,
        )
        (work / "dagster_home").mkdir()
        (work / "dagster_home" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
        published = work / "warehouse.duckdb"
        env = {
            **os.environ,
            "WAREHOUSE_PATH": str(published),
            "WAREHOUSE_BUILD_PATH": str(work / "build" / "warehouse.duckdb"),
            "DAGSTER_HOME": str(work / "dagster_home"),
            "POLICE_UK_DIR": str(archive),
            "POLICE_UK_LAKE": str(work / "lake"),
            "DBT_PROFILES_DIR": str(REPO),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DBT_VERSION_CHECK": "false",
            "DO_NOT_TRACK": "1",
            "PATH": f"{BIN}:{os.environ['PATH']}",
        }
        results = []
        # --force: every run builds (make run would otherwise stop at "nothing changed" when no input changed, the
        # last row); the ratios compare builds.
        runs = [
            ("full build", None, ["--force"]),
            ("nothing new", None, ["--force"]),
            ("add one month", all_months[-2], ["--force"]),
            ("add month, partition", all_months[-1], ["--month", all_months[-1]]),
            ("nothing new (again)", None, ["--force"]),
            ("no-op check", None, []),
        ]
        for label, new_month, run_args in runs:
            if new_month:
                with duckdb.connect() as con:
                    police_uk_synthetic.prepare(con)
                    police_uk_synthetic.write_month(con, archive, new_month)
            since = time.time() - 1
            run = timed_run(env, run_args)
            if label == "no-op check" and "nothing changed" not in run["output"]:
                raise SystemExit(f"the unchanged run built the warehouse again:\n{run['output'][-2000:]}")
            total, loaded = warehouse_rows(published, work / "lake", since)
            results.append({"label": label, "total": total, "loaded": loaded, **run})
            print(
                f"  {label}: {run['wall']:.1f} s, peak {run['peak'] / 2**20:,.0f} MiB, {loaded:,} rows landed",
                flush=True,
            )
            for line in run["output"].splitlines():
                if line.startswith(("  ok ", "  FAILED")):
                    print(f"    {line.strip()}", flush=True)
        size = published.stat().st_size
    finally:
        if args.keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    nothing = (results[1]["wall"] + results[4]["wall"]) / 2
    print()
    print(
        f"SYNTHETIC national police.uk files, {args.months} months + 2 added, all forces; whole project built "
        f"(python -m orchestration.cli.run); {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}"
    )
    print(
        f"| {'run':<20} | {'police.uk rows':>14} | {'rows landed':>11} | {'wall s':>7} | {'peak RSS MiB':>12} "
        f"| {'x nothing new':>13} |"
    )
    print(f"|{'-' * 22}|{'-' * 15}:|{'-' * 12}:|{'-' * 8}:|{'-' * 13}:|{'-' * 14}:|")
    for r in results:
        print(
            f"| {r['label']:<20} | {r['total']:>14,} | {r['loaded']:>11,} | {r['wall']:>7.1f} | "
            f"{r['peak'] / 2**20:>12,.0f} | {r['wall'] / nothing:>12.2f}x |"
        )
    print(f"published warehouse file: {size / 2**20:,.0f} MiB")
    print(
        f"goals: full build <= 60 s: {'met' if results[0]['wall'] <= 60 else 'NOT met'}; "
        f"peak <= 3 GB: {'met' if max(r['peak'] for r in results) <= 3e9 else 'NOT met'}; "
        f"add one month <= 1.2x nothing new: "
        f"{'met' if max(results[2]['wall'], results[3]['wall']) <= 1.2 * nothing else 'NOT met'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
