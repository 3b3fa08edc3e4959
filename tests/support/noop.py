"""The do-nothing dynamic resource, shared with the benchmark (`harness.noop`)."""

from harness.noop import Noop, NoopProvider

__all__ = ["Noop", "NoopProvider"]
