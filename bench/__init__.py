"""Benchmarks: `make bench`. Each figure is a ratio against a floor timed in the same run."""
