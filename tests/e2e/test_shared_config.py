"""One stack config for both front doors: the dynamic provider on the real engine configured
with the plugin's keys (``alicloud-versions:*``) only."""

from __future__ import annotations

from pathlib import Path

from pulumi import automation as auto

from tests.support.accounts import Account, account_requests, writes
from tests.support.emulator import EmulatorProcess
from tests.support.engine import inline_stack
from tests.support.stacks import release_program


def test_the_dynamic_front_door_runs_on_the_plugins_config(
    tmp_path: Path, emulator_process: EmulatorProcess, account: Account
) -> None:
    """A Python stack whose config is the YAML one (alicloud-versions:accessKey, secretKey,
    region, endpoint) creates and destroys its resources as the account, in that region; an
    alicloud:region beside it (pulumi-alicloud's) loses to alicloud-versions:region."""
    config = {
        "alicloud-versions:region": auto.ConfigValue("cn-shanghai"),
        "alicloud:region": auto.ConfigValue("cn-beijing"),
        "alicloud-versions:accessKey": auto.ConfigValue(account.access_key_id),
        "alicloud-versions:secretKey": auto.ConfigValue(account.access_key_secret, secret=True),
        "alicloud-versions:endpoint": auto.ConfigValue(emulator_process.url),
    }
    with inline_stack(tmp_path, release_program, config=config) as stack:
        stack.up()
        held = emulator_process.inventory(account.account_id)
        assert len(held["applications"]) == len(held["products"]) == 1
        regions = {r.get("RegionId") for kind in held.values() for r in kind if "RegionId" in r}
        assert regions == {"cn-shanghai"}
        stack.destroy()
    assert "DeleteApplication" in writes(account_requests(emulator_process, account))
