"""The accounts of the session emulator that end-to-end tests run as, and what a test reads or
changes in its own account: its request log, its writes, official SDK clients signing as it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.config import REGION
from tests.support.emulator import EmulatorProcess


@dataclass(frozen=True)
class Account:
    """One emulator account and the key pair that signs as it."""

    access_key_id: str
    access_key_secret: str
    account_id: str


def numbered(n: int) -> Account:
    """The `n`th test account: the key pairs the session emulator knows and tests take."""
    return Account(
        f"LTAIe2eKey{n:04d}", f"e2e-secret-{n:04d}-0000000000000000", f"{9 * 10**15 + n}"
    )


def account_requests(emulator: EmulatorProcess, account: Account) -> list[dict[str, Any]]:
    """The emulator's request log, this account's entries only."""
    return [r for r in emulator.requests() if r.get("account_id") == account.account_id]


def writes(requests: list[dict[str, Any]]) -> list[str]:
    """The actions among `requests` that change something (Create*, Update*, Delete*)."""
    return [r["action"] for r in requests if r["action"].startswith(("Create", "Update", "Delete"))]


def sdk_config(emulator: EmulatorProcess, account: Account) -> Any:
    """An SDK Config for out-of-band changes, as the account."""
    from alibabacloud_tea_openapi.models import Config

    return Config(
        access_key_id=account.access_key_id,
        access_key_secret=account.access_key_secret,
        endpoint=f"127.0.0.1:{emulator.port}",
        protocol="http",
        region_id=REGION,
    )


def webplus_client(emulator: EmulatorProcess, account: Account) -> Any:
    """The official WebPlus SDK client, as the account, for out-of-band changes."""
    from alibabacloud_webplus20190320.client import Client

    return Client(sdk_config(emulator, account))


def servicecatalog_client(emulator: EmulatorProcess, account: Account) -> Any:
    """The official Service Catalog SDK client, as the account, for out-of-band changes."""
    from alibabacloud_servicecatalog20210901.client import Client

    return Client(sdk_config(emulator, account))
