"""Figures 3 and 6: cold start of the dynamic provider host and of the plugin."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from alicloud_versions.emulator import (
    DEFAULT_ACCESS_KEY_ID,
    DEFAULT_ACCESS_KEY_SECRET,
    EmulatorProcess,
)
from bench.driver import PLUGIN, ROOT, VENV_BIN, plugin_config, table, verdict
from harness.engine import TOOLS
from harness.process import start_announced, stop

COLD_START_TARGET = 0.6


def _struct(props: dict[str, Any]) -> Any:
    from google.protobuf import struct_pb2

    struct = struct_pb2.Struct()
    struct.update(props)
    return struct


def host_command() -> list[str]:
    """The provider host as the engine launches it: the plugin shim next to the engine (which
    runs `$PULUMI_PYTHON_CMD -u -m pulumi.dynamic`), or that command itself."""
    wrapper = TOOLS / "bin" / "pulumi"  # a script that execs the engine binary
    candidates = [Path(t.strip('"')) for t in wrapper.read_text().split() if t.endswith('pulumi"')]
    for engine in [*candidates, wrapper]:
        shim = engine.parent / "pulumi-resource-pulumi-python"
        if shim.exists():
            return [str(shim)]
    return [sys.executable, "-u", "-m", "pulumi.dynamic"]


def first_calls(
    command: list[str],
    env: Mapping[str, str] | None,
    config: dict[str, Any],
    urn: str,
    props: dict[str, Any],
) -> dict[str, float]:
    """Seconds from launching the provider `command` to: listening, Configure, Check and Create
    of `props` answered, in the engine's order."""
    import grpc
    from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

    started = time.perf_counter()
    # A session of its own: the engine's shim is a shell script whose Python child would
    # outlive a signal to the shell alone, so `stop` ends the whole group.
    process, port = start_announced(
        command, "", timeout=60, env=env, stderr=subprocess.DEVNULL, new_session=True
    )
    try:
        marks = {"listening": time.perf_counter() - started}
        with grpc.insecure_channel(f"127.0.0.1:{int(port)}") as channel:
            stub = provider_pb2_grpc.ResourceProviderStub(channel)
            stub.Configure(provider_pb2.ConfigureRequest(args=_struct(config)), timeout=60)
            marks["configure"] = time.perf_counter() - started
            news = _struct(props)
            stub.Check(provider_pb2.CheckRequest(urn=urn, olds=_struct({}), news=news), timeout=60)
            marks["check"] = time.perf_counter() - started
            stub.Create(provider_pb2.CreateRequest(urn=urn, properties=news), timeout=60)
            marks["create"] = time.perf_counter() - started
        return marks
    finally:
        stop(process)


def cold_start_once(
    provider: Any, inputs: dict[str, Any], config: dict[str, Any]
) -> dict[str, float]:
    """`first_calls` of the dynamic provider host serving `provider`."""
    from pulumi.dynamic.dynamic import serialize_provider

    blob = serialize_provider(provider)  # made before the clock starts, as by the program
    env = {
        **os.environ,
        "PULUMI_PYTHON_CMD": sys.executable,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    return first_calls(host_command(), env, config, "urn:bench", {**inputs, "__provider": blob})


def cold_start_figure(emu: EmulatorProcess, runs: int) -> dict[str, Any]:
    """Figure 3: median times to the first answered calls, the provider against the no-op."""
    from alicloud_versions.dynamic.webplus import ApplicationProvider
    from harness.noop import NoopProvider

    emu.controls.set_faults({})
    config = {
        "alicloud:region": "cn-hangzhou",
        "alicloud:accessKey": DEFAULT_ACCESS_KEY_ID,
        "alicloud:secretKey": DEFAULT_ACCESS_KEY_SECRET,
        "alicloud-versions:endpoint": emu.url,
    }
    samples: dict[str, list[dict[str, float]]] = {"provider": [], "floor": []}
    for i in range(runs):
        samples["floor"].append(cold_start_once(NoopProvider(), {"value": "x"}, {}))
        samples["provider"].append(
            cold_start_once(ApplicationProvider(), {"app_name": f"cold-{i}"}, config)
        )
    medians = {
        kind: {mark: statistics.median(s[mark] for s in runs_) for mark in runs_[0]}
        for kind, runs_ in samples.items()
    }
    return {
        "runs": runs,
        "command": host_command(),
        "median": medians,
        "samples": samples,
        "target": COLD_START_TARGET,
        "met_first_call": medians["provider"]["check"] < COLD_START_TARGET,
        "met_first_create": medians["provider"]["create"] < COLD_START_TARGET,
    }


def plugin_cold_start_figure(emu: EmulatorProcess, runs: int) -> dict[str, Any]:
    """Figure 6: the plugin's median times to its first answered calls."""
    emu.controls.set_faults({})
    config = {key.rpartition(":")[2]: value.value for key, value in plugin_config(emu).items()}
    command = [str(VENV_BIN / PLUGIN), "127.0.0.1:1"]  # the engine address: never called here
    kind = "alicloud-versions:webplus:Application"
    samples = [
        first_calls(command, None, config, f"urn:pulumi:b::b::{kind}::c{i}", {"appName": f"c{i}"})
        for i in range(runs)
    ]
    median = {mark: statistics.median(s[mark] for s in samples) for mark in samples[0]}
    return {
        "runs": runs,
        "median": median,
        "samples": samples,
        "target": COLD_START_TARGET,
        "met_first_create": median["create"] < COLD_START_TARGET,
    }


def report(results: dict[str, Any]) -> list[str]:
    """Figure 3 as a table."""
    out: list[str] = []
    cold = results.get("cold_start")
    if cold:
        out.append(
            f"\n3. Cold start: seconds from launching the provider host (median of {cold['runs']}; "
            f"target < {COLD_START_TARGET} s)"
        )
        rows = []
        for mark in ("listening", "configure", "check", "create"):
            mine, floor = cold["median"]["provider"][mark], cold["median"]["floor"][mark]
            rows.append([mark, f"{mine:.3f}", f"{floor:.3f}", f"{mine - floor:+.3f}"])
        out.append(table(["answered", "provider s", "no-op floor s", "difference"], rows))
        out.append(
            f"first call answered (Check): {verdict(cold['met_first_call'])}; "
            f"first Create answered (SDK imported, one API call): "
            f"{verdict(cold['met_first_create'])}"
        )
    return out


def plugin_report(results: dict[str, Any]) -> list[str]:
    """Figure 6 as a table."""
    out: list[str] = []
    plugin_cold = results.get("plugin_cold_start")
    if plugin_cold:
        out.append(
            f"\n6. Plugin cold start: seconds from launching {PLUGIN} (median of "
            f"{plugin_cold['runs']}; target: first Create < {COLD_START_TARGET} s)"
        )
        rows = [[mark, f"{sec:.3f}"] for mark, sec in plugin_cold["median"].items()]
        out.append(table(["answered", "plugin s"], rows))
        out.append(f"first Create answered: {verdict(plugin_cold['met_first_create'])}")
    return out
