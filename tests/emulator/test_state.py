"""State: kept across a restart on the same file, and no write lost under concurrent clients."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from alibabacloud_servicecatalog20210901 import models as sc
from alibabacloud_servicecatalog20210901.client import Client as ServiceCatalogClient
from alibabacloud_webplus20190320.client import Client as WebPlusClient

from alicloud_versions.emulator import Emulator
from tests.emulator.conftest import Controls, make_config
from tests.support.builders import create_app, create_product_version
from tests.support.builders import create_pkg_version as create_version
from tests.support.builders import describe_pkg_versions as describe


def test_restart_keeps_state(tmp_path: Path) -> None:
    """A new emulator on the same SQLite file answers what the stopped one held."""
    state = tmp_path / "state.sqlite"
    with Emulator(state=state) as first:
        webplus = WebPlusClient(make_config(first))
        app_id = create_app(webplus)
        version_id = create_version(webplus, app_id, "v1").pkg_version_id
        product_version_id = create_product_version(ServiceCatalogClient(make_config(first)))
        before = Controls(first.url).get("/_emulator/inventory")
    with Emulator(state=str(state)) as second:
        assert Controls(second.url).get("/_emulator/inventory") == before
        found = describe(WebPlusClient(make_config(second)), app_id).pkg_versions.pkg_version
        assert [v.pkg_version_id for v in found] == [version_id]
        request = sc.GetProductVersionRequest(product_version_id=product_version_id)
        detail = (
            ServiceCatalogClient(make_config(second))
            .get_product_version(request)
            .body.product_version_detail
        )
        assert detail.product_version_id == product_version_id


def test_restart_on_the_same_port(tmp_path: Path) -> None:
    """A client with a pooled connection reaches the new emulator after a restart on one port."""
    state = tmp_path / "state.sqlite"
    first = Emulator(state=state).start()
    port = first.port
    client_config = make_config(first)
    app_id = create_app(WebPlusClient(client_config))
    first.stop()
    with Emulator(port=port, state=state):
        assert describe(WebPlusClient(client_config), app_id).total_count == 0


def test_a_started_emulator_can_be_used_as_a_context_manager() -> None:
    """`with Emulator().start() as emu` serves, and stops at the end of the block."""
    with Emulator().start() as emu:
        assert Controls(emu.url).get("/_emulator/health") == {"ok": True}
    with pytest.raises(RuntimeError, match="not running"):
        emu.requests()


def test_concurrent_creates_lose_nothing(emulator: Emulator, controls: Controls) -> None:
    """20 clients creating 10 versions each at once leave all 200 versions, and no 5xx."""
    app_id = create_app(WebPlusClient(make_config(emulator)))
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        client = WebPlusClient(make_config(emulator))
        try:
            for i in range(10):
                create_version(client, app_id, f"t{n}-v{i}")
        except BaseException as exc:  # the main thread reports it
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    client = WebPlusClient(make_config(emulator))
    labels = {
        v.pkg_version_label
        for page in (1, 2)
        for v in describe(client, app_id, page_size=100, page_number=page).pkg_versions.pkg_version
    }
    assert labels == {f"t{n}-v{i}" for n in range(20) for i in range(10)}
    assert not [e for e in controls.requests() if (e["status"] or 0) >= 500]


def test_an_older_state_file_gains_the_task_columns(tmp_path: Path) -> None:
    """A state file whose provisioned_products predate tasks opens, its rows Available, and
    launches work on it."""
    import sqlite3

    path = tmp_path / "old.sqlite"
    old = sqlite3.connect(path)
    old.executescript(
        """CREATE TABLE provisioned_products (
            provisioned_product_id TEXT PRIMARY KEY, account_id TEXT NOT NULL,
            region_id TEXT NOT NULL, owner_principal_id TEXT NOT NULL,
            provisioned_product_name TEXT NOT NULL, product_id TEXT NOT NULL,
            product_name TEXT NOT NULL, product_version_id TEXT NOT NULL,
            product_version_name TEXT NOT NULL, portfolio_id TEXT, stack_id TEXT NOT NULL,
            stack_region_id TEXT NOT NULL, parameters TEXT NOT NULL, tags TEXT NOT NULL,
            last_task_id TEXT NOT NULL, create_time TEXT NOT NULL);
        INSERT INTO provisioned_products VALUES ('pp-old', '1234567890123456', 'cn-hangzhou',
            'k', 'old', 'prod-1', 'p', 'pv-1', '1.0', NULL, 's', 'cn-hangzhou', '[]', '[]',
            'task-1', '2026-01-01T00:00:00Z');"""
    )
    old.commit()
    old.close()
    with Emulator(state=str(path)) as emulator:
        [record] = emulator.inventory()["accounts"]["1234567890123456"]["provisioned_products"]
        assert (record["ProvisionedProductId"], record["Status"]) == ("pp-old", "Available")
