"""Contract fixtures: an emulator for the session and provider hosts spoken to over gRPC.

A provider host is `python -m pulumi.dynamic`, the process the engine starts for dynamic
resources; the tests call it through the same `ResourceProvider` protocol the engine uses.
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
import pytest
from google.protobuf import json_format, struct_pb2
from pulumi.dynamic import ResourceProvider
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.runtime import rpc
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from alicloud_versions.core.config import ENVIRONMENT_VARIABLES
from alicloud_versions.emulator import (
    DEFAULT_ACCESS_KEY_ID,
    DEFAULT_ACCESS_KEY_SECRET,
    Emulator,
    FaultConfig,
)
from harness.config import emulator_config as stack_config
from harness.config import protocol_config


def secret(value: str) -> dict[str, Any]:
    """A config value wrapped as the engine sends a secret."""
    return {rpc._special_sig_key: rpc._special_secret_sig, "value": value}


def to_struct(props: dict[str, Any]) -> struct_pb2.Struct:
    """A property bag as the engine sends it."""
    struct = struct_pb2.Struct()
    struct.update(props)
    return struct


def from_struct(struct: struct_pb2.Struct) -> dict[str, Any]:
    """A property bag as the host answers it."""
    return json_format.MessageToDict(struct)


@dataclass
class Host:
    """A running provider host and its gRPC stub."""

    process: subprocess.Popen[bytes]
    channel: grpc.Channel
    stub: provider_pb2_grpc.ResourceProviderStub
    responses: list[Any]
    log: Path
    """Where the host's stderr goes."""
    log_start: int = 0
    """Where the current test's part of `log` begins (a host may serve several tests)."""

    def stderr(self) -> str:
        """What the host printed on stderr during the current test."""
        with self.log.open("rb") as log:
            log.seek(self.log_start)
            return log.read().decode(errors="replace")

    def begin_test(self) -> None:
        """Forget the responses and stderr of earlier tests."""
        self.responses.clear()
        self.log_start = self.log.stat().st_size

    def stop(self) -> None:
        """Terminate the host (killed if it lingers) and remove its log."""
        self.channel.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        self.log.unlink(missing_ok=True)

    def _record(self, response: Any) -> Any:
        self.responses.append(response)
        return response

    def configure(self, config: dict[str, Any]) -> None:
        """Send the stack config (fully qualified keys), as the engine does first."""
        self.stub.Configure(provider_pb2.ConfigureRequest(args=to_struct(config)))

    def check(
        self, provider: ResourceProvider, news: dict[str, Any], olds: dict[str, Any] | None = None
    ) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        """Check: the inputs to use and (property, reason) failures."""
        blob = serialize_provider(provider)
        response = self._record(
            self.stub.Check(
                provider_pb2.CheckRequest(
                    urn="urn:test",
                    olds=to_struct({**(olds or {}), "__provider": blob}),
                    news=to_struct({**news, "__provider": blob}),
                )
            )
        )
        failures = [(f.property, f.reason) for f in response.failures]
        return from_struct(response.inputs), failures

    def diff(
        self, provider: ResourceProvider, id_: str, olds: dict[str, Any], news: dict[str, Any]
    ) -> provider_pb2.DiffResponse:
        """Diff of old outputs against new inputs."""
        blob = serialize_provider(provider)
        return self._record(
            self.stub.Diff(
                provider_pb2.DiffRequest(
                    id=id_,
                    urn="urn:test",
                    olds=to_struct({**olds, "__provider": blob}),
                    news=to_struct({**news, "__provider": blob}),
                )
            )
        )

    def create(
        self, provider: ResourceProvider, props: dict[str, Any], timeout: float = 0
    ) -> tuple[str, dict[str, Any]]:
        """Create (within `timeout` seconds, the resource's customTimeouts; 0: none set): the
        new id and outputs."""
        blob = serialize_provider(provider)
        response = self._record(
            self.stub.Create(
                provider_pb2.CreateRequest(
                    urn="urn:test",
                    properties=to_struct({**props, "__provider": blob}),
                    timeout=timeout,
                )
            )
        )
        return response.id, from_struct(response.properties)

    def read(
        self, provider: ResourceProvider, id_: str, props: dict[str, Any]
    ) -> tuple[str, dict[str, Any], dict[str, Any]]:
        """Read (refresh): the id (blank when gone), outputs and inputs."""
        blob = serialize_provider(provider)
        response = self._record(
            self.stub.Read(
                provider_pb2.ReadRequest(
                    id=id_, urn="urn:test", properties=to_struct({**props, "__provider": blob})
                )
            )
        )
        return response.id, from_struct(response.properties), from_struct(response.inputs)

    def update(
        self,
        provider: ResourceProvider,
        id_: str,
        olds: dict[str, Any],
        news: dict[str, Any],
        timeout: float = 0,
    ) -> dict[str, Any]:
        """Update (within `timeout` seconds; 0: none set): the new outputs."""
        blob = serialize_provider(provider)
        response = self._record(
            self.stub.Update(
                provider_pb2.UpdateRequest(
                    id=id_,
                    urn="urn:test",
                    olds=to_struct({**olds, "__provider": blob}),
                    news=to_struct({**news, "__provider": blob}),
                    timeout=timeout,
                )
            )
        )
        return from_struct(response.properties)

    def delete(self, provider: ResourceProvider, id_: str, props: dict[str, Any]) -> None:
        """Delete."""
        blob = serialize_provider(provider)
        self.stub.Delete(
            provider_pb2.DeleteRequest(
                id=id_, urn="urn:test", properties=to_struct({**props, "__provider": blob})
            )
        )


# How long a provider host may take to print its port.
_BANNER_TIMEOUT = 30


def _start_host() -> Host:
    env = {k: v for k, v in os.environ.items() if k not in ENVIRONMENT_VARIABLES}
    # stderr goes to a file, never an unread pipe that could fill and stall the host.
    fd, name = tempfile.mkstemp(prefix="provider-host-", suffix=".log")
    process = subprocess.Popen(
        [sys.executable, "-m", "pulumi.dynamic"], stdout=subprocess.PIPE, stderr=fd, env=env
    )
    os.close(fd)  # the child holds its own copy
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], _BANNER_TIMEOUT)
    banner = process.stdout.readline().decode().strip() if ready else ""
    if not banner.isdigit():
        process.kill()
        process.wait()
        raise RuntimeError(f"provider host printed no port in {_BANNER_TIMEOUT}s: {banner!r}")
    port = int(banner)
    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    grpc.channel_ready_future(channel).result(timeout=30)
    return Host(process, channel, provider_pb2_grpc.ResourceProviderStub(channel), [], Path(name))


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    """One emulator for the test session, with the default development key."""
    with Emulator(host="127.0.0.1", port=0, state=":memory:") as emu:
        yield emu


@pytest.fixture(autouse=True)
def clean_emulator(emulator: Emulator) -> Iterator[None]:
    """Every test starts with no resources, no faults and an empty request log."""
    emulator.faults = FaultConfig()
    emulator.reset()
    yield
    emulator.faults = FaultConfig()


def emulator_config(emulator: Emulator, **overrides: Any) -> dict[str, Any]:
    """Stack config pointing both services at the emulator with the development key, as a
    Configure request carries it."""
    return {
        **protocol_config(stack_config(emulator.url)),
        "alicloud-versions:maxRetryTime": "30",
        **overrides,
    }


@pytest.fixture
def start_host() -> Iterator[Callable[[dict[str, Any]], Host]]:
    """Start provider hosts configured with the given stack config; stopped afterwards."""
    hosts: list[Host] = []

    def start(config: dict[str, Any]) -> Host:
        host = _start_host()
        hosts.append(host)
        host.configure(config)
        return host

    yield start
    for host in hosts:
        host.stop()


@pytest.fixture(scope="session")
def _emulator_host(emulator: Emulator) -> Iterator[Host]:
    """One provider host for the session emulator's default config, shared by the tests that
    need no other: starting a host (importing pulumi and the SDKs) costs more than most tests.
    Providers hold no state between calls, so one test cannot reach the next through it."""
    host = _start_host()
    host.configure(emulator_config(emulator))
    yield host
    host.stop()


@pytest.fixture
def host(_emulator_host: Host) -> Host:
    """A provider host configured for the emulator (shared; its log and responses start empty)."""
    assert _emulator_host.process.poll() is None, "the shared provider host died in a test"
    _emulator_host.begin_test()
    return _emulator_host


def make_product(host: Host) -> dict[str, str]:
    """A template and a product made through the protocol: their URL and id."""
    from alicloud_versions.servicecatalog import ProductProvider, TemplateProvider

    template_url, _ = host.create(
        TemplateProvider(), {"template_type": "RosTerraformTemplate", "template_body": "{}"}
    )
    product_id, _ = host.create(
        ProductProvider(), {"product_name": "shop", "provider_name": "team", "product_type": "Ros"}
    )
    return {"product_id": product_id, "template_url": template_url}


@pytest.fixture
def product(host: Host) -> dict[str, str]:
    """A template and a product made through the protocol: their URL and id."""
    return make_product(host)


def sdk_client(emulator: Emulator, service: str) -> Any:
    """An official SDK client on the emulator, for changes made outside Pulumi."""
    from alibabacloud_tea_openapi.models import Config

    config = Config(
        access_key_id=DEFAULT_ACCESS_KEY_ID,
        access_key_secret=DEFAULT_ACCESS_KEY_SECRET,
        region_id="cn-hangzhou",
        endpoint=emulator.endpoint,
        protocol="http",
    )
    if service == "webplus":
        from alibabacloud_webplus20190320.client import Client as WebPlus

        return WebPlus(config)
    from alibabacloud_servicecatalog20210901.client import Client as ServiceCatalog

    return ServiceCatalog(config)
