"""Only signed input counts: unsigned extras are ignored, replays refused, accounts leak nothing."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from alibabacloud_servicecatalog20210901 import models as sc
from alibabacloud_servicecatalog20210901.client import Client as ServiceCatalogClient
from alibabacloud_tea_openapi.utils import Utils
from alibabacloud_webplus20190320 import models as wp
from alibabacloud_webplus20190320.client import Client as WebPlusClient

from alicloud_versions.emulator import Emulator
from alicloud_versions.emulator.store import Store
from tests.emulator.conftest import Controls, error_of, make_config
from tests.emulator.raw import roa_headers, roa_target, rpc_target, send
from tests.support.builders import create_app, create_pkg_version, create_product, create_template
from tests.support.builders import create_product_version as create_version
from tests.support.builders import get_product_version as get_version


def test_rpc_v1_ignores_an_unsigned_action_header(
    emulator: Emulator, controls: Controls, servicecatalog: ServiceCatalogClient
) -> None:
    """An x-acs-action header beside a signed ListProductsAsAdmin does not make a CreateProduct."""
    target = rpc_target({"Action": "ListProductsAsAdmin"})
    status, body = send(
        emulator, "GET", target, {"x-acs-action": "CreateProduct", "x-acs-version": "1999-01-01"}
    )
    assert status == 200, body
    assert body["TotalCount"] == 0
    assert [e["action"] for e in controls.requests()] == ["ListProductsAsAdmin"]
    assert (
        controls.get("/_emulator/inventory")["accounts"][emulator.access_keys[0].account_id][
            "products"
        ]
        == []
    )


def test_rpc_v1_ignores_an_unsigned_json_body(
    emulator: Emulator, servicecatalog: ServiceCatalogClient
) -> None:
    """A JSON body beside a signed UpdateProductVersion changes nothing it did not sign."""
    version_id = create_version(servicecatalog, description="signed")
    target = rpc_target(
        {
            "Action": "UpdateProductVersion",
            "ProductVersionId": version_id,
            "ProductVersionName": "renamed",
        }
    )
    tampered = json.dumps({"Description": "tampered", "Active": "false"}).encode()
    status, body = send(emulator, "GET", target, {"Content-Type": "application/json"}, tampered)
    assert status == 200, body
    detail = get_version(servicecatalog, version_id)
    assert (detail.product_version_name, detail.description, detail.active) == (
        "renamed",
        "signed",
        True,
    )


def test_roa_content_md5_must_match_the_body(emulator: Emulator, webplus: WebPlusClient) -> None:
    """A ROA request whose signed Content-MD5 is not the body's answers InvalidDigest."""
    path = "/pop/v1/wam/application"
    signed_body = b"AppName=signed"
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Content-MD5": "1B2M2Y8AsgTpgAmY7PhCfg==",  # the MD5 of an empty body
    }
    status, body = send(
        emulator, "POST", roa_target(path, None), roa_headers("POST", path, headers), signed_body
    )
    assert (status, body["Code"]) == (400, "InvalidDigest")
    assert webplus.describe_applications(wp.DescribeApplicationsRequest()).body.total_count == 0


def test_nonces_survive_a_restart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A request replayed to a new emulator on the same state answers SignatureNonceUsed."""
    monkeypatch.setattr(Utils, "get_nonce", staticmethod(lambda: "replayed-nonce-0001"))
    state = tmp_path / "state.sqlite"
    with Emulator(state=state) as first:
        ServiceCatalogClient(make_config(first)).create_product(
            sc.CreateProductRequest(product_name="p", product_type="Ros", provider_name="q")
        )
    with Emulator(state=state) as second:
        client = ServiceCatalogClient(make_config(second))
        err = error_of(
            lambda: client.create_product(
                sc.CreateProductRequest(product_name="p", product_type="Ros", provider_name="q")
            )
        )
        assert (err.code, err.data["statusCode"]) == ("SignatureNonceUsed", 400)


def test_nonces_expire_with_their_window() -> None:
    """A nonce is refused until its request's window has passed, then forgotten."""
    store = Store()
    try:
        assert store.use_nonce("key", "n1", time.time() + 60)
        assert not store.use_nonce("key", "n1", time.time() + 60)
        assert store.use_nonce("other-key", "n1", time.time() + 60)
        assert store.use_nonce("key", "n2", time.time() - 1)
        assert store.use_nonce("key", "n2", time.time() + 60)  # the expired one was purged
    finally:
        store.close()


def test_another_accounts_pkg_version_answers_like_a_made_up_id(
    webplus: WebPlusClient, other_webplus: WebPlusClient
) -> None:
    """Deleting another account's package version answers exactly as an id that never existed."""
    theirs = create_pkg_version(webplus, create_app(webplus), "v1").pkg_version_id
    answers = []
    for pkg_version_id in (theirs, "wp-000000000000000000000000"):
        err = error_of(
            lambda i=pkg_version_id: other_webplus.delete_pkg_version(
                wp.DeletePkgVersionRequest(pkg_version_id=i)
            )
        )
        answers.append((err.code, err.data["statusCode"]))
    assert answers == [("ResourceAuthFailed", 403)] * 2


def test_another_accounts_template_is_refused(
    servicecatalog: ServiceCatalogClient, other_servicecatalog: ServiceCatalogClient
) -> None:
    """CreateProductVersion refuses another account's template URL as one never created."""
    theirs = create_template(servicecatalog)
    product_id = create_product(other_servicecatalog)
    answers = []
    for url in (theirs, theirs.replace("template.json", "missing.json")):
        err = error_of(
            lambda u=url: other_servicecatalog.create_product_version(
                sc.CreateProductVersionRequest(
                    product_id=product_id,
                    product_version_name="v1",
                    template_type="RosTerraformTemplate",
                    template_url=u,
                )
            )
        )
        answers.append((err.code, err.data["statusCode"], "TemplateUrl" in err.message))
    assert answers == [("InvalidParameter", 400, True)] * 2


@pytest.mark.parametrize(
    ("field", "limit"),
    [("AppName", 128), ("AppDescription", 128), ("CategoryName", 64)],
)
def test_webplus_enforces_field_lengths(webplus: WebPlusClient, field: str, limit: int) -> None:
    """A WebPlus field one character over its limit answers InvalidParameter naming it."""
    fields = {"AppName": "shop", field: "x" * (limit + 1)}
    request = wp.CreateApplicationRequest().from_map(fields)
    err = error_of(lambda: webplus.create_application(request))
    assert (err.code, err.data["statusCode"]) == ("InvalidParameter", 400)
    assert field in err.message


def test_webplus_caps_every_other_field(webplus: WebPlusClient) -> None:
    """A field without a documented limit is still capped (1024), so no call stores megabytes."""
    request = wp.DescribeApplicationsRequest(app_search="x" * 1025)
    err = error_of(lambda: webplus.describe_applications(request))
    assert (err.code, err.data["statusCode"]) == ("InvalidParameter", 400)
    assert "AppSearch" in err.message
