"""PkgVersion through the provider protocol: create, replace ordering, refresh, delete."""

from __future__ import annotations

from typing import Any

import pytest

from alicloud_versions.emulator import Emulator
from alicloud_versions.webplus import ApplicationProvider, PkgVersionProvider

from .conftest import Host, sdk_client

PKG = PkgVersionProvider()


@pytest.fixture
def app_id(host: Host) -> str:
    """An application made through the protocol."""
    id_, outs = host.create(ApplicationProvider(), {"app_name": "shop", "app_description": "d"})
    assert outs["app_id"] == id_
    return id_


def pkg_inputs(app_id: str, **extra: Any) -> dict[str, Any]:
    """The inputs of a package version of `app_id`."""
    return {
        "app_id": app_id,
        "package_source": "oss://bucket/app.war",
        "pkg_version_label": "1.5",
        "pkg_version_description": "release 1.5",
        **extra,
    }


def test_create_keeps_the_oss_source_and_exposes_the_url(host: Host, app_id: str) -> None:
    """Create returns every API field; package_source stays the input, the URL is package_url."""
    id_, outs = host.create(PKG, pkg_inputs(app_id))
    assert outs["pkg_version_id"] == id_
    assert outs["package_source"] == "oss://bucket/app.war"
    assert outs["package_url"].startswith("https://")
    assert outs["app_name"] == "shop"
    assert {"create_time", "update_time", "pkg_version_label", "app_id"} <= set(outs)
    diff = host.diff(PKG, id_, outs, pkg_inputs(app_id))
    assert diff.changes == diff.DIFF_NONE


def test_replacement_keeping_the_label_deletes_first(host: Host, app_id: str) -> None:
    """A new source with the same label replaces delete-first; a new label creates first."""
    id_, outs = host.create(PKG, pkg_inputs(app_id))
    same_label = host.diff(PKG, id_, outs, pkg_inputs(app_id, package_source="oss://bucket/b.war"))
    assert list(same_label.replaces) == ["package_source"]
    assert same_label.deleteBeforeReplace is True
    new_label = host.diff(PKG, id_, outs, pkg_inputs(app_id, pkg_version_label="1.6"))
    assert list(new_label.replaces) == ["pkg_version_label"]
    assert new_label.deleteBeforeReplace is False


def test_delete_first_replacement_succeeds_where_create_first_fails(
    host: Host, app_id: str
) -> None:
    """With the same label, creating before deleting hits VersionLabelExists; delete first works."""
    id_, outs = host.create(PKG, pkg_inputs(app_id))
    news = pkg_inputs(app_id, package_source="oss://bucket/b.war")
    with pytest.raises(Exception, match="VersionLabelExists"):
        host.create(PKG, news)
    host.delete(PKG, id_, outs)
    new_id, new_outs = host.create(PKG, news)
    assert new_id != id_
    assert new_outs["package_source"] == "oss://bucket/b.war"


def test_read_after_out_of_band_delete_reports_gone(
    host: Host, app_id: str, emulator: Emulator
) -> None:
    """Deleted outside Pulumi, the version reads back with a blank id; deleting it succeeds."""
    from alibabacloud_webplus20190320 import models

    id_, outs = host.create(PKG, pkg_inputs(app_id))
    read_id, read_outs, read_inputs = host.read(PKG, id_, outs)
    assert read_id == id_
    assert read_outs["package_source"] == "oss://bucket/app.war"
    assert read_outs["package_url"] == outs["package_url"]
    assert read_inputs == {}  # nothing drifted: the engine keeps the state's inputs

    sdk_client(emulator, "webplus").delete_pkg_version(
        models.DeletePkgVersionRequest(pkg_version_id=id_)
    )
    gone_id, _, _ = host.read(PKG, id_, outs)
    assert gone_id == ""
    host.delete(PKG, id_, outs)


def test_refresh_uses_one_exact_label_lookup(host: Host, app_id: str, emulator: Emulator) -> None:
    """Read asks DescribePkgVersions once, filtered by the exact label."""
    for label in ("1.1", "1.2", "1.3"):
        host.create(PKG, pkg_inputs(app_id, pkg_version_label=label))
    id_, outs = host.create(PKG, pkg_inputs(app_id))
    before = emulator.requests()["counts"].get("DescribePkgVersions", 0)
    host.read(PKG, id_, outs)
    assert emulator.requests()["counts"]["DescribePkgVersions"] == before + 1


def test_application_gone_means_its_versions_read_as_gone(
    host: Host, app_id: str, emulator: Emulator
) -> None:
    """When the application is deleted, its versions and itself read back as gone."""
    app = ApplicationProvider()
    id_, outs = host.create(PKG, pkg_inputs(app_id))
    app_outs = {"app_name": "shop", "app_id": app_id}
    host.delete(app, app_id, app_outs)
    assert host.read(PKG, id_, outs)[0] == ""
    assert host.read(app, app_id, app_outs)[0] == ""
    host.delete(app, app_id, app_outs)
