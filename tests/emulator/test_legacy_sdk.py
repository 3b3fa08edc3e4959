"""The older official SDK family (aliyun-python-sdk-core) drives every emulated operation too.

It signs ROA without a nonce and sends form bodies with Content-MD5; Service Catalog has no
package in that family, so its RPC calls go through `CommonRequest`, signed with RPC v1. Its
answers are the raw JSON, so each is also round-tripped through the Tea SDK's response model.
"""

from __future__ import annotations

import json
from types import ModuleType
from typing import Any

import pytest
from alibabacloud_servicecatalog20210901 import models as sc
from alibabacloud_webplus20190320 import models as wp
from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkcore.client import AcsClient
from aliyunsdkcore.request import AcsRequest, CommonRequest
from aliyunsdkwebplus.request.v20190320 import (
    CreateAppEnvRequest,
    CreateApplicationRequest,
    CreatePkgVersionRequest,
    DeleteAppEnvRequest,
    DeleteApplicationRequest,
    DeletePkgVersionRequest,
    DescribeAppEnvsRequest,
    DescribeApplicationsRequest,
    DescribePkgVersionsRequest,
    TerminateAppEnvRequest,
    UpdateAppEnvRequest,
    UpdateApplicationRequest,
)

from alicloud_versions.emulator import Emulator
from alicloud_versions.emulator.services import SERVICECATALOG, WEBPLUS
from tests.emulator.conftest import DEFAULT_KEY, Controls


class Legacy:
    """An AcsClient pointed at the emulator, answering parsed JSON."""

    def __init__(self, emulator: Emulator) -> None:
        self.endpoint = emulator.endpoint
        self.client = AcsClient(DEFAULT_KEY.id, DEFAULT_KEY.secret, "cn-hangzhou")
        self.answers: list[tuple[str, dict[str, Any]]] = []  # (action, raw JSON answer)

    def call(self, request: AcsRequest) -> dict[str, Any]:
        request.set_endpoint(self.endpoint)
        request.set_protocol_type("http")
        answer = dict(json.loads(self.client.do_action_with_exception(request)))
        self.answers.append((request.get_action_name(), answer))
        return answer

    def rpc(self, action: str, **params: str) -> dict[str, Any]:
        request = CommonRequest(domain=self.endpoint, version="2021-09-01", action_name=action)
        request.set_method("POST")
        for name, value in params.items():
            request.add_query_param(name, value)
        return self.call(request)


def assert_round_trips(legacy: Legacy, models: ModuleType) -> None:
    """Every raw answer survives the Tea SDK's own response model unchanged.

    `<Action>ResponseBody().from_map(raw).to_map()` drops any field the model does not know
    and keeps the model's types, so a misspelled or mis-typed field shows up as a difference.
    """
    for action, raw in legacy.answers:
        model = getattr(models, f"{action}ResponseBody")
        assert model().from_map(raw).to_map() == raw, action


@pytest.fixture
def legacy(emulator: Emulator) -> Legacy:
    """The older SDK's client for the default account."""
    return Legacy(emulator)


def test_webplus_operations(legacy: Legacy, controls: Controls) -> None:
    """Every WebPlus operation works through aliyunsdkwebplus, signed ROA v1 with Content-MD5."""
    controls.put("/_emulator/faults", {"settle_s": 0})  # environments change at once
    create = CreateApplicationRequest.CreateApplicationRequest()
    create.set_AppName("legacy")
    app_id = legacy.call(create)["Application"]["AppId"]

    update = UpdateApplicationRequest.UpdateApplicationRequest()
    update.set_AppId(app_id)
    update.set_AppDescription("from the older SDK")
    assert legacy.call(update)["Application"]["AppDescription"] == "from the older SDK"

    describe = DescribeApplicationsRequest.DescribeApplicationsRequest()
    describe.set_AppId(app_id)
    found = legacy.call(describe)["Applications"]["Application"]
    assert [(a["AppId"], a["AppDescription"]) for a in found] == [(app_id, "from the older SDK")]

    version = CreatePkgVersionRequest.CreatePkgVersionRequest()
    version.set_AppId(app_id)
    version.set_PkgVersionLabel("v1")
    version.set_PackageSource("oss://my-bucket/app.war")
    pkg_version_id = legacy.call(version)["PkgVersion"]["PkgVersionId"]

    versions = DescribePkgVersionsRequest.DescribePkgVersionsRequest()
    versions.set_AppId(app_id)
    listed = legacy.call(versions)["PkgVersions"]["PkgVersion"]
    assert [v["PkgVersionId"] for v in listed] == [pkg_version_id]

    create_env = CreateAppEnvRequest.CreateAppEnvRequest()
    create_env.set_AppId(app_id)
    create_env.set_EnvName("legacy-env")
    create_env.set_StackId("ws-5d1c0a5d913567334af00001")
    create_env.set_PkgVersionId(pkg_version_id)
    env_id = legacy.call(create_env)["EnvChangeDetail"]["EnvId"]
    update_env = UpdateAppEnvRequest.UpdateAppEnvRequest()
    update_env.set_EnvId(env_id)
    update_env.set_EnvDescription("updated")
    assert legacy.call(update_env)["EnvChangeDetail"]["EnvId"] == env_id
    terminate = TerminateAppEnvRequest.TerminateAppEnvRequest()
    terminate.set_EnvId(env_id)
    legacy.call(terminate)
    describe_envs = DescribeAppEnvsRequest.DescribeAppEnvsRequest()
    describe_envs.set_AppId(app_id)
    describe_envs.set_IncludeTerminated(True)
    [env] = legacy.call(describe_envs)["AppEnvs"]["AppEnv"]
    assert (env["EnvId"], env["EnvStatus"], env["PkgVersionId"]) == (
        env_id,
        "TERMINATED",
        pkg_version_id,
    )
    delete_env = DeleteAppEnvRequest.DeleteAppEnvRequest()
    delete_env.set_EnvId(env_id)
    assert legacy.call(delete_env)["Code"] == "OK"

    delete_version = DeletePkgVersionRequest.DeletePkgVersionRequest()
    delete_version.set_PkgVersionId(pkg_version_id)
    assert legacy.call(delete_version)["Code"] == "OK"
    delete_app = DeleteApplicationRequest.DeleteApplicationRequest()
    delete_app.set_AppId(app_id)
    assert legacy.call(delete_app)["Code"] == "OK"

    assert_round_trips(legacy, wp)
    log = controls.requests()
    assert {e["action"] for e in log} == set(WEBPLUS.actions)
    assert {(e["signature_scheme"], e["status"]) for e in log} == {("ROA-HMAC-SHA1", 200)}


def test_service_catalog_operations(legacy: Legacy, controls: Controls) -> None:
    """Every Service Catalog operation works through CommonRequest, signed RPC v1."""
    product_id = legacy.rpc(
        "CreateProduct", ProductName="legacy", ProductType="Ros", ProviderName="old sdk"
    )["ProductId"]
    legacy.rpc("UpdateProduct", ProductId=product_id, Description="updated")
    detail = legacy.rpc("GetProductAsAdmin", ProductId=product_id)["ProductDetail"]
    assert (detail["ProductName"], detail["Description"]) == ("legacy", "updated")
    assert legacy.rpc("ListProductsAsAdmin")["TotalCount"] == 1

    template_url = legacy.rpc(
        "CreateTemplate", TemplateType="RosTerraformTemplate", TemplateBody="{}"
    )["TemplateUrl"]
    version_id = legacy.rpc(
        "CreateProductVersion",
        ProductId=product_id,
        ProductVersionName="v1",
        TemplateType="RosTerraformTemplate",
        TemplateUrl=template_url,
    )["ProductVersionId"]
    legacy.rpc("UpdateProductVersion", ProductVersionId=version_id, ProductVersionName="v1.1")
    got = legacy.rpc("GetProductVersion", ProductVersionId=version_id)["ProductVersionDetail"]
    assert got["ProductVersionName"] == "v1.1"
    listed = legacy.rpc("ListProductVersions", ProductId=product_id)["ProductVersionDetails"]
    assert [v["ProductVersionId"] for v in listed] == [version_id]
    controls.request("PUT", "/_emulator/faults", {"settle_s": 0})
    portfolio_id = legacy.rpc("CreatePortfolio", PortfolioName="legacy", ProviderName="old sdk")[
        "PortfolioId"
    ]
    legacy.rpc("UpdatePortfolio", PortfolioId=portfolio_id, Description="updated")
    got = legacy.rpc("GetPortfolio", PortfolioId=portfolio_id)["PortfolioDetail"]
    assert got["Description"] == "updated"
    pair = {"ProductId": product_id, "PortfolioId": portfolio_id}
    legacy.rpc("AssociateProductWithPortfolio", **pair)
    assert legacy.rpc("ListPortfolios", ProductId=product_id)["TotalCount"] == 1
    principal = {
        "PortfolioId": portfolio_id,
        "PrincipalId": DEFAULT_KEY.id,
        "PrincipalType": "RamUser",
    }
    legacy.rpc("AssociatePrincipalWithPortfolio", **principal)
    assert len(legacy.rpc("ListPrincipals", PortfolioId=portfolio_id)["Principals"]) == 1
    provisioned_id = legacy.rpc(
        "LaunchProduct",
        ProductId=product_id,
        ProductVersionId=version_id,
        ProvisionedProductName="legacy-pp",
        StackRegionId="cn-hangzhou",
        **{"Parameters.1.ParameterKey": "size", "Parameters.1.ParameterValue": "1"},
    )["ProvisionedProductId"]
    provisioned = legacy.rpc("ListProvisionedProducts", AccessLevelFilter="Account")
    details = provisioned["ProvisionedProductDetails"]
    assert [(d["ProvisionedProductId"], d["ProductVersionId"]) for d in details] == [
        (provisioned_id, version_id)
    ]
    legacy.rpc(
        "UpdateProvisionedProduct",
        ProvisionedProductId=provisioned_id,
        ProductId=product_id,
        ProductVersionId=version_id,
        **{"Parameters.1.ParameterKey": "size", "Parameters.1.ParameterValue": "2"},
    )
    detail = legacy.rpc("GetProvisionedProduct", ProvisionedProductId=provisioned_id)
    task_id = detail["ProvisionedProductDetail"]["LastProvisioningTaskId"]
    task = legacy.rpc("GetTask", TaskId=task_id)["TaskDetail"]
    assert task["Parameters"] == [{"ParameterKey": "size", "ParameterValue": "2"}]
    legacy.rpc("TerminateProvisionedProduct", ProvisionedProductId=provisioned_id)
    legacy.rpc("DisassociatePrincipalFromPortfolio", **principal)
    legacy.rpc("DisassociateProductFromPortfolio", **pair)
    legacy.rpc("DeletePortfolio", PortfolioId=portfolio_id)
    legacy.rpc("DeleteProductVersion", ProductVersionId=version_id)
    legacy.rpc("DeleteProduct", ProductId=product_id)

    assert_round_trips(legacy, sc)
    log = controls.requests()
    assert {e["action"] for e in log} == set(SERVICECATALOG.actions)
    assert {(e["signature_scheme"], e["status"]) for e in log} == {("RPC-HMAC-SHA1", 200)}


def test_errors_reach_the_older_sdk(legacy: Legacy) -> None:
    """An error answer is the older SDK's ServerException with the real code and RequestId."""
    with pytest.raises(ServerException) as info:
        legacy.rpc("GetProductVersion", ProductVersionId="pv-bp1doesnotexist")
    assert (info.value.get_error_code(), info.value.get_http_status()) == (
        "InvalidProductVersion.NotFound",
        404,
    )
    assert info.value.get_request_id()
