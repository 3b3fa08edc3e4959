"""The API answers only its own origin: a DNS-rebinding or cross-origin web page reaches nothing,
the official clients on every loopback name do, and `--verbose` logs no signature or value."""

from __future__ import annotations

import re
import socket

import pytest
from alibabacloud_servicecatalog20210901 import models as sc
from alibabacloud_servicecatalog20210901.client import Client as ServiceCatalogClient
from alibabacloud_webplus20190320.client import Client as WebPlusClient

from alicloud_versions.emulator import Emulator, EmulatorProcess
from tests.emulator.conftest import DEFAULT_KEY, make_config
from tests.emulator.raw import roa_headers, roa_target, rpc_target, send
from tests.support.builders import create_app

FOREIGN_HOSTS = ["attacker.example", "attacker.example:9000", "192.168.1.10:9000", ""]


def _applications(emulator: Emulator) -> list[str]:
    return [
        a["AppId"] for a in emulator.inventory()["accounts"][DEFAULT_KEY.account_id]["applications"]
    ]


@pytest.mark.parametrize("host", FOREIGN_HOSTS)
def test_a_signed_call_naming_a_foreign_host_is_refused(
    emulator: Emulator, webplus: WebPlusClient, host: str
) -> None:
    """A call signed with the published default key but carrying a foreign Host (DNS rebinding)
    is refused with 403 before it acts: it neither lists nor deletes."""
    app_id = create_app(webplus)
    status, body = send(
        emulator, "GET", rpc_target({"Action": "ListProductsAsAdmin"}), {"Host": host}
    )
    assert (status, body["Code"]) == (403, "Forbidden.Host"), body
    assert "ProductDetails" not in body
    query = {"AppId": app_id}
    path = "/pop/v1/wam/application"
    headers = roa_headers("DELETE", path, {}, query)
    status, body = send(emulator, "DELETE", roa_target(path, query), {**headers, "Host": host})
    assert (status, body["Code"]) == (403, "Forbidden.Host"), body
    assert _applications(emulator) == [app_id]
    codes = [e["code"] for e in emulator.requests()["requests"]]
    assert codes == [None, "Forbidden.Host", "Forbidden.Host"]


@pytest.mark.parametrize("origin", ["http://attacker.example", "null", "http://localhost:1"])
def test_a_signed_call_from_a_foreign_origin_is_refused(
    emulator: Emulator, webplus: WebPlusClient, origin: str
) -> None:
    """A call a web page of another origin makes with the default key (a simple GET needs no
    preflight) is refused with 403; the emulator's own origin is not."""
    app_id = create_app(webplus)
    own = {"Host": emulator.endpoint}
    query = {"AppId": app_id}
    path = "/pop/v1/wam/application"
    headers = roa_headers("DELETE", path, {}, query)
    status, body = send(
        emulator, "DELETE", roa_target(path, query), {**headers, **own, "Origin": origin}
    )
    assert (status, body["Code"]) == (403, "Forbidden.Origin"), body
    assert _applications(emulator) == [app_id]
    target = rpc_target({"Action": "ListProductsAsAdmin"})
    status, body = send(emulator, "GET", target, {**own, "Origin": emulator.url})
    assert status == 200, body


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost"])
def test_official_clients_reach_it_by_every_ipv4_loopback_name(
    emulator: Emulator, name: str
) -> None:
    """The SDK clients send the Host of the endpoint they were given; each loopback name serves."""
    endpoint = f"{name}:{emulator.port}"
    create_app(WebPlusClient(make_config(endpoint)))
    ServiceCatalogClient(make_config(endpoint)).list_products_as_admin(
        sc.ListProductsAsAdminRequest()
    )
    assert {e["code"] for e in emulator.requests()["requests"]} == {None}


def test_official_clients_reach_it_on_ipv6_loopback() -> None:
    """An emulator listening on ::1 answers the clients given `[::1]:PORT`."""
    with Emulator(host="::1") as emu:
        assert emu.endpoint == f"[::1]:{emu.port}"
        create_app(WebPlusClient(make_config(emu)))
        ServiceCatalogClient(make_config(emu)).list_products_as_admin(
            sc.ListProductsAsAdminRequest()
        )
        assert {e["code"] for e in emu.requests()["requests"]} == {None}


def test_the_command_line_listens_on_ipv6_loopback() -> None:
    """`--host ::1` prints a bracketed URL, which the process wrapper reads and clients use."""
    with EmulatorProcess(":memory:", host="::1") as emu:
        assert emu.url == f"http://[::1]:{emu.port}"
        create_app(WebPlusClient(make_config(emu.endpoint)))
        assert emu.controls.requests()["counts"] == {"CreateApplication": 1}


def test_an_allowed_host_is_served_for_container_setups() -> None:
    """`allowed_hosts` names the host a container network reaches the emulator by: the API and
    the controls answer it, and any other foreign host is still refused."""
    with Emulator(allowed_hosts=["emulator"]) as emu:
        target = rpc_target({"Action": "ListProductsAsAdmin"})
        status, body = send(emu, "GET", target, {"Host": f"Emulator:{emu.port}"})
        assert status == 200, body
        status, body = send(emu, "GET", "/_emulator/health", {"Host": f"emulator:{emu.port}"})
        assert (status, body) == (200, {"ok": True})
        status, body = send(emu, "GET", target, {"Host": f"attacker.example:{emu.port}"})
        assert (status, body["Code"]) == (403, "Forbidden.Host")


def test_the_allow_host_flag() -> None:
    """`--allow-host NAME` (repeatable) is the same option on the command line."""
    with EmulatorProcess(
        ":memory:", "--allow-host", "emulator", "--allow-host", "sc.internal"
    ) as emu:
        for host in ("emulator", f"sc.internal:{emu.port}"):
            target = rpc_target({"Action": "ListProductsAsAdmin"})
            status, body = send(emu, "GET", target, {"Host": host})
            assert status == 200, body
        target = rpc_target({"Action": "ListProductsAsAdmin"})
        status, body = send(emu, "GET", target, {"Host": "attacker.example"})
        assert (status, body["Code"]) == (403, "Forbidden.Host")


def test_verbose_logging_redacts_signatures_and_values(capfd: pytest.CaptureFixture[str]) -> None:
    """`--verbose` logs each request line with its parameter names, never a value: no signature,
    no access key id, no field the caller sent."""
    with Emulator(verbose=True) as emu:
        target = rpc_target({"Action": "ListProductsAsAdmin", "PortfolioId": "port-secret-marker"})
        status, body = send(emu, "GET", target, {})
        assert status == 200, body
        # A request line http.server refuses is logged as an error, the line quoted in it.
        with socket.create_connection((emu.host, emu.port), timeout=10) as sock:
            sock.sendall(f"GET {target} HTTP/1.1 extra\r\n\r\n".encode())
            while sock.recv(65536):
                pass
    err = capfd.readouterr().err
    signature = re.search(r"[?&]Signature=([^&]+)", target)
    assert signature is not None
    assert "/?" in err and "Signature=" in err and "PortfolioId=" in err
    for leaked in (signature.group(1), "port-secret-marker", DEFAULT_KEY.id):
        assert leaked not in err
