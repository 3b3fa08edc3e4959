"""The emulated services, registered once: the server routes, checks and answers from this list.

Adding a service is adding its package here (a `Service` declaration with its routes or
actions, tables and responses); nothing else in the server names one.
"""

from __future__ import annotations

from ..service import Service
from .servicecatalog import SERVICE as SERVICECATALOG
from .webplus import SERVICE as WEBPLUS

SERVICES: tuple[Service, ...] = (WEBPLUS, SERVICECATALOG)
TABLES: dict[str, str] = {name: ddl for s in SERVICES for name, ddl in s.tables.items()}
"""Every service's tables, with their DDL, as the store is opened with them."""

# Answers the paths no service owns, as the gateway does: the RPC service at `/`.
_ROOT = next(s for s in SERVICES if s.prefix == "/")


def service_for(path: str) -> Service:
    """The service a request path belongs to: the one whose prefix of it is longest (WebPlus's
    `/pop/` before Service Catalog's `/`), else the one at `/`."""
    owners = [s for s in SERVICES if path.startswith(s.prefix)]
    return max(owners, key=lambda s: len(s.prefix), default=_ROOT)


__all__ = ["SERVICECATALOG", "SERVICES", "TABLES", "WEBPLUS", "service_for"]
