"""The emulator as a child process, with the shorthand the e2e and reliability tests use.

Spawning and the controls live in the package (`alicloud_versions.emulator.EmulatorProcess`);
this adds the few helpers these tests call by their long-standing names.
"""

from __future__ import annotations

from typing import Any

from alicloud_versions.emulator import EmulatorProcess as _Spawner


class EmulatorProcess(_Spawner):
    """`python -m alicloud_versions.emulator` on a free port, restartable on the same port."""

    def control(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        status, answer = self.controls.call(method, path, body)
        if status != 200:
            raise RuntimeError(f"{method} /_emulator/{path} answered {status}: {answer}")
        return answer

    def requests(self) -> list[dict[str, Any]]:
        return list(self.controls.requests()["requests"])

    def counts(self) -> dict[str, int]:
        return dict(self.controls.requests()["counts"])

    def in_flight(self) -> dict[str, int]:
        """Actions that have arrived and are not yet answered, with how many of each."""
        return dict(self.control("GET", "requests")["in_flight"])

    def reset_log(self) -> None:
        self.controls.reset_requests()

    def reset(self) -> None:
        self.controls.reset()

    def inventory(self, account: str) -> dict[str, list[dict[str, Any]]]:
        return dict(self.controls.inventory()["accounts"].get(account, {}))

    def set_faults(self, **faults: Any) -> None:
        self.controls.set_faults(faults)
