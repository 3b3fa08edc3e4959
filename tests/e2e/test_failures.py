"""Bad inputs stop a preview before any API call; an API error fails only its own resource."""

from __future__ import annotations

import re

import pytest
from pulumi import automation as auto

from tests.support.accounts import Account, account_requests, webplus_client
from tests.support.emulator import EmulatorProcess
from tests.support.stacks import (
    APP,
    BUCKET,
    PKG_A,
    PKG_B,
    PRODUCT,
    PV_A,
    PV_B,
    TEMPLATE,
    failing,
    resources,
    set_config,
)


@pytest.mark.parametrize(
    ("key", "value", "field"),
    [
        ("source_a", "s3://e2e-artifacts/shop-1.0.war", "package_source"),
        ("pv_guidance", "Sometimes", "guidance"),
    ],
)
def test_invalid_input_fails_preview_before_any_call(
    release: auto.Stack,
    emulator_process: EmulatorProcess,
    account: Account,
    key: str,
    value: str,
    field: str,
) -> None:
    """A preview with an invalid input fails, naming the field, without a single API call."""
    set_config(release, **{key: value})
    text = str(failing(release.preview))
    assert f"{field} must be" in text
    assert repr(value) in text
    assert account_requests(emulator_process, account) == []


def test_api_error_fails_the_update_and_spares_the_rest(
    release: auto.Stack, emulator_process: EmulatorProcess, account: Account
) -> None:
    """A label already taken out of band fails that package version with VersionLabelExists and
    its RequestId, while every resource not depending on it is created and kept."""
    from alibabacloud_webplus20190320 import models

    set_config(release, versions="false")
    app_id = release.up().outputs["app_id"].value
    taken = webplus_client(emulator_process, account).create_pkg_version(
        models.CreatePkgVersionRequest(
            app_id=app_id,
            package_source=f"oss://{BUCKET}/shop/other-2.0.war",
            pkg_version_label="2.0",
            # Not the program's ("release 2.0"), so create does not take it for its own.
            pkg_version_description="made out of band",
            region_id="cn-hangzhou",
        )
    )
    taken_id = taken.body.pkg_version.pkg_version_id

    set_config(release, versions="true")
    text = str(failing(lambda: release.up(continue_on_error=True)))
    (failure,) = [
        r
        for r in account_requests(emulator_process, account)
        if r["action"] == "CreatePkgVersion" and r["status"] != 200
    ]
    assert failure["code"] == "VersionLabelExists"
    message = re.search(r"webplus\.PkgVersion .*VersionLabelExists.*", text)
    assert message is not None, text
    assert f"(RequestId: {failure['request_id']})" in message.group(0)
    assert f"set adopt_id to '{taken_id}'" in message.group(0)

    # pv-b waits for pkg-b's id, so it is skipped; everything else is there.
    state = resources(release)
    assert sorted(state) == sorted([APP, TEMPLATE, PRODUCT, PKG_A, PV_A])
    assert release.export_stack().deployment.get("pending_operations") in (None, [])
    held = emulator_process.inventory(account.account_id)
    assert sorted(p["PkgVersionId"] for p in held["pkg_versions"]) == sorted(
        [taken_id, state[PKG_A]["id"]]
    )
    assert [v["ProductVersionId"] for v in held["product_versions"]] == [state[PV_A]["id"]]
    assert PKG_B not in state and PV_B not in state
