"""The map property type (a provisioned product's parameters and tags): check, diff, secrecy."""

from __future__ import annotations

from typing import Any

import pytest

from alicloud_versions.core.errors import Disclosure
from alicloud_versions.core.lifecycle import UNKNOWN
from alicloud_versions.core.provisioned import ProvisionedProductCore
from alicloud_versions.servicecatalog import ProvisionedProductProvider

from .resources import VALID

pytestmark = pytest.mark.usefixtures("no_network")

CORE = ProvisionedProductCore()
INPUTS: dict[str, Any] = VALID[ProvisionedProductProvider]


def test_a_changed_map_value_updates_in_place() -> None:
    """A parameter or tag that changes, appears or disappears is an update, never a
    replacement; the same map in another order is no change."""
    for changed in (
        {"parameters": {"size": "2", "password": "hunter2"}},
        {"parameters": {"size": "1"}},
        {"tags": {"team": "web", "env": "prod"}},
        {"tags": {}},
    ):
        diff = CORE.diff_inputs(INPUTS, {**INPUTS, **changed})
        assert (diff.changes, diff.replaces) == (True, []), changed
    reordered = {**INPUTS, "parameters": {"password": "hunter2", "size": "1"}}
    assert not CORE.diff_inputs(INPUTS, reordered).changes


def test_a_value_not_known_yet_passes_check_and_is_a_change() -> None:
    """A map value known only at the update passes check and counts as a change."""
    news = {**INPUTS, "parameters": {"size": UNKNOWN, "password": "hunter2"}}
    assert CORE.check_inputs(news) == []
    assert CORE.diff_inputs(INPUTS, news).changes


def test_the_version_moves_in_place_and_the_name_replaces() -> None:
    """A new product version or portfolio updates in place; a new name or stack region
    replaces, as Terraform's ForceNew fields do."""
    assert CORE.diff_inputs(INPUTS, {**INPUTS, "product_version_id": "pv-2"}).replaces == []
    assert CORE.diff_inputs(INPUTS, {**INPUTS, "portfolio_id": "port-2"}).replaces == []
    for name, value in (("provisioned_product_name", "x"), ("stack_region_id", "cn-beijing")):
        assert CORE.diff_inputs(INPUTS, {**INPUTS, name: value}).replaces == [name]


def test_an_omitted_portfolio_keeps_the_one_launched_through() -> None:
    """Leaving portfolio_id out after the service chose one is no change."""
    news = {k: v for k, v in INPUTS.items() if k != "portfolio_id"}
    assert not CORE.diff_inputs(INPUTS, news).changes


def test_parameters_are_always_secret_and_never_quoted() -> None:
    """Parameters are secret whatever the program says, so are the stack's outputs made from
    them; a bad parameter's reason names its key, never a value."""
    assert CORE.secret_outputs(()) >= {"parameters", "outputs"}
    long = "s3cr3t" * 1000
    [(name, reason)] = CORE.check_inputs({**INPUTS, "parameters": {"password": long}})
    assert name == "parameters" and "'password'" in reason and "s3cr3t" not in reason
    assert "hunter2" in Disclosure().hiding(CORE.declared_secret).hidden(INPUTS)


def test_a_tag_key_the_service_refuses_is_named() -> None:
    """A tag key starting with acs: fails check naming the key and the rule."""
    [(name, reason)] = CORE.check_inputs({**INPUTS, "tags": {"acs:team": "web"}})
    assert name == "tags" and "acs:team" in reason and "must not start with acs:" in reason
