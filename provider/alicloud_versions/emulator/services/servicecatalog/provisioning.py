"""Service Catalog's provisioned products: launched versions, as delete-safety asks about them."""

from __future__ import annotations

import json
import sqlite3

from ...params import now_iso, request_id, short_id
from ...store import Store, insert, page
from .errors import InvalidProductVersionNotFound, InvalidProvisionedProductNotFound
from .models import find_product, find_version


class ProvisioningBackend:
    """The state and behaviour of provisioned products, one method per API action."""

    def __init__(self, store: Store) -> None:
        self.store = store

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
            product = find_product(db, account_id, region_id, product_id)
            version = find_version(db, account_id, region_id, product_version_id)
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

    def everything(self) -> list[sqlite3.Row]:
        """Every account's provisioned products, oldest first."""
        with self.store.transaction() as db:
            return db.execute(
                "SELECT * FROM provisioned_products ORDER BY create_time, rowid"
            ).fetchall()
