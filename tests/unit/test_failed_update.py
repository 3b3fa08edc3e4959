"""A ProvisionedProduct update whose wait fails: the plugin answers the engine what the wait
left (status Error, the reason) as an ErrorResourceInitFailed, as a bridged provider does."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import pytest
from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.provider.experimental.provider import UpdateRequest

from alicloud_versions._init_failed import InitFailed
from alicloud_versions.core.errors import Target, WaitFailedError
from alicloud_versions.core.provisioned import ProvisionedProductCore
from alicloud_versions.plugin import AlicloudVersionsProvider

URN = "urn:pulumi:test::project::alicloud-versions:servicecatalog:ProvisionedProduct::name"


def test_the_plugin_answers_a_failed_update_with_what_it_left(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The engine gets the failed update's reason and the outputs a read found (Error), with
    the parameters still secret, instead of keeping the outputs from before the update."""

    def update(
        self: Any, id_: str, olds: Mapping[str, Any], news: Mapping[str, Any], secret: Any = ()
    ) -> dict[str, Any]:
        error = WaitFailedError(
            target=Target(self.TYPE, "prod", id_),
            operation="UpdateProvisionedProduct",
            status="Error",
            reason="the stack failed",
            waited=1.0,
            detail="failed",
        )
        error.created = (id_, {**news, "status": "Error", "status_message": "the stack failed"})
        raise error

    monkeypatch.setattr(ProvisionedProductCore, "update_resource", update)
    olds = {
        "productId": "prod-1",
        "productVersionId": "pv-1",
        "provisionedProductName": "prod",
        "stackRegionId": "cn-hangzhou",
        "parameters": {"password": "hunter2"},
        "status": "Available",
        "provisionedProductId": "pp-1",
    }
    news = {**{k: v for k, v in olds.items() if k not in ("status", "provisionedProductId")}}
    news["productVersionId"] = "pv-2"
    request = UpdateRequest(
        URN,
        "pp-1",
        {k: _property(v) for k, v in olds.items()},
        {k: _property(v) for k, v in news.items()},
        60,
        [],
        False,
    )
    with pytest.raises(InitFailed) as caught:
        asyncio.run(AlicloudVersionsProvider().update(request))
    failed = caught.value
    assert failed.id_ == "pp-1" and "in status Error: the stack failed" in str(failed)
    properties = PropertyValue.unmarshal_map(failed.properties)
    assert properties["status"].value == "Error"
    assert properties["statusMessage"].value == "the stack failed"
    assert properties["productVersionId"].value == "pv-2"
    assert properties["parameters"].is_secret


def _property(value: Any) -> PropertyValue:
    if isinstance(value, dict):
        return PropertyValue({k: _property(v) for k, v in value.items()})
    return PropertyValue(value)
