"""WebPlus's tables in the shared store."""

from __future__ import annotations

import sqlite3

# Each table's DDL; the store creates them (if absent) and the inventory lists them in order.
TABLES = {
    "applications": """
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
""",
    "pkg_versions": """
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
""",
    "app_envs": """
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
    -- The change under way (`transitions.Transition`): its action, start on the services'
    -- clock, settle time and whether it ends in failure; NULL once it has settled (`_settle`).
    change_action TEXT,
    change_started REAL,
    change_settle_s REAL,
    change_fails INTEGER,
    change_applying INTEGER NOT NULL DEFAULT 0,
    -- For change_lag_s after a change starts, reads still show the change before it
    -- (`FaultConfig.task_lag_s`): its id, and last_env_status as the status.
    prev_change_id TEXT,
    change_lag_s REAL NOT NULL DEFAULT 0,
    create_username TEXT NOT NULL,
    create_time INTEGER NOT NULL,
    update_time INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS app_envs_app ON app_envs (app_id);
""",
}


# Columns app_envs gained with the lag fault, each with the value an older state file's rows
# take: no lag.
LAG_COLUMNS = {"prev_change_id": "TEXT", "change_lag_s": "REAL NOT NULL DEFAULT 0"}


def add_lag_columns(db: sqlite3.Connection) -> None:
    """Bring an app_envs table of an older state file up to `LAG_COLUMNS`."""
    have = {row[1] for row in db.execute("PRAGMA table_info(app_envs)")}
    for name, spec in LAG_COLUMNS.items():
        if name not in have:
            db.execute(f"ALTER TABLE app_envs ADD COLUMN {name} {spec}")
