"""Dagster definitions: the assets (raw load, dbt, metric marts, publish), the sensor and schedule, and
the resources. `orchestration/definitions.py` gathers them into the code location."""
