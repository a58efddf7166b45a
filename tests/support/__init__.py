"""Support code shared by tests and benchmarks (real services on loopback)."""
