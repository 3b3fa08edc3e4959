"""Drives the real Pulumi engine on a local file backend: the driver shared with the benchmark
(`harness.engine`), and what only the tests read from its events."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from harness.engine import (
    PASSPHRASE,
    ROOT,
    TOOLS,
    EngineMissing,
    SecretsProvider,
    Stack,
    StaleResult,
    engine_env,
    inline_stack,
    new_stack,
    pulumi_command,
    secrets_provider,
    use_secrets_provider,
    workspace_options,
)

__all__ = [
    "PASSPHRASE",
    "ROOT",
    "TOOLS",
    "EngineMissing",
    "SecretsProvider",
    "Stack",
    "StaleResult",
    "checkpoint",
    "engine_env",
    "inline_stack",
    "new_stack",
    "pulumi_command",
    "secrets_provider",
    "step_ops",
    "use_secrets_provider",
    "workspace_options",
]


def checkpoint(backend: Path, project: str, stack: str) -> dict[str, Any] | None:
    """The deployment the engine last wrote for `stack` of `project` to the file backend in
    `backend` (what `pulumi stack export` prints), read without the CLI: cheap enough to poll
    while a command runs; None while the file is absent, half written or holds no deployment."""
    path = backend / ".pulumi" / "stacks" / project / f"{stack}.json"
    try:
        found: dict[str, Any] = json.loads(path.read_text())["checkpoint"]["latest"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return found or None


def step_ops(events: list[Any]) -> dict[str, str]:
    """URN name -> the step operation the engine reported for it (from resOutputsEvent)."""
    ops: dict[str, str] = {}
    for ev in events:
        out = getattr(ev, "res_outputs_event", None) or getattr(ev, "resource_pre_event", None)
        if out is not None:
            ops[out.metadata.urn.rsplit("::", 1)[-1]] = str(out.metadata.op.value)
    return ops
