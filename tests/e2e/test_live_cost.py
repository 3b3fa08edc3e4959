"""The live suite's cost ledger against the emulator's request log: its count of the provider's
calls, derived from the engine's steps, is the count the emulator sees."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from pulumi import automation as auto

from tests.live.cost import Ledger
from tests.live.program import program
from tests.support.accounts import Account, account_requests
from tests.support.emulator import EmulatorProcess
from tests.support.engine import inline_stack
from tests.support.stacks import Events


def test_the_ledger_counts_the_calls_the_provider_makes(
    tmp_path: Path,
    emulator_process: EmulatorProcess,
    account: Account,
    stack_config: dict[str, auto.ConfigValue],
) -> None:
    """Create, refresh, a delete-first replacement, an update and destroy of the live suite's
    stack: the ledger's provider calls, service by service, are the emulator's log."""
    config = {
        **stack_config,
        "prefix": auto.ConfigValue("cost-"),
        "package_source": auto.ConfigValue("oss://cost-artifacts/app.war"),
    }
    ledger = Ledger()
    with inline_stack(tmp_path, program, project="live", config=config) as stack:

        def step(operation: str, **settings: str) -> None:
            stack.set_all_config({k: auto.ConfigValue(v) for k, v in settings.items()})
            events = Events()
            getattr(stack, operation)(on_event=events)
            ledger.engine(events)

        step("up")
        step("refresh")
        step("up", pkg_description="rebuilt", guidance="Latest")
        step("destroy")
    derived = Counter({kind.split(":")[0]: 0 for kind in ledger.provider})
    for kind, calls in ledger.provider.items():
        derived[kind.split(":")[0]] += calls
    logged = Counter(r["service"] for r in account_requests(emulator_process, account))
    assert derived == logged
    # 5 creates; 4 reads (none for the template); a delete-first replacement (in-use check,
    # delete, create) and an update; 6 in the destroy (two in-use checks, none for the template).
    assert sum(logged.values()) == 5 + 4 + 4 + 6
