"""Regions: a resource made through one region is reached only through that region."""

from __future__ import annotations

from alibabacloud_webplus20190320 import models as wp
from alibabacloud_webplus20190320.client import Client as WebPlusClient

from alicloud_versions.emulator import Emulator
from tests.emulator.conftest import error_of
from tests.emulator.raw import rpc_target, send


def test_webplus_applications_stay_in_their_region(webplus: WebPlusClient) -> None:
    """An application made with RegionId=cn-shanghai is not listed or reachable elsewhere."""
    app_id = webplus.create_application(
        wp.CreateApplicationRequest(app_name="shop", region_id="cn-shanghai")
    ).body.application.app_id

    def listed(region: str) -> list[str]:
        request = wp.DescribeApplicationsRequest(region_id=region)
        apps = webplus.describe_applications(request).body.applications.application
        return [a.app_id for a in apps]

    assert listed("cn-shanghai") == [app_id]
    assert listed("cn-hangzhou") == []
    request = wp.DeleteApplicationRequest(app_id=app_id, region_id="cn-beijing")
    err = error_of(lambda: webplus.delete_application(request))
    assert (err.code, err.data["statusCode"]) == ("ResourceAuthFailed", 403)
    webplus.delete_application(wp.DeleteApplicationRequest(app_id=app_id, region_id="cn-shanghai"))


def test_service_catalog_products_stay_in_their_region(emulator: Emulator) -> None:
    """A product made with RegionId=cn-shanghai answers not-found through another region."""

    def call(region: str, **params: str) -> tuple[int, dict[str, object]]:
        return send(emulator, "GET", rpc_target({"RegionId": region, **params}), {})

    status, body = call(
        "cn-shanghai", Action="CreateProduct", ProductName="p", ProductType="Ros", ProviderName="q"
    )
    assert status == 200, body
    product_id = str(body["ProductId"])
    status, body = call("cn-shanghai", Action="GetProductAsAdmin", ProductId=product_id)
    assert status == 200, body
    status, body = call("cn-hangzhou", Action="GetProductAsAdmin", ProductId=product_id)
    assert (status, body["Code"]) == (404, "InvalidProduct.NotFound")
    status, body = call("cn-hangzhou", Action="ListProductsAsAdmin")
    assert (status, body["TotalCount"]) == (200, 0)
