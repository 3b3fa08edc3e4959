"""Service Catalog's tables in the shared store."""

from __future__ import annotations

import sqlite3

# Each table's DDL; the store creates them (if absent) and the inventory lists them in order.
TABLES = {
    "products": """
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
""",
    "templates": """
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
""",
    "product_versions": """
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
""",
    "provisioned_products": """
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
    -- The stack's outputs, as GetTask answers them (JSON).
    outputs TEXT NOT NULL,
    last_task_id TEXT NOT NULL,
    last_successful_task_id TEXT,
    create_time TEXT NOT NULL,
    -- The operation under way or last run (`transitions`): status is computed on read from
    -- its action, start (the services' clock), settle time and whether it fails.
    task_action TEXT NOT NULL,
    task_started REAL NOT NULL,
    task_settle_s REAL NOT NULL,
    task_fails INTEGER NOT NULL,
    -- For `task_lag_s` after a task starts, reads still show the task before it
    -- (`FaultConfig.task_lag_s`): its id and the status it ended in.
    prev_task_id TEXT,
    prev_status TEXT,
    task_lag_s REAL NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS provisioned_products_account ON provisioned_products (account_id);
""",
    "portfolios": """
CREATE TABLE IF NOT EXISTS portfolios (
    portfolio_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    region_id TEXT NOT NULL,
    portfolio_name TEXT NOT NULL,
    provider_name TEXT NOT NULL,
    description TEXT,
    create_time TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS portfolios_account ON portfolios (account_id);
""",
    "portfolio_products": """
CREATE TABLE IF NOT EXISTS portfolio_products (
    portfolio_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    create_time TEXT NOT NULL,
    PRIMARY KEY (portfolio_id, product_id)
);
""",
    "portfolio_principals": """
CREATE TABLE IF NOT EXISTS portfolio_principals (
    portfolio_id TEXT NOT NULL,
    principal_id TEXT NOT NULL,
    principal_type TEXT NOT NULL,
    account_id TEXT NOT NULL,
    create_time TEXT NOT NULL,
    PRIMARY KEY (portfolio_id, principal_id, principal_type)
);
""",
}

# Columns provisioned_products gained with its tasks (issue 27), each with the value an older
# state file's rows take: a launch settled long ago, Available.
TASK_COLUMNS = {
    "outputs": "TEXT NOT NULL DEFAULT '[]'",
    "last_successful_task_id": "TEXT",
    "task_action": "TEXT NOT NULL DEFAULT 'LaunchProduct'",
    "task_started": "REAL NOT NULL DEFAULT 0",
    "task_settle_s": "REAL NOT NULL DEFAULT 0",
    "task_fails": "INTEGER NOT NULL DEFAULT 0",
    "prev_task_id": "TEXT",
    "prev_status": "TEXT",
    "task_lag_s": "REAL NOT NULL DEFAULT 0",
}


def add_task_columns(db: sqlite3.Connection) -> None:
    """Bring a provisioned_products table of an older state file up to the columns above
    (CREATE TABLE IF NOT EXISTS leaves an existing table as it was)."""
    have = {row[1] for row in db.execute("PRAGMA table_info(provisioned_products)")}
    for name, spec in TASK_COLUMNS.items():
        if name not in have:
            db.execute(f"ALTER TABLE provisioned_products ADD COLUMN {name} {spec}")
