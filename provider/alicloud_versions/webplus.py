"""WebPlus resources: `Application` and its package versions, `PkgVersion`.

Adoption: every resource takes ``adopt_id``, the id of an existing resource that create takes
over (after reading it and checking its immutable fields match the inputs) instead of making a
new one; changing it later causes no diff. Pulumi's ``import_`` option does not work for dynamic
resources (the engine's import Read sends no ``__provider``; pulumi/pulumi#16175).

WebPlus answers ``ResourceAuthFailed`` for an application or package version that does not exist
and for one the caller may not touch alike, so that answer alone proves nothing: read and delete
believe the resource gone only when a listing that succeeds (DescribeApplications by id, or
DescribePkgVersions of the application by label) shows it absent.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, overload

import pulumi
from pulumi.dynamic import Resource

from ._client import Session
from ._config import Service
from ._core import ADOPT_ID, REGION, Field, Read, Request, ResourceCore, is_unknown, text_field
from ._errors import AdoptionError, ApiError, ImportIdError
from ._ownership import Lookup
from ._props import BaseProvider
from ._resource import id_output, resource_args, resource_props
from ._validate import is_str, length, oss_uri

__all__ = [
    "Application",
    "ApplicationArgs",
    "ApplicationProvider",
    "PkgVersion",
    "PkgVersionArgs",
    "PkgVersionProvider",
]

# WebPlus's answer for a resource that does not exist, or that the caller may not touch.
_AMBIGUOUS: Mapping[str, str] = {
    "ResourceAuthFailed": "emulator Choice: no public source states WebPlus's not-found answer; "
    "the emulator answers it for an unknown id and another account's alike"
}


def _record(model: Any) -> dict[str, Any]:
    """The set fields of an SDK response model, under the SDK's snake_case names."""
    if model is None:
        return {}
    return {k: v for k, v in vars(model).items() if not k.startswith("_") and v is not None}


def _live_version(model: Any) -> dict[str, Any]:
    """A package version's fields, with the URL the API answers as `package_url`."""
    live = _record(model)
    if "package_source" in live:
        live["package_url"] = live.pop("package_source")
    return live


# Application ---------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ApplicationArgs:
    """The inputs of a WebPlus application. The description updates in place (UpdateApplication);
    every other input replaces, and with it every package version."""

    app_name: pulumi.Input[str]
    """Application name, 1 to 128 characters, unique in the account by convention. Replaces."""
    app_description: pulumi.Input[str] | None = None
    """Free-text description, 1 to 128 characters. Updates in place; omitting it leaves it as
    it is."""
    category_name: pulumi.Input[str] | None = None
    """WebPlus category (stack family) such as ``Java``. Replaces."""
    region: pulumi.Input[str] | None = None
    """Region id; defaults to ``alicloud:region`` or ``cn-hangzhou``. Replaces."""
    adopt_id: pulumi.Input[str] | None = None
    """Id of an existing application to adopt at create instead of creating one (its name must
    match). Read only by create: changing it later changes nothing."""


class ApplicationCore(ResourceCore):
    """CreateApplication / DescribeApplications / UpdateApplication / DeleteApplication."""

    _TYPE = "webplus.Application"
    _SERVICE = Service.WEBPLUS
    _ID_FIELD = "app_id"
    _NAME_FIELD = "app_name"
    _CREATE = "CreateApplication"
    _DELETE = "DeleteApplication"
    _PLURAL = "applications"
    _AMBIGUOUS = _AMBIGUOUS
    _FIELDS: ClassVar[Mapping[str, Field]] = {
        "app_name": text_field(required=True),
        "app_description": text_field(),
        "category_name": text_field(high=64),
        "region": REGION,
        "adopt_id": ADOPT_ID,
    }
    _REPLACES = frozenset({"app_name", "category_name", "region"})
    _KEEP_WHEN_OMITTED = frozenset({"app_description"})
    # What adoption compares with the existing application.
    _ADOPT_MATCH = frozenset({"app_name", "app_description", "category_name"})

    def _applications(
        self, session: Session, *, app_id: str | None = None, app_name: str | None = None
    ) -> tuple[list[dict[str, Any]], Any]:
        """The applications with this id or name (one call), and the SDK response."""
        from alibabacloud_webplus20190320 import models

        request = models.DescribeApplicationsRequest(
            app_id=app_id, app_name=app_name, region_id=session.region, page_size=10
        )
        response = session.call(
            "DescribeApplications",
            lambda c, rt: c.describe_applications_with_options(request, {}, rt),
        )
        apps = response.body.applications.application if response.body.applications else None
        return [
            _record(app)
            for app in apps or []
            if (app_id is None or app.app_id == app_id)
            and (app_name is None or app.app_name == app_name)
        ], response

    def _get(self, session: Session, id_: str, _state: Mapping[str, Any]) -> dict[str, Any] | None:
        found, _ = self._applications(session, app_id=id_)
        return found[0] if found else None

    def _absent(self, session: Session, id_: str, state: Mapping[str, Any]) -> bool:
        return self._get(session, id_, state) is None

    def lookup(self, session: Session, inputs: Mapping[str, Any]) -> Lookup:
        """The applications named as `inputs` name theirs, with matching fields."""
        records, response = self._applications(session, app_name=inputs["app_name"])
        return self.found(records, inputs, response)

    def _create_call(self, session: Session, inputs: Mapping[str, Any]) -> Request:
        from alibabacloud_webplus20190320 import models

        request = models.CreateApplicationRequest(
            app_name=inputs["app_name"],
            app_description=inputs.get("app_description"),
            category_name=inputs.get("category_name"),
            region_id=session.region,
        )
        return lambda c, rt: _record(
            c.create_application_with_options(request, {}, rt).body.application
        )

    def _update_call(self, session: Session, id_: str, inputs: Mapping[str, Any]) -> None:
        """Apply the description with UpdateApplication; the id and the versions stay."""
        from alibabacloud_webplus20190320 import models

        request = models.UpdateApplicationRequest(
            app_id=id_, app_description=inputs.get("app_description"), region_id=session.region
        )
        session.call(
            "UpdateApplication",
            lambda c, rt: c.update_application_with_options(request, {}, rt),
        )

    def _delete_call(self, session: Session, id_: str) -> Request:
        from alibabacloud_webplus20190320 import models

        request = models.DeleteApplicationRequest(app_id=id_, region_id=session.region)
        return lambda c, rt: c.delete_application_with_options(request, {}, rt)


class ApplicationProvider(BaseProvider, ApplicationCore):
    """The dynamic provider of `Application`."""


class Application(Resource, module="alicloud-versions/webplus", name="Application"):
    """A WebPlus application, the home of package versions."""

    app_id: pulumi.Output[str]
    app_name: pulumi.Output[str]
    app_description: pulumi.Output[str | None]
    category_name: pulumi.Output[str | None]
    region: pulumi.Output[str]
    create_time: pulumi.Output[int]
    update_time: pulumi.Output[int]
    create_username: pulumi.Output[str]
    update_username: pulumi.Output[str]
    using_shared_storage: pulumi.Output[bool]

    @overload
    def __init__(
        self,
        resource_name: str,
        args: ApplicationArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        app_name: pulumi.Input[str],
        app_description: pulumi.Input[str] | None = None,
        category_name: pulumi.Input[str] | None = None,
        region: pulumi.Input[str] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
    ) -> None:
        """A WebPlus application, the home of package versions.

        :param resource_name: The resource's name in the stack.
        :param opts: Pulumi resource options.
        :param app_name: Application name, 1 to 128 characters, unique in the account by
            convention. Replaces.
        :param app_description: Free-text description, 1 to 128 characters. Updates in
            place; omitting it leaves it as it is.
        :param category_name: WebPlus category (stack family) such as ``Java``. Replaces.
        :param region: Region id; defaults to ``alicloud:region`` or ``cn-hangzhou``.
            Replaces.
        :param adopt_id: Id of an existing application to adopt at create instead of
            creating one (its name must match). Read only by create: changing it later
            changes nothing.
        """

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        inputs, opts = resource_args(type(self), ApplicationArgs, args, kwargs)
        props = resource_props(type(self), inputs)
        super().__init__(ApplicationProvider(), resource_name, props, opts)
        id_output(self, ApplicationProvider._ID_FIELD)


# PkgVersion ----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class PkgVersionArgs:
    """The inputs of a WebPlus package version. Every input replaces: there is no update API."""

    app_id: pulumi.Input[str]
    """Id of the application the version belongs to. Replaces."""
    package_source: pulumi.Input[str]
    """The package, written ``oss://bucket/object``. Replaces. Kept as given: the API answers
    an internal copy's URL instead, exposed as the ``package_url`` output."""
    pkg_version_label: pulumi.Input[str]
    """Version label, 1 to 128 characters, unique within the application. Replaces; when it
    stays the same the old version is deleted before the new one is created."""
    pkg_version_description: pulumi.Input[str] | None = None
    """Description, 1 to 128 characters. Replaces."""
    region: pulumi.Input[str] | None = None
    """Region id; defaults to ``alicloud:region`` or ``cn-hangzhou``. Replaces."""
    adopt_id: pulumi.Input[str] | None = None
    """Id of an existing package version (with this label in this application) to adopt at
    create instead of creating one. Read only by create: changing it later changes nothing."""


class PkgVersionCore(ResourceCore):
    """CreatePkgVersion / DescribePkgVersions / DeletePkgVersion."""

    _TYPE = "webplus.PkgVersion"
    _SERVICE = Service.WEBPLUS
    _ID_FIELD = "pkg_version_id"
    _NAME_FIELD = "pkg_version_label"
    _CREATE = "CreatePkgVersion"
    _DELETE = "DeletePkgVersion"
    _PLURAL = "package versions"
    _AMBIGUOUS = _AMBIGUOUS
    _FIELDS: ClassVar[Mapping[str, Field]] = {
        "app_id": Field(required=True, rules=(is_str, length(1, 128))),
        "package_source": Field(required=True, rules=(is_str, oss_uri)),
        "pkg_version_label": text_field(required=True),
        "pkg_version_description": text_field(),
        "region": REGION,
        "adopt_id": ADOPT_ID,
    }
    _REPLACES = frozenset(
        {"app_id", "package_source", "pkg_version_label", "pkg_version_description", "region"}
    )
    # The API does not give back the oss:// source, so adoption cannot compare it.
    _ADOPT_MATCH = frozenset({"app_id", "pkg_version_label", "pkg_version_description"})
    _KEEP_ON_READ = frozenset({"adopt_id", "region", "package_source"})

    def _delete_before_replace(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
        # Two versions cannot share a label in one application (VersionLabelExists), so a
        # replacement that keeps the label (or may keep it: unknown) must delete first.
        new_label = self._value(news, "pkg_version_label")
        return is_unknown(new_label) or new_label == self._value(olds, "pkg_version_label")

    def _labelled(
        self, session: Session, app_id: str, label: str
    ) -> tuple[dict[str, Any] | None, Any]:
        """The version labelled `label` in `app_id` (one exact-filter call), and the response."""
        from alibabacloud_webplus20190320 import models

        request = models.DescribePkgVersionsRequest(
            app_id=app_id, pkg_version_label=label, region_id=session.region, page_size=10
        )
        response = session.call(
            "DescribePkgVersions",
            lambda c, rt: c.describe_pkg_versions_with_options(request, {}, rt),
        )
        found = response.body.pkg_versions.pkg_version if response.body.pkg_versions else None
        for version in found or []:
            if version.pkg_version_label == label:
                return _live_version(version), response
        return None, response

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
            raise AdoptionError(
                f"{self._TYPE}: cannot adopt {adopt_id!r}: the version labelled {label!r} in "
                f"application {app_id!r} is {live.get('pkg_version_id')!r}"
            )
        self.check_adoption(adopt_id, inputs, live, self._ADOPT_MATCH)
        assert live is not None
        return live

    def _create_call(self, session: Session, inputs: Mapping[str, Any]) -> Request:
        from alibabacloud_webplus20190320 import models

        request = models.CreatePkgVersionRequest(
            app_id=inputs["app_id"],
            package_source=inputs["package_source"],
            pkg_version_label=inputs["pkg_version_label"],
            pkg_version_description=inputs.get("pkg_version_description"),
            region_id=session.region,
        )
        return lambda c, rt: _live_version(
            c.create_pkg_version_with_options(request, {}, rt).body.pkg_version
        )

    def _create_failed(
        self, session: Session, inputs: Mapping[str, Any], exc: ApiError
    ) -> Exception | None:
        if exc.code != "VersionLabelExists":
            return None
        return self._label_taken(session, inputs["app_id"], inputs["pkg_version_label"], exc)

    def _label_taken(self, session: Session, app_id: str, label: str, taken: ApiError) -> ApiError:
        """`taken` naming the version that holds the label, and how to take it over.

        The version is never adopted here: it may belong to another resource of the stack (one
        renamed without an alias, whose old name the engine deletes after this create), and
        adopting it would leave the state pointing at a deleted version. One more call, on
        this failure only.
        """
        live = self._find(session, app_id, label)
        if live is None:
            return taken  # deleted since; the next up may succeed
        existing = live.get("pkg_version_id")
        return taken.with_message(
            f"{taken.message}: the label belongs to version {existing}: set adopt_id to "
            f"{existing!r} to adopt it (after an interrupted update, or to take it over), "
            "or delete it"
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

    def _delete_call(self, session: Session, id_: str) -> Request:
        from alibabacloud_webplus20190320 import models

        request = models.DeletePkgVersionRequest(pkg_version_id=id_, region_id=session.region)
        return lambda c, rt: c.delete_pkg_version_with_options(request, {}, rt)

    def read_imported(self, import_id: str) -> Read:
        """The version `pulumi import` names as ``APP_ID:PKG_VERSION_ID`` (a version is found
        within its application), with the inputs the API answers: not ``package_source``, which
        it does not give back. A blank id when there is no such version."""
        app_id, _, id_ = import_id.partition(":")
        if not app_id or not id_:
            raise ImportIdError(
                f"{self._TYPE}: import id {import_id!r} is not APP_ID:PKG_VERSION_ID"
            )
        from alibabacloud_webplus20190320 import models

        session = self.session({}, id_=id_)
        page_size = 100  # the most a page holds

        def page(number: int) -> list[Any]:
            request = models.DescribePkgVersionsRequest(
                app_id=app_id, region_id=session.region, page_size=page_size, page_number=number
            )
            response = session.call(
                "DescribePkgVersions",
                lambda c, rt: c.describe_pkg_versions_with_options(request, {}, rt),
            )
            body = response.body.pkg_versions
            return list(body.pkg_version or []) if body else []

        try:
            for number in itertools.count(1):
                found = page(number)
                for version in found:
                    if version.pkg_version_id == id_:
                        return self.refreshed(id_, _live_version(version), {})
                if len(found) < page_size:
                    break
        except ApiError as exc:
            if not self._gone(session, exc, id_, {"app_id": app_id}):
                raise
        return self.refreshed(id_, None, {})


class PkgVersionProvider(BaseProvider, PkgVersionCore):
    """The dynamic provider of `PkgVersion`."""


class PkgVersion(Resource, module="alicloud-versions/webplus", name="PkgVersion"):
    """A package version of a WebPlus application, made from an OSS object."""

    pkg_version_id: pulumi.Output[str]
    app_id: pulumi.Output[str]
    app_name: pulumi.Output[str]
    package_source: pulumi.Output[str]
    package_url: pulumi.Output[str]
    package_etag: pulumi.Output[str]
    pkg_version_label: pulumi.Output[str]
    pkg_version_description: pulumi.Output[str | None]
    region: pulumi.Output[str]
    create_username: pulumi.Output[str]
    create_time: pulumi.Output[int]
    update_time: pulumi.Output[int]

    @overload
    def __init__(
        self,
        resource_name: str,
        args: PkgVersionArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        app_id: pulumi.Input[str],
        package_source: pulumi.Input[str],
        pkg_version_label: pulumi.Input[str],
        pkg_version_description: pulumi.Input[str] | None = None,
        region: pulumi.Input[str] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
    ) -> None:
        """A package version of a WebPlus application, made from an OSS object.

        :param resource_name: The resource's name in the stack.
        :param opts: Pulumi resource options.
        :param app_id: Id of the application the version belongs to. Replaces.
        :param package_source: The package, written ``oss://bucket/object``. Replaces. Kept
            as given: the API answers an internal copy's URL instead, exposed as the
            ``package_url`` output.
        :param pkg_version_label: Version label, 1 to 128 characters, unique within the
            application. Replaces; when it stays the same the old version is deleted before
            the new one is created.
        :param pkg_version_description: Description, 1 to 128 characters. Replaces.
        :param region: Region id; defaults to ``alicloud:region`` or ``cn-hangzhou``.
            Replaces.
        :param adopt_id: Id of an existing package version (with this label in this
            application) to adopt at create instead of creating one. Read only by create:
            changing it later changes nothing.
        """

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        inputs, opts = resource_args(type(self), PkgVersionArgs, args, kwargs)
        props = resource_props(type(self), inputs)
        super().__init__(PkgVersionProvider(), resource_name, props, opts)
        id_output(self, PkgVersionProvider._ID_FIELD)
