"""The emulator as a child process, and a client of its /_emulator/ controls over HTTP."""

from __future__ import annotations

import json
import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .command import ACCESS_KEYS_ENV, BANNER
from .faults import FaultConfig
from .server import Address
from .signing import AccessKey

_BANNER = re.compile(rf"^{re.escape(BANNER)}(http://(?:\[[^\]\s]+\]|[^\s:]+):(\d+))$")


class EmulatorControls:
    """The `/_emulator/` controls of a running emulator, named like the in-process `Emulator`'s."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout

    def call(self, method: str, path: str, body: object = None) -> tuple[int, Any]:
        """One control request (`path` under `/_emulator/`); its status and JSON answer."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"{self.url}/_emulator/{path.lstrip('/')}", data=data, method=method
        )
        request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code, json.loads(exc.read() or b"null")

    def _ok(self, method: str, path: str, body: object = None) -> Any:
        status, answer = self.call(method, path, body)
        if status != 200:
            raise RuntimeError(f"{method} /_emulator/{path} answered {status}: {answer}")
        return answer

    def health(self) -> bool:
        """True when an emulator answers at the URL."""
        try:
            return bool(self._ok("GET", "health").get("ok"))
        except (OSError, ValueError, RuntimeError):
            return False

    def requests(self) -> dict[str, Any]:
        """The request log: `{"requests": [...], "counts": {action: n}}`."""
        return dict(self._ok("GET", "requests"))

    def reset_requests(self) -> None:
        """Forget the request log and keep the state."""
        self._ok("POST", "requests/reset")

    def inventory(self) -> dict[str, Any]:
        """Every account's resources: `{"accounts": {account: {kind: [records]}}}`."""
        return dict(self._ok("GET", "inventory"))

    def reset(self) -> None:
        """Forget the request log and all state."""
        self._ok("POST", "reset")

    @property
    def faults(self) -> FaultConfig:
        """The fault settings in force."""
        return FaultConfig.from_json(self._ok("GET", "faults"))

    @faults.setter
    def faults(self, config: FaultConfig) -> None:
        self.set_faults(config.to_json())

    def set_faults(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        """Replace the fault settings (absent keys take their defaults); answer them."""
        return dict(self._ok("PUT", "faults", dict(settings)))


class EmulatorProcess(Address):
    """`python -m alicloud_versions.emulator` as a child process on a free port.

    `start()` waits for the banner at most `banner_timeout` seconds; the child's stdout is
    drained for as long as it runs; `stop()` ends it (SIGTERM, then SIGKILL) and is safe to call
    twice. `restart()` comes back on the same port and state. Use it as a context manager so the
    child never outlives its user. `access_keys` reach the child through its environment, never
    its command line; `controls=False` starts it with `--no-controls`.
    """

    def __init__(
        self,
        state: str | os.PathLike[str] = ":memory:",
        *args: str,
        host: str = "127.0.0.1",
        port: int = 0,
        banner_timeout: float = 30.0,
        command: Sequence[str] | None = None,
        access_keys: Iterable[AccessKey] = (),
        controls: bool = True,
    ) -> None:
        self.state = os.fspath(state)
        # How to run the emulator: this interpreter's module unless told (an installed script).
        self.command = list(command or [sys.executable, "-m", "alicloud_versions.emulator"])
        self.args = list(args) + ([] if controls else ["--no-controls"])
        self.access_keys = list(access_keys)
        self.controls_enabled = controls
        self.host = host
        self.port = port
        self.banner_timeout = banner_timeout
        self.proc: subprocess.Popen[str] | None = None
        self._drain: threading.Thread | None = None

    @property
    def controls(self) -> EmulatorControls:
        """The running emulator's controls."""
        return EmulatorControls(self.url)

    def start(self) -> EmulatorProcess:
        """Start the child and wait for its banner."""
        if self.proc is not None:
            raise RuntimeError("the emulator process is already running")
        command = [*self.command, "--host", self.host]
        command += ["--port", str(self.port), "--state", self.state, *self.args]
        proc = subprocess.Popen(
            command, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, env=self._env()
        )
        lines: queue.Queue[str] = queue.Queue()

        def drain() -> None:
            # Read to the end, so the child never blocks on a full pipe; the first line counts.
            assert proc.stdout is not None
            for line in proc.stdout:
                lines.put(line)
            lines.put("")

        self.proc = proc
        self._drain = threading.Thread(target=drain, name="emulator-stdout", daemon=True)
        self._drain.start()
        try:
            line = lines.get(timeout=self.banner_timeout)
        except queue.Empty:
            line = None
        match = _BANNER.match((line or "").strip())
        if match is None:
            self.stop()
            waited = f"within {self.banner_timeout:g}s" if line is None else f"got {line!r}"
            raise RuntimeError(f"the emulator did not start: no banner {waited}")
        self.port = int(match.group(2))
        return self

    def start_detached(self, log: str | os.PathLike[str]) -> int:
        """Start the emulator as a daemon that outlives this process, on the fixed `port`,
        its output appended to `log`; wait (at most `banner_timeout` seconds) until it answers.
        Its pid, for whoever stops it later."""
        if not self.port:
            raise ValueError("a detached emulator needs a fixed port")
        command = [*self.command, "--host", self.host, "--port", str(self.port)]
        with open(log, "ab") as out:
            proc = subprocess.Popen(
                [*command, "--state", self.state, *self.args],
                stdout=out,
                stderr=out,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own session: the caller's signals never reach it
                env=self._env(),
            )
        deadline = time.monotonic() + self.banner_timeout
        while not self._answers():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the emulator did not start on port {self.port}; see {log}")
            time.sleep(0.1)
        return proc.pid

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.access_keys:
            env[ACCESS_KEYS_ENV] = "\n".join(
                f"{key.id}:{key.secret}:{key.account_id}" for key in self.access_keys
            )
        return env

    def _answers(self) -> bool:
        # Without controls there is no health check: a connection accepted is the evidence.
        if self.controls_enabled:
            return self.controls.health()
        try:
            with socket.create_connection((self.host, self.port), timeout=1):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        """End the child and release its pipe; safe to call twice."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        if self._drain is not None:
            self._drain.join(timeout=10)
            self._drain = None
        if proc.stdout is not None:
            proc.stdout.close()

    def restart(self) -> EmulatorProcess:
        """Stop and start again on the same port and state."""
        self.stop()
        return self.start()

    @property
    def running(self) -> bool:
        return self.proc is not None
