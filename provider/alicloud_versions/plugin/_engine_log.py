"""Retries reported to the engine as they happen, beside the resource they are about.

The engine shows a plugin's stderr only in its debug log, so the plugin sends each report of
`core.client.RETRIES` to the engine's log service instead, with the URN of the call it belongs
to (`serving`), as a provider written with Pulumi's Go framework would.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

# grpcio ships no type information (types-grpcio is not a dependency of this package).
import grpc  # type: ignore[import-untyped]
from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc

from ..core.client import RETRIES

__all__ = ["install", "serving"]

T = TypeVar("T")

_call = threading.local()


def serving(urn: str, call: Callable[..., T], *args: Any) -> T:
    """`call(*args)` on this thread, its reports about the resource `urn`."""
    _call.urn = urn
    try:
        return call(*args)
    finally:
        _call.urn = ""


class _EngineLog(logging.Handler):
    """Sends each record to the engine as a warning about the resource being served."""

    def __init__(self, address: str) -> None:
        super().__init__(logging.WARNING)
        self._engine = engine_pb2_grpc.EngineStub(grpc.insecure_channel(address))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._engine.Log(
                engine_pb2.LogRequest(
                    severity=engine_pb2.WARNING,
                    message=record.getMessage(),
                    urn=getattr(_call, "urn", ""),
                ),
                timeout=5,
            )
        except Exception:  # a report lost is no reason to fail the call it is about
            self.handleError(record)


def install(address: str) -> None:
    """Report retries to the engine at `address` (and nowhere else)."""
    RETRIES.addHandler(_EngineLog(address))
    RETRIES.propagate = False
