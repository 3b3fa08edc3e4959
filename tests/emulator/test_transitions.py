"""An asynchronous operation's status over the services' clock."""

from __future__ import annotations

from alicloud_versions.emulator.faults import FaultConfig
from alicloud_versions.emulator.transitions import Transition


def _launch(faults: FaultConfig) -> Transition:
    return Transition.start(
        "LaunchProduct", 100.0, faults, under_way="UnderChange", done="Available", failed="Error"
    )


def test_an_operation_is_under_way_until_it_settles() -> None:
    """A launch shows its under-way status for settle_s seconds, then its done status."""
    launch = _launch(FaultConfig(settle_s=2.0))
    assert [launch.status(t) for t in (100.0, 101.9, 102.0)] == [
        "UnderChange",
        "UnderChange",
        "Available",
    ]
    assert not launch.settled(101.0) and launch.settled(102.0)


def test_a_failing_action_ends_in_its_failed_status() -> None:
    """An action named in fail_async at its start settles in the failed status."""
    launch = _launch(FaultConfig(settle_s=0.0, fail_async=frozenset({"LaunchProduct"})))
    assert launch.status(100.0) == "Error"


def test_the_faults_in_force_at_the_start_decide() -> None:
    """Changing the faults later does not change an operation already under way."""
    launch = _launch(FaultConfig(settle_s=1.0))
    assert FaultConfig.from_json({"fail_async": ["LaunchProduct"]}).fail_async == {"LaunchProduct"}
    assert launch.status(200.0) == "Available"
