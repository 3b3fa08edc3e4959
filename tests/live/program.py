"""The live suite's stack: one of each resource, every name carrying the run's prefix."""

from __future__ import annotations

import json

import pulumi

from alicloud_versions import servicecatalog, webplus

APP, PKG, TEMPLATE, PRODUCT, PV = "app", "pkg", "template", "product", "pv"
RESOURCES = 5
TEMPLATE_TYPE = "RosStandardTemplate"


def names(prefix: str) -> dict[str, str]:
    """The name each resource gets from the run's prefix (its label, for a package version)."""
    return {
        APP: f"{prefix}shop",
        PKG: f"{prefix}1.0",
        PRODUCT: f"{prefix}catalog",
        PV: f"{prefix}v1",
    }


def template_body(prefix: str) -> str:
    """A template that does nothing, its description naming the run (templates have no name)."""
    return json.dumps(
        {"ROSTemplateFormatVersion": "2015-09-01", "Description": prefix, "Resources": {}}
    )


def program() -> None:
    """Project config: ``prefix`` and ``package_source`` (required), ``pkg_description`` (a
    change replaces the package version, same label: deleted first) and ``guidance`` (a change
    updates the product version in place)."""
    config = pulumi.Config()
    prefix = config.require("prefix")
    named = names(prefix)
    app = webplus.Application(APP, app_name=named[APP], app_description="live suite")
    pkg = webplus.PkgVersion(
        PKG,
        app_id=app.app_id,
        package_source=config.require("package_source"),
        pkg_version_label=named[PKG],
        pkg_version_description=config.get("pkg_description") or "live suite",
    )
    template = servicecatalog.Template(
        TEMPLATE, template_type=TEMPLATE_TYPE, template_body=template_body(prefix)
    )
    product = servicecatalog.Product(
        PRODUCT, product_name=named[PRODUCT], provider_name="live-suite", description="live suite"
    )
    pv = servicecatalog.ProductVersion(
        PV,
        product_id=product.product_id,
        product_version_name=named[PV],
        template_type=TEMPLATE_TYPE,
        template_url=template.template_url,
        description="live suite",
        guidance=config.get("guidance") or "Recommended",
    )
    pulumi.export("app_id", app.app_id)
    pulumi.export("pkg_version_id", pkg.pkg_version_id)
    pulumi.export("template_url", template.template_url)
    pulumi.export("product_id", product.product_id)
    pulumi.export("product_version_id", pv.product_version_id)
