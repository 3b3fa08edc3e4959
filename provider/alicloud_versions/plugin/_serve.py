"""The plugin's gRPC server: Pulumi's provider server, with our errors answered as one line.

Pulumi's experimental provider server lets an exception out of a call to grpc-aio, which answers
``Unexpected <class '...'>: <message>``, and from about SDK 3.270 it first rewraps the exception
as an ``Exception`` holding the message and the whole stack. The engine shows that answer as it
is. So the server is started here as Pulumi's `main` starts it, with one gRPC interceptor more:
a call that fails with one of our errors (raised, or the cause of what the server raised
instead) is aborted with that error's one-line message. Anything else, a bug, is left to the
server, and its traceback is in the log (`reported`).

A create that made its resource but saw it fail to start (an environment's launch that ended in
error or ran out of time) raises `InitFailed`: the call is aborted with the engine's
``ErrorResourceInitFailed`` detail, so the engine keeps the resource in the state, marked with
the reason, as it does for any provider's initialization failure.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

# grpcio ships no type information (types-grpcio is not a dependency of this package).
import grpc  # type: ignore[import-untyped]

# protobuf's type stubs (types-protobuf) are not a dependency of this package.
from google.protobuf import any_pb2  # type: ignore[import-untyped]
from pulumi.provider.experimental.provider import Provider
from pulumi.provider.experimental.server import ProviderServicer

# The options Pulumi's own servers take (message sizes); no public name exports them.
from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from ..core.errors import AlicloudVersionsError

__all__ = ["InitFailed", "ours", "serve"]


def ours(exc: BaseException) -> AlicloudVersionsError | None:
    """Our error that `exc` is or was raised for (its cause or context), if any."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        if isinstance(cur, AlicloudVersionsError):
            return cur
        seen.add(id(cur))
        cur = cur.__cause__ or cur.__context__
    return None


class InitFailed(Exception):
    """A create made resource `id_` (its outputs `properties`, inputs `inputs`, each a
    ``google.protobuf.Struct`` as the engine takes them) but it failed to initialize; raised
    from the error that says why."""

    def __init__(self, reason: str, id_: str, properties: Any, inputs: Any) -> None:
        super().__init__(reason)
        self.id_, self.properties, self.inputs = id_, properties, inputs

    def status_details(self) -> bytes:
        """The ``grpc-status-details-bin`` trailer: a ``google.rpc.Status`` (code UNKNOWN, the
        reason, the ``ErrorResourceInitFailed`` detail), encoded here since the package that
        defines that message is not among the dependencies."""
        detail = any_pb2.Any()
        detail.Pack(
            provider_pb2.ErrorResourceInitFailed(
                id=self.id_,
                properties=self.properties,
                reasons=[str(self)],
                inputs=self.inputs,
            )
        )
        message = str(self).encode()
        packed: bytes = detail.SerializeToString()
        return (
            b"\x08"  # field 1, code: varint
            + _varint(grpc.StatusCode.UNKNOWN.value[0])
            + b"\x12"  # field 2, message: bytes
            + _varint(len(message))
            + message
            + b"\x1a"  # field 3, details: one Any
            + _varint(len(packed))
            + packed
        )


def _varint(number: int) -> bytes:
    out = bytearray()
    while True:
        low, number = number & 0x7F, number >> 7
        out.append(low | (0x80 if number else 0))
        if not number:
            return bytes(out)


def _init_failed(exc: BaseException) -> InitFailed | None:
    """The `InitFailed` that `exc` is or was raised for, if any."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        if isinstance(cur, InitFailed):
            return cur
        seen.add(id(cur))
        cur = cur.__cause__ or cur.__context__
    return None


class _OneLine(grpc.aio.ServerInterceptor):  # type: ignore[misc]
    """Aborts a call that failed with one of our errors with its message alone."""

    async def intercept_service(
        self,
        continuation: Callable[[Any], Awaitable[Any]],
        handler_call_details: Any,
    ) -> Any:
        handler = await continuation(handler_call_details)
        if handler is None or handler.unary_unary is None:
            return handler
        behavior = handler.unary_unary

        async def answered(request: Any, context: Any) -> Any:
            try:
                return await behavior(request, context)
            except Exception as exc:
                failed = _init_failed(exc)
                if failed is not None:
                    await context.abort(
                        grpc.StatusCode.UNKNOWN,
                        str(failed),
                        trailing_metadata=(("grpc-status-details-bin", failed.status_details()),),
                    )
                error = ours(exc)
                if error is None:
                    raise
                await context.abort(grpc.StatusCode.UNKNOWN, str(error))

        return grpc.unary_unary_rpc_method_handler(
            answered,
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )


def serve(args: Sequence[str], version: str, provider: Provider) -> None:
    """Serve `provider` on a loopback port, printed on stdout for the engine (whose address is
    the first of `args`), until the process is stopped."""
    parser = argparse.ArgumentParser(description="Pulumi provider plugin (gRPC server)")
    parser.add_argument("engine", help="Pulumi engine address")
    known, _ = parser.parse_known_args(list(args))

    async def run() -> None:
        server = grpc.aio.server(options=_GRPC_CHANNEL_OPTIONS, interceptors=[_OneLine()])
        servicer = ProviderServicer(list(args), version, provider, engine_address=known.engine)
        provider_pb2_grpc.add_ResourceProviderServicer_to_server(servicer, server)
        port = server.add_insecure_port(address="127.0.0.1:0")
        await server.start()
        sys.stdout.buffer.write(f"{port}\n".encode())
        sys.stdout.buffer.flush()
        await server.wait_for_termination()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run())
