"""Ownership: a create whose answer was lost adopts only what it made, never an older resource
of the same name or label, and fails clearly when it cannot tell."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import grpc
import pytest
from pulumi.dynamic import ResourceProvider

from alicloud_versions.emulator import Emulator, FaultConfig
from alicloud_versions.servicecatalog import ProductProvider, ProductVersionProvider
from alicloud_versions.webplus import ApplicationProvider, PkgVersionProvider

from .conftest import Host, emulator_config, make_product


@dataclass(frozen=True)
class Kind:
    """A resource kind whose create can lose its answer, and where the emulator lists it."""

    provider: type[ResourceProvider]
    create: str
    inventory: str
    id_key: str
    inputs: Callable[[Host], dict[str, Any]]


def _app(host: Host) -> str:
    app_id, _ = host.create(ApplicationProvider(), {"app_name": "parent"})
    return app_id


def _product_version_inputs(host: Host) -> dict[str, Any]:
    made = make_product(host)
    return {
        "product_id": made["product_id"],
        "product_version_name": "1.0",
        "template_type": "RosTerraformTemplate",
        "template_url": made["template_url"],
    }


KINDS = {
    "Application": Kind(
        ApplicationProvider,
        "CreateApplication",
        "applications",
        "AppId",
        lambda host: {"app_name": "orders-svc"},
    ),
    "PkgVersion": Kind(
        PkgVersionProvider,
        "CreatePkgVersion",
        "pkg_versions",
        "PkgVersionId",
        lambda host: {
            "app_id": _app(host),
            "package_source": "oss://bucket/orders.war",
            "pkg_version_label": "1.5",
        },
    ),
    "Product": Kind(
        ProductProvider,
        "CreateProduct",
        "products",
        "ProductId",
        lambda host: {"product_name": "orders", "provider_name": "team", "product_type": "Ros"},
    ),
    "ProductVersion": Kind(
        ProductVersionProvider,
        "CreateProductVersion",
        "product_versions",
        "ProductVersionId",
        _product_version_inputs,
    ),
}


def _held(emulator: Emulator, kind: Kind) -> list[str]:
    """The ids of every resource of `kind` in the emulator, in every account."""
    accounts = emulator.inventory()["accounts"].values()
    return [r[kind.id_key] for a in accounts for r in a[kind.inventory]]


def _lose_the_answer(kind: Kind, *, after_apply: bool, clock_skew_s: float = 0.0) -> FaultConfig:
    """The next create of `kind` loses its connection, before or after the server applies it."""
    return FaultConfig(
        failure_rate=1.0,
        failure_kinds=("DropConnection",),
        actions=frozenset({kind.create}),
        drop_after_apply=after_apply,
        max_failures=1,
        clock_skew_s=clock_skew_s,
    )


def _theirs(host: Host, emulator: Emulator, kind: Kind, inputs: dict[str, Any], age: float) -> str:
    """A resource with the same inputs made by someone else, `age` seconds before now on the
    services' clock (negative: in the future)."""
    emulator.faults = FaultConfig(clock_skew_s=-age)
    theirs, _ = host.create(kind.provider(), inputs)
    emulator.faults = FaultConfig()
    return theirs


@pytest.mark.parametrize("name", KINDS)
def test_a_create_lost_before_it_applied_never_claims_an_older_namesake(
    host: Host,
    emulator: Emulator,
    start_host: Callable[[dict[str, Any]], Host],
    name: str,
) -> None:
    """The answer is lost before the server applied the create, and another team's resource of
    the same name exists (made through another provider process, as another stack's would be):
    the retry makes its own (or, for a taken label, fails naming the holder and how to adopt
    it), and deleting ours leaves theirs untouched."""
    kind = KINDS[name]
    inputs = kind.inputs(host)
    other_team = start_host(emulator_config(emulator))
    theirs = _theirs(other_team, emulator, kind, inputs, age=600)
    emulator.faults = _lose_the_answer(kind, after_apply=False)
    if kind.provider is PkgVersionProvider:
        with pytest.raises(grpc.RpcError) as caught:
            host.create(kind.provider(), inputs)
        assert "VersionLabelExists" in caught.value.details()
        assert f"set adopt_id to {theirs!r}" in caught.value.details()
        assert _held(emulator, kind) == [theirs]
        return
    ours, outs = host.create(kind.provider(), inputs)
    assert ours != theirs
    assert sorted(_held(emulator, kind)) == sorted([theirs, ours])
    host.delete(kind.provider(), ours, outs)
    assert _held(emulator, kind) == [theirs]


def test_deleting_a_namesake_application_leaves_the_other_teams_versions(
    host: Host, emulator: Emulator
) -> None:
    """The reported data loss: our application, made after a lost answer beside another team's
    `orders-svc`, is deleted alone; their application and its package version stay."""
    kind = KINDS["Application"]
    theirs = _theirs(host, emulator, kind, {"app_name": "orders-svc"}, age=600)
    their_version, _ = host.create(
        PkgVersionProvider(),
        {"app_id": theirs, "package_source": "oss://bucket/theirs.war", "pkg_version_label": "7"},
    )
    emulator.faults = _lose_the_answer(kind, after_apply=False)
    ours, outs = host.create(ApplicationProvider(), {"app_name": "orders-svc"})
    host.delete(ApplicationProvider(), ours, outs)
    assert _held(emulator, kind) == [theirs]
    assert _held(emulator, KINDS["PkgVersion"]) == [their_version]


@pytest.mark.parametrize("clock_skew_s", [3600.0, -3600.0], ids=["server-ahead", "server-behind"])
@pytest.mark.parametrize("name", KINDS)
def test_a_create_lost_after_it_applied_adopts_exactly_what_it_made(
    host: Host, emulator: Emulator, name: str, clock_skew_s: float
) -> None:
    """The server applied the create but the answer was lost, beside an older namesake and with
    the server's clock an hour off: the retry adopts the one it made, and makes no second."""
    kind = KINDS[name]
    inputs = kind.inputs(host)
    theirs = _theirs(host, emulator, kind, inputs, age=600 - clock_skew_s)
    if kind.provider is PkgVersionProvider:
        # Labels are unique in an application: the namesake lives in another one.
        inputs = {**inputs, "app_id": _app(host)}
    emulator.faults = _lose_the_answer(kind, after_apply=True, clock_skew_s=clock_skew_s)
    before = emulator.requests()["counts"].get(kind.create, 0)
    ours, _ = host.create(kind.provider(), inputs)
    assert emulator.requests()["counts"][kind.create] == before + 1
    assert sorted(_held(emulator, kind)) == sorted([theirs, ours])


@pytest.mark.parametrize("name", ["Application", "Product", "ProductVersion"])
def test_two_namesakes_made_since_the_create_began_fail_with_both_listed(
    host: Host, emulator: Emulator, name: str
) -> None:
    """When another resource of the same inputs appeared while the create's answer was lost,
    neither is taken: the error lists both with their create times and how to adopt one."""
    kind = KINDS[name]
    inputs = kind.inputs(host)
    theirs = _theirs(host, emulator, kind, inputs, age=-30)
    emulator.faults = _lose_the_answer(kind, after_apply=True)
    with pytest.raises(grpc.RpcError) as caught:
        host.create(kind.provider(), inputs)
    details = caught.value.details()
    [ours] = [id_ for id_ in _held(emulator, kind) if id_ != theirs]
    assert f"{kind.create}'s answer was lost" in details
    assert f"{theirs} (created " in details and f"{ours} (created " in details
    assert "set adopt_id" in details
