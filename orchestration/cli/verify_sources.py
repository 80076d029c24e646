"""`make verify-sources`: every extracted figure against its source line, every printed number accounted for."""

from orchestration.lib.verify_sources import main

if __name__ == "__main__":
    raise SystemExit(main())
