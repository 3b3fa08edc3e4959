"""Reliability fixtures: the e2e session emulator and accounts, plus emulators of a test's own
for faults, kills and restarts, and a release project driven through the pulumi CLI."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pulumi import automation as auto

from tests.e2e.conftest import account, emulator_process, engine, stack_config
from tests.support.accounts import Account
from tests.support.cli import CliProject
from tests.support.emulator import EmulatorProcess

__all__ = [
    "account",
    "emulator_process",
    "engine",
    "stack_config",
]  # fixtures shared with tests/e2e

StartEmulator = Callable[..., EmulatorProcess]


@pytest.fixture
def own_emulator(tmp_path: Path, account: Account) -> Iterator[StartEmulator]:
    """Starts an emulator process of this test's own, knowing the account's key; faults, kills
    and restarts there never reach the session emulator. Extra arguments go to its command line."""
    started: list[EmulatorProcess] = []

    def start(*args: str) -> EmulatorProcess:
        key = f"{account.access_key_id}:{account.access_key_secret}:{account.account_id}"
        emu = EmulatorProcess(
            tmp_path / f"emulator-{len(started)}.sqlite", "--access-key", key, *args
        )
        started.append(emu.start())
        return emu

    yield start
    for emu in started:
        emu.stop()


def config_for(
    stack_config: dict[str, auto.ConfigValue], emu: EmulatorProcess, **sizes: int
) -> dict[str, auto.ConfigValue]:
    """The account's stack config pointed at `emu`, with release sizes (``pkgVersions=2``...)."""
    return {
        **stack_config,
        "alicloud-versions:endpoint": auto.ConfigValue(emu.url),
        **{f"reliability:{name}": auto.ConfigValue(str(n)) for name, n in sizes.items()},
    }


@pytest.fixture
def project(tmp_path: Path) -> CliProject:
    """A fresh release project with no stack yet (`init` creates it)."""
    return CliProject(tmp_path, in_process=True)
