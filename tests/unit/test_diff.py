"""diff reports exactly the changed inputs and which replace, from each resource's declaration."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.output import Unknown

from alicloud_versions.dynamic._provider import BaseProvider
from alicloud_versions.servicecatalog import ProductProvider, ProductVersionProvider
from alicloud_versions.webplus import ApplicationProvider, PkgVersionProvider

from .resources import PROVIDERS, VALID, provider_id

pytestmark = pytest.mark.usefixtures("no_network")

# A value different from (and as valid as) the one in VALID, for every input.
OTHER: dict[str, Any] = {
    "app_name": "shop2",
    "app_description": "another",
    "category_name": "Java",
    "region": "cn-shanghai",
    "app_id": "wa-999",
    "package_source": "oss://bucket/app-2.war",
    "pkg_version_label": "1.6",
    "pkg_version_description": "release 1.6",
    "product_name": "shop2",
    "provider_name": "team2",
    "product_type": "Ros",
    "description": "changed",
    "template_type": "RosStandardTemplate",
    "template_body": '{"a": 1}',
    "product_id": "prod-2",
    "product_version_name": "1.1",
    "template_url": "oss://servicecatalog-cn-hangzhou/123/ros/template/tpl-2/template.json",
    "guidance": "Latest",
    "active": False,
    "adopt_id": "some-id",
    "force_delete": True,
    "portfolio_name": "web2",
    "portfolio_id": "port-2",
    "principal_id": "2035",
    "principal_type": "RamRole",
    "product_version_id": "pv-2",
    "provisioned_product_name": "shop-staging",
    "stack_region_id": "cn-shanghai",
    "parameters": {"size": "2", "password": "hunter2"},
    "tags": {"team": "ops"},
    "env_name": "staging",
    "stack_id": "ws-456",
    "pkg_version_id": "wp-456",
    "env_description": "staging",
    "option_settings": "[]",
    "profile_name": "HighAvailability",
}


def state(cls: type[BaseProvider], **extra: Any) -> dict[str, Any]:
    """Old outputs as create leaves them: the inputs plus computed fields and the provider."""
    return {**VALID[cls], "created": "x", "__provider": "blob", **extra}


@pytest.mark.parametrize("cls", PROVIDERS, ids=provider_id)
def test_unchanged_resource_has_no_changes(cls: type[BaseProvider]) -> None:
    """The same inputs again give changes=False and nothing to replace."""
    result = cls().diff("id-1", state(cls), {**VALID[cls], "__provider": "blob"})
    assert result.changes is False
    assert result.replaces == []


@pytest.mark.parametrize(
    ("cls", "name"),
    [
        (cls, name)
        for cls in PROVIDERS
        for name in cls.kind.INPUTS
        # product_type has a single valid value, so it cannot change.
        if name != "adopt_id" and OTHER[name] != VALID[cls].get(name)
    ],
    ids=lambda v: v if isinstance(v, str) else v.TYPE,
)
def test_each_changed_input_is_reported_and_replaces_as_declared(
    cls: type[BaseProvider], name: str
) -> None:
    """Changing one input reports exactly it; it replaces iff the resource declares so."""
    news = {**VALID[cls], name: OTHER[name]}
    result = cls().diff("id-1", state(cls), news)
    assert result.changes is True
    assert cls().core.changed(state(cls), news) == [name]
    assert result.replaces == ([name] if name in cls.kind._REPLACES else [])


@pytest.mark.parametrize("cls", PROVIDERS, ids=provider_id)
def test_adopt_id_never_causes_a_diff(cls: type[BaseProvider]) -> None:
    """adopt_id is read only by create: adding or changing it later changes nothing."""
    result = cls().diff("id-1", state(cls, adopt_id="a"), {**VALID[cls], "adopt_id": "b"})
    assert result.changes is False


@pytest.mark.parametrize("cls", PROVIDERS, ids=provider_id)
def test_replacing_fields_are_declared_inputs(cls: type[BaseProvider]) -> None:
    """Every field declared as replacing is an input of the resource."""
    assert set(cls.kind.INPUTS) >= cls.kind._REPLACES
    assert "adopt_id" not in cls.kind._REPLACES


def test_pkg_version_every_input_replaces() -> None:
    """PkgVersion has no update API, so every input replaces but adopt_id and force_delete,
    which only the provider reads."""
    assert set(PkgVersionProvider.kind.INPUTS) - PkgVersionProvider.kind._REPLACES == {
        "adopt_id",
        "force_delete",
    }


@pytest.mark.usefixtures("no_network")
@pytest.mark.parametrize("cls", [PkgVersionProvider, ProductVersionProvider], ids=provider_id)
def test_setting_force_delete_is_an_update_that_calls_no_api(cls: type[BaseProvider]) -> None:
    """Setting force_delete is an in-place update recorded in the outputs, with no API call
    (the no_network fixture fails any)."""
    news = {**VALID[cls], "force_delete": True}
    result = cls().diff("id-1", state(cls), news)
    assert (result.changes, result.replaces) == (True, [])
    outs = cls().update("id-1", state(cls), news).outs
    assert outs is not None and outs["force_delete"] is True


def test_pkg_version_same_label_deletes_before_replacing() -> None:
    """A replacement that keeps the label deletes first (labels are unique in an app)."""
    news = {**VALID[PkgVersionProvider], "package_source": "oss://bucket/app-2.war"}
    result = PkgVersionProvider().diff("wp-1", state(PkgVersionProvider), news)
    assert result.replaces == ["package_source"]
    assert result.delete_before_replace is True


def test_pkg_version_new_label_creates_before_deleting() -> None:
    """A replacement that changes the label creates the new version first."""
    news = {**VALID[PkgVersionProvider], "pkg_version_label": "1.6"}
    result = PkgVersionProvider().diff("wp-1", state(PkgVersionProvider), news)
    assert result.replaces == ["pkg_version_label"]
    assert result.delete_before_replace is False


def test_pkg_version_unknown_label_deletes_first() -> None:
    """When the new label is unknown at preview, the replacement is planned delete-first."""
    news = {**VALID[PkgVersionProvider], "pkg_version_label": Unknown()}
    result = PkgVersionProvider().diff("wp-1", state(PkgVersionProvider), news)
    assert result.replaces == ["pkg_version_label"]
    assert result.delete_before_replace is True


def test_pkg_version_diff_compares_the_input_not_the_url_read_back() -> None:
    """The internal package URL in the state never makes the oss:// source look changed."""
    olds = state(PkgVersionProvider, package_url="https://webplus-internal/app.war")
    result = PkgVersionProvider().diff("wp-1", olds, dict(VALID[PkgVersionProvider]))
    assert result.changes is False


def test_product_version_updates_in_place() -> None:
    """Name, description, guidance and active change without a replacement."""
    news = {
        **VALID[ProductVersionProvider],
        "product_version_name": "1.1",
        "description": "new",
        "guidance": "Deprecated",
        "active": False,
    }
    result = ProductVersionProvider().diff("pv-1", state(ProductVersionProvider), news)
    assert result.changes is True
    assert result.replaces == []


def test_product_version_omitted_defaults_match_server_values() -> None:
    """Omitted guidance and active equal the server's Default and true: no permanent diff."""
    news = {
        k: v for k, v in VALID[ProductVersionProvider].items() if k not in ("guidance", "active")
    }
    olds = {**news, "guidance": "Default", "active": True, "product_version_id": "pv-1"}
    assert ProductVersionProvider().diff("pv-1", olds, news).changes is False


def test_product_version_omitting_a_set_guidance_is_a_change() -> None:
    """Removing guidance="Recommended" goes back to Default, which is an in-place change."""
    news = {k: v for k, v in VALID[ProductVersionProvider].items() if k != "guidance"}
    result = ProductVersionProvider().diff("pv-1", state(ProductVersionProvider), news)
    assert result.changes is True
    assert result.replaces == []


@pytest.mark.parametrize(
    ("cls", "name"),
    [
        (ProductVersionProvider, "description"),
        (ProductProvider, "description"),
        (ApplicationProvider, "app_description"),
    ],
    ids=lambda v: v if isinstance(v, str) else v.TYPE,
)
def test_an_omitted_description_is_left_alone(cls: type[BaseProvider], name: str) -> None:
    """An omitted description is not managed (the update APIs cannot unset it), so a
    description on the server is no diff."""
    olds = state(cls, **{name: "set elsewhere"})
    news = {k: v for k, v in VALID[cls].items() if k != name}
    assert cls().diff("id-1", olds, news).changes is False


@pytest.mark.parametrize(
    ("cls", "changes"),
    [
        (ProductProvider, {"product_name": "shop2", "provider_name": "team2"}),
        (ProductProvider, {"description": "now described"}),
        (ApplicationProvider, {"app_description": "now described"}),
    ],
    ids=lambda v: v if isinstance(v, dict) else v.TYPE,
)
def test_what_the_update_apis_change_updates_in_place(
    cls: type[BaseProvider], changes: dict[str, Any]
) -> None:
    """UpdateProduct changes name, provider name and description, UpdateApplication the
    description: a change to them is an update, never a replacement of the parent (which would
    take every version with it)."""
    result = cls().diff("id-1", state(cls), {**VALID[cls], **changes})
    assert result.changes is True
    assert result.replaces == []


def test_unknown_replacing_input_plans_a_replacement() -> None:
    """A replacing input unknown at preview is reported as a replacement."""
    news = {**VALID[ProductVersionProvider], "template_url": Unknown()}
    result = ProductVersionProvider().diff("pv-1", state(ProductVersionProvider), news)
    assert result.replaces == ["template_url"]


def test_an_omitted_map_is_no_change_from_the_empty_one_a_read_answers() -> None:
    """A provisioned product launched without tags reads back `tags: {}`; the next diff of the
    same program finds nothing to change, and adding a tag is still a change."""
    from alicloud_versions.core.provisioned import ProvisionedProductCore

    inputs = {
        "product_id": "prod-1",
        "product_version_id": "pv-1",
        "provisioned_product_name": "shop",
        "stack_region_id": "cn-hangzhou",
    }
    olds = {**inputs, "parameters": {}, "tags": {}}
    assert ProvisionedProductCore().changed(olds, inputs) == []
    assert ProvisionedProductCore().changed(olds, {**inputs, "tags": {"team": "web"}}) == ["tags"]
