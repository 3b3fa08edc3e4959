"""Fault injection: latency, transient failures, a broken path's answer, a skewed clock."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import InternalError, InvalidActionNotFound, ServiceUnavailable, Throttling
from .params import set_clock_skew
from .services.webplus.errors import ResourceAuthFailed

FAILURE_KINDS = ("Throttling", "ServiceUnavailable", "InternalError", "DropConnection")
# The error each transient failure kind raises (DropConnection raises none: it answers nothing).
INJECTED: dict[str, type[Throttling | ServiceUnavailable | InternalError]] = {
    "Throttling": Throttling,
    "ServiceUnavailable": ServiceUnavailable,
    "InternalError": InternalError,
}
# What an `error` fault answers when it names one of these codes without a status or message:
# the gateway's answer for an API it does not serve, WebPlus's documented ResourceAuthFailed,
# and the common RAM refusal (sources in the README's error table).
KNOWN_ERRORS: dict[str, tuple[int, str]] = {
    InvalidActionNotFound.code: (InvalidActionNotFound.status, InvalidActionNotFound().message),
    ResourceAuthFailed.code: (ResourceAuthFailed.status, ResourceAuthFailed("").message),
    "Forbidden.RAM": (
        403,
        "User not authorized to operate on the specified resource, or this API doesn't "
        "support RAM.",
    ),
}


@dataclass(frozen=True)
class ErrorFault:
    """Answer every authenticated call to `actions` (all when None) with this HTTP status, code
    and message, after its signature is verified and before the action runs: a path that
    answers the wrong thing (a gateway, a proxy, a RAM policy). `ErrorFault.of(code)` fills
    in the status and message of a code in `KNOWN_ERRORS`."""

    code: str
    status: int
    message: str
    actions: frozenset[str] | None = None

    def __post_init__(self) -> None:
        if not self.code:
            raise ValueError("an error fault needs a code")
        if not 400 <= self.status <= 599:
            raise ValueError("an error fault's status must be between 400 and 599")

    @classmethod
    def of(
        cls,
        code: str,
        status: int | None = None,
        message: str | None = None,
        actions: Iterable[str] | None = None,
    ) -> ErrorFault:
        """The fault for `code`; status and message default to the code's known answer."""
        known_status, known_message = KNOWN_ERRORS.get(code, (None, None))
        status = status if status is not None else known_status
        if status is None:
            known = ", ".join(KNOWN_ERRORS)
            raise ValueError(f"error {code!r} needs a status (known codes: {known})")
        return cls(
            code=code,
            status=status,
            message=message or known_message or f"The request failed with {code}.",
            actions=frozenset(actions) if actions is not None else None,
        )

    @staticmethod
    def known() -> list[str]:
        """The codes `of` knows a status and message for."""
        return list(KNOWN_ERRORS)

    def applies(self, action: str) -> bool:
        """Whether a call to `action` gets this error."""
        return self.actions is None or action in self.actions

    def to_json(self) -> dict[str, Any]:
        """The fault as `GET /_emulator/faults` answers it under `error`."""
        return {
            "code": self.code,
            "status": self.status,
            "message": self.message,
            "actions": sorted(self.actions) if self.actions is not None else None,
        }

    @classmethod
    def from_json(cls, data: Any) -> ErrorFault:
        """The fault from its JSON: `code`, and optionally `status`, `message`, `actions`."""
        if not isinstance(data, dict):
            raise ValueError("error must be an object with a code")
        unknown = set(data) - {"code", "status", "message", "actions"}
        if unknown:
            raise ValueError(f"unknown error fault settings {sorted(unknown)}")
        actions = data.get("actions")
        status = data.get("status")
        return cls.of(
            str(data.get("code") or ""),
            int(status) if status is not None else None,
            str(data["message"]) if data.get("message") is not None else None,
            [str(a) for a in actions] if actions is not None else None,
        )


@dataclass(frozen=True)
class FaultConfig:
    """Latency and transient failures to inject into API calls (never into /_emulator/ controls).

    `failure_rate` is the chance that an authenticated call to one of `actions` (all when None)
    fails with one of `failure_kinds`. `DropConnection` closes the socket without an answer,
    after applying the action when `drop_after_apply` is set (the answer was lost on the way).
    `max_failures` caps how many failures are injected; `seed` makes the draws repeatable.
    `clock_skew_s` sets the services' clock (create times and the ``Date`` header) that many
    seconds ahead of the host's (behind when negative); signatures are still checked against
    the host's. `error` answers the calls it names with a chosen error (see `ErrorFault`),
    before any transient failure is drawn. An asynchronous operation (launching an environment
    or a provisioned product, updating, terminating) stays under way for `settle_s` seconds
    (`transitions`); one started by an action in `fail_async` then ends in its failed status,
    as the services' do when a stack fails to build. For `task_lag_s` seconds after a
    provisioned product's update or termination (or an environment's) starts, reads still
    show the task (change) before it, its id and status, as the real services may for a moment.
    """

    latency_ms: int = 0
    failure_rate: float = 0.0
    failure_kinds: tuple[str, ...] = FAILURE_KINDS
    actions: frozenset[str] | None = None
    drop_after_apply: bool = False
    max_failures: int | None = None
    seed: int | None = None
    clock_skew_s: float = 0.0
    error: ErrorFault | None = None
    settle_s: float = 0.5
    fail_async: frozenset[str] = frozenset()
    task_lag_s: float = 0.0

    def __post_init__(self) -> None:
        if self.latency_ms < 0:
            raise ValueError("latency_ms must not be negative")
        if not 0.0 <= self.failure_rate <= 1.0:
            raise ValueError("failure_rate must be between 0 and 1")
        unknown = set(self.failure_kinds) - set(FAILURE_KINDS)
        if unknown:
            raise ValueError(f"unknown failure kinds {sorted(unknown)}; known: {FAILURE_KINDS}")
        if self.max_failures is not None and self.max_failures < 0:
            raise ValueError("max_failures must not be negative")
        if self.settle_s < 0:
            raise ValueError("settle_s must not be negative")
        if self.task_lag_s < 0:
            raise ValueError("task_lag_s must not be negative")

    def to_json(self) -> dict[str, Any]:
        """The settings as `GET /_emulator/faults` answers them."""
        return {
            "latency_ms": self.latency_ms,
            "failure_rate": self.failure_rate,
            "failure_kinds": list(self.failure_kinds),
            "actions": sorted(self.actions) if self.actions is not None else None,
            "drop_after_apply": self.drop_after_apply,
            "max_failures": self.max_failures,
            "seed": self.seed,
            "clock_skew_s": self.clock_skew_s,
            "error": self.error.to_json() if self.error is not None else None,
            "settle_s": self.settle_s,
            "fail_async": sorted(self.fail_async),
            "task_lag_s": self.task_lag_s,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FaultConfig:
        """Settings from a `PUT /_emulator/faults` body; absent keys take their defaults."""
        known = set(cls().to_json())
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown fault settings {sorted(unknown)}; known: {sorted(known)}")
        actions = data.get("actions")
        kinds = data.get("failure_kinds", FAILURE_KINDS)
        try:
            return cls(
                latency_ms=int(data.get("latency_ms", 0)),
                failure_rate=float(data.get("failure_rate", 0.0)),
                failure_kinds=tuple(str(k) for k in kinds),
                actions=frozenset(str(a) for a in actions) if actions is not None else None,
                drop_after_apply=bool(data.get("drop_after_apply", False)),
                max_failures=(
                    int(data["max_failures"]) if data.get("max_failures") is not None else None
                ),
                seed=int(data["seed"]) if data.get("seed") is not None else None,
                clock_skew_s=float(data.get("clock_skew_s", 0.0)),
                error=(
                    ErrorFault.from_json(data["error"]) if data.get("error") is not None else None
                ),
                settle_s=float(data.get("settle_s", 0.5)),
                fail_async=frozenset(str(a) for a in data.get("fail_async", ())),
                task_lag_s=float(data.get("task_lag_s", 0.0)),
            )
        except TypeError as exc:
            raise ValueError(str(exc)) from exc


class Faults:
    """The current fault settings and the random draws made against them."""

    def __init__(self, config: FaultConfig) -> None:
        self._lock = threading.Lock()
        self.set(config)

    def set(self, config: FaultConfig) -> None:
        """Put `config` in force, its draws starting again from its seed."""
        with self._lock:
            self.config = config
            set_clock_skew(config.clock_skew_s)
            self._random = random.Random(config.seed)
            self._injected = 0

    def draw(self, action: str) -> str | None:
        """The failure to inject into this call, if any."""
        with self._lock:
            config = self.config
            if config.failure_rate <= 0 or not config.failure_kinds:
                return None
            if config.actions is not None and action not in config.actions:
                return None
            if config.max_failures is not None and self._injected >= config.max_failures:
                return None
            if self._random.random() >= config.failure_rate:
                return None
            self._injected += 1
            return self._random.choice(config.failure_kinds)
