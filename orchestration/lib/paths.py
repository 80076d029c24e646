"""Where things live, and every environment setting's default: the one home of both.

Each setting is an environment variable with the default below, relative to the repository root. The other
places that must name a default themselves read it from here or are tested to agree with it
(``tests/test_settings.py``): the Makefile (which exports them to every tool), dbt's ``profiles.yml`` (dbt
resolves ``env_var`` defaults itself, relative to the project folder) and the Spark check (``spark/check.py``,
which imports this module). Tests point everything at a temporary warehouse through the same variables.
"""

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

# Setting -> default. Paths are relative to REPO; DBT_THREADS is explained in the Makefile.
DEFAULTS: dict[str, str] = {
    "WAREHOUSE_PATH": "warehouse.duckdb",
    "WAREHOUSE_BUILD_PATH": ".build/warehouse.duckdb",
    "POLICE_UK_LAKE": "lake/police_uk",
    "DAGSTER_HOME": ".dagster_home",
    "SOURCES": "../shared/sources",
    "DBT_THREADS": "1",
}


def setting(name: str) -> str:
    """The environment's value of a setting, else its default."""
    return os.environ.get(name) or DEFAULTS[name]


def setting_path(name: str) -> Path:
    """A path setting, resolved against the repository root when relative."""
    return (REPO / setting(name)).resolve()


def sources_dir() -> Path:
    """The report texts (``SOURCES``, default ``../shared/sources``)."""
    return setting_path("SOURCES")


def warehouse_path() -> Path:
    """The published warehouse readers open: ``WAREHOUSE_PATH`` or ``warehouse.duckdb`` at the repository root.

    No run ever writes it in place: a run builds ``build_path()`` and publishes it by an atomic rename.
    """
    return setting_path("WAREHOUSE_PATH")


def build_path() -> Path:
    """The run's private build file, the one writer's: ``WAREHOUSE_BUILD_PATH`` or ``.build/warehouse.duckdb``.

    dbt's profile (target `build`) reads the same variable with the same default.
    """
    return setting_path("WAREHOUSE_BUILD_PATH")


def extracted_csvs(data_dir: Path = DATA_DIR) -> list[Path]:
    """The extracted-figure CSVs, one raw table each: ``data/<domain>_figures.csv``."""
    return sorted(data_dir.glob("*_figures.csv"))


def police_uk_lake() -> Path:
    """The police.uk lake, one Parquet file per month: ``POLICE_UK_LAKE`` or ``lake/police_uk``.

    dbt's source ``lake.police_uk_street_crime`` reads the same variable with the same default (relative to the
    project folder, where dbt runs).
    """
    return setting_path("POLICE_UK_LAKE")
