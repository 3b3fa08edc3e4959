"""WebPlus environments' changes over time: the statuses each change moves through, when it
starts (`change_columns`) and how its end is written down on the next read (`settle_changes`)."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from ...params import clock, now_millis, object_id
from ...transitions import Transition

if TYPE_CHECKING:  # faults imports this service's errors
    from ...faults import Faults

# EnvStatus as DescribeAppEnvs answers it (AlibabaCloudDocs/webx, DescribeAppEnvs and
# DescribeAppEnvStatus show RUNNING, TERMINATING, TERMINATED, INITIALIZING; the console adds
# Abnormal for an environment whose change failed).
INITIALIZING = "INITIALIZING"
RUNNING = "RUNNING"
TERMINATING = "TERMINATING"
TERMINATED = "TERMINATED"
ABNORMAL = "ABNORMAL"

# Each action that starts a change: its environment's status while the change applies, once it
# is done, and once it has failed (`transitions`; `FaultConfig.fail_async` names the action).
# An update keeps RUNNING while it applies, with ApplyingChange true.
CHANGES: dict[str, tuple[str, str, str]] = {
    "CreateAppEnv": (INITIALIZING, RUNNING, ABNORMAL),
    "UpdateAppEnv": (RUNNING, RUNNING, ABNORMAL),
    "TerminateAppEnv": (TERMINATING, TERMINATED, ABNORMAL),
}


def settle_changes(db: sqlite3.Connection) -> None:
    """Write down the end of every change that has ended by now: an environment's status is
    computed from its change on each read, before anything else reads the rows."""
    now = clock()
    for row in db.execute(
        "SELECT env_id, change_action, change_started, change_settle_s, change_fails"
        " FROM app_envs WHERE change_applying = 1"
    ).fetchall():
        under_way, done, failed = CHANGES[row["change_action"]]
        change = Transition(
            row["change_action"],
            row["change_started"],
            under_way,
            done,
            failed,
            row["change_settle_s"],
            bool(row["change_fails"]),
        )
        if change.settled(now):
            db.execute(
                "UPDATE app_envs SET env_status = :status, change_applying = 0"
                " WHERE env_id = :env_id",
                {"status": change.status(now), "env_id": row["env_id"]},
            )


def lagging(row: sqlite3.Row) -> bool:
    """Whether reads still show the change before the environment's latest
    (`FaultConfig.task_lag_s`)."""
    if not row["prev_change_id"] or row["change_started"] is None:
        return False
    return bool(clock() - row["change_started"] < row["change_lag_s"])


def change_columns(
    action: str, prior: str | None, faults: Faults | None, prior_change: str | None = None
) -> dict[str, Any]:
    """The columns of an environment whose change `action` starts now, under the faults in
    force (`transitions`; the defaults without), after status `prior` and change
    `prior_change`, which reads show for `task_lag_s`."""
    under_way, done, failed = CHANGES[action]
    from ...faults import FaultConfig  # here: faults imports this service's errors

    config = faults.config if faults is not None else FaultConfig()
    change = Transition.start(
        action, clock(), config, under_way=under_way, done=done, failed=failed
    )
    return {
        "env_status": change.under_way,
        "last_env_status": prior,
        "latest_change_id": object_id("wc"),
        "change_action": action,
        "change_started": change.started_at,
        "change_settle_s": change.settle_s,
        "change_fails": int(change.fails),
        "change_applying": 1,
        "prev_change_id": prior_change,
        "change_lag_s": config.task_lag_s if prior_change else 0.0,
        "update_time": now_millis(),
    }
