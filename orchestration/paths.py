"""Where things live. One place, so tests can point everything at a temporary warehouse."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA_DIR = REPO / "data"
SEEDS_DIR = REPO / "seeds"
DBT_PROJECT_DIR = REPO
DBT_MANIFEST = REPO / "target" / "manifest.json"


def warehouse_path() -> Path:
    """The DuckDB file every writer uses: ``WAREHOUSE_PATH`` or ``warehouse.duckdb`` at the repository root."""
    return Path(os.environ.get("WAREHOUSE_PATH", REPO / "warehouse.duckdb")).resolve()


def extracted_csvs(data_dir: Path = DATA_DIR) -> list[Path]:
    """The extracted-figure CSVs, one raw table each: ``data/<domain>_figures.csv``."""
    return sorted(data_dir.glob("*_figures.csv"))
