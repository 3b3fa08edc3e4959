"""A provider's lifetime: the plugin and the dynamic provider host end with their engine.

Once its engine is gone, a provider still listening on loopback with its configured credentials
serves any local process that connects (an unauthenticated ``Create`` makes a resource in the
configured account; a ``Read`` sends a request signed with the stack's key). Pulumi's Go
provider framework health-checks the engine address it is given and exits when that fails;
this does the same, every few seconds, and also exits when the process that started the
provider is gone. Both front doors start it: the plugin from its `main`, the dynamic front door
when its module is imported in the host (`in_dynamic_host`), since `pulumi.dynamic`'s own host
never exits on its own.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import threading
from collections.abc import Callable, Sequence

# grpcio ships no type information (types-grpcio is not a dependency of this package).
import grpc  # type: ignore[import-untyped]

__all__ = [
    "CHECK_TIMEOUT",
    "EVERY",
    "engine_address",
    "engine_alive",
    "in_dynamic_host",
    "watch_engine",
    "watch_own_engine",
]

# Seconds between checks: a provider ends within about two of these after its engine.
EVERY = 2.0
# Seconds a health check may take: a dead engine refuses at once, and a busy machine must not
# make a live one look dead (which would end the update it serves).
CHECK_TIMEOUT = 5.0
# The gRPC health service every engine server registers (rpcutil.ServeWithOptions).
_HEALTH_CHECK = "/grpc.health.v1.Health/Check"
# Who says it exits, on stderr (which the engine shows in its log).
_WHO = "pulumi-alicloud-versions provider"
# The module `python -m pulumi.dynamic` runs as __main__: the dynamic provider host.
_DYNAMIC_HOST = "pulumi.dynamic.__main__"


def engine_address(argv: Sequence[str]) -> str | None:
    """The engine's address among a provider's arguments: the one positional argument, after
    any logging and tracing flags the engine puts first."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("engine", nargs="?")
    parser.add_argument("--tracing")
    known, _ = parser.parse_known_args(list(argv))
    return str(known.engine) if known.engine else None


def in_dynamic_host() -> bool:
    """Whether this process is Pulumi's dynamic provider host (``python -m pulumi.dynamic``),
    which unpickles our providers and runs their methods."""
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    return getattr(spec, "name", None) == _DYNAMIC_HOST


def engine_alive(channel: grpc.Channel, timeout: float) -> bool:
    """Whether the engine answers a health check; an engine without the health service
    (UNIMPLEMENTED) answered, so it is alive, as the Go framework counts it."""
    # An empty HealthCheckRequest is zero bytes, so no generated stubs are needed.
    check = channel.unary_unary(
        _HEALTH_CHECK, request_serializer=lambda b: b, response_deserializer=lambda b: b
    )
    try:
        check(b"", timeout=timeout)
    except grpc.RpcError as exc:
        return exc.code() == grpc.StatusCode.UNIMPLEMENTED  # type: ignore[no-any-return]
    return True


def _exit(reason: str) -> None:
    # stderr was a pipe to the engine: with the engine gone, writing may fail (EPIPE), and
    # nothing may stop the exit.
    with contextlib.suppress(OSError, ValueError):
        print(f"{_WHO}: exiting: {reason}", file=sys.stderr, flush=True)
    # The engine that would have stopped the server is gone: nothing waits for a clean stop,
    # and calls still running are abandoned as a killed provider's would be.
    os._exit(1)


def watch_engine(
    address: str,
    *,
    every: float = EVERY,
    on_gone: Callable[[str], None] = _exit,
) -> threading.Event:
    """Check every `every` seconds, on a daemon thread, that the engine at `address` answers
    and that the provider's parent process lives; call `on_gone` with the reason when either
    fails (two health checks in a row, so a check slowed by a busy machine is not taken for
    a dead engine). Setting the returned event stops the watch."""
    stop = threading.Event()
    parent = os.getppid()

    def watch() -> None:
        failed = 0
        try:
            with grpc.insecure_channel(address) as channel:
                while not stop.wait(every):
                    if parent != 1 and os.getppid() != parent:
                        on_gone(f"its parent process {parent} is gone")
                        return
                    failed = 0 if engine_alive(channel, timeout=CHECK_TIMEOUT) else failed + 1
                    if failed >= 2:
                        on_gone(f"the engine at {address} no longer answers")
                        return
        except Exception as exc:  # a provider nobody watches must not go on serving
            on_gone(f"the engine watch failed: {exc!r}")

    threading.Thread(target=watch, name="engine-watch", daemon=True).start()
    return stop


def watch_own_engine(argv: Sequence[str]) -> None:
    """Watch the engine whose address is among this provider's arguments `argv`, as the engine
    passes it to every provider it starts; nothing to watch without one."""
    address = engine_address(argv)
    if address is not None:
        watch_engine(address)
