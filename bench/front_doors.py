"""Figure 5: the same stack through the dynamic provider and the plugin, each beside its floor."""

from __future__ import annotations

from typing import Any

from alicloud_versions.emulator import EmulatorProcess
from bench.driver import (
    plugin_config,
    plugin_path,
    say,
    stack_config,
    table,
    total,
    up_destroy,
    verdict,
)
from bench.stacks import floor_program, plugin_floor_program, plugin_program, provider_program

PLUGIN_RATIO_TARGET = 0.5


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


def report(results: dict[str, Any]) -> list[str]:
    """Figure 5 as a table."""
    out: list[str] = []
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
    return out
