"""Command-line tools, each `python -m orchestration.cli.<name>` behind a `make` target:
`run` (make run), `export` (make export), `verify_sources` (make verify-sources), `generate` (make
generate), `metrics_generate` (make metrics-generate) and `validate` (check CSVs against the contract)."""
