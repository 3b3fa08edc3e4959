"""End-to-end fixtures: one emulator process per session, an account of its own per test."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from pulumi import automation as auto

from tests.support.emulator import EmulatorProcess
from tests.support.engine import pulumi_command

_ACCOUNTS = 64
_next_account = itertools.count()


@dataclass(frozen=True)
class Account:
    """One emulator account and the key pair that signs as it."""

    access_key_id: str
    access_key_secret: str
    account_id: str


def _account(n: int) -> Account:
    return Account(
        f"LTAIe2eKey{n:04d}", f"e2e-secret-{n:04d}-0000000000000000", f"{9 * 10**15 + n}"
    )


@pytest.fixture(scope="session", autouse=True)
def engine() -> None:
    """The engine must be installed: without it every end-to-end test errors, none skips."""
    pulumi_command()


@pytest.fixture(scope="session")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorProcess]:
    """The emulator as its own process, with a key pair for each test's account."""
    keys = []
    for n in range(_ACCOUNTS):
        a = _account(n)
        keys += ["--access-key", f"{a.access_key_id}:{a.access_key_secret}:{a.account_id}"]
    emu = EmulatorProcess(tmp_path_factory.mktemp("emulator") / "state.sqlite", *keys).start()
    yield emu
    emu.stop()


@pytest.fixture
def account() -> Account:
    """An account no other test in the session uses."""
    n = next(_next_account)
    assert n < _ACCOUNTS, "raise _ACCOUNTS in tests/e2e/conftest.py"
    return _account(n)


@pytest.fixture
def stack_config(emulator: EmulatorProcess, account: Account) -> dict[str, auto.ConfigValue]:
    """Stack config that points the provider at the emulator as this test's account."""
    return {
        "alicloud:region": auto.ConfigValue("cn-hangzhou"),
        "alicloud:accessKey": auto.ConfigValue(account.access_key_id),
        "alicloud:secretKey": auto.ConfigValue(account.access_key_secret, secret=True),
        "alicloud-versions:endpoint": auto.ConfigValue(emulator.url),
    }


def account_requests(emulator: EmulatorProcess, account: Account) -> list[dict[str, Any]]:
    """The emulator's request log, this account's entries only."""
    return [r for r in emulator.requests() if r.get("account_id") == account.account_id]


def sdk_config(emulator: EmulatorProcess, account: Account) -> Any:
    """An SDK Config for out-of-band changes, as the account."""
    from alibabacloud_tea_openapi.models import Config

    return Config(
        access_key_id=account.access_key_id,
        access_key_secret=account.access_key_secret,
        endpoint=f"127.0.0.1:{emulator.port}",
        protocol="http",
        region_id="cn-hangzhou",
    )
