"""Figures 1 and 2: API calls per operation against their budget; wall time against a floor."""

from __future__ import annotations

import json
import statistics
from typing import Any

from alicloud_versions.emulator import EmulatorProcess
from bench.driver import (
    Step,
    parallel_args,
    say,
    scratch,
    stack_config,
    table,
    timed,
    total,
    verdict,
)
from bench.stacks import floor_program, provider_program
from harness.engine import inline_stack

OVERHEAD_TARGET = 1.3


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


def report(results: dict[str, Any]) -> list[str]:
    """Figures 1 and 2 as tables."""
    out: list[str] = []
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
    return out
