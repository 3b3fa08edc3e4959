"""Create adopts an existing resource whose fixed fields all match (left by an interrupted
update), and never one that differs in any of them.

What an interrupted update left is made here through the SDK, as a provider host killed after
its create reached the server would have left it.
"""

from __future__ import annotations

from typing import Any

import grpc
import pytest

from alicloud_versions.emulator import Emulator
from alicloud_versions.servicecatalog import ProductProvider, ProductVersionProvider
from alicloud_versions.webplus import ApplicationProvider, PkgVersionProvider

from .conftest import Host, sdk_client


def counts(emulator: Emulator) -> dict[str, int]:
    """The calls made since the last look, by action; the log is cleared."""
    found = dict(emulator.requests()["counts"])
    emulator.reset_requests()
    return found


# PkgVersion ----------------------------------------------------------------------------------


def left_pkg_version(emulator: Emulator, app_id: str, source: str, description: str | None) -> str:
    """A package version labelled 1.5 made outside the host; its id."""
    from alibabacloud_webplus20190320 import models

    made = sdk_client(emulator, "webplus").create_pkg_version(
        models.CreatePkgVersionRequest(
            app_id=app_id,
            package_source=source,
            pkg_version_label="1.5",
            pkg_version_description=description,
            region_id="cn-hangzhou",
        )
    )
    return str(made.body.pkg_version.pkg_version_id)


def pkg_inputs(app_id: str) -> dict[str, Any]:
    return {
        "app_id": app_id,
        "package_source": "oss://bucket/builds/app.war",
        "pkg_version_label": "1.5",
        "pkg_version_description": "release 1.5",
    }


def test_pkg_version_adopts_the_version_holding_its_label(host: Host, emulator: Emulator) -> None:
    """VersionLabelExists from a version with this description and package file: one exact
    label lookup, and that version is adopted."""
    app_id, _ = host.create(ApplicationProvider(), {"app_name": "shop"})
    left = left_pkg_version(emulator, app_id, "oss://bucket/builds/app.war", "release 1.5")
    counts(emulator)
    id_, outs = host.create(PkgVersionProvider(), pkg_inputs(app_id))
    assert id_ == left
    assert outs["package_source"] == "oss://bucket/builds/app.war"
    assert outs["package_url"].endswith("/app.war")
    assert counts(emulator) == {"CreatePkgVersion": 1, "DescribePkgVersions": 1}


@pytest.mark.parametrize(
    ("source", "description"),
    [
        ("oss://bucket/builds/app.war", "another release"),
        ("oss://bucket/builds/app.war", None),
        ("oss://bucket/builds/other.war", "release 1.5"),
    ],
    ids=["description", "no-description", "package"],
)
def test_pkg_version_refuses_a_version_that_differs(
    host: Host, emulator: Emulator, source: str, description: str | None
) -> None:
    """A version holding the label with another description or package fails the create with
    VersionLabelExists, naming that version and adopt_id."""
    app_id, _ = host.create(ApplicationProvider(), {"app_name": "shop"})
    left = left_pkg_version(emulator, app_id, source, description)
    with pytest.raises(grpc.RpcError) as caught:
        host.create(PkgVersionProvider(), pkg_inputs(app_id))
    details = caught.value.details()
    assert "VersionLabelExists" in details and "RequestId: " in details
    assert f"version {left}" in details and f"set adopt_id to '{left}'" in details


# ProductVersion ------------------------------------------------------------------------------


def left_product_version(emulator: Emulator, **fields: Any) -> str:
    """A product version made outside the host; its id."""
    from alibabacloud_servicecatalog20210901 import models

    made = sdk_client(emulator, "servicecatalog").create_product_version(
        models.CreateProductVersionRequest(template_type="RosTerraformTemplate", **fields)
    )
    return str(made.body.product_version_id)


def test_product_version_adopts_a_matching_version_and_applies_the_rest(
    host: Host, emulator: Emulator, product: dict[str, str]
) -> None:
    """Same product, name, template type and URL: adopted, and the other inputs updated."""
    left = left_product_version(emulator, product_version_name="1.0", description="old", **product)
    counts(emulator)
    inputs = {
        **product,
        "product_version_name": "1.0",
        "template_type": "RosTerraformTemplate",
        "description": "new",
        "guidance": "Latest",
    }
    id_, outs = host.create(ProductVersionProvider(), inputs)
    assert id_ == left
    assert (outs["description"], outs["guidance"], outs["active"]) == ("new", "Latest", True)
    assert counts(emulator) == {"ListProductVersions": 1, "UpdateProductVersion": 1}
    # Adopted once: another create with the same fields makes a version of its own.
    again, _ = host.create(ProductVersionProvider(), inputs)
    assert again != left
    assert counts(emulator) == {"CreateProductVersion": 1}


@pytest.mark.parametrize("field", ["product_version_name", "template_url"])
def test_product_version_does_not_adopt_one_that_differs(
    host: Host, emulator: Emulator, product: dict[str, str], field: str
) -> None:
    """A version differing in one fixed field is left alone; a new one is made."""
    fields = {**product, "product_version_name": "1.0"}
    other = {
        "product_version_name": "1.1",
        "template_url": product["template_url"].replace("template.json", "other.json"),
    }
    left = left_product_version(emulator, **{**fields, field: other[field]})
    counts(emulator)
    id_, _ = host.create(
        ProductVersionProvider(), {**fields, "template_type": "RosTerraformTemplate"}
    )
    assert id_ != left
    assert counts(emulator) == {"ListProductVersions": 1, "CreateProductVersion": 1}


# Application and Product ---------------------------------------------------------------------


def left_application(emulator: Emulator, description: str) -> str:
    from alibabacloud_webplus20190320 import models

    made = sdk_client(emulator, "webplus").create_application(
        models.CreateApplicationRequest(
            app_name="shop",
            category_name="Java",
            app_description=description,
            region_id="cn-hangzhou",
        )
    )
    return str(made.body.application.app_id)


@pytest.mark.parametrize(("description", "adopted"), [("the shop", True), ("a shop", False)])
def test_application_adopts_only_a_matching_one(
    host: Host, emulator: Emulator, description: str, adopted: bool
) -> None:
    """An application with the same name, category and description is adopted; one whose
    description differs is not."""
    left = left_application(emulator, description)
    counts(emulator)
    inputs = {"app_name": "shop", "category_name": "Java", "app_description": "the shop"}
    id_, outs = host.create(ApplicationProvider(), inputs)
    assert (id_ == left) is adopted
    assert outs["app_id"] == id_
    creates = {} if adopted else {"CreateApplication": 1}
    assert counts(emulator) == {"DescribeApplications": 1, **creates}


def left_product(emulator: Emulator, provider_name: str) -> str:
    from alibabacloud_servicecatalog20210901 import models

    made = sdk_client(emulator, "servicecatalog").create_product(
        models.CreateProductRequest(
            product_name="shop",
            provider_name=provider_name,
            product_type="Ros",
            template_type="RosTerraformTemplate",
        )
    )
    return str(made.body.product_id)


@pytest.mark.parametrize(("provider_name", "adopted"), [("team", True), ("others", False)])
def test_product_adopts_only_a_matching_one(
    host: Host, emulator: Emulator, provider_name: str, adopted: bool
) -> None:
    """A product with every input the same is adopted; one whose provider differs is not."""
    left = left_product(emulator, provider_name)
    counts(emulator)
    inputs = {
        "product_name": "shop",
        "provider_name": "team",
        "product_type": "Ros",
        "template_type": "RosTerraformTemplate",
    }
    id_, outs = host.create(ProductProvider(), inputs)
    assert (id_ == left) is adopted
    assert outs["product_id"] == id_
    creates = {} if adopted else {"CreateProduct": 1}
    assert counts(emulator) == {"ListProductsAsAdmin": 1, **creates}


def test_a_product_that_lacks_an_input_is_not_adopted(host: Host, emulator: Emulator) -> None:
    """An input left out matches only a field the server left unset: a product with a
    template type is not adopted for one declared without it."""
    left = left_product(emulator, "team")
    inputs = {"product_name": "shop", "provider_name": "team", "product_type": "Ros"}
    id_, _ = host.create(ProductProvider(), inputs)
    assert id_ != left
