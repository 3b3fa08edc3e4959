"""Service Catalog's provisioned products: launched versions, each a task that moves through its
statuses over time (`transitions`)."""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any

from ...params import clock, now_iso, request_id, short_id
from ...store import Store, insert, page
from ...transitions import Transition
from .errors import (
    InvalidProductVersionNotFound,
    InvalidProvisionedProductNotFound,
    InvalidStatusUnderChange,
    InvalidTaskNotFound,
)
from .models import find_product, find_version
from .portfolios import launch_portfolio
from .tables import add_task_columns

if TYPE_CHECKING:  # faults imports the services' errors
    from ...faults import Faults

# The statuses a provisioned product shows (GetProvisionedProduct's Status): every task runs
# UnderChange, then ends Available, or Error with a StatusMessage; a termination that succeeds
# leaves nothing (terraform-provider-alicloud waits for Available, fails on Error, and waits for
# InvalidProvisionedProduct.NotFound after TerminateProvisionedProduct).
UNDER_CHANGE, AVAILABLE, ERROR, TERMINATED = "UnderChange", "Available", "Error", "Terminated"
TERMINATE = "TerminateProvisionedProduct"


def task_of(row: sqlite3.Row) -> Transition:
    """The provisioned product's last task, as its row keeps it."""
    return Transition(
        action=row["task_action"],
        started_at=row["task_started"],
        under_way=UNDER_CHANGE,
        done=TERMINATED if row["task_action"] == TERMINATE else AVAILABLE,
        failed=ERROR,
        settle_s=row["task_settle_s"],
        fails=bool(row["task_fails"]),
    )


def lagging(row: sqlite3.Row) -> bool:
    """Whether reads still show the task before the row's last (`FaultConfig.task_lag_s`)."""
    keys = row.keys()
    if "prev_task_id" not in keys or not row["prev_task_id"]:
        return False
    return bool(clock() - row["task_started"] < row["task_lag_s"])


def shown_task_id(row: sqlite3.Row) -> str:
    """The last task id reads show now: the one before the last while `lagging`."""
    return str(row["prev_task_id"] if lagging(row) else row["last_task_id"])


def status_of(row: sqlite3.Row) -> tuple[str, str | None]:
    """The status the row shows now, and its message when it is Error."""
    if lagging(row):
        return str(row["prev_status"]), None
    status = task_of(row).status(clock())
    if status != ERROR:
        return status, None
    return status, (
        f"The ROS stack of task {row['last_task_id']} ({row['task_action']}) failed: "
        "the emulator's fail_async fault names the action."
    )


class ProvisioningBackend:
    """The state and behaviour of provisioned products, one method per API action."""

    def __init__(self, store: Store, faults: Faults | None = None) -> None:
        self.store = store
        self.faults = faults
        with store.transaction() as db:
            add_task_columns(db)

    def _task(self, action: str, before: sqlite3.Row | None = None) -> dict[str, Any]:
        """The columns that start task `action` now under the faults in force, after the task
        of `before` (the row as it was), which reads show for `task_lag_s`."""
        from ...faults import FaultConfig  # here: faults imports the services' errors

        config = self.faults.config if self.faults is not None else FaultConfig()
        started = Transition.start(
            action, clock(), config, under_way=UNDER_CHANGE, done=AVAILABLE, failed=ERROR
        )
        return {
            "last_task_id": short_id("task"),
            "task_action": action,
            "task_started": started.started_at,
            "task_settle_s": started.settle_s,
            "task_fails": int(started.fails),
            "prev_task_id": shown_task_id(before) if before is not None else None,
            "prev_status": status_of(before)[0] if before is not None else None,
            "task_lag_s": config.task_lag_s if before is not None else 0.0,
        }

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
        """Start launching a version of one of the account's products, through a portfolio that
        holds the product and the caller (`launch_portfolio`): UnderChange, then Available or
        Error once its task settles."""
        provisioned_product_id = short_id("pp")
        with self.store.transaction() as db:
            product = find_product(db, account_id, region_id, product_id)
            version = find_version(db, account_id, region_id, product_version_id)
            if version["product_id"] != product_id:
                raise InvalidProductVersionNotFound(product_version_id)
            portfolio = launch_portfolio(
                db, account_id, region_id, product_id, portfolio_id, principal_id
            )
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
                    "portfolio_id": portfolio,
                    "stack_id": request_id().lower(),
                    "stack_region_id": stack_region_id,
                    "parameters": json.dumps(parameters, sort_keys=True),
                    "tags": json.dumps(tags, sort_keys=True),
                    "outputs": json.dumps(stack_outputs(db, version, parameters)),
                    "create_time": now_iso(),
                    **self._task("LaunchProduct"),
                },
            )
        return provisioned_product_id

    def get_provisioned_product(
        self, *, account_id: str, region_id: str, provisioned_product_id: str
    ) -> sqlite3.Row:
        """One of the account's provisioned products."""
        with self.store.transaction() as db:
            return _find(db, account_id, region_id, provisioned_product_id)

    def get_task(self, *, account_id: str, region_id: str, task_id: str) -> sqlite3.Row:
        """The provisioned product whose last task is `task_id` (Choice: only each one's last
        task is kept); InvalidTask.NotFound otherwise."""
        with self.store.transaction() as db:
            _purge(db)
            row: sqlite3.Row | None = db.execute(
                "SELECT * FROM provisioned_products WHERE last_task_id = :id"
                " AND account_id = :account_id AND region_id = :region_id",
                {"id": task_id, "account_id": account_id, "region_id": region_id},
            ).fetchone()
        if row is None:
            raise InvalidTaskNotFound(task_id)
        return row

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
            _purge(db)
            return page(
                db,
                "SELECT * FROM provisioned_products",
                where,
                params,
                f"create_time {order}, rowid {order}",
                page_number,
                page_size,
            )

    def update_provisioned_product(
        self,
        *,
        account_id: str,
        region_id: str,
        principal_id: str,
        provisioned_product_id: str,
        product_id: str,
        product_version_id: str,
        portfolio_id: str | None,
        parameters: list[dict[str, str]] | None,
        tags: list[dict[str, str]] | None,
    ) -> None:
        """Start moving a provisioned product onto another version or parameters: UnderChange,
        then Available or Error. Refused while its last task runs; the portfolio is checked as
        for a launch."""
        with self.store.transaction() as db:
            row = _find(db, account_id, region_id, provisioned_product_id)
            if task_of(row).status(clock()) == UNDER_CHANGE:
                raise InvalidStatusUnderChange(provisioned_product_id)
            find_product(db, account_id, region_id, product_id)
            version = find_version(db, account_id, region_id, product_version_id)
            if version["product_id"] != product_id:
                raise InvalidProductVersionNotFound(product_version_id)
            portfolio = launch_portfolio(
                db, account_id, region_id, product_id, portfolio_id, principal_id
            )
            kept = json.loads(row["parameters"]) if parameters is None else parameters
            task = self._task("UpdateProvisionedProduct", row)
            db.execute(
                "UPDATE provisioned_products SET product_id = :product_id,"
                " product_version_id = :version_id, product_version_name = :version_name,"
                " portfolio_id = :portfolio, parameters = :parameters, tags = :tags,"
                " outputs = :outputs, last_successful_task_id = :last_good,"
                " last_task_id = :last_task_id, task_action = :task_action,"
                " task_started = :task_started, task_settle_s = :task_settle_s,"
                " task_fails = :task_fails, prev_task_id = :prev_task_id,"
                " prev_status = :prev_status, task_lag_s = :task_lag_s"
                " WHERE provisioned_product_id = :id",
                {
                    "product_id": product_id,
                    "version_id": product_version_id,
                    "version_name": version["product_version_name"],
                    "portfolio": portfolio,
                    "parameters": json.dumps(kept, sort_keys=True),
                    "tags": row["tags"] if tags is None else json.dumps(tags, sort_keys=True),
                    "outputs": json.dumps(stack_outputs(db, version, kept)),
                    "last_good": last_successful_task(row),
                    "id": provisioned_product_id,
                    **task,
                },
            )

    def terminate_provisioned_product(
        self, *, account_id: str, region_id: str, provisioned_product_id: str
    ) -> None:
        """Start terminating one of the account's provisioned products: UnderChange, then gone
        (InvalidProvisionedProduct.NotFound), or Error when the termination fails."""
        with self.store.transaction() as db:
            row = _find(db, account_id, region_id, provisioned_product_id)
            if task_of(row).status(clock()) == UNDER_CHANGE:
                raise InvalidStatusUnderChange(provisioned_product_id)
            task = self._task(TERMINATE, row)
            db.execute(
                "UPDATE provisioned_products SET last_successful_task_id = :last_good,"
                " last_task_id = :last_task_id, task_action = :task_action,"
                " task_started = :task_started, task_settle_s = :task_settle_s,"
                " task_fails = :task_fails, prev_task_id = :prev_task_id,"
                " prev_status = :prev_status, task_lag_s = :task_lag_s"
                " WHERE provisioned_product_id = :id",
                {"last_good": last_successful_task(row), "id": provisioned_product_id, **task},
            )

    def everything(self) -> list[sqlite3.Row]:
        """Every account's provisioned products, oldest first."""
        with self.store.transaction() as db:
            _purge(db)
            return db.execute(
                "SELECT * FROM provisioned_products ORDER BY create_time, rowid"
            ).fetchall()


def last_successful_task(row: sqlite3.Row) -> str | None:
    """The last task that ended Available, before a new one replaces the row's last."""
    if task_of(row).status(clock()) == AVAILABLE:
        return str(row["last_task_id"])
    last: str | None = row["last_successful_task_id"]
    return last


def stack_outputs(
    db: sqlite3.Connection, version: sqlite3.Row, parameters: list[dict[str, str]]
) -> list[dict[str, str]]:
    """The outputs the version's stack would have: each of an ROS JSON template's ``Outputs``
    whose ``Value`` is a string, or ``{"Ref": parameter}`` given at launch (Choice: the
    emulator builds no stack; a Terraform template has no outputs here)."""
    found = db.execute(
        "SELECT template_body FROM templates WHERE template_url = :url",
        {"url": version["template_url"]},
    ).fetchone()
    try:
        body = json.loads(found["template_body"]) if found is not None else {}
    except json.JSONDecodeError:
        return []
    given = {p.get("ParameterKey"): p.get("ParameterValue") for p in parameters}
    outputs = []
    declared = body.get("Outputs") if isinstance(body, dict) else None
    for key, spec in (declared or {}).items() if isinstance(declared, dict) else ():
        value = spec.get("Value") if isinstance(spec, dict) else None
        if isinstance(value, dict) and set(value) == {"Ref"}:
            value = given.get(value["Ref"])
        if isinstance(value, str):
            described = spec.get("Description") if isinstance(spec.get("Description"), str) else ""
            outputs.append({"OutputKey": key, "OutputValue": value, "Description": described})
    return outputs


def _find(
    db: sqlite3.Connection, account_id: str, region_id: str, provisioned_product_id: str
) -> sqlite3.Row:
    _purge(db)
    row: sqlite3.Row | None = db.execute(
        "SELECT * FROM provisioned_products WHERE provisioned_product_id = :id"
        " AND account_id = :account_id AND region_id = :region_id",
        {"id": provisioned_product_id, "account_id": account_id, "region_id": region_id},
    ).fetchone()
    if row is None:
        raise InvalidProvisionedProductNotFound(provisioned_product_id)
    return row


def _purge(db: sqlite3.Connection) -> None:
    """Forget the provisioned products whose termination has ended well."""
    now = clock()
    for row in db.execute(
        "SELECT * FROM provisioned_products WHERE task_action = :t", {"t": TERMINATE}
    ).fetchall():
        if task_of(row).status(now) == TERMINATED:
            db.execute(
                "DELETE FROM provisioned_products WHERE provisioned_product_id = :id",
                {"id": row["provisioned_product_id"]},
            )
