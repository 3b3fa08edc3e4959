"""Quickstart: a WebPlus application with two package versions, and a Service Catalog product
whose two versions ship them, each input fed from another resource's output."""

import json

import pulumi

from alicloud_versions import servicecatalog, webplus

config = pulumi.Config()
bucket = config.get("bucket") or "quickstart-artifacts"
release = config.get("release") or "1.5"

app = webplus.Application(
    "shop", app_name="shop", app_description="Quickstart web shop", category_name="Java"
)


def package(label: str) -> webplus.PkgVersion:
    return webplus.PkgVersion(
        f"shop-{label}",
        app_id=app.app_id,
        package_source=app.app_name.apply(lambda name: f"oss://{bucket}/{name}/{name}-{label}.war"),
        pkg_version_label=label,
        pkg_version_description=f"release {label}",
    )


stable, latest = package("1.4"), package(release)

template = servicecatalog.Template(
    "shop-stack",
    template_type="RosTerraformTemplate",
    template_body=json.dumps(
        {
            "ROSTemplateFormatVersion": "2015-09-01",
            "Workspace": {"main.tf": 'variable "package_url" { type = string }\n'},
        }
    ),
)
product = servicecatalog.Product(
    "shop", product_name="shop", provider_name="platform-team", description="The web shop"
)


def product_version(
    name: str, pkg: webplus.PkgVersion, guidance: str
) -> servicecatalog.ProductVersion:
    return servicecatalog.ProductVersion(
        f"shop-{name}",
        product_id=product.product_id,
        product_version_name=name,
        template_type="RosTerraformTemplate",
        template_url=template.template_url,
        description=pulumi.Output.concat("ships WebPlus package ", pkg.pkg_version_id),
        guidance=guidance,
        active=True,
    )


pulumi.export("app_id", app.app_id)
pulumi.export("pkg_version_ids", [stable.pkg_version_id, latest.pkg_version_id])
pulumi.export("product_id", product.product_id)
pulumi.export("template_url", template.template_url)
pulumi.export(
    "product_version_ids",
    [
        product_version("1.4", stable, "Default").product_version_id,
        product_version(release, latest, "Recommended").product_version_id,
    ],
)
