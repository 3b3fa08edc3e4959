"""The examples that run on the emulator, through the Python language host."""

from __future__ import annotations

from pathlib import Path

from pulumi import automation as auto

from tests.support.accounts import Account
from tests.support.emulator import EmulatorProcess
from tests.support.engine import ROOT
from tests.support.stacks import outputs, project_stack


def test_stack_reference_example_builds_on_the_quickstart(
    tmp_path: Path,
    stack_config: dict[str, auto.ConfigValue],
    emulator_process: EmulatorProcess,
    account: Account,
) -> None:
    """The hotfix example adds a version of each kind to the application and product that the
    quickstart stack exports, read through a StackReference."""
    with project_stack(tmp_path, stack_config) as quickstart:
        quickstart.up()
        source = outputs(quickstart)
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
            made = outputs(hotfix)

            held = emulator_process.inventory(account.account_id)
            pkg = next(
                p for p in held["pkg_versions"] if p["PkgVersionId"] == made["pkg_version_id"]
            )
            assert (pkg["AppId"], pkg["PkgVersionLabel"]) == (source["app_id"], "1.5.1")
            version = next(
                v
                for v in held["product_versions"]
                if v["ProductVersionId"] == made["product_version_id"]
            )
            assert version["ProductId"] == source["product_id"]
            assert version["TemplateUrl"] == source["template_url"]

            # The StackReference was only read, so destroy discards it from the state.
            assert hotfix.destroy().summary.resource_changes == {"delete": 3, "discard": 1}
        # No destroy of the quickstart: nothing reads it, and its backend and account go with
        # the test.
