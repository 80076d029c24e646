"""Resources shared by the assets."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from orchestration import paths


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse file, from ``WAREHOUSE_PATH`` like dbt's profile, so both write the same file.

    One writer per run: the job runs in a single process and dbt runs after the raw loads.
    """

    @property
    def path(self) -> Path:
        return paths.warehouse_path()
