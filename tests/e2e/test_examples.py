"""The examples that run on the emulator, through the Python language host."""

from __future__ import annotations

from pathlib import Path

from pulumi import automation as auto

from tests.support.accounts import Account
from tests.support.emulator import EmulatorProcess
from tests.support.engine import ROOT
from tests.support.stacks import project_stack


def test_stack_reference_example_builds_on_the_quickstart(
    tmp_path: Path,
    stack_config: dict[str, auto.ConfigValue],
    emulator_process: EmulatorProcess,
    account: Account,
) -> None:
    """The hotfix example adds a version of each kind to the application and product that the
    quickstart stack exports, read through a StackReference."""
    with project_stack(tmp_path, stack_config) as quickstart:
        source = quickstart.up().outputs
        hotfix_config = {
            **stack_config,
            "alicloud-versions-hotfix:sourceStack": auto.ConfigValue(
                f"organization/alicloud-versions-quickstart/{quickstart.name}"
            ),
        }
        with project_stack(
            tmp_path, hotfix_config, project_dir=ROOT / "examples" / "stack-reference"
        ) as hotfix:
            up = hotfix.up()
            assert up.summary.resource_changes == {"create": 3}

            held = emulator_process.inventory(account.account_id)
            pkg = next(
                p
                for p in held["pkg_versions"]
                if p["PkgVersionId"] == up.outputs["pkg_version_id"].value
            )
            assert (pkg["AppId"], pkg["PkgVersionLabel"]) == (source["app_id"].value, "1.5.1")
            version = next(
                v
                for v in held["product_versions"]
                if v["ProductVersionId"] == up.outputs["product_version_id"].value
            )
            assert version["ProductId"] == source["product_id"].value
            assert version["TemplateUrl"] == source["template_url"].value

            # The StackReference was only read, so destroy discards it from the state.
            assert hotfix.destroy().summary.resource_changes == {"delete": 3, "discard": 1}
        quickstart.destroy()
