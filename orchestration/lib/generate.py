"""Write the files derived from the data contract (``data/contract.yml``); ``make generate`` runs it.

- ``models/docs/contract_columns.md``: a dbt doc block ``col_<name>`` per contract column, so every
  model that carries a contract column describes it in the contract's words;
- the column, measure and unit tables in ``data/README.md``, between the ``generated`` markers.

What can be read at run time is read, not generated: the loader reads the contract itself.
``tests/test_generated.py`` fails when a derived file drifts from the contract.
"""

from __future__ import annotations

from pathlib import Path

from orchestration.lib import contract, paths

DOC_BLOCKS = paths.REPO / "models" / "docs" / "contract_columns.md"
DATA_README = paths.DATA_DIR / "README.md"
BEGIN = "<!-- BEGIN generated from data/contract.yml by `make generate`: do not edit by hand -->"
END = "<!-- END generated -->"


def doc_blocks() -> str:
    lines = [
        "{# Generated from data/contract.yml by `make generate` (orchestration/lib/generate.py); do not edit by hand. #}",
        "",
    ]
    for column in (*contract.COLUMNS, *contract.LINEAGE_COLUMNS):
        text = column.description
        if column.name == "measure":
            text += (
                " Measures: " + "; ".join(f"`{code}`, {meaning}" for code, meaning in contract.MEASURES.items()) + "."
            )
        if column.name == "unit":
            text += " Units: " + "; ".join(f"`{code}`, {meaning}" for code, meaning in contract.UNITS.items()) + "."
        lines += [f"{{% docs col_{column.name.lstrip('_')} %}}", text, "{% enddocs %}", ""]
    return "\n".join(lines)


def readme_tables() -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    rows = [
        "| column | type | required | meaning |",
        "| --- | --- | --- | --- |",
        *(
            f"| `{c.name}` | {c.duckdb_type} | {'yes' if c.required else 'no'} | {cell(c.description)} |"
            for c in contract.COLUMNS
        ),
        "",
        "The loader adds, to every row of `raw.extracted_figures`:",
        "",
        "| column | type | meaning |",
        "| --- | --- | --- |",
        *(f"| `{c.name}` | {c.duckdb_type} | {cell(c.description)} |" for c in contract.LINEAGE_COLUMNS),
        "",
        "Measures: " + ", ".join(f"`{code}` ({meaning})" for code, meaning in contract.MEASURES.items()) + ".",
        "",
        "Units: "
        + ", ".join(
            f"`{code}` ({meaning}{'' if code in contract.NON_NEGATIVE_UNITS else '; a level may be negative'})"
            for code, meaning in contract.UNITS.items()
        )
        + ".",
    ]
    return "\n".join([BEGIN, *rows, END])


def readme(current: str) -> str:
    if BEGIN not in current or END not in current:
        raise ValueError(f"{DATA_README}: the generated markers are missing")
    before, rest = current.split(BEGIN, 1)
    _, after = rest.split(END, 1)
    return before + readme_tables() + after


def outputs() -> dict[Path, str]:
    """Every derived file and the text it must have."""
    return {DOC_BLOCKS: doc_blocks(), DATA_README: readme(DATA_README.read_text(encoding="utf-8"))}


def main() -> int:
    for path, text in outputs().items():
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(paths.REPO)}")
    return 0
