"""Resources made through the official SDK clients, for tests that need some to exist: one
builder per action, shared by the emulator tests (and any test holding a client)."""

from __future__ import annotations

import json
from typing import Any

from alibabacloud_servicecatalog20210901 import models as sc
from alibabacloud_servicecatalog20210901.client import Client as ServiceCatalogClient
from alibabacloud_webplus20190320 import models as wp
from alibabacloud_webplus20190320.client import Client as WebPlusClient

TEMPLATE = json.dumps({"main.tf": 'resource "null_resource" "x" {}'})
"""A Terraform template body."""


# WebPlus ------------------------------------------------------------------------------------


def create_app(client: WebPlusClient, name: str = "shop") -> str:
    """Create an application and answer its id."""
    return str(
        client.create_application(
            wp.CreateApplicationRequest(app_name=name)
        ).body.application.app_id
    )


def create_pkg_version(
    client: WebPlusClient, app_id: str, label: str, source: str = "oss://my-bucket/builds/shop.war"
) -> wp.CreatePkgVersionResponseBodyPkgVersion:
    """Create a package version and answer it."""
    request = wp.CreatePkgVersionRequest(
        app_id=app_id, pkg_version_label=label, package_source=source, pkg_version_description="d"
    )
    return client.create_pkg_version(request).body.pkg_version


def describe_pkg_versions(
    client: WebPlusClient, app_id: str, **filters: object
) -> wp.DescribePkgVersionsResponseBody:
    """Describe an application's package versions."""
    return client.describe_pkg_versions(
        wp.DescribePkgVersionsRequest(app_id=app_id, **filters)
    ).body


# Service Catalog ----------------------------------------------------------------------------


def create_product(client: ServiceCatalogClient, name: str = "web") -> str:
    """Create a product and answer its id."""
    request = sc.CreateProductRequest(
        product_name=name, product_type="Ros", provider_name="platform"
    )
    return str(client.create_product(request).body.product_id)


def create_template(client: ServiceCatalogClient) -> str:
    """Create a Terraform template and answer its URL."""
    request = sc.CreateTemplateRequest(template_body=TEMPLATE, template_type="RosTerraformTemplate")
    return str(client.create_template(request).body.template_url)


def product_version_fields(client: ServiceCatalogClient, **overrides: Any) -> dict[str, Any]:
    """A valid CreateProductVersion request's fields (a new product and template), with
    overrides."""
    fields: dict[str, Any] = {
        "product_id": create_product(client),
        "product_version_name": "1.0",
        "template_type": "RosTerraformTemplate",
        "template_url": create_template(client),
    }
    fields.update(overrides)
    return fields


def create_product_version(client: ServiceCatalogClient, **overrides: Any) -> str:
    """Create a product version and answer its id."""
    request = sc.CreateProductVersionRequest(**product_version_fields(client, **overrides))
    return str(client.create_product_version(request).body.product_version_id)


def get_product_version(
    client: ServiceCatalogClient, version_id: str
) -> sc.GetProductVersionResponseBodyProductVersionDetail:
    """GetProductVersion's detail."""
    request = sc.GetProductVersionRequest(product_version_id=version_id)
    return client.get_product_version(request).body.product_version_detail


def grant_launch(client: ServiceCatalogClient, product_id: str, principal_id: str) -> str:
    """Make a portfolio holding the product and the RAM user `principal_id` (the emulator's
    principal of an access key is its id), so that the user may launch the product; answer
    the portfolio's id."""
    portfolio_id = str(
        client.create_portfolio(
            sc.CreatePortfolioRequest(portfolio_name="launch", provider_name="platform")
        ).body.portfolio_id
    )
    client.associate_product_with_portfolio(
        sc.AssociateProductWithPortfolioRequest(product_id=product_id, portfolio_id=portfolio_id)
    )
    client.associate_principal_with_portfolio(
        sc.AssociatePrincipalWithPortfolioRequest(
            portfolio_id=portfolio_id, principal_id=principal_id, principal_type="RamUser"
        )
    )
    return portfolio_id
