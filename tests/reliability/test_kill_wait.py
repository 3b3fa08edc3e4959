"""SIGKILL of `pulumi up` while it waits for a provisioned product's launch, then
`alicloud-versions recover --yes` and `pulumi up`: the launched product is taken over, not
launched twice, and the next preview is clean."""

from __future__ import annotations

from pathlib import Path

import pytest
from pulumi import automation as auto

from tests.reliability.conftest import StartEmulator
from tests.support.accounts import Account
from tests.support.cli import CliProject, wait_for
from tests.support.rollout import PASSWORD, PYTHON

# Long enough that the launch is still UnderChange when the up is killed; the services' clock
# is then moved past it (a clock skew fault), so nothing waits on the wall clock.
SETTLE_S = 600


def test_recover_takes_over_a_launch_killed_while_waiting(
    tmp_path: Path,
    own_emulator: StartEmulator,
    stack_config: dict[str, auto.ConfigValue],
    account: Account,
) -> None:
    """Killed while polling an UnderChange launch, recover imports the provisioned product the
    journal names; the next up finds it Available and changes nothing else."""
    emu = own_emulator("--settle-seconds", str(SETTLE_S))
    project = CliProject(tmp_path, program=PYTHON, in_process=True).init(
        {
            **stack_config,
            "alicloud-versions:endpoint": auto.ConfigValue(emu.url),
            "reliability:principal": auto.ConfigValue(account.access_key_id),
            "reliability:password": auto.ConfigValue(PASSWORD, secret=True),
        }
    )
    proc = project.start("up", "--yes", "--skip-preview")
    try:

        def waiting() -> bool | None:
            if proc.poll() is not None:
                pytest.fail(f"pulumi up ended (status {proc.returncode}) before the wait")
            return True if emu.counts().get("GetProvisionedProduct", 0) >= 2 else None

        wait_for("the launch's wait to poll", waiting, timeout=120, every=0.05)
    finally:
        project.kill(proc)

    [launched] = emu.inventory(account.account_id)["provisioned_products"]
    assert launched["Status"] == "UnderChange"
    done = project.recover("--yes")
    assert "Done" in done.stdout and launched["ProvisionedProductId"] in done.stdout, done.stdout
    emu.set_faults(clock_skew_s=SETTLE_S + 60)
    project.up()
    project.run("preview", "--expect-no-changes")
    [after] = emu.inventory(account.account_id)["provisioned_products"]
    assert (after["ProvisionedProductId"], after["Status"]) == (
        launched["ProvisionedProductId"],
        "Available",
    )
