"""Figure 4: a PkgVersion refresh as its application grows."""

from __future__ import annotations

import statistics
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from alicloud_versions.emulator import (
    DEFAULT_ACCESS_KEY_ID,
    DEFAULT_ACCESS_KEY_SECRET,
    EmulatorProcess,
)
from bench.driver import parallel_args, say, scratch, stack_config, table, timed, verdict
from bench.stacks import BUCKET, pkg_program
from harness.engine import inline_stack


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


def report(results: dict[str, Any]) -> list[str]:
    """Figure 4 as a table."""
    out: list[str] = []
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
    return out
