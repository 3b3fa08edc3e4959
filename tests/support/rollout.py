"""The rollout programs of the end-to-end and reliability tests: a portfolio the account's RAM
user may launch from and a provisioned product running a product version, in Python (the dynamic
front door) and in YAML (the plugin)."""

from __future__ import annotations

PASSWORD = "rollout-secret-7d1c"

# The program: a template whose `kind` output the config `kind` sets (a change replaces the
# template, hence the product version), a portfolio the account's RAM user may launch from, and
# the provisioned product running the version with a secret parameter.
PYTHON = """
import json

import pulumi

from alicloud_versions import servicecatalog

config = pulumi.Config()
body = json.dumps({
    "ROSTemplateFormatVersion": "2015-09-01",
    "Parameters": {"password": {"Type": "String"}},
    "Outputs": {"kind": {"Value": config.get("kind") or "web"}},
})
template = servicecatalog.Template(
    "template", template_type="RosStandardTemplate", template_body=body
)
product = servicecatalog.Product("product", product_name="shop", provider_name="team")
version = servicecatalog.ProductVersion(
    "version",
    product_id=product.product_id,
    product_version_name="release",
    template_type="RosStandardTemplate",
    template_url=template.template_url,
)
portfolio = servicecatalog.Portfolio("portfolio", portfolio_name="web", provider_name="team")
holds = servicecatalog.ProductPortfolioAssociation(
    "holds", product_id=product.product_id, portfolio_id=portfolio.portfolio_id
)
launcher = servicecatalog.PrincipalPortfolioAssociation(
    "launcher",
    principal_id=config.require("principal"),
    principal_type="RamUser",
    portfolio_id=portfolio.portfolio_id,
)
shop = servicecatalog.ProvisionedProduct(
    "shop",
    product_id=product.product_id,
    product_version_id=version.product_version_id,
    portfolio_id=holds.portfolio_id,
    provisioned_product_name="shop-prod",
    stack_region_id="cn-hangzhou",
    parameters={"password": config.require_secret("password")},
    tags={"team": "web"},
    opts=pulumi.ResourceOptions(depends_on=[launcher]),
)
pulumi.export("pp_id", shop.provisioned_product_id)
pulumi.export("version_id", shop.product_version_id)
pulumi.export("status", shop.status)
pulumi.export("outputs", shop.outputs)
"""

YAML = """
name: alicloud-versions-yaml
runtime: yaml
config:
  kind:
    type: string
    default: web
  principal:
    type: string
  password:
    type: string
    secret: true
resources:
  template:
    type: alicloud-versions:servicecatalog:Template
    properties:
      templateType: RosStandardTemplate
      templateBody:
        fn::toJSON:
          ROSTemplateFormatVersion: "2015-09-01"
          Parameters:
            password:
              Type: String
          Outputs:
            kind:
              Value: ${kind}
  product:
    type: alicloud-versions:servicecatalog:Product
    properties:
      productName: shop
      providerName: team
  version:
    type: alicloud-versions:servicecatalog:ProductVersion
    properties:
      productId: ${product.productId}
      productVersionName: release
      templateType: RosStandardTemplate
      templateUrl: ${template.templateUrl}
  portfolio:
    type: alicloud-versions:servicecatalog:Portfolio
    properties:
      portfolioName: web
      providerName: team
  holds:
    type: alicloud-versions:servicecatalog:ProductPortfolioAssociation
    properties:
      productId: ${product.productId}
      portfolioId: ${portfolio.portfolioId}
  launcher:
    type: alicloud-versions:servicecatalog:PrincipalPortfolioAssociation
    properties:
      principalId: ${principal}
      principalType: RamUser
      portfolioId: ${portfolio.portfolioId}
  shop:
    type: alicloud-versions:servicecatalog:ProvisionedProduct
    properties:
      productId: ${product.productId}
      productVersionId: ${version.productVersionId}
      portfolioId: ${holds.portfolioId}
      provisionedProductName: shop-prod
      stackRegionId: cn-hangzhou
      parameters:
        password: ${password}
      tags:
        team: web
    options:
      dependsOn:
        - ${launcher}
outputs:
  pp_id: ${shop.provisionedProductId}
  version_id: ${shop.productVersionId}
  status: ${shop.status}
  outputs: ${shop.outputs}
"""
