"""What uses the versions of one parent, listed once for the deletes that come close together."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from .client import Session

__all__ = ["SHARED_FOR", "Users", "changed", "users_of"]

Users = tuple[tuple[str, str], ...]
"""(version id, what uses it, described for a message) for every user of a parent's versions."""

SHARED_FOR = 5.0
"""Seconds a listing, counted from when it was asked for, answers the in-use checks of later
deletes of the same parent's versions in this process. The engine sends an operation's deletes
together, so a destroy lists each parent once; a delete that comes later lists again. Within
this window a user added after the listing is not seen (README, "Versions in use")."""


@dataclass
class _Listing:
    lock: threading.Lock = field(default_factory=threading.Lock)
    asked: float = float("-inf")
    users: Users = ()


# Process memory only: never on a provider object, so never in a pickle or the state; ids and
# descriptions, nothing secret.
_listings: dict[Hashable, _Listing] = {}
_guard = threading.Lock()


def _key(session: Session, parent: str) -> Hashable:
    """Which listings are the same: one parent, in one account, region and endpoint."""
    creds = session.settings.credentials
    return (
        session.service,
        session.region,
        session.settings.endpoint(session.service, session.region),
        creds.access_key_id if creds else None,
        parent,
    )


def users_of(session: Session, parent: str, listing: Callable[[], Users]) -> Users:
    """The users of `parent`'s versions: `listing()`'s answer, or the one a delete in the same
    account, region and endpoint asked for less than `SHARED_FOR` seconds ago. Deletes that come
    while a listing is in flight wait for it; an API error is raised and shared with nobody."""
    key = _key(session, parent)
    with _guard:
        now = time.monotonic()
        for old in [k for k, v in _listings.items() if now - v.asked > SHARED_FOR]:
            if not _listings[old].lock.locked():
                del _listings[old]
        entry = _listings.setdefault(key, _Listing())
    with entry.lock:
        if time.monotonic() - entry.asked <= SHARED_FOR:
            return entry.users
        asked = time.monotonic()
        entry.users = listing()
        entry.asked = asked
        return entry.users


def changed(session: Session, parent: str) -> None:
    """Forget the listing of `parent`'s users: this process has just changed what one of them
    uses (an environment moved to another version, or terminated), so the next delete lists
    again rather than believe an answer from before."""
    with _guard:
        entry = _listings.get(_key(session, parent))
        if entry is not None:
            entry.asked = float("-inf")
