"""The emulator restarting (same state file, same port) in the middle of an up: the up ends
clearly either way, and the next up converges to inventory == state."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pulumi import automation as auto

from tests.reliability.conftest import StartEmulator, config_for
from tests.support.accounts import Account
from tests.support.cli import CliProject, wait_for
from tests.support.inventory import compare, kind_of, pending_operations

# What the engine prints for a failed provider call: resource, operation, code (one line, no
# input value: the dynamic front door cannot tell which are secret).
CLEAR_FAILURE = re.compile(
    r"\b(?:webplus|servicecatalog)\.\w+(?: \(id [^)]*\))?: \w+ failed: [\w.]+: "
)


def _mid_versions(deployment: dict[str, Any] | None) -> bool | None:
    """Whether the product and template are made (a lost CreateTemplate answer is a known
    orphan, pinned in test_transient_faults) and version creates are in flight."""
    if deployment is None:
        return None
    made = {
        kind.inventory_key
        for r in deployment.get("resources") or []
        if (kind := kind_of(r["type"]))
    }
    pending = [op for op in pending_operations(deployment) if op["type"] == "creating"]
    return True if {"products", "templates"} <= made and len(pending) >= 3 else None


def test_emulator_restart_during_up(
    project: CliProject,
    own_emulator: StartEmulator,
    stack_config: dict[str, auto.ConfigValue],
    account: Account,
) -> None:
    """An up across an emulator restart succeeds or fails clearly; the next up converges."""
    emu = own_emulator("--latency-ms", "500")
    project.init(config_for(stack_config, emu))
    log = project.dir.parent / "up-across-restart.log"
    proc = project.start("up", "--yes", "--skip-preview", log=log)
    try:
        wait_for(
            "version creates in flight", lambda: _mid_versions(project.checkpoint()), timeout=120
        )
        if proc.poll() is not None:
            pytest.fail("the up ended before the emulator could be restarted under it")
        emu.restart()
        status = proc.wait(timeout=180)
    finally:
        project.kill(proc)
    output = log.read_text()

    assert "Traceback" not in output, output
    if status != 0:
        assert CLEAR_FAILURE.search(output), output
    project.up()
    comparison = compare(emu, account.account_id, project.export())
    assert comparison.converged, comparison
