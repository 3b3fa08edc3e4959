"""No version is deleted while something runs it: a destroy or a same-label replacement of a
package version an environment runs, or of a product version a provisioned product uses,
fails and changes nothing; force_delete proceeds; a version no longer in use deletes. Both
front doors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from alibabacloud_servicecatalog20210901 import models as sc
from alibabacloud_webplus20190320 import models as wp
from pulumi import automation as auto

from tests.e2e.conftest import Account, servicecatalog_client, webplus_client
from tests.e2e.test_plugin import EXAMPLE, VENV_BIN, _config, _edit, _outputs, _path, _project
from tests.support.emulator import EmulatorProcess
from tests.support.inventory import inventory_ids, state_ids
from tests.support.stacks import failing

STACK_ID = "ws-5d1c0a5d913567334af00001"


def _run_somewhere(
    emulator: EmulatorProcess, account: Account, app_id: str, pkg_version_id: str, pv: str
) -> tuple[str, str, Any, Any]:
    """An environment running the package version and a provisioned product launched from the
    product version, made out of band: their ids and the clients."""
    webplus = webplus_client(emulator, account)
    env = webplus.create_app_env(
        wp.CreateAppEnvRequest(
            app_id=app_id, env_name="prod", stack_id=STACK_ID, pkg_version_id=pkg_version_id
        )
    ).body.env_change_detail.env_id
    catalog = servicecatalog_client(emulator, account)
    version = catalog.get_product_version(sc.GetProductVersionRequest(product_version_id=pv))
    launched = catalog.launch_product(
        sc.LaunchProductRequest(
            product_id=version.body.product_version_detail.product_id,
            product_version_id=pv,
            provisioned_product_name="shop-prod",
            stack_region_id="cn-hangzhou",
        )
    ).body.provisioned_product_id
    return str(env), str(launched), webplus, catalog


def _failing(run: Callable[..., Any]) -> str:
    """`run(on_event=...)` must fail: the error diagnostics it reported, joined."""
    said: list[str] = []

    def hear(event: auto.EngineEvent) -> None:
        if event.diagnostic_event is not None and event.diagnostic_event.severity == "error":
            said.append(event.diagnostic_event.message)

    failing(lambda: run(on_event=hear))  # collects what a failed inline program leaves
    return "".join(said)


def test_dynamic_versions_in_use_are_never_deleted(
    release: auto.Stack, emulator: EmulatorProcess, account: Account
) -> None:
    """Through the dynamic provider: destroy and a same-label replacement fail naming each
    user and change nothing; force_delete (set on its own first) lets the replacement proceed;
    versions no longer in use delete."""
    out = {k: v.value for k, v in release.up().outputs.items()}
    pkg_a, _ = out["pkg_version_ids"]
    pv_a, _ = out["product_version_ids"]
    env, launched, webplus, catalog = _run_somewhere(emulator, account, out["app_id"], pkg_a, pv_a)
    state = state_ids(release.export_stack().deployment)
    held = inventory_ids(emulator.inventory(account.account_id))

    # The product version goes first (it names the package version), and is refused.
    destroyed = _failing(release.destroy)
    assert launched in destroyed and "force_delete" in destroyed
    # Whatever no longer exists was not in use (the destroy deletes the other versions).
    kept = state_ids(release.export_stack().deployment)
    assert pkg_a in kept["pkg_versions"] and pv_a in kept["product_versions"]
    assert set(kept["applications"]) == set(state["applications"])
    assert set(kept["products"]) == set(state["products"])
    assert inventory_ids(emulator.inventory(account.account_id)) == kept
    release.up()  # the versions not in use again
    state = state_ids(release.export_stack().deployment)
    held = inventory_ids(emulator.inventory(account.account_id))

    release.set_config("desc_a", auto.ConfigValue("release 1.0, rebuilt"))
    replaced = _failing(release.up)
    assert env in replaced and "force_delete" in replaced
    assert state_ids(release.export_stack().deployment) == state
    assert inventory_ids(emulator.inventory(account.account_id)) == held

    release.remove_config("desc_a")
    release.set_config("force_delete", auto.ConfigValue("true"))
    changes = release.up().summary.resource_changes or {}
    assert {k: v for k, v in changes.items() if k != "same"} == {"update": 2}
    assert inventory_ids(emulator.inventory(account.account_id)) == held  # no API write
    release.set_config("desc_a", auto.ConfigValue("release 1.0, rebuilt"))
    release.up()
    [new_a, _] = release.up().outputs["pkg_version_ids"].value
    assert (
        new_a != pkg_a
        and pkg_a not in inventory_ids(emulator.inventory(account.account_id))["pkg_versions"]
    )

    webplus.terminate_app_env(wp.TerminateAppEnvRequest(env_id=env))
    catalog.terminate_provisioned_product(
        sc.TerminateProvisionedProductRequest(provisioned_product_id=launched)
    )
    release.destroy()
    left = inventory_ids(emulator.inventory(account.account_id))
    assert {k: v for k, v in left.items() if k != "templates"} == {
        k: [] for k in left if k != "templates"
    }


def test_plugin_versions_in_use_are_never_deleted(
    tmp_path: Path, emulator: EmulatorProcess, account: Account
) -> None:
    """Through the plugin: destroy fails naming the user and changes nothing; with forceDelete
    set, the product version still in use is deleted, and the package version, no longer run,
    is deleted without it."""
    project = _project(
        tmp_path, EXAMPLE.read_text(), _config(emulator, account), path=_path(VENV_BIN)
    )
    project.up()
    out = _outputs(project)
    env, launched, webplus, _ = _run_somewhere(
        emulator, account, out["appId"], out["pkgVersionId"], out["productVersionId"]
    )
    state = state_ids(project.export())
    held = inventory_ids(emulator.inventory(account.account_id))

    done = project.run("destroy", "--yes", check=False)
    assert done.returncode != 0
    # The product version goes first (it names the package version), and is refused.
    assert launched in done.stdout + done.stderr
    kept = state_ids(project.export())
    assert kept == state  # the example's versions are both in use, so nothing can go
    assert inventory_ids(emulator.inventory(account.account_id)) == held

    _edit(
        project,
        "      guidance: ${guidance}\n",
        "      guidance: ${guidance}\n      forceDelete: true\n",
    )
    project.up()
    webplus.terminate_app_env(wp.TerminateAppEnvRequest(env_id=env))
    project.run("destroy", "--yes")
    left = inventory_ids(emulator.inventory(account.account_id))
    assert left["product_versions"] == [] and left["pkg_versions"] == []
