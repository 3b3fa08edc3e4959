"""WebPlus 2019-03-20 (ROA): applications, package versions, environments."""

from __future__ import annotations

from ...service import Service
from .api import CHOICES, LENGTHS, PREFIX, ROUTES, VERSION
from .models import WebPlusBackend
from .responses import WebPlusResponses
from .tables import TABLES

SERVICE = Service(
    name="webplus",
    product="WebPlus",
    version=VERSION,
    prefix=PREFIX,
    actions=tuple(ROUTES.values()),
    tables=TABLES,
    responses=lambda store, faults: WebPlusResponses(WebPlusBackend(store, faults)),
    routes=ROUTES,
    lengths=LENGTHS,
    choices=CHOICES,
)

__all__ = ["SERVICE"]
