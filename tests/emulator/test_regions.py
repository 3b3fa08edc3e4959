"""Regions: a resource made through one region is reached only through that region, and a
regional host name (as the real endpoints have) names the region as RegionId does."""

from __future__ import annotations

import pytest
from alibabacloud_servicecatalog20210901 import models as sc
from alibabacloud_servicecatalog20210901.client import Client as ServiceCatalogClient
from alibabacloud_tea_openapi.models import Config
from alibabacloud_webplus20190320 import models as wp
from alibabacloud_webplus20190320.client import Client as WebPlusClient

from alicloud_versions.emulator import Emulator
from alicloud_versions.emulator.hosts import host_region
from tests.emulator.conftest import DEFAULT_KEY, error_of, make_config
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


def _through_regional_host(emulator: Emulator, service: str, region: str) -> Config:
    """SDK configuration for the real regional endpoint, reached through the emulator as an
    HTTP proxy: the request, its Host and its signature are what the real endpoint gets."""
    return make_config(
        f"{service}.{region}.aliyuncs.com", http_proxy=emulator.url, region_id=region
    )


def test_service_catalog_learns_the_region_from_the_host(emulator: Emulator) -> None:
    """The Tea client sends no RegionId; through servicecatalog.cn-shanghai.aliyuncs.com its
    product, ARN and template URL are cn-shanghai's, and cn-hangzhou does not see them."""
    client = ServiceCatalogClient(_through_regional_host(emulator, "servicecatalog", "cn-shanghai"))
    url = client.create_template(
        sc.CreateTemplateRequest(template_type="RosStandardTemplate", template_body="{}")
    ).body.template_url
    assert url.startswith("oss://servicecatalog-cn-shanghai/")
    product_id = client.create_product(
        sc.CreateProductRequest(product_name="p", product_type="Ros", provider_name="q")
    ).body.product_id
    detail = client.get_product_as_admin(
        sc.GetProductAsAdminRequest(product_id=product_id)
    ).body.product_detail
    assert detail.product_arn.startswith("acs:servicecatalog:cn-shanghai:")
    client.create_product_version(
        sc.CreateProductVersionRequest(
            product_id=product_id,
            product_version_name="1.0",
            template_type="RosStandardTemplate",
            template_url=url,
        )
    )
    hangzhou = ServiceCatalogClient(make_config(emulator))
    err = error_of(
        lambda: hangzhou.get_product_as_admin(sc.GetProductAsAdminRequest(product_id=product_id))
    )
    assert err.code == "InvalidProduct.NotFound"
    # Every call was signed over the regional host name, and verified.
    schemes = {e["signature_scheme"] for e in emulator.requests()["requests"]}
    assert schemes == {"ACS3-HMAC-SHA256"}


def test_webplus_through_a_regional_host(emulator: Emulator) -> None:
    """A WebPlus application made through webplus.cn-shanghai.aliyuncs.com lives in cn-shanghai."""
    client = WebPlusClient(_through_regional_host(emulator, "webplus", "cn-shanghai"))
    app_id = client.create_application(
        wp.CreateApplicationRequest(app_name="shop")
    ).body.application.app_id
    [record] = emulator.inventory()["accounts"][DEFAULT_KEY.account_id]["applications"]
    assert (record["AppId"], record["RegionId"]) == (app_id, "cn-shanghai")


@pytest.mark.parametrize(
    ("host", "region"),
    [
        ("servicecatalog.cn-shanghai.aliyuncs.com", "cn-shanghai"),
        ("servicecatalog-vpc.ap-southeast-1.aliyuncs.com:443", "ap-southeast-1"),
        ("webplus.cn-shanghai-finance-1.aliyuncs.com", "cn-shanghai-finance-1"),
        ("servicecatalog.us-west-1.emulator.test:9000", "us-west-1"),
        ("SERVICECATALOG.EU-CENTRAL-1.ALIYUNCS.COM", "eu-central-1"),
        ("servicecatalog.aliyuncs.com", None),
        ("127.0.0.1:9000", None),
        ("[::1]:9000", None),
        ("", None),
    ],
)
def test_host_region(host: str, region: str | None) -> None:
    """The first host label that is a region id names the region; a host without one names none."""
    assert host_region(host) == region


def test_the_proxy_can_come_from_the_environment(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With HTTP_PROXY (and NO_PROXY for local traffic) set, an unmodified client configured only
    with the regional endpoint reaches the emulator, as a provider process would."""
    monkeypatch.setenv("HTTP_PROXY", emulator.url)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost,::1")
    client = ServiceCatalogClient(make_config("servicecatalog.ap-southeast-1.aliyuncs.com"))
    product_id = client.create_product(
        sc.CreateProductRequest(product_name="p", product_type="Ros", provider_name="q")
    ).body.product_id
    [record] = emulator.inventory()["accounts"][DEFAULT_KEY.account_id]["products"]
    assert record["ProductId"] == product_id
    assert record["ProductArn"].startswith("acs:servicecatalog:ap-southeast-1:")
