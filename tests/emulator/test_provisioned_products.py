"""Service Catalog provisioned products through the official SDK: what version each uses."""

from __future__ import annotations

import pytest
from alibabacloud_servicecatalog20210901 import models as sc
from alibabacloud_servicecatalog20210901.client import Client as ServiceCatalogClient

from alicloud_versions.emulator import AccessKey, Emulator, FaultConfig
from tests.emulator.conftest import DEFAULT_KEY, error_of, make_config
from tests.support.builders import create_product_version as create_version
from tests.support.builders import get_product_version as get_version
from tests.support.builders import grant_launch

# A second user (access key) of the default account, to tell User from Account listings.
COLLEAGUE = AccessKey(
    "LTAI5tEmulatorColleague3", "ColleagueSecret00000000000003", DEFAULT_KEY.account_id
)


@pytest.fixture(autouse=True)
def settled(request: pytest.FixtureRequest) -> None:
    """Tasks settle at once in this module's emulator (test_provisioning.py times them)."""
    if "emulator" in request.fixturenames:
        request.getfixturevalue("emulator").faults = FaultConfig(settle_s=0)


def launch(
    client: ServiceCatalogClient,
    version_id: str,
    name: str = "shop-prod",
    principal: str = DEFAULT_KEY.id,
) -> str:
    """Launch the product version, through a portfolio made for the caller (`principal`, its
    access key id), and answer the provisioned product's id."""
    product_id = get_version(client, version_id).product_id
    grant_launch(client, product_id, principal)
    request = sc.LaunchProductRequest(
        product_id=product_id,
        product_version_id=version_id,
        provisioned_product_name=name,
        stack_region_id="cn-hangzhou",
        parameters=[sc.LaunchProductRequestParameters(parameter_key="size", parameter_value="1")],
        tags=[sc.LaunchProductRequestTags(key="team", value="web")],
    )
    return str(client.launch_product(request).body.provisioned_product_id)


def listed(
    client: ServiceCatalogClient, access: str | None = "Account", **filters: str
) -> list[sc.ListProvisionedProductsResponseBodyProvisionedProductDetails]:
    """ListProvisionedProducts' details with the access filter and filters given."""
    request = sc.ListProvisionedProductsRequest(
        access_level_filter=access,
        filters=[
            sc.ListProvisionedProductsRequestFilters(key=k, value=v) for k, v in filters.items()
        ],
    )
    return list(client.list_provisioned_products(request).body.provisioned_product_details)


def test_launch_product(servicecatalog: ServiceCatalogClient, emulator: Emulator) -> None:
    """LaunchProduct answers a pp- id; the provisioned product names the version it uses."""
    version_id = create_version(servicecatalog)
    pp_id = launch(servicecatalog, version_id)
    assert pp_id.startswith("pp-")
    [detail] = listed(servicecatalog)
    assert (detail.provisioned_product_id, detail.product_version_id) == (pp_id, version_id)
    assert (detail.provisioned_product_name, detail.status) == ("shop-prod", "Available")
    assert detail.provisioned_product_arn == (
        f"acs:servicecatalog:cn-hangzhou:{DEFAULT_KEY.account_id}:provisionedproduct/{pp_id}"
    )
    [record] = emulator.inventory()["accounts"][DEFAULT_KEY.account_id]["provisioned_products"]
    assert record["Parameters"] == [{"ParameterKey": "size", "ParameterValue": "1"}]
    assert record["Tags"] == [{"Key": "team", "Value": "web"}]


def test_launch_product_checks_product_and_version(
    servicecatalog: ServiceCatalogClient, other_servicecatalog: ServiceCatalogClient
) -> None:
    """An unknown or another account's version answers InvalidProductVersion.NotFound, a
    version of another product too; an unknown product InvalidProduct.NotFound."""
    version_id = create_version(servicecatalog)
    product_id = get_version(servicecatalog, version_id).product_id
    other_product = get_version(servicecatalog, create_version(servicecatalog)).product_id
    theirs = create_version(other_servicecatalog)
    cases = (
        (product_id, "pv-bp1000000000000", "InvalidProductVersion.NotFound"),
        (product_id, theirs, "InvalidProductVersion.NotFound"),
        (other_product, version_id, "InvalidProductVersion.NotFound"),
        ("prod-bp1000000000000", version_id, "InvalidProduct.NotFound"),
    )
    for product, version, code in cases:
        request = sc.LaunchProductRequest(
            product_id=product,
            product_version_id=version,
            provisioned_product_name="x",
            stack_region_id="cn-hangzhou",
        )
        err = error_of(lambda request=request: servicecatalog.launch_product(request))
        assert (err.code, err.data["statusCode"]) == (code, 404)
    assert listed(servicecatalog) == []


def test_list_provisioned_products_access_levels_and_filters() -> None:
    """User (the default) lists the caller's own, Account the whole account's; the name filter
    is exact ignoring case, FullTextSearch a substring."""
    with Emulator(access_keys=[DEFAULT_KEY, COLLEAGUE], faults=FaultConfig(settle_s=0)) as emulator:
        _list_as_user_and_account(emulator)


def _list_as_user_and_account(emulator: Emulator) -> None:
    mine = ServiceCatalogClient(make_config(emulator))
    colleague = ServiceCatalogClient(make_config(emulator, COLLEAGUE))
    own = launch(mine, create_version(mine), "shop-prod")
    theirs = launch(colleague, create_version(colleague), "shop-staging", COLLEAGUE.id)
    assert [d.provisioned_product_id for d in listed(mine, None)] == [own]
    assert [d.provisioned_product_id for d in listed(colleague, "User")] == [theirs]
    assert [d.provisioned_product_id for d in listed(mine)] == [theirs, own]
    assert [d.owner_principal_id for d in listed(mine)] == [COLLEAGUE.id, DEFAULT_KEY.id]
    by_name = listed(mine, ProvisionedProductName="SHOP-PROD")
    assert [d.provisioned_product_id for d in by_name] == [own]
    assert [d.provisioned_product_id for d in listed(mine, FullTextSearch="stag")] == [theirs]
    request = sc.ListProvisionedProductsRequest(access_level_filter="Everyone")
    err = error_of(lambda: mine.list_provisioned_products(request))
    assert err.code == "InvalidParameter"


def test_terminate_provisioned_product(
    servicecatalog: ServiceCatalogClient, other_servicecatalog: ServiceCatalogClient
) -> None:
    """TerminateProvisionedProduct removes it; unknown, another account's or an already
    terminated one answers InvalidProvisionedProduct.NotFound (404)."""
    pp_id = launch(servicecatalog, create_version(servicecatalog))
    request = sc.TerminateProvisionedProductRequest(provisioned_product_id=pp_id)
    err = error_of(lambda: other_servicecatalog.terminate_provisioned_product(request))
    assert (err.code, err.data["statusCode"]) == ("InvalidProvisionedProduct.NotFound", 404)
    servicecatalog.terminate_provisioned_product(request)
    assert listed(servicecatalog) == []
    err = error_of(lambda: servicecatalog.terminate_provisioned_product(request))
    assert (err.code, err.data["statusCode"]) == ("InvalidProvisionedProduct.NotFound", 404)


def test_deleting_a_product_version_a_provisioned_product_uses(
    servicecatalog: ServiceCatalogClient,
) -> None:
    """DeleteProductVersion is not refused for a version in use (no such error is documented):
    the version is gone and the provisioned product still names it."""
    version_id = create_version(servicecatalog)
    pp_id = launch(servicecatalog, version_id)
    servicecatalog.delete_product_version(
        sc.DeleteProductVersionRequest(product_version_id=version_id)
    )
    err = error_of(lambda: get_version(servicecatalog, version_id))
    assert err.code == "InvalidProductVersion.NotFound"
    [detail] = listed(servicecatalog)
    assert (detail.provisioned_product_id, detail.product_version_id) == (pp_id, version_id)


def test_provisioned_products_stay_in_their_region(emulator: Emulator) -> None:
    """A product launched through cn-shanghai's host is listed only there."""
    shanghai = ServiceCatalogClient(
        make_config("servicecatalog.cn-shanghai.aliyuncs.com", http_proxy=emulator.url)
    )
    pp_id = launch(shanghai, create_version(shanghai))
    [detail] = listed(shanghai)
    assert detail.provisioned_product_arn.startswith("acs:servicecatalog:cn-shanghai:")
    assert detail.provisioned_product_id == pp_id
    assert listed(ServiceCatalogClient(make_config(emulator))) == []
