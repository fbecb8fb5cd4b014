"""Benchmarks (`make bench`), not part of `make test`: timings are reported, not asserted."""
