"""Fault injection: latency and each kind of transient failure, as the official SDK sees them."""

from __future__ import annotations

import contextlib
import time

import pytest
from alibabacloud_servicecatalog20210901 import models as sc
from alibabacloud_servicecatalog20210901.client import Client as ServiceCatalogClient
from alibabacloud_webplus20190320 import models as wp
from alibabacloud_webplus20190320.client import Client as WebPlusClient
from Tea.exceptions import TeaException, UnretryableException

from alicloud_versions.emulator import KNOWN_ERRORS, AccessKey, Emulator, ErrorFault, FaultConfig
from tests.emulator.conftest import Controls, error_of, make_config
from tests.support.builders import create_app
from tests.support.builders import create_pkg_version as create_version
from tests.support.builders import describe_pkg_versions as describe


def test_throttling(webplus: WebPlusClient, controls: Controls) -> None:
    """Injected Throttling answers Throttling.User (400), is logged as injected, changes nothing."""
    controls.put("/_emulator/faults", {"failure_rate": 1.0, "failure_kinds": ["Throttling"]})
    err = error_of(lambda: create_app(webplus))
    assert (err.code, err.data["statusCode"]) == ("Throttling.User", 400)
    assert err.data["RequestId"]
    [entry] = controls.requests()
    assert (entry["status"], entry["code"], entry["injected"]) == (400, "Throttling.User", True)
    assert entry["request_id"] == err.data["RequestId"]
    assert (
        controls.get("/_emulator/inventory")["accounts"]["1234567890123456"]["applications"] == []
    )


@pytest.mark.parametrize(("kind", "status"), [("ServiceUnavailable", 503), ("InternalError", 500)])
def test_server_errors(webplus: WebPlusClient, controls: Controls, kind: str, status: int) -> None:
    """Injected ServiceUnavailable and InternalError answer their 5xx status and change nothing."""
    controls.put("/_emulator/faults", {"failure_rate": 1.0, "failure_kinds": [kind]})
    err = error_of(lambda: create_app(webplus))
    assert (err.code, err.data["statusCode"]) == (kind, status)
    [entry] = controls.requests()
    assert (entry["status"], entry["code"], entry["injected"]) == (status, kind, True)
    assert (
        controls.get("/_emulator/inventory")["accounts"]["1234567890123456"]["applications"] == []
    )


def test_drop_connection_before_apply(webplus: WebPlusClient, controls: Controls) -> None:
    """A dropped connection leaves the SDK without an answer and, by default, state unchanged."""
    controls.put("/_emulator/faults", {"failure_rate": 1.0, "failure_kinds": ["DropConnection"]})
    with pytest.raises(UnretryableException):
        create_app(webplus)
    [entry] = controls.requests()
    assert (entry["status"], entry["code"], entry["injected"]) == (None, "DropConnection", True)
    assert (
        controls.get("/_emulator/inventory")["accounts"]["1234567890123456"]["applications"] == []
    )


def test_drop_connection_after_apply(webplus: WebPlusClient, controls: Controls) -> None:
    """With drop_after_apply the action takes effect but its answer is lost; a retry conflicts."""
    app_id = create_app(webplus)
    controls.put(
        "/_emulator/faults",
        {
            "failure_rate": 1.0,
            "failure_kinds": ["DropConnection"],
            "drop_after_apply": True,
            "max_failures": 1,
        },
    )
    with pytest.raises(UnretryableException):
        create_version(webplus, app_id, "v1")
    assert describe(webplus, app_id).total_count == 1
    assert error_of(lambda: create_version(webplus, app_id, "v1")).code == "VersionLabelExists"


def test_failures_only_hit_the_listed_actions(webplus: WebPlusClient, controls: Controls) -> None:
    """With `actions` set, other actions are never failed."""
    controls.put("/_emulator/faults", {"failure_rate": 1.0, "actions": ["CreatePkgVersion"]})
    app_id = create_app(webplus)
    assert describe(webplus, app_id).total_count == 0
    with pytest.raises(Exception):  # noqa: B017 - any of the four kinds may be drawn
        create_version(webplus, app_id, "v1")
    injected = [e["action"] for e in controls.requests() if e["injected"]]
    assert injected == ["CreatePkgVersion"]


def test_max_failures_then_success(webplus: WebPlusClient, controls: Controls) -> None:
    """max_failures caps the injected failures, after which calls succeed."""
    controls.put(
        "/_emulator/faults",
        {"failure_rate": 1.0, "failure_kinds": ["Throttling"], "max_failures": 2},
    )
    for _ in range(2):
        assert error_of(lambda: create_app(webplus)).code == "Throttling.User"
    create_app(webplus)
    assert [e["injected"] for e in controls.requests()] == [True, True, False]


def test_failure_rate_is_a_rate(webplus: WebPlusClient, controls: Controls) -> None:
    """A seeded rate of 0.3 fails roughly that share of calls, and only with the listed kinds."""
    controls.put(
        "/_emulator/faults",
        {"failure_rate": 0.3, "failure_kinds": ["Throttling", "ServiceUnavailable"], "seed": 7},
    )
    for _ in range(100):
        # The log below counts the failures.
        with contextlib.suppress(TeaException, UnretryableException):
            webplus.describe_applications(wp.DescribeApplicationsRequest())
    codes = [e["code"] for e in controls.requests() if e["injected"]]
    assert 15 <= len(codes) <= 45
    assert set(codes) == {"Throttling.User", "ServiceUnavailable"}


def test_latency(webplus: WebPlusClient, controls: Controls) -> None:
    """latency_ms delays every API call but not the controls."""
    controls.put("/_emulator/faults", {"latency_ms": 300})
    started = time.monotonic()
    webplus.describe_applications(wp.DescribeApplicationsRequest())
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    controls.get("/_emulator/health")
    assert time.monotonic() - started < 0.3


def test_controls_never_fail(controls: Controls) -> None:
    """Injected failures apply to API calls only; the controls keep answering."""
    controls.put("/_emulator/faults", {"failure_rate": 1.0})
    assert controls.get("/_emulator/health") == {"ok": True}
    assert controls.requests() == []


def test_fault_settings_round_trip_and_validation(controls: Controls) -> None:
    """PUT /_emulator/faults answers the settings GET then shows; bad settings answer 400."""
    settings = {
        "latency_ms": 5,
        "failure_rate": 0.5,
        "failure_kinds": ["InternalError"],
        "actions": ["CreateProduct"],
    }
    answered = controls.put("/_emulator/faults", settings)
    assert controls.get("/_emulator/faults") == answered
    assert {k: answered[k] for k in settings} == settings
    assert answered["drop_after_apply"] is False
    for bad in ({"failure_rate": 2}, {"failure_kinds": ["Meteor"]}, {"latency": 5}, [1]):
        status, body = controls.request("PUT", "/_emulator/faults", bad)
        assert status == 400 and body["error"]
    assert controls.get("/_emulator/faults") == answered


def test_faults_from_the_constructor() -> None:
    """FaultConfig given to Emulator applies from the first call."""
    faults = FaultConfig(failure_rate=1.0, failure_kinds=("ServiceUnavailable",))
    with Emulator(faults=faults) as emu:
        err = error_of(lambda: create_app(WebPlusClient(make_config(emu))))
        assert err.code == "ServiceUnavailable"
        assert emu.faults == faults
        emu.faults = FaultConfig()
        create_app(WebPlusClient(make_config(emu)))


@pytest.mark.parametrize(
    ("code", "status", "message"),
    [
        (
            "InvalidAction.NotFound",
            404,
            "Specified api is not found, please check your url and method.",
        ),
        ("ResourceAuthFailed", 403, KNOWN_ERRORS["ResourceAuthFailed"][1]),
        ("Forbidden.RAM", 403, KNOWN_ERRORS["Forbidden.RAM"][1]),
    ],
)
def test_error_fault_answers_signed_calls(
    webplus: WebPlusClient, controls: Controls, code: str, status: int, message: str
) -> None:
    """An error fault answers a signed call with its status, code and message, changing nothing."""
    answered = controls.put("/_emulator/faults", {"error": {"code": code}})
    assert answered["error"] == {
        "code": code,
        "status": status,
        "message": message,
        "actions": None,
    }
    err = error_of(lambda: create_app(webplus))
    assert (err.code, err.data["statusCode"], err.data["Message"]) == (code, status, message)
    [entry] = controls.requests()
    assert (entry["status"], entry["code"], entry["injected"]) == (status, code, True)
    assert entry["signature_scheme"] == "ROA-HMAC-SHA1"
    assert (
        controls.get("/_emulator/inventory")["accounts"]["1234567890123456"]["applications"] == []
    )
    controls.put("/_emulator/faults", {})
    create_app(webplus)


def test_error_fault_hits_only_its_actions(
    webplus: WebPlusClient, servicecatalog: ServiceCatalogClient, controls: Controls
) -> None:
    """With actions listed, only those answer the chosen error, in either service."""
    controls.put(
        "/_emulator/faults",
        {
            "error": {
                "code": "Throttling.Api",
                "status": 429,
                "message": "slow down",
                "actions": ["DescribeApplications", "GetProductAsAdmin"],
            }
        },
    )
    app_id = create_app(webplus)
    err = error_of(lambda: webplus.describe_applications(wp.DescribeApplicationsRequest()))
    assert (err.code, err.data["statusCode"], err.data["Message"]) == (
        "Throttling.Api",
        429,
        "slow down",
    )
    err = error_of(
        lambda: servicecatalog.get_product_as_admin(sc.GetProductAsAdminRequest(product_id="p"))
    )
    assert (err.code, err.data["statusCode"]) == ("Throttling.Api", 429)
    assert describe(webplus, app_id).total_count == 0
    injected = [e["action"] for e in controls.requests() if e["injected"]]
    assert injected == ["DescribeApplications", "GetProductAsAdmin"]


def test_error_fault_comes_after_the_signature(emulator: Emulator, controls: Controls) -> None:
    """A request that fails verification answers its own error, not the injected one."""
    controls.put("/_emulator/faults", {"error": {"code": "Forbidden.RAM"}})
    unknown = AccessKey("LTAI5tUnknown", "x", "1")
    err = error_of(lambda: create_app(WebPlusClient(make_config(emulator, unknown))))
    assert err.code == "InvalidAccessKeyId.NotFound"
    [entry] = controls.requests()
    assert entry["injected"] is False


def test_error_fault_settings_are_checked(controls: Controls) -> None:
    """An unknown code without a status, a status outside 4xx/5xx or an unknown key answer 400."""
    for bad in (
        {"code": "Meteor"},
        {"code": "Forbidden.RAM", "status": 200},
        {"code": ""},
        {"code": "Forbidden.RAM", "when": "always"},
        "Forbidden.RAM",
    ):
        status, body = controls.request("PUT", "/_emulator/faults", {"error": bad})
        assert status == 400 and body["error"], bad
    assert controls.get("/_emulator/faults")["error"] is None


def test_error_fault_from_python() -> None:
    """`FaultConfig(error=ErrorFault.of(code))` breaks the path in process, and can be lifted."""
    faults = FaultConfig(
        error=ErrorFault.of("InvalidAction.NotFound", actions=["CreateApplication"])
    )
    with Emulator(faults=faults) as emu:
        client = WebPlusClient(make_config(emu))
        assert error_of(lambda: create_app(client)).code == "InvalidAction.NotFound"
        client.describe_applications(wp.DescribeApplicationsRequest())
        emu.faults = FaultConfig()
        create_app(client)
