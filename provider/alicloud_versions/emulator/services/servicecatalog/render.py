"""Service Catalog's records as its answers (and the inventory) show them."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from ...params import drop_none
from .provisioning import AVAILABLE, shown_task_id, status_of


def render_product(row: sqlite3.Row) -> dict[str, Any]:
    """A product as GetProductAsAdmin answers it in ProductDetail."""
    return drop_none(
        {
            "ProductId": row["product_id"],
            "ProductName": row["product_name"],
            "ProductType": row["product_type"],
            "ProviderName": row["provider_name"],
            "Description": row["description"],
            "TemplateType": row["template_type"],
            "ProductArn": (
                f"acs:servicecatalog:{row['region_id']}:{row['account_id']}"
                f":product/{row['product_id']}"
            ),
            "CreateTime": row["create_time"],
        }
    )


def render_template(row: sqlite3.Row) -> dict[str, Any]:
    """A stored template, for the inventory (the API has no read operation for templates)."""
    return {
        "TemplateId": row["template_id"],
        "TemplateType": row["template_type"],
        "TemplateUrl": row["template_url"],
        "TemplateBody": row["template_body"],
        "TerraformVariables": json.loads(row["terraform_variables"]),
        "CreateTime": row["create_time"],
    }


def render_product_version(row: sqlite3.Row) -> dict[str, Any]:
    """A product version as GetProductVersion and ListProductVersions answer it."""
    return drop_none(
        {
            "ProductVersionId": row["product_version_id"],
            "ProductVersionName": row["product_version_name"],
            "ProductId": row["product_id"],
            "Description": row["description"],
            "Guidance": row["guidance"],
            "Active": bool(row["active"]),
            "TemplateType": row["template_type"],
            "TemplateUrl": row["template_url"],
            "CreateTime": row["create_time"],
        }
    )


def render_provisioned_product(row: sqlite3.Row) -> dict[str, Any]:
    """A provisioned product as GetProvisionedProduct and ListProvisionedProducts answer it,
    its status as of now (`provisioning.status_of`)."""
    status, message = status_of(row)
    return drop_none(
        {
            "ProvisionedProductId": row["provisioned_product_id"],
            "ProvisionedProductName": row["provisioned_product_name"],
            "ProvisionedProductType": "RosStack",
            "ProvisionedProductArn": (
                f"acs:servicecatalog:{row['region_id']}:{row['account_id']}"
                f":provisionedproduct/{row['provisioned_product_id']}"
            ),
            "ProductId": row["product_id"],
            "ProductName": row["product_name"],
            "ProductVersionId": row["product_version_id"],
            "ProductVersionName": row["product_version_name"],
            "PortfolioId": row["portfolio_id"],
            "OwnerPrincipalId": row["owner_principal_id"],
            "OwnerPrincipalType": "RamUser",
            "StackId": row["stack_id"],
            "StackRegionId": row["stack_region_id"],
            "Status": status,
            "StatusMessage": message,
            "LastTaskId": shown_task_id(row),
            "LastProvisioningTaskId": shown_task_id(row),
            "LastSuccessfulProvisioningTaskId": (
                shown_task_id(row) if status == AVAILABLE else row["last_successful_task_id"]
            ),
            "CreateTime": row["create_time"],
        }
    )


def render_portfolio(row: sqlite3.Row) -> dict[str, Any]:
    """A portfolio as GetPortfolio and ListPortfolios answer it."""
    return drop_none(
        {
            "PortfolioId": row["portfolio_id"],
            "PortfolioName": row["portfolio_name"],
            "ProviderName": row["provider_name"],
            "Description": row["description"],
            "PortfolioArn": (
                f"acs:servicecatalog:{row['region_id']}:{row['account_id']}"
                f":portfolio/{row['portfolio_id']}"
            ),
            "CreateTime": row["create_time"],
        }
    )


def render_task(row: sqlite3.Row) -> dict[str, Any]:
    """A provisioned product's last task as GetTask answers it in TaskDetail: its parameters,
    tags and the stack's outputs."""
    status, message = status_of(row)
    return drop_none(
        {
            "TaskId": row["last_task_id"],
            "TaskType": row["task_action"],
            "Status": {"Available": "Succeeded", "Error": "Failed", "Terminated": "Succeeded"}.get(
                status, "InProgress"
            ),
            "StatusMessage": message,
            "ProvisionedProductId": row["provisioned_product_id"],
            "ProvisionedProductName": row["provisioned_product_name"],
            "ProductId": row["product_id"],
            "ProductName": row["product_name"],
            "ProductVersionId": row["product_version_id"],
            "ProductVersionName": row["product_version_name"],
            "PortfolioId": row["portfolio_id"],
            "Parameters": json.loads(row["parameters"]),
            "TaskTags": json.loads(row["tags"]),
            "Outputs": json.loads(row["outputs"]),
            "CreateTime": row["create_time"],
        }
    )
