"""The benchmark (`make bench`): API calls per operation, overhead against a do-nothing floor,
cold start of the provider host, and how a refresh grows with an application's versions.

Every figure is measured next to its floor or target in the same run, prints as a table and is
written to bench/results/latest.json. See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pulumi import automation as auto

from alicloud_versions.dynamic._provider import PROVIDER_KEY
from alicloud_versions.emulator import (
    DEFAULT_ACCESS_KEY_ID,
    DEFAULT_ACCESS_KEY_SECRET,
    EmulatorProcess,
)
from harness.config import REGION, emulator_config
from harness.config import plugin_config as harness_plugin_config
from harness.engine import TOOLS, inline_stack
from harness.process import start_announced, stop

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "latest.json"
BUCKET = "oss://bench-artifacts"
TEMPLATE_TYPE = "RosTerraformTemplate"

OVERHEAD_TARGET = 1.3
COLD_START_TARGET = 0.6


# The stacks ---------------------------------------------------------------------------------


def provider_program(n: int) -> Callable[[], None]:
    """N PkgVersions and N ProductVersions with their Application, Product and Template."""

    def program() -> None:
        from alicloud_versions import servicecatalog, webplus

        app = webplus.Application("app", app_name="bench-app", category_name="Java")
        product = servicecatalog.Product("product", product_name="bench", provider_name="bench")
        template = servicecatalog.Template(
            "template", template_type=TEMPLATE_TYPE, template_body='{"main.tf": ""}'
        )
        for i in range(n):
            webplus.PkgVersion(
                f"pkg-{i}",
                app_id=app.app_id,
                package_source=f"{BUCKET}/app-{i}.war",
                pkg_version_label=f"1.{i}",
            )
            servicecatalog.ProductVersion(
                f"pv-{i}",
                product_id=product.product_id,
                product_version_name=f"1.{i}",
                template_type=TEMPLATE_TYPE,
                template_url=template.template_url,
            )

    return program


def floor_program(n: int, delay: float) -> Callable[[], None]:
    """The same graph made of no-op resources that sleep `delay` in create and delete."""

    def program() -> None:
        import pulumi

        from harness.noop import Noop

        app = Noop("app", "app", delay)
        product = Noop("product", "product", delay)
        template = Noop("template", "template", delay)
        for i in range(n):
            Noop(f"pkg-{i}", app.value.apply(lambda v, i=i: f"{v}-{i}"), delay)
            parents = pulumi.Output.all(product.value, template.value)
            Noop(f"pv-{i}", parents.apply(lambda vs, i=i: f"{vs[0]}-{vs[1]}-{i}"), delay)

    return program


def plugin_program(n: int) -> Callable[[], None]:
    """`provider_program`'s stack through the provider plugin (type tokens, camelCase)."""

    def program() -> None:
        import pulumi

        def resource(kind: str, name: str, props: dict[str, Any], out: str) -> Any:
            return pulumi.CustomResource(
                f"alicloud-versions:{kind}", name, {**props, out: None}
            ).__dict__[out]

        app_id = resource(
            "webplus:Application", "app", {"appName": "bench-app", "categoryName": "Java"}, "appId"
        )
        product_id = resource(
            "servicecatalog:Product",
            "product",
            {"productName": "bench", "providerName": "bench", "productType": "Ros"},
            "productId",
        )
        template_url = resource(
            "servicecatalog:Template",
            "template",
            {"templateType": TEMPLATE_TYPE, "templateBody": '{"main.tf": ""}'},
            "templateUrl",
        )
        for i in range(n):
            resource(
                "webplus:PkgVersion",
                f"pkg-{i}",
                {
                    "appId": app_id,
                    "packageSource": f"{BUCKET}/app-{i}.war",
                    "pkgVersionLabel": f"1.{i}",
                },
                "pkgVersionId",
            )
            resource(
                "servicecatalog:ProductVersion",
                f"pv-{i}",
                {
                    "productId": product_id,
                    "productVersionName": f"1.{i}",
                    "templateType": TEMPLATE_TYPE,
                    "templateUrl": template_url,
                },
                "productVersionId",
            )

    return program


def plugin_floor_program(n: int, delay: float) -> Callable[[], None]:
    """The same graph of the no-op plugin's resources (bench/noop_plugin.py)."""

    def program() -> None:
        import pulumi

        def noop(name: str, value: Any) -> Any:
            props = {"value": value, "delay": delay}
            return pulumi.CustomResource("benchnoop:index:Noop", name, props).__dict__["value"]

        app, product, template = noop("app", "app"), noop("product", "p"), noop("template", "t")
        for i in range(n):
            noop(f"pkg-{i}", app.apply(lambda v, i=i: f"{v}-{i}"))
            parents = pulumi.Output.all(product, template)
            noop(f"pv-{i}", parents.apply(lambda vs, i=i: f"{vs[0]}-{vs[1]}-{i}"))

    return program


def pkg_program(versions: int) -> Callable[[], None]:
    """An Application and `versions` PkgVersions, for the growth figure."""

    def program() -> None:
        from alicloud_versions import webplus

        app = webplus.Application("app", app_name="growth-app")
        for i in range(versions):
            webplus.PkgVersion(
                f"pkg-{i}",
                app_id=app.app_id,
                package_source=f"{BUCKET}/app-{i}.war",
                pkg_version_label=f"stack-{i}",
            )

    return program


def stack_config(emu: EmulatorProcess) -> dict[str, auto.ConfigValue]:
    """Stack config pointing both services at the emulator with its development key."""
    return emulator_config(emu.url)


def creates(n: int) -> dict[str, int]:
    """The calls an up from empty should make: one create per resource."""
    return {
        "CreateApplication": 1,
        "CreateProduct": 1,
        "CreateTemplate": 1,
        "CreatePkgVersion": n,
        "CreateProductVersion": n,
    }


def reads(n: int) -> dict[str, int]:
    """One read per resource; templates have no read API, so none for the Template."""
    return {
        "DescribeApplications": 1,
        "GetProductAsAdmin": 1,
        "DescribePkgVersions": n,
        "GetProductVersion": n,
    }


def deletes(n: int) -> dict[str, int]:
    """One delete per resource; before the versions', one listing per parent (the application's
    environments, the account's provisioned products for the product) that proves nothing uses
    them, shared by the deletes of its versions; templates have no delete API."""
    return {
        "DeleteApplication": 1,
        "DeleteProduct": 1,
        "DescribeAppEnvs": 1,
        "DeletePkgVersion": n,
        "ListProvisionedProducts": 1,
        "DeleteProductVersion": n,
    }


# Measuring ----------------------------------------------------------------------------------


@dataclass
class Step:
    """One engine operation: its wall time, the API calls it made by action, the changes the
    engine reported and the CPU the emulator spent answering (which the floor does not pay)."""

    seconds: float
    calls: dict[str, int] = field(default_factory=dict)
    changes: dict[str, int] = field(default_factory=dict)
    emulator_cpu: float = 0.0


def cpu_seconds(emu: EmulatorProcess | None) -> float:
    """User and system CPU seconds the emulator process has used (Linux; 0 elsewhere)."""
    if emu is None or emu.proc is None:
        return 0.0
    try:
        fields = Path(f"/proc/{emu.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(emu: EmulatorProcess | None, run: Callable[[], Any]) -> Step:
    """Run one engine operation, timing it and counting the calls the emulator answered."""
    if emu is not None:
        emu.controls.reset_requests()
    cpu = cpu_seconds(emu)
    started = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - started
    summary = getattr(result, "change_summary", None) or getattr(
        getattr(result, "summary", None), "resource_changes", None
    )
    changes = {str(k): int(v) for k, v in (summary or {}).items()}
    calls = dict(emu.controls.requests()["counts"]) if emu is not None else {}
    return Step(seconds, calls, changes, cpu_seconds(emu) - cpu)


@contextmanager
def scratch() -> Iterator[Path]:
    """A throw-away directory for one stack's backend and workspace."""
    with tempfile.TemporaryDirectory(prefix="alicloud-versions-bench-") as tmp:
        yield Path(tmp)


def parallel_args(parallel: int | None) -> dict[str, Any]:
    return {} if parallel is None else {"parallel": parallel}


def provider_lifecycle(emu: EmulatorProcess, n: int, parallel: int | None) -> dict[str, Step]:
    """Up from empty, preview unchanged, refresh, preview again, destroy: the provider stack."""
    emu.controls.reset()
    args = parallel_args(parallel)
    with (
        scratch() as tmp,
        inline_stack(
            tmp, provider_program(n), project="bench", stack=f"calls-{n}", config=stack_config(emu)
        ) as stack,
    ):
        steps = {"up": timed(emu, lambda: stack.up(**args))}
        steps["preview"] = timed(emu, lambda: stack.preview(**args))
        steps["refresh"] = timed(emu, lambda: stack.refresh(**args))
        steps["preview_after_refresh"] = timed(emu, lambda: stack.preview(**args))
        steps["destroy"] = timed(emu, lambda: stack.destroy(**args))
    return steps


def floor_lifecycle(n: int, delay: float, parallel: int | None) -> dict[str, Step]:
    """Up from empty and destroy of the no-op stack of the same shape."""
    args = parallel_args(parallel)
    with (
        scratch() as tmp,
        inline_stack(tmp, floor_program(n, delay), project="bench", stack=f"floor-{n}") as stack,
    ):
        steps = {"up": timed(None, lambda: stack.up(**args))}
        steps["destroy"] = timed(None, lambda: stack.destroy(**args))
    return steps


def total(calls: Mapping[str, int]) -> int:
    return sum(calls.values())


def scale_figures(
    emu: EmulatorProcess, sizes: list[int], latency_ms: int, repeats: int, parallel: int | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Figures 1 and 2: calls per operation against the targets, and wall time against the
    floor, from the same runs (the emulator adding `latency_ms` to every call)."""
    calls_rows: list[dict[str, Any]] = []
    overhead_rows: list[dict[str, Any]] = []
    emu.controls.set_faults({"latency_ms": latency_ms})
    for n in sizes:
        runs: list[dict[str, Step]] = []
        floors: list[dict[str, Step]] = []
        for r in range(repeats):
            say(f"N={n}: provider stack, run {r + 1} of {repeats}")
            runs.append(provider_lifecycle(emu, n, parallel))
            say(f"N={n}: floor stack, run {r + 1} of {repeats}")
            floors.append(floor_lifecycle(n, latency_ms / 1000, parallel))
        first = runs[0]
        targets = {
            "preview": {},
            "up": creates(n),
            "refresh": reads(n),
            "preview_after_refresh": {},
            "destroy": deletes(n),
        }
        for op, target in targets.items():
            measured = first[op].calls
            same_every_run = all(run[op].calls == measured for run in runs)
            # A preview of the unchanged stack must also find nothing to change.
            unchanged = not op.startswith("preview") or all(
                set(run[op].changes) == {"same"} for run in runs
            )
            calls_rows.append(
                {
                    "n": n,
                    "resources": 2 * n + 3,
                    "operation": op,
                    "calls": total(measured),
                    "target": total(target),
                    "by_action": measured,
                    "target_by_action": target,
                    "met": measured == target and same_every_run and unchanged,
                    "same_every_run": same_every_run,
                    "changes": first[op].changes,
                    "seconds": statistics.median(run[op].seconds for run in runs),
                }
            )
        for op in ("up", "destroy"):
            mine = statistics.median(run[op].seconds for run in runs)
            floor = statistics.median(run[op].seconds for run in floors)
            overhead_rows.append(
                {
                    "n": n,
                    "resources": 2 * n + 3,
                    "operation": op,
                    "latency_ms": latency_ms,
                    "seconds": mine,
                    "floor_seconds": floor,
                    "ratio": mine / floor,
                    "emulator_cpu_seconds": statistics.median(run[op].emulator_cpu for run in runs),
                    "target": OVERHEAD_TARGET,
                    "met": mine / floor <= OVERHEAD_TARGET,
                    "runs": [run[op].seconds for run in runs],
                    "floor_runs": [run[op].seconds for run in floors],
                }
            )
    emu.controls.set_faults({})
    return calls_rows, overhead_rows


# Cold start ---------------------------------------------------------------------------------


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


# The two front doors -----------------------------------------------------------------------

PLUGIN = "pulumi-resource-alicloud-versions"
# Where the package's console scripts are: the plugin, found on PATH by the engine.
VENV_BIN = Path(sys.executable).parent
PLUGIN_RATIO_TARGET = 0.5


@contextmanager
def plugin_path() -> Iterator[dict[str, str]]:
    """Engine env with the plugin and the no-op plugin on PATH."""
    with tempfile.TemporaryDirectory(prefix="alicloud-versions-bench-bin-") as tmp:
        noop = Path(tmp) / "pulumi-resource-benchnoop"
        noop.write_text(
            f'#!/bin/sh\nexec "{sys.executable}" "{ROOT / "bench" / "noop_plugin.py"}" "$@"\n'
        )
        noop.chmod(0o755)
        path = os.pathsep.join([str(TOOLS / "bin"), str(VENV_BIN), tmp, os.environ["PATH"]])
        yield {"PATH": path, "PYTHONPATH": str(ROOT)}


def up_destroy(
    emu: EmulatorProcess | None,
    program: Callable[[], None],
    name: str,
    config: dict[str, auto.ConfigValue] | None,
    env: dict[str, str],
    parallel: int,
    state_into: dict[str, Any] | None = None,
) -> dict[str, Step]:
    """Up from empty, then destroy, of one stack, timed; what the state holds after the up goes
    `state_into` (`state_size`) when given."""
    if emu is not None:
        emu.controls.reset()
    with (
        scratch() as tmp,
        inline_stack(tmp, program, project="bench", stack=name, config=config, env=env) as stack,
    ):
        steps = {"up": timed(emu, lambda: stack.up(parallel=parallel))}
        if state_into is not None:
            state_into.update(state_size(tmp, stack))
        steps["destroy"] = timed(emu, lambda: stack.destroy(parallel=parallel))
    return steps


def plugin_config(emu: EmulatorProcess) -> dict[str, auto.ConfigValue]:
    """`stack_config` in the plugin's own namespace."""
    return harness_plugin_config(emu.url, region=REGION)


def front_door_figures(
    emu: EmulatorProcess, sizes: list[int], latencies: list[int], parallel: int
) -> list[dict[str, Any]]:
    """Figure 5: the same stack through the dynamic provider and the plugin, each beside its
    own no-op floor, in the same run."""
    rows: list[dict[str, Any]] = []
    with plugin_path() as env:
        for latency_ms in latencies:
            delay = latency_ms / 1000
            emu.controls.set_faults({"latency_ms": latency_ms})
            for n in sizes:
                say(f"front doors: N={n}, {latency_ms} ms a call")
                runs = {
                    "dynamic": up_destroy(
                        emu, provider_program(n), "dyn", stack_config(emu), env, parallel
                    ),
                    "dynamic_floor": up_destroy(
                        None, floor_program(n, delay), "dynfloor", None, env, parallel
                    ),
                    "plugin": up_destroy(
                        emu, plugin_program(n), "plugin", plugin_config(emu), env, parallel
                    ),
                    "plugin_floor": up_destroy(
                        None, plugin_floor_program(n, delay), "pluginfloor", None, env, parallel
                    ),
                }
                for op in ("up", "destroy"):
                    seconds = {kind: steps[op].seconds for kind, steps in runs.items()}
                    ratio = seconds["plugin"] / seconds["dynamic"]
                    rows.append(
                        {
                            "n": n,
                            "resources": 2 * n + 3,
                            "latency_ms": latency_ms,
                            "parallel": parallel,
                            "operation": op,
                            "seconds": seconds,
                            "plugin_calls": total(runs["plugin"][op].calls),
                            "dynamic_calls": total(runs["dynamic"][op].calls),
                            "ratio": ratio,
                            "target": PLUGIN_RATIO_TARGET,
                            "met": ratio <= PLUGIN_RATIO_TARGET,
                        }
                    )
    emu.controls.set_faults({})
    return rows


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


# Growth -------------------------------------------------------------------------------------


def seed_versions(emu: EmulatorProcess, app_id: str, count: int) -> None:
    """Add `count` package versions to the application through the SDK, outside the stack."""
    from alibabacloud_tea_openapi.models import Config
    from alibabacloud_webplus20190320 import models
    from alibabacloud_webplus20190320.client import Client

    def config() -> Config:
        return Config(
            access_key_id=DEFAULT_ACCESS_KEY_ID,
            access_key_secret=DEFAULT_ACCESS_KEY_SECRET,
            endpoint=f"127.0.0.1:{emu.port}",
            protocol="http",
        )

    def seed(chunk: range) -> None:
        client = Client(config())
        for i in chunk:
            client.create_pkg_version(
                models.CreatePkgVersionRequest(
                    app_id=app_id,
                    package_source=f"{BUCKET}/seed-{i}.war",
                    pkg_version_label=f"seed-{i}",
                )
            )

    workers = 8
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(seed, [range(w, count, workers) for w in range(workers)]))


def provider_read_ms(emu: EmulatorProcess, outputs: Mapping[str, Any], reads_: int) -> float:
    """Median milliseconds of one PkgVersion read called in this process (no engine)."""
    from pulumi.dynamic import ConfigureRequest

    from alicloud_versions.dynamic.webplus import PkgVersionProvider

    provider = PkgVersionProvider()
    provider.configure(
        ConfigureRequest(
            {  # type: ignore[arg-type]  # any mapping with get() is a ConfigSource
                "alicloud:accessKey": DEFAULT_ACCESS_KEY_ID,
                "alicloud:secretKey": DEFAULT_ACCESS_KEY_SECRET,
                "alicloud-versions:endpoint": emu.url,
            }
        )
    )
    props = dict(outputs)
    provider.read(props["pkg_version_id"], props)  # the SDK import is not what is measured
    samples = []
    for _ in range(reads_):
        started = time.perf_counter()
        result = provider.read(props["pkg_version_id"], props)
        samples.append(time.perf_counter() - started)
        assert result.id == props["pkg_version_id"]
    return statistics.median(samples) * 1000


def growth_figure(
    emu: EmulatorProcess, totals: list[int], in_stack: int, refreshes: int, parallel: int | None
) -> list[dict[str, Any]]:
    """Figure 4: refresh of `in_stack` PkgVersions while their application holds `total`
    (the rest seeded through the SDK); the median of `refreshes` refreshes."""
    rows = []
    emu.controls.set_faults({})
    args = parallel_args(parallel)
    for count in totals:
        emu.controls.reset()
        measured = min(in_stack, count)
        with (
            scratch() as tmp,
            inline_stack(
                tmp,
                pkg_program(measured),
                project="bench",
                stack=f"growth-{count}",
                config=stack_config(emu),
            ) as stack,
        ):
            stack.up(**args)
            state = stack.export_stack().deployment["resources"]
            outputs = {r["urn"].rsplit("::", 1)[-1]: r.get("outputs", {}) for r in state}
            app_id = outputs["app"]["app_id"]
            say(f"growth: seeding {count - measured} versions into {app_id}")
            seed_versions(emu, app_id, count - measured)
            steps = [timed(emu, lambda: stack.refresh(**args)) for _ in range(refreshes)]
            read_ms = provider_read_ms(emu, outputs["pkg-0"], 20)
        step = steps[0]
        per_version = step.calls.get("DescribePkgVersions", 0) / measured
        rows.append(
            {
                "versions_in_app": count,
                "versions_in_stack": measured,
                "refresh_seconds": statistics.median(s.seconds for s in steps),
                "refresh_runs": [s.seconds for s in steps],
                "calls": step.calls,
                "describe_calls_per_version": per_version,
                "provider_read_ms": read_ms,
                "met": all(
                    s.calls == {"DescribeApplications": 1, "DescribePkgVersions": measured}
                    for s in steps
                ),
            }
        )
    return rows


# Big stacks -------------------------------------------------------------------------------

# The engine setting that writes the state once at the end of an update instead of after every
# step (a crash then records nothing of that update).
SKIP_CHECKPOINTS = "PULUMI_SKIP_CHECKPOINTS"
BIG_SIZES = [100]
BIG_SIZES_FULL = [100, 300, 1000]
BIG_VARIANTS = ["dynamic", "dynamic_floor", "plugin", "plugin_floor"]


def _compact(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":"), sort_keys=True))


def state_size(tmp: Path, stack: auto.Stack) -> dict[str, Any]:
    """What the state of `stack` (backend under `tmp`) holds: the bytes of the file the engine
    rewrites, and, per resource the program declared, what its parts take in compact JSON."""
    stacks = tmp / "backend" / ".pulumi" / "stacks"
    files = [f for ext in ("json", "json.gz") for f in stacks.rglob(f"{stack.name}.{ext}")]
    if len(files) != 1:
        raise RuntimeError(f"expected one state file for {stack.name}, found {files}")
    resources = [
        r
        for r in stack.export_stack().deployment.get("resources", [])
        if r.get("custom") and not r["type"].startswith("pulumi:providers:")
    ]
    parts = {"total": 0, "stack_trace": 0, "provider_blob": 0, "outputs_repeating_inputs": 0}
    for r in resources:
        ins, outs = r.get("inputs", {}), r.get("outputs", {})
        parts["total"] += _compact(r)
        # Written by the SDK and the engine for every resource: where in the program (and the
        # whole Python stack below it) the resource was declared.
        parts["stack_trace"] += sum(
            _compact({k: r[k]}) - 2 for k in ("stackTrace", "sourcePosition") if k in r
        )
        blob = [d[PROVIDER_KEY] for d in (ins, outs) if PROVIDER_KEY in d]
        parts["provider_blob"] += sum(_compact({PROVIDER_KEY: b}) - 2 for b in blob)
        parts["outputs_repeating_inputs"] += sum(
            _compact({k: v}) - 2
            for k, v in outs.items()
            if k != PROVIDER_KEY and k in ins and ins[k] == v
        )
    count = len(resources)
    return {
        "file_bytes": files[0].stat().st_size,
        "resources": count,
        "file_bytes_per_resource": files[0].stat().st_size / count,
        "json_bytes_per_resource": {k: v / count for k, v in parts.items()},
    }


def big_stack_figure(
    emu: EmulatorProcess,
    sizes: list[int],
    variants: list[str],
    latency_ms: int,
    parallel: int,
    settings: tuple[bool, ...] = (False, True),
) -> list[dict[str, Any]]:
    """Figure 7: up from empty and destroy of figure 5's stack at each size, through each front
    door and its floor, with and without `PULUMI_SKIP_CHECKPOINTS`, runs of one size and setting
    side by side; and what each front door's state holds per resource."""
    rows: list[dict[str, Any]] = []
    delay = latency_ms / 1000
    emu.controls.set_faults({"latency_ms": latency_ms})
    stacks: dict[str, Callable[[int], tuple[EmulatorProcess | None, Callable[[], None], Any]]] = {
        "dynamic": lambda n: (emu, provider_program(n), stack_config(emu)),
        "dynamic_floor": lambda n: (None, floor_program(n, delay), None),
        "plugin": lambda n: (emu, plugin_program(n), plugin_config(emu)),
        "plugin_floor": lambda n: (None, plugin_floor_program(n, delay), None),
    }
    with plugin_path() as base_env:
        for n in sizes:
            for skip in settings:
                env = {**base_env, **({SKIP_CHECKPOINTS: "true"} if skip else {})}
                for variant in variants:
                    say(f"big stacks: N={n}, {variant}, skip checkpoints: {skip}")
                    target, program, config = stacks[variant](n)
                    state: dict[str, Any] = {}
                    name = variant.replace("_", "")
                    steps = up_destroy(target, program, name, config, env, parallel, state)
                    rows.append(
                        {
                            "n": n,
                            "resources": 2 * n + 3,
                            "variant": variant,
                            "skip_checkpoints": skip,
                            "latency_ms": latency_ms,
                            "parallel": parallel,
                            "up_seconds": steps["up"].seconds,
                            "destroy_seconds": steps["destroy"].seconds,
                            "up_calls": total(steps["up"].calls),
                            "destroy_calls": total(steps["destroy"].calls),
                            "state": state,
                        }
                    )
    emu.controls.set_faults({})
    return rows


# Report -------------------------------------------------------------------------------------


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def table(headers: list[str], rows: list[list[Any]]) -> str:
    cells = [headers, *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def report(results: dict[str, Any]) -> str:
    out = []
    if results.get("calls"):
        out.append("1. API calls per operation (measured / target)")
        rows = []
        for row in results["calls"]:
            extra = {
                k: v for k, v in row["by_action"].items() if row["target_by_action"].get(k) != v
            }
            rows.append(
                [
                    row["n"],
                    row["resources"],
                    row["operation"],
                    row["calls"],
                    row["target"],
                    verdict(row["met"]),
                    f"{row['seconds']:.2f}",
                    json.dumps(extra) if extra else "",
                ]
            )
        out.append(
            table(["N", "resources", "operation", "calls", "target", "", "wall s", "off by"], rows)
        )
    if results.get("overhead"):
        out.append(
            f"\n2. Provider overhead: wall time with {results['args']['latency_ms']} ms per call, "
            f"against no-op resources sleeping as long (target ratio <= {OVERHEAD_TARGET})"
        )
        rows = [
            [
                r["n"],
                r["resources"],
                r["operation"],
                f"{r['seconds']:.2f}",
                f"{r['floor_seconds']:.2f}",
                f"{r['seconds'] - r['floor_seconds']:+.2f}",
                f"{r['ratio']:.2f}",
                verdict(r["met"]),
                f"{r['emulator_cpu_seconds']:.2f}",
            ]
            for r in results["overhead"]
        ]
        headers = ["N", "resources", "operation", "provider s", "floor s", "extra s", "ratio", ""]
        out.append(table([*headers, "emulator CPU s"], rows))
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
    if results.get("front_doors"):
        out.append(
            "\n5. The two front doors: the same stack through the dynamic provider and the plugin, "
            f"each beside its no-op floor (target: plugin up <= {PLUGIN_RATIO_TARGET} x dynamic)"
        )
        rows = [
            [
                r["n"],
                r["latency_ms"],
                r["parallel"],
                r["operation"],
                f"{r['seconds']['dynamic']:.2f}",
                f"{r['seconds']['dynamic_floor']:.2f}",
                f"{r['seconds']['plugin']:.2f}",
                f"{r['seconds']['plugin_floor']:.2f}",
                f"{r['ratio']:.2f}",
                verdict(r["met"]) if r["operation"] == "up" else "",
            ]
            for r in results["front_doors"]
        ]
        headers = ["N", "ms/call", "parallel", "operation", "dynamic s", "floor s", "plugin s"]
        out.append(table([*headers, "floor s", "plugin/dynamic", ""], rows))
    plugin_cold = results.get("plugin_cold_start")
    if plugin_cold:
        out.append(
            f"\n6. Plugin cold start: seconds from launching {PLUGIN} (median of "
            f"{plugin_cold['runs']}; target: first Create < {COLD_START_TARGET} s)"
        )
        rows = [[mark, f"{sec:.3f}"] for mark, sec in plugin_cold["median"].items()]
        out.append(table(["answered", "plugin s"], rows))
        out.append(f"first Create answered: {verdict(plugin_cold['met_first_create'])}")
    if results.get("growth"):
        out.append("\n4. PkgVersion refresh as the application grows (target: one call a version)")
        rows = [
            [
                r["versions_in_app"],
                r["versions_in_stack"],
                f"{r['refresh_seconds']:.2f}",
                r["calls"].get("DescribePkgVersions", 0),
                f"{r['describe_calls_per_version']:.2f}",
                f"{r['provider_read_ms']:.1f}",
                verdict(r["met"]),
            ]
            for r in results["growth"]
        ]
        out.append(
            table(
                [
                    "versions in app",
                    "in stack",
                    "refresh s",
                    "DescribePkgVersions",
                    "per version",
                    "one read ms",
                    "",
                ],
                rows,
            )
        )
    if results.get("big_stacks"):
        out.extend(big_stack_report(results["big_stacks"]))
    return "\n".join(out)


def big_stack_report(rows: list[dict[str, Any]]) -> list[str]:
    first = rows[0]
    out = [
        f"\n7. Big stacks: up and destroy from figure 5's stack, {first['latency_ms']} ms a call, "
        f"--parallel {first['parallel']}, with and without {SKIP_CHECKPOINTS}=true"
    ]
    table_rows = [
        [
            r["n"],
            r["resources"],
            r["variant"],
            "yes" if r["skip_checkpoints"] else "no",
            f"{r['up_seconds']:.1f}",
            f"{r['destroy_seconds']:.1f}",
            f"{r['state']['file_bytes_per_resource']:.0f}",
        ]
        for r in rows
    ]
    headers = ["N", "resources", "stack", "skip checkpoints", "up s", "destroy s"]
    out.append(table([*headers, "state B/resource"], table_rows))
    out.append("\nWhat each resource holds in the state (compact JSON bytes, mean per resource)")
    seen: dict[tuple[int, str], dict[str, float]] = {}
    for r in rows:
        seen.setdefault((r["n"], r["variant"]), r["state"]["json_bytes_per_resource"])
    parts = ["total", "stack_trace", "provider_blob", "outputs_repeating_inputs"]
    out.append(
        table(
            ["N", "stack", *parts],
            [[n, variant, *(f"{by[p]:.0f}" for p in parts)] for (n, variant), by in seen.items()],
        )
    )
    return out


def engine_version() -> str:
    done = subprocess.run(
        [str(TOOLS / "bin" / "pulumi"), "version"], capture_output=True, text=True, check=False
    )
    return done.stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="N=10 only, smaller growth steps")
    parser.add_argument("--sizes", type=int, nargs="+", help="stack sizes N (default 10 100)")
    parser.add_argument("--latency-ms", type=int, default=50, help="emulator latency per call")
    parser.add_argument(
        "--repeat", type=int, help="runs per stack size, median taken (3; 1 with --quick)"
    )
    parser.add_argument("--parallel", type=int, help="engine parallelism (default: engine's)")
    parser.add_argument(
        "--cold-runs", type=int, default=7, help="cold starts to take the median of"
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=["scale", "cold", "growth", "plugin", "big"],
        default=["scale", "cold", "growth", "plugin", "big"],
        help="which figures to measure (scale is figures 1 and 2, plugin 5 and 6, big 7)",
    )
    parser.add_argument(
        "--big-sizes",
        type=int,
        nargs="+",
        help=f"stack sizes N of figure 7 (default {BIG_SIZES}; 10 with --quick)",
    )
    parser.add_argument(
        "--growth-full",
        action="store_true",
        help=f"figure 7 at N = {BIG_SIZES_FULL} (N = 1000 takes minutes per run)",
    )
    parser.add_argument(
        "--big-variants",
        nargs="+",
        choices=BIG_VARIANTS,
        default=BIG_VARIANTS,
        help="which front doors and floors figure 7 runs",
    )
    parser.add_argument(
        "--skip-checkpoints-only",
        action="store_true",
        help=f"figure 7 with {SKIP_CHECKPOINTS}=true only (the fast setting, for N = 1000)",
    )
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    sizes = args.sizes or ([10] if args.quick else [10, 100])
    totals = [10, 100] if args.quick else [10, 100, 1000]
    repeat = args.repeat or (1 if args.quick else 3)
    big_sizes = args.big_sizes or (
        BIG_SIZES_FULL if args.growth_full else [10] if args.quick else BIG_SIZES
    )

    results: dict[str, Any] = {
        "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),
        },
        "engine": engine_version(),
        "args": {
            "sizes": sizes,
            "latency_ms": args.latency_ms,
            "repeat": repeat,
            "parallel": args.parallel,
            "cold_runs": args.cold_runs,
            "growth_totals": totals,
            "big_sizes": big_sizes,
            "big_variants": args.big_variants,
        },
    }
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="alicloud-versions-bench-emu-") as tmp:
        emu = EmulatorProcess(Path(tmp) / "emulator.sqlite").start()
        try:
            if "scale" in args.only:
                results["calls"], results["overhead"] = scale_figures(
                    emu, sizes, args.latency_ms, repeat, args.parallel
                )
            if "cold" in args.only:
                say("cold start")
                results["cold_start"] = cold_start_figure(emu, args.cold_runs)
            if "growth" in args.only:
                results["growth"] = growth_figure(emu, totals, 10, 3, args.parallel)
            if "plugin" in args.only:
                results["front_doors"] = front_door_figures(
                    emu, sizes, [50, 300], args.parallel or 16
                )
                say("plugin cold start")
                results["plugin_cold_start"] = plugin_cold_start_figure(emu, args.cold_runs)
            if "big" in args.only:
                results["big_stacks"] = big_stack_figure(
                    emu,
                    big_sizes,
                    args.big_variants,
                    args.latency_ms,
                    args.parallel or 16,
                    (True,) if args.skip_checkpoints_only else (False, True),
                )
        finally:
            emu.stop()
    results["seconds"] = time.perf_counter() - started
    results["machine"]["load_average_after"] = os.getloadavg()
    text = report(results)
    print(text)
    print(f"\nwhole bench: {results['seconds']:.0f} s; JSON in {args.output}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
