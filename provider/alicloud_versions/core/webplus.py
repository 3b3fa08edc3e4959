"""WebPlus resource kinds: `Application` and its package versions, `PkgVersion`.

WebPlus answers ``ResourceAuthFailed`` for an application or package version that does not exist
and for one the caller may not touch alike, so that answer alone proves nothing: read and delete
believe the resource gone only when a listing that succeeds (DescribeApplications by id, or
DescribePkgVersions of the application by label) shows it absent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from .client import PAGE_SIZE, Session, paged, record
from .config import Service
from .errors import AdoptionError, ApiError, ImportIdError
from .fields import FORCE_DELETE, REGION, Input, Output, adopt_id, text_input
from .lifecycle import Read, ResourceCore, is_unknown
from .operations import Operation, Sends
from .ownership import Lookup
from .users import Users, users_of
from .validate import is_str, length, oss_uri

__all__ = ["ApplicationCore", "PkgVersionCore"]

# WebPlus's answer for a resource that does not exist, or that the caller may not touch.
_AMBIGUOUS: Mapping[str, str] = {
    "ResourceAuthFailed": "WebPlus API reference (AlibabaCloudDocs/webx, DescribePkgVersions, "
    "DeletePkgVersion, DeleteApplication): 403, the specified resource does not exist or it "
    "does not belong to this Alibaba Cloud account"
}


def _op(action: str, sends: Sends = Sends.NOTHING) -> Operation:
    return Operation(Service.WEBPLUS, action, sends)


# Environment statuses that run nothing (compared upper-case).
_ENDED = frozenset({"TERMINATED", "TERMINATING"})


def _live_version(model: Any) -> dict[str, Any]:
    """A package version's fields, with the URL the API answers as `package_url`."""
    live = record(model)
    if "package_source" in live:
        live["package_url"] = live.pop("package_source")
    return live


# Application ---------------------------------------------------------------------------------


class ApplicationCore(ResourceCore):
    """CreateApplication / DescribeApplications / UpdateApplication / DeleteApplication."""

    TYPE = "webplus.Application"
    DESCRIPTION = "A WebPlus application, the home of package versions."
    INPUTS: ClassVar[Mapping[str, Input]] = {
        "app_name": text_input(
            "Application name, unique in the account by convention",
            required=True,
            replaces=True,
        ),
        "app_description": text_input("Free-text description", kept_when_omitted=True),
        "category_name": text_input(
            "WebPlus category (stack family) such as ``Java``", high=64, replaces=True
        ),
        "region": REGION,
        "adopt_id": adopt_id(
            "Id of an existing application to adopt at create instead of creating one (its "
            "name must match)"
        ),
    }
    OUTPUTS: ClassVar[Mapping[str, Output]] = {
        "app_id": Output("The application's id"),
        "create_time": Output("When it was made, in milliseconds since the epoch", "integer"),
        "update_time": Output("When it last changed, in milliseconds since the epoch", "integer"),
        "create_username": Output("Who made it"),
        "update_username": Output("Who last changed it"),
        "using_shared_storage": Output("Whether it uses shared storage", "boolean"),
    }
    _SERVICE = Service.WEBPLUS
    _ID_FIELD = "app_id"
    _NAME_FIELD = "app_name"
    CREATE = _op("CreateApplication", Sends.CREATE)
    LIST = _op("DescribeApplications")
    READ = LIST  # by id
    UPDATE = _op("UpdateApplication", Sends.UPDATE)
    DELETE = _op("DeleteApplication")
    _PLURAL = "applications"
    _AMBIGUOUS = _AMBIGUOUS
    # What adoption compares with the existing application.
    _ADOPT_MATCH = frozenset({"app_name", "app_description", "category_name"})

    def _applications(
        self, session: Session, *, app_id: str | None = None, app_name: str | None = None
    ) -> tuple[list[dict[str, Any]], Any]:
        """The applications with this id or name (one call), and the SDK response."""
        apps, response = self.listed(session, app_id=app_id, app_name=app_name, page_size=10)
        return [
            record(app)
            for app in apps
            if (app_id is None or app.app_id == app_id)
            and (app_name is None or app.app_name == app_name)
        ], response

    def _items(self, response: Any) -> list[Any]:
        apps = response.body.applications
        return list(apps.application or []) if apps else []

    def _get(self, session: Session, id_: str, _state: Mapping[str, Any]) -> dict[str, Any] | None:
        found, _ = self._applications(session, app_id=id_)
        return found[0] if found else None

    def _absent(self, session: Session, id_: str, state: Mapping[str, Any]) -> bool:
        return self._get(session, id_, state) is None

    def lookup(self, session: Session, inputs: Mapping[str, Any]) -> Lookup:
        """The applications named as `inputs` name theirs, with matching fields."""
        records, response = self._applications(session, app_name=inputs["app_name"])
        return self.found(records, inputs, response)

    def _made(self, response: Any) -> dict[str, Any]:
        return record(response.body.application)


# PkgVersion ----------------------------------------------------------------------------------


class PkgVersionCore(ResourceCore):
    """CreatePkgVersion / DescribePkgVersions / DeletePkgVersion."""

    TYPE = "webplus.PkgVersion"
    DESCRIPTION = "A package version of a WebPlus application, made from an OSS object."
    IMPORT_ID = "``APP_ID:PKG_VERSION_ID`` (a version is found within its application)"
    INPUTS: ClassVar[Mapping[str, Input]] = {
        "app_id": Input(
            "Id of the application the version belongs to",
            required=True,
            rules=(is_str, length(1, 128)),
            replaces=True,
        ),
        "package_source": Input(
            "The package. Kept as given: the API answers an internal copy's URL instead, "
            "exposed as the ``package_url`` output",
            required=True,
            rules=(is_str, oss_uri),
            replaces=True,
            unreadable=True,
            imported_as="package_url",
        ),
        "pkg_version_label": text_input(
            "Version label, unique within the application; when a replacement keeps it, the "
            "old version is deleted before the new one is created",
            required=True,
            replaces=True,
        ),
        "pkg_version_description": text_input("Description", replaces=True),
        "region": REGION,
        "force_delete": FORCE_DELETE,
        "adopt_id": adopt_id(
            "Id of an existing package version (with this label in this application) to "
            "adopt at create instead of creating one"
        ),
    }
    OUTPUTS: ClassVar[Mapping[str, Output]] = {
        "pkg_version_id": Output("The package version's id"),
        "app_name": Output("The application's name"),
        "package_url": Output(
            "The URL of WebPlus's internal copy of the package",
            derived_from=("package_source",),
        ),
        "package_etag": Output("The package's ETag"),
        "create_username": Output("Who made it"),
        "create_time": Output("When it was made, in milliseconds since the epoch", "integer"),
        "update_time": Output("When it last changed, in milliseconds since the epoch", "integer"),
    }
    _SERVICE = Service.WEBPLUS
    _ID_FIELD = "pkg_version_id"
    _NAME_FIELD = "pkg_version_label"
    CREATE = _op("CreatePkgVersion", Sends.CREATE)
    LIST = _op("DescribePkgVersions")
    READ = LIST  # by label, within the application
    DELETE = _op("DeletePkgVersion")
    USERS = _op("DescribeAppEnvs")
    _PLURAL = "package versions"
    _AMBIGUOUS = _AMBIGUOUS
    # The API does not give back the oss:// source, so adoption cannot compare it.
    _ADOPT_MATCH = frozenset({"app_id", "pkg_version_label", "pkg_version_description"})

    def _delete_before_replace(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
        # Two versions cannot share a label in one application (VersionLabelExists), so a
        # replacement that keeps the label (or may keep it: unknown) must delete first.
        new_label = self._value(news, "pkg_version_label")
        return is_unknown(new_label) or new_label == self._value(olds, "pkg_version_label")

    def _labelled(
        self, session: Session, app_id: str, label: str
    ) -> tuple[dict[str, Any] | None, Any]:
        """The version labelled `label` in `app_id` (one exact-filter call), and the response."""
        found, response = self.listed(session, app_id=app_id, pkg_version_label=label, page_size=10)
        for version in found:
            if version.pkg_version_label == label:
                return _live_version(version), response
        return None, response

    def _items(self, response: Any) -> list[Any]:
        versions = response.body.pkg_versions
        return list(versions.pkg_version or []) if versions else []

    def _find(self, session: Session, app_id: str, label: str) -> dict[str, Any] | None:
        return self._labelled(session, app_id, label)[0]

    def lookup(self, session: Session, inputs: Mapping[str, Any]) -> Lookup:
        """The version holding the label in the application (labels are unique there)."""
        live, response = self._labelled(session, inputs["app_id"], inputs["pkg_version_label"])
        return self.found([live] if live else [], inputs, response)

    def _adopt(self, session: Session, adopt_id: str, inputs: Mapping[str, Any]) -> dict[str, Any]:
        app_id, label = inputs["app_id"], inputs["pkg_version_label"]
        live = self._find(session, app_id, label)
        if live is not None and live.get("pkg_version_id") != adopt_id:
            shows = session.shown.shows
            labelled = f"labelled {label!r}" if shows("pkg_version_label") else "of this label"
            app = f"application {app_id!r}" if shows("app_id") else "this application"
            raise AdoptionError(
                f"{self.TYPE}: cannot adopt {adopt_id!r}: the version {labelled} in {app} is "
                f"{live.get('pkg_version_id')!r}"
            )
        self.check_adoption(adopt_id, inputs, live, self._ADOPT_MATCH, session.shown)
        assert live is not None
        return live

    def _made(self, response: Any) -> dict[str, Any]:
        return _live_version(response.body.pkg_version)

    def _create_failed(
        self, session: Session, inputs: Mapping[str, Any], exc: ApiError
    ) -> Exception | None:
        if exc.code != "VersionLabelExists":
            return None
        return self._label_taken(session, inputs["app_id"], inputs["pkg_version_label"], exc)

    def _label_taken(self, session: Session, app_id: str, label: str, taken: ApiError) -> ApiError:
        """`taken` naming the version that holds the label, and what to do about it.

        The version is never adopted here: it may belong to another resource of the stack (a
        second one given the same label, or one renamed without an alias, whose old name the
        engine deletes after this create), and adopting it would put one version under two
        resources. Whether one does is known only when the engine has named that resource to
        this process (`holder`); otherwise the advice says how to tell. One more call, on this
        failure only.
        """
        live = self._find(session, app_id, label)
        if live is None:
            return taken  # deleted since; the next up may succeed
        existing = str(live.get("pkg_version_id"))
        known, name = self.holder(existing)
        if known:
            who = f"resource {name!r} of this stack" if name else "a resource of this stack"
            advice = (
                f"{who} manages it, and one version cannot be under two resources: give one of "
                "them another label"
            )
        else:
            advice = (
                f"if no resource of this stack manages it (`pulumi stack --show-ids` lists their "
                f"ids), set adopt_id to {existing!r} to adopt it, or delete it; if one does, give "
                "this resource another label"
            )
        return taken.with_message(
            f"{taken.message}: the label belongs to version {existing}: {advice}"
        )

    def _get(self, session: Session, id_: str, state: Mapping[str, Any]) -> dict[str, Any] | None:
        """The live version, found by its label; None when it (or its app) is gone.

        ``package_source`` stays the user's ``oss://`` input; the URL the API answers is the
        ``package_url`` output.
        """
        live = self._find(session, state["app_id"], state["pkg_version_label"])
        if live is not None and live.get("pkg_version_id") != id_:
            return None  # the label now belongs to another version: ours is gone
        return live

    def _absent(self, session: Session, id_: str, state: Mapping[str, Any]) -> bool:
        """Absent when its application is (DescribeApplications by id answers without it),
        or when the application's listing by the label answers without this version."""
        app_id, label = state.get("app_id"), state.get("pkg_version_label")
        if not isinstance(app_id, str):
            return False
        if ApplicationCore()._get(session, app_id, {}) is None:
            return True
        return isinstance(label, str) and self._get(session, id_, state) is None

    _IN_USE_HINT = (
        "Deploy another version to those environments first, or give the new version another "
        "label so that it is created before this one is deleted"
    )

    def _users(self, session: Session, id_: str, state: Mapping[str, Any]) -> list[str]:
        """The application's environments (not terminated) that run this version
        (DescribeAppEnvs, shared by the deletes of the application's versions: `users_of`)."""
        app_id = state.get("app_id")
        if not isinstance(app_id, str):
            return []
        users = self.USERS
        assert users is not None

        def page(number: int) -> list[Any]:
            request = self.request(
                users, session, app_id=app_id, page_size=PAGE_SIZE, page_number=number
            )
            body = session.call(users, request).body.app_envs
            return list(body.app_env or []) if body else []

        def listing() -> Users:
            return tuple(
                (
                    env.pkg_version_id,
                    f"environment {env.env_id} ({env.env_name!r}, {env.env_status})",
                )
                for env in paged(page)
                if str(env.env_status).upper() not in _ENDED
            )

        return [user for version, user in users_of(session, app_id, listing) if version == id_]

    def read_imported(self, import_id: str) -> Read:
        """The version `pulumi import` names as ``APP_ID:PKG_VERSION_ID`` (a version is found
        within its application), with the inputs the API answers and, for ``package_source``,
        which it does not give back, its ``package_url`` (`imported`). A blank id when there
        is no such version."""
        app_id, _, id_ = import_id.partition(":")
        if not app_id or not id_ or ":" in id_:
            raise ImportIdError(
                f"{self.TYPE}: import id {import_id!r} is not APP_ID:PKG_VERSION_ID (a version "
                "is found within its application): the application's id is the app_id output "
                "of its webplus.Application resource (`pulumi stack --show-ids` lists it as "
                "that resource's id) or in the WebPlus console's list of applications"
            )
        session = self.session({}, id_=id_)
        try:
            for version in self.every(session, app_id=app_id):
                if version.pkg_version_id == id_:
                    self.seen(id_)
                    return self.imported(id_, _live_version(version))
        except ApiError as exc:
            if not self._gone(session, exc, id_, {"app_id": app_id}):
                raise
        return self.imported(id_, None)
