"""Service Catalog 2021-09-01 (RPC): products, templates, versions, provisioned products."""

from __future__ import annotations

from ...service import Service
from .api import ACTIONS, CHOICES, LENGTHS, PREFIX, VERSION
from .models import ServiceCatalogBackend
from .provisioning import ProvisioningBackend
from .responses import ServiceCatalogResponses
from .tables import TABLES

SERVICE = Service(
    name="servicecatalog",
    product="servicecatalog",
    version=VERSION,
    prefix=PREFIX,
    actions=ACTIONS,
    tables=TABLES,
    responses=lambda store, _faults: ServiceCatalogResponses(
        ServiceCatalogBackend(store), ProvisioningBackend(store)
    ),
    lengths=LENGTHS,
    choices=CHOICES,
)

__all__ = ["SERVICE"]
