"""A resource is gone only on evidence: its kind's declared not-found code, or an ambiguous code
that a listing which succeeds confirms. Any other answer fails read and delete."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import grpc
import pytest

from alicloud_versions.dynamic._provider import BaseProvider
from alicloud_versions.emulator import Emulator, ErrorFault, FaultConfig
from alicloud_versions.servicecatalog import (
    ProductProvider,
    ProductVersionProvider,
    TemplateProvider,
)
from alicloud_versions.webplus import ApplicationProvider, PkgVersionProvider

from .conftest import Host, make_product

Made = tuple[BaseProvider, str, dict[str, Any]]


def _application(host: Host) -> Made:
    id_, outs = host.create(ApplicationProvider(), {"app_name": "shop"})
    return ApplicationProvider(), id_, outs


def _pkg_version(host: Host) -> Made:
    app_id, _ = host.create(ApplicationProvider(), {"app_name": "shop"})
    props = {"app_id": app_id, "package_source": "oss://bucket/a.war", "pkg_version_label": "1"}
    id_, outs = host.create(PkgVersionProvider(), props)
    return PkgVersionProvider(), id_, outs


def _product(host: Host) -> Made:
    made = make_product(host)
    return ProductProvider(), made["product_id"], made


def _product_version(host: Host) -> Made:
    product_id = make_product(host)["product_id"]
    url, _ = host.create(
        TemplateProvider(), {"template_type": "RosTerraformTemplate", "template_body": "{}"}
    )
    props = {
        "product_id": product_id,
        "product_version_name": "1.0",
        "template_type": "RosTerraformTemplate",
        "template_url": url,
    }
    id_, outs = host.create(ProductVersionProvider(), props)
    return ProductVersionProvider(), id_, outs


# Each findable kind, how it is made, and the action its read makes.
KINDS: list[tuple[str, Callable[[Host], Made], str]] = [
    ("Application", _application, "DescribeApplications"),
    ("PkgVersion", _pkg_version, "DescribePkgVersions"),
    ("Product", _product, "GetProductAsAdmin"),
    ("ProductVersion", _product_version, "GetProductVersion"),
]
IDS = [k[0] for k in KINDS]
# The answers that prove nothing: a gateway's, a bare 404 with another code, a refusal.
NOT_EVIDENCE = [
    ErrorFault.of("InvalidAction.NotFound"),
    ErrorFault.of("InvalidApi.NotFound", 404, "Specified api is not found."),
    ErrorFault.of("EntityNotExist.Role", 404, "The role does not exist."),
    ErrorFault.of("Forbidden.RAM"),
]


def _rpc_error(call: Callable[[], Any]) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as caught:
        call()
    return caught.value


@pytest.mark.parametrize(("kind", "make", "action"), KINDS, ids=IDS)
@pytest.mark.parametrize("fault", NOT_EVIDENCE, ids=lambda f: f.code)
def test_read_and_delete_fail_on_an_answer_that_proves_nothing(
    host: Host,
    emulator: Emulator,
    kind: str,
    make: Callable[[Host], Made],
    action: str,
    fault: ErrorFault,
) -> None:
    """Read and delete answered with a code that is not the kind's own fail with that code;
    the resource is still there afterwards."""
    provider, id_, outs = make(host)
    emulator.faults = FaultConfig(error=fault)
    assert fault.code in _rpc_error(lambda: host.read(provider, id_, outs)).details()
    assert fault.code in _rpc_error(lambda: host.delete(provider, id_, outs)).details()
    emulator.faults = FaultConfig()
    found, _, _ = host.read(provider, id_, outs)
    assert found == id_


@pytest.mark.parametrize(("kind", "make", "action"), KINDS, ids=IDS)
def test_deleted_out_of_band_is_gone_on_its_own_evidence(
    host: Host, kind: str, make: Callable[[Host], Made], action: str
) -> None:
    """Deleted behind the provider's back, a resource reads as gone (its kind's not-found code,
    or WebPlus's ResourceAuthFailed confirmed by a listing without it), and deleting it again
    succeeds."""
    provider, id_, outs = make(host)
    host.delete(provider, id_, outs)
    found, _, _ = host.read(provider, id_, outs)
    assert found == ""
    host.delete(provider, id_, outs)


@pytest.mark.parametrize(("kind", "make", "action"), KINDS[:2], ids=IDS[:2])
def test_an_unconfirmed_resource_auth_failed_is_an_error(
    host: Host, emulator: Emulator, kind: str, make: Callable[[Host], Made], action: str
) -> None:
    """WebPlus's ResourceAuthFailed on a resource that a listing still shows is an error, for
    read and for delete: "gone" is believed only when the confirming listing succeeds without
    it."""
    provider, id_, outs = make(host)
    for operation, fail in (
        (action, lambda: host.read(provider, id_, outs)),
        (f"Delete{kind}", lambda: host.delete(provider, id_, outs)),
    ):
        emulator.faults = FaultConfig(
            error=ErrorFault.of("ResourceAuthFailed", actions=[operation])
        )
        assert "ResourceAuthFailed" in _rpc_error(fail).details(), operation
    emulator.faults = FaultConfig()
    found, _, _ = host.read(provider, id_, outs)
    assert found == id_
