"""The resource core: what each resource kind is and does, over plain values, with no Pulumi.

`KINDS` lists every kind; both front doors (`alicloud_versions.dynamic`,
`alicloud_versions.plugin`), the `alicloud-versions` command and the generated code and docs
derive from it.
"""

from __future__ import annotations

from .appenv import AppEnvCore
from .lifecycle import ResourceCore
from .portfolio import (
    PortfolioCore,
    PrincipalPortfolioAssociationCore,
    ProductPortfolioAssociationCore,
)
from .provisioned import ProvisionedProductCore
from .servicecatalog import ProductCore, ProductVersionCore, TemplateCore
from .webplus import ApplicationCore, PkgVersionCore

__all__ = ["KINDS", "kind_named"]

KINDS: tuple[type[ResourceCore], ...] = (
    ApplicationCore,
    PkgVersionCore,
    AppEnvCore,
    TemplateCore,
    ProductCore,
    ProductVersionCore,
    PortfolioCore,
    ProductPortfolioAssociationCore,
    PrincipalPortfolioAssociationCore,
    ProvisionedProductCore,
)
"""Every resource kind, in the order the docs list them."""


def kind_named(type_: str) -> type[ResourceCore] | None:
    """The kind whose `TYPE` is `type_` (``webplus.Application``), None if there is none."""
    return next((k for k in KINDS if type_ == k.TYPE), None)
