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
    outputs,
    resources,
)


def test_refresh_takes_in_out_of_band_changes_and_up_undoes_them(
    release: auto.Stack, emulator_process: EmulatorProcess, account: Account
) -> None:
    """On one deployed release stack, in turn: refresh takes in a product version's guidance
    changed out of band, the preview after it names guidance alone, and the next up puts it
    back (formerly test_refresh_finds_an_out_of_band_update and
    test_preview_after_refresh_shows_only_the_drifted_input); then refresh drops a package
    version deleted out of band from the state, and the next up creates it again (formerly
    test_refresh_forgets_an_out_of_band_delete_and_up_recreates_it)."""
    from alibabacloud_servicecatalog20210901 import models as sc
    from alibabacloud_webplus20190320 import models as wp

    release.up()
    pv_id = outputs(release)["product_version_ids"][0]
    servicecatalog_client(emulator_process, account).update_product_version(
        sc.UpdateProductVersionRequest(
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
    assert changed_inputs(step) == ["guidance"]
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

    gone = outputs(release)["pkg_version_ids"][1]
    webplus_client(emulator_process, account).delete_pkg_version(
        wp.DeletePkgVersionRequest(pkg_version_id=gone, region_id="cn-hangzhou")
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
    new_ids = outputs(release)["pkg_version_ids"]
    assert new_ids[1] != gone
    assert resources(release)[PKG_B]["id"] == new_ids[1]
    held = emulator_process.inventory(account.account_id)["pkg_versions"]
    assert sorted((p["PkgVersionLabel"], p["PkgVersionId"]) for p in held) == sorted(
        zip(["1.0", "2.0"], new_ids, strict=True)
    )
