"""Efficiency evaluation: metrics, sample files, the results store and the evaluation engine."""
