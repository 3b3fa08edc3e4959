"""Service Catalog's answers: parse each request, call the models, render the records."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import Any

from ...errors import InvalidParameter, MissingParameter
from ...params import ActionRequest, drop_none, snake_case
from ...service import Inventory
from .api import ACTIONS, CHOICES, LENGTHS, PRODUCT_FILTERS, PROVISIONED_PRODUCT_FILTERS
from .models import ServiceCatalogBackend, VersionSpec
from .provisioning import ProvisioningBackend
from .render import (
    render_product,
    render_product_version,
    render_provisioned_product,
    render_template,
)


def _flat_list(params: Mapping[str, str], name: str) -> list[dict[str, str]]:
    """A list of structs parameter: `Name.N.Field` fields as the SDK flattens it into a form or
    query, or one `Name` field holding a JSON array, as a JSON body carries it."""
    pattern = re.compile(rf"^{re.escape(name)}\.(\d+)\.(\w+)$")
    items: dict[int, dict[str, str]] = {}
    for key, value in params.items():
        match = pattern.match(key)
        if match:
            items.setdefault(int(match.group(1)), {})[match.group(2)] = value
    if not items and name in params:
        try:
            parsed = json.loads(params[name])
        except json.JSONDecodeError as exc:
            raise InvalidParameter(name, "it must be a list of objects") from exc
        if not isinstance(parsed, list) or not all(isinstance(i, dict) for i in parsed):
            raise InvalidParameter(name, "it must be a list of objects")
        return [{k: str(v) for k, v in item.items()} for item in parsed]
    return [items[index] for index in sorted(items)]


def _filters(
    request: ActionRequest, keys: tuple[str, ...] = PRODUCT_FILTERS
) -> list[tuple[str, str]]:
    filters = []
    for n, item in enumerate(_flat_list(request.params, "Filters"), start=1):
        key, value = item.get("Key"), item.get("Value")
        if not key:
            raise MissingParameter(f"Filters.{n}.Key")
        request.choice(f"Filters.{n}.Key", key, keys)
        if not value:
            raise MissingParameter(f"Filters.{n}.Value")
        filters.append((key, value))
    return filters


class ServiceCatalogResponses:
    """Parses Service Catalog requests, calls the model and renders the answers."""

    def __init__(self, backend: ServiceCatalogBackend, provisioning: ProvisioningBackend) -> None:
        self.backend = backend
        self.provisioning = provisioning
        # One method per action, named after it (as moto does): ACTIONS lists them once.
        self.actions: dict[str, Callable[[ActionRequest], dict[str, Any]]] = {
            action: getattr(self, snake_case(action)) for action in ACTIONS
        }

    def dispatch(self, request: ActionRequest) -> dict[str, Any]:
        """Answer the action; RPC answers carry the RequestId next to the action's fields."""
        return {"RequestId": request.request_id, **self.actions[request.action](request)}

    def inventory(self) -> Inventory:
        """Every account's products, templates, product versions and provisioned products."""
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
        for row in self.provisioning.everything():
            accounts[row["account_id"]]["provisioned_products"].append(
                {
                    **render_provisioned_product(row),
                    "Parameters": json.loads(row["parameters"]),
                    "Tags": json.loads(row["tags"]),
                }
            )
        return accounts

    def create_product(self, request: ActionRequest) -> dict[str, Any]:
        """CreateProduct."""
        product_id, version_id = self.backend.create_product(
            account_id=request.account_id,
            region_id=request.region_id,
            product_name=_text(request, "ProductName"),
            product_type=_choice(request, "ProductType"),
            provider_name=_text(request, "ProviderName"),
            description=_length(request, "Description"),
            template_type=_optional_choice(request, "TemplateType"),
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
        _optional_choice(request, "SortBy")
        sort_order = _optional_choice(request, "SortOrder")
        rows, total = self.backend.list_products_as_admin(
            account_id=request.account_id,
            region_id=request.region_id,
            filters=_filters(request),
            scope=_optional_choice(request, "Scope") or "Local",
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
            product_name=_length(request, "ProductName"),
            provider_name=_length(request, "ProviderName"),
            description=_length(request, "Description"),
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
            template_type=_choice(request, "TemplateType"),
            template_body=_text(request, "TemplateBody"),
            terraform_variables=_flat_list(request.params, "TerraformVariables"),
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
            product_version_name=_text(request, "ProductVersionName"),
            description=_length(request, "Description"),
            guidance=_optional_choice(request, "Guidance"),
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

    def launch_product(self, request: ActionRequest) -> dict[str, Any]:
        """LaunchProduct (PortfolioId is kept, not checked: portfolios are not emulated)."""
        provisioned_product_id = self.provisioning.launch_product(
            account_id=request.account_id,
            region_id=request.region_id,
            principal_id=request.access_key_id,
            product_id=request.required("ProductId"),
            product_version_id=request.required("ProductVersionId"),
            provisioned_product_name=_text(request, "ProvisionedProductName"),
            stack_region_id=request.required("StackRegionId"),
            portfolio_id=request.optional("PortfolioId"),
            parameters=_flat_list(request.params, "Parameters"),
            tags=_flat_list(request.params, "Tags"),
        )
        return {"ProvisionedProductId": provisioned_product_id}

    def list_provisioned_products(self, request: ActionRequest) -> dict[str, Any]:
        """ListProvisionedProducts."""
        page = request.page()
        _optional_choice(request, "SortBy")
        sort_order = _optional_choice(request, "SortOrder")
        access = _optional_choice(request, "AccessLevelFilter")
        rows, total = self.provisioning.list_provisioned_products(
            account_id=request.account_id,
            region_id=request.region_id,
            principal_id=None if access == "Account" else request.access_key_id,
            filters=_filters(request, PROVISIONED_PRODUCT_FILTERS),
            ascending=sort_order == "Asc",
            page_number=page.number,
            page_size=page.size,
        )
        return page.answer(
            total, ProvisionedProductDetails=[render_provisioned_product(r) for r in rows]
        )

    def terminate_provisioned_product(self, request: ActionRequest) -> dict[str, Any]:
        """TerminateProvisionedProduct."""
        self.provisioning.terminate_provisioned_product(
            account_id=request.account_id,
            region_id=request.region_id,
            provisioned_product_id=request.required("ProvisionedProductId"),
        )
        return {}


def _text(request: ActionRequest, name: str) -> str:
    """A required parameter within its declared lengths."""
    value = request.required(name)
    request.length(name, value, *LENGTHS[name])
    return value


def _length(request: ActionRequest, name: str) -> str | None:
    """An optional parameter within its declared lengths."""
    return request.length(name, request.optional(name), *LENGTHS[name])


def _choice(request: ActionRequest, name: str) -> str:
    """A required parameter that is one of its declared values."""
    value = request.required(name)
    request.choice(name, value, CHOICES[name])
    return value


def _optional_choice(request: ActionRequest, name: str) -> str | None:
    """An optional parameter that, when sent, is one of its declared values."""
    return request.choice(name, request.optional(name), CHOICES[name])


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
        product_version_name=_text(scoped, "ProductVersionName"),
        template_type=_choice(scoped, "TemplateType"),
        template_url=_template_url(scoped),
        description=_length(scoped, "Description"),
        guidance=_optional_choice(scoped, "Guidance") or "Default",
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
