"""`make export`: every mart of the published warehouse as CSV under exports/."""

from orchestration.lib.export import main

if __name__ == "__main__":
    raise SystemExit(main())
