"""The live suite's fixtures: where it runs (real Alibaba Cloud when ALICLOUD_VERSIONS_LIVE=1,
else the emulator with its controls off, so it sees only what the real APIs answer), the run's
name prefix, and the cost ledger printed at the end."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator

import pytest

from alicloud_versions.emulator import AccessKey, EmulatorProcess
from tests.live.cost import Ledger
from tests.live.target import LIVE, Target, live_requested, missing_for_live
from tests.support.engine import pulumi_command

_LEDGER = pytest.StashKey[tuple[str, Target, Ledger]]()


def pytest_configure(config: pytest.Config) -> None:
    """A live run without what it needs stops before any test, saying what is missing."""
    if live_requested() and (missing := missing_for_live()):
        raise pytest.UsageError(
            f"{LIVE}=1 runs the live suite against real Alibaba Cloud, which needs in the "
            "environment: " + "; ".join(missing)
        )


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    """Print what the run cost and what it left."""
    found = config.stash.get(_LEDGER, None)
    if found is None:
        return
    prefix, target, ledger = found
    terminalreporter.write_sep("-", f"live suite: run {prefix} on {target.description}")
    for line in ledger.report():
        terminalreporter.write_line(line)


@pytest.fixture(scope="session", autouse=True)
def engine() -> None:
    """The engine must be installed: without it every test errors, none skips."""
    pulumi_command()


@pytest.fixture(scope="session")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    """Real Alibaba Cloud as the environment names it, or the emulator with its controls off
    and a key of its own (handed over in its environment, never on its command line)."""
    if live_requested():
        yield Target.from_environment()
        return
    key = AccessKey("LTAIliveSuiteKey0001", secrets.token_hex(16), "9400000000000001")
    state = tmp_path_factory.mktemp("live-emulator") / "state.sqlite"
    emulator = EmulatorProcess(state, access_keys=[key], controls=False).start()
    try:
        yield Target(
            f"the emulator at {emulator.url} (controls off)",
            "cn-hangzhou",
            "oss://live-suite-artifacts/shop/shop-1.0.war",
            key.id,
            key.secret,
            endpoint=emulator.url,
        )
    finally:
        emulator.stop()


@pytest.fixture(scope="session")
def prefix() -> str:
    """This run's prefix, at the start of every name it gives: its UTC start and a random
    part, so that runs never share one and `alicloud-versions sweep` can find a lost run's."""
    return f"avlive-{time.strftime('%Y%m%d%H%M%S', time.gmtime())}-{secrets.token_hex(3)}-"


@pytest.fixture(scope="session")
def ledger(pytestconfig: pytest.Config, prefix: str, target: Target) -> Ledger:
    """The run's cost, printed at the end of the session."""
    found = Ledger()
    pytestconfig.stash[_LEDGER] = (prefix, target, found)
    return found
