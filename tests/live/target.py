"""Where the live suite runs: real Alibaba Cloud, or the emulator with its controls off, told
apart by nothing but the environment its processes get."""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

LIVE = "ALICLOUD_VERSIONS_LIVE"
"""Set to 1 (``make test-live``) to run the suite against real Alibaba Cloud."""
PACKAGE = "ALICLOUD_VERSIONS_LIVE_PACKAGE"
"""An OSS object (``oss://bucket/object``) WebPlus can read, for the package versions."""
KEY_ID, KEY_SECRET, TOKEN = (
    "ALIBABA_CLOUD_ACCESS_KEY_ID",
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    "ALIBABA_CLOUD_SECURITY_TOKEN",
)
REGIONS = ("ALIBABA_CLOUD_REGION_ID", "ALICLOUD_REGION")
ENDPOINT = "ALICLOUD_VERSIONS_ENDPOINT"


def live_requested(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether this run is against real Alibaba Cloud."""
    return environ.get(LIVE, "") == "1"


def missing_for_live(environ: Mapping[str, str] = os.environ) -> list[str]:
    """What a live run needs from the environment and lacks, each said as how to give it."""
    missing = [f"{var} (the access key)" for var in (KEY_ID, KEY_SECRET) if not environ.get(var)]
    if not any(environ.get(var) for var in REGIONS):
        missing.append(f"{' or '.join(REGIONS)} (the region, such as cn-hangzhou)")
    package = environ.get(PACKAGE, "")
    if not re.fullmatch(r"oss://[^/\s]+/\S+", package):
        missing.append(f"{PACKAGE} (an existing OSS object, oss://bucket/object)")
    return missing


class CallLog:
    """The API calls the suite itself makes, by action, counted on the client side."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()


class Counted:
    """An official SDK client whose every API method call is counted in a `CallLog` under its
    action (``update_product_version`` -> ``UpdateProductVersion``)."""

    def __init__(self, client: Any, log: CallLog) -> None:
        self._client, self._log = client, log

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._client, name)
        if not callable(method) or name.startswith("_"):
            return method

        def counted(*args: Any, **kwargs: Any) -> Any:
            action = "".join(
                part.capitalize() for part in name.removesuffix("_with_options").split("_")
            )
            self._log.calls[action] += 1
            return method(*args, **kwargs)

        return counted


@dataclass(frozen=True)
class Target:
    """An account in one region, reached with an access key, perhaps at an endpoint."""

    description: str
    region: str
    package_source: str
    access_key_id: str
    access_key_secret: str = field(repr=False)
    security_token: str | None = field(default=None, repr=False)
    endpoint: str | None = None
    """``http://host:port`` of both services, or None for the real regional endpoints."""

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> Target:
        """Real Alibaba Cloud, as the environment describes it (`missing_for_live` is empty)."""
        region = next(environ[var] for var in REGIONS if environ.get(var))
        endpoint = environ.get(ENDPOINT) or None
        return cls(
            f"Alibaba Cloud, {region}" + (f", endpoint {endpoint}" if endpoint else ""),
            region,
            environ[PACKAGE],
            environ[KEY_ID],
            environ[KEY_SECRET],
            environ.get(TOKEN) or None,
            endpoint,
        )

    def env(self) -> dict[str, str]:
        """The environment the engine, the providers and the plugin get: the settings'
        environment variables (`alicloud_versions.core.config`), nothing else."""
        found = {
            KEY_ID: self.access_key_id,
            KEY_SECRET: self.access_key_secret,
            TOKEN: self.security_token or "",
            # ALICLOUD_REGION is read first, so both are set.
            **dict.fromkeys(REGIONS, self.region),
        }
        if self.endpoint is not None:
            found[ENDPOINT] = self.endpoint
        return found

    def client(self, service: str, log: CallLog) -> Counted:
        """The official SDK client of ``webplus`` or ``servicecatalog``, counted in `log`."""
        from alibabacloud_tea_openapi.models import Config

        config = Config(
            access_key_id=self.access_key_id,
            access_key_secret=self.access_key_secret,
            security_token=self.security_token,
            region_id=self.region,
        )
        if self.endpoint is not None:
            scheme, _, host = self.endpoint.rpartition("://")
            config.endpoint, config.protocol = host, scheme or "https"
        if service == "webplus":
            from alibabacloud_webplus20190320.client import Client as WebPlus

            return Counted(WebPlus(config), log)
        from alibabacloud_servicecatalog20210901.client import Client as ServiceCatalog

        return Counted(ServiceCatalog(config), log)
