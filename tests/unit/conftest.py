"""Unit-test fixtures: no test here may reach the network."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from alicloud_versions.core import client as _client
from alicloud_versions.core.config import ENVIRONMENT_VARIABLES


class NetworkUsed(AssertionError):
    """A provider method tried to build an SDK client in a test that forbids it."""


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Make building any SDK client fail; yields the list of attempted client builds."""
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append((args, kwargs))
        raise NetworkUsed("an API client was built")

    monkeypatch.setattr(_client, "new_client", refuse)
    yield attempts


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Retries do not sleep in unit tests; the waits are recorded instead."""
    waits: list[float] = []
    monkeypatch.setattr(_client, "_sleep", waits.append)
    return waits


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unit tests see none of the caller's cloud settings."""
    for var in ENVIRONMENT_VARIABLES:
        monkeypatch.delenv(var, raising=False)
