"""Level 1: the Dagster definitions load and describe one lineage graph from CSV to mart."""

from __future__ import annotations

import dagster as dg
import yaml

from orchestration.lib import paths


def test_definitions_load():
    from orchestration.definitions import defs

    repo = defs.get_repository_def()
    assert repo.get_all_jobs(), "no jobs defined"
    assert defs.resolve_job_def("materialize_all") is not None


def test_the_raw_and_lake_asset_keys_equal_the_dbt_source_keys():
    from orchestration.definitions import defs
    from orchestration.lib.police_uk import LAKE_SOURCE, STREET_TABLE_NAME
    from orchestration.lib.raw_loader import FIGURES_TABLE_NAME

    graph = defs.resolve_asset_graph()
    materialisable = {k.to_user_string() for k in graph.materializable_asset_keys}
    source_tables = set()
    for sources_file in sorted((paths.REPO / "models" / "staging").rglob("_*__sources.yml")):
        for source in yaml.safe_load(sources_file.read_text())["sources"]:
            source_tables |= {f"{source['name']}/{t['name']}" for t in source["tables"]}
    assert paths.extracted_csvs(), "no extracted CSVs under data/"
    assert source_tables == {f"raw/{FIGURES_TABLE_NAME}", f"{LAKE_SOURCE}/{STREET_TABLE_NAME}"}
    assert source_tables <= materialisable
    # The dbt models read that very key: no separate, unmaterialisable source assets.
    dbt_deps = {
        dep.to_user_string()
        for key in graph.materializable_asset_keys
        for dep in graph.get(key).parent_keys
        if dep.to_user_string().split("/")[0] in {"raw", LAKE_SOURCE}
    }
    assert dbt_deps == source_tables


def test_dbt_tests_are_asset_checks_and_groups_follow_layers():
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    checks = graph.asset_check_keys
    assert any(c.name == "one_latest_figure_per_quantity" for c in checks)
    groups = {graph.get(k).group_name for k in graph.materializable_asset_keys}
    assert {"raw", "reference", "staging", "marts"} <= groups


def test_job_runs_in_one_process():
    from orchestration.definitions import defs

    job = defs.resolve_job_def("materialize_all")
    assert job.executor_def is dg.in_process_executor, "DuckDB allows one writer: keep the job in one process"


def test_police_uk_is_landed_by_month_in_one_run_per_range():
    """The street-crime asset alone is partitioned, by the archive's months; a range of months is one run (one
    writer), and what reads it is not partitioned (the dbt models count every month)."""
    from orchestration.definitions import defs
    from orchestration.defs.partitions import POLICE_UK_MONTHS

    graph = defs.resolve_asset_graph()
    partitioned = {
        k.to_user_string(): graph.get(k) for k in graph.materializable_asset_keys if graph.get(k).is_partitioned
    }
    assert list(partitioned) == ["lake/police_uk_street_crime"]
    node = partitioned["lake/police_uk_street_crime"]
    assert node.partitions_def == POLICE_UK_MONTHS
    assert node.backfill_policy == dg.BackfillPolicy.single_run()


def test_layers_run_one_way():
    """staging -> intermediate -> marts: a model never reads a model of a later layer, intermediate models
    live in their own schema, and no two models are the same filtered copy of one parent."""
    import json

    manifest = json.loads(paths.DBT_MANIFEST.read_text())
    rank = {"staging": 0, "intermediate": 1, "marts": 2}
    models = {k: n for k, n in manifest["nodes"].items() if n["resource_type"] == "model"}
    backwards = []
    for node in models.values():
        layer = node["fqn"][1]
        assert layer in rank, node["unique_id"]
        assert node["config"]["schema"] == layer, f"{node['name']} builds in {node['config']['schema']!r}"
        for parent in node["depends_on"]["nodes"]:
            if parent in models and rank[models[parent]["fqn"][1]] > rank[layer]:
                backwards.append(f"{node['name']} ({layer}) reads {models[parent]['name']}")
    assert not backwards, backwards


def test_no_private_dagster_or_dagster_dbt_api():
    """The code location uses Dagster's and dagster-dbt's public API only, so an upgrade cannot break every run.

    No private module is imported (``dagster._core``), no ``._name`` of an object other than ``self`` is read
    or set, and no class of ours defines a ``_name`` that a Dagster or dagster-dbt base class has (an override
    of a private method).
    """
    import ast
    import functools
    import importlib
    import inspect
    import pkgutil
    import re
    import types

    import orchestration

    private_module = re.compile(r"^dagster(_dbt|_shared|_pipes)?\._")
    found = []
    for path in sorted((paths.REPO / "orchestration").rglob("*.py")):
        where = path.relative_to(paths.REPO)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                modules.append(node.module)
            found += [f"{where}:{node.lineno}: imports {m}" for m in modules if private_module.match(m)]
            if (
                isinstance(node, ast.Attribute)
                and re.match(r"^_(?!_)", node.attr)
                and not (isinstance(node.value, ast.Name) and node.value.id in {"self", "cls"})
            ):
                found.append(f"{where}:{node.lineno}: uses .{node.attr} of another object")
    # The tests, benchmarks and the Spark check import no private module either: an upgrade must not break them.
    for folder in ("tests", "bench", "spark"):
        for path in sorted((paths.REPO / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
                if isinstance(node, ast.ImportFrom) and node.module:
                    modules.append(node.module)
                where = path.relative_to(paths.REPO)
                found += [f"{where}:{node.lineno}: imports {m}" for m in modules if private_module.match(m)]
    for module_info in pkgutil.walk_packages(orchestration.__path__, "orchestration."):
        module = importlib.import_module(module_info.name)
        for cls in vars(module).values():
            if not inspect.isclass(cls) or cls.__module__ != module.__name__:
                continue
            external = [base for base in cls.__mro__[1:] if base.__module__.split(".")[0].startswith("dagster")]
            for name, value in vars(cls).items():
                defined = isinstance(value, (types.FunctionType, property, functools.cached_property))
                if defined and re.match(r"^_(?!_)", name) and any(name in vars(base) for base in external):
                    found.append(f"{module.__name__}.{cls.__name__} overrides the private {name}")
    assert not found, "\n".join(found)
