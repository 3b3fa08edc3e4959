"""WebPlus's records as its answers (and the inventory) show them."""

from __future__ import annotations

import sqlite3
from typing import Any

from .changes import ABNORMAL, TERMINATED, lagging


def render_application(row: sqlite3.Row) -> dict[str, Any]:
    """An application as DescribeApplications answers it."""
    return {
        "AppId": row["app_id"],
        "AppName": row["app_name"],
        "AppDescription": row["app_description"],
        "CategoryName": row["category_name"],
        "UsingSharedStorage": bool(row["using_shared_storage"]),
        "CreateUsername": row["create_username"],
        "UpdateUsername": row["create_username"],
        "CreateTime": row["create_time"],
        "UpdateTime": row["update_time"],
        "TotalEnvs": row["total_envs"],
        "RunningEnvs": row["running_envs"],
        "TerminatedEnvs": row["terminated_envs"],
    }


def render_pkg_version(row: sqlite3.Row) -> dict[str, Any]:
    """A package version as DescribePkgVersions answers it."""
    return {
        "PkgVersionId": row["pkg_version_id"],
        "PkgVersionLabel": row["pkg_version_label"],
        "PkgVersionDescription": row["pkg_version_description"],
        "AppId": row["app_id"],
        "AppName": row["app_name"],
        "PackageSource": row["package_source"],
        "PackageETag": row["package_etag"],
        "CreateUsername": row["create_username"],
        "CreateTime": row["create_time"],
        "UpdateTime": row["update_time"],
    }


def render_app_env(row: sqlite3.Row) -> dict[str, Any]:
    """An environment as DescribeAppEnvs answers it (instances and storage are not emulated);
    while `lagging`, as it was before its latest change."""
    if lagging(row):
        return {
            **_rendered(row),
            "EnvStatus": row["last_env_status"],
            "LatestChangeId": row["prev_change_id"],
            "ApplyingChange": False,
            "ChangeBanner": None,
        }
    return _rendered(row)


def _rendered(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "EnvId": row["env_id"],
        "EnvName": row["env_name"],
        "EnvDescription": row["env_description"],
        "EnvType": "web",
        "EnvStatus": row["env_status"],
        "LastEnvStatus": row["last_env_status"],
        "AppId": row["app_id"],
        "AppName": row["app_name"],
        "CategoryName": row["category_name"],
        "UsingSharedStorage": bool(row["using_shared_storage"]),
        "StackId": row["stack_id"],
        "PkgVersionId": row["pkg_version_id"],
        "PkgVersionLabel": row["pkg_version_label"],
        "PkgVersionStorageKey": row["pkg_version_storage_key"],
        "LatestChangeId": row["latest_change_id"],
        "ApplyingChange": bool(row["change_applying"]),
        "AbortingChange": False,
        "ChangeBanner": _banner(row),
        "TotalInstances": 0 if row["env_status"] == TERMINATED else 1,
        "CreateUsername": row["create_username"],
        "UpdateUsername": row["create_username"],
        "CreateTime": row["create_time"],
        "UpdateTime": row["update_time"],
    }


def _banner(row: sqlite3.Row) -> str | None:
    """The console's note on the environment's latest change, while it applies or once it
    failed (Choice: the wording is the emulator's, after the reference's example)."""
    if row["change_applying"]:
        return f"Web+ is applying change {row['latest_change_id']} ({row['change_action']})."
    if row["env_status"] == ABNORMAL:
        return f"Change {row['latest_change_id']} ({row['change_action']}) failed."
    return None


def env_change(row: sqlite3.Row) -> dict[str, Any]:
    """The EnvChangeDetail of CreateAppEnv, UpdateAppEnv and TerminateAppEnv: the change started."""
    return {
        "EnvChangeDetail": {
            "ChangeId": row["latest_change_id"],
            "EnvId": row["env_id"],
            "StartTime": str(row["update_time"]),
            "Operations": {"Operation": []},
        }
    }
