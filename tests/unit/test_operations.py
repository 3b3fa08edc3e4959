"""Each API operation is declared once on its kind; the SDK request class and method, and the
inputs it sends, follow from the declaration."""

from __future__ import annotations

import importlib

import pytest

from alicloud_versions.core.client import Session
from alicloud_versions.core.config import Credentials, Service, Settings
from alicloud_versions.core.lifecycle import ResourceCore
from alicloud_versions.core.operations import Operation, Sends
from alicloud_versions.core.servicecatalog import ProductCore, ProductVersionCore, TemplateCore
from alicloud_versions.core.webplus import ApplicationCore, PkgVersionCore

KINDS: tuple[type[ResourceCore], ...] = (
    ApplicationCore,
    PkgVersionCore,
    ProductCore,
    TemplateCore,
    ProductVersionCore,
)
SDK = {
    Service.WEBPLUS: "alibabacloud_webplus20190320",
    Service.SERVICECATALOG: "alibabacloud_servicecatalog20210901",
}


def declared(kind: type[ResourceCore]) -> list[Operation]:
    found = (kind.CREATE, kind.READ, kind.LIST, kind.UPDATE, kind.DELETE, kind.USERS)
    return [operation for operation in found if operation is not None]


def test_the_sdk_names_follow_from_the_action() -> None:
    """``DescribePkgVersions`` is sent as a DescribePkgVersionsRequest through
    describe_pkg_versions_with_options."""
    operation = Operation(Service.WEBPLUS, "DescribePkgVersions")
    assert operation.request_class == "DescribePkgVersionsRequest"
    assert operation.method == "describe_pkg_versions_with_options"
    assert str(operation) == "DescribePkgVersions"


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.TYPE)
def test_every_declared_operation_exists_in_its_sdk(kind: type[ResourceCore]) -> None:
    """The request class and the client method each declaration derives are the SDK's own."""
    assert kind.CREATE is not None
    for operation in declared(kind):
        assert operation.service is kind._SERVICE
        package = SDK[operation.service]
        models = importlib.import_module(f"{package}.models")
        client = importlib.import_module(f"{package}.client").Client
        assert hasattr(models, operation.request_class), operation
        assert callable(getattr(client, operation.method, None)), operation


def test_each_operation_sends_the_inputs_its_flags_say() -> None:
    """Create sends every input the API knows; update those that do not replace."""
    assert Sends.CREATE.fields(ProductVersionCore.INPUTS) == (
        "product_id",
        "product_version_name",
        "template_type",
        "template_url",
        "description",
        "guidance",
        "active",
    )
    assert Sends.UPDATE.fields(ProductVersionCore.INPUTS) == (
        "product_version_name",
        "description",
        "guidance",
        "active",
    )
    assert Sends.UPDATE.fields(ApplicationCore.INPUTS) == ("app_description",)
    assert Sends.NOTHING.fields(ApplicationCore.INPUTS) == ()


def test_a_request_fills_defaults_and_the_region_where_the_service_wants_it() -> None:
    """An omitted input goes as its declared default, unless it is kept when omitted; a
    WebPlus request names the session's region, a Service Catalog one does not."""
    settings = Settings(credentials=Credentials("id", "secret"))
    pv = ProductVersionCore(settings)
    update = pv.request(
        Operation(Service.SERVICECATALOG, "UpdateProductVersion", Sends.UPDATE),
        pv.session({}),
        {"product_version_name": "1.1"},
        product_version_id="pv-1",
    )
    assert (update.product_version_id, update.product_version_name) == ("pv-1", "1.1")
    assert (update.guidance, update.active, update.description) == ("Default", True, None)
    app = ApplicationCore(settings)
    session: Session = app.session({"region": "cn-shanghai"})
    delete = app.request(Operation(Service.WEBPLUS, "DeleteApplication"), session, app_id="a-1")
    assert (delete.app_id, delete.region_id) == ("a-1", "cn-shanghai")
