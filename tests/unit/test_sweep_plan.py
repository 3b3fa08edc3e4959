"""sweep's plan, from the kinds' declarations: which kinds, in which order, which families."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import pytest

from alicloud_versions import _sweep
from alicloud_versions._sweep import (
    ROOTS,
    SWEPT,
    Leftover,
    delete_order,
    families,
    judged,
    references,
    sweep,
)
from alicloud_versions.core.appenv import AppEnvCore
from alicloud_versions.core.config import resolve_settings
from alicloud_versions.core.errors import InUseError
from alicloud_versions.core.fields import Input
from alicloud_versions.core.portfolio import (
    PortfolioCore,
    PrincipalPortfolioAssociationCore,
    ProductPortfolioAssociationCore,
)
from alicloud_versions.core.provisioned import ProvisionedProductCore
from alicloud_versions.core.servicecatalog import ProductCore, ProductVersionCore, TemplateCore
from alicloud_versions.core.webplus import ApplicationCore, PkgVersionCore

NOW = 1_800_000_000.0
HOUR = 3600.0

# Written out here, not derived: what must be deleted before what for each delete to succeed.
_BEFORE = (
    (AppEnvCore, PkgVersionCore),
    (AppEnvCore, ApplicationCore),
    (PkgVersionCore, ApplicationCore),
    (ProvisionedProductCore, ProductVersionCore),
    (ProvisionedProductCore, ProductCore),
    (ProvisionedProductCore, PortfolioCore),
    (ProductVersionCore, ProductCore),
    (ProductPortfolioAssociationCore, ProductCore),
    (ProductPortfolioAssociationCore, PortfolioCore),
    (PrincipalPortfolioAssociationCore, PortfolioCore),
)


def test_sweep_takes_every_kind_that_can_be_listed_and_deleted_but_templates() -> None:
    """The roots a prefix selects are applications, products and portfolios, and every kind
    that belongs to one of them is swept; templates (no listing) never are."""
    assert set(ROOTS) == {ApplicationCore, ProductCore, PortfolioCore}
    assert set(SWEPT) == {
        ApplicationCore,
        PkgVersionCore,
        AppEnvCore,
        ProductCore,
        ProductVersionCore,
        PortfolioCore,
        ProductPortfolioAssociationCore,
        PrincipalPortfolioAssociationCore,
        ProvisionedProductCore,
    }
    assert TemplateCore not in SWEPT


@pytest.mark.parametrize(("first", "then"), _BEFORE, ids=lambda k: k.TYPE)
def test_sweep_deletes_what_belongs_to_a_resource_before_it(first: Any, then: Any) -> None:
    """Provisioned products before product versions, environments before package versions
    and applications, associations before portfolios and products."""
    assert SWEPT.index(first) < SWEPT.index(then)


def test_references_are_the_inputs_naming_another_kinds_id() -> None:
    """A provisioned product belongs to its product, version and portfolio, by their inputs."""
    assert references(ProvisionedProductCore) == {
        "product_id": ProductCore,
        "product_version_id": ProductVersionCore,
        "portfolio_id": PortfolioCore,
    }
    assert references(ApplicationCore) == {}


def test_a_cycle_of_kinds_is_refused() -> None:
    """Two kinds naming each other have no delete order: an error, not a guess."""

    class A(ApplicationCore):
        INPUTS: ClassVar[Mapping[str, Input]] = {
            **ApplicationCore.INPUTS,
            "b_id": PkgVersionCore.INPUTS["app_id"],
        }
        _ID_FIELD = "a_id"

    class B(ApplicationCore):
        INPUTS: ClassVar[Mapping[str, Input]] = {
            **ApplicationCore.INPUTS,
            "a_id": PkgVersionCore.INPUTS["app_id"],
        }
        _ID_FIELD = "b_id"

    with pytest.raises(ValueError, match="name each other"):
        delete_order([A, B])


def _item(kind: Any, id_: str, created: float = NOW - 2 * HOUR, **state: str) -> Leftover:
    return Leftover(kind, id_, id_, created, {"region": "cn-hangzhou", **state})


def _listing(records: Mapping[tuple[str, str, str], list[dict[str, Any]]]) -> Any:
    def listing(kind: Any, field: str, id_: str) -> Iterable[Mapping[str, Any]] | None:
        return records.get((kind.TYPE, field, id_))

    return listing


def test_roots_sharing_a_resource_are_one_family_in_delete_order() -> None:
    """A product and a portfolio holding the same provisioned product and association are one
    family, each resource once, ordered so that what belongs to a resource goes first."""
    pp = {
        "provisioned_product_id": "pp-1",
        "provisioned_product_name": "prod",
        "product_id": "prod-1",
        "product_version_id": "pv-1",
        "portfolio_id": "port-1",
        "create_time": "2027-01-15T08:00:00Z",
    }
    link = {"association_id": "prod-1:port-1", "product_id": "prod-1", "portfolio_id": "port-1"}
    version = {"product_version_id": "pv-1", "product_version_name": "v1", "product_id": "prod-1"}
    listing = _listing(
        {
            ("servicecatalog.ProvisionedProduct", "product_id", "prod-1"): [pp],
            ("servicecatalog.ProvisionedProduct", "portfolio_id", "port-1"): [pp],
            ("servicecatalog.ProductPortfolioAssociation", "product_id", "prod-1"): [link],
            ("servicecatalog.ProductPortfolioAssociation", "portfolio_id", "port-1"): [link],
            ("servicecatalog.ProductVersion", "product_id", "prod-1"): [version],
        }
    )
    roots = [_item(ProductCore, "prod-1"), _item(PortfolioCore, "port-1"), _item(ProductCore, "x")]
    found = families(roots, listing)
    assert [[(r.kind.TYPE, r.id_) for r in f] for f in found] == [
        [
            ("servicecatalog.ProductPortfolioAssociation", "prod-1:port-1"),
            ("servicecatalog.ProvisionedProduct", "pp-1"),
            ("servicecatalog.ProductVersion", "pv-1"),
            ("servicecatalog.Portfolio", "port-1"),
            ("servicecatalog.Product", "prod-1"),
        ],
        [("servicecatalog.Product", "x")],
    ]
    # Each member keeps the inputs its delete needs.
    assert found[0][1].state["product_id"] == "prod-1"


def test_a_family_is_kept_whole_when_one_resource_is_too_new_or_held() -> None:
    """Age is judged per resource and a stack's holding per id; either keeps the whole family
    and says why, while an association (no listing dates one) goes with its family."""
    old_family = [
        _item(ProductPortfolioAssociationCore, "p:q", math.nan),
        _item(ProductCore, "p"),
    ]
    fresh = [_item(PkgVersionCore, "v", NOW - 60), _item(ApplicationCore, "a")]
    undated = [_item(PkgVersionCore, "w", math.nan), _item(ApplicationCore, "b")]
    held = [_item(AppEnvCore, "e"), _item(ApplicationCore, "c")]
    found = [old_family, fresh, undated, held]
    plan = judged("sweep-", "cn-hangzhou", found, HOUR, NOW, {"e": "dev"})
    assert [[r.id_ for r in f.resources] for f in plan.delete] == [["p:q", "p"]]
    assert [(f.kept, [r.kept for r in f.resources]) for f in plan.kept] == [
        ("a member is too new", ["too new", ""]),
        ("a member is too new", ["too new", ""]),
        ("a member is held by dev", ["held by dev", ""]),
    ]
    # Nothing kept carries the state a delete would need.
    assert all(r.state == {} for f in plan.kept for r in f.resources)


def test_a_failed_delete_leaves_what_it_belongs_to(monkeypatch: pytest.MonkeyPatch) -> None:
    """When an environment's delete fails, its package version and application are left (not
    tried), the rest of the plan still goes, and each is counted as not deleted."""
    tried: list[str] = []

    def refuse(self: Any, id_: str, state: Mapping[str, Any], secret: Any = ()) -> None:
        raise InUseError(f"{self.TYPE} {id_}: cannot delete")

    def delete(self: Any, id_: str, state: Mapping[str, Any], secret: Any = ()) -> None:
        tried.append(id_)

    monkeypatch.setattr(AppEnvCore, "delete_resource", refuse)
    for kind in (PkgVersionCore, ApplicationCore, ProductCore):
        monkeypatch.setattr(kind, "delete_resource", delete)
    family = [
        _item(AppEnvCore, "e", app_id="a", pkg_version_id="v"),
        _item(PkgVersionCore, "v", app_id="a"),
        _item(ApplicationCore, "a"),
    ]
    plan = judged("sweep-", "cn-hangzhou", [family, [_item(ProductCore, "p")]], None, NOW, {})
    lines: list[str] = []
    settings = resolve_settings({})
    assert sweep(settings, plan, lines.append) == 3
    assert tried == ["p"]
    assert [line.split()[:3] for line in lines] == [
        ["failed", "webplus.AppEnv", "e:"],
        ["left", "webplus.PkgVersion", "v:"],
        ["left", "webplus.Application", "a:"],
        ["deleted", "servicecatalog.Product", "p"],
    ]
    assert _sweep.SweepPlan("sweep-", "cn-hangzhou").digest != plan.digest
