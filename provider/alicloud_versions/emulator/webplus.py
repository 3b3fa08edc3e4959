"""WebPlus 2019-03-20 (ROA): applications and package versions, their model and their responses."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from .errors import (
    OSSPathInvalid,
    ResourceAuthFailed,
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
}

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
            select = "SELECT t.* FROM applications t"
            return page(db, select, where, params, _NEWEST_FIRST, page_number, page_size)

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
        """Delete an application and, as the console does, the package versions it still holds."""
        with self.store.transaction() as db:
            self._application(db, account_id, app_id, region_id)
            db.execute("DELETE FROM pkg_versions WHERE app_id = :app_id", {"app_id": app_id})
            db.execute("DELETE FROM applications WHERE app_id = :app_id", {"app_id": app_id})

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
        """Delete a package version of one of the account's applications."""
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

    def inventory(self) -> dict[str, dict[str, list[dict[str, Any]]]]:
        """Every account's applications and package versions, as whole records, by table."""
        accounts: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        with self.store.transaction() as db:
            for row in db.execute("SELECT * FROM applications ORDER BY create_time, rowid"):
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
        return accounts

    @staticmethod
    def _application(
        db: sqlite3.Connection, account_id: str, app_id: str, region_id: str
    ) -> sqlite3.Row:
        row: sqlite3.Row | None = db.execute(
            "SELECT * FROM applications WHERE app_id = :app_id",
            {"app_id": app_id},
        ).fetchone()
        # WebPlus answers the same for an id that does not exist and one of another account
        # or another region.
        if row is None or (row["account_id"], row["region_id"]) != (account_id, region_id):
            raise ResourceAuthFailed(app_id)
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
        # Environments are not emulated, so an application never has any.
        "TotalEnvs": 0,
        "RunningEnvs": 0,
        "TerminatedEnvs": 0,
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
