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
    Events,
    deployment,
    failing,
    outputs,
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
    """A preview with an invalid input fails, naming the field and what is allowed, without a
    single API call; the value is not shown, since the dynamic front door cannot tell a secret
    from a plain input."""
    set_config(release, **{key: value})
    text = str(failing(release.preview))
    assert f"{field} must be" in text
    assert value not in text
    assert account_requests(emulator_process, account) == []


def test_api_error_fails_the_update_and_spares_the_rest(
    release: auto.Stack, emulator_process: EmulatorProcess, account: Account
) -> None:
    """A label already taken out of band fails that package version with VersionLabelExists and
    its RequestId, in one line with no traceback nor gRPC prefix, while every resource not
    depending on it is created and kept."""
    from alibabacloud_webplus20190320 import models

    set_config(release, versions="false")
    release.up()
    app_id = outputs(release)["app_id"]
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
    message = re.search(r"webplus\.PkgVersion: CreatePkgVersion failed: VersionLabelExists.*", text)
    assert message is not None, text
    assert f"(RequestId: {failure['request_id']})" in message.group(0)
    assert f"set adopt_id to '{taken_id}'" in message.group(0)
    assert message.group(0).endswith(f"(RequestId: {failure['request_id']})")
    # The provider's error is its line alone: no traceback in it or ahead of it (the program's
    # own traceback for the failed registration, printed by the SDK, is another diagnostic).
    assert "error: Traceback" not in text and "Exception calling application" not in text

    # pv-b waits for pkg-b's id, so it is skipped; everything else is there.
    state = resources(release)
    assert sorted(state) == sorted([APP, TEMPLATE, PRODUCT, PKG_A, PV_A])
    assert deployment(release).get("pending_operations") in (None, [])
    held = emulator_process.inventory(account.account_id)
    assert sorted(p["PkgVersionId"] for p in held["pkg_versions"]) == sorted(
        [taken_id, state[PKG_A]["id"]]
    )
    assert [v["ProductVersionId"] for v in held["product_versions"]] == [state[PV_A]["id"]]
    assert PKG_B not in state and PV_B not in state


def test_each_retry_is_reported_as_it_happens(
    release: auto.Stack, emulator_process: EmulatorProcess, account: Account
) -> None:
    """Throttled calls are retried, and the update shows each retry as it happens, before the
    resource it is about is done: code, attempt, the wait, the time left and the setting that
    bounds it."""
    set_config(release, versions="false")
    emulator_process.set_faults(
        failure_rate=1.0,
        failure_kinds=["Throttling"],
        actions=["CreateApplication"],
        max_failures=2,
    )
    events = Events()
    try:
        release.up(on_event=events)
    finally:
        emulator_process.set_faults()
    throttled = [r for r in account_requests(emulator_process, account) if r["injected"]]
    assert [r["code"] for r in throttled] == ["Throttling.User", "Throttling.User"]

    reports = [
        (i, ev.diagnostic_event.message)
        for i, ev in enumerate(events.events)
        if ev.diagnostic_event is not None
        and "failed with Throttling" in ev.diagnostic_event.message
    ]
    done = next(
        i
        for i, ev in enumerate(events.events)
        if ev.res_outputs_event is not None and ev.res_outputs_event.metadata.urn.endswith(APP)
    )
    assert [a for a in (1, 2) if any(f"(attempt {a})" in m for _, m in reports)] == [1, 2]
    assert len(reports) == 2 and all(i < done for i, _ in reports)
    for _, message in reports:
        assert re.search(
            r"webplus\.Application: CreateApplication failed with Throttling\S* \(attempt \d\); "
            r"retrying in [\d.]+s, \d+s left of the \d+s retry limit "
            r"\(alicloud-versions:maxRetryTime\)",
            message,
        ), message


def test_every_bad_field_of_every_resource_in_one_preview(
    release: auto.Stack, emulator_process: EmulatorProcess, account: Account
) -> None:
    """Four bad fields in four resources fail one preview that names all four, each with what
    is allowed (a value that differs only in case is pointed at the right one), before any API
    call; the engine itself stops at the first resource whose check fails."""
    set_config(
        release,
        app_description="   ",
        product_provider="\t",
        source_a="s3://e2e-artifacts/shop-1.0.war",
        pv_guidance="recommended",
    )
    text = str(failing(release.preview))
    assert "webplus.Application 'app': app_description must not be only whitespace" in text
    assert "servicecatalog.Product 'product': provider_name must not be only whitespace" in text
    assert "webplus.PkgVersion 'pkg-a': package_source must be an OSS object" in text
    assert (
        "servicecatalog.ProductVersion 'pv-a': guidance must be one of Default, Recommended, "
        "Latest, Deprecated (did you mean 'Recommended'?)"
    ) in text
    assert "s3://e2e-artifacts" not in text
    assert account_requests(emulator_process, account) == []
