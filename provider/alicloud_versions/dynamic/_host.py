"""Our errors answered to the engine as their one-line message by Pulumi's dynamic provider host.

The host (``python -m pulumi.dynamic``) serves this front door and hands no gRPC context to it.
What it answers for an exception depends on the SDK: up to 3.259 gRPC's "Exception calling
application: <message>", with the traceback logged to stderr, which the engine shows; from about
3.270 the whole traceback as the error itself (``context.abort(UNKNOWN, format_exc())``). The
message is what users need, so `answered` finds the context of the call the host is serving (a
local of its handler's frame), aborts it with the message, and pins that message against the
host's own abort. The traceback of a bug still goes to the log (`reported`). Should a future host
hide the context, the error is raised as it is and `install_traceback_filter` keeps gRPC's log of
it to the one line.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import sys
from collections.abc import Callable, Mapping
from types import FrameType
from typing import Any, TypeVar

# grpcio ships no type information (types-grpcio is not a dependency of this package).
import grpc  # type: ignore[import-untyped]
from pulumi.runtime import rpc

from .._init_failed import DETAILS_KEY, InitFailed
from ..core.errors import AlicloudVersionsError

__all__ = ["answered", "engine_timeout", "install_traceback_filter", "not_initialized"]

F = TypeVar("F", bound=Callable[..., Any])

# How far up from a provider method the host's handler is (Create -> get_provider -> configure).
_DEPTH = 8


def _serving(frame: FrameType | None) -> grpc.ServicerContext | None:
    """The gRPC context of the handler `frame` was called from, if one is in reach."""
    for _ in range(_DEPTH):
        if frame is None:
            return None
        context = frame.f_locals.get("context")
        if isinstance(context, grpc.ServicerContext):
            return context
        frame = frame.f_back
    return None


def engine_timeout() -> float | None:
    """The timeout, in seconds, of the Create, Update or Delete the host is serving: the
    resource's ``customTimeouts``, which the engine sends in the request (0 when none is set).
    The host passes the provider no request, so it is read from its handler's frame, as
    `answered` finds the context; None when it is out of reach or unset."""
    frame: FrameType | None = sys._getframe(1)
    for _ in range(_DEPTH):
        if frame is None:
            return None
        request = frame.f_locals.get("request")
        timeout = getattr(request, "timeout", None)
        if hasattr(request, "DESCRIPTOR") and isinstance(timeout, float | int):
            return float(timeout) or None
        frame = frame.f_back
    return None


def not_initialized(
    error: Exception, id_: str, outs: Mapping[str, Any], inputs: Mapping[str, Any]
) -> None:
    """Fail the Create the host is serving as one that made `id_` (its outputs `outs`, as the
    host would answer them, and `inputs`), which did not initialize because of `error`: the
    engine keeps it in the state with the reason (`InitFailed`). Returns only when no context
    is in reach, for the caller to raise `error` as it is."""
    context = _serving(sys._getframe(1))
    if context is None:
        return
    loop = asyncio.new_event_loop()  # as the host serializes a Create's outputs
    try:
        properties = loop.run_until_complete(rpc.serialize_properties(dict(outs), {}))
        given = loop.run_until_complete(rpc.serialize_properties(dict(inputs), {}))
    finally:
        loop.close()
    failed = InitFailed(str(error), id_, properties, given)
    context.set_trailing_metadata(((DETAILS_KEY, failed.status_details()),))
    _abort(context, str(error))


def _abort(context: grpc.ServicerContext, message: str) -> None:
    """Fail the call with `message`, whatever the host aborts it with afterwards."""
    first = context.abort

    def pinned(code: grpc.StatusCode, _details: str) -> None:
        first(code, message)

    context.abort = pinned
    context.abort(grpc.StatusCode.UNKNOWN, message)  # raises, as grpc's abort does


def answered(method: F) -> F:
    """`method` of a dynamic provider, with our errors answered as their one-line message."""

    @functools.wraps(method)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except AlicloudVersionsError as error:
            context = _serving(sys._getframe(1))
            if context is None:
                raise
            _abort(context, str(error))
            raise  # pragma: no cover (abort raises)

    return call  # type: ignore[return-value]


class _DropOwnTracebacks(logging.Filter):
    """Keeps gRPC's "Exception calling application" log to our one-line message."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, AlicloudVersionsError):
            record.exc_info = None
            record.exc_text = None
            record.msg, record.args = "%s", (str(exc),)
        return True


def install_traceback_filter() -> None:
    """Stop the host's gRPC server printing tracebacks for our errors (the message says it all)."""
    logger = logging.getLogger("grpc._server")
    if not any(isinstance(f, _DropOwnTracebacks) for f in logger.filters):
        logger.addFilter(_DropOwnTracebacks())
