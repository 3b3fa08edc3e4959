"""The emulator as its own process on loopback, with its /_emulator/ controls."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tests.support.process import start_announced, stop

_BANNER = "alicloud-versions-emulator listening on "


class EmulatorProcess:
    """`python -m alicloud_versions.emulator` on a free port, restartable on the same port."""

    def __init__(self, state: Path | str, *args: str, command: Sequence[str] | None = None) -> None:
        self.state = str(state)
        self.args = list(args)
        # How to run the emulator: this interpreter's module unless told (an installed script).
        self.command = list(command or [sys.executable, "-m", "alicloud_versions.emulator"])
        self.port = 0
        self.proc: subprocess.Popen[str] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> EmulatorProcess:
        self.proc, address = start_announced(
            [*self.command, "--port", str(self.port), "--state", self.state, *self.args], _BANNER
        )
        self.port = int(address.rsplit(":", 1)[1])
        return self

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc)
            self.proc = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def control(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(f"{self.url}/_emulator/{path}", data=data, method=method)
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read() or b"null")

    def requests(self) -> list[dict[str, Any]]:
        return list(self.control("GET", "requests")["requests"])

    def counts(self) -> dict[str, int]:
        return dict(self.control("GET", "requests")["counts"])

    def in_flight(self) -> dict[str, int]:
        """Actions that have arrived and are not yet answered, with how many of each."""
        return dict(self.control("GET", "requests")["in_flight"])

    def reset_log(self) -> None:
        self.control("POST", "requests/reset")

    def reset(self) -> None:
        self.control("POST", "reset")

    def inventory(self, account: str) -> dict[str, list[dict[str, Any]]]:
        accounts = self.control("GET", "inventory")["accounts"]
        return dict(accounts.get(account, {}))

    def set_faults(self, **faults: Any) -> None:
        self.control("PUT", "faults", faults)
