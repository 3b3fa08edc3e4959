"""The wait on an asynchronous operation: terminal statuses, failure, timeout and progress."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from alicloud_versions.core.errors import Target, WaitFailedError, WaitTimeoutError
from alicloud_versions.core.waits import (
    DEFAULT_TIMEOUT,
    PROGRESS,
    Seen,
    Statuses,
    current_timeout,
    timeout_of,
    wait_for,
)

TARGET = Target("webplus.AppEnv", "prod", "e-1")
READY = Statuses(done=frozenset({"Ready"}), failed=frozenset({"Error"}))


class _Clock:
    """A clock that moves only when the wait sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def _polls(*seen: Seen) -> Iterator[Seen]:
    yield from seen
    while True:
        yield seen[-1]


def _wait(seen: Iterator[Seen], clock: _Clock, statuses: Statuses = READY, timeout: float = 60):
    return wait_for(
        lambda: next(seen),
        statuses,
        target=TARGET,
        operation="CreateAppEnv",
        timeout=timeout,
        clock=clock,
        sleep=clock.sleep,
    )


def test_a_wait_returns_the_first_terminal_status_and_backs_off() -> None:
    """A wait polls through intermediate statuses, backing off, and returns the terminal one."""
    clock = _Clock()
    polls = _polls(Seen("Launching"), Seen("Launching"), Seen("Launching"), Seen("Ready"))
    assert _wait(polls, clock) == Seen("Ready")
    assert clock.sleeps == [0.25, 0.5, 1.0]


def test_a_failed_status_names_the_status_and_the_reason() -> None:
    """A wait that ends in a failed status raises with the status and the service's reason."""
    clock = _Clock()
    with pytest.raises(WaitFailedError) as caught:
        _wait(_polls(Seen("Launching"), Seen("Error", "stack ROLLBACK_COMPLETE")), clock)
    assert caught.value.status == "Error"
    assert str(caught.value) == (
        'webplus.AppEnv "prod" (id e-1): CreateAppEnv failed after 0s, in status Error: '
        "stack ROLLBACK_COMPLETE"
    )


def test_a_timeout_names_the_last_status_and_stops_polling() -> None:
    """A wait still under way at its timeout raises, naming the last status, without overrun."""
    clock = _Clock()
    with pytest.raises(WaitTimeoutError) as caught:
        _wait(_polls(Seen("Launching")), clock, timeout=10)
    assert caught.value.status == "Launching"
    assert "timed out after 10s, in status Launching" in str(caught.value)
    assert clock.now == 10


def test_gone_is_success_only_for_a_termination() -> None:
    """A resource that disappears ends a termination's wait, and fails a launch's."""
    clock = _Clock()
    gone = Statuses(done=frozenset({"Terminated"}), gone_done=True)
    assert _wait(_polls(Seen("Terminating"), Seen(None)), clock, gone) == Seen(None)
    with pytest.raises(WaitFailedError, match="in status unknown: the resource disappeared"):
        _wait(_polls(Seen("Launching"), Seen(None)), clock)


def test_each_change_of_status_is_reported_once(caplog: pytest.LogCaptureFixture) -> None:
    """Progress names each new status once, not every poll."""
    clock = _Clock()
    polls = _polls(Seen("Launching"), Seen("Launching"), Seen("Ready"))
    with caplog.at_level(logging.INFO, logger=PROGRESS.name):
        _wait(polls, clock)
    lines = [r.getMessage() for r in caplog.records if r.name == PROGRESS.name]
    assert [line.split(": ")[2].split(" ")[0] for line in lines] == ["Launching", "Ready"]


def test_the_engines_timeout_bounds_a_wait() -> None:
    """A wait inside `timeout_of` (a resource's customTimeouts) gives up at that timeout."""
    clock = _Clock()
    with timeout_of(3), pytest.raises(WaitTimeoutError):
        wait_for(
            lambda: Seen("Launching"),
            READY,
            target=TARGET,
            operation="CreateAppEnv",
            clock=clock,
            sleep=clock.sleep,
        )
    assert clock.now == 3
    assert current_timeout() == DEFAULT_TIMEOUT
