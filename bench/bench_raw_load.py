"""Benchmark: validate and load the extracted-figure CSV at growing sizes.

The rows are SYNTHETIC, generated here by repeating one real row's shape with new ids and values,
and labelled synthetic in their snippet; they are written to a temporary folder, never to data/.
Prints seconds, rows per second, the process's peak resident memory and the ratio of time per row
at each size against the smallest, so a reader sees whether the load scales linearly. Run: .venv/bin/python bench/bench_raw_load.py
"""

from __future__ import annotations

import csv
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from orchestration.lib import paths
from orchestration.lib.contract import COLUMN_NAMES, read_reference
from orchestration.lib.raw_loader import connect, load_figures

SIZES = (1_000, 10_000, 100_000)


def synthetic_rows(n: int):
    for i in range(n):
        line = 1 + i % 9999
        seq = i // 9999 + 1
        yield {
            "figure_id": f"pcp-update-2018-12:{line}:{seq:02d}",
            "metric_code": "specials_hours",
            "measure": "value",
            "breakdown": f"synthetic_{seq:02d}",
            "geography_code": "essex",
            "period_start": "2018-09-01",
            "period_end": "2018-11-30",
            "period_label": "synthetic period",
            "comparison_period_start": "",
            "comparison_period_end": "",
            "period_note": "",
            "printed_value": str(i),
            "value_as_printed": str(i),
            "unit": "hours",
            "corrected_value": "",
            "correction_note": "",
            "source_document": "000_7863e284468cdfda.txt",
            "source_line": str(line),
            "source_snippet": f"SYNTHETIC benchmark row {i}",
        }


def main() -> None:
    ref = read_reference(paths.SEEDS_DIR)
    baseline = None
    print(f"{'rows':>8} {'seconds':>8} {'rows/s':>10} {'peak RSS MiB':>13} {'time/row vs first':>18}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in SIZES:
            csv_path = Path(tmp) / "volunteering_figures.csv"
            with csv_path.open("w", encoding="utf-8", newline="") as f:
                writer = csv.DictWriter(f, fieldnames=COLUMN_NAMES, lineterminator="\n")
                writer.writeheader()
                writer.writerows(synthetic_rows(n))
            start = time.perf_counter()
            with connect(Path(tmp) / f"bench_{n}.duckdb") as con:
                load_figures(con, [csv_path], ref)
            seconds = time.perf_counter() - start
            # Peak resident memory of this process so far (Linux reports KiB); it only grows.
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            per_row = seconds / n
            baseline = baseline or per_row
            print(f"{n:>8} {seconds:>8.3f} {n / seconds:>10.0f} {peak:>13.1f} {per_row / baseline:>18.2f}")


if __name__ == "__main__":
    main()
