"""Drives the real Pulumi engine on a local file backend: the driver shared with the benchmark
(`harness.engine`), and what only the tests read from its events."""

from __future__ import annotations

from typing import Any

from harness.engine import (
    PASSPHRASE,
    ROOT,
    TOOLS,
    EngineMissing,
    Stack,
    StaleResult,
    engine_env,
    inline_stack,
    new_stack,
    pulumi_command,
    workspace_options,
)

__all__ = [
    "PASSPHRASE",
    "ROOT",
    "TOOLS",
    "EngineMissing",
    "Stack",
    "StaleResult",
    "engine_env",
    "inline_stack",
    "new_stack",
    "pulumi_command",
    "step_ops",
    "workspace_options",
]


def step_ops(events: list[Any]) -> dict[str, str]:
    """URN name -> the step operation the engine reported for it (from resOutputsEvent)."""
    ops: dict[str, str] = {}
    for ev in events:
        out = getattr(ev, "res_outputs_event", None) or getattr(ev, "resource_pre_event", None)
        if out is not None:
            ops[out.metadata.urn.rsplit("::", 1)[-1]] = str(out.metadata.op.value)
    return ops
