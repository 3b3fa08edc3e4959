"""A create that made its resource, which then failed to initialize (an environment whose launch
ended in error or ran out of time), answered to the engine as such: the call fails with the
engine's ``ErrorResourceInitFailed`` detail, so the engine keeps the resource in the state, marked
with the reason, and the next update tries again from there. Both front doors answer it so.
"""

from __future__ import annotations

from typing import Any

# grpcio ships no type information (types-grpcio is not a dependency of this package).
import grpc  # type: ignore[import-untyped]

# Pulumi's protocol ships google.rpc.Status as its own module (status_pb2).
from pulumi.runtime.proto import provider_pb2, status_pb2

__all__ = ["DETAILS_KEY", "InitFailed", "init_failed"]

DETAILS_KEY = "grpc-status-details-bin"
"""The trailer gRPC reads a status's details from."""


class InitFailed(Exception):
    """A create made resource `id_` (its outputs `properties`, inputs `inputs`, each a
    ``google.protobuf.Struct`` as the engine takes them) but it failed to initialize; raised
    from the error that says why."""

    def __init__(self, reason: str, id_: str, properties: Any, inputs: Any) -> None:
        super().__init__(reason)
        self.id_, self.properties, self.inputs = id_, properties, inputs

    def status_details(self) -> bytes:
        """The ``grpc-status-details-bin`` trailer: a ``google.rpc.Status`` (code UNKNOWN, the
        reason, the ``ErrorResourceInitFailed`` detail)."""
        status = status_pb2.Status(code=grpc.StatusCode.UNKNOWN.value[0], message=str(self))
        status.details.add().Pack(
            provider_pb2.ErrorResourceInitFailed(
                id=self.id_,
                properties=self.properties,
                reasons=[str(self)],
                inputs=self.inputs,
            )
        )
        encoded: bytes = status.SerializeToString()
        return encoded


def init_failed(exc: BaseException) -> InitFailed | None:
    """The `InitFailed` that `exc` is or was raised for, if any."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        if isinstance(cur, InitFailed):
            return cur
        seen.add(id(cur))
        cur = cur.__cause__ or cur.__context__
    return None
