"""Benchmark: runs and readers side by side.

In a temporary folder: one full run (publishes), a second run killed part-way (must publish nothing),
and a third full run, while a reader thread queries the published warehouse every 50 ms throughout.
Prints each run's wall time, the reader's queries and errors, and the content hashes of the published
warehouse after each run. Run: .venv/bin/python bench/bench_publish_under_readers.py [seconds before kill]
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from orchestration.lib.publish import content_hash  # noqa: E402


def main() -> None:
    kill_after = float(sys.argv[1]) if len(sys.argv) > 1 else 25.0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "home").mkdir()
        (folder / "home" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
        published = folder / "warehouse.duckdb"
        env = {
            **os.environ,
            "WAREHOUSE_PATH": str(published),
            "WAREHOUSE_BUILD_PATH": str(folder / "build" / "warehouse.duckdb"),
            "DAGSTER_HOME": str(folder / "home"),
        }
        reads, errors, stop = [0], [], threading.Event()

        def reader() -> None:
            while not stop.is_set():
                if published.exists():
                    try:
                        with duckdb.connect(str(published), read_only=True) as con:
                            con.execute("select count(*) from marts.fct_published_figures").fetchone()
                        reads[0] += 1
                    except Exception as exc:
                        errors.append(repr(exc))
                time.sleep(0.05)

        def run(kill: float | None = None) -> tuple[float, int]:
            start = time.perf_counter()
            process = subprocess.Popen(
                [sys.executable, "-m", "orchestration.cli.run"],
                cwd=REPO,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            if kill is not None:
                time.sleep(kill)
                os.killpg(process.pid, signal.SIGKILL)
            code = process.wait()
            return time.perf_counter() - start, code

        thread = threading.Thread(target=reader)
        thread.start()
        first_seconds, first_code = run()
        first_hash = content_hash(published)[0]
        _, killed_code = run(kill=kill_after)
        after_kill_hash = content_hash(published)[0]
        third_seconds, third_code = run()
        third_hash = content_hash(published)[0]
        stop.set()
        thread.join()

    print(f"run 1: exit {first_code}, {first_seconds:.1f} s, published hash {first_hash}")
    print(f"run 2: killed after {kill_after:.0f} s (exit {killed_code}), hash afterwards {after_kill_hash}")
    print(f"run 3: exit {third_code}, {third_seconds:.1f} s, published hash {third_hash}")
    print(f"published unchanged by the killed run: {after_kill_hash == first_hash}")
    print(f"runs 1 and 3 identical: {first_hash == third_hash}")
    print(f"reader: {reads[0]} queries, {len(errors)} errors {errors[:2]}")


if __name__ == "__main__":
    main()
