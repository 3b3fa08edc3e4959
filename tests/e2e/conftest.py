"""End-to-end fixtures: one emulator process per session, an account of its own per test."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from tests.support.emulator import EmulatorProcess
from tests.support.engine import inline_stack, pulumi_command
from tests.support.stacks import release_program

_ACCOUNTS = 128
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
        region_id="cn-hangzhou",
    )


def webplus_client(emulator: EmulatorProcess, account: Account) -> Any:
    """The official WebPlus SDK client, as the account, for out-of-band changes."""
    from alibabacloud_webplus20190320.client import Client

    return Client(sdk_config(emulator, account))


def servicecatalog_client(emulator: EmulatorProcess, account: Account) -> Any:
    """The official Service Catalog SDK client, as the account, for out-of-band changes."""
    from alibabacloud_servicecatalog20210901.client import Client

    return Client(sdk_config(emulator, account))


@pytest.fixture
def release(tmp_path: Path, stack_config: dict[str, auto.ConfigValue]) -> Iterator[auto.Stack]:
    """A stack of the release program (tests/support/stacks.py) as this test's account."""
    with inline_stack(tmp_path, release_program, config=stack_config) as stack:
        yield stack
