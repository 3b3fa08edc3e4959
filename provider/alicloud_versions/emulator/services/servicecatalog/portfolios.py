"""Service Catalog's portfolios: the products they hold and the principals that may launch them."""

from __future__ import annotations

import sqlite3

from ...params import now_iso, short_id
from ...store import Store, insert, page
from .errors import InvalidPortfolioNotFound, NoPermissionLaunch
from .models import find_product


class PortfolioBackend:
    """The state and behaviour of portfolios and their associations, one method per API action."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def create_portfolio(
        self,
        *,
        account_id: str,
        region_id: str,
        portfolio_name: str,
        provider_name: str,
        description: str | None,
    ) -> str:
        """Create an empty portfolio."""
        portfolio_id = short_id("port")
        with self.store.transaction() as db:
            insert(
                db,
                "portfolios",
                {
                    "portfolio_id": portfolio_id,
                    "account_id": account_id,
                    "region_id": region_id,
                    "portfolio_name": portfolio_name,
                    "provider_name": provider_name,
                    "description": description,
                    "create_time": now_iso(),
                },
            )
        return portfolio_id

    def get_portfolio(self, *, account_id: str, region_id: str, portfolio_id: str) -> sqlite3.Row:
        """One of the account's portfolios."""
        with self.store.transaction() as db:
            return find_portfolio(db, account_id, region_id, portfolio_id)

    def list_portfolios(
        self,
        *,
        account_id: str,
        region_id: str,
        filters: list[tuple[str, str]],
        product_id: str | None,
        ascending: bool,
        page_number: int,
        page_size: int,
    ) -> tuple[list[sqlite3.Row], int]:
        """One page of the account's portfolios (only those holding `product_id`, when given)
        matching every filter, and how many match."""
        where = ["account_id = :account_id", "region_id = :region_id"]
        params: dict[str, str] = {"account_id": account_id, "region_id": region_id}
        if product_id is not None:
            params["product_id"] = product_id
            where.append(
                "portfolio_id IN (SELECT portfolio_id FROM portfolio_products"
                " WHERE product_id = :product_id)"
            )
        for n, (key, value) in enumerate(filters):
            params[f"filter{n}"] = value
            if key == "PortfolioName":
                where.append(f"lower(portfolio_name) = lower(:filter{n})")
            else:
                where.append(
                    f"(instr(lower(portfolio_name), lower(:filter{n})) > 0"
                    f" OR instr(lower(provider_name), lower(:filter{n})) > 0"
                    f" OR instr(lower(coalesce(description, '')), lower(:filter{n})) > 0)"
                )
        order = "ASC" if ascending else "DESC"
        with self.store.transaction() as db:
            return page(
                db,
                "SELECT * FROM portfolios",
                where,
                params,
                f"create_time {order}, rowid {order}",
                page_number,
                page_size,
            )

    def update_portfolio(
        self,
        *,
        account_id: str,
        region_id: str,
        portfolio_id: str,
        portfolio_name: str | None,
        provider_name: str | None,
        description: str | None,
    ) -> None:
        """Change the fields given of one of the account's portfolios; None leaves one alone."""
        with self.store.transaction() as db:
            row = find_portfolio(db, account_id, region_id, portfolio_id)
            db.execute(
                "UPDATE portfolios SET portfolio_name = :name, provider_name = :provider,"
                " description = :description WHERE portfolio_id = :id",
                {
                    "name": portfolio_name or row["portfolio_name"],
                    "provider": provider_name or row["provider_name"],
                    "description": description if description is not None else row["description"],
                    "id": portfolio_id,
                },
            )

    def delete_portfolio(self, *, account_id: str, region_id: str, portfolio_id: str) -> None:
        """Delete a portfolio and its associations (Choice: the reference documents no refusal
        of a portfolio that still holds products or principals)."""
        with self.store.transaction() as db:
            find_portfolio(db, account_id, region_id, portfolio_id)
            key = {"id": portfolio_id}
            for table in ("portfolio_products", "portfolio_principals", "portfolios"):
                db.execute(f"DELETE FROM {table} WHERE portfolio_id = :id", key)

    def associate_product_with_portfolio(
        self, *, account_id: str, region_id: str, product_id: str, portfolio_id: str
    ) -> None:
        """Add one of the account's products to one of its portfolios; again is no change."""
        with self.store.transaction() as db:
            find_portfolio(db, account_id, region_id, portfolio_id)
            find_product(db, account_id, region_id, product_id)
            db.execute(
                "INSERT OR IGNORE INTO portfolio_products"
                " (portfolio_id, product_id, account_id, create_time)"
                " VALUES (:portfolio_id, :product_id, :account_id, :now)",
                {
                    "portfolio_id": portfolio_id,
                    "product_id": product_id,
                    "account_id": account_id,
                    "now": now_iso(),
                },
            )

    def disassociate_product_from_portfolio(
        self, *, account_id: str, region_id: str, product_id: str, portfolio_id: str
    ) -> None:
        """Take a product out of a portfolio; one not in it is no change."""
        with self.store.transaction() as db:
            find_portfolio(db, account_id, region_id, portfolio_id)
            db.execute(
                "DELETE FROM portfolio_products WHERE portfolio_id = :portfolio_id"
                " AND product_id = :product_id",
                {"portfolio_id": portfolio_id, "product_id": product_id},
            )

    def associate_principal_with_portfolio(
        self,
        *,
        account_id: str,
        region_id: str,
        portfolio_id: str,
        principal_id: str,
        principal_type: str,
    ) -> None:
        """Let a RAM user or role launch the portfolio's products; again is no change. The
        principal is not looked up (Choice: the emulator has no RAM)."""
        with self.store.transaction() as db:
            find_portfolio(db, account_id, region_id, portfolio_id)
            db.execute(
                "INSERT OR IGNORE INTO portfolio_principals"
                " (portfolio_id, principal_id, principal_type, account_id, create_time)"
                " VALUES (:portfolio_id, :principal_id, :principal_type, :account_id, :now)",
                {
                    "portfolio_id": portfolio_id,
                    "principal_id": principal_id,
                    "principal_type": principal_type,
                    "account_id": account_id,
                    "now": now_iso(),
                },
            )

    def disassociate_principal_from_portfolio(
        self,
        *,
        account_id: str,
        region_id: str,
        portfolio_id: str,
        principal_id: str,
        principal_type: str,
    ) -> None:
        """Withdraw a principal's access to a portfolio; one without access is no change."""
        with self.store.transaction() as db:
            find_portfolio(db, account_id, region_id, portfolio_id)
            db.execute(
                "DELETE FROM portfolio_principals WHERE portfolio_id = :portfolio_id"
                " AND principal_id = :principal_id AND principal_type = :principal_type",
                {
                    "portfolio_id": portfolio_id,
                    "principal_id": principal_id,
                    "principal_type": principal_type,
                },
            )

    def list_principals(
        self, *, account_id: str, region_id: str, portfolio_id: str
    ) -> list[sqlite3.Row]:
        """The principals associated with one of the account's portfolios, oldest first."""
        with self.store.transaction() as db:
            find_portfolio(db, account_id, region_id, portfolio_id)
            return db.execute(
                "SELECT * FROM portfolio_principals WHERE portfolio_id = :id"
                " ORDER BY create_time, rowid",
                {"id": portfolio_id},
            ).fetchall()

    def everything(self) -> dict[str, list[sqlite3.Row]]:
        """Every account's portfolios and associations, oldest first."""
        with self.store.transaction() as db:
            return {
                table: db.execute(f"SELECT * FROM {table} ORDER BY create_time, rowid").fetchall()
                for table in ("portfolios", "portfolio_products", "portfolio_principals")
            }


def find_portfolio(
    db: sqlite3.Connection, account_id: str, region_id: str, portfolio_id: str
) -> sqlite3.Row:
    """One of the account's portfolios in the region; InvalidPortfolio.NotFound otherwise."""
    row: sqlite3.Row | None = db.execute(
        "SELECT * FROM portfolios WHERE portfolio_id = :id AND account_id = :account_id"
        " AND region_id = :region_id",
        {"id": portfolio_id, "account_id": account_id, "region_id": region_id},
    ).fetchone()
    if row is None:
        raise InvalidPortfolioNotFound(portfolio_id)
    return row


def launch_portfolio(
    db: sqlite3.Connection,
    account_id: str,
    region_id: str,
    product_id: str,
    portfolio_id: str | None,
    principal_id: str,
) -> str:
    """The portfolio a launch of `product_id` by the RAM user `principal_id` goes through: the
    one named, else the first (oldest) that holds the product and the principal, as a default
    launch option. NoPermission when the caller has no such access."""
    if portfolio_id is not None:
        find_portfolio(db, account_id, region_id, portfolio_id)
    row = db.execute(
        "SELECT p.portfolio_id FROM portfolios p"
        " JOIN portfolio_products pp ON pp.portfolio_id = p.portfolio_id"
        " JOIN portfolio_principals pr ON pr.portfolio_id = p.portfolio_id"
        " WHERE p.account_id = :account_id AND p.region_id = :region_id"
        " AND pp.product_id = :product_id AND pr.principal_id = :principal_id"
        " AND pr.principal_type = 'RamUser'"
        " AND (:portfolio_id IS NULL OR p.portfolio_id = :portfolio_id)"
        " ORDER BY p.create_time, p.rowid LIMIT 1",
        {
            "account_id": account_id,
            "region_id": region_id,
            "product_id": product_id,
            "principal_id": principal_id,
            "portfolio_id": portfolio_id,
        },
    ).fetchone()
    if row is None:
        raise NoPermissionLaunch(product_id, portfolio_id)
    return str(row["portfolio_id"])
