"""Wrong credentials fail the up at once: one call per resource at most, the error code in
what the engine prints, and no retry storm."""

from __future__ import annotations

import pytest
from pulumi import automation as auto

from tests.support.accounts import Account
from tests.support.cli import CliProject
from tests.support.emulator import EmulatorProcess
from tests.support.release import resource_count

PKG_VERSIONS = PRODUCT_VERSIONS = 3


@pytest.mark.parametrize(
    ("case", "code"),
    [("wrong secret", "SignatureDoesNotMatch"), ("unknown key", "InvalidAccessKeyId.NotFound")],
)
def test_wrong_credentials_fail_fast(
    project: CliProject,
    emulator_process: EmulatorProcess,
    stack_config: dict[str, auto.ConfigValue],
    account: Account,
    case: str,
    code: str,
) -> None:
    """An up with a wrong secret or an unknown key fails, naming the code, with no retries."""
    key_id = account.access_key_id if case == "wrong secret" else f"LTAIunknown{account.account_id}"
    secret = f"not-the-secret-of-{account.access_key_id}"
    project.init(
        {
            **stack_config,
            "alicloud:accessKey": auto.ConfigValue(key_id),
            "alicloud:secretKey": auto.ConfigValue(secret, secret=True),
            "reliability:pkgVersions": auto.ConfigValue(str(PKG_VERSIONS)),
            "reliability:productVersions": auto.ConfigValue(str(PRODUCT_VERSIONS)),
        }
    )

    up = project.up(check=False, timeout=120)

    assert up.returncode != 0
    assert code in up.stdout + up.stderr, up.stdout
    calls = [r for r in emulator_process.requests() if r["access_key_id"] == key_id]
    assert {r["code"] for r in calls} == {code}, calls
    assert 1 <= len(calls) <= resource_count(PKG_VERSIONS, PRODUCT_VERSIONS), calls
