"""Service Catalog's answers: parse each request, call the models, render the records."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from ...errors import InvalidParameter
from ...params import ActionRequest, drop_none, snake_case
from ...service import Inventory
from .api import ACTIONS
from .launching import LaunchResponses
from .models import ServiceCatalogBackend, VersionSpec
from .parse import choice, filters, flat_list, length, optional_choice, text
from .render import render_product, render_product_version, render_template


class ServiceCatalogResponses:
    """Parses Service Catalog requests, calls the model and renders the answers."""

    def __init__(self, backend: ServiceCatalogBackend, launching: LaunchResponses) -> None:
        self.backend = backend
        self.launching = launching
        # One method per action, named after it (as moto does): ACTIONS lists them once; the
        # portfolios' and provisioned products' are `launching`'s.
        self.actions: dict[str, Callable[[ActionRequest], dict[str, Any]]] = {
            action: getattr(self, snake_case(action), None)
            or getattr(launching, snake_case(action))
            for action in ACTIONS
        }

    def dispatch(self, request: ActionRequest) -> dict[str, Any]:
        """Answer the action; RPC answers carry the RequestId next to the action's fields."""
        return {"RequestId": request.request_id, **self.actions[request.action](request)}

    def inventory(self) -> Inventory:
        """Every account's products, templates, product versions, portfolios, their associations
        and provisioned products."""
        accounts: Inventory = defaultdict(lambda: defaultdict(list))
        rows = self.backend.everything()
        for row in rows["products"]:
            accounts[row["account_id"]]["products"].append(render_product(row))
        for row in rows["templates"]:
            accounts[row["account_id"]]["templates"].append(render_template(row))
        for row in rows["product_versions"]:
            accounts[row["account_id"]]["product_versions"].append(
                {**render_product_version(row), "UpdateTime": row["update_time"]}
            )
        for account_id, holdings in self.launching.inventory().items():
            for table, records in holdings.items():
                accounts[account_id][table].extend(records)
        return accounts

    def create_product(self, request: ActionRequest) -> dict[str, Any]:
        """CreateProduct."""
        product_id, version_id = self.backend.create_product(
            account_id=request.account_id,
            region_id=request.region_id,
            product_name=text(request, "ProductName"),
            product_type=choice(request, "ProductType"),
            provider_name=text(request, "ProviderName"),
            description=length(request, "Description"),
            template_type=optional_choice(request, "TemplateType"),
            version=_version_parameters(request),
        )
        return drop_none({"ProductId": product_id, "ProductVersionId": version_id})

    def get_product_as_admin(self, request: ActionRequest) -> dict[str, Any]:
        """GetProductAsAdmin."""
        row = self.backend.get_product_as_admin(
            account_id=request.account_id,
            region_id=request.region_id,
            product_id=request.required("ProductId"),
        )
        return {"ProductDetail": render_product(row), "TagOptions": []}

    def list_products_as_admin(self, request: ActionRequest) -> dict[str, Any]:
        """ListProductsAsAdmin."""
        page = request.page()
        optional_choice(request, "SortBy")
        sort_order = optional_choice(request, "SortOrder")
        rows, total = self.backend.list_products_as_admin(
            account_id=request.account_id,
            region_id=request.region_id,
            filters=filters(request),
            scope=optional_choice(request, "Scope") or "Local",
            portfolio_id=request.optional("PortfolioId"),
            ascending=sort_order == "Asc",
            page_number=page.number,
            page_size=page.size,
        )
        return page.answer(total, ProductDetails=[render_product(r) for r in rows])

    def update_product(self, request: ActionRequest) -> dict[str, Any]:
        """UpdateProduct."""
        self.backend.update_product(
            account_id=request.account_id,
            region_id=request.region_id,
            product_id=request.required("ProductId"),
            product_name=length(request, "ProductName"),
            provider_name=length(request, "ProviderName"),
            description=length(request, "Description"),
        )
        return {}

    def delete_product(self, request: ActionRequest) -> dict[str, Any]:
        """DeleteProduct."""
        self.backend.delete_product(
            account_id=request.account_id,
            region_id=request.region_id,
            product_id=request.required("ProductId"),
        )
        return {}

    def create_template(self, request: ActionRequest) -> dict[str, Any]:
        """CreateTemplate."""
        template_url = self.backend.create_template(
            account_id=request.account_id,
            region_id=request.region_id,
            template_type=choice(request, "TemplateType"),
            template_body=text(request, "TemplateBody"),
            terraform_variables=flat_list(request.params, "TerraformVariables"),
        )
        return {"TemplateUrl": template_url}

    def create_product_version(self, request: ActionRequest) -> dict[str, Any]:
        """CreateProductVersion."""
        product_id = request.required("ProductId")
        version = _version_spec(request, request.params)
        product_version_id = self.backend.create_product_version(
            account_id=request.account_id,
            region_id=request.region_id,
            product_id=product_id,
            version=version,
        )
        return {"ProductVersionId": product_version_id}

    def get_product_version(self, request: ActionRequest) -> dict[str, Any]:
        """GetProductVersion."""
        row = self.backend.get_product_version(
            account_id=request.account_id,
            region_id=request.region_id,
            product_version_id=request.required("ProductVersionId"),
        )
        return {"ProductVersionDetail": render_product_version(row)}

    def update_product_version(self, request: ActionRequest) -> dict[str, Any]:
        """UpdateProductVersion."""
        product_version_id = request.required("ProductVersionId")
        self.backend.update_product_version(
            account_id=request.account_id,
            region_id=request.region_id,
            product_version_id=product_version_id,
            product_version_name=text(request, "ProductVersionName"),
            description=length(request, "Description"),
            guidance=optional_choice(request, "Guidance"),
            active=request.boolean("Active"),
        )
        return {"ProductVersionId": product_version_id}

    def delete_product_version(self, request: ActionRequest) -> dict[str, Any]:
        """DeleteProductVersion."""
        self.backend.delete_product_version(
            account_id=request.account_id,
            region_id=request.region_id,
            product_version_id=request.required("ProductVersionId"),
        )
        return {}

    def list_product_versions(self, request: ActionRequest) -> dict[str, Any]:
        """ListProductVersions."""
        rows = self.backend.list_product_versions(
            account_id=request.account_id,
            region_id=request.region_id,
            product_id=request.required("ProductId"),
        )
        return {"ProductVersionDetails": [render_product_version(r) for r in rows]}


def _version_spec(request: ActionRequest, fields: dict[str, str] | Any) -> VersionSpec:
    """Validate a product version's fields as CreateProductVersion documents them."""
    scoped = ActionRequest(
        request.action,
        fields,
        request.account_id,
        request.access_key_id,
        request.request_id,
        request.region_id,
    )
    return VersionSpec(
        product_version_name=text(scoped, "ProductVersionName"),
        template_type=choice(scoped, "TemplateType"),
        template_url=_template_url(scoped),
        description=length(scoped, "Description"),
        guidance=optional_choice(scoped, "Guidance") or "Default",
        active=True if (active := scoped.boolean("Active")) is None else active,
    )


def _template_url(request: ActionRequest) -> str:
    value = request.required("TemplateUrl")
    if not value.startswith("oss://") or "/" not in value[len("oss://") :]:
        raise InvalidParameter("TemplateUrl", "it must be an oss://bucket/object URL")
    return value


def _version_parameters(request: ActionRequest) -> VersionSpec | None:
    raw = request.optional("ProductVersionParameters")
    if raw is None:
        return None
    try:
        fields = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InvalidParameter("ProductVersionParameters", "it must be a JSON object") from exc
    if not isinstance(fields, dict):
        raise InvalidParameter("ProductVersionParameters", "it must be a JSON object")
    # JSON carries booleans and numbers; the field checks expect the strings a form would carry.
    as_form = {k: (json.dumps(v) if isinstance(v, bool) else str(v)) for k, v in fields.items()}
    return _version_spec(request, as_form)
