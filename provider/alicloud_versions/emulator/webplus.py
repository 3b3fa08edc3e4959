"""WebPlus 2019-03-20 (ROA): applications, package versions, environments; model and responses."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from .errors import (
    AppDeleteNotAllowed,
    AppPackageNotExists,
    AppPackageOwnedByOthers,
    OSSPathInvalid,
    ResourceAuthFailed,
    StatusNotAllowedTerminated,
    VersionLabelExists,
)
from .params import ActionRequest, now_millis, object_id, snake_case
from .store import Store, insert, page

SERVICE = "webplus"
VERSION = "2019-03-20"

# The URL table: WebPlus is ROA, so the method and path name the action.
ROUTES: dict[tuple[str, str], str] = {
    ("POST", "/pop/v1/wam/application"): "CreateApplication",
    ("GET", "/pop/v1/wam/application"): "DescribeApplications",
    ("DELETE", "/pop/v1/wam/application"): "DeleteApplication",
    ("PUT", "/pop/v1/wam/application"): "UpdateApplication",
    ("POST", "/pop/v1/wam/pkgVersion"): "CreatePkgVersion",
    ("GET", "/pop/v1/wam/pkgVersion"): "DescribePkgVersions",
    ("DELETE", "/pop/v1/wam/pkgVersion"): "DeletePkgVersion",
    ("POST", "/pop/v1/wam/appEnv"): "CreateAppEnv",
    ("GET", "/pop/v1/wam/appEnv"): "DescribeAppEnvs",
    ("POST", "/pop/v1/wam/appEnv/terminate"): "TerminateAppEnv",
}
# EnvStatus as DescribeAppEnvs answers it. Changes apply at once (Choice): an environment is
# RUNNING from CreateAppEnv on and TERMINATED from TerminateAppEnv on, never in between.
RUNNING = "RUNNING"
TERMINATED = "TERMINATED"

# The longest value each parameter takes. WebPlus publishes no limits the emulator could cite:
# these are the provider's own checks (128, 64 for a category), a marked choice; any other
# parameter is capped at DEFAULT_MAX_LENGTH so no field stores megabytes.
MAX_LENGTHS = {
    "AppName": 128,
    "AppDescription": 128,
    "CategoryName": 64,
    "PkgVersionLabel": 128,
    "PkgVersionDescription": 128,
}
DEFAULT_MAX_LENGTH = 1024
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

    def __init__(self, store: Store) -> None:
        self.store = store

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
            if row["running_envs"]:
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
            version = db.execute(
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
                    "env_status": RUNNING,
                    "last_env_status": None,
                    "latest_change_id": object_id("wc"),
                    "create_username": account_id,
                    "create_time": now,
                    "update_time": now,
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

    def terminate_app_env(self, *, account_id: str, region_id: str, env_id: str) -> sqlite3.Row:
        """Terminate one of the account's environments; it stays listed as TERMINATED."""
        with self.store.transaction() as db:
            row = self._app_env(db, account_id, env_id, region_id)
            if row["env_status"] == TERMINATED:
                raise StatusNotAllowedTerminated()
            db.execute(
                "UPDATE app_envs SET env_status = :terminated, last_env_status = env_status,"
                " latest_change_id = :change_id, update_time = :now WHERE env_id = :env_id",
                {
                    "terminated": TERMINATED,
                    "change_id": object_id("wc"),
                    "now": now_millis(),
                    "env_id": env_id,
                },
            )
            return self._app_env(db, account_id, env_id, region_id)

    def inventory(self) -> dict[str, dict[str, list[dict[str, Any]]]]:
        """Every account's applications, package versions and environments, as whole records."""
        accounts: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        with self.store.transaction() as db:
            for row in db.execute(f"{_APPLICATIONS} ORDER BY t.create_time, t.rowid"):
                accounts[row["account_id"]]["applications"].append(
                    {**render_application(row), "RegionId": row["region_id"]}
                )
            for row in db.execute(
                "SELECT p.*, a.app_name FROM pkg_versions p JOIN applications a USING (app_id)"
                " ORDER BY p.create_time, p.rowid"
            ):
                accounts[row["account_id"]]["pkg_versions"].append(
                    {
                        **render_pkg_version(row),
                        "RegionId": row["region_id"],
                        "SubmittedPackageSource": row["submitted_package_source"],
                    }
                )
            for row in db.execute(f"{_APP_ENVS} ORDER BY t.create_time, t.rowid"):
                accounts[row["account_id"]]["app_envs"].append(
                    {**render_app_env(row), "RegionId": row["region_id"]}
                )
        return accounts

    @staticmethod
    def _application(
        db: sqlite3.Connection, account_id: str, app_id: str, region_id: str
    ) -> sqlite3.Row:
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
        row: sqlite3.Row | None = db.execute(
            f"{_APP_ENVS} WHERE t.env_id = :env_id", {"env_id": env_id}
        ).fetchone()
        # Like applications: TerminateAppEnv documents ResourceAuthFailed for a missing one.
        if row is None or (row["account_id"], row["region_id"]) != (account_id, region_id):
            raise ResourceAuthFailed(env_id)
        return row

    @staticmethod
    def _pkg_version(db: sqlite3.Connection, pkg_version_id: str) -> sqlite3.Row:
        row: sqlite3.Row = db.execute(
            "SELECT p.*, a.app_name FROM pkg_versions p JOIN applications a USING (app_id)"
            " WHERE p.pkg_version_id = :pkg_version_id",
            {"pkg_version_id": pkg_version_id},
        ).fetchone()
        return row


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
    """An environment as DescribeAppEnvs answers it (instances and storage are not emulated)."""
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
        "ApplyingChange": False,
        "AbortingChange": False,
        "TotalInstances": 0 if row["env_status"] == TERMINATED else 1,
        "CreateUsername": row["create_username"],
        "UpdateUsername": row["create_username"],
        "CreateTime": row["create_time"],
        "UpdateTime": row["update_time"],
    }


def _env_change(row: sqlite3.Row) -> dict[str, Any]:
    """CreateAppEnv's and TerminateAppEnv's EnvChangeDetail: the change that was started."""
    return {
        "EnvChangeDetail": {
            "ChangeId": row["latest_change_id"],
            "EnvId": row["env_id"],
            "StartTime": str(row["update_time"]),
            "Operations": {"Operation": []},
        }
    }


def _drop_none(record: dict[str, Any]) -> dict[str, Any]:
    # Alibaba Cloud leaves unset fields out of its answers rather than sending null.
    return {k: v for k, v in record.items() if v is not None}


class WebPlusResponses:
    """Parses WebPlus requests, calls the model and renders the answers."""

    def __init__(self, backend: WebPlusBackend) -> None:
        self.backend = backend
        # One method per action, named after it (as moto does): the URL table lists them once.
        self.actions: dict[str, Callable[[ActionRequest], dict[str, Any]]] = {
            action: getattr(self, snake_case(action)) for action in ROUTES.values()
        }

    def dispatch(self, request: ActionRequest) -> dict[str, Any]:
        """Answer the action with WebPlus's success envelope around its fields."""
        for name, value in request.params.items():
            limit = MAX_LENGTHS.get(name, DEFAULT_MAX_LENGTH)
            request.length(name, value, 0, limit)
        body = self.actions[request.action](request)
        return {"RequestId": request.request_id, "Code": "OK", "Message": "success", **body}

    def create_application(self, request: ActionRequest) -> dict[str, Any]:
        """CreateApplication."""
        row = self.backend.create_application(
            account_id=request.account_id,
            region_id=request.region_id,
            app_name=request.required("AppName"),
            app_description=request.optional("AppDescription"),
            category_name=request.optional("CategoryName"),
            using_shared_storage=bool(request.boolean("UsingSharedStorage")),
        )
        app = render_application(row)
        for env_count in ("TotalEnvs", "RunningEnvs", "TerminatedEnvs"):
            del app[env_count]
        return {"Application": _drop_none(app)}

    def describe_applications(self, request: ActionRequest) -> dict[str, Any]:
        """DescribeApplications."""
        page = request.page()
        rows, total = self.backend.describe_applications(
            account_id=request.account_id,
            region_id=request.region_id,
            app_id=request.optional("AppId"),
            app_name=request.optional("AppName"),
            app_search=request.optional("AppSearch"),
            page_number=page.number,
            page_size=page.size,
        )
        return page.answer(
            total, Applications={"Application": [_drop_none(render_application(r)) for r in rows]}
        )

    def update_application(self, request: ActionRequest) -> dict[str, Any]:
        """UpdateApplication: sets AppDescription when sent (blank clears it)."""
        app_id = request.required("AppId")
        row = self.backend.update_application(
            account_id=request.account_id,
            region_id=request.region_id,
            app_id=app_id,
            app_description=request.params.get("AppDescription"),
        )
        app = render_application(row)
        for unreported in ("UsingSharedStorage", "TotalEnvs", "RunningEnvs", "TerminatedEnvs"):
            del app[unreported]
        return {"Application": _drop_none(app)}

    def delete_application(self, request: ActionRequest) -> dict[str, Any]:
        """DeleteApplication."""
        self.backend.delete_application(
            account_id=request.account_id,
            region_id=request.region_id,
            app_id=request.required("AppId"),
        )
        return {}

    def create_pkg_version(self, request: ActionRequest) -> dict[str, Any]:
        """CreatePkgVersion."""
        row = self.backend.create_pkg_version(
            account_id=request.account_id,
            region_id=request.region_id,
            app_id=request.required("AppId"),
            pkg_version_label=request.required("PkgVersionLabel"),
            pkg_version_description=request.optional("PkgVersionDescription"),
            package_source=request.required("PackageSource"),
        )
        version = render_pkg_version(row)
        for unreported in ("PackageETag", "CreateUsername"):
            del version[unreported]
        return {"PkgVersion": _drop_none(version)}

    def describe_pkg_versions(self, request: ActionRequest) -> dict[str, Any]:
        """DescribePkgVersions."""
        page = request.page()
        rows, total = self.backend.describe_pkg_versions(
            account_id=request.account_id,
            region_id=request.region_id,
            app_id=request.required("AppId"),
            pkg_version_label=request.optional("PkgVersionLabel"),
            pkg_version_search=request.optional("PkgVersionSearch"),
            page_number=page.number,
            page_size=page.size,
        )
        return page.answer(
            total, PkgVersions={"PkgVersion": [_drop_none(render_pkg_version(r)) for r in rows]}
        )

    def delete_pkg_version(self, request: ActionRequest) -> dict[str, Any]:
        """DeletePkgVersion."""
        self.backend.delete_pkg_version(
            account_id=request.account_id,
            region_id=request.region_id,
            pkg_version_id=request.required("PkgVersionId"),
        )
        return {}

    def create_app_env(self, request: ActionRequest) -> dict[str, Any]:
        """CreateAppEnv from a stack and a package version. Cloning a source environment or a
        template is not emulated: StackId and PkgVersionId are what the reference requires
        without them."""
        row = self.backend.create_app_env(
            account_id=request.account_id,
            region_id=request.region_id,
            app_id=request.required("AppId"),
            env_name=request.optional("EnvName"),
            env_description=request.optional("EnvDescription"),
            stack_id=request.required("StackId"),
            pkg_version_id=request.optional("PkgVersionId"),
        )
        return _env_change(row)

    def describe_app_envs(self, request: ActionRequest) -> dict[str, Any]:
        """DescribeAppEnvs."""
        page = request.page()
        rows, total = self.backend.describe_app_envs(
            account_id=request.account_id,
            region_id=request.region_id,
            app_id=request.required("AppId"),
            env_id=request.optional("EnvId"),
            env_name=request.optional("EnvName"),
            env_search=request.optional("EnvSearch"),
            include_terminated=bool(request.boolean("IncludeTerminated")),
            page_number=page.number,
            page_size=page.size,
        )
        return page.answer(total, AppEnvs={"AppEnv": [_drop_none(render_app_env(r)) for r in rows]})

    def terminate_app_env(self, request: ActionRequest) -> dict[str, Any]:
        """TerminateAppEnv."""
        row = self.backend.terminate_app_env(
            account_id=request.account_id,
            region_id=request.region_id,
            env_id=request.required("EnvId"),
        )
        return _env_change(row)
