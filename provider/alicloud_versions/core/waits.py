"""Waiting on an asynchronous operation: poll a resource's status until it is terminal, report
each change of status as progress, and give up at the user's timeout."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from .errors import Target, WaitFailedError, WaitTimeoutError

__all__ = [
    "DEFAULT_TIMEOUT",
    "PROGRESS",
    "Seen",
    "Statuses",
    "current_timeout",
    "timeout_of",
    "wait_for",
    "within",
]

PROGRESS = logging.getLogger("alicloud_versions.progress")
"""Where a wait reports each status it sees, one line at INFO, which both front doors show on
the resource being served (`alicloud_versions._engine_log`)."""

DEFAULT_TIMEOUT = 300.0
"""Seconds a create, update or delete waits by default: Terraform's `timeouts` default."""

T = TypeVar("T")

_TIMEOUT: ContextVar[float | None] = ContextVar("timeout", default=None)

_FIRST_POLL = 0.25
_MAX_POLL = 5.0


@contextmanager
def timeout_of(seconds: float | None) -> Iterator[None]:
    """Waits inside take at most `seconds`: the timeout the engine gives the operation (a
    resource's ``customTimeouts``); None or 0 leaves the default."""
    token = _TIMEOUT.set(seconds if seconds else None)
    try:
        yield
    finally:
        _TIMEOUT.reset(token)


def within(seconds: float | None, call: Callable[..., T], *args: Any) -> T:
    """`call(*args)` with `timeout_of(seconds)`: for a front door handing a call to another
    thread, where the caller's context does not follow."""
    with timeout_of(seconds):
        return call(*args)


def current_timeout() -> float:
    """The seconds a wait started now may take (`timeout_of`, else `DEFAULT_TIMEOUT`)."""
    return _TIMEOUT.get() or DEFAULT_TIMEOUT


@dataclass(frozen=True)
class Seen:
    """What one poll found: the resource's status (None: it is gone) and the service's reason
    for it, if it gave one."""

    status: str | None
    reason: str | None = None


@dataclass(frozen=True)
class Statuses:
    """Which statuses end a wait: `done` in success, `failed` in failure; any other keeps it
    going. `gone_done`: the resource disappearing is success (a termination)."""

    done: frozenset[str]
    failed: frozenset[str] = frozenset()
    gone_done: bool = False


def wait_for(
    poll: Callable[[], Seen],
    statuses: Statuses,
    *,
    target: Target,
    operation: str,
    timeout: float | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Seen:
    """Poll until `poll()` answers a terminal status and return what it saw last.

    Raises `WaitFailedError` on a failed status (or the resource gone when that is not
    success) and `WaitTimeoutError` when `timeout` seconds (else `current_timeout()`) pass
    first; both name the last status and the service's reason. Polls start fast and back off
    to every few seconds.
    """
    timeout = current_timeout() if timeout is None else timeout
    start = clock()
    interval = _FIRST_POLL
    last: Seen | None = None
    while True:
        seen = poll()
        waited = clock() - start
        if last is None or seen.status != last.status:
            PROGRESS.info(
                "%s: %s: %s (%.0fs of %gs)",
                target,
                operation,
                seen.status or "gone",
                waited,
                timeout,
            )
        last = seen
        if seen.status is None:
            if statuses.gone_done:
                return seen
            raise WaitFailedError(
                target=target,
                operation=operation,
                status=None,
                reason=seen.reason or "the resource disappeared",
                waited=waited,
                detail="failed",
            )
        if seen.status in statuses.done:
            return seen
        if seen.status in statuses.failed:
            raise WaitFailedError(
                target=target,
                operation=operation,
                status=seen.status,
                reason=seen.reason,
                waited=waited,
                detail="failed",
            )
        if waited >= timeout:
            raise WaitTimeoutError(
                target=target,
                operation=operation,
                status=seen.status,
                reason=f"still under way when the {timeout:g}s timeout ran out; it may yet "
                "finish: raise the resource's timeouts or run `pulumi refresh` later",
                waited=waited,
                detail="timed out",
            )
        sleep(min(interval, max(timeout - waited, 0.0)))
        interval = min(interval * 2, _MAX_POLL)
