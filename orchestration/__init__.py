"""Dagster code for the police performance warehouse."""
