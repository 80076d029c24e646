"""The dbt project as Dagster assets; dbt tests become asset checks."""

import sys
from collections.abc import Mapping, Sequence
from importlib.metadata import version as installed_version
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, DbtProject, dbt_assets
from packaging import version

from orchestration.lib import paths

DBT_PROJECT = DbtProject(project_dir=paths.DBT_PROJECT_DIR, profiles_dir=paths.DBT_PROJECT_DIR)


class WarehouseTranslator(DagsterDbtTranslator):
    """Sources keep dagster-dbt's default key ``[source, table]`` (= the raw asset keys);
    models are grouped by layer (staging, intermediate, marts) and tagged with their domain."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "source":
            return "raw"
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "marts"

    def get_tags(self, dbt_resource_props: Mapping[str, Any]) -> Mapping[str, str]:
        tags = dict(super().get_tags(dbt_resource_props))
        domain = dbt_resource_props.get("meta", {}).get("domain") or dbt_resource_props.get("config", {}).get(
            "meta", {}
        ).get("domain")
        if domain:
            tags["domain"] = domain
        return tags


class WarehouseDbtCliResource(DbtCliResource):
    """dagster-dbt's dbt resource without two start-up costs this project does not need (about 3-4 s a run).

    * Before each command dagster-dbt asks the executable for its version (``dbt --version``, a process
      that imports dbt). Ours is the dbt beside this interpreter, so the installed dbt-core's version is
      the answer; any other executable is still asked.
    * It also loads the dbt project and profile into this process to build an adapter, used only to fetch
      row counts and column metadata, which these assets do not fetch (``fetch_row_counts`` and
      ``fetch_column_metadata`` are not called). Without one, dagster-dbt leaves them out.

    Both override private methods of dagster-dbt (pinned in requirements.lock); if a later version renames
    them, the overrides stop applying and dagster-dbt's own behaviour (slower, same results) comes back.
    """

    @property
    def _cli_version(self) -> version.Version:
        if Path(self.dbt_executable) == Path(sys.executable).parent / "dbt":
            return version.parse(installed_version("dbt-core"))
        return super()._cli_version

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:  # type: ignore[override]
        return None


TRANSLATOR = WarehouseTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


def manifest_path() -> str:
    """The manifest is built by ``make manifest`` (``dbt parse``), never as a side effect of import."""
    if not paths.DBT_MANIFEST.exists():
        raise FileNotFoundError(f"{paths.DBT_MANIFEST} is missing: run `make manifest` (dbt parse) first")
    return str(paths.DBT_MANIFEST)


@dbt_assets(manifest=manifest_path(), dagster_dbt_translator=TRANSLATOR, project=DBT_PROJECT)
def warehouse_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    # `build` runs seeds, models and tests in dependency order; a failing error-severity test fails the run.
    yield from dbt.cli(["build"], context=context).stream()
