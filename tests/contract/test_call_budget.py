"""API calls per operation: one create, one read, one update, one delete, and nothing else but
the in-use check before a version's delete, one listing for the deletes of a parent's versions."""

from __future__ import annotations

from typing import Any

import grpc
import pytest
from pulumi.dynamic import ResourceProvider

from alicloud_versions.core.lifecycle import ResourceCore
from alicloud_versions.core.operations import Operation
from alicloud_versions.core.servicecatalog import ProductCore, ProductVersionCore, TemplateCore
from alicloud_versions.core.webplus import ApplicationCore, PkgVersionCore
from alicloud_versions.emulator import Emulator
from alicloud_versions.servicecatalog import (
    ProductProvider,
    ProductVersionProvider,
    TemplateProvider,
)
from alicloud_versions.webplus import ApplicationProvider, PkgVersionProvider

from .conftest import Host, make_product, sdk_client

# Times move on every update, so a read after a write may see newer ones.
READ_ONLY = {"update_time"}


def action(operation: Operation | None) -> str:
    """The action of an operation a kind declares."""
    assert operation is not None
    return operation.action


def one_call_each(kind: type[ResourceCore]) -> list[dict[str, int]]:
    """One create, one read and one delete call of `kind`, as its declarations name them."""
    return [{action(kind.CREATE): 1}, {action(kind.READ): 1}, {action(kind.DELETE): 1}]


def calls(emulator: Emulator) -> dict[str, int]:
    """The calls made since the last look, by action; the log is cleared."""
    counts = dict(emulator.requests()["counts"])
    emulator.reset_requests()
    return counts


def agree(written: dict[str, Any], read: dict[str, Any]) -> bool:
    """Whether every output a create or update answered is what a read finds."""
    return all(read.get(k) == v for k, v in written.items() if k not in READ_ONLY)


def lifecycle(
    host: Host, emulator: Emulator, provider: ResourceProvider, inputs: dict[str, Any]
) -> tuple[str, dict[str, Any], list[dict[str, int]]]:
    """Create, read and delete once each: the id, create's outputs and each step's calls."""
    id_, outs = host.create(provider, inputs)
    made = calls(emulator)
    read_id, read_outs, _ = host.read(provider, id_, outs)
    assert read_id == id_
    read = calls(emulator)
    # Create answers, from its inputs and its answer, what a read finds.
    assert agree(outs, read_outs)
    host.delete(provider, id_, read_outs)
    return id_, outs, [made, read, calls(emulator)]


def test_each_webplus_step_is_one_call(host: Host, emulator: Emulator) -> None:
    """Application and PkgVersion: one create, one read and one delete call."""
    app_id, _, steps = lifecycle(
        host, emulator, ApplicationProvider(), {"app_name": "shop", "category_name": "Java"}
    )
    assert steps == one_call_each(ApplicationCore)
    app_id, _ = host.create(ApplicationProvider(), {"app_name": "shop"})
    calls(emulator)
    pkg = {"app_id": app_id, "package_source": "oss://bucket/a.war", "pkg_version_label": "1.5"}
    _, outs, steps = lifecycle(host, emulator, PkgVersionProvider(), pkg)
    assert outs["package_source"] == "oss://bucket/a.war"
    # A version's delete first asks which environments run it (one page of DescribeAppEnvs).
    assert steps == [
        {action(PkgVersionCore.CREATE): 1},
        {action(PkgVersionCore.READ): 1},
        {action(PkgVersionCore.USERS): 1, action(PkgVersionCore.DELETE): 1},
    ]


def test_each_service_catalog_step_is_one_call(host: Host, emulator: Emulator) -> None:
    """Product and ProductVersion: one call a step; Template: one create and no other call."""
    template = {"template_type": "RosTerraformTemplate", "template_body": "{}"}
    template_url, _, steps = lifecycle(host, emulator, TemplateProvider(), template)
    assert steps == [{action(TemplateCore.CREATE): 1}, {}, {}]

    product = {"product_name": "shop", "provider_name": "team", "product_type": "Ros"}
    _, outs, steps = lifecycle(host, emulator, ProductProvider(), product)
    assert "product_arn" not in outs  # known only to a read
    assert steps == one_call_each(ProductCore)

    product_id, _ = host.create(ProductProvider(), product)
    calls(emulator)
    version = {
        "product_id": product_id,
        "product_version_name": "1.0",
        "template_type": "RosTerraformTemplate",
        "template_url": template_url,
    }
    _, outs, steps = lifecycle(host, emulator, ProductVersionProvider(), version)
    assert (outs["guidance"], outs["active"]) == ("Default", True)  # the server's defaults
    assert steps == [
        {action(ProductVersionCore.CREATE): 1},
        {action(ProductVersionCore.READ): 1},
        {action(ProductVersionCore.USERS): 1, action(ProductVersionCore.DELETE): 1},
    ]


def test_update_is_one_call_and_answers_what_a_read_finds(host: Host, emulator: Emulator) -> None:
    """UpdateProductVersion alone; an omitted description keeps the one the version has."""
    made = make_product(host)
    template_url, product_id = made["template_url"], made["product_id"]
    inputs = {
        "product_id": product_id,
        "product_version_name": "1.0",
        "template_type": "RosTerraformTemplate",
        "template_url": template_url,
        "description": "first",
        "guidance": "Latest",
        "active": False,
    }
    pv = ProductVersionProvider()
    id_, outs = host.create(pv, inputs)
    calls(emulator)
    news = {k: v for k, v in inputs.items() if k not in ("description", "guidance", "active")}
    news["product_version_name"] = "1.1"
    outs = host.update(pv, id_, outs, news)
    assert calls(emulator) == {action(ProductVersionCore.UPDATE): 1}
    _, read_outs, _ = host.read(pv, id_, outs)
    assert (outs["description"], outs["guidance"], outs["active"]) == ("first", "Default", True)
    assert agree(outs, read_outs)


def test_the_deletes_of_one_parents_versions_share_one_listing_of_its_users(
    host: Host, emulator: Emulator
) -> None:
    """Three versions of one application, and three of one product, deleted together: one
    DescribeAppEnvs and one ListProvisionedProducts in all, and a version the shared listing
    shows in use still fails its delete."""
    from alibabacloud_webplus20190320 import models as wp

    app_id, _ = host.create(ApplicationProvider(), {"app_name": "shop"})
    made = make_product(host)
    pkgs, pvs = [], []
    for n in range(3):
        pkg = {
            "app_id": app_id,
            "package_source": f"oss://bucket/{n}.war",
            "pkg_version_label": f"{n}",
        }
        pkgs.append((host.create(PkgVersionProvider(), pkg)[0], pkg))
        pv = {
            "product_id": made["product_id"],
            "product_version_name": f"1.{n}",
            "template_type": "RosTerraformTemplate",
            "template_url": made["template_url"],
        }
        pvs.append((host.create(ProductVersionProvider(), pv)[0], pv))
    (running, running_inputs), *idle = pkgs
    sdk_client(emulator, "webplus").create_app_env(
        wp.CreateAppEnvRequest(
            app_id=app_id, env_name="prod", stack_id="ws-1", pkg_version_id=running
        )
    )
    calls(emulator)
    for id_, inputs in [*idle, *pvs]:
        host.delete(
            PkgVersionProvider() if "app_id" in inputs else ProductVersionProvider(), id_, inputs
        )
    assert calls(emulator) == {
        "DescribeAppEnvs": 1,
        "DeletePkgVersion": 2,
        "ListProvisionedProducts": 1,
        "DeleteProductVersion": 3,
    }
    with pytest.raises(grpc.RpcError, match="in use by environment"):
        host.delete(PkgVersionProvider(), running, running_inputs)
    assert calls(emulator) == {}


def test_portfolio_and_associations_steps_are_within_the_benchs_budget(
    host: Host, emulator: Emulator
) -> None:
    """A portfolio and its two associations, created and deleted through the protocol, make
    exactly the calls figure 8 of `make bench` budgets (bench/rollout.py): one create each, a
    look in its listing before each association, one delete each."""
    from alicloud_versions.emulator import DEFAULT_ACCESS_KEY_ID
    from alicloud_versions.servicecatalog import (
        PortfolioProvider,
        PrincipalPortfolioAssociationProvider,
        ProductPortfolioAssociationProvider,
    )
    from bench.rollout import OPERATIONS

    product_id = make_product(host)["product_id"]
    calls(emulator)
    portfolio_id, portfolio = host.create(
        PortfolioProvider(), {"portfolio_name": "web", "provider_name": "team"}
    )
    associations = [
        (ProductPortfolioAssociationProvider(), {"product_id": product_id}),
        (
            PrincipalPortfolioAssociationProvider(),
            {"principal_id": DEFAULT_ACCESS_KEY_ID, "principal_type": "RamUser"},
        ),
    ]
    made = [
        (provider, *host.create(provider, {**inputs, "portfolio_id": portfolio_id}))
        for provider, inputs in associations
    ]
    assert calls(emulator) == OPERATIONS["portfolio + 2 associations: create"].budget
    for provider, id_, outs in made:
        host.delete(provider, id_, outs)
    host.delete(PortfolioProvider(), portfolio_id, portfolio)
    assert calls(emulator) == OPERATIONS["portfolio + 2 associations: delete"].budget
