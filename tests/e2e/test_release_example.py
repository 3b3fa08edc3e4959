"""examples/release on the real engine and the emulator: one config value rolls the WebPlus
environment and the Service Catalog provisioned product onto new versions in one `up`."""

from __future__ import annotations

from pathlib import Path

from pulumi import automation as auto

from tests.support.accounts import Account
from tests.support.emulator import EmulatorProcess
from tests.support.engine import ROOT
from tests.support.stacks import Events, outputs, project_stack

RELEASE = ROOT / "examples" / "release"
# Its resources, stack included.
RESOURCES = 11
ROLLED = {
    "shop-package": "replace",
    "shop-stack": "replace",
    "shop-version": "replace",
    "shop-env": "update",
    "shop-provisioned": "update",
}


def _config(
    stack_config: dict[str, auto.ConfigValue], account: Account, release: str
) -> dict[str, auto.ConfigValue]:
    return {
        **stack_config,
        "alicloud-versions-release:release": auto.ConfigValue(release),
        # On the emulator the principal LaunchProduct checks is the access key id.
        "alicloud-versions-release:principal": auto.ConfigValue(account.access_key_id),
    }


def test_release_example_rolls_both_forward_in_one_up(
    tmp_path: Path,
    stack_config: dict[str, auto.ConfigValue],
    emulator_process: EmulatorProcess,
    account: Account,
) -> None:
    """An unchanged program previews as unchanged; bumping `release` previews (with --diff) as
    the three versions replaced and the environment and provisioned product updated in place;
    the up creates the new versions, moves both onto them, then deletes the old ones; destroy
    leaves the account empty."""
    with project_stack(
        tmp_path, _config(stack_config, account, "1.0"), project_dir=RELEASE
    ) as stack:
        stack.up()
        first = outputs(stack)
        assert first["env_status"] == "RUNNING"
        assert first["env_pkg_version_id"] == first["pkg_version_id"]
        assert first["provisioned_status"] == "Available"
        assert first["provisioned_outputs"] == {"release": "1.0"}
        # Nothing the reads answered (a provisioned product's `tags: {}`) reads as a change.
        assert stack.preview().change_summary == {auto.OpType.SAME: RESOURCES}

        stack.set_config("alicloud-versions-release:release", auto.ConfigValue("1.1"))
        seen = Events()
        preview = stack.preview(diff=True, on_event=seen)
        assert seen.changed() == ROLLED
        assert preview.change_summary == {
            auto.OpType.SAME: RESOURCES - len(ROLLED),
            auto.OpType.REPLACE: 3,
            auto.OpType.UPDATE: 2,
        }
        assert "pkg_version_label" in preview.stdout and "1.1" in preview.stdout

        events = Events()
        stack.up(on_event=events)
        second = outputs(stack)
        assert events.changed() == ROLLED
        steps = [(s.op.value, s.urn.rsplit("::", 1)[-1]) for s in events.steps()]
        # No old version goes before the environment and the provisioned product have left it.
        moved = max(
            steps.index(("update", "shop-env")), steps.index(("update", "shop-provisioned"))
        )
        for old in ("shop-package", "shop-version"):
            assert steps.index(("delete-replaced", old)) > moved, steps
        assert second["env_id"] == first["env_id"]
        assert second["provisioned_product_id"] == first["provisioned_product_id"]
        assert second["pkg_version_id"] != first["pkg_version_id"]
        assert second["env_pkg_version_id"] == second["pkg_version_id"]
        assert second["provisioned_version_id"] == second["product_version_id"]
        assert second["provisioned_outputs"] == {"release": "1.1"}
        held = emulator_process.inventory(account.account_id)
        assert [p["PkgVersionLabel"] for p in held["pkg_versions"]] == ["1.1"]
        assert [v["ProductVersionName"] for v in held["product_versions"]] == ["1.1"]

        stack.destroy()
        held = emulator_process.inventory(account.account_id)
        # Service Catalog has no DeleteTemplate: the uploaded bodies stay, as in the cloud.
        assert {kind: rows for kind, rows in held.items() if kind != "templates" and rows} == {}
