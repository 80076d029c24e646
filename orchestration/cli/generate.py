"""`make generate`: rewrite the files derived from the data contract (data/contract.yml)."""

from orchestration.lib.generate import main

if __name__ == "__main__":
    raise SystemExit(main())
