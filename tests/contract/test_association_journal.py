"""An association is findable after a lost answer: its create is recorded, and its lookup finds
it by its joined id, so recover takes it on a record's answer and never on a namesake."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from alicloud_versions import AdoptionError
from alicloud_versions.core.config import Settings, resolve_settings
from alicloud_versions.core.journal import folder, read_records
from alicloud_versions.core.portfolio import (
    PrincipalPortfolioAssociationCore,
    ProductPortfolioAssociationCore,
)
from alicloud_versions.emulator import Emulator
from alicloud_versions.recover.evidence import judge
from harness.config import emulator_config as stack_config

from .conftest import Host
from .test_provisioned_product import catalog

URN = "urn:pulumi:dev::shop::alicloud-versions:servicecatalog:ProductPortfolioAssociation::link"


def _settings(emulator: Emulator) -> Settings:
    return resolve_settings({k: v.value for k, v in stack_config(emulator.url).items()}, {})


def test_an_associations_create_is_recorded_and_its_lookup_finds_it(
    host: Host, emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A create under the engine writes a record whose answer names the joined id; the lookup
    finds the association by it, and recover's evidence takes it as the stack's."""
    monkeypatch.setenv("PULUMI_PROJECT", "shop")
    monkeypatch.setenv("ALICLOUD_VERSIONS_STATE_DIR", str(tmp_path))
    ids = catalog(host)
    assert ProductPortfolioAssociationCore.findable()
    assert PrincipalPortfolioAssociationCore.findable()
    core = ProductPortfolioAssociationCore(_settings(emulator))
    product = {"product_id": ids["product_id"], "portfolio_id": ids["portfolio_id"]}
    core.delete_resource(core.compose(product), product)  # catalog() associated it already

    id_, _ = core.create_resource(product, urn=URN)

    records = [r for r in read_records(folder("shop")) if r.kind == core.TYPE]
    assert [(r.answered, r.id_, r.urn) for r in records] == [(True, id_, URN)]
    assert [c.id_ for c in core.lookup(core.session(product), product).candidates] == [id_]
    finding = judge(core, URN, product, records)
    assert finding.mine is not None and finding.mine.id_ == id_, finding


def test_an_association_that_existed_before_the_create_is_not_the_stacks(
    host: Host, emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A create that finds its association made already refuses before any record is written,
    so nothing proves it the stack's: recover would list it, never take it."""
    monkeypatch.setenv("PULUMI_PROJECT", "shop")
    monkeypatch.setenv("ALICLOUD_VERSIONS_STATE_DIR", str(tmp_path))
    ids = catalog(host)  # made outside the stack
    core = ProductPortfolioAssociationCore(_settings(emulator))
    product = {"product_id": ids["product_id"], "portfolio_id": ids["portfolio_id"]}

    with pytest.raises(AdoptionError, match="exists already"):
        core.create_resource(product, urn=URN)

    assert [r for r in read_records(folder("shop")) if r.kind == core.TYPE] == []
    finding = judge(core, URN, product, [], since=0.0)
    assert finding.mine is None and finding.problem is not None


def test_an_unanswered_associations_create_is_listed_never_taken_nor_forgotten(
    host: Host, emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A create killed before its answer leaves a record without an id, and no listing dates an
    association: the one that exists is listed with how to take it or clear the create, never
    taken, and never reported as nothing made."""
    monkeypatch.setenv("PULUMI_PROJECT", "shop")
    monkeypatch.setenv("ALICLOUD_VERSIONS_STATE_DIR", str(tmp_path))
    ids = catalog(host)
    core = ProductPortfolioAssociationCore(_settings(emulator))
    product = {"product_id": ids["product_id"], "portfolio_id": ids["portfolio_id"]}
    core.delete_resource(core.compose(product), product)
    id_, _ = core.create_resource(product, urn=URN)
    (record,) = [r for r in read_records(folder("shop")) if r.kind == core.TYPE]

    finding = judge(core, URN, product, [replace(record, answered=False, id_=None)])

    assert finding.mine is None and finding.problem is not None
    assert id_ in finding.problem and "pulumi import" in finding.problem
