"""SQLite state of the emulated accounts, shared by both services and safe across threads."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

# 2: app_envs and provisioned_products; CREATE IF NOT EXISTS brings a version 1 file up to it.
SCHEMA_VERSION = 2

SCHEMA = """
CREATE TABLE IF NOT EXISTS applications (
    app_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    region_id TEXT NOT NULL,
    app_name TEXT NOT NULL,
    app_description TEXT,
    category_name TEXT,
    using_shared_storage INTEGER NOT NULL,
    create_username TEXT NOT NULL,
    create_time INTEGER NOT NULL,
    update_time INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS applications_account ON applications (account_id);

CREATE TABLE IF NOT EXISTS pkg_versions (
    pkg_version_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    app_id TEXT NOT NULL,
    region_id TEXT NOT NULL,
    pkg_version_label TEXT NOT NULL,
    pkg_version_description TEXT,
    submitted_package_source TEXT NOT NULL,
    package_source TEXT NOT NULL,
    package_etag TEXT NOT NULL,
    create_username TEXT NOT NULL,
    create_time INTEGER NOT NULL,
    update_time INTEGER NOT NULL,
    UNIQUE (app_id, pkg_version_label)
);
CREATE INDEX IF NOT EXISTS pkg_versions_account ON pkg_versions (account_id);

CREATE TABLE IF NOT EXISTS products (
    product_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    region_id TEXT NOT NULL,
    product_name TEXT NOT NULL,
    product_type TEXT NOT NULL,
    provider_name TEXT NOT NULL,
    description TEXT,
    template_type TEXT,
    create_time TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS products_account ON products (account_id);

CREATE TABLE IF NOT EXISTS templates (
    template_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    template_type TEXT NOT NULL,
    template_url TEXT NOT NULL UNIQUE,
    template_body TEXT NOT NULL,
    terraform_variables TEXT NOT NULL,
    create_time TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS templates_account ON templates (account_id);

CREATE TABLE IF NOT EXISTS product_versions (
    product_version_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    product_version_name TEXT NOT NULL,
    description TEXT,
    guidance TEXT NOT NULL,
    active INTEGER NOT NULL,
    template_type TEXT NOT NULL,
    template_url TEXT NOT NULL,
    create_time TEXT NOT NULL,
    update_time TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS product_versions_product ON product_versions (product_id);

CREATE TABLE IF NOT EXISTS app_envs (
    env_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    app_id TEXT NOT NULL,
    region_id TEXT NOT NULL,
    env_name TEXT,
    env_description TEXT,
    stack_id TEXT NOT NULL,
    -- What the environment runs: kept as it was deployed, even once the version is deleted.
    pkg_version_id TEXT NOT NULL,
    pkg_version_label TEXT NOT NULL,
    pkg_version_storage_key TEXT NOT NULL,
    env_status TEXT NOT NULL,
    last_env_status TEXT,
    latest_change_id TEXT NOT NULL,
    create_username TEXT NOT NULL,
    create_time INTEGER NOT NULL,
    update_time INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS app_envs_app ON app_envs (app_id);

CREATE TABLE IF NOT EXISTS provisioned_products (
    provisioned_product_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    region_id TEXT NOT NULL,
    owner_principal_id TEXT NOT NULL,
    provisioned_product_name TEXT NOT NULL,
    product_id TEXT NOT NULL,
    product_name TEXT NOT NULL,
    -- What the provisioned product uses: kept as launched, even once the version is deleted.
    product_version_id TEXT NOT NULL,
    product_version_name TEXT NOT NULL,
    portfolio_id TEXT,
    stack_id TEXT NOT NULL,
    stack_region_id TEXT NOT NULL,
    parameters TEXT NOT NULL,
    tags TEXT NOT NULL,
    last_task_id TEXT NOT NULL,
    create_time TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS provisioned_products_account ON provisioned_products (account_id);

-- Used signature nonces, kept until their request's timestamp is out of the accepted window, so
-- a captured request cannot be replayed even after the emulator restarts on the same state.
CREATE TABLE IF NOT EXISTS nonces (
    access_key_id TEXT NOT NULL,
    nonce TEXT NOT NULL,
    expires_at REAL NOT NULL,
    PRIMARY KEY (access_key_id, nonce)
);
CREATE INDEX IF NOT EXISTS nonces_expiry ON nonces (expires_at);
"""

# Expired nonces are deleted in one sweep at most this often, not on every request.
_NONCE_PURGE_SECONDS = 60.0

TABLES = (
    "applications",
    "pkg_versions",
    "app_envs",
    "products",
    "templates",
    "product_versions",
    "provisioned_products",
)


class Store:
    """One SQLite connection behind a lock: every transaction is serialized, so no write is lost."""

    def __init__(self, path: str = ":memory:") -> None:
        self.path = path
        self._lock = threading.RLock()
        # The lock, not sqlite3's thread check, keeps the connection to one thread at a time.
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        if path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)
        self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        self._next_nonce_purge = 0.0

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Hold the store for one atomic unit of work; roll back if it raises."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def use_nonce(self, access_key_id: str, nonce: str, expires_at: float) -> bool:
        """Record a signature nonce until `expires_at`; False when it is already recorded."""
        now = time.time()
        with self.transaction() as db:
            if now >= self._next_nonce_purge:
                db.execute("DELETE FROM nonces WHERE expires_at < :now", {"now": now})
                self._next_nonce_purge = now + _NONCE_PURGE_SECONDS
            # One statement: a new nonce is inserted, an expired one not yet purged is renewed,
            # a live one changes nothing (rowcount 0).
            inserted = db.execute(
                "INSERT INTO nonces (access_key_id, nonce, expires_at)"
                " VALUES (:access_key_id, :nonce, :expires_at)"
                " ON CONFLICT (access_key_id, nonce) DO UPDATE SET expires_at = :expires_at"
                " WHERE nonces.expires_at < :now",
                {
                    "access_key_id": access_key_id,
                    "nonce": nonce,
                    "expires_at": expires_at,
                    "now": now,
                },
            )
            return inserted.rowcount == 1

    def reset(self) -> None:
        """Delete every resource of every account (used nonces stay used)."""
        with self.transaction() as db:
            for table in TABLES:
                db.execute(f"DELETE FROM {table}")

    def close(self) -> None:
        """Close the connection; the file keeps the state for the next emulator."""
        with self._lock:
            self._db.close()


def insert(db: sqlite3.Connection, table: str, record: Mapping[str, Any]) -> None:
    """Insert one row: the record's keys are the columns and the named parameters."""
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}")
    columns = ", ".join(record)
    values = ", ".join(f":{column}" for column in record)
    db.execute(f"INSERT INTO {table} ({columns}) VALUES ({values})", dict(record))


def page(
    db: sqlite3.Connection,
    select: str,
    where: Sequence[str],
    params: Mapping[str, Any],
    order: str,
    number: int,
    size: int,
) -> tuple[list[sqlite3.Row], int]:
    """Page `number` (from 1) of `size` rows matching every condition, and how many match."""
    clause = " AND ".join(where) or "1"
    (total,) = db.execute(f"SELECT count(*) FROM ({select} WHERE {clause})", params).fetchone()
    rows = db.execute(
        f"{select} WHERE {clause} ORDER BY {order} LIMIT :page_limit OFFSET :page_offset",
        {**params, "page_limit": size, "page_offset": (number - 1) * size},
    ).fetchall()
    return rows, int(total)
