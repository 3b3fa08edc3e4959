"""The provider plugin ends when the engine it serves is gone (issue 20, finding 6): started as
the engine starts it, with a stand-in engine's address, and on the real engine.

Evidence only: the stand-in engine counts the health checks it answers, and the plugin's port
is polled until it refuses connections, under a deadline.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import grpc
import pytest

from tests.reliability.conftest import StartEmulator
from tests.support.accounts import Account
from tests.support.cli import _descendants, wait_for
from tests.support.engine import TOOLS
from tests.support.process import start_announced, stop

PLUGIN = str(Path(sys.executable).parent / "pulumi-resource-alicloud-versions")
# The plugin checks every 2 s and ends after two failed checks: well within this.
GONE_WITHIN = 30.0
# Starts the plugin as its parent, and prints the plugin's pid and port banner on one line.
PARENT = """\
import subprocess, sys
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, text=True)
print(child.pid, child.stdout.readline().strip(), flush=True)
child.wait()
"""


class StandInEngine:
    """A gRPC server answering the health service, as the engine's does; it counts checks."""

    def __init__(self) -> None:
        self.checks = 0
        self.server = grpc.server(ThreadPoolExecutor(max_workers=2))

        def check(_request: bytes, _context: grpc.ServicerContext) -> bytes:
            self.checks += 1
            return b"\x08\x01"  # HealthCheckResponse{status: SERVING}

        handler = grpc.unary_unary_rpc_method_handler(check)
        self.server.add_generic_rpc_handlers(
            [grpc.method_handlers_generic_handler("grpc.health.v1.Health", {"Check": handler})]
        )
        self.port = self.server.add_insecure_port("127.0.0.1:0")
        self.server.start()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.stop(None).wait(timeout=10)


@pytest.fixture
def engine() -> Iterator[StandInEngine]:
    stand_in = StandInEngine()
    yield stand_in
    stand_in.stop()


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except OSError:
        return False
    return True


def _closed(port: int) -> bool | None:
    return True if not _listening(port) else None


def test_the_plugin_serves_while_its_engine_answers_and_ends_after_it(
    engine: StandInEngine,
) -> None:
    """Started with the engine's address as the engine starts it, the plugin keeps serving
    while the engine answers its health checks, and closes its port once the engine is gone."""
    proc, port = start_announced([PLUGIN, engine.address], "", timeout=60)
    try:
        wait_for("three health checks", lambda: True if engine.checks >= 3 else None, timeout=60)
        assert proc.poll() is None and _listening(int(port))
        engine.stop()
        wait_for("the plugin's port to close", lambda: _closed(int(port)), timeout=GONE_WITHIN)
        assert proc.wait(timeout=GONE_WITHIN) != 0
    finally:
        stop(proc)


def test_the_plugin_ends_when_its_parent_is_gone(engine: StandInEngine) -> None:
    """Its parent killed while the engine's address still answers, the plugin ends too."""
    parent, banner = start_announced(
        [sys.executable, "-c", PARENT, PLUGIN, engine.address], "", timeout=60
    )
    pid, port = map(int, banner.split())
    try:
        assert _listening(port)
        parent.kill()
        parent.wait(timeout=30)
        wait_for("the plugin's port to close", lambda: _closed(port), timeout=GONE_WITHIN)
        assert engine.checks < 10  # it did not outlive its parent by checking on
    finally:
        stop(parent)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _plugin_port(engine: int) -> int | None:
    """The port the plugin the engine `engine` started (its child, not the one the YAML
    language host starts for the schema) listens on, once it does."""
    for pid in _descendants(engine):
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            ppid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        if ppid == engine and any(a.endswith(b"pulumi-resource-alicloud-versions") for a in argv):
            return min(_listening_ports(pid), default=None)
    return None


def _listening_ports(pid: int) -> set[int]:
    """The TCP ports `pid` listens on, from its socket descriptors and /proc/net/tcp{,6}."""
    inodes = set()
    with contextlib.suppress(OSError):
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                target = os.readlink(fd)
                if target.startswith("socket:["):
                    inodes.add(target[len("socket:[") : -1])
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                    ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def test_the_plugin_ends_when_the_real_engine_is_killed(
    tmp_path: Path, own_emulator: StartEmulator, account: Account
) -> None:
    """`pulumi up` of the YAML example SIGKILLed alone (its plugins left running) while the
    plugin's creates are in flight: the plugin closes its port shortly after."""
    from tests.support.plugin import (
        EXAMPLE,
        VENV_BIN,
        account_plugin_config,
        search_path,
        yaml_project,
    )

    emu = own_emulator()
    project = yaml_project(
        tmp_path,
        EXAMPLE.read_text(),
        account_plugin_config(emu, account),
        path=search_path(TOOLS / "bin", VENV_BIN),
    )
    emu.set_faults(latency_ms=60_000)  # creates stay in flight until the test ends
    up = project.start("up", "--yes", "--skip-preview")
    tree: set[int] = set()
    try:
        wait_for("a create in flight", lambda: True if emu.in_flight() else None, timeout=120)
        port = wait_for("the plugin's port", lambda: _plugin_port(up.pid), timeout=30)
        tree = set(_descendants(up.pid))
        up.kill()  # the engine alone
        up.wait(timeout=30)
        wait_for("the plugin's port to close", lambda: _closed(port), timeout=GONE_WITHIN)
    finally:
        project.kill(up)
        for pid in tree:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        emu.set_faults()


def test_the_engine_address_is_the_positional_argument() -> None:
    """Logging and tracing flags the engine puts first are not taken for its address."""
    from alicloud_versions._watch import engine_address

    assert engine_address(["127.0.0.1:1234"]) == "127.0.0.1:1234"
    assert engine_address(["--logtostderr", "-v=9", "--tracing", "x:1", "h:2"]) == "h:2"
    assert engine_address([]) is None


def test_the_plugin_runs_as_a_module_too() -> None:
    """`python -m alicloud_versions.plugin ADDRESS` is the console script's twin."""
    done = subprocess.run(
        [sys.executable, "-m", "alicloud_versions.plugin", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "engine" in done.stdout
