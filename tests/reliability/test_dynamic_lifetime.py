"""The dynamic provider host ends with the engine that started it (issue 23, item 2).

`python -m pulumi.dynamic` never exits on its own: after a killed engine it went on listening,
answering any local process's calls with the stack's credentials. Our provider module starts
the same engine watch in it as the plugin has. Evidence only: the host's pid, found among the
engine's descendants while a create is in flight, is polled until it no longer runs.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from google.protobuf import struct_pb2
from pulumi import automation as auto
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from alicloud_versions.webplus import ApplicationProvider
from tests.reliability.conftest import StartEmulator, config_for
from tests.reliability.test_plugin_lifetime import StandInEngine
from tests.support.cli import CliProject, _descendants, wait_for
from tests.support.process import start_announced, stop

# The watch checks every 2 s and ends the host after two failed checks.
GONE_WITHIN = 10.0


def _dynamic_host(engine: int) -> int | None:
    """The pid of the `python -m pulumi.dynamic` the engine `engine` started, once it runs."""
    for pid in _descendants(engine):
        with contextlib.suppress(OSError):
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            if b"-m" in argv and b"pulumi.dynamic" in argv:
                return pid
    return None


def _gone(pid: int) -> bool | None:
    """True once `pid` no longer runs: it is reaped, or a zombie nobody has reaped yet."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return True if state == "Z" else None


@pytest.fixture
def stand_in() -> Iterator[StandInEngine]:
    """A gRPC server answering the engine's health service, counting the checks."""
    found = StandInEngine()
    yield found
    found.stop()


def _check(port: int) -> None:
    """One Check call carrying our provider, as the engine sends it: the host unpickles the
    provider, and so imports our module, which starts the watch."""
    news = struct_pb2.Struct()
    news.update({"app_name": "shop", "__provider": serialize_provider(ApplicationProvider())})
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        stub = provider_pb2_grpc.ResourceProviderStub(channel)
        stub.Configure(provider_pb2.ConfigureRequest(args=struct_pb2.Struct()), timeout=60)
        answer = stub.Check(provider_pb2.CheckRequest(urn="urn:x", news=news), timeout=60)
    assert not answer.failures


def test_the_dynamic_host_serves_while_its_engine_answers_and_ends_after_it(
    stand_in: StandInEngine,
) -> None:
    """`python -m pulumi.dynamic ADDRESS`, as the engine starts it, once it has run one of our
    providers keeps serving while the engine answers its health checks, and exits once the
    engine is gone."""
    proc, port = start_announced([sys.executable, "-m", "pulumi.dynamic", stand_in.address], "")
    try:
        _check(int(port))
        wait_for("three health checks", lambda: True if stand_in.checks >= 3 else None, timeout=60)
        assert proc.poll() is None
        stand_in.stop()
        wait_for("the host to exit", lambda: proc.poll(), timeout=GONE_WITHIN)
    finally:
        stop(proc)


def test_the_dynamic_provider_host_ends_when_the_engine_is_killed(
    project: CliProject,
    own_emulator: StartEmulator,
    stack_config: dict[str, auto.ConfigValue],
) -> None:
    """`pulumi up` of the release stack SIGKILLed alone (its plugins left running) while the
    dynamic provider's creates are in flight: the provider host is gone within 10 s."""
    emu = own_emulator()
    project.init(config_for(stack_config, emu, pkgVersions=1, productVersions=1))
    emu.set_faults(latency_ms=60_000)  # creates stay in flight until the test ends
    up = project.start("up", "--yes", "--skip-preview")
    tree: set[int] = set()
    try:
        wait_for("a create in flight", lambda: True if emu.in_flight() else None, timeout=120)
        host = wait_for("the dynamic provider host", lambda: _dynamic_host(up.pid), timeout=30)
        tree = set(_descendants(up.pid))
        up.kill()  # the engine alone
        up.wait(timeout=30)
        killed = time.monotonic()
        wait_for("the dynamic provider host to end", lambda: _gone(host), timeout=GONE_WITHIN)
        print(f"the dynamic provider host ended {time.monotonic() - killed:.1f}s after the engine")
    finally:
        project.kill(up)
        for pid in tree:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        emu.set_faults()
