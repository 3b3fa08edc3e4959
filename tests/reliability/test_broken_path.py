"""A broken path never erases the state: refresh and destroy through a gateway, proxy or RAM
policy that answers errors fail naming the code, and every resource stays in the state and the
account; once the path is back nothing has changed. Both front doors."""

from __future__ import annotations

from pathlib import Path

import pytest
from pulumi import automation as auto

from tests.reliability.conftest import StartEmulator, config_for
from tests.support.accounts import Account
from tests.support.cli import CliProject
from tests.support.inventory import inventory_ids, state_ids
from tests.support.plugin import EXAMPLE, VENV_BIN, account_plugin_config, search_path, yaml_project

# What the path answers every request with, as the issue measured it: a gateway's answer for an
# API it does not serve, WebPlus's ambiguous "not found or not yours", and a RAM refusal.
CODES = ["InvalidAction.NotFound", "ResourceAuthFailed", "Forbidden.RAM"]


def _deployed(
    door: str,
    tmp_path: Path,
    emu_config: dict[str, auto.ConfigValue],
    plugin_config: dict[str, auto.ConfigValue],
) -> CliProject:
    if door == "dynamic":
        project = CliProject(tmp_path / "dynamic", in_process=True).init(emu_config)
    else:
        project = yaml_project(
            tmp_path / "plugin", EXAMPLE.read_text(), plugin_config, path=search_path(VENV_BIN)
        )
    project.up()
    return project


@pytest.mark.parametrize("door", ["dynamic", "plugin"])
def test_refresh_and_destroy_through_a_broken_path_keep_every_resource(
    tmp_path: Path,
    own_emulator: StartEmulator,
    stack_config: dict[str, auto.ConfigValue],
    account: Account,
    door: str,
) -> None:
    """With every request answered by each code in turn, refresh and destroy fail naming it,
    the state and the account keep every resource, and once the path is back a preview is
    clean (each code on the same deployed stack, and every command through the broken path
    fails, so nothing in between repairs what one code left: the clean preview after the last
    proves none left anything behind)."""
    emu = own_emulator()
    # Five resources of the release stack, every kind (its size is no part of this).
    project = _deployed(
        door,
        tmp_path,
        config_for(stack_config, emu, pkgVersions=1, productVersions=1),
        account_plugin_config(emu, account),
    )
    in_state = state_ids(project.export())
    in_account = inventory_ids(emu.inventory(account.account_id))
    assert sum(map(len, in_state.values())) >= 5
    assert in_account == in_state

    for code in CODES:
        emu.set_faults(error={"code": code})
        for command in (("refresh", "--yes"), ("destroy", "--yes")):
            done = project.run(*command, check=False)
            assert done.returncode != 0, (code, command)
            assert code in done.stdout + done.stderr, (code, command)
            assert state_ids(project.export()) == in_state, (code, command)
        emu.set_faults()

        assert inventory_ids(emu.inventory(account.account_id)) == in_account, code
    project.run("preview", "--expect-no-changes")
