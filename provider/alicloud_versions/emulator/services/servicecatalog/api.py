"""What Service Catalog 2021-09-01 (RPC) takes: its actions and the limits of its parameters."""

from __future__ import annotations

VERSION = "2021-09-01"
# RPC: every action is at `/`, named by its signed Action parameter.
PREFIX = "/"

ACTIONS = (
    "CreateProduct",
    "GetProductAsAdmin",
    "ListProductsAsAdmin",
    "UpdateProduct",
    "DeleteProduct",
    "CreateTemplate",
    "CreateProductVersion",
    "GetProductVersion",
    "UpdateProductVersion",
    "DeleteProductVersion",
    "ListProductVersions",
    "CreatePortfolio",
    "GetPortfolio",
    "ListPortfolios",
    "UpdatePortfolio",
    "DeletePortfolio",
    "AssociateProductWithPortfolio",
    "DisassociateProductFromPortfolio",
    "AssociatePrincipalWithPortfolio",
    "DisassociatePrincipalFromPortfolio",
    "ListPrincipals",
    "LaunchProduct",
    "GetProvisionedProduct",
    "ListProvisionedProducts",
    "UpdateProvisionedProduct",
    "TerminateProvisionedProduct",
    "GetTask",
)

PRODUCT_TYPES = ("Ros",)
TEMPLATE_TYPES = ("RosTerraformTemplate", "RosStandardTemplate")
GUIDANCES = ("Default", "Recommended", "Latest", "Deprecated")
# ListProductsAsAdmin: ProductName matches the whole name, ignoring case; FullTextSearch matches
# part of the name, provider or description.
PRODUCT_FILTERS = ("ProductName", "FullTextSearch")
# Local: the account's own products. Import (shared from other accounts) is not emulated.
SCOPES = ("Local", "Import", "All")
SORT_ORDERS = ("Asc", "Desc")
# ListProvisionedProducts: ProvisionedProductName matches the whole name ignoring case,
# FullTextSearch part of it; User lists what the caller launched, Account the whole account's.
PROVISIONED_PRODUCT_FILTERS = ("ProvisionedProductName", "FullTextSearch")
ACCESS_LEVELS = ("User", "Account")
# ListPortfolios: PortfolioName matches the whole name ignoring case, FullTextSearch part of the
# name, provider or description (as ListProductsAsAdmin's filters).
PORTFOLIO_FILTERS = ("PortfolioName", "FullTextSearch")
# AssociatePrincipalWithPortfolio: a RAM user or a RAM role.
PRINCIPAL_TYPES = ("RamUser", "RamRole")

# The lengths and values each parameter takes, by API name (the API reference's constraints).
LENGTHS: dict[str, tuple[int, int]] = {
    "ProductName": (1, 128),
    "ProviderName": (1, 128),
    "Description": (1, 128),
    "ProductVersionName": (1, 128),
    "ProvisionedProductName": (1, 128),
    "PortfolioName": (1, 128),
    # CreateTemplate's limit: 512 KiB of template.
    "TemplateBody": (1, 524_288),
}
CHOICES: dict[str, tuple[str, ...]] = {
    "ProductType": PRODUCT_TYPES,
    "TemplateType": TEMPLATE_TYPES,
    "Guidance": GUIDANCES,
    "Scope": SCOPES,
    "SortBy": ("CreateTime",),
    "SortOrder": SORT_ORDERS,
    "AccessLevelFilter": ACCESS_LEVELS,
    "PrincipalType": PRINCIPAL_TYPES,
}
