"""A do-nothing provider plugin, served as `alicloud-versions` is: the plugin's benchmark floor.

`benchnoop:index:Noop` holds `value` and sleeps `delay` seconds in create and delete, on a pool of
the plugin's size, to stand in for one API call.
"""

from __future__ import annotations

import asyncio
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.provider.experimental.provider import (
    CreateRequest,
    CreateResponse,
    DeleteRequest,
    Provider,
)
from pulumi.provider.experimental.server import main

from alicloud_versions.plugin import WORKERS


def _delay(props: dict[str, PropertyValue]) -> float:
    value = props.get("delay")
    return float(value.value) if value is not None and isinstance(value.value, float) else 0.0


class NoopPlugin(Provider):
    """Check, diff and read as the base class answers them; create and delete only sleep."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=WORKERS)

    async def create(self, request: CreateRequest) -> CreateResponse:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._pool, time.sleep, _delay(request.properties))
        return CreateResponse(uuid.uuid4().hex, request.properties)

    async def delete(self, request: DeleteRequest) -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._pool, time.sleep, _delay(request.properties))


if __name__ == "__main__":
    main(sys.argv[1:], "0.0.1", NoopPlugin())
