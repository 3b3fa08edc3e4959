"""WebPlus's state and behaviour: applications, package versions and environments."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from typing import TYPE_CHECKING, Any

from ...params import now_millis, object_id
from ...store import Store, insert, page
from .changes import RUNNING, TERMINATED, change_columns, settle_changes
from .errors import (
    AppDeleteNotAllowed,
    AppPackageNotExists,
    AppPackageOwnedByOthers,
    DeleteEnvNotAllowed,
    EnvOnChanging,
    OSSPathInvalid,
    ResourceAuthFailed,
    StatusNotAllowedTerminated,
    VersionLabelExists,
)
from .tables import add_lag_columns

if TYPE_CHECKING:  # faults imports this service's errors
    from ...faults import Faults
# Listings answer the newest first; rowid breaks ties within one millisecond.
_NEWEST_FIRST = "t.create_time DESC, t.rowid DESC"
# An application with its environment counts, as DescribeApplications reports them.
_APPLICATIONS = (
    "SELECT t.*,"
    " (SELECT count(*) FROM app_envs e WHERE e.app_id = t.app_id) AS total_envs,"
    f" (SELECT count(*) FROM app_envs e WHERE e.app_id = t.app_id AND e.env_status = '{RUNNING}')"
    " AS running_envs,"
    " (SELECT count(*) FROM app_envs e WHERE e.app_id = t.app_id"
    f" AND e.env_status = '{TERMINATED}') AS terminated_envs"
    " FROM applications t"
)
_APP_ENVS = (
    "SELECT t.*, a.app_name AS app_name, a.category_name AS category_name,"
    " a.using_shared_storage AS using_shared_storage"
    " FROM app_envs t JOIN applications a ON a.app_id = t.app_id"
)

# OSS bucket names: 3 to 63 lower-case letters, digits and hyphens, not starting or ending with one.
_OSS_PATH = re.compile(r"^oss://[a-z0-9][a-z0-9-]{1,61}[a-z0-9]/[^\s]+$")


def internal_package_source(
    region_id: str, account_id: str, app_id: str, pkg_id: str, src: str
) -> str:
    """Where WebPlus keeps its copy of a package; the API answers this, not the oss:// source."""
    name = src.rstrip("/").rsplit("/", 1)[-1]
    return (
        f"https://webplus-{region_id}.oss-{region_id}-internal.aliyuncs.com/"
        f"wam/{account_id}/{app_id}/{pkg_id}/{name}"
    )


class WebPlusBackend:
    """The state and behaviour of WebPlus, one method per API action."""

    def __init__(self, store: Store, faults: Faults | None = None) -> None:
        self.store = store
        self.faults = faults
        with store.transaction() as db:
            add_lag_columns(db)

    def _change(
        self, action: str, prior: str | None, prior_change: str | None = None
    ) -> dict[str, Any]:
        """The columns of an environment whose change `action` starts now (`changes`)."""
        return change_columns(action, prior, self.faults, prior_change)

    def create_application(
        self,
        *,
        account_id: str,
        region_id: str,
        app_name: str,
        app_description: str | None,
        category_name: str | None,
        using_shared_storage: bool,
    ) -> sqlite3.Row:
        """Create an application in the account."""
        now = now_millis()
        app_id = object_id("wa")
        with self.store.transaction() as db:
            insert(
                db,
                "applications",
                {
                    "app_id": app_id,
                    "account_id": account_id,
                    "region_id": region_id,
                    "app_name": app_name,
                    "app_description": app_description,
                    "category_name": category_name,
                    "using_shared_storage": int(using_shared_storage),
                    "create_username": account_id,
                    "create_time": now,
                    "update_time": now,
                },
            )
            return self._application(db, account_id, app_id, region_id)

    def describe_applications(
        self,
        *,
        account_id: str,
        region_id: str,
        app_id: str | None,
        app_name: str | None,
        app_search: str | None,
        page_number: int,
        page_size: int,
    ) -> tuple[list[sqlite3.Row], int]:
        """One page of the account's applications, newest first, and the total that match."""
        params: dict[str, str | None] = {"account_id": account_id, "app_id": app_id}
        params |= {"region_id": region_id, "app_name": app_name, "app_search": app_search}
        where = ["t.account_id = :account_id", "t.region_id = :region_id"]
        if app_id is not None:
            where.append("t.app_id = :app_id")
        if app_name is not None:
            where.append("t.app_name = :app_name")
        if app_search is not None:
            where.append("instr(lower(t.app_name), lower(:app_search)) > 0")
        with self.store.transaction() as db:
            settle_changes(db)
            return page(db, _APPLICATIONS, where, params, _NEWEST_FIRST, page_number, page_size)

    def update_application(
        self, *, account_id: str, region_id: str, app_id: str, app_description: str | None
    ) -> sqlite3.Row:
        """Change an application's description, the one field UpdateApplication takes.

        None leaves it as it is; a blank description clears it.
        """
        with self.store.transaction() as db:
            row = self._application(db, account_id, app_id, region_id)
            if app_description is None:
                app_description = row["app_description"]
            db.execute(
                "UPDATE applications SET app_description = :app_description,"
                " update_time = :now WHERE app_id = :app_id",
                {"app_description": app_description or None, "now": now_millis(), "app_id": app_id},
            )
            return self._application(db, account_id, app_id, region_id)

    def delete_application(self, *, account_id: str, region_id: str, app_id: str) -> None:
        """Delete an application and, as the console does, the package versions and terminated
        environments it still holds; refused while an environment is not terminated."""
        with self.store.transaction() as db:
            row = self._application(db, account_id, app_id, region_id)
            if row["total_envs"] != row["terminated_envs"]:
                raise AppDeleteNotAllowed()
            key = {"app_id": app_id}
            db.execute("DELETE FROM app_envs WHERE app_id = :app_id", key)
            db.execute("DELETE FROM pkg_versions WHERE app_id = :app_id", key)
            db.execute("DELETE FROM applications WHERE app_id = :app_id", key)

    def create_pkg_version(
        self,
        *,
        account_id: str,
        region_id: str,
        app_id: str,
        pkg_version_label: str,
        pkg_version_description: str | None,
        package_source: str,
    ) -> sqlite3.Row:
        """Register a package version of an application; the label is unique per application."""
        if not _OSS_PATH.match(package_source):
            raise OSSPathInvalid(package_source)
        now = now_millis()
        pkg_version_id = object_id("wp")
        with self.store.transaction() as db:
            self._application(db, account_id, app_id, region_id)
            clash = db.execute(
                "SELECT 1 FROM pkg_versions WHERE app_id = :app_id AND pkg_version_label = :label",
                {"app_id": app_id, "label": pkg_version_label},
            ).fetchone()
            if clash is not None:
                raise VersionLabelExists(pkg_version_label)
            internal = internal_package_source(
                region_id, account_id, app_id, pkg_version_id, package_source
            )
            insert(
                db,
                "pkg_versions",
                {
                    "pkg_version_id": pkg_version_id,
                    "account_id": account_id,
                    "app_id": app_id,
                    "region_id": region_id,
                    "pkg_version_label": pkg_version_label,
                    "pkg_version_description": pkg_version_description,
                    "submitted_package_source": package_source,
                    "package_source": internal,
                    "package_etag": hashlib.md5(package_source.encode()).hexdigest().upper(),
                    "create_username": account_id,
                    "create_time": now,
                    "update_time": now,
                },
            )
            return self._pkg_version(db, pkg_version_id)

    def describe_pkg_versions(
        self,
        *,
        account_id: str,
        region_id: str,
        app_id: str,
        pkg_version_label: str | None,
        pkg_version_search: str | None,
        page_number: int,
        page_size: int,
    ) -> tuple[list[sqlite3.Row], int]:
        """One page of an application's package versions, newest first, and the total that match."""
        params: dict[str, str | None] = {"account_id": account_id, "app_id": app_id}
        params |= {"label": pkg_version_label, "search": pkg_version_search}
        where = ["t.account_id = :account_id", "t.app_id = :app_id"]
        if pkg_version_label is not None:
            where.append("t.pkg_version_label = :label")
        if pkg_version_search is not None:
            where.append("instr(lower(t.pkg_version_label), lower(:search)) > 0")
        select = (
            "SELECT t.*, a.app_name AS app_name FROM pkg_versions t"
            " JOIN applications a ON a.app_id = t.app_id"
        )
        with self.store.transaction() as db:
            self._application(db, account_id, app_id, region_id)
            return page(db, select, where, params, _NEWEST_FIRST, page_number, page_size)

    def delete_pkg_version(self, *, account_id: str, region_id: str, pkg_version_id: str) -> None:
        """Delete a package version of one of the account's applications.

        An environment running it does not stop the delete (Choice: DeletePkgVersion documents
        no such refusal); the environment keeps naming the version it was deployed with.
        """
        with self.store.transaction() as db:
            key = {"pkg_version_id": pkg_version_id}
            row = db.execute(
                "SELECT account_id, region_id FROM pkg_versions"
                " WHERE pkg_version_id = :pkg_version_id",
                key,
            ).fetchone()
            # Like applications: another account's or region's id answers as a made-up one.
            if row is None or (row["account_id"], row["region_id"]) != (account_id, region_id):
                raise ResourceAuthFailed(pkg_version_id)
            db.execute("DELETE FROM pkg_versions WHERE pkg_version_id = :pkg_version_id", key)

    def create_app_env(
        self,
        *,
        account_id: str,
        region_id: str,
        app_id: str,
        env_name: str | None,
        env_description: str | None,
        stack_id: str,
        pkg_version_id: str | None,
    ) -> sqlite3.Row:
        """Create an environment of an application, running one of its package versions."""
        now = now_millis()
        env_id = object_id("we")
        with self.store.transaction() as db:
            self._application(db, account_id, app_id, region_id)
            if pkg_version_id is None:
                raise AppPackageNotExists()
            version = self._runnable(db, account_id, region_id, app_id, pkg_version_id)
            insert(
                db,
                "app_envs",
                {
                    "env_id": env_id,
                    "account_id": account_id,
                    "app_id": app_id,
                    "region_id": region_id,
                    "env_name": env_name,
                    "env_description": env_description,
                    "stack_id": stack_id,
                    "pkg_version_id": pkg_version_id,
                    "pkg_version_label": version["pkg_version_label"],
                    "pkg_version_storage_key": version["package_source"].rsplit("/", 1)[-1],
                    "create_username": account_id,
                    "create_time": now,
                    **self._change("CreateAppEnv", None),
                },
            )
            return self._app_env(db, account_id, env_id, region_id)

    def describe_app_envs(
        self,
        *,
        account_id: str,
        region_id: str,
        app_id: str,
        env_id: str | None,
        env_name: str | None,
        env_search: str | None,
        include_terminated: bool,
        page_number: int,
        page_size: int,
    ) -> tuple[list[sqlite3.Row], int]:
        """One page of an application's environments, newest first, and the total that match;
        terminated ones only when asked."""
        params: dict[str, str | None] = {"app_id": app_id, "env_id": env_id}
        params |= {"env_name": env_name, "env_search": env_search, "terminated": TERMINATED}
        where = ["t.app_id = :app_id"]
        if env_id is not None:
            where.append("t.env_id = :env_id")
        if env_name is not None:
            where.append("t.env_name = :env_name")
        if env_search is not None:
            where.append("instr(lower(coalesce(t.env_name, '')), lower(:env_search)) > 0")
        if not include_terminated:
            where.append("t.env_status != :terminated")
        with self.store.transaction() as db:
            self._application(db, account_id, app_id, region_id)
            return page(db, _APP_ENVS, where, params, _NEWEST_FIRST, page_number, page_size)

    def update_app_env(
        self,
        *,
        account_id: str,
        region_id: str,
        env_id: str,
        env_description: str | None,
        stack_id: str | None,
        pkg_version_id: str | None,
        option_settings: str | None,
    ) -> sqlite3.Row:
        """Start a change of an environment: what is sent is applied at once to its record,
        and the environment applies it (RUNNING, ApplyingChange) until the change ends.
        Option settings are taken, not kept: no answer shows them."""
        del option_settings
        with self.store.transaction() as db:
            row = self._app_env(db, account_id, env_id, region_id)
            if row["change_applying"]:
                raise EnvOnChanging()
            fields: dict[str, Any] = {"env_id": env_id}
            if env_description is not None:
                fields["env_description"] = env_description
            if stack_id is not None:
                fields["stack_id"] = stack_id
            if pkg_version_id is not None:
                version = self._runnable(db, account_id, region_id, row["app_id"], pkg_version_id)
                fields |= {
                    "pkg_version_id": pkg_version_id,
                    "pkg_version_label": version["pkg_version_label"],
                    "pkg_version_storage_key": version["package_source"].rsplit("/", 1)[-1],
                }
            fields |= self._change("UpdateAppEnv", row["env_status"], row["latest_change_id"])
            assignments = ", ".join(f"{k} = :{k}" for k in fields if k != "env_id")
            db.execute(f"UPDATE app_envs SET {assignments} WHERE env_id = :env_id", fields)
            return self._app_env(db, account_id, env_id, region_id)

    def terminate_app_env(self, *, account_id: str, region_id: str, env_id: str) -> sqlite3.Row:
        """Start terminating one of the account's environments (TERMINATING, then TERMINATED);
        it stays listed with IncludeTerminated. A change under way is superseded (Choice: the
        reference documents no refusal)."""
        with self.store.transaction() as db:
            row = self._app_env(db, account_id, env_id, region_id)
            if row["env_status"] == TERMINATED:
                raise StatusNotAllowedTerminated()
            change = self._change("TerminateAppEnv", row["env_status"], row["latest_change_id"])
            fields = {"env_id": env_id, **change}
            assignments = ", ".join(f"{k} = :{k}" for k in fields if k != "env_id")
            db.execute(f"UPDATE app_envs SET {assignments} WHERE env_id = :env_id", fields)
            return self._app_env(db, account_id, env_id, region_id)

    def delete_app_env(self, *, account_id: str, region_id: str, env_id: str) -> None:
        """Delete a terminated environment's record; refused while it is not terminated or a
        change applies (DeleteEnvNotAllowed)."""
        with self.store.transaction() as db:
            row = self._app_env(db, account_id, env_id, region_id)
            if row["env_status"] != TERMINATED or row["change_applying"]:
                raise DeleteEnvNotAllowed()
            db.execute("DELETE FROM app_envs WHERE env_id = :env_id", {"env_id": env_id})

    def everything(self) -> dict[str, list[sqlite3.Row]]:
        """Every account's applications, package versions and environments, oldest first."""
        with self.store.transaction() as db:
            settle_changes(db)
            return {
                "applications": db.execute(
                    f"{_APPLICATIONS} ORDER BY t.create_time, t.rowid"
                ).fetchall(),
                "pkg_versions": db.execute(
                    "SELECT p.*, a.app_name FROM pkg_versions p JOIN applications a USING (app_id)"
                    " ORDER BY p.create_time, p.rowid"
                ).fetchall(),
                "app_envs": db.execute(f"{_APP_ENVS} ORDER BY t.create_time, t.rowid").fetchall(),
            }

    @staticmethod
    def _application(
        db: sqlite3.Connection, account_id: str, app_id: str, region_id: str
    ) -> sqlite3.Row:
        settle_changes(db)
        row: sqlite3.Row | None = db.execute(
            f"{_APPLICATIONS} WHERE t.app_id = :app_id",
            {"app_id": app_id},
        ).fetchone()
        # WebPlus answers the same for an id that does not exist and one of another account
        # or another region.
        if row is None or (row["account_id"], row["region_id"]) != (account_id, region_id):
            raise ResourceAuthFailed(app_id)
        return row

    @staticmethod
    def _app_env(
        db: sqlite3.Connection, account_id: str, env_id: str, region_id: str
    ) -> sqlite3.Row:
        settle_changes(db)
        row: sqlite3.Row | None = db.execute(
            f"{_APP_ENVS} WHERE t.env_id = :env_id", {"env_id": env_id}
        ).fetchone()
        # Like applications: TerminateAppEnv documents ResourceAuthFailed for a missing one.
        if row is None or (row["account_id"], row["region_id"]) != (account_id, region_id):
            raise ResourceAuthFailed(env_id)
        return row

    @staticmethod
    def _runnable(
        db: sqlite3.Connection, account_id: str, region_id: str, app_id: str, pkg_version_id: str
    ) -> sqlite3.Row:
        """The package version an environment of `app_id` is to run (CreateAppEnv and
        UpdateAppEnv document both refusals)."""
        version: sqlite3.Row | None = db.execute(
            "SELECT * FROM pkg_versions WHERE pkg_version_id = :id", {"id": pkg_version_id}
        ).fetchone()
        # Another account's version answers like one that does not exist.
        if version is None or (version["account_id"], version["region_id"]) != (
            account_id,
            region_id,
        ):
            raise AppPackageNotExists()
        if version["app_id"] != app_id:
            raise AppPackageOwnedByOthers()
        return version

    @staticmethod
    def _pkg_version(db: sqlite3.Connection, pkg_version_id: str) -> sqlite3.Row:
        row: sqlite3.Row = db.execute(
            "SELECT p.*, a.app_name FROM pkg_versions p JOIN applications a USING (app_id)"
            " WHERE p.pkg_version_id = :pkg_version_id",
            {"pkg_version_id": pkg_version_id},
        ).fetchone()
        return row
