"""The /_emulator/ controls: health, request log, resets and inventory."""

from __future__ import annotations

import http.client
import json
from typing import Any

import pytest
from alibabacloud_servicecatalog20210901.client import Client as ServiceCatalogClient
from alibabacloud_webplus20190320.client import Client as WebPlusClient

from alicloud_versions.emulator import AccessKey, Emulator, EmulatorControls
from tests.emulator.conftest import DEFAULT_KEY, OTHER_KEY, Controls, error_of, make_config
from tests.support.builders import create_app, create_product_version
from tests.support.builders import create_pkg_version as create_version


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
        "app_envs",
        "products",
        "templates",
        "product_versions",
        "provisioned_products",
        "portfolios",
        "portfolio_products",
        "portfolio_principals",
    }
    assert [a["AppId"] for a in holdings["applications"]] == [mine]
    [pkg] = holdings["pkg_versions"]
    assert pkg["PkgVersionId"] == version.pkg_version_id and pkg["PkgVersionLabel"] == "v1"
    assert [v["ProductVersionId"] for v in holdings["product_versions"]] == [product_version_id]
    assert len(holdings["products"]) == 1 and len(holdings["templates"]) == 1
    other = accounts[OTHER_KEY.account_id]
    assert [a["AppId"] for a in other["applications"]] == [theirs]
    assert other["pkg_versions"] == other["products"] == other["product_versions"] == []


def _control(
    emulator: Emulator, method: str, path: str, headers: dict[str, str], body: bytes = b""
) -> tuple[int, Any]:
    """One raw control request with exactly these headers; its status and JSON answer."""
    connection = http.client.HTTPConnection(emulator.host, emulator.port, timeout=10)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


@pytest.mark.parametrize("host", ["evil.example", "evil.example:9000", "192.168.1.10:9000", ""])
def test_a_foreign_host_is_refused(webplus: WebPlusClient, emulator: Emulator, host: str) -> None:
    """A control request naming a non-loopback Host (DNS rebinding) is refused, reads included."""
    create_app(webplus)
    headers = {"Host": host} if host else {}
    status, body = _control(emulator, "GET", "/_emulator/inventory", headers)
    assert status == 403 and "accounts" not in body
    status, _ = _control(
        emulator, "POST", "/_emulator/reset", {**headers, "Content-Type": "application/json"}
    )
    assert status == 403
    assert len(emulator.inventory()["accounts"][DEFAULT_KEY.account_id]["applications"]) == 1


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "127.1.2.3", "[::1]"])
def test_loopback_hosts_are_accepted(emulator: Emulator, host: str) -> None:
    """localhost, 127.0.0.0/8 and [::1], with the port, reach the controls."""
    status, body = _control(
        emulator, "GET", "/_emulator/health", {"Host": f"{host}:{emulator.port}"}
    )
    assert (status, body) == (200, {"ok": True})


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "http://localhost:1"])
def test_a_foreign_origin_is_refused(
    webplus: WebPlusClient, emulator: Emulator, origin: str
) -> None:
    """A control request from a web page of another origin is refused; state is untouched."""
    create_app(webplus)
    own = {"Host": emulator.endpoint}
    for method, path in (("POST", "/_emulator/reset"), ("GET", "/_emulator/inventory")):
        headers = {**own, "Origin": origin, "Content-Type": "application/json"}
        status, _ = _control(emulator, method, path, headers, b"{}")
        assert status == 403
    status, _ = _control(emulator, "GET", "/_emulator/health", {**own, "Origin": emulator.url})
    assert status == 200
    assert len(emulator.inventory()["accounts"][DEFAULT_KEY.account_id]["applications"]) == 1


@pytest.mark.parametrize(
    "content_type", [None, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
def test_writes_need_json(
    webplus: WebPlusClient, emulator: Emulator, content_type: str | None
) -> None:
    """POST and PUT controls refuse a body that is not declared JSON (what a form can send)."""
    create_app(webplus)
    headers = {"Host": emulator.endpoint}
    if content_type is not None:
        headers["Content-Type"] = content_type
    for path in ("/_emulator/reset", "/_emulator/requests/reset"):
        status, _ = _control(emulator, "POST", path, headers, b"{}")
        assert status == 415
    status, _ = _control(emulator, "PUT", "/_emulator/faults", headers, b'{"latency_ms": 9}')
    assert status == 415
    assert emulator.faults.latency_ms == 0
    assert len(emulator.requests()["requests"]) == 1
    assert len(emulator.inventory()["accounts"][DEFAULT_KEY.account_id]["applications"]) == 1
    json_headers = {**headers, "Content-Type": "application/json; charset=utf-8"}
    assert _control(emulator, "POST", "/_emulator/reset", json_headers)[0] == 200


def test_controls_can_be_switched_off() -> None:
    """Without controls every /_emulator/ path answers like an unknown API path; the APIs serve."""
    with Emulator(controls=False) as emu:
        client = WebPlusClient(make_config(emu))
        create_app(client)
        for method, path in (("GET", "health"), ("GET", "inventory"), ("POST", "reset")):
            status, body = Controls(emu.url).request(method, f"/_emulator/{path}")
            assert (status, body["Code"]) == (404, "InvalidAction.NotFound")
        assert not EmulatorControls(emu.url).health()
        # In process, the test's own code still sees everything.
        assert len(emu.inventory()["accounts"][DEFAULT_KEY.account_id]["applications"]) == 1
