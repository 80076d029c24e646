"""One asset per extracted CSV: ``data/<domain>_figures.csv`` -> ``raw.<domain>_figures``.

The asset key ``["raw", "<domain>_figures"]`` is exactly the dbt source key (source ``raw``), so
Dagster draws one lineage graph from CSV to mart without any glue.
"""

from pathlib import Path

import dagster as dg

from orchestration import paths
from orchestration.assets.publish import BUILD_KEY
from orchestration.contract import ContractError, domain_of, read_reference
from orchestration.raw_loader import RAW_SCHEMA, connect, load_csv, table_name_for
from orchestration.resources import WarehouseResource


def _shown(csv_path: Path) -> Path:
    """The CSV's path relative to the repository when it lies inside it (it does, but for tests)."""
    return csv_path.relative_to(paths.REPO) if csv_path.is_relative_to(paths.REPO) else csv_path


def raw_asset_key(csv_path: Path) -> dg.AssetKey:
    return dg.AssetKey([RAW_SCHEMA, table_name_for(csv_path)])


def build_raw_asset(csv_path: Path) -> dg.AssetsDefinition:
    domain = domain_of(csv_path)

    @dg.asset(
        key=raw_asset_key(csv_path),
        deps=[BUILD_KEY],
        group_name="raw",
        kinds={"duckdb", "csv"},
        tags={"domain": domain},
        description=f"Figures of the {domain} domain as extracted from the reports (`data/{csv_path.name}`), "
        "validated against the data contract and loaded with explicit types.",
        metadata={"source_file": dg.MetadataValue.path(str(_shown(csv_path)))},
    )
    def _load(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
        ref = read_reference(paths.SEEDS_DIR)
        with connect(warehouse.path) as con:
            try:
                result = load_csv(
                    con, csv_path, ref, relative_to=paths.REPO if csv_path.is_relative_to(paths.REPO) else None
                )
            except ContractError as exc:
                # Nothing was written: the previous raw table is untouched.
                raise dg.Failure(
                    description=f"{csv_path.name} breaks the data contract; the previous raw.{table_name_for(csv_path)} is kept.",
                    metadata={"violations": dg.MetadataValue.md("\n".join(f"- {v}" for v in exc.violations[:200]))},
                ) from exc
        context.log.info(f"loaded {result.rows} rows into {result.table}")
        return dg.MaterializeResult(
            metadata={
                "dagster/row_count": result.rows,
                "table": result.table,
                "checksum_sha256": result.checksum,
                "source_file": result.source_file,
            },
            data_version=dg.DataVersion(result.checksum),
        )

    return _load


def build_raw_assets(data_dir: Path = paths.DATA_DIR) -> list[dg.AssetsDefinition]:
    return [build_raw_asset(p) for p in paths.extracted_csvs(data_dir)]
