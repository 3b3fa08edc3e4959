"""A release stack: one config value, `release`, names the WebPlus package version an
environment runs and the template (so the product version) a provisioned product runs; bumping
it builds both new versions, moves the environment and the provisioned product onto them in
place and only then deletes the old versions, in one `pulumi up`."""

import json

import pulumi

from alicloud_versions import servicecatalog, webplus

config = pulumi.Config()
release = config.require("release")
# Who may launch the product: a RAM user's id (on the emulator, the access key id it signs with).
principal = config.require("principal")
bucket = config.get("bucket") or "release-artifacts"
# The technology stack the environment runs on (WebPlus DescribeStacks).
stack_id = config.get("stackId") or "ws-5d1c0a5d913567334af00001"

app = webplus.Application("shop", app_name="shop", category_name="Java")
# Fixed resource names: a new `release` replaces each version rather than adding one beside it.
package = webplus.PkgVersion(
    "shop-package",
    app_id=app.app_id,
    package_source=f"oss://{bucket}/shop/shop-{release}.war",
    pkg_version_label=release,
    pkg_version_description=f"release {release}",
)
env = webplus.AppEnv(
    "shop-env",
    app_id=app.app_id,
    env_name="prod",
    stack_id=stack_id,
    pkg_version_id=package.pkg_version_id,
    env_description="production, running the current release",
)

template = servicecatalog.Template(
    "shop-stack",
    template_type="RosStandardTemplate",
    template_body=json.dumps(
        {
            "ROSTemplateFormatVersion": "2015-09-01",
            "Parameters": {"package_url": {"Type": "String"}},
            "Outputs": {"release": {"Value": release}},
        }
    ),
)
product = servicecatalog.Product("shop", product_name="shop", provider_name="platform-team")
version = servicecatalog.ProductVersion(
    "shop-version",
    product_id=product.product_id,
    product_version_name=release,
    template_type="RosStandardTemplate",
    template_url=template.template_url,
    description=pulumi.Output.concat("ships WebPlus package ", package.pkg_version_id),
    guidance="Recommended",
)
portfolio = servicecatalog.Portfolio("web", portfolio_name="web", provider_name="platform-team")
holds = servicecatalog.ProductPortfolioAssociation(
    "web-shop", product_id=product.product_id, portfolio_id=portfolio.portfolio_id
)
launcher = servicecatalog.PrincipalPortfolioAssociation(
    "web-launcher",
    principal_id=principal,
    principal_type="RamUser",
    portfolio_id=portfolio.portfolio_id,
)
launched = servicecatalog.ProvisionedProduct(
    "shop-provisioned",
    product_id=product.product_id,
    product_version_id=version.product_version_id,
    # Through the association, so the launch waits for the product to be in the portfolio.
    portfolio_id=holds.portfolio_id,
    provisioned_product_name="shop-prod",
    stack_region_id="cn-hangzhou",
    parameters={"package_url": f"oss://{bucket}/shop/shop-{release}.war"},
    opts=pulumi.ResourceOptions(depends_on=[launcher]),
)

pulumi.export("pkg_version_id", package.pkg_version_id)
pulumi.export("env_id", env.env_id)
pulumi.export("env_pkg_version_id", env.pkg_version_id)
pulumi.export("env_status", env.env_status)
pulumi.export("product_version_id", version.product_version_id)
pulumi.export("provisioned_product_id", launched.provisioned_product_id)
pulumi.export("provisioned_version_id", launched.product_version_id)
pulumi.export("provisioned_status", launched.status)
pulumi.export("provisioned_outputs", launched.outputs)
