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
from pulumi.provider.experimental.provider import Provider
from pulumi.provider.experimental.server import ProviderServicer

# The options Pulumi's own servers take (message sizes); no public name exports them.
from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS
from pulumi.runtime.proto import provider_pb2_grpc

from .._init_failed import DETAILS_KEY, init_failed
from ..core.errors import AlicloudVersionsError

__all__ = ["ours", "serve"]


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
                failed = init_failed(exc)
                if failed is not None:
                    await context.abort(
                        grpc.StatusCode.UNKNOWN,
                        str(failed),
                        trailing_metadata=((DETAILS_KEY, failed.status_details()),),
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
        try:
            await server.wait_for_termination()
        finally:
            # Stopped here, on its loop, when the engine stops the plugin (SIGINT): left to its
            # finalizer, an older grpcio (1.6x, with Python 3.10) schedules the stop on the loop
            # asyncio.run has closed and prints that traceback into the engine's output.
            await server.stop(None)

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run())
