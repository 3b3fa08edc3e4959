"""Service Catalog's answers about launching: portfolios, their associations, provisioned products
and their tasks."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from ...params import ActionRequest
from ...service import Inventory
from .api import PORTFOLIO_FILTERS, PROVISIONED_PRODUCT_FILTERS
from .parse import choice, filters, flat_list, length, optional_choice, text
from .portfolios import PortfolioBackend
from .provisioning import ProvisioningBackend
from .render import render_portfolio, render_provisioned_product, render_task


class LaunchResponses:
    """Parses the launching actions' requests, calls the models and renders the answers.

    The caller's principal is the RAM user its access key belongs to, whose principal id the
    emulator takes to be the access key id (docs/emulator.md): LaunchProduct and
    UpdateProvisionedProduct go through a portfolio associated with it.
    """

    def __init__(self, portfolios: PortfolioBackend, provisioning: ProvisioningBackend) -> None:
        self.portfolios = portfolios
        self.provisioning = provisioning

    def inventory(self) -> Inventory:
        """Every account's portfolios, associations and provisioned products."""
        accounts: Inventory = defaultdict(lambda: defaultdict(list))
        rows = self.portfolios.everything()
        for row in rows["portfolios"]:
            accounts[row["account_id"]]["portfolios"].append(render_portfolio(row))
        for row in rows["portfolio_products"]:
            accounts[row["account_id"]]["portfolio_products"].append(
                {"PortfolioId": row["portfolio_id"], "ProductId": row["product_id"]}
            )
        for row in rows["portfolio_principals"]:
            accounts[row["account_id"]]["portfolio_principals"].append(
                {
                    "PortfolioId": row["portfolio_id"],
                    "PrincipalId": row["principal_id"],
                    "PrincipalType": row["principal_type"],
                }
            )
        for row in self.provisioning.everything():
            accounts[row["account_id"]]["provisioned_products"].append(
                {
                    **render_provisioned_product(row),
                    "Parameters": json.loads(row["parameters"]),
                    "Tags": json.loads(row["tags"]),
                    "Outputs": json.loads(row["outputs"]),
                }
            )
        return accounts

    # portfolios ----------------------------------------------------------------------------

    def create_portfolio(self, request: ActionRequest) -> dict[str, Any]:
        """CreatePortfolio."""
        portfolio_id = self.portfolios.create_portfolio(
            account_id=request.account_id,
            region_id=request.region_id,
            portfolio_name=text(request, "PortfolioName"),
            provider_name=text(request, "ProviderName"),
            description=length(request, "Description"),
        )
        return {"PortfolioId": portfolio_id}

    def get_portfolio(self, request: ActionRequest) -> dict[str, Any]:
        """GetPortfolio."""
        row = self.portfolios.get_portfolio(
            account_id=request.account_id,
            region_id=request.region_id,
            portfolio_id=request.required("PortfolioId"),
        )
        return {"PortfolioDetail": render_portfolio(row), "TagOptions": []}

    def list_portfolios(self, request: ActionRequest) -> dict[str, Any]:
        """ListPortfolios (Scope Import, portfolios shared from other accounts, lists none)."""
        page = request.page()
        optional_choice(request, "SortBy")
        sort_order = optional_choice(request, "SortOrder")
        scope = optional_choice(request, "Scope") or "Local"
        rows, total = self.portfolios.list_portfolios(
            account_id=request.account_id,
            region_id=request.region_id,
            filters=filters(request, PORTFOLIO_FILTERS),
            product_id=request.optional("ProductId"),
            ascending=sort_order == "Asc",
            page_number=page.number,
            page_size=page.size,
        )
        if scope == "Import":
            rows, total = [], 0
        return page.answer(total, PortfolioDetails=[render_portfolio(r) for r in rows])

    def update_portfolio(self, request: ActionRequest) -> dict[str, Any]:
        """UpdatePortfolio."""
        self.portfolios.update_portfolio(
            account_id=request.account_id,
            region_id=request.region_id,
            portfolio_id=request.required("PortfolioId"),
            portfolio_name=length(request, "PortfolioName"),
            provider_name=length(request, "ProviderName"),
            description=length(request, "Description"),
        )
        return {}

    def delete_portfolio(self, request: ActionRequest) -> dict[str, Any]:
        """DeletePortfolio."""
        self.portfolios.delete_portfolio(
            account_id=request.account_id,
            region_id=request.region_id,
            portfolio_id=request.required("PortfolioId"),
        )
        return {}

    def associate_product_with_portfolio(self, request: ActionRequest) -> dict[str, Any]:
        """AssociateProductWithPortfolio."""
        self.portfolios.associate_product_with_portfolio(
            account_id=request.account_id,
            region_id=request.region_id,
            product_id=request.required("ProductId"),
            portfolio_id=request.required("PortfolioId"),
        )
        return {}

    def disassociate_product_from_portfolio(self, request: ActionRequest) -> dict[str, Any]:
        """DisassociateProductFromPortfolio."""
        self.portfolios.disassociate_product_from_portfolio(
            account_id=request.account_id,
            region_id=request.region_id,
            product_id=request.required("ProductId"),
            portfolio_id=request.required("PortfolioId"),
        )
        return {}

    def associate_principal_with_portfolio(self, request: ActionRequest) -> dict[str, Any]:
        """AssociatePrincipalWithPortfolio."""
        self.portfolios.associate_principal_with_portfolio(
            account_id=request.account_id,
            region_id=request.region_id,
            portfolio_id=request.required("PortfolioId"),
            principal_id=request.required("PrincipalId"),
            principal_type=choice(request, "PrincipalType"),
        )
        return {}

    def disassociate_principal_from_portfolio(self, request: ActionRequest) -> dict[str, Any]:
        """DisassociatePrincipalFromPortfolio."""
        self.portfolios.disassociate_principal_from_portfolio(
            account_id=request.account_id,
            region_id=request.region_id,
            portfolio_id=request.required("PortfolioId"),
            principal_id=request.required("PrincipalId"),
            principal_type=choice(request, "PrincipalType"),
        )
        return {}

    def list_principals(self, request: ActionRequest) -> dict[str, Any]:
        """ListPrincipals."""
        rows = self.portfolios.list_principals(
            account_id=request.account_id,
            region_id=request.region_id,
            portfolio_id=request.required("PortfolioId"),
        )
        return {
            "Principals": [
                {"PrincipalId": r["principal_id"], "PrincipalType": r["principal_type"]}
                for r in rows
            ]
        }

    # provisioned products ------------------------------------------------------------------

    def launch_product(self, request: ActionRequest) -> dict[str, Any]:
        """LaunchProduct."""
        provisioned_product_id = self.provisioning.launch_product(
            account_id=request.account_id,
            region_id=request.region_id,
            principal_id=request.access_key_id,
            product_id=request.required("ProductId"),
            product_version_id=request.required("ProductVersionId"),
            provisioned_product_name=text(request, "ProvisionedProductName"),
            stack_region_id=request.required("StackRegionId"),
            portfolio_id=request.optional("PortfolioId"),
            parameters=flat_list(request.params, "Parameters"),
            tags=flat_list(request.params, "Tags"),
        )
        return {"ProvisionedProductId": provisioned_product_id}

    def get_provisioned_product(self, request: ActionRequest) -> dict[str, Any]:
        """GetProvisionedProduct."""
        row = self.provisioning.get_provisioned_product(
            account_id=request.account_id,
            region_id=request.region_id,
            provisioned_product_id=request.required("ProvisionedProductId"),
        )
        return {"ProvisionedProductDetail": render_provisioned_product(row)}

    def list_provisioned_products(self, request: ActionRequest) -> dict[str, Any]:
        """ListProvisionedProducts."""
        page = request.page()
        optional_choice(request, "SortBy")
        sort_order = optional_choice(request, "SortOrder")
        access = optional_choice(request, "AccessLevelFilter")
        rows, total = self.provisioning.list_provisioned_products(
            account_id=request.account_id,
            region_id=request.region_id,
            principal_id=None if access == "Account" else request.access_key_id,
            filters=filters(request, PROVISIONED_PRODUCT_FILTERS),
            ascending=sort_order == "Asc",
            page_number=page.number,
            page_size=page.size,
        )
        return page.answer(
            total, ProvisionedProductDetails=[render_provisioned_product(r) for r in rows]
        )

    def update_provisioned_product(self, request: ActionRequest) -> dict[str, Any]:
        """UpdateProvisionedProduct (Parameters or Tags left out keep their values)."""
        provisioned_product_id = request.required("ProvisionedProductId")
        parameters = flat_list(request.params, "Parameters")
        tags = flat_list(request.params, "Tags")
        self.provisioning.update_provisioned_product(
            account_id=request.account_id,
            region_id=request.region_id,
            principal_id=request.access_key_id,
            provisioned_product_id=provisioned_product_id,
            product_id=request.required("ProductId"),
            product_version_id=request.required("ProductVersionId"),
            portfolio_id=request.optional("PortfolioId"),
            parameters=parameters or None,
            tags=tags or None,
        )
        return {"ProvisionedProductId": provisioned_product_id}

    def terminate_provisioned_product(self, request: ActionRequest) -> dict[str, Any]:
        """TerminateProvisionedProduct."""
        self.provisioning.terminate_provisioned_product(
            account_id=request.account_id,
            region_id=request.region_id,
            provisioned_product_id=request.required("ProvisionedProductId"),
        )
        return {}

    def get_task(self, request: ActionRequest) -> dict[str, Any]:
        """GetTask (the last task of a provisioned product)."""
        row = self.provisioning.get_task(
            account_id=request.account_id,
            region_id=request.region_id,
            task_id=request.required("TaskId"),
        )
        return {"TaskDetail": render_task(row)}
