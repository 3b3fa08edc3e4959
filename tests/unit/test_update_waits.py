"""An update's wait follows the operation's own change or task: a status read before the
service shows it (the one before, still terminal) does not end the wait."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from alicloud_versions.core.appenv import _RUNS, AppEnvCore, _seen
from alicloud_versions.core.config import resolve_settings
from alicloud_versions.core.provisioned import ProvisionedProductCore
from alicloud_versions.core.waits import Seen


def test_an_environment_before_the_change_waited_for_is_not_at_its_end() -> None:
    """RUNNING with another latest change is reported as not yet showing the change."""
    before = {"env_status": "RUNNING", "latest_change_id": "wc-1"}
    assert _seen(before, "wc-2") == Seen("RUNNING (its change wc-2 not shown yet)")
    assert _seen({**before, "latest_change_id": "wc-2"}, "wc-2") == Seen("RUNNING")


def _polls(
    monkeypatch: pytest.MonkeyPatch, core: Any, name: str, seen: list[dict[str, Any]]
) -> list[int]:
    """Make `core.name` answer `seen` one poll at a time (the last again once they run out);
    the number of polls made."""
    answers: Iterator[dict[str, Any]] = iter(seen)
    count = [0]

    def poll(*_args: Any) -> dict[str, Any]:
        count[0] += 1
        return next(answers, seen[-1])

    monkeypatch.setattr(core, name, poll)
    return count


def test_an_environments_update_waits_for_its_own_change(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first poll right after UpdateAppEnv still shows the change before it, RUNNING: the
    wait goes on until the update's change has applied and the environment runs."""
    core = AppEnvCore(resolve_settings({}))
    session = core.session({"app_id": "wa-1"}, id_="we-1")
    polls = _polls(
        monkeypatch,
        core,
        "_fetch",
        [
            {"env_status": "RUNNING", "latest_change_id": "wc-1"},
            {"env_status": "RUNNING", "latest_change_id": "wc-2", "applying_change": True},
            {"env_status": "RUNNING", "latest_change_id": "wc-2", "total_instances": 2},
        ],
    )
    live = core._settle(session, "we-1", "wa-1", "UpdateAppEnv", _RUNS, "wc-2")
    assert polls[0] == 3
    assert live is not None and live["total_instances"] == 2


def test_a_provisioned_products_update_waits_for_its_own_task(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first poll right after UpdateProvisionedProduct still shows the task before it,
    Available: the wait goes on until a later task is the last and has ended."""
    core = ProvisionedProductCore(resolve_settings({}))
    session = core.session({}, id_="pp-1")
    before: Mapping[str, Any] = {"status": "Available", "last_task_id": "t-1"}
    polls = _polls(
        monkeypatch,
        core,
        "_detail",
        [
            dict(before),
            {"status": "UnderChange", "last_task_id": "t-2"},
            {"status": "Available", "last_task_id": "t-2", "stack_id": "s-2"},
        ],
    )
    monkeypatch.setattr(core, "_with_task", lambda _session, live: live)
    assert core.UPDATE is not None
    live = core._settle(session, "pp-1", core.UPDATE, "t-1")
    assert polls[0] == 3
    assert live is not None and live["stack_id"] == "s-2"
