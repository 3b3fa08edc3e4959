"""Failures over the provider protocol: clear API errors, wrong keys, retries, no duplicates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import grpc
import pytest

from alicloud_versions.emulator import DEFAULT_ACCESS_KEY_ID, Emulator, FaultConfig
from alicloud_versions.servicecatalog import (
    ProductProvider,
    ProductVersionProvider,
)
from alicloud_versions.webplus import ApplicationProvider, PkgVersionProvider

from .conftest import Host, emulator_config, make_product, sdk_client, secret


def rpc_error(call: Callable[[], Any]) -> grpc.RpcError:
    """The gRPC error `call` raises."""
    with pytest.raises(grpc.RpcError) as caught:
        call()
    return caught.value


def test_api_error_names_resource_operation_code_and_request_id(
    host: Host, emulator: Emulator
) -> None:
    """An API error reaches the engine as exactly its one line: type, operation, code, message,
    RequestId; no traceback, no gRPC prefix, and no input value (the dynamic provider host
    cannot tell which are secret, so the label stays out of the title)."""
    error = rpc_error(
        lambda: host.create(
            PkgVersionProvider(),
            {
                "app_id": "wa-missing",
                "package_source": "oss://bucket/app.war",
                "pkg_version_label": "1.5",
            },
        )
    )
    details = error.details()
    request_id = emulator.requests()["requests"][-1]["request_id"]
    assert details.startswith("webplus.PkgVersion: CreatePkgVersion failed: ResourceAuthFailed:")
    assert details.endswith(f"(RequestId: {request_id})")
    assert "\n" not in details and "1.5" not in details


def test_wrong_secret_fails_after_exactly_one_call(
    emulator: Emulator, start_host: Callable[[dict[str, Any]], Host]
) -> None:
    """A wrong secret gives SignatureDoesNotMatch at once: one request, no retries."""
    bad = start_host(
        emulator_config(emulator, **{"alicloud:secretKey": secret("not-the-secret-000000000")})
    )
    error = rpc_error(lambda: bad.create(ApplicationProvider(), {"app_name": "shop"}))
    assert "SignatureDoesNotMatch" in error.details()
    log = emulator.requests()
    assert sum(log["counts"].values()) == 1
    assert log["requests"][0]["code"] == "SignatureDoesNotMatch"


def test_unknown_access_key_fails_after_exactly_one_call(
    emulator: Emulator, start_host: Callable[[dict[str, Any]], Host]
) -> None:
    """An unknown access key id gives InvalidAccessKeyId.NotFound once, not a retry loop."""
    bad = start_host(emulator_config(emulator, **{"alicloud:accessKey": "LTAI5tNobodyHasThisKey"}))
    error = rpc_error(
        lambda: bad.create(
            ProductProvider(),
            {"product_name": "shop", "provider_name": "team", "product_type": "Ros"},
        )
    )
    assert "InvalidAccessKeyId.NotFound" in error.details()
    assert sum(emulator.requests()["counts"].values()) == 1


def test_taken_label_names_the_version_holding_it_and_adopts_nothing(
    host: Host, emulator: Emulator
) -> None:
    """A second resource given a label the stack's first one holds fails with VersionLabelExists,
    saying a resource of this stack manages that version, not to adopt it (which would put it
    under two resources); create never adopts it by itself."""
    app_id, _ = host.create(ApplicationProvider(), {"app_name": "shop"})
    inputs = {
        "app_id": app_id,
        "package_source": "oss://bucket/app.war",
        "pkg_version_label": "1.5",
    }
    existing, _ = host.create(PkgVersionProvider(), inputs)
    error = rpc_error(lambda: host.create(PkgVersionProvider(), inputs))
    details = error.details()
    assert "CreatePkgVersion failed: VersionLabelExists:" in details
    assert (
        f"the label belongs to version {existing}: a resource of this stack manages it" in details
    )
    assert "adopt_id" not in details
    held = [v for a in emulator.inventory()["accounts"].values() for v in a["pkg_versions"]]
    assert [v["PkgVersionId"] for v in held] == [existing]


def test_lost_answer_to_a_create_leaves_no_duplicate(host: Host, emulator: Emulator) -> None:
    """The server applies the create but the answer is lost; the retry adopts it."""
    made = make_product(host)
    template_url, product_id = made["template_url"], made["product_id"]
    app_id, _ = host.create(ApplicationProvider(), {"app_name": "shop"})
    emulator.faults = FaultConfig(
        failure_rate=1.0,
        failure_kinds=("DropConnection",),
        actions=frozenset({"CreateProductVersion", "CreatePkgVersion"}),
        drop_after_apply=True,
        max_failures=2,
    )
    pv_id, _ = host.create(
        ProductVersionProvider(),
        {
            "product_id": product_id,
            "product_version_name": "1.0",
            "template_type": "RosTerraformTemplate",
            "template_url": template_url,
        },
    )
    pkg_id, _ = host.create(
        PkgVersionProvider(),
        {"app_id": app_id, "package_source": "oss://bucket/a.war", "pkg_version_label": "1.5"},
    )
    counts = emulator.requests()["counts"]
    assert counts["CreateProductVersion"] == 1
    assert counts["CreatePkgVersion"] == 1
    holdings = emulator.inventory()["accounts"]
    versions = [v for a in holdings.values() for v in a["product_versions"]]
    packages = [v for a in holdings.values() for v in a["pkg_versions"]]
    assert [v["ProductVersionId"] for v in versions] == [pv_id]
    assert [v["PkgVersionId"] for v in packages] == [pkg_id]


def test_lost_answer_to_create_product_leaves_exactly_one_product(
    host: Host, emulator: Emulator
) -> None:
    """CreateProduct applied but unanswered: the retry finds it by name and inputs, once."""
    from alibabacloud_servicecatalog20210901 import models

    # Same name, another provider: a retry must not take it for the product it made.
    sdk_client(emulator, "servicecatalog").create_product(
        models.CreateProductRequest(product_name="shop", provider_name="other", product_type="Ros")
    )
    emulator.reset_requests()
    emulator.faults = FaultConfig(
        failure_rate=1.0,
        failure_kinds=("DropConnection",),
        actions=frozenset({"CreateProduct"}),
        drop_after_apply=True,
        max_failures=1,
    )
    inputs = {"product_name": "shop", "provider_name": "team", "product_type": "Ros"}
    product_id, outs = host.create(ProductProvider(), inputs)
    assert emulator.requests()["counts"] == {"CreateProduct": 1, "ListProductsAsAdmin": 1}
    products = [p for a in emulator.inventory()["accounts"].values() for p in a["products"]]
    ours = [p["ProductId"] for p in products if p["ProviderName"] == "team"]
    assert ours == [product_id]
    assert len(products) == 2
    assert outs["product_id"] == product_id


def test_random_transient_faults_still_create_each_resource_once(
    host: Host, emulator: Emulator
) -> None:
    """Under 30% throttling, 5xx and dropped connections, every resource exists exactly once."""
    emulator.faults = FaultConfig(failure_rate=0.3, drop_after_apply=True, seed=7)
    app_id, _ = host.create(ApplicationProvider(), {"app_name": "shop"})
    made = []
    for n in range(6):
        id_, outs = host.create(
            PkgVersionProvider(),
            {
                "app_id": app_id,
                "package_source": f"oss://bucket/{n}.war",
                "pkg_version_label": f"1.{n}",
            },
        )
        made.append(id_)
        host.read(PkgVersionProvider(), id_, outs)
    emulator.faults = FaultConfig()
    log = emulator.requests()
    assert any(r["injected"] for r in log["requests"])
    packages = [v for a in emulator.inventory()["accounts"].values() for v in a["pkg_versions"]]
    assert sorted(v["PkgVersionId"] for v in packages) == sorted(made)
    assert len({v["PkgVersionLabel"] for v in packages}) == 6


def test_serialized_provider_and_answers_hold_no_secret(
    emulator: Emulator, start_host: Callable[[dict[str, Any]], Host]
) -> None:
    """With the secret in the stack config, no answer or serialized provider contains it."""
    from pulumi.dynamic.dynamic import serialize_provider

    from alicloud_versions.emulator import DEFAULT_ACCESS_KEY_SECRET

    host = start_host(emulator_config(emulator))
    pv = ProductVersionProvider()
    made = make_product(host)
    template_url, product_id = made["template_url"], made["product_id"]
    inputs = {
        "product_id": product_id,
        "product_version_name": "1.0",
        "template_type": "RosTerraformTemplate",
        "template_url": template_url,
    }
    host.check(pv, inputs)
    id_, outs = host.create(pv, inputs)
    host.diff(pv, id_, outs, {**inputs, "guidance": "Latest"})
    outs = host.update(pv, id_, outs, {**inputs, "guidance": "Latest"})
    host.read(pv, id_, outs)
    for response in host.responses:
        raw = response.SerializeToString()
        assert DEFAULT_ACCESS_KEY_SECRET.encode() not in raw
    blob = serialize_provider(pv)
    assert DEFAULT_ACCESS_KEY_SECRET not in blob
    import base64

    assert DEFAULT_ACCESS_KEY_SECRET.encode() not in base64.b64decode(blob)
    assert DEFAULT_ACCESS_KEY_ID not in str(outs)
    assert DEFAULT_ACCESS_KEY_SECRET not in host.stderr()
