"""The environment settings' defaults have one home, orchestration/lib/paths.py (DEFAULTS): the Makefile and dbt's
profiles.yml must name the same ones (they cannot import Python), and the Spark check imports them."""

from __future__ import annotations

import re

import pytest
import yaml

from orchestration.lib import paths

MAKEFILE = (paths.REPO / "Makefile").read_text()
PROFILES = (paths.REPO / "profiles.yml").read_text()


@pytest.mark.parametrize("name", sorted(paths.DEFAULTS))
def test_makefile_default_agrees(name):
    found = re.findall(rf"^export {name} [?:]?= (.+)$", MAKEFILE, re.MULTILINE)
    assert len(found) == 1, f"the Makefile exports {name} once, with its default"
    default = found[0].strip().replace("$(CURDIR)/", "").replace("$(CURDIR)", ".")
    assert default == paths.DEFAULTS[name]


def test_profiles_defaults_agree():
    defaults = dict(re.findall(r"env_var\('(\w+)', '([^']*)'\)", PROFILES))
    shared = {name: value for name, value in defaults.items() if name in paths.DEFAULTS}
    assert set(shared) >= {"WAREHOUSE_PATH", "WAREHOUSE_BUILD_PATH", "DBT_THREADS"}
    assert shared == {name: paths.DEFAULTS[name] for name in shared}
    yaml.safe_load(PROFILES)  # still a profile


def test_lake_source_default_agrees():
    sources = (paths.REPO / "models" / "staging" / "police_uk").rglob("*.yml")
    text = "".join(p.read_text() for p in sources)
    found = re.findall(r"env_var\('POLICE_UK_LAKE', '([^']*)'\)", text)
    assert found and set(found) == {paths.DEFAULTS["POLICE_UK_LAKE"]}


def test_spark_check_reads_the_settings_module():
    check = (paths.REPO / "spark" / "check.py").read_text()
    assert "from orchestration.lib import paths" in check
    assert not re.search(r"environ\.get\(\"(WAREHOUSE_PATH|POLICE_UK_LAKE)\"", check)


def test_a_setting_reads_the_environment_first(monkeypatch, tmp_path):
    monkeypatch.setenv("WAREHOUSE_PATH", str(tmp_path / "w.duckdb"))
    assert paths.warehouse_path() == tmp_path / "w.duckdb"
    monkeypatch.delenv("WAREHOUSE_PATH")
    assert paths.warehouse_path() == paths.REPO / "warehouse.duckdb"
