"""Asynchronous operations: a status that stays under way for a while, then settles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # faults imports the services' errors, and the services import this module
    from .faults import FaultConfig

__all__ = ["Transition"]


@dataclass(frozen=True)
class Transition:
    """An operation `action` started at `started_at` (the services' clock, seconds): its
    resource shows `under_way` until `FaultConfig.settle_s` have passed, then `done`, or
    `failed` when the faults in force at its start name `action` in `fail_async`."""

    action: str
    started_at: float
    under_way: str
    done: str
    failed: str
    settle_s: float
    fails: bool

    @classmethod
    def start(
        cls,
        action: str,
        now: float,
        faults: FaultConfig,
        *,
        under_way: str,
        done: str,
        failed: str,
    ) -> Transition:
        """The transition `action` begins at `now` under the faults in force."""
        return cls(
            action=action,
            started_at=now,
            under_way=under_way,
            done=done,
            failed=failed,
            settle_s=faults.settle_s,
            fails=action in faults.fail_async,
        )

    def status(self, now: float) -> str:
        """The resource's status at `now`."""
        if now - self.started_at < self.settle_s:
            return self.under_way
        return self.failed if self.fails else self.done

    def settled(self, now: float) -> bool:
        """Whether the operation has ended (in either status) by `now`."""
        return now - self.started_at >= self.settle_s
