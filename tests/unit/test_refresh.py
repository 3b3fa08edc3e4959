"""refreshed: what read answers, and which read-back values become the state's inputs."""

from __future__ import annotations

from typing import Any

import pytest

from alicloud_versions.servicecatalog import ProductVersionProvider
from alicloud_versions.webplus import PkgVersionProvider

from .resources import TEMPLATE_URL

pytestmark = pytest.mark.usefixtures("no_network")

PV = ProductVersionProvider().core

# A version whose program sets guidance and leaves active out, as create answers it.
OLD: dict[str, Any] = {
    "product_version_id": "pv-1",
    "product_id": "prod-1",
    "product_version_name": "1.0",
    "template_type": "RosTerraformTemplate",
    "template_url": TEMPLATE_URL,
    "guidance": "Recommended",
    "active": True,
}


def live(**changes: Any) -> dict[str, Any]:
    """The version as GetProductVersion answers it, with `changes`."""
    return {**OLD, "create_time": "2024-01-01T00:00:00Z", **changes}


def test_gone_is_a_blank_id() -> None:
    """No live record: a blank id and no outputs."""
    result = PV.refreshed("pv-1", None, OLD)
    assert (result.id, result.outs) == ("", {})


def test_nothing_drifted_answers_no_inputs() -> None:
    """Live inputs as in the old outputs: no inputs, so the engine keeps the state's."""
    result = PV.refreshed("pv-1", live(), OLD)
    assert result.id == "pv-1"
    assert result.outs["create_time"] == "2024-01-01T00:00:00Z"
    assert result.inputs is None


def test_an_omitted_input_at_its_default_stays_out_of_the_inputs() -> None:
    """guidance changed out of band: it is answered, and active (left out, at the server's
    default) is not, so neither refresh nor the next preview shows it."""
    result = PV.refreshed("pv-1", live(guidance="Deprecated"), OLD)
    assert result.inputs is not None
    assert result.inputs["guidance"] == "Deprecated"
    assert "active" not in result.inputs
    assert result.outs["active"] is True
    assert {k: result.inputs[k] for k in ("product_id", "template_url")} == {
        "product_id": "prod-1",
        "template_url": TEMPLATE_URL,
    }


def test_an_omitted_input_changed_out_of_band_is_answered() -> None:
    """active left out, then set to false out of band: it differs from the default, so it is
    an input and the next preview shows the change back."""
    result = PV.refreshed("pv-1", live(active=False), OLD)
    assert result.inputs is not None and result.inputs["active"] is False


def test_an_input_drifted_back_to_its_default_is_answered() -> None:
    """guidance set to Recommended, reset to Default out of band: answered as Default."""
    result = PV.refreshed("pv-1", live(guidance="Default"), OLD)
    assert result.inputs is not None and result.inputs["guidance"] == "Default"


def test_inputs_read_cannot_see_are_kept_as_given() -> None:
    """package_source and region come from the old outputs, never from the live record."""
    old = {
        "pkg_version_id": "wp-1",
        "app_id": "wa-1",
        "package_source": "oss://bucket/app.war",
        "package_url": "https://internal/wam/1/wa-1/wp-1/app.war",
        "pkg_version_label": "1.5",
        "region": "cn-shanghai",
    }
    found = {k: v for k, v in old.items() if k not in ("package_source", "region")}
    result = PkgVersionProvider().core.refreshed(
        "wp-1", {**found, "pkg_version_description": "edited"}, old
    )
    assert result.inputs is not None
    assert result.inputs["package_source"] == "oss://bucket/app.war"
    assert result.inputs["region"] == "cn-shanghai"
    assert result.inputs["pkg_version_description"] == "edited"
