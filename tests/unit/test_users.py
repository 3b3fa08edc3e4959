"""The in-use listing a version's delete asks for: shared by the deletes of one parent's versions
that come within `SHARED_FOR` seconds of it, and by nothing else."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from alicloud_versions.core import users
from alicloud_versions.core.client import Session
from alicloud_versions.core.config import Credentials, Endpoint, Service, Settings
from alicloud_versions.core.errors import Target
from alicloud_versions.core.users import SHARED_FOR, Users, users_of

LISTED: Users = (("v-1", "environment e-1"),)


class Clock:
    """`time.monotonic` for the module, moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    found = Clock()
    monkeypatch.setattr(users.time, "monotonic", found)
    monkeypatch.setattr(users, "_listings", {})
    return found


def session(key_id: str = "LTAI-1", region: str = "cn-hangzhou", host: str = "h:1") -> Session:
    settings = Settings(
        region=region,
        credentials=Credentials(key_id, "secret"),
        endpoints={Service.WEBPLUS: Endpoint(host, "http")},
    )
    return Session(settings, Service.WEBPLUS, region, Target("webplus.PkgVersion"))


def counting(answer: Users = LISTED) -> tuple[list[int], Callable[[], Users]]:
    asked: list[int] = []

    def listing() -> Users:
        asked.append(1)
        return answer

    return asked, listing


def test_deletes_within_the_window_share_one_listing(clock: Clock) -> None:
    """A second delete of the same parent's versions within the window asks nothing."""
    asked, listing = counting()
    assert users_of(session(), "app-1", listing) == LISTED
    clock.now += SHARED_FOR
    assert users_of(session(), "app-1", listing) == LISTED
    assert len(asked) == 1


def test_a_delete_after_the_window_lists_again(clock: Clock) -> None:
    """A listing older than the window is asked for again, so a user added since is seen."""
    asked, listing = counting(())
    users_of(session(), "app-1", listing)
    clock.now += SHARED_FOR + 0.01
    later, relisting = counting()
    assert users_of(session(), "app-1", relisting) == LISTED
    assert (len(asked), len(later)) == (1, 1)


@pytest.mark.parametrize(
    "other",
    [
        {"parent": "app-2"},
        {"key_id": "LTAI-2"},
        {"region": "cn-shanghai"},
        {"host": "h:2"},
    ],
    ids=lambda other: next(iter(other)),
)
def test_another_parent_account_region_or_endpoint_lists_its_own(
    clock: Clock, other: dict[str, str]
) -> None:
    """A listing is shared only by the same parent in the same account, region and endpoint."""
    asked, listing = counting()
    users_of(session(), "app-1", listing)
    parent = other.pop("parent", "app-1")
    users_of(session(**other), parent, listing)
    assert len(asked) == 2


def test_a_failed_listing_is_shared_with_nobody(clock: Clock) -> None:
    """An error reaches the delete that asked; the next delete asks again."""

    def failing() -> Users:
        raise RuntimeError("throttled")

    with pytest.raises(RuntimeError):
        users_of(session(), "app-1", failing)
    asked, listing = counting()
    assert users_of(session(), "app-1", listing) == LISTED
    assert len(asked) == 1


class WatchedLock:
    """A listing's lock that counts the deletes arriving at it (and is never pruned)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.arrived = 0
        self.changed = threading.Condition()

    def __enter__(self) -> None:
        with self.changed:
            self.arrived += 1
            self.changed.notify_all()
        self._lock.acquire()

    def __exit__(self, *_: object) -> None:
        self._lock.release()

    def locked(self) -> bool:
        return True


def test_deletes_that_come_during_a_listing_wait_for_it(clock: Clock) -> None:
    """Concurrent deletes of one parent's versions make one call between them: the listing
    answers only once all four deletes have arrived, and answers them all."""
    lock = WatchedLock()
    users._listings[users._key(session(), "app-1")] = users._Listing(lock=lock)  # type: ignore[arg-type]
    asked: list[int] = []

    def slow() -> Users:
        asked.append(1)
        with lock.changed:
            assert lock.changed.wait_for(lambda: lock.arrived == 4, timeout=10)
        return LISTED

    answers: list[Users] = []
    threads = [
        threading.Thread(target=lambda: answers.append(users_of(session(), "app-1", slow)))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert answers == [LISTED] * 4
    assert len(asked) == 1
