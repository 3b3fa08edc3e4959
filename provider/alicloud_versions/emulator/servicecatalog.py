"""Service Catalog 2021-09-01 (RPC): products, templates, versions, provisioned products."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import (
    InvalidParameter,
    InvalidProductNotFound,
    InvalidProductVersionNotFound,
    InvalidProvisionedProductNotFound,
    MissingParameter,
)
from .params import ActionRequest, now_iso, request_id, short_id, snake_case
from .store import Store, insert, page

SERVICE = "servicecatalog"
VERSION = "2021-09-01"
# Where CreateTemplate keeps template bodies: the service's bucket of the region, readable
# only through the account that created each template, and only from that region.
TEMPLATE_BUCKETS = "oss://servicecatalog-"


def template_bucket(region_id: str) -> str:
    """The service's template bucket in `region_id`, as an oss:// prefix."""
    return f"{TEMPLATE_BUCKETS}{region_id}/"


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
    "LaunchProduct",
    "ListProvisionedProducts",
    "TerminateProvisionedProduct",
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


@dataclass(frozen=True)
class VersionSpec:
    """The validated fields of a product version to create."""

    product_version_name: str
    template_type: str
    template_url: str
    description: str | None
    guidance: str
    active: bool


class ServiceCatalogBackend:
    """The state and behaviour of Service Catalog, one method per API action."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def create_product(
        self,
        *,
        account_id: str,
        region_id: str,
        product_name: str,
        product_type: str,
        provider_name: str,
        description: str | None,
        template_type: str | None,
        version: VersionSpec | None,
    ) -> tuple[str, str | None]:
        """Create a product and, when its parameters are given, its first version."""
        product_id = short_id("prod")
        with self.store.transaction() as db:
            insert(
                db,
                "products",
                {
                    "product_id": product_id,
                    "account_id": account_id,
                    "region_id": region_id,
                    "product_name": product_name,
                    "product_type": product_type,
                    "provider_name": provider_name,
                    "description": description,
                    "template_type": template_type,
                    "create_time": now_iso(),
                },
            )
            version_id = (
                self._insert_version(db, account_id, region_id, product_id, version)
                if version
                else None
            )
        return product_id, version_id

    def get_product_as_admin(
        self, *, account_id: str, region_id: str, product_id: str
    ) -> sqlite3.Row:
        """One of the account's products."""
        with self.store.transaction() as db:
            return self._product(db, account_id, region_id, product_id)

    def list_products_as_admin(
        self,
        *,
        account_id: str,
        region_id: str,
        filters: list[tuple[str, str]],
        scope: str,
        portfolio_id: str | None,
        ascending: bool,
        page_number: int,
        page_size: int,
    ) -> tuple[list[sqlite3.Row], int]:
        """One page of the account's products matching every filter, and how many match."""
        if scope == "Import" or portfolio_id is not None:
            # No product is ever shared into an account, and portfolios are not emulated.
            return [], 0
        where = ["account_id = :account_id", "region_id = :region_id"]
        params = {"account_id": account_id, "region_id": region_id}
        for n, (key, value) in enumerate(filters):
            params[f"filter{n}"] = value
            if key == "ProductName":
                where.append(f"lower(product_name) = lower(:filter{n})")
            else:
                where.append(
                    f"(instr(lower(product_name), lower(:filter{n})) > 0"
                    f" OR instr(lower(provider_name), lower(:filter{n})) > 0"
                    f" OR instr(lower(coalesce(description, '')), lower(:filter{n})) > 0)"
                )
        order = "ASC" if ascending else "DESC"
        with self.store.transaction() as db:
            return page(
                db,
                "SELECT * FROM products",
                where,
                params,
                f"create_time {order}, rowid {order}",
                page_number,
                page_size,
            )

    def update_product(
        self,
        *,
        account_id: str,
        region_id: str,
        product_id: str,
        product_name: str | None,
        provider_name: str | None,
        description: str | None,
    ) -> None:
        """Change the fields given of one of the account's products; None leaves one as it is."""
        with self.store.transaction() as db:
            row = self._product(db, account_id, region_id, product_id)
            db.execute(
                "UPDATE products SET product_name = :product_name,"
                " provider_name = :provider_name, description = :description"
                " WHERE product_id = :product_id",
                {
                    "product_name": product_name or row["product_name"],
                    "provider_name": provider_name or row["provider_name"],
                    "description": description if description is not None else row["description"],
                    "product_id": product_id,
                },
            )

    def delete_product(self, *, account_id: str, region_id: str, product_id: str) -> None:
        """Delete a product together with its versions."""
        with self.store.transaction() as db:
            self._product(db, account_id, region_id, product_id)
            key = {"product_id": product_id}
            db.execute("DELETE FROM product_versions WHERE product_id = :product_id", key)
            db.execute("DELETE FROM products WHERE product_id = :product_id", key)

    def create_template(
        self,
        *,
        account_id: str,
        region_id: str,
        template_type: str,
        template_body: str,
        terraform_variables: list[dict[str, str]],
    ) -> str:
        """Store a template body and answer the oss:// URL product versions refer to it by."""
        template_id = short_id("tpl")
        kind = "terraform" if template_type == "RosTerraformTemplate" else "ros"
        template_url = (
            f"{template_bucket(region_id)}{account_id}/{kind}/template/{template_id}/template.json"
        )
        with self.store.transaction() as db:
            insert(
                db,
                "templates",
                {
                    "template_id": template_id,
                    "account_id": account_id,
                    "template_type": template_type,
                    "template_url": template_url,
                    "template_body": template_body,
                    "terraform_variables": json.dumps(terraform_variables, sort_keys=True),
                    "create_time": now_iso(),
                },
            )
        return template_url

    def create_product_version(
        self, *, account_id: str, region_id: str, product_id: str, version: VersionSpec
    ) -> str:
        """Add a version to one of the account's products."""
        with self.store.transaction() as db:
            self._product(db, account_id, region_id, product_id)
            return self._insert_version(db, account_id, region_id, product_id, version)

    def get_product_version(
        self, *, account_id: str, region_id: str, product_version_id: str
    ) -> sqlite3.Row:
        """One of the account's product versions."""
        with self.store.transaction() as db:
            return self._version(db, account_id, region_id, product_version_id)

    def update_product_version(
        self,
        *,
        account_id: str,
        region_id: str,
        product_version_id: str,
        product_version_name: str,
        description: str | None,
        guidance: str | None,
        active: bool | None,
    ) -> None:
        """Change a product version's name and, where given, its description, guidance and state."""
        with self.store.transaction() as db:
            row = self._version(db, account_id, region_id, product_version_id)
            db.execute(
                "UPDATE product_versions SET product_version_name = :name,"
                " description = :description, guidance = :guidance, active = :active,"
                " update_time = :now WHERE product_version_id = :product_version_id",
                {
                    "name": product_version_name,
                    "description": description if description is not None else row["description"],
                    "guidance": guidance if guidance is not None else row["guidance"],
                    "active": int(active) if active is not None else row["active"],
                    "now": now_iso(),
                    "product_version_id": product_version_id,
                },
            )

    def delete_product_version(
        self, *, account_id: str, region_id: str, product_version_id: str
    ) -> None:
        """Delete one of the account's product versions.

        A provisioned product using it does not stop the delete (Choice: DeleteProductVersion
        documents no such refusal); the provisioned product keeps naming its version.
        """
        with self.store.transaction() as db:
            self._version(db, account_id, region_id, product_version_id)
            db.execute(
                "DELETE FROM product_versions WHERE product_version_id = :id",
                {"id": product_version_id},
            )

    def list_product_versions(
        self, *, account_id: str, region_id: str, product_id: str
    ) -> list[sqlite3.Row]:
        """Every version of one of the account's products, oldest first."""
        with self.store.transaction() as db:
            self._product(db, account_id, region_id, product_id)
            return db.execute(
                "SELECT * FROM product_versions WHERE product_id = :product_id"
                " ORDER BY create_time, rowid",
                {"product_id": product_id},
            ).fetchall()

    def launch_product(
        self,
        *,
        account_id: str,
        region_id: str,
        principal_id: str,
        product_id: str,
        product_version_id: str,
        provisioned_product_name: str,
        stack_region_id: str,
        portfolio_id: str | None,
        parameters: list[dict[str, str]],
        tags: list[dict[str, str]],
    ) -> str:
        """Launch a version of one of the account's products; it is Available at once (Choice:
        the real launch is a task that runs an ROS stack)."""
        provisioned_product_id = short_id("pp")
        with self.store.transaction() as db:
            product = self._product(db, account_id, region_id, product_id)
            version = self._version(db, account_id, region_id, product_version_id)
            if version["product_id"] != product_id:
                raise InvalidProductVersionNotFound(product_version_id)
            insert(
                db,
                "provisioned_products",
                {
                    "provisioned_product_id": provisioned_product_id,
                    "account_id": account_id,
                    "region_id": region_id,
                    "owner_principal_id": principal_id,
                    "provisioned_product_name": provisioned_product_name,
                    "product_id": product_id,
                    "product_name": product["product_name"],
                    "product_version_id": product_version_id,
                    "product_version_name": version["product_version_name"],
                    "portfolio_id": portfolio_id,
                    "stack_id": request_id().lower(),
                    "stack_region_id": stack_region_id,
                    "parameters": json.dumps(parameters, sort_keys=True),
                    "tags": json.dumps(tags, sort_keys=True),
                    "last_task_id": short_id("task"),
                    "create_time": now_iso(),
                },
            )
        return provisioned_product_id

    def list_provisioned_products(
        self,
        *,
        account_id: str,
        region_id: str,
        principal_id: str | None,
        filters: list[tuple[str, str]],
        ascending: bool,
        page_number: int,
        page_size: int,
    ) -> tuple[list[sqlite3.Row], int]:
        """One page of the account's provisioned products (only `principal_id`'s when given)
        matching every filter, and how many match."""
        where = ["account_id = :account_id", "region_id = :region_id"]
        params = {"account_id": account_id, "region_id": region_id, "principal": principal_id}
        if principal_id is not None:
            where.append("owner_principal_id = :principal")
        for n, (key, value) in enumerate(filters):
            params[f"filter{n}"] = value
            if key == "ProvisionedProductName":
                where.append(f"lower(provisioned_product_name) = lower(:filter{n})")
            else:
                where.append(f"instr(lower(provisioned_product_name), lower(:filter{n})) > 0")
        order = "ASC" if ascending else "DESC"
        with self.store.transaction() as db:
            return page(
                db,
                "SELECT * FROM provisioned_products",
                where,
                params,
                f"create_time {order}, rowid {order}",
                page_number,
                page_size,
            )

    def terminate_provisioned_product(
        self, *, account_id: str, region_id: str, provisioned_product_id: str
    ) -> None:
        """Terminate one of the account's provisioned products; it is gone at once (Choice:
        the real termination is a task that deletes the ROS stack)."""
        with self.store.transaction() as db:
            deleted = db.execute(
                "DELETE FROM provisioned_products WHERE provisioned_product_id = :id"
                " AND account_id = :account_id AND region_id = :region_id",
                {"id": provisioned_product_id, "account_id": account_id, "region_id": region_id},
            )
            if deleted.rowcount != 1:
                raise InvalidProvisionedProductNotFound(provisioned_product_id)

    def inventory(self) -> dict[str, dict[str, list[dict[str, Any]]]]:
        """Every account's products, templates, product versions and provisioned products."""
        accounts: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        with self.store.transaction() as db:
            for row in db.execute("SELECT * FROM products ORDER BY create_time, rowid"):
                accounts[row["account_id"]]["products"].append(render_product(row))
            for row in db.execute("SELECT * FROM templates ORDER BY create_time, rowid"):
                accounts[row["account_id"]]["templates"].append(render_template(row))
            for row in db.execute("SELECT * FROM product_versions ORDER BY create_time, rowid"):
                accounts[row["account_id"]]["product_versions"].append(
                    {**render_product_version(row), "UpdateTime": row["update_time"]}
                )
            for row in db.execute("SELECT * FROM provisioned_products ORDER BY create_time, rowid"):
                accounts[row["account_id"]]["provisioned_products"].append(
                    {
                        **render_provisioned_product(row),
                        "Parameters": json.loads(row["parameters"]),
                        "Tags": json.loads(row["tags"]),
                    }
                )
        return accounts

    @staticmethod
    def _insert_version(
        db: sqlite3.Connection,
        account_id: str,
        region_id: str,
        product_id: str,
        version: VersionSpec,
    ) -> str:
        if version.template_url.startswith(TEMPLATE_BUCKETS):
            owned = db.execute(
                "SELECT 1 FROM templates WHERE template_url = :url AND account_id = :account_id",
                {"url": version.template_url, "account_id": account_id},
            ).fetchone()
            # Another account's template, or another region's, answers exactly like one that
            # was never created.
            if owned is None or not version.template_url.startswith(template_bucket(region_id)):
                raise InvalidParameter("TemplateUrl", "the template does not exist")
        product_version_id = short_id("pv")
        now = now_iso()
        insert(
            db,
            "product_versions",
            {
                "product_version_id": product_version_id,
                "account_id": account_id,
                "product_id": product_id,
                "product_version_name": version.product_version_name,
                "description": version.description,
                "guidance": version.guidance,
                "active": int(version.active),
                "template_type": version.template_type,
                "template_url": version.template_url,
                "create_time": now,
                "update_time": now,
            },
        )
        return product_version_id

    @staticmethod
    def _product(
        db: sqlite3.Connection, account_id: str, region_id: str, product_id: str
    ) -> sqlite3.Row:
        row: sqlite3.Row | None = db.execute(
            "SELECT * FROM products WHERE product_id = :id AND account_id = :account_id"
            " AND region_id = :region_id",
            {"id": product_id, "account_id": account_id, "region_id": region_id},
        ).fetchone()
        if row is None:
            raise InvalidProductNotFound(product_id)
        return row

    @staticmethod
    def _version(
        db: sqlite3.Connection, account_id: str, region_id: str, product_version_id: str
    ) -> sqlite3.Row:
        # A version lives in its product's region.
        row: sqlite3.Row | None = db.execute(
            "SELECT v.* FROM product_versions v JOIN products p USING (product_id)"
            " WHERE v.product_version_id = :id AND v.account_id = :account_id"
            " AND p.region_id = :region_id",
            {"id": product_version_id, "account_id": account_id, "region_id": region_id},
        ).fetchone()
        if row is None:
            raise InvalidProductVersionNotFound(product_version_id)
        return row


def _drop_none(record: dict[str, Any]) -> dict[str, Any]:
    # Alibaba Cloud leaves unset fields out of its answers rather than sending null.
    return {k: v for k, v in record.items() if v is not None}


def render_product(row: sqlite3.Row) -> dict[str, Any]:
    """A product as GetProductAsAdmin answers it in ProductDetail."""
    return _drop_none(
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
    return _drop_none(
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
    """A provisioned product as ListProvisionedProducts answers it."""
    return _drop_none(
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
            "Status": "Available",
            "LastTaskId": row["last_task_id"],
            "LastProvisioningTaskId": row["last_task_id"],
            "LastSuccessfulProvisioningTaskId": row["last_task_id"],
            "CreateTime": row["create_time"],
        }
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

    def __init__(self, backend: ServiceCatalogBackend) -> None:
        self.backend = backend
        # One method per action, named after it (as moto does): ACTIONS lists them once.
        self.actions: dict[str, Callable[[ActionRequest], dict[str, Any]]] = {
            action: getattr(self, snake_case(action)) for action in ACTIONS
        }

    def dispatch(self, request: ActionRequest) -> dict[str, Any]:
        """Answer the action; RPC answers carry the RequestId next to the action's fields."""
        return {"RequestId": request.request_id, **self.actions[request.action](request)}

    def create_product(self, request: ActionRequest) -> dict[str, Any]:
        """CreateProduct."""
        product_id, version_id = self.backend.create_product(
            account_id=request.account_id,
            region_id=request.region_id,
            product_name=_name(request, "ProductName"),
            product_type=_choice(request, "ProductType", PRODUCT_TYPES),
            provider_name=_name(request, "ProviderName"),
            description=request.length("Description", request.optional("Description"), 1, 128),
            template_type=request.choice(
                "TemplateType", request.optional("TemplateType"), TEMPLATE_TYPES
            ),
            version=_version_parameters(request),
        )
        return _drop_none({"ProductId": product_id, "ProductVersionId": version_id})

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
        request.choice("SortBy", request.optional("SortBy"), ("CreateTime",))
        sort_order = request.choice("SortOrder", request.optional("SortOrder"), SORT_ORDERS)
        rows, total = self.backend.list_products_as_admin(
            account_id=request.account_id,
            region_id=request.region_id,
            filters=_filters(request),
            scope=request.choice("Scope", request.optional("Scope"), SCOPES) or "Local",
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
            product_name=request.length("ProductName", request.optional("ProductName"), 1, 128),
            provider_name=request.length("ProviderName", request.optional("ProviderName"), 1, 128),
            description=request.length("Description", request.optional("Description"), 1, 128),
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
            template_type=_choice(request, "TemplateType", TEMPLATE_TYPES),
            template_body=request.required("TemplateBody"),
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
            product_version_name=_name(request, "ProductVersionName"),
            description=request.length("Description", request.optional("Description"), 1, 128),
            guidance=request.choice("Guidance", request.optional("Guidance"), GUIDANCES),
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
        provisioned_product_id = self.backend.launch_product(
            account_id=request.account_id,
            region_id=request.region_id,
            principal_id=request.access_key_id,
            product_id=request.required("ProductId"),
            product_version_id=request.required("ProductVersionId"),
            provisioned_product_name=_name(request, "ProvisionedProductName"),
            stack_region_id=request.required("StackRegionId"),
            portfolio_id=request.optional("PortfolioId"),
            parameters=_flat_list(request.params, "Parameters"),
            tags=_flat_list(request.params, "Tags"),
        )
        return {"ProvisionedProductId": provisioned_product_id}

    def list_provisioned_products(self, request: ActionRequest) -> dict[str, Any]:
        """ListProvisionedProducts."""
        page = request.page()
        request.choice("SortBy", request.optional("SortBy"), ("CreateTime",))
        sort_order = request.choice("SortOrder", request.optional("SortOrder"), SORT_ORDERS)
        access = request.choice(
            "AccessLevelFilter", request.optional("AccessLevelFilter"), ACCESS_LEVELS
        )
        rows, total = self.backend.list_provisioned_products(
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
        self.backend.terminate_provisioned_product(
            account_id=request.account_id,
            region_id=request.region_id,
            provisioned_product_id=request.required("ProvisionedProductId"),
        )
        return {}


def _name(request: ActionRequest, name: str) -> str:
    value = request.required(name)
    request.length(name, value, 1, 128)
    return value


def _choice(request: ActionRequest, name: str, allowed: tuple[str, ...]) -> str:
    value = request.required(name)
    request.choice(name, value, allowed)
    return value


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
        product_version_name=_name(scoped, "ProductVersionName"),
        template_type=_choice(scoped, "TemplateType", TEMPLATE_TYPES),
        template_url=_template_url(scoped),
        description=scoped.length("Description", scoped.optional("Description"), 1, 128),
        guidance=scoped.choice("Guidance", scoped.optional("Guidance"), GUIDANCES) or "Default",
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
