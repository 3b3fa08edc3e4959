"""Figure 7: up and destroy of big stacks, with and without checkpoints; what the state holds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from alicloud_versions.emulator import EmulatorProcess
from bench.driver import plugin_config, plugin_path, say, stack_config, table, total, up_destroy
from bench.stacks import floor_program, plugin_floor_program, plugin_program, provider_program

# The engine setting that writes the state once at the end of an update instead of after every
# step (a crash then records nothing of that update).
SKIP_CHECKPOINTS = "PULUMI_SKIP_CHECKPOINTS"
BIG_SIZES = [100]
BIG_SIZES_FULL = [100, 300, 1000]
BIG_VARIANTS = ["dynamic", "dynamic_floor", "plugin", "plugin_floor"]


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


def report(rows: list[dict[str, Any]]) -> list[str]:
    """Figure 7 as tables."""
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
