"""What the provider logs, sent to the engine that runs it: retries as warnings beside their
resource, our bugs' tracebacks to its debug log.

A provider's stderr is no fit channel: the engine shows the dynamic provider host's as
information without a resource, and a plugin's only in its debug log. Both front doors are
started by the engine with its address as their first argument; `install` sends the package's
log (`alicloud_versions`) there instead, as a provider written with Pulumi's Go framework
would: each retry (`core.client.RETRIES`) as a warning on the resource being served (`serving`;
the plugin knows its URN, the dynamic host names none), each status a wait sees
(`core.waits.PROGRESS`) as information on it, anything else, such as the traceback of
a bug (`core.failures.reported`), at debug level.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

# grpcio ships no type information (types-grpcio is not a dependency of this package).
import grpc  # type: ignore[import-untyped]
from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc

from ._watch import engine_address
from .core.client import RETRIES
from .core.waits import PROGRESS

__all__ = ["install", "serving"]

T = TypeVar("T")

_call = threading.local()
_PACKAGE = logging.getLogger("alicloud_versions")


def serving(urn: str, call: Callable[..., T], *args: Any) -> T:
    """`call(*args)` on this thread, its reports about the resource `urn`."""
    _call.urn = urn
    try:
        return call(*args)
    finally:
        _call.urn = ""


# What is shown beside the resource being served, at which severity; the rest goes to the debug
# log with its traceback.
_SEVERITY = {RETRIES.name: engine_pb2.WARNING, PROGRESS.name: engine_pb2.INFO}


class _EngineLog(logging.Handler):
    """Sends each record to the engine: a retry as a warning and a wait's progress as
    information on the resource being served, anything else (with its traceback) to the debug
    log."""

    def __init__(self, address: str) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(message)s"))
        self._engine = engine_pb2_grpc.EngineStub(grpc.insecure_channel(address))

    def emit(self, record: logging.LogRecord) -> None:
        severity = _SEVERITY.get(record.name)
        try:
            self._engine.Log(
                engine_pb2.LogRequest(
                    severity=severity or engine_pb2.DEBUG,
                    message=record.getMessage() if severity else self.format(record),
                    urn=getattr(_call, "urn", "") if severity else "",
                ),
                timeout=5,
            )
        except Exception:  # a report lost is no reason to fail the call it is about
            self.handleError(record)


def install(argv: Sequence[str]) -> None:
    """Send the package's log (and nothing else of it) to the engine whose address `argv`, the
    provider process's arguments, holds; once a process, and not at all without one."""
    address = engine_address(argv)
    if address is not None and not any(isinstance(h, _EngineLog) for h in _PACKAGE.handlers):
        _PACKAGE.addHandler(_EngineLog(address))
        _PACKAGE.setLevel(logging.DEBUG)
        _PACKAGE.propagate = False
