"""One asset for the extracted figures: every ``data/<domain>_figures.csv`` -> ``raw.extracted_figures``.

The asset key ``["raw", "extracted_figures"]`` is exactly the dbt source key (source ``raw``), so
Dagster draws one lineage graph from CSV to mart without any glue. The files are loaded together, in
one transaction, so the warehouse never holds one domain's new figures beside another's old ones.
"""

from pathlib import Path

import dagster as dg

from orchestration.defs.assets.publish import BUILD_KEY
from orchestration.defs.resources import WarehouseResource
from orchestration.lib import paths
from orchestration.lib.contract import ContractError, read_reference
from orchestration.lib.raw_loader import FIGURES_TABLE, FIGURES_TABLE_NAME, RAW_SCHEMA, connect, load_figures

RAW_FIGURES_KEY = dg.AssetKey([RAW_SCHEMA, FIGURES_TABLE_NAME])


def _shown(path: Path) -> Path:
    """A path relative to the repository when it lies inside it (it does, but for tests)."""
    return path.relative_to(paths.REPO) if path.is_relative_to(paths.REPO) else path


def build_raw_asset(data_dir: Path | None = None) -> dg.AssetsDefinition:
    """The raw figures asset, reading ``data_dir`` (default: ``paths.DATA_DIR`` at run time)."""

    @dg.asset(
        key=RAW_FIGURES_KEY,
        deps=[BUILD_KEY],
        group_name="raw",
        kinds={"duckdb", "csv"},
        description="Every figure extracted from the reports (`data/<domain>_figures.csv`, one file per domain "
        "for review), validated against the data contract (`data/contract.yml`) and loaded with explicit types "
        "into one table; `_source_file` and `_row_number` keep each row's file and row.",
        metadata={"source_files": dg.MetadataValue.path(str(_shown(data_dir or paths.DATA_DIR)))},
    )
    def _load(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
        folder = data_dir or paths.DATA_DIR
        csv_paths = paths.extracted_csvs(folder)
        ref = read_reference(paths.SEEDS_DIR)
        with connect(warehouse.path) as con:
            try:
                result = load_figures(
                    con, csv_paths, ref, relative_to=paths.REPO if folder.is_relative_to(paths.REPO) else folder
                )
            except ContractError as exc:
                # Nothing was written: the previous raw table is untouched.
                shown = "\n".join(f"- {v}" for v in exc.violations[:200])
                raise dg.Failure(
                    description=f"the extracted figures break the data contract ({len(exc.violations)} violation(s)); "
                    f"the previous {FIGURES_TABLE} is kept:\n{shown}",
                    metadata={"violations": dg.MetadataValue.md(shown)},
                ) from exc
        context.log.info(f"loaded {result.rows} rows from {len(csv_paths)} files into {result.table}")
        return dg.MaterializeResult(
            metadata={
                "dagster/row_count": result.rows,
                "table": result.table,
                "checksum_sha256": result.checksum,
                "rows_by_file": dg.MetadataValue.json(result.rows_by_file),
            },
            data_version=dg.DataVersion(result.checksum),
        )

    return _load
