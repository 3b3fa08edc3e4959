"""Measurements of the provider on the real engine; run as `python -m bench.run`."""
