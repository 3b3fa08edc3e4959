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


def test_service_catalog_templates_stay_in_their_region(emulator: Emulator) -> None:
    """A template uploaded through cn-shanghai lives in that region's bucket, and a product
    version elsewhere cannot use it: it answers as a template that was never made."""

    def call(region: str, **params: str) -> tuple[int, dict[str, object]]:
        return send(emulator, "GET", rpc_target({"RegionId": region, **params}), {})

    status, body = call(
        "cn-shanghai",
        Action="CreateTemplate",
        TemplateType="RosStandardTemplate",
        TemplateBody='{"ROSTemplateFormatVersion": "2015-09-01"}',
    )
    assert status == 200, body
    url = str(body["TemplateUrl"])
    assert url.startswith("oss://servicecatalog-cn-shanghai/")
    products = {}
    for region in ("cn-shanghai", "cn-hangzhou"):
        status, body = call(
            region, Action="CreateProduct", ProductName="p", ProductType="Ros", ProviderName="q"
        )
        products[region] = str(body["ProductId"])
    version = {
        "ProductVersionName": "1.0",
        "TemplateType": "RosStandardTemplate",
        "TemplateUrl": url,
    }
    status, body = call(
        "cn-hangzhou", Action="CreateProductVersion", ProductId=products["cn-hangzhou"], **version
    )
    assert (status, body["Code"]) == (400, "InvalidParameter"), body
    status, body = call(
        "cn-shanghai", Action="CreateProductVersion", ProductId=products["cn-shanghai"], **version
    )
    assert status == 200, body
