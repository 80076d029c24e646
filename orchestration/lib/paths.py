"""Where things live. One place, so tests can point everything at a temporary warehouse."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA_DIR = REPO / "data"
SEEDS_DIR = REPO / "seeds"
DBT_PROJECT_DIR = REPO
DBT_MANIFEST = REPO / "target" / "manifest.json"
# police.uk street files of every available force, kept beside the project (62 MB: not in the repository).
NATIONAL_POLICE_UK_DIR = REPO.parent / "shared" / "police_uk_national"


def warehouse_path() -> Path:
    """The published warehouse readers open: ``WAREHOUSE_PATH`` or ``warehouse.duckdb`` at the repository root.

    No run ever writes it in place: a run builds ``build_path()`` and publishes it by an atomic rename.
    """
    return Path(os.environ.get("WAREHOUSE_PATH", REPO / "warehouse.duckdb")).resolve()


def build_path() -> Path:
    """The run's private build file, the one writer's: ``WAREHOUSE_BUILD_PATH`` or ``.build/warehouse.duckdb``.

    dbt's profile (target `build`) reads the same variable with the same default.
    """
    return Path(os.environ.get("WAREHOUSE_BUILD_PATH", REPO / ".build" / "warehouse.duckdb")).resolve()


def extracted_csvs(data_dir: Path = DATA_DIR) -> list[Path]:
    """The extracted-figure CSVs, one raw table each: ``data/<domain>_figures.csv``."""
    return sorted(data_dir.glob("*_figures.csv"))


def police_uk_lake() -> Path:
    """The police.uk lake, one Parquet file per month: ``POLICE_UK_LAKE`` or ``lake/police_uk``.

    dbt's source ``lake.police_uk_street_crime`` reads the same variable with the same default (relative to the
    project folder, where dbt runs).
    """
    return Path(os.environ.get("POLICE_UK_LAKE", REPO / "lake" / "police_uk")).resolve()
