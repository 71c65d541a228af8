"""Synthetic data: the demo county, a generated province and the benchmark that measures it."""
