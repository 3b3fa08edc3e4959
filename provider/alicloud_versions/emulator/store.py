"""SQLite state of the emulated accounts, shared by the services and safe across threads."""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

# 2: app_envs and provisioned_products; CREATE IF NOT EXISTS brings a version 1 file up to it.
SCHEMA_VERSION = 2

# The store's own table; each service brings its own (`Service.tables`).
SCHEMA = """
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

# A table or column name, the only text `insert` builds SQL from.
_NAME = re.compile(r"^[a-z_]+$")


class Store:
    """One SQLite connection behind a lock: every transaction is serialized, so no write is lost."""

    def __init__(self, path: str = ":memory:", tables: Mapping[str, str] | None = None) -> None:
        self.path = path
        # Each table the services keep, with its DDL (CREATE ... IF NOT EXISTS).
        self.tables = tuple(tables or {})
        self._lock = threading.RLock()
        # The lock, not sqlite3's thread check, keeps the connection to one thread at a time.
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        if path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA + "".join((tables or {}).values()))
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
            for table in self.tables:
                db.execute(f"DELETE FROM {table}")

    def close(self) -> None:
        """Close the connection; the file keeps the state for the next emulator."""
        with self._lock:
            self._db.close()


def insert(db: sqlite3.Connection, table: str, record: Mapping[str, Any]) -> None:
    """Insert one row: the record's keys are the columns and the named parameters."""
    if not all(_NAME.match(name) for name in (table, *record)):
        raise ValueError(f"not a table and column names: {table!r}, {list(record)}")
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
