"""Fixtures for the emulator tests: an emulator per test and official SDK clients pointed at it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from alibabacloud_servicecatalog20210901.client import Client as ServiceCatalogClient
from alibabacloud_tea_openapi.models import Config
from alibabacloud_webplus20190320.client import Client as WebPlusClient
from Tea.exceptions import TeaException

from alicloud_versions.emulator import (
    DEFAULT_ACCESS_KEY_ID,
    DEFAULT_ACCESS_KEY_SECRET,
    DEFAULT_ACCOUNT_ID,
    AccessKey,
    Emulator,
    EmulatorControls,
)

DEFAULT_KEY = AccessKey(DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, DEFAULT_ACCOUNT_ID)
OTHER_KEY = AccessKey(
    "LTAI5tEmulatorOtherKey02", "OtherAccountSecret000000000000002", "6543210987654321"
)


def make_config(target: Emulator | str, key: AccessKey = DEFAULT_KEY, **options: Any) -> Config:
    """SDK configuration for an emulator (or a host:port): only the endpoint, http and the key."""
    return Config(
        access_key_id=key.id,
        access_key_secret=key.secret,
        endpoint=target if isinstance(target, str) else target.endpoint,
        protocol="http",
        **options,
    )


def error_of(call: Callable[[], object]) -> TeaException:
    """The SDK exception the call raises."""
    with pytest.raises(TeaException) as info:
        call()
    return info.value


class Controls:
    """The emulator's /_emulator/ test controls by full path, through the package's client."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.client = EmulatorControls(url, timeout=10)

    def request(self, method: str, path: str, body: object = None) -> tuple[int, Any]:
        return self.client.call(method, path.removeprefix("/_emulator/"), body)

    def get(self, path: str) -> Any:
        status, body = self.request("GET", path)
        assert status == 200, body
        return body

    def put(self, path: str, body: object) -> Any:
        status, answer = self.request("PUT", path, body)
        assert status == 200, answer
        return answer

    def post(self, path: str) -> Any:
        status, answer = self.request("POST", path, {})
        assert status == 200, answer
        return answer

    def requests(self) -> list[dict[str, Any]]:
        return list(self.client.requests()["requests"])


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    """An emulator with throw-away state that knows two accounts' keys."""
    with Emulator(state=":memory:", access_keys=[DEFAULT_KEY, OTHER_KEY]) as emu:
        yield emu


@pytest.fixture
def controls(emulator: Emulator) -> Controls:
    """The emulator's test controls."""
    return Controls(emulator.url)


@pytest.fixture
def webplus(emulator: Emulator) -> WebPlusClient:
    """A WebPlus client of the default account."""
    return WebPlusClient(make_config(emulator))


@pytest.fixture
def other_webplus(emulator: Emulator) -> WebPlusClient:
    """A WebPlus client of another account."""
    return WebPlusClient(make_config(emulator, OTHER_KEY))


@pytest.fixture
def servicecatalog(emulator: Emulator) -> ServiceCatalogClient:
    """A Service Catalog client of the default account, signing as the SDK does by default."""
    return ServiceCatalogClient(make_config(emulator))


@pytest.fixture
def other_servicecatalog(emulator: Emulator) -> ServiceCatalogClient:
    """A Service Catalog client of another account."""
    return ServiceCatalogClient(make_config(emulator, OTHER_KEY))
