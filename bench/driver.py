"""What every figure shares: stack config, timing an engine operation and its calls, tables."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pulumi import automation as auto

from alicloud_versions.dynamic._provider import PROVIDER_KEY
from alicloud_versions.emulator import EmulatorProcess
from harness.config import REGION, emulator_config
from harness.config import plugin_config as harness_plugin_config
from harness.engine import TOOLS, inline_stack

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "latest.json"


def stack_config(emu: EmulatorProcess) -> dict[str, auto.ConfigValue]:
    """Stack config pointing both services at the emulator with its development key."""
    return emulator_config(emu.url)


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


def total(calls: Mapping[str, int]) -> int:
    return sum(calls.values())


PLUGIN = "pulumi-resource-alicloud-versions"


# Where the package's console scripts are: the plugin, found on PATH by the engine.
VENV_BIN = Path(sys.executable).parent


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


def engine_version() -> str:
    done = subprocess.run(
        [str(TOOLS / "bin" / "pulumi"), "version"], capture_output=True, text=True, check=False
    )
    return done.stdout.strip()
