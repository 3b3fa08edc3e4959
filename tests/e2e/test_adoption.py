"""Taking over versions created out of band: the `import_` option, and `adopt_id`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pulumi import automation as auto

from tests.support.accounts import (
    Account,
    account_requests,
    servicecatalog_client,
    webplus_client,
    writes,
)
from tests.support.emulator import EmulatorProcess
from tests.support.engine import inline_stack
from tests.support.stacks import (
    BUCKET,
    PKG_B,
    PV_A,
    PV_B,
    RELEASE_RESOURCES,
    TEMPLATE_BODY,
    Events,
    failing,
    import_program,
    outputs,
    resources,
    set_config,
)


def _out_of_band_pkg_version(
    emulator_process: EmulatorProcess, account: Account, app_id: str, description: str
) -> str:
    """Create package version 2.0 of `app_id` through the SDK; its id."""
    from alibabacloud_webplus20190320 import models

    made = webplus_client(emulator_process, account).create_pkg_version(
        models.CreatePkgVersionRequest(
            app_id=app_id,
            package_source=f"oss://{BUCKET}/shop/shop-2.0.war",
            pkg_version_label="2.0",
            pkg_version_description=description,
            region_id="cn-hangzhou",
        )
    )
    return str(made.body.pkg_version.pkg_version_id)


def _out_of_band_product_version(
    emulator_process: EmulatorProcess,
    account: Account,
    product_id: str,
    template_url: str,
    name: str,
) -> str:
    """Create product version `name` of `product_id` through the SDK; its id."""
    from alibabacloud_servicecatalog20210901 import models

    made = servicecatalog_client(emulator_process, account).create_product_version(
        models.CreateProductVersionRequest(
            product_id=product_id,
            product_version_name=name,
            template_type="RosTerraformTemplate",
            template_url=template_url,
            description="made by hand",
        )
    )
    return str(made.body.product_version_id)


def _base(release: auto.Stack) -> dict[str, Any]:
    """Deploy only the application, template and product; the stack outputs."""
    set_config(release, versions="false")
    release.up()
    return outputs(release)


def test_import_option_fails_and_adopt_id_takes_over_existing_versions(
    tmp_path: Path,
    release: auto.Stack,
    stack_config: dict[str, auto.ConfigValue],
    emulator_process: EmulatorProcess,
    account: Account,
) -> None:
    """With the application, template and product deployed and package version 2.0 made out of
    band: the `import_` resource option fails on this engine (its Read carries no
    `__provider`), and leaves the existing version alone and out of the state (formerly
    test_import_option_fails_for_dynamic_resources, which deployed the same base first); then
    `adopt_id` makes that version and a product version made out of band the stack's own
    (reported as creates, nothing made twice), and destroy then deletes them (formerly
    test_adopt_id_takes_over_existing_versions)."""
    base = _base(release)
    pkg_id = _out_of_band_pkg_version(emulator_process, account, base["app_id"], "release 2.0")
    program = import_program(pkg_id, base["app_id"], "2.0")
    with inline_stack(tmp_path / "import", program, config=stack_config) as stack:
        seen = len(account_requests(emulator_process, account))
        text = str(failing(stack.up))
        assert "importing failed" in text
        assert "Exception calling application: '__provider'" in text
        assert resources(stack) == {}
        # The provider was never reached: not even a read.
        assert account_requests(emulator_process, account)[seen:] == []
    held = emulator_process.inventory(account.account_id)["pkg_versions"]
    assert [p["PkgVersionId"] for p in held] == [pkg_id]

    pv_id = _out_of_band_product_version(
        emulator_process, account, base["product_id"], base["template_url"], "v2"
    )
    set_config(release, versions="true", adopt_pkg_b=pkg_id, adopt_pv_b=pv_id)
    seen = len(account_requests(emulator_process, account))
    events = Events()
    up = release.up(on_event=events)
    assert up.summary.resource_changes == {"create": 4, "same": RELEASE_RESOURCES - 4}
    assert events.changed()[PKG_B] == "create"
    assert events.changed()[PV_B] == "create"
    # Adoption writes nothing for the package version; the product version gets its
    # description (and the other in-place inputs) applied.
    assert sorted(writes(account_requests(emulator_process, account)[seen:])) == [
        "CreatePkgVersion",
        "CreateProductVersion",
        "UpdateProductVersion",
    ]
    state = resources(release)
    assert (state[PKG_B]["id"], state[PV_B]["id"]) == (pkg_id, pv_id)

    held_all = emulator_process.inventory(account.account_id)
    pkgs = [p for p in held_all["pkg_versions"] if p["PkgVersionLabel"] == "2.0"]
    assert [p["PkgVersionId"] for p in pkgs] == [pkg_id]
    pvs = [v for v in held_all["product_versions"] if v["ProductVersionName"] == "v2"]
    assert [v["ProductVersionId"] for v in pvs] == [pv_id]
    assert pvs[0]["Description"] == f"ships {pkg_id}"

    down = release.destroy()
    assert down.summary.resource_changes == {"delete": RELEASE_RESOURCES}
    held_all = emulator_process.inventory(account.account_id)
    assert (held_all["pkg_versions"], held_all["product_versions"]) == ([], [])


def test_adopt_id_of_a_different_version_fails_naming_the_field(
    release: auto.Stack, emulator_process: EmulatorProcess, account: Account
) -> None:
    """Adopting a version whose immutable fields differ from the inputs fails, naming each
    differing field, and changes nothing."""
    from alibabacloud_servicecatalog20210901 import models

    base = _base(release)
    pkg_id = _out_of_band_pkg_version(emulator_process, account, base["app_id"], "a hotfix")
    other = servicecatalog_client(emulator_process, account).create_template(
        models.CreateTemplateRequest(
            template_type="RosTerraformTemplate", template_body=TEMPLATE_BODY
        )
    )
    pv_id = _out_of_band_product_version(
        emulator_process, account, base["product_id"], other.body.template_url, "v1"
    )

    # pv-a, not pv-b: pv-b waits for pkg-b, whose adoption fails first.
    set_config(release, versions="true", adopt_pkg_b=pkg_id, adopt_pv_a=pv_id)
    before = emulator_process.inventory(account.account_id)
    text = str(failing(lambda: release.up(continue_on_error=True)))
    assert (
        f"webplus.PkgVersion: cannot adopt '{pkg_id}': immutable fields differ: "
        "pkg_version_description (the input and the existing value differ)"
    ) in text
    assert "a hotfix" not in text  # the dynamic front door cannot tell a secret input
    assert f"servicecatalog.ProductVersion: cannot adopt '{pv_id}'" in text
    assert "immutable fields differ: template_url" in text
    state = resources(release)
    assert PKG_B not in state and PV_A not in state and PV_B not in state
    after = emulator_process.inventory(account.account_id)
    for pkg in before["pkg_versions"]:
        assert pkg in after["pkg_versions"]
    for pv in before["product_versions"]:
        assert pv in after["product_versions"]
