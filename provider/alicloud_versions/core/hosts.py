"""Where signed requests go: regions and endpoints, each checked before any client exists.

The SDK puts a region into the host name it opens TLS to with the signed request, and an
endpoint names that host outright; so a region must be a region id, and an endpoint nothing
but ``[scheme://]host[:port]``.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from .errors import ConfigurationError
from .validate import region as region_rule

__all__ = ["REGION_PLACEHOLDER", "Endpoint", "checked_region"]

# In an endpoint's host, the region of the call (``servicecatalog.{region}.aliyuncs.com``).
REGION_PLACEHOLDER = "{region}"
# An endpoint's host[:port]: a name (its labels may hold the placeholder) or an IPv6 literal
# in brackets, then a port. Nothing else, so no user info, path or fragment moves the host.
_HOST_PORT = re.compile(r"(?:[A-Za-z0-9{}_.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")


def checked_region(region: str, origin: str) -> str:
    """`region` if it is a region id, else a `ConfigurationError` naming `origin`, the setting
    it came from: the SDK puts a region into the host it sends the signed request to."""
    problem = region_rule(region)
    if problem is not None:
        raise ConfigurationError(f"{origin} {problem}")
    return region


@dataclass(frozen=True)
class Endpoint:
    """Where a service's API answers: ``host[:port]`` and ``https`` or ``http``.

    The host may hold ``{region}``; `for_region` puts a call's region in its place.
    """

    host: str
    protocol: str = "https"

    @classmethod
    def parse(cls, text: str, origin: str = "endpoint") -> Endpoint:
        """``http://h:p`` -> (``h:p``, http); ``https://h`` or bare ``h`` -> (``h``, https).
        A refusal names `origin`, the setting `text` came from."""
        value = text.strip()
        protocol = "https"
        if "://" in value:
            scheme, _, value = value.partition("://")
            protocol = scheme.lower()
            if protocol not in ("http", "https"):
                raise ConfigurationError(
                    f"{origin} {text!r}: the scheme must be http or https, not {scheme!r}"
                )
        value = value.rstrip("/")
        if not _HOST_PORT.fullmatch(value):
            raise ConfigurationError(
                f"{origin} {text!r}: expected host[:port] or scheme://host[:port]"
            )
        rest = value.replace(REGION_PLACEHOLDER, "")
        if "{" in rest or "}" in rest:
            raise ConfigurationError(
                f"{origin} {text!r}: the only placeholder is {REGION_PLACEHOLDER}"
            )
        return cls(host=value, protocol=protocol)

    @property
    def loopback(self) -> bool:
        """Whether the host is this machine: ``localhost``, 127.0.0.0/8 or ``[::1]``."""
        name = urlsplit(f"//{self.host}").hostname or ""
        if name == "localhost":
            return True
        try:
            return ipaddress.ip_address(name).is_loopback
        except ValueError:
            return False

    def for_region(self, region: str) -> Endpoint:
        """This endpoint with ``{region}`` replaced by `region` (unchanged without one)."""
        if REGION_PLACEHOLDER not in self.host:
            return self
        problem = region_rule(region)
        if problem is not None:
            raise ConfigurationError(
                f"region {problem}, so it cannot name the endpoint {self.host!r}"
            )
        return replace(self, host=self.host.replace(REGION_PLACEHOLDER, region))
