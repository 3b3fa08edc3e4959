"""Portfolios, their associations and provisioned products through the provider protocol: a
launch waits for its task, an update moves it onto another version in place, a failed launch says
why, a termination waits until it is gone; and the core's waits under a timeout."""

from __future__ import annotations

import json
from typing import Any

import grpc
import pytest

from alicloud_versions import WaitFailedError, WaitTimeoutError
from alicloud_versions.core.config import resolve_settings
from alicloud_versions.core.provisioned import ProvisionedProductCore
from alicloud_versions.core.waits import timeout_of
from alicloud_versions.emulator import DEFAULT_ACCESS_KEY_ID, Emulator, FaultConfig
from alicloud_versions.servicecatalog import (
    PortfolioProvider,
    PrincipalPortfolioAssociationProvider,
    ProductPortfolioAssociationProvider,
    ProductProvider,
    ProductVersionProvider,
    ProvisionedProductProvider,
    TemplateProvider,
)
from harness.config import emulator_config as stack_config

from .conftest import Host, from_struct

PP = ProvisionedProductProvider()
PASSWORD = "hunter2-not-for-messages"
# An ROS template whose stack answers the parameter it is given as an output.
TEMPLATE = json.dumps(
    {
        "ROSTemplateFormatVersion": "2015-09-01",
        "Parameters": {"password": {"Type": "String"}},
        "Outputs": {"endpoint": {"Value": {"Ref": "password"}}, "kind": {"Value": "web"}},
    }
)


def catalog(host: Host) -> dict[str, str]:
    """A product with two versions, in a portfolio the default key's RAM user may launch from;
    the ids, made through the protocol."""
    template_url, _ = host.create(
        TemplateProvider(), {"template_type": "RosStandardTemplate", "template_body": TEMPLATE}
    )
    product_id, _ = host.create(
        ProductProvider(), {"product_name": "shop", "provider_name": "team", "product_type": "Ros"}
    )
    versions = [
        host.create(
            ProductVersionProvider(),
            {
                "product_id": product_id,
                "product_version_name": name,
                "template_type": "RosStandardTemplate",
                "template_url": template_url,
            },
        )[0]
        for name in ("1.0", "1.1")
    ]
    portfolio_id, _ = host.create(
        PortfolioProvider(), {"portfolio_name": "web", "provider_name": "team"}
    )
    host.create(
        ProductPortfolioAssociationProvider(),
        {"product_id": product_id, "portfolio_id": portfolio_id},
    )
    host.create(
        PrincipalPortfolioAssociationProvider(),
        {
            "principal_id": DEFAULT_ACCESS_KEY_ID,
            "principal_type": "RamUser",
            "portfolio_id": portfolio_id,
        },
    )
    return {
        "product_id": product_id,
        "v1": versions[0],
        "v2": versions[1],
        "portfolio_id": portfolio_id,
    }


def launch_inputs(ids: dict[str, str], version: str = "v1", **extra: Any) -> dict[str, Any]:
    """A provisioned product's inputs on `version` of the catalog `ids`."""
    return {
        "product_id": ids["product_id"],
        "product_version_id": ids[version],
        "portfolio_id": ids["portfolio_id"],
        "provisioned_product_name": "shop-prod",
        "stack_region_id": "cn-hangzhou",
        "parameters": {"password": PASSWORD},
        "tags": {"team": "web"},
        **extra,
    }


def actions(emulator: Emulator, *names: str) -> list[str]:
    """The request log's actions among `names`, in order."""
    return [r["action"] for r in emulator.requests()["requests"] if r["action"] in names]


def test_launch_update_and_terminate_wait_for_their_tasks(host: Host, emulator: Emulator) -> None:
    """Create answers once the launch is Available, with the stack's outputs (secret); an
    update moves it onto another version in place; delete answers once it is gone, after which
    the old version deletes without force_delete."""
    ids = catalog(host)
    inputs = launch_inputs(ids)
    id_, outs = host.create(PP, inputs)
    assert (outs["status"], outs["product_version_id"]) == ("Available", ids["v1"])
    assert outs["outputs"]["value"] == {"endpoint": PASSWORD, "kind": "web"}
    assert outs["parameters"]["value"] == {"password": PASSWORD}
    assert outs["tags"] == {"team": "web"}
    waited = actions(emulator, "LaunchProduct", "GetProvisionedProduct")
    assert waited[0] == "LaunchProduct" and waited.count("GetProvisionedProduct") >= 2

    news = launch_inputs(ids, "v2")
    diff = host.diff(PP, id_, outs, news)
    assert (diff.changes, list(diff.replaces)) == (diff.DIFF_SOME, [])
    outs = host.update(PP, id_, outs, news)
    assert (outs["status"], outs["product_version_id"]) == ("Available", ids["v2"])
    assert outs["product_version_name"] == "1.1"

    host.delete(ProductVersionProvider(), ids["v1"], {"product_id": ids["product_id"]})
    host.delete(PP, id_, outs)
    assert host.read(PP, id_, outs)[0] == ""
    assert actions(emulator, "TerminateProvisionedProduct") == ["TerminateProvisionedProduct"]


def test_a_failed_launch_names_its_status_and_reason_and_no_secret(
    host: Host, emulator: Emulator
) -> None:
    """A launch whose stack fails ends the create with the status Error and the service's
    message, never a parameter's value."""
    ids = catalog(host)
    emulator.faults = FaultConfig(settle_s=0, fail_async=frozenset({"LaunchProduct"}))
    with pytest.raises(grpc.RpcError) as info:
        host.create(PP, launch_inputs(ids))
    message = info.value.details()
    assert "LaunchProduct failed" in message and "in status Error" in message
    assert "fail_async" in message and PASSWORD not in message


def test_launch_needs_portfolio_access(host: Host, emulator: Emulator) -> None:
    """Without the principal's association the launch is refused with the service's code."""
    ids = catalog(host)
    principal = f"{DEFAULT_ACCESS_KEY_ID}:RamUser:{ids['portfolio_id']}"
    host.delete(PrincipalPortfolioAssociationProvider(), principal, {})
    with pytest.raises(grpc.RpcError) as info:
        host.create(PP, launch_inputs(ids))
    assert "NoPermission" in info.value.details()


def test_associations_are_read_from_their_listings(host: Host) -> None:
    """An association's read finds it in its listing; once undone it reads as gone; one
    that exists already is not taken over by a create."""
    ids = catalog(host)
    product = ProductPortfolioAssociationProvider()
    id_ = f"{ids['product_id']}:{ids['portfolio_id']}"
    assert host.read(product, id_, {})[0] == id_
    with pytest.raises(grpc.RpcError) as info:
        host.create(product, {"product_id": ids["product_id"], "portfolio_id": ids["portfolio_id"]})
    assert "exists already" in info.value.details()
    host.delete(product, id_, {})
    assert host.read(product, id_, {})[0] == ""


def _core(emulator: Emulator) -> ProvisionedProductCore:
    config = {k: v.value for k, v in stack_config(emulator.url).items()}
    return ProvisionedProductCore(resolve_settings(config, {}))


def test_a_wait_gives_up_at_its_timeout(host: Host, emulator: Emulator) -> None:
    """Under `timeout_of`, a launch still under way when the time runs out fails naming its
    status; the error carries what the create made, for the state to keep."""
    ids = catalog(host)
    emulator.faults = FaultConfig(settle_s=600)
    with timeout_of(0.3), pytest.raises(WaitTimeoutError) as info:
        _core(emulator).create_resource(launch_inputs(ids), secret={"parameters"})
    assert "in status UnderChange" in str(info.value)
    assert info.value.created is not None
    id_, outs = info.value.created
    assert (outs["provisioned_product_id"], outs["status"]) == (id_, "UnderChange")


def test_a_failed_update_raises_from_the_core(host: Host, emulator: Emulator) -> None:
    """An update whose task fails raises WaitFailedError naming Error and the reason."""
    ids = catalog(host)
    core = _core(emulator)
    id_, outs = core.create_resource(launch_inputs(ids))
    emulator.faults = FaultConfig(settle_s=0, fail_async=frozenset({"UpdateProvisionedProduct"}))
    with pytest.raises(WaitFailedError) as info:
        core.update_resource(id_, outs, launch_inputs(ids, "v2"))
    assert info.value.status == "Error" and "fail_async" in str(info.value.reason)


def test_the_calls_of_each_step(host: Host, emulator: Emulator) -> None:
    """A launch is one LaunchProduct, its polls and one GetTask; an update one
    UpdateProvisionedProduct, its polls and one GetTask; a termination one
    TerminateProvisionedProduct and its polls; a read one GetProvisionedProduct and one GetTask.
    Tasks settle at once here, so each wait takes a single poll."""
    ids = catalog(host)
    emulator.faults = FaultConfig(settle_s=0)

    def calls(step: Any) -> dict[str, int]:
        emulator.reset_requests()
        step()
        counted: dict[str, int] = {}
        for entry in emulator.requests()["requests"]:
            counted[entry["action"]] = counted.get(entry["action"], 0) + 1
        return counted

    made: dict[str, Any] = {}

    def created() -> None:
        made["id"], made["outs"] = host.create(PP, launch_inputs(ids))

    launch = calls(created)
    assert launch == {"LaunchProduct": 1, "GetProvisionedProduct": 1, "GetTask": 1}
    news = launch_inputs(ids, "v2")
    update = calls(lambda: made.update(outs=host.update(PP, made["id"], made["outs"], news)))
    assert update == {"UpdateProvisionedProduct": 1, "GetProvisionedProduct": 1, "GetTask": 1}
    read = calls(lambda: host.read(PP, made["id"], made["outs"]))
    assert read == {"GetProvisionedProduct": 1, "GetTask": 1}
    terminate = calls(lambda: host.delete(PP, made["id"], made["outs"]))
    assert terminate == {"TerminateProvisionedProduct": 1, "GetProvisionedProduct": 1}


def test_import_reads_each_kind_by_its_id(host: Host, emulator: Emulator) -> None:
    """`pulumi import` (the plugin's read with no state) finds an association by its joined
    id and a provisioned product by its id, with their inputs; a malformed association id
    fails naming the form."""
    from alicloud_versions import ImportIdError
    from alicloud_versions.core.portfolio import ProductPortfolioAssociationCore

    ids = catalog(host)
    config = {k: v.value for k, v in stack_config(emulator.url).items()}
    association = ProductPortfolioAssociationCore(resolve_settings(config, {}))
    joined = f"{ids['product_id']}:{ids['portfolio_id']}"
    found = association.read_imported(joined)
    assert (found.id, found.inputs) == (
        joined,
        {"product_id": ids["product_id"], "portfolio_id": ids["portfolio_id"]},
    )
    with pytest.raises(ImportIdError, match="PRODUCT_ID:PORTFOLIO_ID"):
        association.read_imported("no-colon")

    core = _core(emulator)
    id_, _ = core.create_resource(launch_inputs(ids))
    imported = core.read_imported(id_)
    assert imported.id == id_ and imported.inputs is not None
    assert imported.inputs["product_version_id"] == ids["v1"]
    assert imported.inputs["parameters"] == {"password": PASSWORD}


def test_a_failed_update_leaves_the_truth_in_the_state(host: Host, emulator: Emulator) -> None:
    """An update whose task fails answers the engine's ErrorResourceInitFailed with the
    provisioned product as the service shows it (status Error and the reason, on the new
    version), not the old outputs, and the message says the state holds that."""
    from .test_app_env import _init_failure

    ids = catalog(host)
    id_, outs = host.create(PP, launch_inputs(ids))
    emulator.faults = FaultConfig(settle_s=0, fail_async=frozenset({"UpdateProvisionedProduct"}))
    with pytest.raises(grpc.RpcError) as caught:
        host.update(PP, id_, outs, launch_inputs(ids, "v2"))
    details = caught.value.details()
    assert "UpdateProvisionedProduct failed" in details and "in status Error" in details
    assert "the state now holds it as the service shows it" in details
    assert PASSWORD not in details
    failed = _init_failure(caught.value)
    left = from_struct(failed.properties)
    assert failed.id == id_ and list(failed.reasons) == [details]
    assert (left["status"], left["product_version_id"]) == ("Error", ids["v2"])
    assert "fail_async" in left["status_message"]
    assert host.read(PP, id_, left)[1]["status"] == "Error"


def test_an_update_waits_past_a_service_that_still_shows_the_task_before(
    host: Host, emulator: Emulator
) -> None:
    """When the service shows the task before the update (Available) for a moment after the
    call, the update's wait does not end there: it answers the update's own task, ended."""
    ids = catalog(host)
    id_, outs = host.create(PP, launch_inputs(ids))
    emulator.faults = FaultConfig(settle_s=0, task_lag_s=1.5)
    updated = host.update(PP, id_, outs, launch_inputs(ids, "v2"))
    assert updated["last_task_id"] != outs["last_task_id"]
    assert (updated["status"], updated["product_version_name"]) == ("Available", "1.1")
