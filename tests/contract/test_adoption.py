"""Adoption: adopt_id takes over an existing resource when its immutable fields match."""

from __future__ import annotations

from typing import Any

import grpc
import pytest

from alicloud_versions.emulator import Emulator
from alicloud_versions.servicecatalog import (
    ProductProvider,
    ProductVersionProvider,
)
from alicloud_versions.webplus import ApplicationProvider, PkgVersionProvider

from .conftest import Host, make_product


@pytest.fixture
def existing(host: Host) -> dict[str, Any]:
    """A product version and a package version made outside the stack under test."""
    made = make_product(host)
    template_url, product_id = made["template_url"], made["product_id"]
    pv_inputs = {
        "product_id": product_id,
        "product_version_name": "1.0",
        "template_type": "RosTerraformTemplate",
        "template_url": template_url,
    }
    pv_id, _ = host.create(ProductVersionProvider(), pv_inputs)
    app_id, _ = host.create(ApplicationProvider(), {"app_name": "shop"})
    pkg_inputs = {
        "app_id": app_id,
        "package_source": "oss://bucket/a.war",
        "pkg_version_label": "1.5",
    }
    pkg_id, _ = host.create(PkgVersionProvider(), pkg_inputs)
    return {"pv": (pv_id, pv_inputs), "pkg": (pkg_id, pkg_inputs), "product_id": product_id}


def test_adopting_a_matching_product_version_applies_the_inputs(
    host: Host, existing: dict[str, Any], emulator: Emulator
) -> None:
    """Matching immutable fields adopt the version; differing mutable ones are then updated."""
    pv_id, inputs = existing["pv"]
    before = emulator.requests()["counts"]["CreateProductVersion"]
    id_, outs = host.create(
        ProductVersionProvider(), {**inputs, "guidance": "Latest", "adopt_id": pv_id}
    )
    assert id_ == pv_id
    assert outs["guidance"] == "Latest"
    assert emulator.requests()["counts"]["CreateProductVersion"] == before


def test_adopting_a_mismatched_product_version_names_the_fields(
    host: Host, existing: dict[str, Any]
) -> None:
    """Differing immutable fields fail the create with each field named."""
    pv_id, inputs = existing["pv"]
    with pytest.raises(grpc.RpcError) as caught:
        host.create(
            ProductVersionProvider(),
            {**inputs, "template_type": "RosStandardTemplate", "adopt_id": pv_id},
        )
    details = caught.value.details()
    assert "cannot adopt" in details and "template_type" in details
    assert "template_url" not in details


def test_adopting_a_missing_resource_fails_clearly(host: Host, existing: dict[str, Any]) -> None:
    """An adopt_id that does not exist fails with a clear message."""
    _, inputs = existing["pv"]
    with pytest.raises(grpc.RpcError) as caught:
        host.create(ProductVersionProvider(), {**inputs, "adopt_id": "pv-doesnotexist"})
    assert "no such resource" in caught.value.details()


def test_adopting_a_package_version(host: Host, existing: dict[str, Any]) -> None:
    """A package version is adopted by id when its app and label match; a wrong id fails."""
    pkg_id, inputs = existing["pkg"]
    id_, outs = host.create(PkgVersionProvider(), {**inputs, "adopt_id": pkg_id})
    assert id_ == pkg_id
    assert outs["package_source"] == "oss://bucket/a.war"
    with pytest.raises(grpc.RpcError) as caught:
        host.create(PkgVersionProvider(), {**inputs, "adopt_id": "wp-other"})
    assert "cannot adopt" in caught.value.details()


def test_adopting_a_product_with_another_name_fails(host: Host, existing: dict[str, Any]) -> None:
    """A product whose name differs from the input is not adopted."""
    with pytest.raises(grpc.RpcError) as caught:
        host.create(
            ProductProvider(),
            {
                "product_name": "other",
                "provider_name": "team",
                "product_type": "Ros",
                "adopt_id": existing["product_id"],
            },
        )
    assert "product_name" in caught.value.details()


def test_import_option_cannot_work_for_dynamic_resources(host: Host) -> None:
    """The engine's import Read carries no __provider, so the dynamic host fails it.

    This is why adopt_id exists (pulumi/pulumi#16175).
    """
    from pulumi.runtime.proto import provider_pb2

    from .conftest import to_struct

    with pytest.raises(grpc.RpcError) as caught:
        host.stub.Read(
            provider_pb2.ReadRequest(id="pv-1", urn="urn:test", properties=to_struct({}))
        )
    assert "__provider" in caught.value.details()
