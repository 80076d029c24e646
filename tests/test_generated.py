"""Generated files say so in their first line and are fresh: what they derive from is one home only."""

from __future__ import annotations

import pytest

from orchestration.lib import contract, generate, paths


@pytest.mark.parametrize("path", list(generate.outputs()), ids=lambda p: str(p.relative_to(paths.REPO)))
def test_files_derived_from_the_data_contract_are_fresh(path):
    assert path.read_text(encoding="utf-8") == generate.outputs()[path], (
        f"{path.relative_to(paths.REPO)} is out of date with data/contract.yml: run `make generate`"
    )


def test_generated_files_say_so():
    assert "Generated from data/contract.yml" in generate.DOC_BLOCKS.read_text(encoding="utf-8").splitlines()[0]
    assert generate.BEGIN in generate.DATA_README.read_text(encoding="utf-8")


def test_a_contract_change_reaches_every_derived_copy(monkeypatch):
    """Drift is caught: renaming a unit in the contract changes the docs and the README table."""
    before = {p: t for p, t in generate.outputs().items()}
    units = {**contract.UNITS, "furlongs": "a distance"}
    monkeypatch.setattr(contract, "UNITS", units)
    after = generate.outputs()
    assert all("`furlongs`" in after[p] and after[p] != before[p] for p in after)


def test_every_contract_column_is_documented_once():
    blocks = generate.DOC_BLOCKS.read_text(encoding="utf-8")
    hand_written = (paths.REPO / "models" / "docs" / "columns.md").read_text(encoding="utf-8")
    for column in contract.COLUMNS:
        assert blocks.count(f"{{% docs col_{column.name} %}}") == 1
        assert f"{{% docs col_{column.name} %}}" not in hand_written, f"col_{column.name} is written twice"
