"""claim_existing: one listing per provider process and key, each entry adopted at most once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from pulumi.dynamic.dynamic import serialize_provider

from alicloud_versions.webplus import ApplicationProvider


def test_lists_once_per_key_and_hands_each_entry_out_once() -> None:
    """Concurrent claims share one listing per key; a matching entry goes to one claim only."""
    provider = ApplicationProvider()
    listed: list[str] = []
    started = threading.Barrier(8)

    def list_all(key: str) -> list[dict[str, Any]]:
        listed.append(key)
        return [{"app_id": f"{key}-1", "app_name": "shop"}, {"app_id": f"{key}-2"}]

    def claim(key: str) -> dict[str, Any] | None:
        started.wait()
        return provider.claim_existing(
            key, lambda: list_all(key), lambda live: live.get("app_name") == "shop"
        )

    with ThreadPoolExecutor(8) as pool:
        found = list(pool.map(claim, ["a", "b"] * 4))
    assert sorted(listed) == ["a", "b"]
    adopted = sorted(f["app_id"] for f in found if f is not None)
    assert adopted == ["a-1", "b-1"]


def test_the_listings_never_reach_the_serialized_provider() -> None:
    """A provider that has claimed serializes to the same bytes as a fresh one."""
    provider = ApplicationProvider()
    before = serialize_provider(provider)
    provider.claim_existing("k", lambda: [{"app_id": "x"}], lambda live: False)
    assert serialize_provider(provider) == before == serialize_provider(ApplicationProvider())
