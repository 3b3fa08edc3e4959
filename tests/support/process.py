"""Child processes that announce themselves, shared with the benchmark (`harness.process`)."""

from harness.process import start_announced, stop

__all__ = ["start_announced", "stop"]
