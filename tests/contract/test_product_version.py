"""ProductVersion through the provider protocol: create, read, update in place, delete."""

from __future__ import annotations

from typing import Any

from alicloud_versions.emulator import Emulator
from alicloud_versions.servicecatalog import ProductVersionProvider

from .conftest import Host, sdk_client

PV = ProductVersionProvider()


def version_inputs(product: dict[str, str], **extra: Any) -> dict[str, Any]:
    """The inputs of a product version of `product`."""
    return {
        "product_id": product["product_id"],
        "product_version_name": "1.0",
        "template_type": "RosTerraformTemplate",
        "template_url": product["template_url"],
        **extra,
    }


def test_create_read_update_delete(host: Host, product: dict[str, str], emulator: Emulator) -> None:
    """A version is created with server defaults, updated in place, read back and deleted."""
    inputs = version_inputs(product)
    checked, failures = host.check(PV, inputs)
    assert failures == []
    assert {k: v for k, v in checked.items() if k != "__provider"} == inputs
    id_, outs = host.create(PV, inputs)
    assert outs["product_version_id"] == id_
    assert (outs["guidance"], outs["active"]) == ("Default", True)

    diff = host.diff(PV, id_, outs, inputs)
    assert diff.changes == diff.DIFF_NONE

    news = {**inputs, "product_version_name": "1.1", "guidance": "Recommended", "active": False}
    diff = host.diff(PV, id_, outs, news)
    assert diff.changes == diff.DIFF_SOME
    assert list(diff.replaces) == []
    outs = host.update(PV, id_, outs, news)
    assert (outs["product_version_name"], outs["guidance"], outs["active"]) == (
        "1.1",
        "Recommended",
        False,
    )
    updates = [r for r in emulator.requests()["requests"] if r["action"] == "UpdateProductVersion"]
    assert len(updates) == 1

    read_id, read_outs, read_inputs = host.read(PV, id_, outs)
    assert read_id == id_
    assert (read_outs["product_version_name"], read_outs["guidance"]) == ("1.1", "Recommended")
    assert read_inputs == {}  # nothing drifted: the engine keeps the state's inputs

    host.delete(PV, id_, outs)
    gone_id, _, _ = host.read(PV, id_, outs)
    assert gone_id == ""
    host.delete(PV, id_, outs)  # already gone: success


def test_changing_the_template_replaces(host: Host, product: dict[str, str]) -> None:
    """template_url, template_type and product_id replace; the diff names them."""
    id_, outs = host.create(PV, version_inputs(product))
    news = version_inputs(product, template_type="RosStandardTemplate")
    diff = host.diff(PV, id_, outs, news)
    assert list(diff.replaces) == ["template_type"]


def test_read_sees_an_out_of_band_change(
    host: Host, product: dict[str, str], emulator: Emulator
) -> None:
    """A change made outside Pulumi shows up in read's outputs and inputs."""
    from alibabacloud_servicecatalog20210901 import models

    id_, outs = host.create(PV, version_inputs(product, description="first"))
    sdk_client(emulator, "servicecatalog").update_product_version(
        models.UpdateProductVersionRequest(
            product_version_id=id_, product_version_name="renamed", description="edited elsewhere"
        )
    )
    _, read_outs, read_inputs = host.read(PV, id_, outs)
    assert read_outs["description"] == "edited elsewhere" == read_inputs["description"]
    assert read_inputs["product_version_name"] == "renamed"
    # The program still says "1.0" and "first": the next diff updates in place back to it.
    diff = host.diff(PV, id_, read_outs, version_inputs(product, description="first"))
    assert diff.changes == diff.DIFF_SOME
    assert list(diff.replaces) == []


def test_check_reports_every_bad_input_by_name(
    host: Host, product: dict[str, str], emulator: Emulator
) -> None:
    """check over the protocol names each bad field in its reason (the dynamic front door names
    no property: the engine would print that property's value, which may be a secret), and
    makes no API call."""
    before = emulator.requests()["counts"]
    _, failures = host.check(
        PV,
        version_inputs(product, guidance="Stable", active="yes", template_type="Terraform"),
    )
    assert {prop for prop, _ in failures} == {""}
    assert {reason.split()[0] for _, reason in failures} == {"guidance", "active", "template_type"}
    assert emulator.requests()["counts"] == before


def test_unknown_inputs_pass_check(host: Host, emulator: Emulator) -> None:
    """Inputs unknown at preview pass check and make no API call."""
    from pulumi.runtime.rpc import UNKNOWN

    _, failures = host.check(
        PV,
        {
            "product_id": UNKNOWN,
            "product_version_name": "1.0",
            "template_type": "RosTerraformTemplate",
            "template_url": UNKNOWN,
        },
    )
    assert failures == []
    assert emulator.requests()["requests"] == []
