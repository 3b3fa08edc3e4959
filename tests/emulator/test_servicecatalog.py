"""Service Catalog 2021-09-01 through the official SDK client: every operation and its errors."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

import pytest
from alibabacloud_servicecatalog20210901 import models as sc
from alibabacloud_servicecatalog20210901.client import Client as ServiceCatalogClient
from alibabacloud_tea_openapi.client import Client as OpenApiClient
from alibabacloud_tea_openapi.models import OpenApiRequest, Params
from darabonba.runtime import RuntimeOptions

from alicloud_versions.emulator import Emulator
from tests.emulator.conftest import Controls, error_of, make_config
from tests.support.builders import TEMPLATE, create_product, create_template
from tests.support.builders import create_product_version as create_version
from tests.support.builders import get_product_version as get_version
from tests.support.builders import product_version_fields as version_fields

ISO_UTC = "%Y-%m-%dT%H:%M:%SZ"


def test_create_product_and_get_it_as_admin(servicecatalog: ServiceCatalogClient) -> None:
    """CreateProduct answers a prod- id that GetProductAsAdmin describes with an ARN."""
    request = sc.CreateProductRequest(
        product_name="web",
        product_type="Ros",
        provider_name="platform",
        description="web stack",
        template_type="RosTerraformTemplate",
    )
    created = servicecatalog.create_product(request).body
    assert re.match(r"^prod-[a-z0-9]{14}$", created.product_id)
    assert created.product_version_id is None
    body = servicecatalog.get_product_as_admin(
        sc.GetProductAsAdminRequest(product_id=created.product_id)
    ).body
    detail = body.product_detail
    assert (detail.product_id, detail.product_name, detail.product_type) == (
        created.product_id,
        "web",
        "Ros",
    )
    assert (detail.provider_name, detail.description) == ("platform", "web stack")
    assert detail.template_type == "RosTerraformTemplate"
    assert (
        detail.product_arn
        == f"acs:servicecatalog:cn-hangzhou:1234567890123456:product/{created.product_id}"
    )
    datetime.strptime(detail.create_time, ISO_UTC)
    assert body.tag_options == []


def test_create_product_with_version_parameters(servicecatalog: ServiceCatalogClient) -> None:
    """CreateProduct with ProductVersionParameters also creates the first version."""
    parameters = sc.CreateProductRequestProductVersionParameters(
        product_version_name="1.0",
        template_type="RosTerraformTemplate",
        template_url=create_template(servicecatalog),
    )
    request = sc.CreateProductRequest(
        product_name="web",
        product_type="Ros",
        provider_name="p",
        product_version_parameters=parameters,
    )
    created = servicecatalog.create_product(request).body
    detail = get_version(servicecatalog, created.product_version_id)
    assert (detail.product_id, detail.product_version_name, detail.active) == (
        created.product_id,
        "1.0",
        True,
    )


def test_delete_product_removes_it_and_its_versions(servicecatalog: ServiceCatalogClient) -> None:
    """DeleteProduct removes the product; its versions go with it."""
    fields = version_fields(servicecatalog)
    version_id = create_version(servicecatalog, **fields)
    servicecatalog.delete_product(sc.DeleteProductRequest(product_id=fields["product_id"]))
    err = error_of(
        lambda: servicecatalog.get_product_as_admin(
            sc.GetProductAsAdminRequest(product_id=fields["product_id"])
        )
    )
    assert (err.code, err.data["statusCode"]) == ("InvalidProduct.NotFound", 404)
    assert (
        error_of(lambda: get_version(servicecatalog, version_id)).code
        == "InvalidProductVersion.NotFound"
    )


def test_create_template_takes_a_body_of_at_most_512_kib(
    servicecatalog: ServiceCatalogClient,
) -> None:
    """A template body of 524,288 characters is stored; one more answers InvalidParameter
    naming TemplateBody, as the provider's own check refuses it."""
    for size, expected in ((524_288, None), (524_289, "InvalidParameter")):
        request = sc.CreateTemplateRequest(
            template_body="#" * size, template_type="RosTerraformTemplate"
        )
        if expected is None:
            assert servicecatalog.create_template(request).body.template_url
        else:
            err = error_of(lambda r=request: servicecatalog.create_template(r))
            assert (err.code, "TemplateBody" in err.message) == (expected, True)


def test_create_template_answers_an_oss_url(
    servicecatalog: ServiceCatalogClient, controls: Controls
) -> None:
    """CreateTemplate stores the body and answers an oss:// TemplateUrl for it."""
    request = sc.CreateTemplateRequest(
        template_body=TEMPLATE,
        template_type="RosTerraformTemplate",
        terraform_variables=[
            sc.CreateTemplateRequestTerraformVariables(variable_name="size", description="how big")
        ],
    )
    url = servicecatalog.create_template(request).body.template_url
    assert re.match(
        r"^oss://servicecatalog-cn-hangzhou/1234567890123456/terraform/template/tpl-[a-z0-9]{14}/template\.json$",
        url,
    )
    [template] = controls.get("/_emulator/inventory")["accounts"]["1234567890123456"]["templates"]
    assert (template["TemplateUrl"], template["TemplateBody"]) == (url, TEMPLATE)
    assert template["TerraformVariables"] == [{"VariableName": "size", "Description": "how big"}]


def test_create_product_version_defaults(servicecatalog: ServiceCatalogClient) -> None:
    """CreateProductVersion answers a pv- id; Active defaults to true and Guidance to Default."""
    fields = version_fields(servicecatalog)
    version_id = create_version(servicecatalog, **fields)
    assert re.match(r"^pv-[a-z0-9]{14}$", version_id)
    detail = get_version(servicecatalog, version_id)
    assert detail.product_version_id == version_id
    assert detail.product_id == fields["product_id"]
    assert (detail.product_version_name, detail.template_type) == ("1.0", "RosTerraformTemplate")
    assert detail.template_url == fields["template_url"]
    assert (detail.active, detail.guidance, detail.description) == (True, "Default", None)
    created = datetime.strptime(detail.create_time, ISO_UTC).replace(tzinfo=timezone.utc)
    assert abs((datetime.now(timezone.utc) - created).total_seconds()) < 60


def test_create_product_version_with_every_field(servicecatalog: ServiceCatalogClient) -> None:
    """CreateProductVersion keeps Description, Guidance and Active=false as given."""
    version_id = create_version(
        servicecatalog,
        description="first",
        guidance="Recommended",
        active=False,
        template_type="RosStandardTemplate",
    )
    detail = get_version(servicecatalog, version_id)
    assert (detail.description, detail.guidance, detail.active) == ("first", "Recommended", False)
    assert detail.template_type == "RosStandardTemplate"


def test_update_product_version(servicecatalog: ServiceCatalogClient, controls: Controls) -> None:
    """UpdateProductVersion changes the given fields and keeps the others."""
    version_id = create_version(servicecatalog, description="first")
    request = sc.UpdateProductVersionRequest(
        product_version_id=version_id,
        product_version_name="1.0.1",
        guidance="Deprecated",
        active=False,
    )
    assert servicecatalog.update_product_version(request).body.product_version_id == version_id
    detail = get_version(servicecatalog, version_id)
    assert (detail.product_version_name, detail.guidance, detail.active) == (
        "1.0.1",
        "Deprecated",
        False,
    )
    assert detail.description == "first"
    [record] = controls.get("/_emulator/inventory")["accounts"]["1234567890123456"][
        "product_versions"
    ]
    assert record["UpdateTime"] >= record["CreateTime"]


def test_update_product_version_requires_the_name(servicecatalog: ServiceCatalogClient) -> None:
    """UpdateProductVersion without ProductVersionName answers MissingParameter naming it."""
    version_id = create_version(servicecatalog)
    request = sc.UpdateProductVersionRequest(product_version_id=version_id, guidance="Latest")
    err = error_of(lambda: servicecatalog.update_product_version(request))
    assert err.code == "MissingParameter"
    assert "ProductVersionName" in err.data["Message"]


def test_delete_product_version(servicecatalog: ServiceCatalogClient) -> None:
    """DeleteProductVersion removes it; a second delete answers InvalidProductVersion.NotFound."""
    version_id = create_version(servicecatalog)
    request = sc.DeleteProductVersionRequest(product_version_id=version_id)
    servicecatalog.delete_product_version(request)
    err = error_of(lambda: servicecatalog.delete_product_version(request))
    assert (err.code, err.data["statusCode"]) == ("InvalidProductVersion.NotFound", 404)


def test_list_product_versions(servicecatalog: ServiceCatalogClient) -> None:
    """ListProductVersions answers every version of the product, oldest first, and no others."""
    fields = version_fields(servicecatalog)
    ids = [
        create_version(servicecatalog, **{**fields, "product_version_name": f"1.{i}"})
        for i in range(3)
    ]
    create_version(servicecatalog)  # another product's version
    body = servicecatalog.list_product_versions(
        sc.ListProductVersionsRequest(product_id=fields["product_id"])
    ).body
    assert [v.product_version_id for v in body.product_version_details] == ids
    assert [v.product_version_name for v in body.product_version_details] == ["1.0", "1.1", "1.2"]


@pytest.mark.parametrize(
    "missing", ["ProductId", "ProductVersionName", "TemplateType", "TemplateUrl"]
)
def test_create_product_version_missing_parameter(
    servicecatalog: ServiceCatalogClient, missing: str
) -> None:
    """CreateProductVersion without a required field answers MissingParameter naming it."""
    snake = {
        "ProductId": "product_id",
        "ProductVersionName": "product_version_name",
        "TemplateType": "template_type",
        "TemplateUrl": "template_url",
    }[missing]
    fields = version_fields(servicecatalog)
    del fields[snake]
    err = error_of(
        lambda: servicecatalog.create_product_version(sc.CreateProductVersionRequest(**fields))
    )
    assert (err.code, err.data["statusCode"]) == ("MissingParameter", 400)
    assert missing in err.data["Message"]


@pytest.mark.parametrize(
    ("field", "name", "value"),
    [
        ("template_type", "TemplateType", "Terraform"),
        ("guidance", "Guidance", "Stable"),
        ("product_version_name", "ProductVersionName", "x" * 129),
        ("description", "Description", "x" * 129),
        ("template_url", "TemplateUrl", "https://example.com/template.json"),
    ],
)
def test_create_product_version_invalid_parameter(
    servicecatalog: ServiceCatalogClient, field: str, name: str, value: str
) -> None:
    """A value outside the documented ones answers InvalidParameter naming the field."""
    fields = version_fields(servicecatalog, **{field: value})
    err = error_of(
        lambda: servicecatalog.create_product_version(sc.CreateProductVersionRequest(**fields))
    )
    assert (err.code, err.data["statusCode"]) == ("InvalidParameter", 400)
    assert name in err.data["Message"]


def test_names_of_128_characters_are_accepted(servicecatalog: ServiceCatalogClient) -> None:
    """Names and descriptions of exactly 128 characters are within bounds."""
    version_id = create_version(
        servicecatalog, product_version_name="n" * 128, description="d" * 128
    )
    assert get_version(servicecatalog, version_id).product_version_name == "n" * 128


def test_create_product_missing_and_invalid(servicecatalog: ServiceCatalogClient) -> None:
    """CreateProduct checks ProductName, ProductType and ProviderName."""
    missing = sc.CreateProductRequest(product_type="Ros", provider_name="p")
    err = error_of(lambda: servicecatalog.create_product(missing))
    assert err.code == "MissingParameter" and "ProductName" in err.data["Message"]
    invalid = sc.CreateProductRequest(product_name="n", product_type="Terraform", provider_name="p")
    err = error_of(lambda: servicecatalog.create_product(invalid))
    assert err.code == "InvalidParameter" and "ProductType" in err.data["Message"]


def test_unknown_ids_are_entity_not_exists(servicecatalog: ServiceCatalogClient) -> None:
    """Unknown product and product version ids answer the Invalid*.NotFound errors."""
    product_calls = [
        lambda: servicecatalog.get_product_as_admin(
            sc.GetProductAsAdminRequest(product_id="prod-bp1nope")
        ),
        lambda: servicecatalog.delete_product(sc.DeleteProductRequest(product_id="prod-bp1nope")),
        lambda: servicecatalog.list_product_versions(
            sc.ListProductVersionsRequest(product_id="prod-bp1nope")
        ),
        lambda: create_version(servicecatalog, product_id="prod-bp1nope"),
    ]
    for call in product_calls:
        err = error_of(call)
        assert (err.code, err.data["statusCode"]) == ("InvalidProduct.NotFound", 404)
    version_calls = [
        lambda: get_version(servicecatalog, "pv-bp1nope"),
        lambda: servicecatalog.delete_product_version(
            sc.DeleteProductVersionRequest(product_version_id="pv-bp1nope")
        ),
        lambda: servicecatalog.update_product_version(
            sc.UpdateProductVersionRequest(
                product_version_id="pv-bp1nope", product_version_name="x"
            )
        ),
    ]
    for call in version_calls:
        err = error_of(call)
        assert (err.code, err.data["statusCode"]) == ("InvalidProductVersion.NotFound", 404)
        assert "pv-bp1nope" in err.data["Message"]


def test_another_accounts_resources_are_not_found(
    servicecatalog: ServiceCatalogClient, other_servicecatalog: ServiceCatalogClient
) -> None:
    """Another account's product and version answer not-found, like ids that never existed."""
    fields = version_fields(servicecatalog)
    version_id = create_version(servicecatalog, **fields)
    product_id = fields["product_id"]
    err = error_of(
        lambda: other_servicecatalog.get_product_as_admin(
            sc.GetProductAsAdminRequest(product_id=product_id)
        )
    )
    assert err.code == "InvalidProduct.NotFound"
    err = error_of(
        lambda: other_servicecatalog.delete_product(sc.DeleteProductRequest(product_id=product_id))
    )
    assert err.code == "InvalidProduct.NotFound"
    err = error_of(lambda: create_version(other_servicecatalog, product_id=product_id))
    assert err.code == "InvalidProduct.NotFound"
    err = error_of(lambda: get_version(other_servicecatalog, version_id))
    assert err.code == "InvalidProductVersion.NotFound"
    err = error_of(
        lambda: other_servicecatalog.delete_product_version(
            sc.DeleteProductVersionRequest(product_version_id=version_id)
        )
    )
    assert err.code == "InvalidProductVersion.NotFound"
    assert get_version(servicecatalog, version_id).product_version_id == version_id


def _generic_call(
    emulator: Emulator, action: str, version: str, body_type: str, body: dict[str, Any]
) -> Any:
    """Call an action through the SDK's generic call_api, as any official client does."""
    params = Params(
        action=action,
        version=version,
        protocol="HTTPS",
        pathname="/",
        method="POST",
        auth_type="AK",
        style="RPC",
        req_body_type=body_type,
        body_type="json",
    )
    client = OpenApiClient(make_config(emulator))
    return client.call_api(params, OpenApiRequest(body=body), RuntimeOptions())


def test_json_bodies_are_accepted(emulator: Emulator) -> None:
    """A JSON request body (req_body_type json) is read like a form body."""
    body = {"TemplateBody": TEMPLATE, "TemplateType": "RosTerraformTemplate"}
    answer = _generic_call(emulator, "CreateTemplate", "2021-09-01", "json", body)
    assert answer["body"]["TemplateUrl"].startswith("oss://servicecatalog-cn-hangzhou/")


def test_unknown_action_and_version(emulator: Emulator) -> None:
    """An unknown action answers InvalidAction.NotFound (404), a wrong version InvalidVersion."""
    err = error_of(
        lambda: _generic_call(emulator, "DescribeEverything", "2021-09-01", "formData", {})
    )
    assert (err.code, err.data["statusCode"]) == ("InvalidAction.NotFound", 404)
    err = error_of(
        lambda: _generic_call(emulator, "ListProductVersions", "2020-01-01", "formData", {})
    )
    assert (err.code, err.data["statusCode"]) == ("InvalidVersion", 400)


def list_products(
    client: ServiceCatalogClient, *filters: tuple[str, str], **fields: Any
) -> sc.ListProductsAsAdminResponseBody:
    """ListProductsAsAdmin's answer for the given (key, value) filters and request fields."""
    request = sc.ListProductsAsAdminRequest(
        filters=[sc.ListProductsAsAdminRequestFilters(key=k, value=v) for k, v in filters],
        **fields,
    )
    return client.list_products_as_admin(request).body


def test_list_products_as_admin_filters_by_exact_name(servicecatalog: ServiceCatalogClient) -> None:
    """The ProductName filter matches whole names, ignoring case, and nothing else."""
    wanted = create_product(servicecatalog, "Shop")
    create_product(servicecatalog, "shop-api")
    create_product(servicecatalog, "web")
    body = list_products(servicecatalog, ("ProductName", "shop"))
    assert [p.product_id for p in body.product_details] == [wanted]
    assert body.total_count == 1
    detail = body.product_details[0]
    assert (detail.product_name, detail.provider_name, detail.product_type) == (
        "Shop",
        "platform",
        "Ros",
    )
    assert detail.product_arn.endswith(f":product/{wanted}")
    assert list_products(servicecatalog, ("ProductName", "nothing")).product_details == []


def test_list_products_as_admin_full_text_search(servicecatalog: ServiceCatalogClient) -> None:
    """FullTextSearch matches part of the name, the provider or the description."""
    by_name = create_product(servicecatalog, "checkout-service")
    other = sc.CreateProductRequest(
        product_name="web", product_type="Ros", provider_name="checkout team"
    )
    by_provider = str(servicecatalog.create_product(other).body.product_id)
    described = sc.CreateProductRequest(
        product_name="db", product_type="Ros", provider_name="p", description="for CHECKOUT"
    )
    by_description = str(servicecatalog.create_product(described).body.product_id)
    create_product(servicecatalog, "unrelated")
    body = list_products(servicecatalog, ("FullTextSearch", "checkout"), page_size=100)
    assert {p.product_id for p in body.product_details} == {by_name, by_provider, by_description}
    both = list_products(
        servicecatalog, ("FullTextSearch", "checkout"), ("ProductName", "web"), page_size=100
    )
    assert [p.product_id for p in both.product_details] == [by_provider]


def test_list_products_as_admin_pages_newest_first(servicecatalog: ServiceCatalogClient) -> None:
    """Pages of PageSize (10 by default), newest first unless SortOrder is Asc."""
    made = [create_product(servicecatalog, f"p{n}") for n in range(12)]
    first = list_products(servicecatalog)
    assert (first.page_number, first.page_size, first.total_count) == (1, 10, 12)
    assert [p.product_id for p in first.product_details] == made[::-1][:10]
    second = list_products(servicecatalog, page_number=2)
    assert [p.product_id for p in second.product_details] == made[::-1][10:]
    ascending = list_products(
        servicecatalog, page_size=5, page_number=1, sort_by="CreateTime", sort_order="Asc"
    )
    assert [p.product_id for p in ascending.product_details] == made[:5]


def test_list_products_as_admin_scope_and_accounts(
    servicecatalog: ServiceCatalogClient, other_servicecatalog: ServiceCatalogClient
) -> None:
    """Only the caller's own products are listed; nothing is ever imported from others."""
    mine = create_product(servicecatalog, "shop")
    create_product(other_servicecatalog, "shop")
    for scope in (None, "Local", "All"):
        body = list_products(servicecatalog, ("ProductName", "shop"), scope=scope)
        assert [p.product_id for p in body.product_details] == [mine]
    assert list_products(servicecatalog, scope="Import").total_count == 0


def test_list_products_as_admin_rejects_bad_parameters(
    servicecatalog: ServiceCatalogClient,
) -> None:
    """An unknown filter key, a filter without value or an out-of-range page is InvalidParameter."""
    err = error_of(lambda: list_products(servicecatalog, ("Owner", "me")))
    assert (err.code, err.data["statusCode"]) == ("InvalidParameter", 400)
    assert "Filters.1.Key" in err.data["Message"]
    err = error_of(lambda: list_products(servicecatalog, ("ProductName", "")))
    assert err.code == "MissingParameter"
    assert "Filters.1.Value" in err.data["Message"]
    err = error_of(lambda: list_products(servicecatalog, page_size=101))
    assert (err.code, err.data["statusCode"]) == ("InvalidParameter", 400)
    err = error_of(lambda: list_products(servicecatalog, sort_order="Sideways"))
    assert err.code == "InvalidParameter"


def test_list_products_as_admin_accepts_a_json_body(emulator: Emulator) -> None:
    """Filters sent as a JSON array in a JSON body are read like the flattened form."""
    client = ServiceCatalogClient(make_config(emulator))
    wanted = create_product(client, "shop")
    body = {"Filters": [{"Key": "ProductName", "Value": "shop"}]}
    answer = _generic_call(emulator, "ListProductsAsAdmin", "2021-09-01", "json", body)
    assert [p["ProductId"] for p in answer["body"]["ProductDetails"]] == [wanted]


def test_update_product(
    servicecatalog: ServiceCatalogClient, other_servicecatalog: ServiceCatalogClient
) -> None:
    """UpdateProduct changes the fields sent; unknown or another account's product is not found."""
    product_id = create_product(servicecatalog, "before")
    servicecatalog.update_product(
        sc.UpdateProductRequest(product_id=product_id, product_name="after", description="d")
    )
    detail = servicecatalog.get_product_as_admin(
        sc.GetProductAsAdminRequest(product_id=product_id)
    ).body.product_detail
    assert (detail.product_name, detail.provider_name, detail.description) == (
        "after",
        "platform",
        "d",
    )
    for client, target in (
        (servicecatalog, "prod-bp1doesnotexist"),
        (other_servicecatalog, product_id),
    ):
        request = sc.UpdateProductRequest(product_id=target, product_name="x")
        err = error_of(lambda c=client, r=request: c.update_product(r))
        assert (err.code, err.data["statusCode"]) == ("InvalidProduct.NotFound", 404)
    request = sc.UpdateProductRequest(product_id=product_id, provider_name="x" * 129)
    err = error_of(lambda: servicecatalog.update_product(request))
    assert (err.code, "ProviderName" in err.message) == ("InvalidParameter", True)
