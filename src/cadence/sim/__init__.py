"""Simulation: a model runner for `cadence simulate`, `cadence demo` and the tests."""
