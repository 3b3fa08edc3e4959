"""WebPlus 2019-03-20 through the official SDK client: every operation and its errors."""

from __future__ import annotations

import re

import pytest
from alibabacloud_webplus20190320 import models as wp
from alibabacloud_webplus20190320.client import Client as WebPlusClient

from tests.emulator.conftest import Controls, error_of
from tests.support.builders import create_app
from tests.support.builders import create_pkg_version as create_version
from tests.support.builders import describe_pkg_versions as describe

REQUEST_ID = re.compile(r"^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$")


def test_create_application(webplus: WebPlusClient) -> None:
    """CreateApplication answers the application with a wa- id, millisecond times and OK."""
    response = webplus.create_application(
        wp.CreateApplicationRequest(
            app_name="shop", app_description="web shop", category_name="java"
        )
    )
    body = response.body
    assert body.code == "OK"
    assert REQUEST_ID.match(body.request_id)
    assert response.headers["x-acs-request-id"] == body.request_id
    app = body.application
    assert re.match(r"^wa-[0-9a-f]{24}$", app.app_id)
    assert (app.app_name, app.app_description, app.category_name) == ("shop", "web shop", "java")
    assert app.create_time > 1_600_000_000_000
    assert app.update_time == app.create_time


def test_describe_applications_filters_and_pages(webplus: WebPlusClient) -> None:
    """DescribeApplications filters by id, exact name and name substring, and pages."""
    ids = [create_app(webplus, f"app-{i}") for i in range(3)]
    create_app(webplus, "other")
    everything = webplus.describe_applications(wp.DescribeApplicationsRequest()).body
    assert everything.total_count == 4
    by_id = webplus.describe_applications(wp.DescribeApplicationsRequest(app_id=ids[1])).body
    assert [a.app_id for a in by_id.applications.application] == [ids[1]]
    by_name = webplus.describe_applications(wp.DescribeApplicationsRequest(app_name="other")).body
    assert by_name.total_count == 1
    search = webplus.describe_applications(wp.DescribeApplicationsRequest(app_search="APP-")).body
    assert search.total_count == 3
    page = webplus.describe_applications(
        wp.DescribeApplicationsRequest(page_size=2, page_number=2)
    ).body
    assert (page.page_number, page.page_size, page.total_count) == (2, 2, 4)
    assert len(page.applications.application) == 2


def test_delete_application_removes_it_and_its_versions(
    webplus: WebPlusClient, controls: Controls
) -> None:
    """DeleteApplication removes the application and the package versions it still held."""
    app_id = create_app(webplus)
    create_version(webplus, app_id, "v1")
    assert webplus.delete_application(wp.DeleteApplicationRequest(app_id=app_id)).body.code == "OK"
    assert webplus.describe_applications(wp.DescribeApplicationsRequest()).body.total_count == 0
    holdings = controls.get("/_emulator/inventory")["accounts"]["1234567890123456"]
    assert holdings["applications"] == [] and holdings["pkg_versions"] == []


def test_create_pkg_version(webplus: WebPlusClient, controls: Controls) -> None:
    """CreatePkgVersion answers a wp- id and an internal package path, keeping the oss:// source."""
    app_id = create_app(webplus)
    version = create_version(webplus, app_id, "v1.0", "oss://my-bucket/builds/shop-1.0.war")
    assert re.match(r"^wp-[0-9a-f]{24}$", version.pkg_version_id)
    assert (version.app_id, version.app_name, version.pkg_version_label) == (app_id, "shop", "v1.0")
    assert version.pkg_version_description == "d"
    assert version.package_source.startswith("https://webplus-cn-hangzhou.oss-")
    assert version.package_source.endswith("/shop-1.0.war")
    assert version.create_time == version.update_time
    [record] = controls.get("/_emulator/inventory")["accounts"]["1234567890123456"]["pkg_versions"]
    assert record["SubmittedPackageSource"] == "oss://my-bucket/builds/shop-1.0.war"
    assert record["PackageSource"] == version.package_source


def test_describe_pkg_versions_answers_the_created_version(webplus: WebPlusClient) -> None:
    """DescribePkgVersions answers the same record CreatePkgVersion did, plus its ETag."""
    app_id = create_app(webplus)
    created = create_version(webplus, app_id, "v1")
    body = describe(webplus, app_id)
    assert (body.code, body.total_count, body.page_number, body.page_size) == ("OK", 1, 1, 10)
    [found] = body.pkg_versions.pkg_version
    assert found.pkg_version_id == created.pkg_version_id
    assert found.package_source == created.package_source
    assert found.create_time == created.create_time
    assert re.match(r"^[0-9A-F]{32}$", found.package_etag)


def test_describe_pkg_versions_pages_over_more_than_one_page(webplus: WebPlusClient) -> None:
    """Paging walks every version exactly once, newest first, with the total on every page."""
    app_id = create_app(webplus)
    created = [create_version(webplus, app_id, f"v{i}").pkg_version_id for i in range(25)]
    pages = [describe(webplus, app_id, page_size=10, page_number=n) for n in (1, 2, 3, 4)]
    assert [p.total_count for p in pages] == [25] * 4
    assert [len(p.pkg_versions.pkg_version) for p in pages] == [10, 10, 5, 0]
    seen = [v.pkg_version_id for p in pages for v in p.pkg_versions.pkg_version]
    assert seen == list(reversed(created))


def test_describe_pkg_versions_label_filter_is_exact(webplus: WebPlusClient) -> None:
    """PkgVersionLabel matches the whole label only."""
    app_id = create_app(webplus)
    for label in ("v1", "v10", "release-v1"):
        create_version(webplus, app_id, label)
    body = describe(webplus, app_id, pkg_version_label="v1")
    assert [v.pkg_version_label for v in body.pkg_versions.pkg_version] == ["v1"]
    assert body.total_count == 1


def test_describe_pkg_versions_search_filter_is_a_substring(webplus: WebPlusClient) -> None:
    """PkgVersionSearch matches labels containing the text, ignoring case."""
    app_id = create_app(webplus)
    for label in ("v1", "V10", "release-v1", "other"):
        create_version(webplus, app_id, label)
    body = describe(webplus, app_id, pkg_version_search="v1", page_size=50)
    assert sorted(v.pkg_version_label for v in body.pkg_versions.pkg_version) == [
        "V10",
        "release-v1",
        "v1",
    ]


def test_delete_pkg_version(webplus: WebPlusClient) -> None:
    """DeletePkgVersion removes the version; deleting it again answers ResourceAuthFailed."""
    app_id = create_app(webplus)
    version_id = create_version(webplus, app_id, "v1").pkg_version_id
    request = wp.DeletePkgVersionRequest(pkg_version_id=version_id)
    assert webplus.delete_pkg_version(request).body.code == "OK"
    assert describe(webplus, app_id).total_count == 0
    err = error_of(lambda: webplus.delete_pkg_version(request))
    assert (err.code, err.data["statusCode"]) == ("ResourceAuthFailed", 403)


def test_version_label_exists(webplus: WebPlusClient) -> None:
    """A label already used in the application answers VersionLabelExists; other apps reuse it."""
    app_id = create_app(webplus)
    create_version(webplus, app_id, "v1")
    err = error_of(lambda: create_version(webplus, app_id, "v1"))
    assert (err.code, err.data["statusCode"]) == ("VersionLabelExists", 400)
    assert REQUEST_ID.match(err.data["RequestId"])
    assert err.data["RequestId"] in err.message
    create_version(webplus, create_app(webplus, "second"), "v1")


@pytest.mark.parametrize(
    "source",
    [
        "http://my-bucket/app.war",
        "oss://my-bucket",
        "oss://my-bucket/",
        "oss://My_Bucket/app.war",
        "shop.war",
    ],
)
def test_oss_path_invalid(webplus: WebPlusClient, source: str) -> None:
    """A PackageSource that is not oss://bucket/object answers OSSPathInvalid."""
    app_id = create_app(webplus)
    err = error_of(lambda: create_version(webplus, app_id, "v1", source))
    assert (err.code, err.data["statusCode"]) == ("OSSPathInvalid", 400)


@pytest.mark.parametrize("missing", ["AppId", "PkgVersionLabel", "PackageSource"])
def test_create_pkg_version_missing_parameter(webplus: WebPlusClient, missing: str) -> None:
    """CreatePkgVersion without a required field answers MissingParameter naming it."""
    fields = {
        "app_id": create_app(webplus),
        "pkg_version_label": "v1",
        "package_source": "oss://b-1/a.war",
    }
    del fields[
        {
            "AppId": "app_id",
            "PkgVersionLabel": "pkg_version_label",
            "PackageSource": "package_source",
        }[missing]
    ]
    err = error_of(lambda: webplus.create_pkg_version(wp.CreatePkgVersionRequest(**fields)))
    assert (err.code, err.data["statusCode"]) == ("MissingParameter", 400)
    assert missing in err.data["Message"]


def test_describe_pkg_versions_requires_app_id(webplus: WebPlusClient) -> None:
    """DescribePkgVersions without AppId answers MissingParameter naming it."""
    err = error_of(lambda: webplus.describe_pkg_versions(wp.DescribePkgVersionsRequest()))
    assert err.code == "MissingParameter"
    assert "AppId" in err.data["Message"]


def test_invalid_page_size(webplus: WebPlusClient) -> None:
    """A PageSize outside 1 to 100 answers InvalidParameter naming it."""
    app_id = create_app(webplus)
    err = error_of(lambda: describe(webplus, app_id, page_size=101))
    assert err.code == "InvalidParameter"
    assert "PageSize" in err.data["Message"]


def test_unknown_app_id_is_resource_auth_failed(webplus: WebPlusClient) -> None:
    """An application id that does not exist answers ResourceAuthFailed on every operation."""
    unknown = "wa-000000000000000000000000"
    calls = [
        lambda: create_version(webplus, unknown, "v1"),
        lambda: describe(webplus, unknown),
        lambda: webplus.delete_application(wp.DeleteApplicationRequest(app_id=unknown)),
    ]
    for call in calls:
        err = error_of(call)
        assert (err.code, err.data["statusCode"]) == ("ResourceAuthFailed", 403)


def test_another_accounts_resources_are_resource_auth_failed(
    webplus: WebPlusClient, other_webplus: WebPlusClient
) -> None:
    """Another account's application and versions answer ResourceAuthFailed and stay untouched."""
    app_id = create_app(webplus)
    version_id = create_version(webplus, app_id, "v1").pkg_version_id
    calls = [
        lambda: create_version(other_webplus, app_id, "v2"),
        lambda: describe(other_webplus, app_id),
        lambda: other_webplus.delete_application(wp.DeleteApplicationRequest(app_id=app_id)),
        lambda: other_webplus.delete_pkg_version(
            wp.DeletePkgVersionRequest(pkg_version_id=version_id)
        ),
    ]
    for call in calls:
        err = error_of(call)
        assert (err.code, err.data["statusCode"]) == ("ResourceAuthFailed", 403)
    assert (
        other_webplus.describe_applications(wp.DescribeApplicationsRequest()).body.total_count == 0
    )
    assert [v.pkg_version_id for v in describe(webplus, app_id).pkg_versions.pkg_version] == [
        version_id
    ]


def test_update_application(webplus: WebPlusClient, other_webplus: WebPlusClient) -> None:
    """UpdateApplication sets AppDescription; an unknown or another account's app is refused."""
    app_id = create_app(webplus)
    response = webplus.update_application(
        wp.UpdateApplicationRequest(app_id=app_id, app_description="new words")
    )
    assert response.body.code == "OK"
    assert (response.body.application.app_id, response.body.application.app_description) == (
        app_id,
        "new words",
    )
    app = webplus.describe_applications(wp.DescribeApplicationsRequest(app_id=app_id)).body
    assert app.applications.application[0].app_description == "new words"
    for client, target in ((webplus, "wa-000000000000000000000000"), (other_webplus, app_id)):
        request = wp.UpdateApplicationRequest(app_id=target, app_description="x")
        err = error_of(lambda c=client, r=request: c.update_application(r))
        assert (err.code, err.data["statusCode"]) == ("ResourceAuthFailed", 403)
    err = error_of(lambda: webplus.update_application(wp.UpdateApplicationRequest()))
    assert (err.code, err.data["statusCode"]) == ("MissingParameter", 400)
