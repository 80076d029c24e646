"""Resources shared by the assets."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from orchestration.lib import paths


class WarehouseResource(dg.ConfigurableResource):
    """The run's build file (``WAREHOUSE_BUILD_PATH``, as dbt's `build` target) and the published file.

    One writer per run: the job runs in a single process, loads and dbt write only the build file,
    and readers only ever open the published file, which is replaced by an atomic rename.
    """

    @property
    def path(self) -> Path:
        return paths.build_path()

    @property
    def published_path(self) -> Path:
        return paths.warehouse_path()
