"""A parent's change that its API can make in place is an update: the parent keeps its id,
and its versions are untouched."""

from __future__ import annotations

import pytest
from pulumi import automation as auto

from tests.support.accounts import Account, account_requests, writes
from tests.support.emulator import EmulatorProcess
from tests.support.stacks import APP, PRODUCT, RELEASE_RESOURCES, Events, changed_inputs, set_config


@pytest.mark.parametrize(
    ("name", "config", "inputs", "call"),
    [
        (APP, {"app_description": "the shop, rewritten"}, ["app_description"], "UpdateApplication"),
        (
            PRODUCT,
            {"product_name": "shop-2", "product_provider": "e2e-2", "product_description": "d"},
            ["description", "product_name", "provider_name"],
            "UpdateProduct",
        ),
    ],
    ids=["application", "product"],
)
def test_parent_changes_update_in_place_and_keep_every_id(
    release: auto.Stack,
    emulator_process: EmulatorProcess,
    account: Account,
    name: str,
    config: dict[str, str],
    inputs: list[str],
    call: str,
) -> None:
    """The preview shows an update of the parent alone, naming the changed inputs; up makes
    one Update call, and the parent and all its versions keep their ids."""
    first = dict(release.up().outputs)
    set_config(release, **config)
    preview = Events()
    release.preview(on_event=preview)
    assert preview.changed() == {name: "update"}
    assert changed_inputs(preview.step(name, "update")) == inputs

    seen = len(account_requests(emulator_process, account))
    up = release.up()
    assert up.summary.resource_changes == {"update": 1, "same": RELEASE_RESOURCES - 1}
    assert writes(account_requests(emulator_process, account)[seen:]) == [call]
    for output in ("app_id", "product_id", "pkg_version_ids", "product_version_ids"):
        assert up.outputs[output].value == first[output].value, output
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
