"""The /_emulator/ controls: health, request log, resets and inventory."""

from __future__ import annotations

import json

from alibabacloud_servicecatalog20210901.client import Client as ServiceCatalogClient
from alibabacloud_webplus20190320.client import Client as WebPlusClient

from alicloud_versions.emulator import AccessKey, Emulator
from tests.emulator.conftest import DEFAULT_KEY, OTHER_KEY, Controls, error_of, make_config
from tests.emulator.test_servicecatalog import create_version as create_product_version
from tests.emulator.test_webplus import create_app, create_version


def test_health(controls: Controls) -> None:
    """GET /_emulator/health answers ok."""
    assert controls.get("/_emulator/health") == {"ok": True}


def test_unknown_control_is_404(controls: Controls) -> None:
    """An unknown control path answers 404 with a JSON error."""
    status, body = controls.request("GET", "/_emulator/nothing")
    assert status == 404 and "error" in body


def test_request_log_records_calls_without_secrets(
    webplus: WebPlusClient, other_webplus: WebPlusClient, controls: Controls
) -> None:
    """Each API call is logged with service, action, status, code, key and account; no secret."""
    app_id = create_app(webplus)
    create_version(webplus, app_id, "v1")
    error_of(lambda: create_version(webplus, app_id, "v1"))
    error_of(lambda: create_version(other_webplus, app_id, "v1"))
    log = controls.get("/_emulator/requests")
    entries = log["requests"]
    assert [(e["action"], e["status"], e["code"]) for e in entries] == [
        ("CreateApplication", 200, None),
        ("CreatePkgVersion", 200, None),
        ("CreatePkgVersion", 400, "VersionLabelExists"),
        ("CreatePkgVersion", 403, "ResourceAuthFailed"),
    ]
    assert log["counts"] == {"CreateApplication": 1, "CreatePkgVersion": 3}
    assert {e["service"] for e in entries} == {"webplus"}
    assert [e["access_key_id"] for e in entries] == [DEFAULT_KEY.id] * 3 + [OTHER_KEY.id]
    assert [e["account_id"] for e in entries] == [DEFAULT_KEY.account_id] * 3 + [
        OTHER_KEY.account_id
    ]
    assert not any(e["injected"] for e in entries)
    assert all(e["time"].endswith("+00:00") for e in entries)
    dumped = json.dumps(log)
    for secret in (DEFAULT_KEY.secret, OTHER_KEY.secret, "Signature=", "acs LTAI"):
        assert secret not in dumped


def test_request_log_records_authentication_failures(
    emulator: Emulator, controls: Controls
) -> None:
    """A call with an unknown key is logged with its code and no account."""
    unknown = AccessKey("LTAI5tUnknown", "x", "1")
    error_of(lambda: create_app(WebPlusClient(make_config(emulator, unknown))))
    [entry] = controls.requests()
    assert (entry["code"], entry["status"], entry["account_id"]) == (
        "InvalidAccessKeyId.NotFound",
        404,
        None,
    )
    assert entry["access_key_id"] == "LTAI5tUnknown"


def test_requests_reset_keeps_state(webplus: WebPlusClient, controls: Controls) -> None:
    """POST /_emulator/requests/reset clears the log only."""
    create_app(webplus)
    controls.post("/_emulator/requests/reset")
    assert controls.get("/_emulator/requests") == {"requests": [], "counts": {}, "in_flight": {}}
    assert (
        len(
            controls.get("/_emulator/inventory")["accounts"][DEFAULT_KEY.account_id]["applications"]
        )
        == 1
    )


def test_reset_requests_in_process_keeps_state(emulator: Emulator, webplus: WebPlusClient) -> None:
    """`Emulator.reset_requests()` clears the log only, as the HTTP control does."""
    create_app(webplus)
    emulator.reset_requests()
    assert emulator.requests() == {"requests": [], "counts": {}, "in_flight": {}}
    assert len(emulator.inventory()["accounts"][DEFAULT_KEY.account_id]["applications"]) == 1


def test_reset_clears_log_and_state(
    webplus: WebPlusClient, servicecatalog: ServiceCatalogClient, controls: Controls
) -> None:
    """POST /_emulator/reset clears the log and every account's resources."""
    create_version(webplus, create_app(webplus), "v1")
    create_product_version(servicecatalog)
    controls.post("/_emulator/reset")
    assert controls.requests() == []
    for holdings in controls.get("/_emulator/inventory")["accounts"].values():
        assert all(records == [] for records in holdings.values())


def test_inventory_keeps_accounts_apart(
    webplus: WebPlusClient,
    other_webplus: WebPlusClient,
    servicecatalog: ServiceCatalogClient,
    controls: Controls,
) -> None:
    """GET /_emulator/inventory answers whole records per account, each under its owner."""
    mine = create_app(webplus, "mine")
    theirs = create_app(other_webplus, "theirs")
    version = create_version(webplus, mine, "v1")
    product_version_id = create_product_version(servicecatalog)
    accounts = controls.get("/_emulator/inventory")["accounts"]
    assert set(accounts) == {DEFAULT_KEY.account_id, OTHER_KEY.account_id}
    holdings = accounts[DEFAULT_KEY.account_id]
    assert set(holdings) == {
        "applications",
        "pkg_versions",
        "products",
        "templates",
        "product_versions",
    }
    assert [a["AppId"] for a in holdings["applications"]] == [mine]
    [pkg] = holdings["pkg_versions"]
    assert pkg["PkgVersionId"] == version.pkg_version_id and pkg["PkgVersionLabel"] == "v1"
    assert [v["ProductVersionId"] for v in holdings["product_versions"]] == [product_version_id]
    assert len(holdings["products"]) == 1 and len(holdings["templates"]) == 1
    other = accounts[OTHER_KEY.account_id]
    assert [a["AppId"] for a in other["applications"]] == [theirs]
    assert other["pkg_versions"] == other["products"] == other["product_versions"] == []
