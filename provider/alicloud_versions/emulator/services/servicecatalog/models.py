"""Service Catalog's state and behaviour: products, templates and product versions."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from ...errors import InvalidParameter
from ...params import now_iso, short_id
from ...store import Store, insert, page
from .errors import InvalidProductNotFound, InvalidProductVersionNotFound

# Where CreateTemplate keeps template bodies: the service's bucket of the region, readable
# only through the account that created each template, and only from that region.
TEMPLATE_BUCKETS = "oss://servicecatalog-"


def template_bucket(region_id: str) -> str:
    """The service's template bucket in `region_id`, as an oss:// prefix."""
    return f"{TEMPLATE_BUCKETS}{region_id}/"


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
    """The state and behaviour of products, templates and product versions, one method per
    API action."""

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
                _insert_version(db, account_id, region_id, product_id, version) if version else None
            )
        return product_id, version_id

    def get_product_as_admin(
        self, *, account_id: str, region_id: str, product_id: str
    ) -> sqlite3.Row:
        """One of the account's products."""
        with self.store.transaction() as db:
            return find_product(db, account_id, region_id, product_id)

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
            row = find_product(db, account_id, region_id, product_id)
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
            find_product(db, account_id, region_id, product_id)
            key = {"product_id": product_id}
            db.execute("DELETE FROM product_versions WHERE product_id = :product_id", key)
            db.execute("DELETE FROM portfolio_products WHERE product_id = :product_id", key)
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
            find_product(db, account_id, region_id, product_id)
            return _insert_version(db, account_id, region_id, product_id, version)

    def get_product_version(
        self, *, account_id: str, region_id: str, product_version_id: str
    ) -> sqlite3.Row:
        """One of the account's product versions."""
        with self.store.transaction() as db:
            return find_version(db, account_id, region_id, product_version_id)

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
            row = find_version(db, account_id, region_id, product_version_id)
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
            find_version(db, account_id, region_id, product_version_id)
            db.execute(
                "DELETE FROM product_versions WHERE product_version_id = :id",
                {"id": product_version_id},
            )

    def list_product_versions(
        self, *, account_id: str, region_id: str, product_id: str
    ) -> list[sqlite3.Row]:
        """Every version of one of the account's products, oldest first."""
        with self.store.transaction() as db:
            find_product(db, account_id, region_id, product_id)
            return db.execute(
                "SELECT * FROM product_versions WHERE product_id = :product_id"
                " ORDER BY create_time, rowid",
                {"product_id": product_id},
            ).fetchall()

    def everything(self) -> dict[str, list[sqlite3.Row]]:
        """Every account's products, templates and product versions, oldest first."""
        with self.store.transaction() as db:
            return {
                table: db.execute(f"SELECT * FROM {table} ORDER BY create_time, rowid").fetchall()
                for table in ("products", "templates", "product_versions")
            }


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


def find_product(
    db: sqlite3.Connection, account_id: str, region_id: str, product_id: str
) -> sqlite3.Row:
    """One of the account's products in the region; InvalidProduct.NotFound otherwise."""
    row: sqlite3.Row | None = db.execute(
        "SELECT * FROM products WHERE product_id = :id AND account_id = :account_id"
        " AND region_id = :region_id",
        {"id": product_id, "account_id": account_id, "region_id": region_id},
    ).fetchone()
    if row is None:
        raise InvalidProductNotFound(product_id)
    return row


def find_version(
    db: sqlite3.Connection, account_id: str, region_id: str, product_version_id: str
) -> sqlite3.Row:
    """One of the account's product versions in the region; not found otherwise."""
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
