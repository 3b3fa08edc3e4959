"""A release stack of every resource kind, sized by stack config, for tests on the real engine.

Stack config (project namespace): ``pkgVersions`` package versions of one WebPlus application
and ``productVersions`` versions of one Service Catalog product sharing one template; with the
defaults that is 1 + 13 + 1 + 1 + 14 = 30 resources.
"""

from __future__ import annotations

import pulumi

from alicloud_versions import servicecatalog, webplus

PKG_VERSIONS = 13
PRODUCT_VERSIONS = 14
TEMPLATE_BODY = '{"ROSTemplateFormatVersion": "2015-09-01", "Resources": {}}'


def resource_count(
    pkg_versions: int = PKG_VERSIONS, product_versions: int = PRODUCT_VERSIONS
) -> int:
    """How many resources `declare` makes (application, product and template included)."""
    return 3 + pkg_versions + product_versions


def declare() -> None:
    """Declare the release stack; run as a Pulumi program."""
    config = pulumi.Config()
    pkg_versions = config.get_int("pkgVersions")
    product_versions = config.get_int("productVersions")
    pkg_versions = PKG_VERSIONS if pkg_versions is None else pkg_versions
    product_versions = PRODUCT_VERSIONS if product_versions is None else product_versions

    app = webplus.Application("app", app_name="release-app", app_description="reliability")
    for n in range(pkg_versions):
        webplus.PkgVersion(
            f"pkg-{n}",
            app_id=app.app_id,
            package_source=f"oss://release-artifacts/app-1.{n}.war",
            pkg_version_label=f"1.{n}",
        )

    product = servicecatalog.Product(
        "product", product_name="release-product", provider_name="reliability"
    )
    template = servicecatalog.Template(
        "template", template_type="RosStandardTemplate", template_body=TEMPLATE_BODY
    )
    for n in range(product_versions):
        servicecatalog.ProductVersion(
            f"pv-{n}",
            product_id=product.product_id,
            product_version_name=f"1.{n}",
            template_type="RosStandardTemplate",
            template_url=template.template_url,
        )
