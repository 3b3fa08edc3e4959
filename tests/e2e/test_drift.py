"""Out-of-band changes made through the official SDK, found by refresh and undone by up."""

from __future__ import annotations

from pulumi import automation as auto

from tests.support.accounts import Account, servicecatalog_client, webplus_client
from tests.support.emulator import EmulatorProcess
from tests.support.stacks import (
    PKG_B,
    PV_A,
    PV_B,
    RELEASE_RESOURCES,
    Events,
    changed_inputs,
    resources,
)


def test_refresh_finds_an_out_of_band_update(
    release: auto.Stack, emulator_process: EmulatorProcess, account: Account
) -> None:
    """refresh takes in a product version's guidance changed out of band, and the next up
    puts it back."""
    from alibabacloud_servicecatalog20210901 import models

    up = release.up()
    pv_id = up.outputs["product_version_ids"].value[0]
    servicecatalog_client(emulator_process, account).update_product_version(
        models.UpdateProductVersionRequest(
            product_version_id=pv_id, product_version_name="v1", guidance="Deprecated"
        )
    )

    events = Events()
    refresh = release.refresh(on_event=events)
    assert refresh.summary.resource_changes == {"update": 1, "same": RELEASE_RESOURCES - 1}
    assert {name: step.op.value for name, step in events.outcomes().items()} == {PV_A: "update"}
    assert "guidance" in changed_inputs(events.outcomes()[PV_A])
    assert resources(release)[PV_A]["outputs"]["guidance"] == "Deprecated"

    preview = Events()
    release.preview(on_event=preview)
    assert preview.changed() == {PV_A: "update"}
    step = preview.step(PV_A, "update")
    assert step.old is not None and step.new is not None
    assert (step.old.inputs["guidance"], step.new.inputs["guidance"]) == (
        "Deprecated",
        "Recommended",
    )

    again = release.up()
    assert again.summary.resource_changes == {"update": 1, "same": RELEASE_RESOURCES - 1}
    (live,) = [
        v
        for v in emulator_process.inventory(account.account_id)["product_versions"]
        if v["ProductVersionId"] == pv_id
    ]
    assert live["Guidance"] == "Recommended"


def test_refresh_forgets_an_out_of_band_delete_and_up_recreates_it(
    release: auto.Stack, emulator_process: EmulatorProcess, account: Account
) -> None:
    """refresh drops a package version deleted out of band from the state, and the next up
    creates it again."""
    from alibabacloud_webplus20190320 import models

    up = release.up()
    gone = up.outputs["pkg_version_ids"].value[1]
    webplus_client(emulator_process, account).delete_pkg_version(
        models.DeletePkgVersionRequest(pkg_version_id=gone, region_id="cn-hangzhou")
    )

    events = Events()
    refresh = release.refresh(on_event=events)
    assert refresh.summary.resource_changes == {"delete": 1, "same": RELEASE_RESOURCES - 1}
    assert {name: step.op.value for name, step in events.outcomes().items()} == {PKG_B: "delete"}
    assert PKG_B not in resources(release)

    events = Events()
    again = release.up(on_event=events)
    # pv-b's description names pkg-b's id, so it follows with an update.
    assert events.changed() == {PKG_B: "create", PV_B: "update"}
    assert again.summary.resource_changes == {
        "create": 1,
        "update": 1,
        "same": RELEASE_RESOURCES - 2,
    }
    new_id = again.outputs["pkg_version_ids"].value[1]
    assert new_id != gone
    assert resources(release)[PKG_B]["id"] == new_id
    held = emulator_process.inventory(account.account_id)["pkg_versions"]
    assert sorted((p["PkgVersionLabel"], p["PkgVersionId"]) for p in held) == sorted(
        zip(["1.0", "2.0"], again.outputs["pkg_version_ids"].value, strict=True)
    )


def test_preview_after_refresh_shows_only_the_drifted_input(
    release: auto.Stack, emulator_process: EmulatorProcess, account: Account
) -> None:
    """After refresh takes in an out-of-band guidance change, the preview's diff names guidance
    alone."""
    from alibabacloud_servicecatalog20210901 import models

    up = release.up()
    servicecatalog_client(emulator_process, account).update_product_version(
        models.UpdateProductVersionRequest(
            product_version_id=up.outputs["product_version_ids"].value[0],
            product_version_name="v1",
            guidance="Deprecated",
        )
    )
    release.refresh()
    preview = Events()
    release.preview(on_event=preview)
    assert changed_inputs(preview.step(PV_A, "update")) == ["guidance"]
