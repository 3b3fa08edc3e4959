"""End-to-end fixtures: one emulator process per session, an account of its own per test."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from pulumi import automation as auto

from harness.config import emulator_config
from tests.support.accounts import Account, numbered
from tests.support.emulator import EmulatorProcess
from tests.support.engine import inline_stack, pulumi_command
from tests.support.stacks import release_program

_ACCOUNTS = 128
_next_account = itertools.count()


@pytest.fixture(scope="session", autouse=True)
def engine() -> None:
    """The engine must be installed: without it every end-to-end test errors, none skips."""
    pulumi_command()


@pytest.fixture(scope="session")
def emulator_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorProcess]:
    """The emulator as its own process, with a key pair for each test's account."""
    keys = []
    for n in range(_ACCOUNTS):
        a = numbered(n)
        keys += ["--access-key", f"{a.access_key_id}:{a.access_key_secret}:{a.account_id}"]
    emu = EmulatorProcess(tmp_path_factory.mktemp("emulator") / "state.sqlite", *keys).start()
    yield emu
    emu.stop()


@pytest.fixture
def account() -> Account:
    """An account no other test in the session uses."""
    n = next(_next_account)
    assert n < _ACCOUNTS, "raise _ACCOUNTS in tests/e2e/conftest.py"
    return numbered(n)


@pytest.fixture
def stack_config(
    emulator_process: EmulatorProcess, account: Account
) -> dict[str, auto.ConfigValue]:
    """Stack config that points the provider at the emulator as this test's account."""
    return emulator_config(emulator_process.url, account.access_key_id, account.access_key_secret)


@pytest.fixture
def release(tmp_path: Path, stack_config: dict[str, auto.ConfigValue]) -> Iterator[auto.Stack]:
    """A stack of the release program (tests/support/stacks.py) as this test's account."""
    with inline_stack(tmp_path, release_program, config=stack_config) as stack:
        yield stack
