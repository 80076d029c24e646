"""Check extracted-figure CSVs against the data contract: `python -m orchestration.cli.validate FILE...`."""

from orchestration.lib.contract import main

if __name__ == "__main__":
    raise SystemExit(main())
