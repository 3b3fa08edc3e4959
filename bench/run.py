"""The benchmark (`make bench`): API calls per operation, overhead against a do-nothing floor,
cold start of the provider host, how a refresh grows with an application's versions, and the
calls of each operation on the rollout kinds.

Every figure is measured next to its floor or target in the same run, prints as a table and is
written to bench/results/latest.json. See bench/README.md for what each figure means; each figure
is a module of its own (`calls`, `cold_start`, `growth`, `front_doors`, `big_stacks`, `rollout`)
over the shared `driver` and `stacks`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from alicloud_versions.emulator import EmulatorProcess
from bench import big_stacks, calls, cold_start, front_doors, growth, rollout
from bench.big_stacks import (
    BIG_SIZES,
    BIG_SIZES_FULL,
    BIG_VARIANTS,
    SKIP_CHECKPOINTS,
    big_stack_figure,
)
from bench.calls import scale_figures
from bench.cold_start import cold_start_figure, plugin_cold_start_figure
from bench.driver import RESULTS, engine_version, say
from bench.front_doors import front_door_figures
from bench.growth import growth_figure
from bench.rollout import rollout_figure


def report(results: dict[str, Any]) -> str:
    """Every figure measured, as tables, in the order the README gives them."""
    out = calls.report(results) + cold_start.report(results) + front_doors.report(results)
    out += cold_start.plugin_report(results) + growth.report(results)
    if results.get("big_stacks"):
        out += big_stacks.report(results["big_stacks"])
    out += rollout.report(results)
    return "\n".join(out)


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
        choices=["scale", "cold", "growth", "plugin", "big", "rollout"],
        default=["scale", "cold", "growth", "plugin", "big", "rollout"],
        help="which figures to measure (scale is figures 1 and 2, plugin 5 and 6, big 7, "
        "rollout 8)",
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
            if "rollout" in args.only:
                results["rollout"] = rollout_figure(emu, repeat)
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
