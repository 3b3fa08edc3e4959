"""What a request's `Host` says: which region it names, and whether the emulator answers it."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .errors import ForbiddenHost, ForbiddenOrigin

# A host label that names a region, as in servicecatalog.cn-shanghai.aliyuncs.com or
# webplus.ap-southeast-1.aliyuncs.com: the real services learn the region from it.
_REGION_LABEL = re.compile(r"^(?:cn|ap|us|eu|me|na|sa|af|in)-[a-z]+(?:-[a-z0-9]+)*$")
# The real endpoints' domain: such a Host reaches the emulator only as a client's HTTP proxy, and
# no web page can make one of its names resolve to this machine.
_REAL_ENDPOINTS = ".aliyuncs.com"


@dataclass(frozen=True)
class OriginRule:
    """Which `Host` and `Origin` the emulator answers, on the API and the controls alike.

    A web page in a browser on this machine must not reach a running emulator, whose default key
    is published: a DNS-rebinding page sends its own name as `Host`, a page of another origin
    (another local port included) sends its `Origin`. So a request must name a loopback host
    (`localhost`, 127.0.0.0/8, `[::1]`, any port), a real endpoint (`*.aliyuncs.com`, the
    emulator as a proxy) or one of `allowed_hosts` (the name a container network gives it), and
    carry no `Origin` but its own `http://<Host>`.
    """

    allowed_hosts: frozenset[str] = frozenset()

    @classmethod
    def allowing(cls, names: Iterable[str]) -> OriginRule:
        """The rule that also answers these host names (a port given with one is ignored)."""
        allowed = frozenset(_host_name(name) for name in names)
        if "" in allowed:
            raise ValueError("an allowed host needs a name")
        return cls(allowed)

    def check(self, headers: Mapping[str, str]) -> None:
        """Raise ForbiddenHost or ForbiddenOrigin unless the request may be answered."""
        host = headers.get("host", "")
        name = _host_name(host)
        if not (
            is_loopback_host(host) or name in self.allowed_hosts or name.endswith(_REAL_ENDPOINTS)
        ):
            raise ForbiddenHost(host)
        origin = headers.get("origin")
        if origin is not None and origin.rstrip("/").lower() != f"http://{host.lower()}":
            raise ForbiddenOrigin(origin)


def host_region(host: str) -> str | None:
    """The region a `Host` header names, as the regional endpoints do
    (`servicecatalog.cn-shanghai.aliyuncs.com`): its first label that is a region id."""
    name = _host_name(host)
    return next((label for label in name.split(".") if _REGION_LABEL.match(label)), None)


def _host_name(host: str) -> str:
    """`host[:port]` or `[v6]:port` without the port, in lower case."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    return host.rpartition(":")[0] if host.count(":") == 1 else host


def is_loopback_host(host: str) -> bool:
    """Whether a `Host` header names this machine's loopback: localhost, 127.0.0.0/8, ::1."""
    name = _host_name(host)
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False
