"""The dbt project as Dagster assets; dbt tests become asset checks."""

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, DbtProject, dbt_assets

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
