"""`make metrics-generate`: rewrite the headline MetricFlow metrics from the metric catalogue."""

from orchestration.lib.semantic_layer import main

if __name__ == "__main__":
    raise SystemExit(main())
