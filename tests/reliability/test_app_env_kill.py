"""SIGKILL of `pulumi up` while it waits for an environment's launch, then
`alicloud-versions recover --yes` and `pulumi up`: the environment the killed create made is
taken into the state, none is made twice, and the next preview is clean.

The kill's moment comes from evidence: the emulator's request log shows CreateAppEnv answered
and the wait's DescribeAppEnvs polls after it, with the launch made to take far longer.
"""

from __future__ import annotations

from pathlib import Path

from pulumi import automation as auto

from tests.e2e.test_app_env import PROGRAM
from tests.reliability.conftest import StartEmulator, config_for
from tests.support.accounts import Account
from tests.support.cli import CliProject, wait_for
from tests.support.emulator import EmulatorProcess
from tests.support.inventory import pending_operations


def _waiting(emu: EmulatorProcess, account: Account) -> bool | None:
    """Whether the account's CreateAppEnv was answered and the wait has polled since."""
    actions = [
        r["action"]
        for r in emu.requests()
        if r.get("account_id") == account.account_id and r.get("status") == 200
    ]
    if "CreateAppEnv" not in actions:
        return None
    return True if "DescribeAppEnvs" in actions[actions.index("CreateAppEnv") :] else None


def test_recover_after_a_kill_during_the_launch_wait(
    tmp_path: Path,
    own_emulator: StartEmulator,
    stack_config: dict[str, auto.ConfigValue],
    account: Account,
) -> None:
    """Killed while the create waits for the environment to run: recover imports the
    environment the create made, and up and preview then change nothing and make no second."""
    emu = own_emulator("--settle-seconds", "20")
    project = CliProject(tmp_path, program=PROGRAM, in_process=True).init(
        config_for(stack_config, emu)
    )
    project.run("config", "set", "label", "v1")
    proc = project.start("up", "--yes", "--skip-preview")
    try:
        wait_for("the launch wait", lambda: _waiting(emu, account), timeout=120, every=0.05)
    finally:
        project.kill(proc)
    killed = project.export()
    assert [op["resource"]["type"] for op in pending_operations(killed)] == [
        "pulumi-python:dynamic/alicloud-versions/webplus:AppEnv"
    ]
    [made] = emu.inventory(account.account_id)["app_envs"]

    done = project.recover("--yes")
    assert "import " in done.stdout, done.stdout
    [env] = [r for r in project.export()["resources"] if r["urn"].endswith("::prod")]
    assert env["id"] == made["EnvId"]
    project.up()
    project.run("preview", "--expect-no-changes")
    assert [e["EnvId"] for e in emu.inventory(account.account_id)["app_envs"]] == [made["EnvId"]]
