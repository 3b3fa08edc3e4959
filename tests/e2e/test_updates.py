"""A parent's change that its API can make in place is an update: the parent keeps its id,
and its versions are untouched."""

from __future__ import annotations

from pulumi import automation as auto

from tests.support.accounts import Account, account_requests, writes
from tests.support.emulator import EmulatorProcess
from tests.support.stacks import (
    APP,
    PRODUCT,
    RELEASE_RESOURCES,
    Events,
    changed_inputs,
    outputs,
    set_config,
)

# Each parent: its resource name, the config that changes it, the inputs that change, the call.
PARENTS = [
    (APP, {"app_description": "the shop, rewritten"}, ["app_description"], "UpdateApplication"),
    (
        PRODUCT,
        {"product_name": "shop-2", "product_provider": "e2e-2", "product_description": "d"},
        ["description", "product_name", "provider_name"],
        "UpdateProduct",
    ),
]


def test_parent_changes_update_in_place_and_keep_every_id(
    release: auto.Stack, emulator_process: EmulatorProcess, account: Account
) -> None:
    """For the application, then the product, of one deployed release stack (formerly one
    parametrized test each, which deployed the same stack first): the preview shows an update
    of the parent alone, naming the changed inputs; up makes one Update call, and the parent
    and all its versions keep their ids."""
    release.up()
    first = outputs(release)
    for name, config, inputs, call in PARENTS:
        set_config(release, **config)
        preview = Events()
        release.preview(on_event=preview)
        assert preview.changed() == {name: "update"}, name
        assert changed_inputs(preview.step(name, "update")) == inputs

        seen = len(account_requests(emulator_process, account))
        up = release.up()
        assert up.summary.resource_changes == {"update": 1, "same": RELEASE_RESOURCES - 1}
        assert writes(account_requests(emulator_process, account)[seen:]) == [call]
        after = outputs(release)
        for output in ("app_id", "product_id", "pkg_version_ids", "product_version_ids"):
            assert after[output] == first[output], (name, output)
        release.preview(expect_no_changes=True)
        held = emulator_process.inventory(account.account_id)
        if name == APP:
            [app] = held["applications"]
            assert app["AppDescription"] == config["app_description"]
        else:
            [product] = held["products"]
            assert (product["ProductName"], product["ProviderName"], product["Description"]) == (
                "shop-2",
                "e2e-2",
                "d",
            )
